/** The socket of a pg connection: it can gather several protocol messages into one write. */
export type CorkableStream = NodeJS.ReadWriteStream & { cork?: () => void; uncork?: () => void };

/** Sends what `send` writes to the connection (parse, bind, execute...) as one write to the socket. */
export function sendCorked(stream: CorkableStream, send: () => void): void {
  stream.cork?.();
  try {
    send();
  } finally {
    stream.uncork?.();
  }
}

/** How a streaming query ends: failed (with the server's or socket's error), or done after its last row. */
export interface QueryEnds {
  fail(err: unknown): void;
  done(): void;
}

/**
 * What a pg Submittable that streams a result needs whatever it streams (rows
 * or COPY text): socket flow control for backpressure, and one end, reported
 * once the server is ready for the next query. Subclasses send the query
 * (`submit`) and take its messages (`handleDataRow`, `handleCopyData`...); the
 * handlers not overridden ignore their message.
 */
export abstract class StreamingQuery<C extends { stream: NodeJS.ReadableStream }> {
  protected connection: C | undefined;
  #failed = false;

  constructor(protected readonly ends: QueryEnds) {}

  abstract submit(connection: C): void;

  pause(): void {
    this.connection?.stream.pause();
  }

  resume(): void {
    this.connection?.stream.resume();
  }

  handleRowDescription(_msg: unknown): void {}
  handleDataRow(_msg: unknown): void {}
  handleCommandComplete(_msg: unknown): void {}
  handlePortalSuspended(): void {}
  handleEmptyQuery(): void {}
  handleCopyInResponse(_connection: unknown): void {}
  handleCopyData(_msg: unknown): void {}

  handleError(err: unknown): void {
    this.#failed = true;
    // A paused socket would never deliver the ReadyForQuery that frees the client.
    this.resume();
    this.ends.fail(err);
  }

  handleReadyForQuery(): void {
    if (!this.#failed) this.ends.done();
  }
}

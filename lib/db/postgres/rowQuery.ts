/** The parts of pg's (internal) Connection a Submittable drives. */
interface PgConnection {
  stream: NodeJS.ReadWriteStream & { cork?: () => void; uncork?: () => void };
  parse(msg: { text: string }): void;
  bind(msg: { values: string[] }): void;
  execute(msg: { rows: number }): void;
  sync(): void;
  sendCopyFail(message: string): void;
}

/**
 * Runs one statement with the extended protocol (so a task file cannot smuggle
 * in a second statement, and `$n` are bound; its columns were described
 * before) and hands every DataRow's fields over as they are: pg-protocol
 * decodes text-format values to strings, so no type parser runs and nothing is
 * converted to Date or Number. `pause`/`resume` act on the socket for
 * backpressure.
 */
export class PgRowQuery {
  #connection: PgConnection | undefined;
  #failed = false;

  constructor(
    readonly text: string,
    readonly values: string[],
    readonly sink: {
      row(fields: (string | null)[], bytes: number): void;
      fail(err: unknown): void;
      done(): void;
    },
  ) {}

  submit(connection: PgConnection): void {
    this.#connection = connection;
    const { stream } = connection;
    stream.cork?.();
    try {
      connection.parse({ text: this.text });
      connection.bind({ values: this.values });
      connection.execute({ rows: 0 });
      connection.sync();
    } finally {
      stream.uncork?.();
    }
  }

  pause(): void {
    this.#connection?.stream.pause();
  }

  resume(): void {
    this.#connection?.stream.resume();
  }

  handleRowDescription(): void {}

  handleDataRow(msg: { fields: (string | null)[]; length: number }): void {
    this.sink.row(msg.fields, msg.length);
  }

  handleCommandComplete(): void {}
  handlePortalSuspended(): void {}

  handleEmptyQuery(): void {
    this.handleError(new Error('the task query is empty'));
  }

  handleCopyInResponse(connection: PgConnection): void {
    connection.sendCopyFail('COPY FROM STDIN cannot run as a task');
  }

  handleCopyData(): void {}

  handleError(err: unknown): void {
    this.#failed = true;
    // A paused socket would never deliver the ReadyForQuery that frees the client.
    this.resume();
    this.sink.fail(err);
  }

  handleReadyForQuery(): void {
    if (!this.#failed) this.sink.done();
  }
}


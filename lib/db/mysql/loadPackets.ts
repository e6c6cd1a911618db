/** A MySQL packet header: the payload's length (3 bytes, little endian) and the sequence number. */
const HEADER_BYTES = 4;
/** Payload bytes per LOAD DATA packet: well below any max_allowed_packet. */
export const LOAD_PACKET_BYTES = 256 * 1024;
/** Packet buffers per load: at most this many packets are queued on the socket at once. */
export const LOAD_PACKET_BUFFERS = 8;

/** What a load writes on: the mysql2 connection's sequence number and its socket. */
export interface PacketConnection {
  sequenceId: number;
  readonly stream: { write(chunk: Buffer, callback: (err?: Error | null) => void): boolean };
}

/**
 * Writes the file content of a `LOAD DATA LOCAL INFILE` as MySQL packets, from a
 * fixed set of buffers that are reused once the socket has written them.
 *
 * mysql2 copies every chunk of an infile stream into a new packet buffer and does
 * not wait for the socket, so a load allocates its whole size twice outside the JS
 * heap and the process grows until a full GC frees it (some 60 MB). Here the bytes
 * are copied once, into a buffer that leaves a packet's header room in front, and a
 * buffer is refilled only after its write's callback: what a load holds is bounded
 * by `count * size`, and a full socket stops the copying (backpressure).
 *
 * Only data packets go this way; mysql2 still sends the closing empty packet
 * (when the infile stream ends or fails), with the sequence number left here.
 * The connection must not use compression (ours never do).
 */
export class LoadPackets {
  readonly #conn: PacketConnection;
  readonly #buffers: (Buffer | undefined)[];
  readonly #size: number;
  readonly #busy: boolean[];
  #index = 0;
  /** Where the free space of the current buffer starts (after its header room). */
  #fill = HEADER_BYTES;
  #error: Error | undefined;
  /** Packets the socket has not finished writing. */
  #inFlight = 0;
  /** The file was ended (`end`, `discard`) or the load is over: nothing is sent any more on our own. */
  #ended = false;
  #waiter: (() => void) | undefined;

  /** `done` settles when the server answers the LOAD DATA: no packet may follow, a wait for a buffer ends. */
  constructor(conn: PacketConnection, done: Promise<unknown>, count = LOAD_PACKET_BUFFERS, size = LOAD_PACKET_BYTES) {
    this.#conn = conn;
    this.#size = HEADER_BYTES + size;
    // Allocated as they are first needed: a small result takes one.
    this.#buffers = new Array<Buffer | undefined>(count).fill(undefined);
    this.#busy = this.#buffers.map(() => false);
    const ended = (err: unknown) => this.#stop(err instanceof Error ? err : new Error('results load ended while rows were being sent'));
    done.then(ended, ended);
  }

  /**
   * Sends `chunks` as packets. Resolves once they are all queued on the socket, but
   * for a part-filled last packet: that one goes at once if the socket is idle, else
   * when it is (or fills up), so packets stay big however small the batches. Waits
   * while every buffer is still being written. Throws once the load has failed or ended.
   */
  async write(chunks: readonly Buffer[]): Promise<void> {
    for (const chunk of chunks) {
      for (let at = 0; at < chunk.length; ) {
        while (this.#busy[this.#index] && !this.#error) await this.#free();
        if (this.#error) throw this.#error;
        const buffer = (this.#buffers[this.#index] ??= Buffer.allocUnsafe(this.#size));
        const copied = chunk.copy(buffer, this.#fill, at);
        this.#fill += copied;
        at += copied;
        if (this.#fill === buffer.length) this.#send();
      }
    }
    if (this.#inFlight === 0) this.#send();
  }

  /** Sends the part-filled packet, if any, and nothing after it: the file ends next. */
  end(): void {
    this.#send();
    this.#stop(new Error('the results file was already ended'));
  }

  /** Sends nothing more, a waiting `write` included: the file is being ended early (the load is aborted). */
  discard(): void {
    this.#stop(new Error('the results load was aborted'));
  }

  #stop(err: Error): void {
    this.#ended = true;
    this.#error ??= err;
    this.#wake();
  }

  /** Sends the current buffer's bytes as one packet, if it has any. */
  #send(): void {
    if (this.#fill === HEADER_BYTES) return;
    const i = this.#index;
    const buffer = this.#buffers[i] as Buffer;
    const conn = this.#conn;
    buffer.writeUIntLE(this.#fill - HEADER_BYTES, 0, 3);
    buffer[3] = conn.sequenceId;
    conn.sequenceId = (conn.sequenceId + 1) % 256;
    this.#busy[i] = true;
    this.#inFlight++;
    conn.stream.write(buffer.subarray(0, this.#fill), (err) => {
      this.#busy[i] = false;
      this.#inFlight--;
      // A failed write also fails the connection (mysql2 hears the socket's error).
      if (err) this.#error ??= err;
      // The socket idle: what waits in a part-filled packet goes now. (While write
      // waits for a buffer, the current one is empty.)
      else if (this.#inFlight === 0 && !this.#ended) this.#send();
      this.#wake();
    });
    this.#index = (i + 1) % this.#buffers.length;
    this.#fill = HEADER_BYTES;
  }

  /** Waits until the current buffer's last write is done, or the load ends. */
  #free(): Promise<void> {
    return new Promise<void>((resolve) => {
      const check = () => {
        if (this.#busy[this.#index] && !this.#error) this.#waiter = check;
        else resolve();
      };
      check();
    });
  }

  #wake(): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.();
  }
}

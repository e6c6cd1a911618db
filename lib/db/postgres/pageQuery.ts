import { type CorkableStream, type QueryEnds, sendCorked, StreamingQuery } from './streamingQuery.js';

/** The parts of pg's (internal) Connection a page query drives. */
interface PgConnection {
  stream: CorkableStream;
  parse(msg: { text: string }): void;
  bind(msg: { values: (string | null)[] }): void;
  execute(msg: { portal: string; rows: number }): void;
  flush(): void;
  sync(): void;
}

/** Rows of the first fetch, before any row's size is known. */
const FIRST_FETCH_ROWS = 256;
/** About this much row data per later fetch: bounds what is fetched in vain when the reader stops. */
const FETCH_BYTES = 2 * 1024 * 1024;

/**
 * One read-only statement (a results page) with the extended protocol, fetched
 * from its portal in batches: each DataRow's fields go to `onRow` as pg-protocol
 * decoded them (text, no type parser, no row object), while the socket reads
 * on. After the first batch, a batch holds about FETCH_BYTES at the rows' mean
 * size. When `onRow` returns false the portal is left there (the statement's
 * other rows are never sent), so a reader that stops at a byte cap reads at
 * most one batch more than it keeps. An error `onRow` throws ends the query
 * with that error.
 */
export class PgPageQuery extends StreamingQuery<PgConnection> {
  #synced = false;
  #stopped = false;
  #thrown: { err: unknown } | undefined;
  #rows = 0;
  #bytes = 0;

  constructor(
    readonly text: string,
    readonly values: (string | null)[],
    /** Rows the statement returns at most (its LIMIT): no fetch asks for more. */
    private readonly maxRows: number,
    private readonly onRow: (fields: (string | null)[]) => boolean,
    ends: QueryEnds,
  ) {
    super(ends);
  }

  submit(connection: PgConnection): void {
    this.connection = connection;
    sendCorked(connection.stream, () => {
      connection.parse({ text: this.text });
      connection.bind({ values: this.values });
      this.#fetch(Math.min(FIRST_FETCH_ROWS, this.maxRows));
    });
  }

  #fetch(rows: number): void {
    this.connection!.execute({ portal: '', rows });
    this.connection!.flush();
  }

  #sync(): void {
    if (this.#synced) return;
    this.#synced = true;
    this.connection!.sync();
  }

  override handleDataRow(msg: { fields: (string | null)[]; length: number }): void {
    this.#rows++;
    this.#bytes += msg.length;
    if (this.#stopped) return;
    try {
      if (!this.onRow(msg.fields)) this.#stopped = true;
    } catch (err) {
      this.#stopped = true;
      this.#thrown = { err };
    }
  }

  override handlePortalSuspended(): void {
    const left = this.maxRows - this.#rows;
    if (this.#stopped || left <= 0) return this.#sync();
    this.#fetch(Math.max(1, Math.min(left, Math.floor(FETCH_BYTES / (this.#bytes / this.#rows)))));
  }

  override handleCommandComplete(): void {
    this.#sync();
  }

  override handleEmptyQuery(): void {
    this.#sync();
  }

  override handleError(err: unknown): void {
    // The server skips everything up to the next Sync after an error.
    this.#sync();
    super.handleError(err);
  }

  override handleReadyForQuery(): void {
    if (this.#thrown) this.ends.fail(this.#thrown.err);
    else super.handleReadyForQuery();
  }
}

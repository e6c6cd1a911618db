import { type CorkableStream, type QueryEnds, sendCorked, StreamingQuery } from './streamingQuery.js';

/** The parts of pg's (internal) Connection a Submittable drives. */
interface PgConnection {
  stream: CorkableStream;
  parse(msg: { text: string }): void;
  bind(msg: { values: (string | null)[] }): void;
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
export class PgRowQuery extends StreamingQuery<PgConnection> {
  constructor(
    readonly text: string,
    readonly values: (string | null)[],
    private readonly onRow: (fields: (string | null)[], bytes: number) => void,
    ends: QueryEnds,
  ) {
    super(ends);
  }

  submit(connection: PgConnection): void {
    this.connection = connection;
    sendCorked(connection.stream, () => {
      connection.parse({ text: this.text });
      connection.bind({ values: this.values });
      connection.execute({ rows: 0 });
      connection.sync();
    });
  }

  override handleDataRow(msg: { fields: (string | null)[]; length: number }): void {
    this.onRow(msg.fields, msg.length);
  }

  override handleEmptyQuery(): void {
    this.handleError(new Error('the task query is empty'));
  }

  override handleCopyInResponse(connection: PgConnection): void {
    connection.sendCopyFail('COPY FROM STDIN cannot run as a task');
  }
}

import type pg from 'pg';

/** A RowDescription field, as pg-protocol decodes it. */
export interface PgField {
  name: string;
  dataTypeID: number;
  dataTypeModifier: number;
}

/** What the server says about a statement before running it. */
export interface StatementDescription {
  /** The type OID of each `$n`, in order (inferred where the query does not say). */
  paramTypes: number[];
  /** The result's columns; undefined for a statement that returns no rows. */
  fields: PgField[] | undefined;
}

/** The parts of pg's (internal) Connection this Submittable drives. */
interface PgConnection {
  on(event: 'parameterDescription', listener: (msg: { dataTypeIDs: number[] }) => void): void;
  off(event: 'parameterDescription', listener: (msg: { dataTypeIDs: number[] }) => void): void;
  parse(msg: { text: string }): void;
  describe(msg: { type: 'S'; name: string }): void;
  sync(): void;
}

/**
 * Parse + Describe of the unnamed statement, without running it: the server
 * parses the query exactly as a run would (untyped `$n` get their types
 * inferred) and answers with the parameter types and the result's columns.
 * SQL-level PREPARE would refuse `SELECT $1` for want of a parameter type.
 */
class DescribeStatement {
  #failed = false;
  #connection: PgConnection | undefined;
  #paramTypes: number[] = [];
  #fields: PgField[] | undefined;
  readonly done: Promise<StatementDescription>;
  #resolve: (d: StatementDescription) => void = () => {};
  #reject: (err: unknown) => void = () => {};
  readonly #onParams = (msg: { dataTypeIDs: number[] }) => {
    this.#paramTypes = msg.dataTypeIDs;
  };

  constructor(readonly text: string) {
    this.done = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  submit(connection: PgConnection): void {
    this.#connection = connection;
    // pg's Client ignores ParameterDescription; the connection still emits it.
    connection.on('parameterDescription', this.#onParams);
    connection.parse({ text: this.text });
    connection.describe({ type: 'S', name: '' });
    connection.sync();
  }

  handleRowDescription(msg: { fields: PgField[] }): void {
    this.#fields = msg.fields;
  }

  handleDataRow(): void {}
  handleCommandComplete(): void {}
  handlePortalSuspended(): void {}
  handleEmptyQuery(): void {}
  handleCopyInResponse(): void {}
  handleCopyData(): void {}

  handleError(err: unknown): void {
    this.#failed = true;
    this.#detach();
    this.#reject(err);
  }

  handleReadyForQuery(): void {
    this.#detach();
    if (!this.#failed) this.#resolve({ paramTypes: this.#paramTypes, fields: this.#fields });
  }

  #detach(): void {
    this.#connection?.off('parameterDescription', this.#onParams);
  }
}

/**
 * Describes a statement on a client without running it.
 *
 * @throws the database's error (syntax error, unknown table, two statements...).
 */
export async function describeStatement(client: pg.ClientBase, text: string): Promise<StatementDescription> {
  const describe = new DescribeStatement(text);
  client.query(describe as unknown as pg.Submittable);
  return describe.done;
}

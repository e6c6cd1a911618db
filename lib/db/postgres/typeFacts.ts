import type pg from 'pg';

/** What the source's catalog says about one type OID with one typmod. */
export interface TypeFacts {
  /** `format_type(oid, typmod)`: `numeric(12,2)`, `integer[]`, `"MyEnum"`; with typmod -1 `bpchar`, `"bit"`. */
  sql: string;
  /** The element type's OID for an array type, else the type's own. */
  base: number;
  array: boolean;
  /**
   * A type every PostgreSQL has under the same name, whose text any PostgreSQL
   * reads back as the same value: built in (pg_catalog, created by initdb), a
   * base, range or multirange type or an array of one. Not the source's own
   * enums, domains and composites; not reg* and aclitem (their text names
   * objects of the source's database), money (its text follows the server's
   * locale), nor types whose text input is refused (pg_node_tree, statistics).
   */
  portable: boolean;
  /**
   * Its binary COPY form is what the results column reads back as the same value:
   * a portable type with a binary send and receive function (its array's too), or
   * an enum of the source's own, whose binary form is its label's text, as a text
   * column's is (the column is text, see `pgColumn`).
   */
  binary: boolean;
}

/** The first OID a user object gets; lower ones were made by initdb (FirstNormalObjectId). */
const FIRST_NORMAL_OID = 16384;

const FACTS_SQL = `
  SELECT f.oid::int8 AS oid, f.typmod, format_type(f.oid, f.typmod) AS sql, b.oid::int8 AS base,
         t.typinput = 'array_in'::regproc AS array,
         t.oid < ${FIRST_NORMAL_OID} AND t.typnamespace = 'pg_catalog'::regnamespace AND b.typtype IN ('b', 'r', 'm')
           AND b.typname NOT LIKE 'reg%'
           AND b.typname NOT IN ('aclitem', 'money', 'gtsvector', 'unknown', 'pg_node_tree', 'pg_ndistinct', 'pg_dependencies',
                                 'pg_mcv_list', 'pg_brin_bloom_summary', 'pg_brin_minmax_multi_summary') AS portable,
         t.typsend::oid <> 0 AND t.typreceive::oid <> 0 AND b.typsend::oid <> 0 AND b.typreceive::oid <> 0 AS binary,
         t.typtype = 'e' AS enum
    FROM unnest($1::oid[], $2::int4[]) AS f(oid, typmod)
    JOIN pg_type t ON t.oid = f.oid
    JOIN pg_type b ON b.oid = CASE WHEN t.typinput = 'array_in'::regproc THEN t.typelem ELSE t.oid END`;

/** The key of one (oid, typmod) in the map `typeFacts` returns. */
export const typeKey = (oid: number, typmod: number): string => `${oid}/${typmod}`;

/** Looks up every distinct (oid, typmod) of `pairs` in one query on the client's connection. */
export async function typeFacts(client: pg.ClientBase, pairs: readonly (readonly [number, number])[]): Promise<Map<string, TypeFacts>> {
  const distinct = [...new Map(pairs.map(([oid, typmod]) => [typeKey(oid, typmod), [oid, typmod] as const])).values()];
  const facts = new Map<string, TypeFacts>();
  if (distinct.length === 0) return facts;
  const { rows } = await client.query<{ oid: string; typmod: number; sql: string; base: string; array: boolean; portable: boolean; binary: boolean; enum: boolean }>(FACTS_SQL, [
    distinct.map(([oid]) => oid),
    distinct.map(([, typmod]) => typmod),
  ]);
  for (const r of rows) {
    const binary = (r.portable && r.binary) || r.enum;
    facts.set(typeKey(Number(r.oid), r.typmod), { sql: r.sql, base: Number(r.base), array: r.array, portable: r.portable, binary });
  }
  return facts;
}

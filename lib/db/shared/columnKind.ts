import type { ColumnType } from '../port/types.js';

/** The kind of a results column from the type name both engines share (`bigint`, `date`...); TEXT for any other. */
export function columnKind(dataType: string): ColumnType {
  const t = dataType.toLowerCase();
  if (t === 'bigint' || t === 'integer' || t === 'smallint' || t === 'int') return 'BIGINT';
  if (t === 'numeric' || t === 'decimal') return 'DECIMAL';
  if (t === 'double precision' || t === 'double' || t === 'real' || t === 'float') return 'DOUBLE';
  if (t.startsWith('timestamp') || t === 'datetime') return 'TIMESTAMP';
  if (t === 'date') return 'DATE';
  // MySQL's BOOLEAN is TINYINT(1); results tables use TINYINT for nothing else (integers are BIGINT).
  if (t === 'boolean' || t === 'tinyint') return 'BOOLEAN';
  return 'TEXT';
}

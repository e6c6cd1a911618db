import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../lib/results/resultsCursor.js';
import { csvField, csvHeader, csvRow, csvRowEncoder, jsonRow, jsonRowEncoder, jsonValue } from '../../lib/results/resultsEncoding.js';
import { parseResultsRequest } from '../../lib/results/readJobResults.js';

describe('results encoding', () => {
  it('keeps JSON values exact', () => {
    expect(jsonValue('BIGINT', '9223372036854775807')).toBe('9223372036854775807');
    expect(jsonValue('DECIMAL', '-0.000000001')).toBe('-0.000000001');
    expect(jsonValue('DOUBLE', '0.1')).toBe(0.1);
    expect(jsonValue('DOUBLE', '-1.5e+300')).toBe(-1.5e300);
    expect(jsonValue('DOUBLE', 'NaN')).toBe('NaN');
    expect(jsonValue('DOUBLE', '-Infinity')).toBe('-Infinity');
    expect(jsonValue('BOOLEAN', '1')).toBe(true);
    expect(jsonValue('BOOLEAN', '0')).toBe(false);
    expect(jsonValue('TIMESTAMP', '2024-02-29 23:59:59.5')).toBe('2024-02-29 23:59:59.5');
    expect(jsonValue('TEXT', null)).toBeNull();
    const cols = [{ name: 'a', type: 'BIGINT' as const }, { name: 'b', type: 'TEXT' as const }];
    expect(jsonRow(cols, ['1', 'x"\n\u2028'])).toBe('["1","x\\"\\n\u2028"]');
  });

  it('carries JSON and ARRAY values as JSON, digits and all, and bytes as hex strings', () => {
    const cols = [
      { name: 'j', type: 'JSON' as const },
      { name: 'a', type: 'ARRAY' as const },
      { name: 'b', type: 'BYTES' as const },
      { name: 't', type: 'TIME' as const },
    ];
    const doc = '{"n": 12345678901234567890.5, "s": "ñ\\t"}';
    const row = jsonRow(cols, [doc, '[1,null,[2]]', '\\x00ff', '-838:59:59.5']);
    expect(row).toBe(`[${doc},[1,null,[2]],"\\\\x00ff","-838:59:59.5"]`);
    expect(JSON.parse(row)).toEqual([{ n: 12345678901234567890.5, s: 'ñ\t' }, [1, null, [2]], '\\x00ff', '-838:59:59.5']);
    expect(jsonRow(cols, [null, null, null, null])).toBe('[null,null,null,null]');
    expect(csvRow(cols, [doc, '[1,2]', '\\x', null])).toBe(`"${doc.replaceAll('"', '""')}","[1,2]",\\x,\r\n`);
  });

  it('writes RFC 4180 CSV, NULL apart from the empty string', () => {
    expect(csvField('TEXT', null)).toBe('');
    expect(csvField('TEXT', '')).toBe('""');
    expect(csvField('TEXT', 'plain text')).toBe('plain text');
    expect(csvField('TEXT', 'a,b')).toBe('"a,b"');
    expect(csvField('TEXT', 'say "hi"')).toBe('"say ""hi"""');
    expect(csvField('TEXT', 'two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField('BOOLEAN', '1')).toBe('true');
    expect(csvField('BOOLEAN', '0')).toBe('false');
    const cols = [{ name: 'n,1', type: 'BIGINT' as const }, { name: 'b', type: 'BOOLEAN' as const }, { name: 't', type: 'TEXT' as const }];
    expect(csvHeader(cols)).toBe('"n,1",b,t\r\n');
    expect(csvRow(cols, ['1', null, ''])).toBe('1,,""\r\n');
  });

  it("neutralises formula cells the OWASP way: a leading ' inside quotes, for free text and column names only", () => {
    for (const formula of ['=1+1', '+1+1', '-2+3+cmd|\' /C calc\'!A0', '@SUM(A1)', '\tx', '\r=1', '=HYPERLINK("http://evil.example","x")']) {
      expect(csvField('TEXT', formula), formula).toBe(`"'${formula.replaceAll('"', '""')}"`);
    }
    expect(csvHeader([{ name: '=cmd()', type: 'TEXT' }])).toBe(`"'=cmd()"\r\n`);
    // Numbers are no formulas, in a TEXT column or not; typed values keep their form.
    for (const n of ['-1.5', '+3', '-2e10', '.5']) expect(csvField('TEXT', n)).toBe(n);
    expect(csvField('DECIMAL', '-12.50')).toBe('-12.50');
    expect(csvField('INTERVAL', '-1 day')).toBe('-1 day');
    expect(csvField('TIME', '-838:59:59.5')).toBe('-838:59:59.5');
    expect(csvField('TEXT', 'a=b')).toBe('a=b');
    // JSON answers carry the exact text.
    expect(jsonRow([{ name: 't', type: 'TEXT' }], ['=1+1'])).toBe('["=1+1"]');
  });

  it('encodes a page row by row exactly as jsonRow and csvRow do, reading values from an offset', () => {
    const kinds = ['BIGINT', 'DECIMAL', 'DOUBLE', 'BOOLEAN', 'DATE', 'TIMESTAMP', 'TIMESTAMPTZ', 'TIME', 'INTERVAL', 'JSON', 'BYTES', 'UUID', 'ARRAY', 'TEXT'] as const;
    const cols = kinds.map((type, i) => ({ name: `c${i}`, type }));
    const rows: (string | null)[][] = [
      ['-9223372036854775808', 'NaN', '1e-7', '1', '-infinity', '0044-03-15 12:00:00.5 BC', '2024-01-01 00:00:00+00', '-838:59:59.5', '-1 days +02:03:04', '{"a": [1, "\\u0001"]}\n', '\\x00ff', '0aa9e58d-7ec4-456e-a8d2-3a8d6076ee40', '[1,null]', '=x,"y"\r\n\u0001\u2028ñ😀'],
      ['0', '-0.000000001', 'Infinity', '0', '2024-02-29', '2024-02-29 23:59:59', '2024-02-29 23:59:59.123456+00', '00:00:00', '00:00:00', '1', '\\x', '00000000-0000-0000-0000-000000000000', '[]', ''],
      ['1', '1', '-0', '1', '2024-01-01', '2024-01-01 00:00:00', '2024-01-01 00:00:00+00', '24:00:00', '1 year', 'null', '\\x', '0aa9e58d-7ec4-456e-a8d2-3a8d6076ee40', '[[1]]', '-1.5'],
      ['2', '3', '1.7976931348623157e+308', null, null, null, null, null, null, null, null, null, null, null],
    ];
    const json = jsonRowEncoder(cols, 1);
    const csv = csvRowEncoder(cols, 1);
    for (const row of rows) {
      expect(json(['7', ...row])).toBe(jsonRow(cols, row));
      expect(csv(['7', ...row])).toBe(csvRow(cols, row));
      expect(jsonRowEncoder(cols)(row)).toBe(jsonRow(cols, row));
    }
    // Without JSON and ARRAY columns a row is encoded in one piece: the same text.
    const keep = (_: unknown, i: number) => kinds[i] !== 'JSON' && kinds[i] !== 'ARRAY';
    const plainCols = cols.filter(keep);
    const plain = jsonRowEncoder(plainCols, 1);
    for (const row of rows) expect(plain(['7', ...row.filter(keep)])).toBe(jsonRow(plainCols, row.filter(keep)));
    expect(json(['7', ...rows[0]!])).toContain('"=x,\\"y\\"\\r\\n\\u0001\u2028ñ😀"');
  });

  it('round-trips cursors and refuses anything else', () => {
    const c = { r: 12345, t: 'results_a-b:c', u: '0aa9e58d-7ec4-456e-a8d2-3a8d6076ee40' };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const bad of ['', '%%%', 'abc', b64({ r: 1.5, t: 'x', u: 'y' }), b64({ r: 1, t: 'x' }), b64({ r: 1, t: 'x', u: 'y', z: 1 }), b64(null), 'A'.repeat(600)]) {
      expect(() => decodeCursor(bad), bad).toThrow(/^cursor: not a cursor of this API/);
    }
  });

  it('parses limit and format', () => {
    expect(parseResultsRequest({})).toEqual({ limit: 1000, format: 'json' });
    expect(parseResultsRequest({ limit: '10000', format: 'CSV', cursor: 'x' })).toEqual({ limit: 10000, format: 'csv', cursor: 'x' });
    expect(parseResultsRequest({ accept: 'text/csv, application/json;q=0.5' }).format).toBe('csv');
    expect(parseResultsRequest({ accept: 'application/json', format: 'json' }).format).toBe('json');
    for (const limit of ['0', '-1', '10001', '1e3', ' 5', '0x10', '9999999']) {
      expect(() => parseResultsRequest({ limit }), limit).toThrow(/^limit: expected a whole number from 1 to 10000/);
    }
  });
});

describe('csvRowEncoder', () => {
  it('writes what csvRow writes, for every kind', () => {
    const kinds = ['BIGINT', 'DECIMAL', 'DOUBLE', 'BOOLEAN', 'DATE', 'TIMESTAMP', 'TIMESTAMPTZ', 'TIME', 'INTERVAL', 'JSON', 'BYTES', 'UUID', 'ARRAY', 'TEXT'] as const;
    const columns = kinds.map((type) => ({ name: type.toLowerCase(), type }));
    const encode = csvRowEncoder(columns);
    const rows: (string | null)[][] = [
      ['-9223372036854775808', '-0.000000001', 'NaN', '1', '2024-02-29', '2024-02-29 23:59:59.123456', '2024-02-29 23:59:59+00', '24:00:00', '-00:00:01', '{"a": "b,\\"c\\""}', '\\x00ff', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '[1,null]', '=cmd|x'],
      kinds.map(() => null),
      ['1', '1.5', '-Infinity', '0', '0001-01-01 BC', '1000-01-01 00:00:00', 'infinity', '00:00:00', '1 year 2 mons', 'null', '\\x', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '[]', 'a "quoted", line\r\nnext'],
      ['0', '0', '5e-324', null, null, null, null, null, '', '""', null, null, null, ''],
    ];
    for (const row of rows) expect(encode(row)).toBe(csvRow(columns, row));
  });
});

import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../lib/results/resultsCursor.js';
import { csvField, csvHeader, csvRow, jsonRow, jsonValue } from '../../lib/results/resultsEncoding.js';
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

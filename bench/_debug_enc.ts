import { encodeRow } from '../lib/db/encodeRows.js';
const SPECIAL = /[\\\t\n\r\0]/;
const SPECIAL_ALL = /[\\\t\n\r\0]/g;
const ESC: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0' };
function encodeRow2(row: (string | null)[], n: number): string {
  let plain = true;
  for (let i = 0; i < row.length; i++) { const v = row[i]; if (v == null || SPECIAL.test(v)) { plain = false; break; } }
  if (plain) return n + '\t' + row.join('\t') + '\n';
  let line = String(n);
  for (let i = 0; i < row.length; i++) { const v = row[i]; if (v == null) line += '\t\\N'; else if (SPECIAL.test(v)) line += '\t' + v.replace(SPECIAL_ALL, (c) => ESC[c] ?? c); else line += '\t' + v; }
  return line + '\n';
}
const rows: (string|null)[][] = [];
for (let i = 0; i < 1_000_000; i++) rows.push([String(i), (i * 1.37).toFixed(2), 'c4ca4238a0b923820dcc509a6f75849b ' + i, '2024-01-01 00:00:0' + (i % 10) + '.000123']);
for (let round = 0; round < 4; round++) {
  for (const [name, f] of [['v1', encodeRow], ['v2', encodeRow2]] as const) {
    const t = performance.now(); let acc = ''; let bytes = 0;
    for (let k = 0; k < rows.length; k++) { acc += f(rows[k]!, k + 1); if (acc.length > 65536) { bytes += Buffer.from(acc, 'utf8').length; acc = ''; } }
    console.log(name, (performance.now() - t).toFixed(0), 'ms', bytes);
  }
}

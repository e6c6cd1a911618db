import { encodeRow } from '../lib/db/encodeRows.js';
const rows: (string|null)[][] = [];
for (let i = 0; i < 1_000_000; i++) rows.push([String(i), (i * 1.37).toFixed(2), 'c4ca4238a0b923820dcc509a6f75849b ' + i, '2024-01-01 00:00:0' + (i % 10) + '.000123']);
const buf = Buffer.allocUnsafe(256 * 1024);
for (let round = 0; round < 3; round++) {
  let t = performance.now(); let off = 0; let n = 0;
  for (const r of rows) { const line = encodeRow(r, ++n); if (buf.length - off < line.length * 3) off = 0; off += buf.write(line, off, 'utf8'); }
  console.log('encodeRow+write', (performance.now() - t).toFixed(0), 'ms');
  t = performance.now(); n = 0; let total = 0;
  for (const r of rows) { const line = encodeRow(r, ++n); total += line.length; }
  console.log('encodeRow only', (performance.now() - t).toFixed(0), 'ms', total);
  t = performance.now(); off = 0; n = 0;
  for (const r of rows) { const line = `${++n}\t${r[0]}\t${r[1]}\t${r[2]}\t${r[3]}\n`; if (buf.length - off < line.length * 3) off = 0; off += buf.latin1Write(line, off); }
  console.log('template+latin1Write', (performance.now() - t).toFixed(0), 'ms');
}
for (let round = 0; round < 3; round++) {
  let t = performance.now(); let off = 0; let n = 0; let acc = ''; 
  for (const r of rows) { acc += encodeRow(r, ++n); if (acc.length > 65536) { if (buf.length - off < acc.length * 3) off = 0; off += buf.write(acc, off, 'utf8'); acc = ''; } }
  console.log('acc 64K + write', (performance.now() - t).toFixed(0), 'ms');
  t = performance.now(); off = 0; n = 0; let parts: string[] = []; let len = 0;
  for (const r of rows) { const l = encodeRow(r, ++n); parts.push(l); len += l.length; if (len > 65536) { const s = parts.join(''); if (buf.length - off < s.length * 3) off = 0; off += buf.write(s, off, 'utf8'); parts = []; len = 0; } }
  console.log('parts join 64K + write', (performance.now() - t).toFixed(0), 'ms');
}

/**
 * A strict RFC 4180 reader for tests: CRLF records, quoted fields with doubled
 * quotes. Each field is `{ text, quoted }` so a test can tell NULL (empty,
 * unquoted) from the empty string (`""`).
 */
export interface CsvField {
  text: string;
  quoted: boolean;
}

export function parseCsv(doc: string): CsvField[][] {
  const records: CsvField[][] = [];
  let i = 0;
  while (i < doc.length) {
    const record: CsvField[] = [];
    for (;;) {
      let text = '';
      let quoted = false;
      if (doc[i] === '"') {
        quoted = true;
        i++;
        for (;;) {
          const q = doc.indexOf('"', i);
          if (q < 0) throw new Error(`unterminated quoted field at ${i}`);
          text += doc.slice(i, q);
          if (doc[q + 1] === '"') {
            text += '"';
            i = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
      } else {
        let end = i;
        while (end < doc.length && doc[end] !== ',' && doc[end] !== '\r') {
          if (doc[end] === '"' || doc[end] === '\n') throw new Error(`bare ${JSON.stringify(doc[end])} in an unquoted field at ${end}`);
          end++;
        }
        text = doc.slice(i, end);
        i = end;
      }
      record.push({ text, quoted });
      if (doc[i] === ',') {
        i++;
        continue;
      }
      if (doc.startsWith('\r\n', i)) {
        i += 2;
        break;
      }
      throw new Error(`expected , or CRLF at ${i}, got ${JSON.stringify(doc.slice(i, i + 10))}`);
    }
    records.push(record);
  }
  return records;
}

import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

/** The files of a zip archive (stored or deflated entries), by name: enough for Lambda code packages. */
export function readZip(file: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of zipEntries(file)) files.set(entry.name, entry.data);
  return files;
}

/** Each file's Unix permission bits (0o755 for an executable), as the archive records them. */
export function zipModes(file: string): Map<string, number> {
  return new Map(zipEntries(file).map((entry) => [entry.name, entry.mode & 0o777]));
}

function zipEntries(file: string): { name: string; data: Buffer; mode: number }[] {
  const zip = readFileSync(file);
  // End of central directory: the last "PK\x05\x06" record.
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error(`${file}: not a zip archive`);
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const files: { name: string; data: Buffer; mode: number }[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`${file}: bad central directory`);
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(dataAt, dataAt + size);
    // External attributes: a Unix mode in the high 16 bits when the archive was made on Unix.
    const mode = zip.readUInt32LE(at + 38) >>> 16;
    if (!name.endsWith('/')) files.push({ name, data: method === 0 ? Buffer.from(data) : inflateRawSync(data), mode });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

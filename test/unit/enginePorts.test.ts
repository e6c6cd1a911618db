import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dialectFor } from '../../lib/db/dialects.js';
import { engineFor } from '../../lib/db/engines.js';

/**
 * Everything that differs between engines lives in its folder under lib/db and is
 * picked in one place (engines.ts, dialects.ts). These checks keep it so.
 */
const root = path.resolve(import.meta.dirname, '../..');
const ENGINE_FOLDERS = ['lib/db/postgres/', 'lib/db/mysql/'];
const PICKERS = ['lib/db/engines.ts', 'lib/db/dialects.ts'];

function sources(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const dir of ['lib', 'handlers']) {
    for (const entry of readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
      const file = path.relative(root, path.join(entry.parentPath, entry.name));
      if (ENGINE_FOLDERS.some((f) => file.startsWith(f)) || PICKERS.includes(file)) continue;
      out.push({ file, text: readFileSync(path.join(root, file), 'utf8') });
    }
  }
  return out;
}

/** Code without comments and string contents other than the engine names we look for. */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');

describe('engine ports', () => {
  it('no file outside an engine folder branches on the engine type', () => {
    const branching = /[!=]==?\s*['"](postgres|postgresql|mysql)['"]|['"](postgres|postgresql|mysql)['"]\s*[!=]==?|case\s+['"](postgres|mysql)['"]/;
    const offenders = sources()
      .filter(({ text }) => branching.test(code(text)))
      .map(({ file }) => file);
    expect(offenders).toEqual([]);
  });

  it('no file outside an engine folder loads a database driver', () => {
    const driver = /from\s+['"](pg|mysql2|mysql2\/promise|pg-copy-streams|pg-query-stream)['"]/;
    const offenders = sources()
      .filter(({ text }) => code(text).split('\n').some((line) => driver.test(line) && !/^\s*import\s+type\b/.test(line)))
      .map(({ file }) => file);
    expect(offenders).toEqual([]);
  });

  it('every configured type has an engine and a dialect of that type', () => {
    for (const type of ['postgres', 'mysql'] as const) {
      expect(engineFor(type).dialect).toBe(dialectFor(type));
      expect(dialectFor(type).type).toBe(type);
      expect(Object.keys(engineFor(type)).sort()).toEqual(['cancel', 'dialect', 'openSource', 'openWriter', 'prepare', 'tables']);
    }
    expect(() => engineFor('sqlite' as never)).toThrow(/unknown database type "sqlite"/);
    expect(() => dialectFor('toString' as never)).toThrow(/unknown database type/);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dialectFor } from '../../lib/db/dialects.js';
import { engineFor } from '../../lib/db/engines.js';

/**
 * Everything that differs between engines lives in its folder under lib/db and is
 * picked in one place (engines.ts, dialects.ts). These checks keep it so.
 *
 * Scanned: the product's code (lib, handlers, scripts). Allowed, and why:
 * - the engine folders (lib/db/postgres, lib/db/mysql): each knows its own
 *   engine's codes and names; that is what they are for;
 * - the engine registry (lib/db/engines.ts, lib/db/dialects.ts): it maps the
 *   type names to the folders, so it must name them. Config parsing of the
 *   `type` key needs no exception of its own: it asks the dialects
 *   (`dbTypeNamed`, each dialect's `names`).
 * Not scanned: test/ and bench/, whose fixtures and servers are engine by engine on purpose.
 */
const root = path.resolve(import.meta.dirname, '../..');
const ENGINE_FOLDERS = ['lib/db/postgres/', 'lib/db/mysql/'];
const PICKERS = ['lib/db/engines.ts', 'lib/db/dialects.ts'];
const SCANNED = ['lib', 'handlers', 'scripts'];

/**
 * What only an engine folder may write: each pattern with a line it must catch,
 * so a pattern that stops matching what it is for fails here rather than letting
 * an engine's detail back out of its folder.
 */
const ENGINE_DETAILS: { what: string; pattern: RegExp; caught: string }[] = [
  {
    what: 'a comparison with an engine type',
    pattern: /[!=]==?\s*['"`](postgres|postgresql|mysql|mariadb)['"`]|['"`](postgres|postgresql|mysql|mariadb)['"`]\s*[!=]==?|case\s+['"`](postgres|postgresql|mysql|mariadb)['"`]/,
    caught: "if (results.type === 'postgres') return;",
  },
  {
    what: "a PostgreSQL SQLSTATE (five letters and digits, at least one digit: '42P01', '57014')",
    pattern: /['"`](?=[A-Z]*[0-9])[0-9A-Z]{5}['"`]/,
    caught: "return e?.code === '42P01';",
  },
  {
    what: 'a MySQL/MariaDB errno compared (errno === 1146)',
    pattern: /\berrno\s*[!=]==?\s*\d|\b\d+\s*[!=]==?\s*[\w.?]*errno\b/,
    caught: 'return e?.errno === 1146;',
  },
  {
    what: 'a well-known MySQL/MariaDB errno (no such table, killed, statement timeout, lock wait, deadlock, server gone)',
    pattern: /\b(1146|1317|1969|3024|1205|1213|2006|2013)\b/,
    caught: 'const ERRNO = new Set([1146, 1317]);',
  },
  {
    what: "a mysql2 error code string ('ER_NO_SUCH_TABLE', 'PROTOCOL_CONNECTION_LOST')",
    pattern: /['"`](ER|CR|PROTOCOL)_[A-Z_]+['"`]/,
    caught: "if (e.code === 'ER_NO_SUCH_TABLE') return undefined;",
  },
];

function sources(dirs: readonly string[] = SCANNED): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const dir of dirs) {
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
  it.each(ENGINE_DETAILS)('no file outside an engine folder names $what', ({ pattern }) => {
    const offenders = sources()
      .flatMap(({ file, text }) => code(text).split('\n').filter((line) => pattern.test(line)).map((line) => `${file}: ${line.trim()}`));
    expect(offenders).toEqual([]);
  });

  it.each(ENGINE_DETAILS)('the rule against $what catches it', ({ pattern, caught }) => {
    expect(pattern.test(code(caught))).toBe(true);
  });

  it('no file outside an engine folder loads a database driver', () => {
    const driver = /from\s+['"](pg|mysql2|mysql2\/promise|pg-copy-streams|pg-query-stream)['"]/;
    // scripts/ may: it sets up the local servers (embedded PostgreSQL) with their drivers.
    const offenders = sources(['lib', 'handlers'])
      .filter(({ text }) => code(text).split('\n').some((line) => driver.test(line) && !/^\s*import\s+type\b/.test(line)))
      .map(({ file }) => file);
    expect(offenders).toEqual([]);
  });

  it('every configured type has an engine and a dialect of that type', () => {
    for (const type of ['postgres', 'mysql'] as const) {
      expect(engineFor(type).dialect).toBe(dialectFor(type));
      expect(dialectFor(type).type).toBe(type);
      expect(Object.keys(engineFor(type)).sort()).toEqual(['cancel', 'describe', 'dialect', 'estimate', 'explore', 'openSource', 'openWriter', 'prepare', 'resultsColumnType', 'tables', 'writeAccess']);
    }
    expect(() => engineFor('sqlite' as never)).toThrow(/unknown database type "sqlite"/);
    expect(() => dialectFor('toString' as never)).toThrow(/unknown database type/);
  });
});

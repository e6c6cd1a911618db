/**
 * `npm run build:console`: builds the console (Vite) into console/dist, unless
 * console/dist was built from the very same sources. `npm ci`, `npm start` and
 * `npm test` each ask for it, and a build takes seconds of CPU.
 *
 * The sources are every file under console/ (console/dist aside), the typed client's
 * sources it imports, and package-lock.json (the versions of Vite, Preact and Swagger
 * UI). Their sha256 is kept beside the build, in node_modules/.cache, and compared
 * before building. `--force` builds anyway.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'vite';

const ROOT = path.resolve(import.meta.dirname, '..');
const DIST = path.join(ROOT, 'console', 'dist');
const INPUTS = ['console', path.join('client', 'src'), 'package-lock.json'];
// One stamp per checkout: worktrees may share node_modules.
const STAMP = path.join(ROOT, 'node_modules', '.cache', 'sql-jobber', `console-${createHash('sha256').update(DIST).digest('hex').slice(0, 12)}.sha256`);

/** Every file under `rel` (or `rel` itself when a file), relative to `root`, in a stable order; console/dist and node_modules left out. */
function sourceFiles(root: string, rel: string): string[] {
  const abs = path.join(root, rel);
  if (!existsSync(abs) || rel === path.join('console', 'dist') || path.basename(rel) === 'node_modules') return [];
  if (!statSync(abs).isDirectory()) return [rel];
  return readdirSync(abs)
    .sort()
    .flatMap((name) => sourceFiles(root, path.join(rel, name)));
}

/** The sha256 of the console's sources under `root`: each file's path and bytes. */
export function consoleSourcesHash(root = ROOT): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((input) => sourceFiles(root, input))) {
    const bytes = readFileSync(path.join(root, file));
    hash.update(`${file.split(path.sep).join('/')}\0${bytes.length}\0`).update(bytes);
  }
  return hash.digest('hex');
}

async function main(): Promise<void> {
  const force = process.argv.includes('--force');
  const sources = consoleSourcesHash();
  const built = existsSync(path.join(DIST, 'index.html')) && existsSync(STAMP) ? readFileSync(STAMP, 'utf8').trim() : '';
  if (!force && built === sources) {
    console.log('console: console/dist is up to date with its sources (npm run build:console -- --force builds anyway)');
    return;
  }
  // A build that fails half-way must not leave a stamp that says the old one is current.
  rmSync(STAMP, { force: true });
  await build({ configFile: path.join(ROOT, 'console', 'vite.config.ts') });
  mkdirSync(path.dirname(STAMP), { recursive: true });
  writeFileSync(STAMP, `${sources}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}

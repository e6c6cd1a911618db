/**
 * `serverless package` of this service, offline, in a throwaway copy of it: the
 * copy gets its own config.toml and task files (the repository's are left alone)
 * and its own .esbuild work folder (so it can run beside `npm start` or the e2e
 * tests). node_modules is linked, not copied.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SERVICE_FILES = ['serverless.yml', 'serverless', 'handlers', 'lib', 'package.json', 'tsconfig.json'];

export interface PackageInput {
  /** config.toml text. */
  config: string;
  /** Task files: name (may hold a directory) → text, written under sql/. */
  tasks: Record<string, string>;
  stage?: string;
  /** Extra environment for `serverless package`. */
  env?: Record<string, string>;
}

export interface PackageOutput {
  /** Exit code of `serverless package`. */
  code: number;
  output: string;
  /** The packaged service copy and the artifacts directory within it. */
  dir: string;
  outDir: string;
  /** The CloudFormation template (undefined when packaging failed). */
  template?: { Resources: Record<string, { Type: string; Properties?: any; DependsOn?: unknown }> };
  /** Function key (as in serverless.yml) → zip path. */
  zips: Record<string, string>;
  remove(): void;
}

/** Packages a copy of the service with `input`'s config and tasks. */
export async function packageService(input: PackageInput): Promise<PackageOutput> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sqljobber-package-'));
  for (const f of SERVICE_FILES) cpSync(path.join(ROOT, f), path.join(dir, f), { recursive: true });
  // The console's built bundle (npm ci / npm test build it), which only its function packages.
  if (existsSync(path.join(ROOT, 'console/dist'))) cpSync(path.join(ROOT, 'console/dist'), path.join(dir, 'console/dist'), { recursive: true });
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  writeFileSync(path.join(dir, 'config.toml'), input.config);
  mkdirSync(path.join(dir, 'sql'));
  for (const [name, text] of Object.entries(input.tasks)) {
    // A name may hold a directory ("pg/reports.sql"), for several task directories.
    mkdirSync(path.dirname(path.join(dir, 'sql', name)), { recursive: true });
    writeFileSync(path.join(dir, 'sql', name), text);
  }
  const outDir = path.join(dir, 'out');

  // A deployment's environment: no local endpoints, no config overrides.
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('SQL_JOBBER_')) env[k] = v;
  Object.assign(env, { SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', ...input.env });

  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'node_modules/serverless/bin/serverless.js'), 'package', '--stage', input.stage ?? 'test', '--package', outDir],
    { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));

  const templateFile = path.join(outDir, 'cloudformation-template-update-stack.json');
  const template = code === 0 && existsSync(templateFile) ? JSON.parse(readFileSync(templateFile, 'utf8')) : undefined;
  const zips: Record<string, string> = {};
  if (existsSync(outDir)) for (const f of readdirSync(outDir)) if (f.endsWith('.zip')) zips[f.slice(0, -4)] = path.join(outDir, f);
  return { code, output, dir, outDir, template, zips, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

import { createRequire } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const ROOT = path.resolve(import.meta.dirname, '../..');
const HANDLER_DIRS = ['handlers', path.join('handlers', 'http')];
/** A function's entry file says `export const handler` (or a function of that name). */
const EXPORTS_HANDLER = /export\s+(const|async function|function)\s+handler\b|export\s*\{[^}]*\bhandler\b/;

/** The handler files of every function (lib/deploy/serviceDefinition.ts names them), relative to the service directory. */
export function handlerEntries(root = ROOT): string[] {
  return HANDLER_DIRS.flatMap((dir) =>
    readdirSync(path.join(root, dir))
      .filter((f) => f.endsWith('.ts') && EXPORTS_HANDLER.test(readFileSync(path.join(root, dir, f), 'utf8')))
      .map((f) => path.join(dir, f)),
  );
}

/**
 * Builds every function's bundle once, with serverless.yml's esbuild options
 * (serverless/esbuild.cjs), into `outDir` laid out as serverless-esbuild lays out
 * its `.build` folder (`handlers/http/getJob.mjs`). A local stack given this folder
 * (LocalStackOptions.prebuiltBundles) starts serverless offline on it without
 * building: the test kit builds once per run instead of once per stack.
 */
export async function prebuildBundles(outDir: string): Promise<void> {
  const { options } = createRequire(import.meta.url)(path.join(ROOT, 'serverless', 'esbuild.cjs'));
  const { exclude, outputFileExtension, outputWorkFolder: _work, watch: _watch, ...esbuildOptions } = options();
  await build({
    ...esbuildOptions,
    absWorkingDir: ROOT,
    entryPoints: handlerEntries(),
    outbase: ROOT,
    outdir: outDir,
    external: exclude,
    outExtension: { '.js': outputFileExtension },
    logLevel: 'warning',
  });
}

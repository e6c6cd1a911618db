/**
 * What a handler's code calls, found statically: the project modules esbuild puts
 * in the handler's bundle, scanned for calls on the job store, the group store
 * and the job queue (`store.get(`, `deps.groups.addFinished(`, `queue.send(`), and
 * whether it bundles the database pools. It over-approximates (a bundled module
 * may hold code this handler never runs) and never under-approximates as long as
 * the stores are reached as `store` / `groups` / `queue`, which is the house style.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

export interface HandlerCalls {
  jobs: string[];
  groups: string[];
  queue: string[];
  /** Calls on the completion events' announcer (`notify.announce(`). */
  notify: string[];
  /** Calls on the result reuse pointers (`reuse.get(`). */
  reuse: string[];
  databases: boolean;
  /** Project files in the bundle, relative to the root. */
  modules: string[];
}

const STORE_FILES = ['lib/jobs/jobStore.ts', 'lib/groups/groupStore.ts', 'lib/jobs/jobQueue.ts'];
const CALL = /\b(store|groups|queue|notify|reuse)\??\.(\w+)\(/g;

/** Calls made by the handler module `entry` (a path relative to `root`, e.g. handlers/worker.ts). */
export async function handlerCalls(root: string, entry: string): Promise<HandlerCalls> {
  const out = await build({
    entryPoints: [path.join(root, entry)],
    absWorkingDir: root,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile: 'out.mjs',
    logLevel: 'silent',
  });
  const inputs = Object.values(out.metafile.outputs)[0]!.inputs;
  const modules = Object.entries(inputs)
    .filter(([file, { bytesInOutput }]) => bytesInOutput > 0 && !file.includes('node_modules'))
    .map(([file]) => file)
    .sort();
  const found = { store: new Set<string>(), groups: new Set<string>(), queue: new Set<string>(), notify: new Set<string>(), reuse: new Set<string>() };
  for (const file of modules) {
    if (STORE_FILES.includes(file)) continue;
    const text = readFileSync(path.join(root, file), 'utf8');
    for (const [, target, method] of text.matchAll(CALL)) found[target as keyof typeof found].add(method!);
  }
  return {
    jobs: [...found.store].sort(),
    groups: [...found.groups].sort(),
    queue: [...found.queue].filter((m) => m === 'send' || m === 'counts').sort(),
    notify: [...found.notify].sort(),
    reuse: [...found.reuse].sort(),
    databases: modules.includes('lib/db/createDbPools.ts'),
    modules,
  };
}

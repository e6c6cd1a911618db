/**
 * What a handler's code calls, found statically: the project modules esbuild puts
 * in the handler's bundle, scanned for calls on the stores (`store.get(`,
 * `deps.groups.addFinished(`, `queue.send(`, `reuse.take(`, `notify.announce(`,
 * `notifyQueue.send(`, `sinks.sns?.(`), and
 * whether it bundles the database pools. It over-approximates (a bundled module
 * may hold code this handler never runs) and never under-approximates as long as
 * the stores are reached by those names, which is the house style.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

export interface HandlerCalls {
  jobs: string[];
  groups: string[];
  queue: string[];
  /** Calls on the completion events' queue (`notify.announce(`, `notifyQueue.send(`). */
  notify: string[];
  /** Event sinks published to (`sinks.sns?.(`). */
  sinks: string[];
  /** Calls on the result reuse pointers (`reuse.get(`). */
  reuse: string[];
  /** Calls on the export bucket (`exportStore.upload(`). */
  exports: string[];
  /** Calls on the schedules' store (`schedules.get(`). */
  schedules: string[];
  /** Calls on the completion events' delivery records (`deliveries.record(`). */
  deliveries: string[];
  databases: boolean;
  /** Project files in the bundle, relative to the root. */
  modules: string[];
}

const STORE_FILES = ['lib/export/exportStore.ts', 'lib/jobs/jobStore.ts', 'lib/groups/groupStore.ts', 'lib/jobs/jobQueue.ts', 'lib/reuse/reusePointers.ts', 'lib/notify/notifyQueue.ts', 'lib/notify/eventSinks.ts', 'lib/schedules/scheduleStore.ts', 'lib/notify/deliveryRecords.ts'];
const CALL = /\b(store|groups|queue|notify|notifyQueue|reuse|exportStore|schedules|deliveries)\??\.(\w+)\(/g;
const SINK_CALL = /\bsinks\??\.(\w+)\??\.?\(/g;

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
  const found = { store: new Set<string>(), groups: new Set<string>(), queue: new Set<string>(), notify: new Set<string>(), reuse: new Set<string>(), sinks: new Set<string>(), exportStore: new Set<string>(), schedules: new Set<string>(), deliveries: new Set<string>() };
  for (const file of modules) {
    if (STORE_FILES.includes(file)) continue;
    const text = readFileSync(path.join(root, file), 'utf8');
    for (const [, target, method] of text.matchAll(CALL)) found[target === 'notifyQueue' ? 'notify' : (target as keyof typeof found)].add(method!);
    for (const [, sink] of text.matchAll(SINK_CALL)) found.sinks.add(sink!);
  }
  return {
    jobs: [...found.store].sort(),
    groups: [...found.groups].sort(),
    queue: [...found.queue].sort(),
    notify: [...found.notify].sort(),
    sinks: [...found.sinks].sort(),
    reuse: [...found.reuse].sort(),
    exports: [...found.exportStore].sort(),
    schedules: [...found.schedules].sort(),
    deliveries: [...found.deliveries].sort(),
    databases: modules.includes('lib/db/createDbPools.ts'),
    modules,
  };
}

#!/usr/bin/env node
// `npx sql-jobber [--config PATH] [--sql-directory DIR ...] [--port N]`: the local
// stack, exactly as `npm start`. npx runs this file under whatever Node it finds
// (often the system's, which may be older than the product needs), so it is plain
// JavaScript that only re-runs scripts/start.ts under Node 22+: the running one if
// it is recent enough, else the project's own (the `node` dev dependency).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const projectNode = join(root, 'node_modules', 'node', 'bin', 'node');
const recent = Number(process.versions.node.split('.')[0]) >= 22;
const node = recent ? process.execPath : projectNode;
const tsx = join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs');
if (!existsSync(node) || !existsSync(tsx)) {
  console.error(`sql-jobber: run "npm ci" in ${root} first (it brings Node 24 and tsx); this is Node ${process.versions.node}`);
  process.exit(1);
}

const child = spawn(node, ['--import', tsx, join(root, 'scripts', 'start.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
// Ctrl-C reaches the child too (same process group); it stops the stack in order,
// and this process waits for it. A signal sent to this process alone is passed on.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (child.exitCode === null) child.kill(signal);
  });
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
child.on('error', (err) => {
  console.error(`sql-jobber: cannot run ${node}: ${err.message}`);
  process.exit(1);
});

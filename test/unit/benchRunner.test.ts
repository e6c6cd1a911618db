/** `npm run bench` knows every benchmark in bench/ and refuses names it does not know. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const bench = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], { cwd: root, encoding: 'utf8' });

describe('npm run bench', () => {
  it('lists every benchmark file of bench/, each of which exists', () => {
    const listed = execFileSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--list'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => /bench\/(\S+):/.exec(l)![1]!);
    for (const file of listed) expect(existsSync(path.join(root, 'bench', file)), file).toBe(true);
    for (const file of readdirSync(path.join(root, 'bench')).filter((f) => f.endsWith('.bench.ts'))) expect(listed).toContain(file);
  });

  it('refuses an unknown name with the known ones', () => {
    const run = bench('nope');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('unknown benchmark "nope"; one of: awsCalls, latency');
  });
});

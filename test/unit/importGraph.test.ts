/**
 * The layering holds: .dependency-cruiser.cjs names the rules (no circles, jobs never
 * import groups or the use cases above them, adapters beside their records, drivers
 * only in the engine folders, the AWS SDK only in stores and queues), and this test
 * runs them over the code as it is, so a picture of the structure cannot drift.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
// Run with this process's Node (the project's 24): the CLI refuses the system Node 20.
const depcruise = path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs');
const cruise = (...args: string[]) =>
  spawnSync(process.execPath, [depcruise, '--config', '.dependency-cruiser.cjs', '--output-type', 'err', ...args], { cwd: root, encoding: 'utf8' });

describe('the import graph', () => {
  it('keeps every layering rule over lib, handlers, scripts and bench', () => {
    const run = cruise('lib', 'handlers', 'scripts', 'bench');
    expect(run.stdout + run.stderr, 'dependency violations').not.toMatch(/error /);
    expect(run.status).toBe(0);
  });

  it('catches a violation (the rules are live, not vacuous)', () => {
    // A scratch tree with the same rules, where lib/jobs imports a group module.
    const dir = mkdtempSync(path.join(tmpdir(), 'import-rules-'));
    try {
      mkdirSync(path.join(dir, 'lib/jobs'), { recursive: true });
      mkdirSync(path.join(dir, 'lib/groups'), { recursive: true });
      copyFileSync(path.join(root, '.dependency-cruiser.cjs'), path.join(dir, '.dependency-cruiser.cjs'));
      copyFileSync(path.join(root, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
      writeFileSync(path.join(dir, 'lib/groups/types.ts'), 'export const group = 1;\n');
      writeFileSync(path.join(dir, 'lib/jobs/probe.ts'), "import { group } from '../groups/types.js';\nexport const probe = group;\n");
      const run = spawnSync(process.execPath, [depcruise, '--config', '.dependency-cruiser.cjs', '--output-type', 'err', 'lib'], { cwd: dir, encoding: 'utf8' });
      expect(run.stdout).toContain('jobs-not-into-groups: lib/jobs/probe.ts → lib/groups/types.ts');
      expect(run.status).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

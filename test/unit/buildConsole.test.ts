import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { consoleSourcesHash } from '../../scripts/buildConsole.js';
import { scratchDir } from '../support/scratchDir.js';

/** A checkout with the console's inputs, and a built console/dist. */
function checkout(): string {
  const root = scratchDir('console-sources-');
  for (const dir of ['console/src', 'console/dist', 'console/node_modules', 'client/src']) mkdirSync(path.join(root, dir), { recursive: true });
  writeFileSync(path.join(root, 'console/src/app.tsx'), 'export const app = 1;\n');
  writeFileSync(path.join(root, 'console/index.html'), '<div id="app"></div>\n');
  writeFileSync(path.join(root, 'console/dist/index.html'), '<built>\n');
  writeFileSync(path.join(root, 'client/src/index.ts'), 'export const client = 1;\n');
  writeFileSync(path.join(root, 'package-lock.json'), '{"lockfileVersion":3}\n');
  return root;
}

describe('npm run build:console builds only when the console was built from other sources', () => {
  it('sees a change to a console source, a client source, the lockfile, and a renamed file', () => {
    const root = checkout();
    const before = consoleSourcesHash(root);
    expect(consoleSourcesHash(root)).toBe(before);
    const changes: [string, () => void][] = [
      ['console source', () => writeFileSync(path.join(root, 'console/src/app.tsx'), 'export const app = 2;\n')],
      ['client source', () => writeFileSync(path.join(root, 'client/src/index.ts'), 'export const client = 2;\n')],
      ['lockfile', () => writeFileSync(path.join(root, 'package-lock.json'), '{"lockfileVersion":3,"x":1}\n')],
      ['renamed file', () => renameSync(path.join(root, 'console/src/app.tsx'), path.join(root, 'console/src/app2.tsx'))],
      ['new file', () => writeFileSync(path.join(root, 'console/src/extra.ts'), '\n')],
    ];
    let last = before;
    for (const [what, change] of changes) {
      change();
      const now = consoleSourcesHash(root);
      expect(now, what).not.toBe(last);
      last = now;
    }
  });

  it('ignores the build itself and node_modules', () => {
    const root = checkout();
    const before = consoleSourcesHash(root);
    writeFileSync(path.join(root, 'console/dist/index.html'), '<built again>\n');
    writeFileSync(path.join(root, 'console/dist/extra.js'), '1\n');
    writeFileSync(path.join(root, 'console/node_modules/x.js'), '1\n');
    expect(consoleSourcesHash(root)).toBe(before);
  });
});

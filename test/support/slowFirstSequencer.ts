import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Test folders, slowest first: e2e files start a whole local stack each; unit files take a second. */
const FOLDERS = ['test/e2e/', 'test/integration/', 'test/deploy/', 'test/unit/'];

const rank = (spec: TestSpecification, root: string) => {
  const file = path.relative(root, spec.moduleId).split(path.sep).join('/');
  const i = FOLDERS.findIndex((folder) => file.startsWith(folder));
  return i === -1 ? FOLDERS.length : i;
};

/**
 * vitest's own order (failed first, then longest first, from the durations of the last
 * run), except for files it has no durations of, as on a fresh clone, where it keeps
 * the glob's order: those go slowest folder first, so that two workers do not end on
 * one long end-to-end file while the other sits idle.
 */
export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root;
    const known = (spec: TestSpecification) => this.ctx.cache.getFileTestResults(`${spec.project.name}:${path.relative(root, spec.moduleId)}`) !== undefined;
    // Array sort is stable: among files of one rank, vitest's order holds.
    return sorted.every(known) ? sorted : [...sorted].sort((a, b) => rank(a, root) - rank(b, root));
  }
}

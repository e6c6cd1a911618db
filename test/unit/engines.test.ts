/**
 * `npm ci` runs on whatever Node the machine has (Debian's is 20), while the scripts
 * run on the project's own Node (the `node` dev dependency, first on PATH in npm
 * scripts). So our `engines` admits every Node that npm itself runs on.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

function npmCliPackage(): { engines: { node: string } } {
  const cli = process.env.npm_execpath ?? realpathSync(execFileSync('sh', ['-c', 'command -v npm']).toString().trim());
  let dir = path.dirname(cli);
  while (!readFileSafe(path.join(dir, 'package.json'))?.includes('"name": "npm"')) dir = path.dirname(dir);
  return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
}

function readFileSafe(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

type Version = [number, number, number];
const version = (text: string): Version => {
  const [major = 0, minor = 0, patch = 0] = text.replace(/^v/, '').split('.').map(Number);
  return [major, minor, patch];
};
const atLeast = (a: Version, b: Version) => a[0] !== b[0] ? a[0] > b[0] : a[1] !== b[1] ? a[1] > b[1] : a[2] >= b[2];
/** Our range is one lower bound, `>=X[.Y[.Z]]`. */
function lowerBound(range: string): Version {
  const m = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(range.trim());
  if (!m) throw new Error(`engines.node should be a single lower bound such as ">=20", got "${range}"`);
  return version(m[1]!);
}
/** The lowest version of each alternative of a range such as "^20.17.0 || >=22.9.0". */
const lowestOf = (range: string): Version[] => range.split('||').map((alt) => version(/\d+(?:\.\d+){0,2}/.exec(alt)![0]));

describe('engines', () => {
  it('admits every Node the installed npm runs on, and the system Node', () => {
    const npmRange = npmCliPackage().engines.node;
    const ours = lowerBound(pkg.engines.node);
    for (const lowest of lowestOf(npmRange)) expect(atLeast(lowest, ours), `npm runs on ${npmRange}; engines says ${pkg.engines.node}`).toBe(true);
    const systemNode = execFileSync('/usr/bin/node', ['--version']).toString().trim();
    expect(atLeast(version(systemNode), ours), `system Node ${systemNode}`).toBe(true);
  });

  it('runs the scripts on the project Node 24, the Lambda runtime', () => {
    expect(pkg.devDependencies.node).toMatch(/^\^24\./);
    expect(readFileSync(path.join(root, 'serverless.yml'), 'utf8')).toContain('runtime: nodejs24.x');
    expect(process.versions.node.split('.')[0]).toBe('24');
    const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
    expect(lock.packages[''].engines).toEqual(pkg.engines);
  });
});

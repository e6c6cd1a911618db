/**
 * The command line of `npx sql-jobber`, `npm start` and `npm run check`:
 * dungbeetle's flags that still mean something, one-line answers for the rest.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError, parseCliOptions } from '../../scripts/cliOptions.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('parseCliOptions', () => {
  it('reads --config, repeated --sql-directory and --port', () => {
    expect(parseCliOptions(['--config', 'conf/app.toml', '--sql-directory', 'sql/pg', '--sql-directory=sql/extra', '--port', '6464'])).toEqual({
      kind: 'run',
      configPath: 'conf/app.toml',
      sqlDirs: ['sql/pg', 'sql/extra'],
      port: 6464,
    });
    expect(parseCliOptions([])).toEqual({ kind: 'run' });
  });

  it("takes the port of dungbeetle's --server HOST:PORT", () => {
    expect(parseCliOptions(['--server', '127.0.0.1:7070'])).toEqual({ kind: 'run', port: 7070 });
    expect(() => parseCliOptions(['--server', '10.0.0.5:7070'])).toThrow('--server: the local API listens on 127.0.0.1 only; give --port 7070');
  });

  it('answers each dungbeetle flag that has no place here with one line saying what to do instead', () => {
    const answer = parseCliOptions(['--queue-name', 'high', '--worker-concurrency', '30', '--worker-only']);
    expect(answer.kind).toBe('refused');
    const lines = answer.kind === 'refused' ? answer.lines : [];
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^--queue-name: .*"-- queue:" tag.*\[queues\.NAME\]/);
    expect(lines[1]).toMatch(/^--worker-concurrency: .*"-- conc: N".*\[queues\.NAME\]/);
    expect(lines[2]).toMatch(/^--worker-only: .*worker function/);
    for (const line of lines) expect(line).not.toContain('\n');
    expect(parseCliOptions(['--queue', 'x'])).toMatchObject({ kind: 'refused' });
  });

  it('lists the flags on --help, for start and for check', () => {
    const start = parseCliOptions(['--help']);
    expect(start.kind).toBe('help');
    for (const flag of ['--config PATH', '--sql-directory DIR', '--port N', '--worker-only']) expect(start.kind === 'help' && start.text).toContain(flag);
    const check = parseCliOptions(['-h'], 'check');
    expect(check.kind === 'help' && check.text).toMatch(/^Usage: npm run check/);
  });

  it.each([
    [['--bogus'], "Unknown option '--bogus'; see --help"],
    [['--config'], "Option '--config <value>' argument missing; see --help"],
    [['--port', '0'], '--port: expected a port from 1 to 65535 (got "0")'],
    [['--port', 'http'], '--port: expected a port from 1 to 65535 (got "http")'],
    [['stray'], "Unexpected argument 'stray'. This command does not take positional arguments; see --help"],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCliOptions(argv)).toThrow(CliError);
    expect(() => parseCliOptions(argv)).toThrow(message);
  });

  it('refuses --port for npm run check', () => {
    expect(() => parseCliOptions(['--port', '1'], 'check')).toThrow('--port and --server are for starting the stack');
  });
});

describe('bin/sql-jobber.js', () => {
  // npx runs the bin under whatever Node it finds; the system's may be older than 22.
  it.each([['the Node running the tests', process.execPath], ['the system Node', '/usr/bin/node']])('answers --help under %s', (_, node) => {
    const out = spawnSync(node, [path.join(ROOT, 'bin/sql-jobber.js'), '--help'], { cwd: '/', encoding: 'utf8', timeout: 30_000 });
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/^Usage: sql-jobber \[options\]/);
  });

  it('exits 2 with the one-line answers for --worker-only', () => {
    const out = spawnSync('/usr/bin/node', [path.join(ROOT, 'bin/sql-jobber.js'), '--worker-only'], { encoding: 'utf8', timeout: 30_000 });
    expect(out.status).toBe(2);
    expect(out.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^sql-jobber: --worker-only: /)]);
  });
});

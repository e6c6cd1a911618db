import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/config/loadConfig.js';
import { ConfigError } from '../../lib/errors.js';
import { loadTasks } from '../../lib/tasks/loadTasks.js';
import { scratchDir } from '../support/scratchDir.js';

const DBS = '[db.main]\ntype = "postgres"\ndsn = "dbname=main"\n[results.res]\ntype = "postgres"\ndsn = "dbname=res"\n';

function problems(toml: string): string[] {
  try {
    parseConfig(toml, 'config.toml', {});
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected the config to be refused');
}

describe('[export]', () => {
  it('is off without a bucket', () => {
    expect(parseConfig('', 'config.toml', {}).export).toBeUndefined();
  });

  it('reads the bucket, a prefix (always ending with /) and url_ttl', () => {
    expect(parseConfig('[export]\nbucket = "acme-exports"\nprefix = "reports"\nurl_ttl = "1h"\n', 'c', {}).export).toEqual({ bucket: 'acme-exports', prefix: 'reports/', urlTtlS: 3600 });
    expect(parseConfig('[export]\nbucket = "acme-exports"\n', 'c', {}).export).toEqual({ bucket: 'acme-exports', prefix: 'exports/', urlTtlS: 900 });
  });

  it('names each bad key', () => {
    expect(problems('[export]\nbucket = "Acme_Exports"\nprefix = "/abs"\nregion = "x"\n')).toEqual([
      expect.stringMatching(/^export\.bucket: expected an S3 bucket name/),
      expect.stringMatching(/^export\.prefix: expected up to 200 printable ASCII/),
      expect.stringMatching(/region/),
    ]);
    expect(problems('[export]\nbucket = "acme-exports"\nurl_ttl = "8d"\n')).toEqual([expect.stringMatching(/^export\.url_ttl: expected whole seconds from 1s to 7 days/)]);
    expect(problems('[export]\nurl_ttl = "1h"\n')).toEqual([expect.stringMatching(/^export\.url_ttl: is only used with export\.bucket/)]);
  });
});

describe('the export task tag', () => {
  const dirWith = (text: string) => {
    const dir = scratchDir('sqljobber-export-tag-');
    writeFileSync(join(dir, 'a.sql'), text);
    return dir;
  };

  it('sets the format and compression of every job of the task', () => {
    const tasks = loadTasks(dirWith('-- name: t\n-- export: Parquet none\nSELECT 1'), parseConfig(`${DBS}[export]\nbucket = "b-x"\n`, 'c', {}));
    expect(tasks.get('t')!.export).toEqual({ format: 'parquet', compression: 'none', part_rows: 1_000_000 });
  });

  it.each([
    ['-- name: t\n-- export: xlsx\nSELECT 1', '[export]\nbucket = "b-x"\n', /a\.sql:1: tag "export" must be a format \(csv, jsonl or parquet\)/],
    ['-- name: t\n-- export: csv zip\nSELECT 1', '[export]\nbucket = "b-x"\n', /a\.sql:1: tag "export" must be a format/],
    ['-- name: t\n-- export: csv\nSELECT 1', '', /a\.sql:1: tag "export" needs an export bucket/],
  ])('refuses %j naming the file and line', (text, extra, problem) => {
    try {
      loadTasks(dirWith(text), parseConfig(DBS + extra, 'c', {}));
      throw new Error('expected the task file to be refused');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems).toContainEqual(expect.stringMatching(problem));
    }
  });
});

/** A misspelt config key is one problem: "unknown key", without an echo of "is required" for the key it meant. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/config/loadConfig.js';
import { ConfigError } from '../../lib/errors.js';

function problems(text: string): string[] {
  try {
    parseConfig(text, 'config.toml', {});
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('a typo in a key', () => {
  it.each([
    ['[api]\nauth = "jwt"\njwt_isuer = "https://issuer.example"\njwt_audience = "app"', 'api.jwt_isuer: unknown key'],
    ['[api]\nauth = "jwt"\njwt_issuer = "https://issuer.example"\njwt_audiance = "app"', 'api.jwt_audiance: unknown key'],
    ['[db.main]\ntyp = "postgres"\ndsn = "postgres://h/d"\n[results.r]\ntype = "postgres"\ndsn = "postgres://h/r"', 'db.main.typ: unknown key'],
    ['[db.main]\ntype = "postgres"\ndns = "postgres://h/d"\n[results.r]\ntype = "postgres"\ndsn = "postgres://h/r"', 'db.main.dns: unknown key'],
  ])('%j gives one problem', (text, expected) => {
    const found = problems(text);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(expected);
  });

  it('still reports a required key that is simply missing', () => {
    expect(problems('[api]\nauth = "jwt"\njwt_issuer = "https://issuer.example"')).toEqual(['api.jwt_audience: is required when auth = "jwt"']);
    expect(problems('[db.main]\ntype = "postgres"')).toEqual(['db.main.dsn: is required (a string)']);
  });
});

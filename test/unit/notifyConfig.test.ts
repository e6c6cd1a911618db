import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/config/loadConfig.js';
import { notifyEnabled } from '../../lib/config/notifyConfig.js';
import { ConfigError } from '../../lib/errors.js';
import { signWebhook, verifyWebhook } from '../../lib/notify/signWebhook.js';
import { webhookBackoffSeconds } from '../../lib/notify/deliverWebhook.js';

function problems(toml: string, deploy = false): string[] {
  try {
    parseConfig(toml, 'config.toml', {}, { deploy });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected the config to be refused');
}

describe('[notify]', () => {
  it('is off by default', () => {
    const c = parseConfig('', 'config.toml', {});
    expect(c.notify).toEqual({ webhooks: [], sns: false, eventbridge: false, retryForMs: 24 * 3600 * 1000 });
    expect(notifyEnabled(c.notify)).toBe(false);
  });

  it('reads webhooks, a literal secret, sns, eventbridge and retry_for', () => {
    const c = parseConfig('[notify]\nwebhooks = ["https://a.example/h", "http://127.0.0.1:9/x"]\nwebhook_secret = "s"\nsns = true\neventbridge = true\nretry_for = "30m"\n', 'config.toml', {});
    expect(c.notify).toEqual({ webhooks: ['https://a.example/h', 'http://127.0.0.1:9/x'], webhookSecret: 's', sns: true, eventbridge: true, retryForMs: 1_800_000 });
    expect(notifyEnabled(c.notify)).toBe(true);
  });

  it('reads a secret reference, which a deployment requires', () => {
    const toml = '[notify]\nwebhooks = ["https://a.example/h"]\nwebhook_secret = "${secretsmanager:sqljobber/webhook}"\n';
    const c = parseConfig(toml, 'config.toml', {}, { deploy: true });
    expect(c.notify.webhookSecretRef).toEqual({ ref: 'secretsmanager:sqljobber/webhook', source: 'secretsmanager', name: 'sqljobber/webhook' });
    expect(c.notify.webhookSecret).toBeUndefined();
    // The webhook secret is not a dsn secret: the database functions do not read it.
    expect(c.secretRefs).toEqual([]);
    expect(problems('[notify]\nwebhooks = ["https://a.example/h"]\nwebhook_secret = "literal"\n', true)).toEqual([
      expect.stringMatching(/^notify\.webhook_secret: a literal would ship/),
    ]);
  });

  it.each([
    ['webhooks = ["https://a.example/h"]', /^notify\.webhook_secret: is required when notify\.webhooks is set/],
    ['webhooks = ["ftp://a.example/h"]\nwebhook_secret = "s"', /^notify\.webhooks\.0: expected http:\/\/ or https:\/\/ URLs/],
    ['webhooks = "https://a.example/h"\nwebhook_secret = "s"', /^notify\.webhooks: expected a list/],
    ['retry_for = "25h"', /^notify\.retry_for: expected a duration from 1s to 24h/],
    ['sns = "yes"', /^notify\.sns: expected true or false/],
    ['webhook_secret = "x${ssm:/a}"', /^notify\.webhook_secret: expected a literal or exactly one/],
    ['webhook_secret = "${ssm:bad name}"', /^notify\.webhook_secret: /],
    ['bogus = 1', /^notify\.bogus: unknown key/],
  ])('refuses %j', (body, problem) => {
    expect(problems(`[notify]\n${body}\n`)).toEqual([expect.stringMatching(problem)]);
  });

  it('keeps the queue name "notify" for the completion events', () => {
    expect(problems('[queues.notify]\n')).toEqual([expect.stringMatching(/^queues\.notify: the name is taken/)]);
  });
});

describe('webhook signature', () => {
  it('is t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">', () => {
    // Computed independently: printf '%s' '1700000000.{"id":"x"}' | openssl dgst -sha256 -hmac whsec
    expect(signWebhook('whsec', '{"id":"x"}', 1_700_000_000)).toBe('t=1700000000,v1=53c863f98a429b819c35087cf6e3f9bcad57da8addfbf41135fafcb6ba9ab225');
  });

  it('verifies only the same body, secret and a recent timestamp', () => {
    const now = 1_700_000_000_000;
    const header = signWebhook('k', 'body', now / 1000);
    expect(verifyWebhook('k', 'body', header, 300, now)).toBe(true);
    expect(verifyWebhook('k', 'body!', header, 300, now)).toBe(false);
    expect(verifyWebhook('K', 'body', header, 300, now)).toBe(false);
    expect(verifyWebhook('k', 'body', header, 300, now + 301_000)).toBe(false);
    expect(verifyWebhook('k', 'body', 'garbage', 300, now)).toBe(false);
  });
});

describe('webhook retries', () => {
  it('retry first within 10 s, then longer, then every 15 min (SQS delays at most 900 s)', () => {
    expect(webhookBackoffSeconds(1)).toBeLessThanOrEqual(10);
    const steps = Array.from({ length: 8 }, (_, i) => webhookBackoffSeconds(i + 1));
    for (let i = 1; i < steps.length; i++) expect(steps[i]).toBeGreaterThanOrEqual(steps[i - 1]!);
    expect(Math.max(...steps)).toBe(900);
    // Deliveries over 24 h: about a hundred.
    let t = 0;
    let n = 0;
    while (t < 24 * 3600) t += webhookBackoffSeconds(++n);
    expect(n).toBeLessThan(110);
  });
});

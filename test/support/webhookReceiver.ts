import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedHook {
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, as signed. */
  body: string;
  /** The status this receiver answered. */
  answered: number;
  at: number;
}

/**
 * A local webhook receiver: records every POST and answers what `answer` says for
 * it (default 200). Tests make it refuse (5xx) to see retries and dead letters.
 */
export async function startWebhookReceiver() {
  const received: ReceivedHook[] = [];
  let answer: (hook: Omit<ReceivedHook, 'answered'>) => number = () => 200;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const hook = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      const status = answer(hook);
      received.push({ ...hook, answered: status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'refused');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    /** Bodies parsed, with their hook. */
    events: () => received.map((h) => ({ hook: h, event: JSON.parse(h.body) as { id: string; type: string; time: string; job?: any; group?: any } })),
    setAnswer(fn: typeof answer) {
      answer = fn;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

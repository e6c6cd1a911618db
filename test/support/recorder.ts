import { createServer, type Server } from 'node:http';

/** A request that reached the recorder: where it was going. */
export interface RecordedHit {
  method: string;
  /** The Host header, or the CONNECT target (host:port) of a proxied HTTPS request. */
  target: string;
  url: string;
}

/**
 * An HTTP server on 127.0.0.1 that answers every request with 502 and records it,
 * including proxy CONNECTs. Point AWS_ENDPOINT_URL and HTTP(S)_PROXY at it: any
 * request meant for AWS (or anywhere off this machine) lands here instead.
 */
export async function startRecorder(): Promise<{ url: string; hits: RecordedHit[]; stop(): Promise<void> }> {
  const hits: RecordedHit[] = [];
  const server: Server = createServer((req, res) => {
    hits.push({ method: req.method ?? '?', target: req.headers.host ?? '?', url: req.url ?? '' });
    req.resume();
    res.writeHead(502, { 'content-type': 'text/plain' }).end('recorded: no request may leave 127.0.0.1');
  });
  server.on('connect', (req, socket) => {
    hits.push({ method: 'CONNECT', target: req.url ?? '?', url: req.url ?? '' });
    socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('recorder: no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    hits,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

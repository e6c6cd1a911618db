/** A small client for the HTTP API under test. */
export interface ApiAnswer<T = any> {
  status: number;
  body: { status: 'success' | 'error'; data: T; message?: string };
}

/** `headers`: sent on every request (a tenant's `X-Tenant-Id`, say). */
export function apiClient(base: string, headers: Record<string, string> = {}) {
  const call = async <T = any>(method: string, path: string, body?: unknown, raw?: string): Promise<ApiAnswer<T>> => {
    const res = await fetch(base + path, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : (undefined as never) };
  };
  return {
    call,
    get: <T = any>(path: string) => call<T>('GET', path),
    post: <T = any>(path: string, body?: unknown) => call<T>('POST', path, body),
    del: <T = any>(path: string) => call<T>('DELETE', path),
    /** Polls a job until it reaches one of `states` (default: a final state). */
    async waitFor(jobId: string, states = ['SUCCESS', 'FAILURE', 'CANCELLED'], timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      let last: any;
      while (Date.now() < deadline) {
        const res = await call('GET', `/jobs/${encodeURIComponent(jobId)}`);
        // A 200 without a status (seen once under heavy load, never reproduced) is noted and polled again, not a TypeError.
        if (res.status === 200 && typeof res.body?.data?.status !== 'string') console.warn(`GET /jobs/${jobId} answered 200 without a status: ${JSON.stringify(res.body)}`);
        else last = res.body?.data;
        if (res.status === 200 && states.includes(last?.status)) return last;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`job ${jobId} did not reach ${states.join('/')} in ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
    },
  };
}

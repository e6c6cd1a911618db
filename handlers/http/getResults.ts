import { lazy, type App } from '../../lib/app.js';
import { onColdStart } from '../../lib/loadApp.js';
import { API_POOL_OPTIONS, createDbPools, type DbPools } from '../../lib/db/createDbPools.js';
import { queryPairs } from '../../lib/results/explore/queryPairs.js';
import { readJobResults } from '../../lib/results/readJobResults.js';
import { scopeId } from '../../lib/identity/tenantScope.js';
import { httpRoute, pathJobId, type HttpEvent, type HttpResult } from './httpRoute.js';

/**
 * GET /jobs/{jobID}/results[?limit=&cursor=&format=json|csv][&select=&order=&col=op.value...]:
 * one page of a finished job's rows, filtered, ordered or aggregated when asked (see parseExplore). JSON in the usual envelope; CSV (`format=csv` or
 * `Accept: text/csv`) as the document itself, the next cursor in X-Next-Cursor.
 */
export const makeHandler = (app: () => App, pools: () => DbPools) =>
  httpRoute(async (event: HttpEvent): Promise<HttpResult> => {
    const q = event.queryStringParameters ?? {};
    const caller = await app().identify(event);
    const page = await readJobResults({ ...app(), pools: pools() }, scopeId(caller.tenant, pathJobId(event)), {
      limit: q.limit,
      cursor: q.cursor,
      format: q.format,
      accept: event.headers?.accept,
      prefer: event.headers?.prefer,
      params: queryPairs(event.rawQueryString, event.queryStringParameters),
    });
    const headers: Record<string, string> = page.count === null ? {} : { 'x-count': String(page.count) };
    if (page.count !== null && /count=exact/i.test(event.headers?.prefer ?? '')) headers['preference-applied'] = 'count=exact';
    if (page.next_cursor) headers['x-next-cursor'] = page.next_cursor;
    if (page.format === 'csv') {
      return { statusCode: 200, headers: { ...headers, 'content-type': 'text/csv; charset=utf-8; header=present' }, body: page.body };
    }
    // The rows are already JSON text (their size was measured as they were encoded): splice them in.
    const data = `{"columns":${JSON.stringify(page.columns)},"rows":${page.body},"next_cursor":${JSON.stringify(page.next_cursor)},"count":${page.count}}`;
    return { statusCode: 200, headers: { ...headers, 'content-type': 'application/json; charset=utf-8' }, body: `{"status":"success","data":${data}}` };
  });

export const handler = onColdStart((app) => makeHandler(app, lazy(() => createDbPools(API_POOL_OPTIONS))));

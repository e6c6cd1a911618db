import type { App } from '../../lib/app.js';
import { onColdStart } from '../../lib/loadApp.js';
import { exportLinks } from '../../lib/export/exportLinks.js';
import { scopeId } from '../../lib/identity/tenantScope.js';
import { httpRoute, pathJobId } from './httpRoute.js';

/** GET /jobs/{jobID}/export: presigned URLs of a SUCCESS job's export manifest and parts, valid for [export] url_ttl. */
export const makeHandler = (app: () => App) =>
  httpRoute(async (event) => {
    const caller = await app().identify(event);
    return exportLinks(app(), scopeId(caller.tenant, pathJobId(event)));
  });

export const handler = onColdStart((app) => makeHandler(app));

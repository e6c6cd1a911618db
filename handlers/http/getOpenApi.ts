import type { App } from '../../lib/app.js';
import { onColdStart } from '../../lib/loadApp.js';
import { openApiDocument } from '../../lib/openapi/openApiDocument.js';
import { httpRoute } from './httpRoute.js';

/** GET /openapi.json: the OpenAPI 3.1 document of every route (the document itself, no envelope). */
export const makeHandler = (app: () => App) => {
  let body: string | undefined;
  return httpRoute(async () => ({
    statusCode: 200,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: (body ??= JSON.stringify(openApiDocument(app().config.api, undefined, app().tasks.tasks.values()))),
  }));
};

export const handler = onColdStart((app) => makeHandler(app));

/**
 * The API reference at /ui/api: Swagger UI rendering the service's own
 * /openapi.json. Everything it needs is bundled by Vite and served from the
 * console's own origin (no CDN), and it starts from this file, not from an inline
 * script, so a `default-src 'self'` policy can hold.
 */
import SwaggerUI from 'swagger-ui-dist/swagger-ui-es-bundle.js';
import 'swagger-ui-dist/swagger-ui.css';
import './apiReference.css';
import { token } from './tokenStore.js';

SwaggerUI({
  // The API that serves this page (as the console's client does).
  url: `${location.origin}/openapi.json`,
  dom_id: '#api-reference',
  deepLinking: true,
  // The reference reads; "Try it out" would send real jobs with no guard rails.
  supportedSubmitMethods: [],
  // The console's JWT (when auth is "jwt"), so the document itself can be read.
  requestInterceptor: (req: { headers: Record<string, string> }) => {
    const bearer = token.get();
    if (bearer) req.headers.Authorization = `Bearer ${bearer}`;
    return req;
  },
});

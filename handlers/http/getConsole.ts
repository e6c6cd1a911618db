import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/**
 * GET /ui and GET /ui/{proxy+}: the operator console, a static bundle built by
 * Vite into console/dist (packaged with this function only). Files are read
 * once per container into a map, so a path can only ever name a built file. A
 * directory with a page of its own (`api/index.html`: the API reference at
 * /ui/api) serves that page; any other path under /ui is a page of the
 * single-page app and gets index.html.
 */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

interface StaticFile {
  body: Buffer;
  type: string;
}

/** Every file under `dir`, by its path relative to it ("assets/index-abc.js"). */
export function loadBundle(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  if (!existsSync(dir)) return files;
  const walk = (sub: string) => {
    for (const name of readdirSync(path.join(dir, sub))) {
      const rel = sub ? `${sub}/${name}` : name;
      if (statSync(path.join(dir, rel)).isDirectory()) walk(rel);
      else files.set(rel, { body: readFileSync(path.join(dir, rel)), type: TYPES[path.extname(name)] ?? 'application/octet-stream' });
    }
  };
  walk('');
  return files;
}

/**
 * The console's Content-Security-Policy: scripts, styles, images and API calls
 * from its own origin only (the API reference's Swagger UI is bundled, no CDN);
 * inline styles, which Swagger UI sets on its elements; `data:` images (the
 * favicon, Swagger UI's icons); and no framing at all, so no page elsewhere can
 * lay the console under its own and clickjack Cancel or Purge.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers of every console answer: the policy, and its older equivalents for browsers that lack frame-ancestors. */
export const CONSOLE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONSOLE_CSP,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const isText = (type: string) => type.startsWith('text/') || type.includes('json') || type.includes('svg');

export function makeHandler(files: () => Map<string, StaticFile>) {
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const bundle = files();
    const proxy = event.pathParameters?.proxy ?? '';
    let rel = '';
    try {
      rel = decodeURIComponent(proxy);
    } catch {}
    const file = bundle.get(rel) ?? (rel ? bundle.get(`${rel.replace(/\/$/, '')}/index.html`) : undefined);
    const page = file ?? bundle.get('index.html');
    if (!page) {
      return {
        statusCode: 503,
        headers: { ...CONSOLE_HEADERS, 'content-type': 'text/plain; charset=utf-8' },
        body: 'The console is not built: run `npm run build:console` (npm ci, npm start and npm test do it).',
      };
    }
    // Vite names assets by content hash: they never change. Pages must be fetched anew.
    const cache = file && rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    const text = isText(page.type);
    return {
      statusCode: 200,
      headers: { ...CONSOLE_HEADERS, 'content-type': page.type, 'cache-control': cache },
      body: text ? page.body.toString('utf8') : page.body.toString('base64'),
      isBase64Encoded: !text,
    };
  };
}

let bundle: Map<string, StaticFile> | undefined;
/** The bundle lies in console/dist of the code package (the working directory in Lambda and under serverless offline). */
export const handler = makeHandler(() => (bundle ??= loadBundle(path.resolve('console/dist'))));

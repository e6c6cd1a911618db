import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const page = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));

// The console is served by the API under /ui (handlers/http/getConsole.ts): the app
// at /ui and the API reference (Swagger UI over /openapi.json) at /ui/api.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/ui/',
  logLevel: 'warn',
  // jsxDev off: a build started from a test (NODE_ENV=test) must not carry source paths and dev calls.
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact', jsxDev: false },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    // Swagger UI is one large prebuilt chunk of its own, loaded by /ui/api only.
    chunkSizeWarningLimit: 2048,
    rollupOptions: { input: { index: page('index.html'), api: page('api/index.html') } },
  },
});

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The console is served by the API under /ui (handlers/http/getConsole.ts).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/ui/',
  logLevel: 'warn',
  // jsxDev off: a build started from a test (NODE_ENV=test) must not carry source paths and dev calls.
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact', jsxDev: false },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false, reportCompressedSize: false },
});

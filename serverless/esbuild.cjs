// serverless-esbuild's options (serverless.yml custom.esbuild), in one place: the
// test kit's prebuilt bundles (scripts/stack/prebuildBundles.ts) are built with the
// same ones, so that a function runs the same code either way.
module.exports.options = () => ({
  bundle: true,
  minify: true,
  sourcemap: 'linked',
  // Stack traces keep file and line; the sources themselves would triple the package.
  sourcesContent: false,
  target: 'node24',
  platform: 'node',
  format: 'esm',
  outputFileExtension: '.mjs',
  // Not bundled: the Lambda runtime brings the AWS SDK v3 (the code leaves it the clients, the
  // DynamoDB document client and the S3 presigner, which test/deploy/package.test.ts holds to);
  // pg's optional native binding is never loaded.
  // (Listing them under `exclude`, not `external`, keeps packaging offline: no npm install of externals.)
  exclude: ['@aws-sdk/*', 'pg-native'],
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  // Where the bundles go (relative to the service directory). Each local stack gets its own
  // (scripts/localStack.ts): in a shared folder, every other stack that starts rewrites the
  // code under the running functions, and every `serverless package` deletes it.
  outputWorkFolder: process.env.SQL_JOBBER_ESBUILD_DIR || '.esbuild',
  // Under serverless offline, adding, changing or removing any .js/.ts file of the project
  // rebuilds the bundles and terminates every function, jobs in flight included. The local
  // stack points this at nothing unless asked to watch (scripts/localStack.ts, option `watch`).
  watch: { pattern: process.env.SQL_JOBBER_ESBUILD_WATCH || './**/*.(js|ts)' },
});

/**
 * The layering rules of the code base, checked in `npm test` (test/unit/importGraph.test.ts)
 * and by hand with `npx depcruise lib handlers scripts bench client/src console/src`.
 *
 * The shape (docs/layout.md): handlers -> lib/lifecycle (use cases that move jobs
 * and groups together) -> lib/jobs, lib/groups (records and their stores) -> lib/db
 * (one front door per engine) and the leaves (config, errors, limits). Imports run one way.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A circle means two modules cannot be understood (or changed) one at a time.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'jobs-not-into-groups',
      severity: 'error',
      comment: 'Jobs know nothing of groups: what moves both lives in lib/lifecycle.',
      from: { path: '^lib/jobs/' },
      to: { path: '^lib/(groups|lifecycle)/' },
    },
    {
      name: 'groups-not-into-use-cases',
      severity: 'error',
      comment: 'Groups do not reach up into the use cases that move them, nor run job transitions themselves.',
      from: { path: '^lib/groups/' },
      to: { path: '^lib/(lifecycle/|jobs/jobTransitions\\.ts$)' },
    },
    {
      name: 'use-cases-only-from-entry-points',
      severity: 'error',
      comment: 'lib/lifecycle is the top of the domain: only handlers (and the local stack and benches above them) call it.',
      from: { path: '^lib/', pathNot: '^lib/lifecycle/' },
      to: { path: '^lib/lifecycle/' },
    },
    {
      name: 'no-vendor-closet',
      severity: 'error',
      comment:
        'Adapters live beside their records (reuse pointers in lib/reuse, the notify queue and sinks in lib/notify); ' +
        'SDK clients are built in lib/awsClients.ts. A folder named after a vendor is where the next adapter would get lost.',
      from: {},
      to: { path: '^lib/aws/' },
    },
    {
      name: 'db-one-front-door',
      severity: 'error',
      comment: 'Outside lib/db, a database is reached through sourceDb(db) and resultsDb(results) (and the port types), never an engine folder or engine-shared code.',
      from: { path: '^(lib|handlers|scripts)/', pathNot: '^lib/db/' },
      to: { path: '^lib/db/(postgres|mysql|shared)/' },
    },
    {
      name: 'db-port-is-a-leaf',
      severity: 'error',
      comment: 'The engine port (lib/db/port) is what engines implement: it depends on no engine and no front door.',
      from: { path: '^lib/db/port/' },
      to: { path: '^lib/db/', pathNot: '^lib/db/port/' },
    },
    {
      name: 'db-shared-below-engines',
      severity: 'error',
      comment: 'Code shared by the engines sits below them and below the front door.',
      from: { path: '^lib/db/shared/' },
      to: { path: '^lib/db/(postgres/|mysql/|[^/]+$)' },
    },
    {
      name: 'db-engines-apart',
      severity: 'error',
      comment: 'A new engine is a new folder: engines never import each other.',
      from: { path: '^lib/db/(postgres|mysql)/' },
      to: { path: '^lib/db/(postgres|mysql)/', pathNot: '^lib/db/$1/' },
    },
    {
      name: 'lib-not-into-handlers-or-scripts',
      severity: 'error',
      comment: 'lib/ is the domain: the Lambda entry points and the local stack sit above it.',
      from: { path: '^lib/' },
      to: { path: '^(handlers|scripts|bench|test)/' },
    },
    {
      name: 'drivers-only-in-engine-folders',
      severity: 'error',
      comment: 'Only an engine adapter imports its driver; everything else goes through the lib/db front door.',
      from: { path: '^(lib|handlers)/', pathNot: '^lib/db/(postgres|mysql)/' },
      to: { path: 'node_modules/(pg|pg-copy-streams|pg-query-stream|pg-cursor|mysql2)/' },
    },
    {
      name: 'no-aws-sdk-in-handlers-or-domain',
      severity: 'error',
      comment: 'Handlers and the SQL side never import the AWS SDK: stores and queues are adapters.',
      from: { path: '^(handlers|lib/(lifecycle|db|tasks|results|longPoll|openapi|queues))/' },
      to: { path: 'node_modules/@aws-sdk/' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing is a typo or a deleted file.',
      from: {},
      // aws-lambda is a types-only package (@types/aws-lambda).
      to: { couldNotResolve: true, pathNot: '^aws-lambda$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules|\\.serverless|\\.esbuild)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};

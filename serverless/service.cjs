// serverless.yml resolves ${file(./serverless/service.cjs):...} through this file:
// it loads the TypeScript definitions with tsx, so config.toml is validated by the
// same code the Lambda functions use.
const path = require('node:path');
const { require: tsxRequire } = require('tsx/cjs/api');

let cached;
function parts({ resolveVariable }) {
  cached ??= (async () => {
    const service = await resolveVariable('self:service');
    const stage = await resolveVariable('sls:stage');
    const { serviceParts } = tsxRequire('./service.ts', __filename);
    return serviceParts({ service, stage }, path.resolve(__dirname, '..'));
  })().catch(refuse);
  return cached;
}

// A config or task file problem (a ConfigError, which lists every problem) would fail
// each of the variables below, each printed with a stack trace: say it once, plainly,
// and stop before anything is packaged or deployed.
function refuse(err) {
  if (!Array.isArray(err?.problems)) throw err;
  process.stderr.write(`\nSQL Jobber: cannot package or deploy: ${err.message}\n\n`);
  process.exit(1);
}

module.exports.functions = async (ctx) => (await parts(ctx)).functions;
module.exports.resources = async (ctx) => (await parts(ctx)).resources;
module.exports.corsOrigins = async (ctx) => (await parts(ctx)).corsOrigins;
module.exports.extensions = async (ctx) => (await parts(ctx)).extensions;
module.exports.httpApi = async (ctx) => (await parts(ctx)).httpApi;
module.exports.configPath = async (ctx) => (await parts(ctx)).configPath;
module.exports.sqlDir = async (ctx) => (await parts(ctx)).sqlDir;
module.exports.packagePatterns = async (ctx) => (await parts(ctx)).packagePatterns;
module.exports.notifyTopicArn = async (ctx) => (await parts(ctx)).notifyTopicArn;

// Locally the queues live on fauxqs; in AWS the URL is built by CloudFormation.
module.exports.queueUrlPrefix = () =>
  process.env.SQL_JOBBER_QUEUE_URL_PREFIX || {
    'Fn::Join': ['', ['https://sqs.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: 'AWS::AccountId' }, '/']],
  };

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
  })();
  return cached;
}

module.exports.functions = async (ctx) => (await parts(ctx)).functions;
module.exports.resources = async (ctx) => (await parts(ctx)).resources;
module.exports.httpApi = async (ctx) => (await parts(ctx)).httpApi;
module.exports.configPath = async (ctx) => (await parts(ctx)).configPath;
module.exports.sqlDir = async (ctx) => (await parts(ctx)).sqlDir;
module.exports.packagePatterns = async (ctx) => (await parts(ctx)).packagePatterns;

// Locally the queues live on fauxqs; in AWS the URL is built by CloudFormation.
module.exports.queueUrlPrefix = () =>
  process.env.SQL_JOBBER_QUEUE_URL_PREFIX || {
    'Fn::Join': ['', ['https://sqs.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: 'AWS::AccountId' }, '/']],
  };

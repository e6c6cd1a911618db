import type { Config } from '../config/types.js';

export const EXPORT_BUCKET_ID = 'ExportBucket';

/** Days a lifecycle rule keeps an export object: the longest job TTL plus a worker's longest attempt, in whole days, and one more. */
export function exportLifecycleDays(config: Config): number {
  return Math.ceil((config.app.maxJobTtl + 900) / 86_400) + 1;
}

/**
 * The export bucket (`[export] bucket`): encrypted at rest (SSE-S3), every kind of
 * public access blocked, objects owned by the bucket (no ACLs), TLS only, and a
 * lifecycle rule on the prefix that deletes objects after the longest TTL a job can
 * have and stops multipart uploads a crashed worker left: the backstop behind the
 * sweeper, which deletes each export when its job's TTL passes. Nothing without `[export]`.
 */
export function exportResources(config: Config): Record<string, unknown> {
  const exp = config.export;
  if (!exp) return {};
  const objects = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${exp.bucket}/*`]] };
  const bucket = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${exp.bucket}`]] };
  return {
    [EXPORT_BUCKET_ID]: {
      Type: 'AWS::S3::Bucket',
      Properties: {
        BucketName: exp.bucket,
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: true }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LifecycleConfiguration: {
          Rules: [
            {
              Id: 'expire-exports',
              Status: 'Enabled',
              Prefix: exp.prefix,
              ExpirationInDays: exportLifecycleDays(config),
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            },
          ],
        },
      },
    },
    ExportBucketPolicy: {
      Type: 'AWS::S3::BucketPolicy',
      Properties: {
        Bucket: { Ref: EXPORT_BUCKET_ID },
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Sid: 'TlsOnly', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [bucket, objects], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
        },
      },
    },
  };
}

import { CreateBucketCommand, PutBucketLifecycleConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import type { ExportConfig } from '../../lib/config/types.js';
import { localClientConfig } from './awsLocal.js';

/**
 * Creates the export bucket (`[export] bucket`) on the local S3 (fauxqs serves S3 on
 * the same endpoint as SQS), with the lifecycle rule the deployment gives it (stored;
 * fauxqs does not enforce it: the sweeper deletes expired exports). Idempotent.
 */
export async function ensureBucket(endpoint: string, exp: ExportConfig, lifecycleDays: number): Promise<void> {
  const s3 = new S3Client({ ...localClientConfig(endpoint), forcePathStyle: true });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: exp.bucket }));
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: exp.bucket,
        LifecycleConfiguration: {
          Rules: [{ ID: 'expire-exports', Status: 'Enabled', Filter: { Prefix: exp.prefix }, Expiration: { Days: lifecycleDays }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }],
        },
      }),
    );
  } finally {
    s3.destroy();
  }
}

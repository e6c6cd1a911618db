/**
 * Physical names of the stack's resources, from the service and stage. A leaf
 * module: the service definition and the notify resources both name queues, and
 * neither imports the other for it.
 */

/** The serverless service and stage a stack is deployed as. */
export interface ServiceNames {
  service: string;
  stage: string;
}

/** The SQS queue name of a queue (its dead-letter queue adds `-dlq`). */
export const physicalQueueName = (n: ServiceNames, queue: string) => `${n.service}-${n.stage}-${queue}`;

/** The DynamoDB jobs table's name. */
export const tableName = (n: ServiceNames) => `${n.service}-${n.stage}-jobs`;

/**
 * CloudFormation helpers for the generated template parts. ARNs are built with
 * intrinsic functions (the account and region are only known to CloudFormation),
 * so `serverless package` works offline, without AWS credentials; never with
 * `${...}` (Fn::Sub), which the Serverless Framework would read as its own variables.
 */
export type Cfn = string | { [fn: string]: unknown };

/** `arn:<partition>:<service>:<region>:<account>:<resource>` of this stack's account and region. */
export function arn(service: string, resource: string, region = true): Cfn {
  return {
    'Fn::Join': [
      '',
      ['arn:', { Ref: 'AWS::Partition' }, `:${service}:`, ...(region ? [{ Ref: 'AWS::Region' }] : []), ':', { Ref: 'AWS::AccountId' }, `:${resource}`],
    ],
  };
}

/** `<prefix>.<region>.amazonaws.com`, an AWS service endpoint name (kms:ViaService). */
export function serviceHost(prefix: string): Cfn {
  return { 'Fn::Join': ['', [`${prefix}.`, { Ref: 'AWS::Region' }, '.amazonaws.com']] };
}

export const getAtt = (logicalId: string, attribute = 'Arn'): Cfn => ({ 'Fn::GetAtt': [logicalId, attribute] });

export interface Statement {
  Effect: 'Allow';
  Action: string[];
  Resource: Cfn | Cfn[];
  Condition?: Record<string, Record<string, Cfn | Cfn[]>>;
}

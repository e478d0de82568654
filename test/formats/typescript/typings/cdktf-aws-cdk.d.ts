/**
 * Hand-written stand-in for the part of `@cdktf/aws-cdk` (CDK for Terraform's adapter for AWS CDK
 * constructs) the fixtures use: the adapter, a provider binding it re-exports, and `registerMapping`.
 */
declare module '@cdktf/aws-cdk' {
  import { Construct } from 'constructs';
  export class AwsTerraformAdapter extends Construct {
    constructor(scope: Construct, id: string);
  }
  export namespace dynamodbTable {
    interface DynamodbTableConfig {
      name?: string;
      hashKey?: string;
      attribute?: { name: string; type: string }[];
    }
    class DynamodbTable extends Construct {
      constructor(scope: Construct, id: string, config: DynamodbTableConfig);
      readonly arn: string;
    }
  }
}
declare module '@cdktf/aws-cdk/lib/mapping' {
  import { Construct } from 'constructs';
  export function registerMapping(
    resourceType: string,
    mapping: { resource: (scope: Construct, id: string, props: any) => Construct; attributes: Record<string, (r: any) => string> },
  ): void;
}

/**
 * Hand-written stand-ins for the part of `@pulumi/aws-native` its fixtures use (kmsfix reads these
 * tables and writes nothing there). Names and types follow the published typings (generated from the
 * CloudFormation schema of AWS::DynamoDB::Table and AWS::DynamoDB::GlobalTable).
 */
declare module '@pulumi/aws-native' {
  import * as pulumi from '@pulumi/pulumi';
  export namespace dynamodb {
    interface AttributeDefinition {
      attributeName: pulumi.Input<string>;
      attributeType: pulumi.Input<string>;
    }
    interface KeySchema {
      attributeName: pulumi.Input<string>;
      keyType: pulumi.Input<string>;
    }
    interface TableArgs {
      attributeDefinitions?: pulumi.Input<pulumi.Input<AttributeDefinition>[]>;
      keySchema: pulumi.Input<pulumi.Input<KeySchema>[] | any>;
      billingMode?: pulumi.Input<string>;
      tableName?: pulumi.Input<string>;
      deletionProtectionEnabled?: pulumi.Input<boolean>;
      sseSpecification?: pulumi.Input<{
        sseEnabled: pulumi.Input<boolean>;
        sseType?: pulumi.Input<string>;
        kmsMasterKeyId?: pulumi.Input<string>;
      }>;
    }
    class Table extends pulumi.CustomResource {
      constructor(name: string, args: TableArgs, opts?: pulumi.CustomResourceOptions);
      readonly arn: pulumi.Output<string>;
      readonly tableName: pulumi.Output<string | undefined>;
    }
    interface GlobalTableReplica {
      region: pulumi.Input<string>;
      sseSpecification?: pulumi.Input<{ kmsMasterKeyId: pulumi.Input<string> }>;
    }
    interface GlobalTableArgs {
      attributeDefinitions: pulumi.Input<pulumi.Input<AttributeDefinition>[]>;
      keySchema: pulumi.Input<pulumi.Input<KeySchema>[]>;
      billingMode?: pulumi.Input<string>;
      replicas: pulumi.Input<pulumi.Input<GlobalTableReplica>[]>;
      sseSpecification?: pulumi.Input<{ sseEnabled: pulumi.Input<boolean>; sseType?: pulumi.Input<string> }>;
    }
    class GlobalTable extends pulumi.CustomResource {
      constructor(name: string, args: GlobalTableArgs, opts?: pulumi.CustomResourceOptions);
      readonly arn: pulumi.Output<string>;
    }
  }
}

/**
 * Hand-written stand-ins for the parts of `cdktf` and `@cdktf/provider-aws` that kmsfix writes or
 * its fixtures use. The real packages are not devDependencies (@cdktf/provider-aws 21.22.1 unpacks to
 * 392 MB); names and types follow the provider's generated bindings. test/formats/typescript/providers.test.ts
 * checks the same fixtures against the real packages when KMSFIX_PROVIDERS_DIR points at an install.
 */
declare module 'cdktf' {
  import { Construct } from 'constructs';
  export interface TerraformResourceLifecycle {
    readonly createBeforeDestroy?: boolean;
    readonly preventDestroy?: boolean;
    readonly ignoreChanges?: string[] | 'all';
    readonly replaceTriggeredBy?: Array<ITerraformDependable | string>;
  }
  export interface ITerraformDependable {
    readonly fqn: string;
  }
  export interface TerraformMetaArguments {
    readonly dependsOn?: unknown[];
    readonly count?: number;
    readonly provider?: TerraformProvider;
    readonly lifecycle?: TerraformResourceLifecycle;
  }
  export class TerraformElement extends Construct {}
  export class TerraformResource extends TerraformElement {
    get fqn(): string;
  }
  export class TerraformDataSource extends TerraformElement {}
  export class TerraformProvider extends TerraformElement {}
  export class TerraformStack extends Construct {
    constructor(scope: Construct, id: string);
  }
  export class App extends Construct {
    constructor(config?: { outdir?: string });
    synth(): void;
  }
  export class Fn {
    static jsonencode(value: unknown): string;
    static replace(value: string, substring: string, replacement: string): string;
  }
}

declare module '@cdktf/provider-aws/lib/provider' {
  import { Construct } from 'constructs';
  import { TerraformProvider } from 'cdktf';
  export interface AwsProviderConfig {
    readonly region?: string;
    readonly alias?: string;
    readonly profile?: string;
  }
  export class AwsProvider extends TerraformProvider {
    constructor(scope: Construct, id: string, config?: AwsProviderConfig);
  }
}

declare module '@cdktf/provider-aws/lib/dynamodb-table' {
  import { Construct } from 'constructs';
  import { TerraformMetaArguments, TerraformResource } from 'cdktf';
  export interface DynamodbTableAttribute {
    readonly name: string;
    readonly type: string;
  }
  export interface DynamodbTableServerSideEncryption {
    readonly enabled: boolean;
    readonly kmsKeyArn?: string;
  }
  export interface DynamodbTableReplica {
    readonly regionName: string;
    readonly kmsKeyArn?: string;
    readonly pointInTimeRecovery?: boolean;
  }
  export interface DynamodbTableConfig extends TerraformMetaArguments {
    readonly name: string;
    readonly billingMode?: string;
    readonly hashKey?: string;
    readonly rangeKey?: string;
    readonly readCapacity?: number;
    readonly writeCapacity?: number;
    readonly attribute?: DynamodbTableAttribute[];
    readonly serverSideEncryption?: DynamodbTableServerSideEncryption;
    readonly streamEnabled?: boolean;
    readonly streamViewType?: string;
    readonly replica?: DynamodbTableReplica[];
    readonly tags?: { [key: string]: string };
    /** hashicorp/aws 6 (@cdktf/provider-aws 21 and later): the resource's own Region. */
    readonly region?: string;
  }
  export class DynamodbTable extends TerraformResource {
    constructor(scope: Construct, id: string, config: DynamodbTableConfig);
    get arn(): string;
    get name(): string;
  }
}

declare module '@cdktf/provider-aws/lib/lambda-function' {
  import { Construct } from 'constructs';
  import { TerraformMetaArguments, TerraformResource } from 'cdktf';
  export interface LambdaFunctionConfig extends TerraformMetaArguments {
    readonly functionName: string;
    readonly role: string;
  }
  export class LambdaFunction extends TerraformResource {
    constructor(scope: Construct, id: string, config: LambdaFunctionConfig);
  }
}

declare module '@cdktf/provider-aws/lib/dynamodb-table-replica' {
  import { Construct } from 'constructs';
  import { TerraformMetaArguments, TerraformResource } from 'cdktf';
  export interface DynamodbTableReplicaConfig extends TerraformMetaArguments {
    readonly globalTableArn: string;
    readonly kmsKeyArn?: string;
    readonly pointInTimeRecovery?: boolean;
  }
  export class DynamodbTableReplica extends TerraformResource {
    constructor(scope: Construct, id: string, config: DynamodbTableReplicaConfig);
    get arn(): string;
  }
}

declare module '@cdktf/provider-aws/lib/kms-key' {
  import { Construct } from 'constructs';
  import { TerraformMetaArguments, TerraformResource } from 'cdktf';
  export interface KmsKeyConfig extends TerraformMetaArguments {
    readonly description?: string;
    readonly enableKeyRotation?: boolean;
    readonly rotationPeriodInDays?: number;
    readonly deletionWindowInDays?: number;
    readonly keyUsage?: string;
    readonly multiRegion?: boolean;
    readonly policy?: string;
    readonly tags?: { [key: string]: string };
    readonly region?: string;
  }
  export class KmsKey extends TerraformResource {
    constructor(scope: Construct, id: string, config?: KmsKeyConfig);
    get arn(): string;
    get keyId(): string;
  }
}

declare module '@cdktf/provider-aws/lib/kms-alias' {
  import { Construct } from 'constructs';
  import { TerraformMetaArguments, TerraformResource } from 'cdktf';
  export interface KmsAliasConfig extends TerraformMetaArguments {
    readonly name?: string;
    readonly namePrefix?: string;
    readonly targetKeyId: string;
    readonly region?: string;
  }
  export class KmsAlias extends TerraformResource {
    constructor(scope: Construct, id: string, config: KmsAliasConfig);
    get arn(): string;
    get name(): string;
    get targetKeyArn(): string;
    get targetKeyId(): string;
  }
}

declare module '@cdktf/provider-aws/lib/data-aws-caller-identity' {
  import { Construct } from 'constructs';
  import { TerraformDataSource, TerraformMetaArguments } from 'cdktf';
  export class DataAwsCallerIdentity extends TerraformDataSource {
    constructor(scope: Construct, id: string, config?: TerraformMetaArguments);
    get accountId(): string;
    get arn(): string;
  }
}

declare module '@cdktf/provider-aws/lib/data-aws-partition' {
  import { Construct } from 'constructs';
  import { TerraformDataSource, TerraformMetaArguments } from 'cdktf';
  export class DataAwsPartition extends TerraformDataSource {
    constructor(scope: Construct, id: string, config?: TerraformMetaArguments);
    get partition(): string;
    get dnsSuffix(): string;
  }
}

declare module '@cdktf/provider-aws/lib/data-aws-region' {
  import { Construct } from 'constructs';
  import { TerraformDataSource, TerraformMetaArguments } from 'cdktf';
  export class DataAwsRegion extends TerraformDataSource {
    /** `region` (provider v6) selects the Region, the provider's when unset. */
    constructor(scope: Construct, id: string, config?: TerraformMetaArguments & { name?: string; region?: string });
    /** Deprecated in provider v6 in favour of `region`, still present. */
    get name(): string;
  }
}

declare module '@cdktf/provider-aws/lib/data-aws-kms-alias' {
  import { Construct } from 'constructs';
  import { TerraformDataSource, TerraformMetaArguments } from 'cdktf';
  export class DataAwsKmsAlias extends TerraformDataSource {
    constructor(scope: Construct, id: string, config: TerraformMetaArguments & { name: string });
    get arn(): string;
    get targetKeyArn(): string;
    get targetKeyId(): string;
  }
}

declare module '@cdktf/provider-aws' {
  export * as provider from '@cdktf/provider-aws/lib/provider';
  export * as dynamodbTable from '@cdktf/provider-aws/lib/dynamodb-table';
  export * as kmsKey from '@cdktf/provider-aws/lib/kms-key';
  export * as kmsAlias from '@cdktf/provider-aws/lib/kms-alias';
  export * as dataAwsCallerIdentity from '@cdktf/provider-aws/lib/data-aws-caller-identity';
  export * as dataAwsPartition from '@cdktf/provider-aws/lib/data-aws-partition';
  export * as dataAwsRegion from '@cdktf/provider-aws/lib/data-aws-region';
  // The layout before lib/<resource> (v9 and earlier): the provider class at the root, one namespace per service.
  export { AwsProvider } from '@cdktf/provider-aws/lib/provider';
  export * as dynamodb from '@cdktf/provider-aws/lib/dynamodb';
  export * as kms from '@cdktf/provider-aws/lib/kms';
  export * as datasources from '@cdktf/provider-aws/lib/datasources';
}

// @cdktf/provider-aws v9 and earlier: one module per service, the same classes (jsii types
// `@cdktf/provider-aws.dynamodb.DynamodbTable`, `.kms.KmsKey`, `.datasources.DataAwsRegion`).
declare module '@cdktf/provider-aws/lib/dynamodb' {
  export * from '@cdktf/provider-aws/lib/dynamodb-table';
}

declare module '@cdktf/provider-aws/lib/kms' {
  export * from '@cdktf/provider-aws/lib/kms-key';
  export * from '@cdktf/provider-aws/lib/kms-alias';
}

declare module '@cdktf/provider-aws/lib/datasources' {
  export * from '@cdktf/provider-aws/lib/data-aws-caller-identity';
  export * from '@cdktf/provider-aws/lib/data-aws-partition';
  export * from '@cdktf/provider-aws/lib/data-aws-region';
}

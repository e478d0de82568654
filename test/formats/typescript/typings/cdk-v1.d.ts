/**
 * Hand-written stand-ins for the parts of AWS CDK v1 (`@aws-cdk/core`, `@aws-cdk/aws-dynamodb`,
 * `@aws-cdk/aws-kms`, `@aws-cdk/aws-iam`, 1.204, the last v1 release) that kmsfix writes or its
 * fixtures use. v1 reached end of support in 2023; its packages are not devDependencies. Names and
 * types follow the v1 API reference (the same as aws-cdk-lib's for these classes).
 */
declare module '@aws-cdk/core' {
  import * as constructs from 'constructs';
  export interface IConstruct extends constructs.IConstruct {}
  export class Construct extends constructs.Construct implements IConstruct {
    constructor(scope: constructs.Construct, id: string);
  }
  export interface Environment {
    readonly account?: string;
    readonly region?: string;
  }
  export interface StackProps {
    readonly env?: Environment;
    readonly description?: string;
    readonly stackName?: string;
    readonly tags?: { [key: string]: string };
  }
  export class Stack extends Construct {
    constructor(scope?: Construct, id?: string, props?: StackProps);
    readonly region: string;
    readonly account: string;
  }
  export class App extends Construct {
    constructor(props?: { outdir?: string });
    synth(): unknown;
  }
  export class Aws {
    static readonly ACCOUNT_ID: string;
    static readonly PARTITION: string;
    static readonly REGION: string;
    static readonly STACK_NAME: string;
  }
  export enum RemovalPolicy {
    DESTROY = 'destroy',
    RETAIN = 'retain',
    SNAPSHOT = 'snapshot',
  }
  export class Duration {
    static days(amount: number): Duration;
    static seconds(amount: number): Duration;
    static minutes(amount: number): Duration;
  }
  export class Tags {
    static of(scope: constructs.IConstruct): Tags;
    add(key: string, value: string): void;
  }
  export class CfnOutput extends Construct {
    constructor(scope: constructs.Construct, id: string, props: { value: string; description?: string; exportName?: string });
  }
  export interface IResource extends IConstruct {
    applyRemovalPolicy(policy: RemovalPolicy): void;
  }
  export class Resource extends Construct implements IResource {
    applyRemovalPolicy(policy: RemovalPolicy): void;
  }
}

declare module '@aws-cdk/aws-iam' {
  export interface IPrincipal {}
  export class PrincipalBase implements IPrincipal {}
  export class AccountRootPrincipal extends PrincipalBase {}
  export class AnyPrincipal extends PrincipalBase {}
  export class ServicePrincipal extends PrincipalBase {
    constructor(service: string);
  }
  export class ArnPrincipal extends PrincipalBase {
    constructor(arn: string);
  }
  export interface PolicyStatementProps {
    readonly sid?: string;
    readonly actions?: string[];
    readonly principals?: IPrincipal[];
    readonly resources?: string[];
    readonly conditions?: { [key: string]: unknown };
  }
  export class PolicyStatement {
    constructor(props?: PolicyStatementProps);
  }
  export class PolicyDocument {
    constructor(props?: { statements?: PolicyStatement[]; assignSids?: boolean });
  }
  export interface IGrantable {}
}

declare module '@aws-cdk/aws-kms' {
  import { Construct, Duration, IResource, RemovalPolicy, Resource } from '@aws-cdk/core';
  import { IGrantable, PolicyDocument } from '@aws-cdk/aws-iam';
  export interface IKey extends IResource {
    readonly keyArn: string;
    readonly keyId: string;
    addAlias(alias: string): Alias;
    grantEncryptDecrypt(grantee: IGrantable): unknown;
  }
  export interface KeyProps {
    readonly description?: string;
    readonly alias?: string;
    readonly enableKeyRotation?: boolean;
    readonly enabled?: boolean;
    readonly multiRegion?: boolean;
    readonly policy?: PolicyDocument;
    readonly removalPolicy?: RemovalPolicy;
    readonly pendingWindow?: Duration;
    readonly trustAccountIdentities?: boolean;
  }
  export class Key extends Resource implements IKey {
    static fromKeyArn(scope: Construct, id: string, keyArn: string): IKey;
    constructor(scope: Construct, id: string, props?: KeyProps);
    readonly keyArn: string;
    readonly keyId: string;
    addAlias(alias: string): Alias;
    grantEncryptDecrypt(grantee: IGrantable): unknown;
  }
  export class Alias extends Resource {
    readonly aliasName: string;
  }
}

declare module '@aws-cdk/aws-dynamodb' {
  import { Construct, RemovalPolicy, Resource } from '@aws-cdk/core';
  import { IKey } from '@aws-cdk/aws-kms';
  import { IGrantable } from '@aws-cdk/aws-iam';
  export enum AttributeType {
    BINARY = 'B',
    NUMBER = 'N',
    STRING = 'S',
  }
  export enum BillingMode {
    PAY_PER_REQUEST = 'PAY_PER_REQUEST',
    PROVISIONED = 'PROVISIONED',
  }
  export enum StreamViewType {
    NEW_IMAGE = 'NEW_IMAGE',
    OLD_IMAGE = 'OLD_IMAGE',
    NEW_AND_OLD_IMAGES = 'NEW_AND_OLD_IMAGES',
    KEYS_ONLY = 'KEYS_ONLY',
  }
  export enum TableEncryption {
    DEFAULT = 'AWS_OWNED',
    CUSTOMER_MANAGED = 'CUSTOMER_MANAGED',
    AWS_MANAGED = 'AWS_MANAGED',
  }
  export interface Attribute {
    readonly name: string;
    readonly type: AttributeType;
  }
  export interface TableOptions {
    readonly partitionKey: Attribute;
    readonly sortKey?: Attribute;
    readonly readCapacity?: number;
    readonly writeCapacity?: number;
    readonly billingMode?: BillingMode;
    readonly pointInTimeRecovery?: boolean;
    readonly serverSideEncryption?: boolean;
    readonly encryption?: TableEncryption;
    readonly encryptionKey?: IKey;
    readonly timeToLiveAttribute?: string;
    readonly stream?: StreamViewType;
    readonly removalPolicy?: RemovalPolicy;
    readonly replicationRegions?: string[];
  }
  export interface TableProps extends TableOptions {
    readonly tableName?: string;
  }
  export class Table extends Resource {
    constructor(scope: Construct, id: string, props: TableProps);
    readonly tableName: string;
    readonly tableArn: string;
    readonly encryptionKey?: IKey;
    grantReadWriteData(grantee: IGrantable): unknown;
    grantReadData(grantee: IGrantable): unknown;
  }
  export interface CfnTableProps {
    readonly keySchema: { attributeName: string; keyType: string }[];
    readonly attributeDefinitions?: { attributeName: string; attributeType: string }[];
    readonly billingMode?: string;
    readonly tableName?: string;
    readonly sseSpecification?: { sseEnabled: boolean; sseType?: string; kmsMasterKeyId?: string };
  }
  export class CfnTable extends Construct {
    constructor(scope: Construct, id: string, props: CfnTableProps);
    readonly ref: string;
    readonly attrArn: string;
  }
}

/** The AWS CDK before 1.0 named its core `@aws-cdk/cdk` (kmsfix reports its tables, does not fix them). */
declare module '@aws-cdk/cdk' {
  export { App, Construct, Stack, StackProps } from '@aws-cdk/core';
}

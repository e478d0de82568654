/**
 * Hand-written stand-ins for the parts of `@pulumi/pulumi` and `@pulumi/aws` that kmsfix writes or
 * its fixtures use. The real packages are not devDependencies (@pulumi/aws 7 with @pulumi/pulumi 3 is
 * 175 MB in 222 packages); names and types follow their published typings. test/formats/typescript/providers.test.ts
 * checks the same fixtures against the real packages when KMSFIX_PROVIDERS_DIR points at an install.
 */
declare module '@pulumi/pulumi' {
  export type Input<T> = T | Promise<T> | Output<T>;
  export type Inputs = Record<string, Input<unknown>>;
  export interface OutputInstance<T> {
    apply<U>(func: (t: T) => Input<U>): Output<U>;
  }
  type Lifted<T> = T extends string | number | boolean | undefined | null ? {} : { readonly [K in keyof T]-?: Output<T[K]> };
  export type Output<T> = OutputInstance<T> & Lifted<T>;
  export class Resource {
    readonly urn: Output<string>;
  }
  export class CustomResource extends Resource {
    readonly id: Output<string>;
  }
  export class ProviderResource extends CustomResource {}
  export class ComponentResource<TData = any> extends Resource {
    constructor(type: string, name: string, args?: Inputs, opts?: ComponentResourceOptions);
    protected registerOutputs(outputs?: Inputs | Promise<Inputs> | Output<Inputs>): void;
  }
  export interface ResourceOptions {
    /** Read the existing resource with this ID (never created or updated). */
    id?: Input<string>;
    parent?: Resource;
    dependsOn?: Input<Input<Resource>[]> | Input<Resource>;
    protect?: boolean;
    retainOnDelete?: boolean;
    ignoreChanges?: string[];
    replaceOnChanges?: string[];
    deleteBeforeReplace?: boolean;
  }
  export interface CustomResourceOptions extends ResourceOptions {
    provider?: ProviderResource;
  }
  export interface ComponentResourceOptions extends ResourceOptions {
    provider?: ProviderResource;
    providers?: Record<string, ProviderResource> | ProviderResource[];
  }
  export interface InvokeOptions {
    parent?: Resource;
    provider?: ProviderResource;
  }
  export interface InvokeOutputOptions extends InvokeOptions {
    dependsOn?: Input<Input<Resource>[]> | Input<Resource>;
  }
  export class Config {
    constructor(name?: string);
    get(key: string): string | undefined;
    require(key: string): string;
  }
  export function interpolate(literals: TemplateStringsArray, ...placeholders: Input<unknown>[]): Output<string>;
  export function jsonStringify(
    obj: Input<unknown>,
    replacer?: (this: unknown, key: string, value: unknown) => unknown,
    space?: string | number,
  ): Output<string>;
  export function all<T extends unknown[]>(values: [...T]): Output<{ [K in keyof T]: T[K] extends Input<infer U> ? U : never }>;
  export function output<T>(value: Input<T>): Output<T>;
  export function getStack(): string;
  export function mergeOptions(opts1: ResourceOptions | undefined, opts2: ResourceOptions | undefined): ResourceOptions;
  export interface ResourceTransformationArgs {
    resource: Resource;
    type: string;
    name: string;
    props: Inputs;
    opts: ResourceOptions;
  }
  export interface ResourceTransformationResult {
    props: Inputs;
    opts: ResourceOptions;
  }
  export type ResourceTransformation = (args: ResourceTransformationArgs) => ResourceTransformationResult | undefined;
  export namespace runtime {
    function registerStackTransformation(t: ResourceTransformation): void;
  }
}

declare module '@pulumi/aws' {
  import * as pulumi from '@pulumi/pulumi';
  type Input<T> = pulumi.Input<T>;
  export interface GetCallerIdentityResult {
    readonly accountId: string;
    readonly arn: string;
    readonly id: string;
    readonly userId: string;
  }
  export interface GetPartitionResult {
    readonly dnsSuffix: string;
    readonly id: string;
    readonly partition: string;
  }
  export interface GetRegionResult {
    readonly description: string;
    readonly endpoint: string;
    readonly id: string;
    /** @deprecated name is deprecated. Use region instead. (v7; the only name before v7) */
    readonly name: string;
    /** v7 and later. */
    readonly region: string;
  }
  export function getCallerIdentityOutput(
    args?: { id?: Input<string> },
    opts?: pulumi.InvokeOutputOptions,
  ): pulumi.Output<GetCallerIdentityResult>;
  export function getPartitionOutput(args?: { id?: Input<string> }, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetPartitionResult>;
  export function getRegionOutput(
    args?: { endpoint?: Input<string>; id?: Input<string>; region?: Input<string> },
    opts?: pulumi.InvokeOutputOptions,
  ): pulumi.Output<GetRegionResult>;

  export namespace dynamodb {
    interface TableAttribute {
      name: Input<string>;
      type: Input<string>;
    }
    interface TableServerSideEncryption {
      enabled: Input<boolean>;
      kmsKeyArn?: Input<string>;
    }
    interface TableReplica {
      regionName: Input<string>;
      kmsKeyArn?: Input<string>;
      pointInTimeRecovery?: Input<boolean>;
    }
    interface TableArgs {
      name?: Input<string>;
      attributes?: Input<Input<TableAttribute>[]>;
      billingMode?: Input<string>;
      hashKey?: Input<string>;
      rangeKey?: Input<string>;
      readCapacity?: Input<number>;
      writeCapacity?: Input<number>;
      serverSideEncryption?: Input<TableServerSideEncryption>;
      replicas?: Input<Input<TableReplica>[]>;
      streamEnabled?: Input<boolean>;
      streamViewType?: Input<string>;
      tags?: Input<{ [key: string]: Input<string> }>;
    }
    class Table extends pulumi.CustomResource {
      constructor(name: string, args?: TableArgs, opts?: pulumi.CustomResourceOptions);
      static get(name: string, id: Input<string>, state?: object, opts?: pulumi.CustomResourceOptions): Table;
      readonly arn: pulumi.Output<string>;
      readonly name: pulumi.Output<string>;
    }
    // The resource `aws.dynamodb.TableReplica` (the interface TableReplica above is a replicas entry, as in @pulumi/aws's types.input).
    interface TableReplicaArgs {
      globalTableArn: Input<string>;
      kmsKeyArn?: Input<string>;
      pointInTimeRecovery?: Input<boolean>;
      tags?: Input<{ [key: string]: Input<string> }>;
    }
    class TableReplica extends pulumi.CustomResource {
      constructor(name: string, args: TableReplicaArgs, opts?: pulumi.CustomResourceOptions);
      readonly arn: pulumi.Output<string>;
    }
  }

  export class Provider extends pulumi.ProviderResource {
    constructor(name: string, args?: { region?: Input<string> }, opts?: pulumi.ResourceOptions);
  }

  export namespace kms {
    interface GetAliasResult {
      arn: string;
      name: string;
      targetKeyArn: string;
      targetKeyId: string;
    }
    function getAliasOutput(args: { name: Input<string> }, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetAliasResult>;
    interface KeyArgs {
      description?: Input<string>;
      enableKeyRotation?: Input<boolean>;
      rotationPeriodInDays?: Input<number>;
      deletionWindowInDays?: Input<number>;
      keyUsage?: Input<string>;
      multiRegion?: Input<boolean>;
      policy?: Input<string>;
      tags?: Input<{ [key: string]: Input<string> }>;
    }
    class Key extends pulumi.CustomResource {
      constructor(name: string, args?: KeyArgs, opts?: pulumi.CustomResourceOptions);
      readonly arn: pulumi.Output<string>;
      readonly keyId: pulumi.Output<string>;
    }
    interface AliasArgs {
      name?: Input<string>;
      namePrefix?: Input<string>;
      targetKeyId: Input<string>;
    }
    class Alias extends pulumi.CustomResource {
      constructor(name: string, args: AliasArgs, opts?: pulumi.CustomResourceOptions);
      readonly arn: pulumi.Output<string>;
      readonly name: pulumi.Output<string>;
      readonly targetKeyArn: pulumi.Output<string>;
      readonly targetKeyId: pulumi.Output<string>;
    }
  }
}

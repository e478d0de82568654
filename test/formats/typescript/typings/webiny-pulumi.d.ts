/**
 * Hand-written stand-in for the part of `@webiny/pulumi` its fixture uses (pulumi-webiny-factory):
 * `PulumiApp.addResource(ctor, { name, config, opts })`, which runs `new ctor(name, config, opts)`,
 * and `createAppModule`. Names and types follow packages/pulumi/src/PulumiApp.ts of webiny/webiny-js.
 */
declare module '@webiny/pulumi' {
  import type * as pulumi from '@pulumi/pulumi';
  type ResourceConstructor = new (name: string, args: any, opts?: pulumi.CustomResourceOptions) => pulumi.Resource;
  type ResourceArgs<T extends ResourceConstructor> = NonNullable<ConstructorParameters<T>[1]>;
  export interface CreateResourceParams<T extends ResourceConstructor> {
    name: string;
    config: ResourceArgs<T>;
    opts?: pulumi.CustomResourceOptions;
  }
  export interface PulumiAppResource<T extends ResourceConstructor> {
    readonly name: string;
    readonly config: ResourceArgs<T>;
    readonly opts: pulumi.CustomResourceOptions;
    readonly output: pulumi.Output<InstanceType<T>>;
  }
  export interface PulumiApp {
    addResource<T extends ResourceConstructor>(ctor: T, params: CreateResourceParams<T>): PulumiAppResource<T>;
  }
  export interface PulumiAppModuleDefinition<TModule, TConfig> {
    name: string;
    config(app: PulumiApp, config: TConfig): TModule;
  }
  export function createAppModule<TModule, TConfig = void>(params: PulumiAppModuleDefinition<TModule, TConfig>): unknown;
}

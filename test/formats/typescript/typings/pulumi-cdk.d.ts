/**
 * Hand-written stand-in for the part of `@pulumi/cdk` (Pulumi's CDK adapter) the fixtures use: its
 * `App`, whose callback creates the stacks, and its `Stack`, whose CDK props are `options.props`
 * (names and types follow its published typings).
 */
declare module '@pulumi/cdk' {
  import type * as cdk from 'aws-cdk-lib';
  export class App {
    constructor(id: string, createFunc: (scope: App) => void | Promise<void>);
    readonly env: cdk.Environment;
  }
  export interface StackOptions {
    props?: cdk.StackProps;
  }
  export class Stack extends cdk.Stack {
    constructor(app: App, name: string, options?: StackOptions);
  }
}

/**
 * Stand-ins for a project's own packages that fixtures import beside AWS CDK (an organisation's
 * construct library and a shared constants module: fixtures/typescript/cdk-imports-sorted-groups).
 */
declare module '@acme/integration-tests' {
  import { Construct } from 'constructs';
  export class OutputParameter extends Construct {
    constructor(scope: Construct, id: string, props: { value: string });
  }
}

declare module 'shared-constants' {
  export const PARTITION_KEY: string;
  export const SORT_KEY: string;
}

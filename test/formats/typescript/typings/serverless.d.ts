/**
 * Hand-written stand-in for the part of `@serverless/typescript` (the Serverless Framework's types
 * for a `serverless.ts`) that kmsfix's fixtures use: a service and its CloudFormation `resources`.
 * Names and shapes follow the published typings, loosened where kmsfix writes nothing.
 */
declare module '@serverless/typescript' {
  export interface CloudFormationResource {
    Type: string;
    Properties?: { [k: string]: unknown };
    Condition?: string;
    DeletionPolicy?: string;
    UpdateReplacePolicy?: string;
    DependsOn?: string | string[];
    Metadata?: { [k: string]: unknown };
  }
  export interface AWS {
    service: string;
    frameworkVersion?: string;
    provider: { name: 'aws'; [k: string]: unknown };
    functions?: { [k: string]: unknown };
    resources?: {
      Conditions?: { [k: string]: unknown };
      Resources?: { [k: string]: CloudFormationResource };
      Outputs?: { [k: string]: unknown };
    };
    [k: string]: unknown;
  }
}

/**
 * Stand-ins for monocdk, AWS CDK v1 as one package (1.203.0, its last release): its submodules are the
 * v1 packages' APIs (the stand-ins of cdk-v1.d.ts), its root `@aws-cdk/core`'s with each submodule as
 * `aws_<name>`. A fix of a monocdk table type-checked against the real package (npm install monocdk@1)
 * and synthesized a key and the table's SSESpecification (real-world round 15).
 */
declare module 'monocdk/aws-dynamodb' {
  export * from '@aws-cdk/aws-dynamodb';
}
declare module 'monocdk/aws-kms' {
  export * from '@aws-cdk/aws-kms';
}
declare module 'monocdk/aws-iam' {
  export * from '@aws-cdk/aws-iam';
}
declare module 'monocdk' {
  export * from '@aws-cdk/core';
  export * as aws_dynamodb from '@aws-cdk/aws-dynamodb';
  export * as aws_kms from '@aws-cdk/aws-kms';
  export * as aws_iam from '@aws-cdk/aws-iam';
}

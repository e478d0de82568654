// CDK Terrain (cdktn, @cdktn/provider-aws): CDK for Terraform's API under its fork's package names
// (cdktf.d.ts holds the declarations).
declare module 'cdktn' {
  export * from 'cdktf';
}
declare module '@cdktn/provider-aws/lib/provider' {
  export * from '@cdktf/provider-aws/lib/provider';
}
declare module '@cdktn/provider-aws/lib/dynamodb-table' {
  export * from '@cdktf/provider-aws/lib/dynamodb-table';
}
declare module '@cdktn/provider-aws/lib/kms-key' {
  export * from '@cdktf/provider-aws/lib/kms-key';
}
declare module '@cdktn/provider-aws/lib/kms-alias' {
  export * from '@cdktf/provider-aws/lib/kms-alias';
}
declare module '@cdktn/provider-aws/lib/data-aws-caller-identity' {
  export * from '@cdktf/provider-aws/lib/data-aws-caller-identity';
}
declare module '@cdktn/provider-aws/lib/data-aws-partition' {
  export * from '@cdktf/provider-aws/lib/data-aws-partition';
}
declare module '@cdktn/provider-aws/lib/data-aws-region' {
  export * from '@cdktf/provider-aws/lib/data-aws-region';
}

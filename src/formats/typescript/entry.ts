/** Cheap registry entry for the TypeScript family (AWS CDK, CDK for Terraform, Pulumi): TypeScript loads only when a file needs it. */
import type { FormatEntry } from '../../core/types.js';

const MARKERS = /aws-dynamodb|aws_dynamodb|DynamodbTable|dynamodb\.Table|@pulumi\/aws/;

export const typescriptEntry: FormatEntry = {
  name: 'typescript',
  accepts: (path) => /\.ts$/i.test(path) && !/\.d\.ts$/i.test(path),
  prefilter: (text) => MARKERS.test(text),
  load: async () => (await import('./index.js')).typescript,
};

/** Cheap registry entry for the Terraform family: tree-sitter loads only when a file needs it. */
import type { Transform, TransformEntry } from '../../src/types.js';

const TABLE = /aws_dynamodb_table|terraform-aws-modules\/dynamodb-table|terraform-aws-dynamodb-table/;

export const terraformEntry: TransformEntry = {
  name: 'terraform',
  accepts: (path) => /\.tf(\.json)?$/i.test(path),
  prefilter: (text) => TABLE.test(text),
  load: async () => (await import('./index.js')).terraform as unknown as Transform,
};

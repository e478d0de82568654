/** Cheap registry entry for the Terraform family: tree-sitter loads only when a file needs it. */
import type { FormatEntry } from '../../core/types.js';

const TABLE = /aws_dynamodb_table|terraform-aws-modules\/dynamodb-table|terraform-aws-dynamodb-table/;

export const terraformEntry: FormatEntry = {
  name: 'terraform',
  accepts: (path) => /\.tf(\.json)?$/i.test(path),
  prefilter: (text) => TABLE.test(text),
  // A module's files, and its lock file (which hashicorp/aws version the module runs with).
  siblingFile: (name) => /\.tf(\.json)?$/i.test(name) || name === '.terraform.lock.hcl',
  load: async () => (await import('./index.js')).terraform,
};

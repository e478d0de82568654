/** Cheap registry entry for Pulumi YAML programs (Pulumi.yaml / Main.yaml with `runtime: yaml`). */
import type { FormatEntry } from '../../core/types.js';

const PULUMI_TABLE = /aws(?:-native)?:dynamodb(?:\/table(?:Replica)?)?:(?:Global)?Table/;

export const pulumiYamlEntry: FormatEntry = {
  name: 'pulumi-yaml',
  accepts: (path) => /\.ya?ml$/i.test(path),
  // aws:dynamodb:Table, aws:dynamodb/table:Table, and their TableReplica; aws-native:dynamodb:Table and :GlobalTable.
  prefilter: (text) => PULUMI_TABLE.test(text),
  load: async () => (await import('./index.js')).pulumiYaml,
};

/** Cheap registry entry for Pulumi YAML programs (Pulumi.yaml / Main.yaml with `runtime: yaml`). */
import type { FormatEntry } from '../../core/types.js';

const PULUMI_TABLE = /aws:dynamodb(?:\/table(?:Replica)?)?:Table/;

export const pulumiYamlEntry: FormatEntry = {
  name: 'pulumi-yaml',
  accepts: (path) => /\.ya?ml$/i.test(path),
  // aws:dynamodb:Table, aws:dynamodb/table:Table, and their TableReplica.
  prefilter: (text) => PULUMI_TABLE.test(text),
  load: async () => (await import('./index.js')).pulumiYaml,
};

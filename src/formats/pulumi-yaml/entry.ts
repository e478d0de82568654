/** Cheap registry entry for Pulumi YAML programs (Pulumi.yaml / Main.yaml with `runtime: yaml`). */
import type { FormatEntry } from '../../core/types.js';

export const pulumiYamlEntry: FormatEntry = {
  name: 'pulumi-yaml',
  accepts: (path) => /\.ya?ml$/i.test(path),
  prefilter: (text) => text.includes('aws:dynamodb:Table'),
  load: async () => (await import('./index.js')).pulumiYaml,
};

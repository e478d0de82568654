/** Cheap registry entry for Pulumi YAML programs (Pulumi.yaml / Main.yaml with `runtime: yaml`). */
import type { Transform, TransformEntry } from '../../core/types.js';

export const pulumiYamlEntry: TransformEntry = {
  name: 'pulumi-yaml',
  accepts: (path) => /\.ya?ml$/i.test(path),
  prefilter: (text) => text.includes('aws:dynamodb:Table'),
  load: async () => (await import('./index.js')).pulumiYaml as unknown as Transform,
};

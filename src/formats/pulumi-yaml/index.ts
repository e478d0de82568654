/** Pulumi YAML programs (`runtime: yaml`): detection, fix and verification. */
import type { Format } from '../../core/types.js';
import { detectPulumiYaml } from './detect.js';
import type { PulumiDetection } from './tableTypes.js';
import { fixPulumiYaml } from './fix.js';
import { pulumiStacks } from '../pulumi/stacks.js';
import { verifyPulumiYaml } from './verify.js';

export const pulumiYaml: Format<PulumiDetection> = {
  name: 'pulumi-yaml',
  detect: (file, context) => {
    const d = detectPulumiYaml(file);
    // A table's key written as a config value (`kmsKeyArn: ${tableKey}`): detected again with what each stack's file sets.
    if (!context || !d.tables.some((t) => t.config)) return d;
    return pulumiStacks(file, context).then((stacks) => (stacks ? detectPulumiYaml(file, stacks) : d));
  },
  fix: fixPulumiYaml,
  verify: (files, options) =>
    files.map((f) => (f.edits.length > 0 ? verifyPulumiYaml(f.before.detection, f.detection, f.fixed, options) : [])),
};

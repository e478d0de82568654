/** Pulumi YAML programs (`runtime: yaml`): detection, fix and verification. */
import type { Format } from '../../core/types.js';
import { detectPulumiYaml, type PulumiDetection } from './detect.js';
import { fixPulumiYaml } from './fix.js';
import { verifyPulumiYaml } from './verify.js';

export const pulumiYaml: Format<PulumiDetection> = {
  name: 'pulumi-yaml',
  detect: detectPulumiYaml,
  fix: fixPulumiYaml,
  verify: (files, options) =>
    files.map((f) => (f.edits.length > 0 ? verifyPulumiYaml(f.before.detection, f.detection, f.fixed, options) : [])),
};

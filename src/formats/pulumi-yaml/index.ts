/** Pulumi YAML programs (`runtime: yaml`): detection, fix and verification. */
import type { Format } from '../../core/types.js';
import { detectPulumiYaml, type PulumiDetection } from './detect.js';
import { fixPulumiYaml } from './fix.js';
import { verifyPulumiYaml } from './verify.js';

export const pulumiYaml: Format<PulumiDetection> = {
  name: 'pulumi-yaml',
  detect: detectPulumiYaml,
  fix: fixPulumiYaml,
  verify: (_file, detection, fixed, options, before) => verifyPulumiYaml(before, detection, fixed, options),
};

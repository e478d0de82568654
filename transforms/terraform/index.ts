/** The Terraform family: HCL (.tf) and Terraform JSON (.tf.json), fixed one module directory at a time. */
import path from 'node:path';
import type { Transform } from '../../src/types.js';
import { detectTerraform, type TfDetection } from './detect.js';
import { verifyTerraform } from './verify.js';

export const terraform: Transform<TfDetection> = {
  name: 'terraform',
  detect: detectTerraform,
  groupKey: (absPath) => path.dirname(absPath),
  // Planning code (renderers, editors) is loaded only by `fix`.
  fix: async (group, options) => (await import('./fix.js')).fixTerraform(group, options),
  verify: verifyTerraform,
};

export default terraform;

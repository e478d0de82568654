/** The TypeScript family: AWS CDK v2, CDK for Terraform and Pulumi programs written in TypeScript. */
import type { Transform } from '../../src/types.js';
import { detectTypeScript, type TsDetection } from './detect.js';
import { verifyTypeScript } from './verify.js';

export const typescript: Transform<TsDetection> = {
  name: 'typescript',
  detect: detectTypeScript,
  // Planning code (renderers, editors) is loaded only by `fix`.
  fix: async (group, options) => (await import('./fix.js')).fixTypeScript(group, options),
  verify: verifyTypeScript,
};

export default typescript;

/** The TypeScript family: AWS CDK v2, CDK for Terraform and Pulumi programs written in TypeScript. */
import type { Transform } from '../../src/types.js';
import { detectTypeScript, type TsDetection } from './detect.js';
import { fixTypeScript } from './fix.js';
import { verifyTypeScript } from './verify.js';

export const typescript: Transform<TsDetection> = {
  name: 'typescript',
  detect: detectTypeScript,
  fix: fixTypeScript,
  verify: verifyTypeScript,
};

export default typescript;

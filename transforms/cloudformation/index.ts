/** The CloudFormation family: CloudFormation and SAM templates (YAML, JSON) and serverless.yml. */
import type { Transform } from '../../src/types.js';
import { detectCloudFormation, type CfnDetection } from './detect.js';
import { child, scalarString } from './tree.js';

let fixModule: typeof import('./fix.js') | undefined;

export const cloudformation: Transform<CfnDetection> = {
  name: 'cloudformation',
  detect: detectCloudFormation,
  // Planning code (renderers, editors) is loaded only by `fix` (once: each dynamic import() goes through the module loader).
  fix: async (group, options) => (fixModule ??= await import('./fix.js')).fixCloudFormation(group, options),
  verify(file, detection, fixed, options) {
    if (options.kmsKeyArn) return [];
    const problems: string[] = [];
    for (const t of detection.tables) {
      if (!fixed.includes(t.address)) continue;
      const keyId = t.keyRefs[t.keyRefs.length - 1];
      const key = keyId ? child(t.template.resources, keyId) : undefined;
      if (scalarString(child(key, 'Type')) !== 'AWS::KMS::Key') {
        problems.push(`table ${t.address} does not reference a generated AWS::KMS::Key`);
      } else if (scalarString(child(child(key, 'Properties'), 'EnableKeyRotation')) !== 'true') {
        problems.push(`key ${keyId} of table ${t.address} does not enable rotation`);
      }
    }
    return problems;
  },
};

export default cloudformation;

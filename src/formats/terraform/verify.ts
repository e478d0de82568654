/**
 * Checks on a fixed file's re-detection: each fixed table points at a key with rotation on,
 * declared in the same file or, for a key shared by the module (--key-strategy shared), in another
 * file of the module as the same fix leaves it; or at the key given with --kms-key-arn.
 */
import type { FixOptions, SourceFile } from '../../core/types.js';
import type { TfDetection } from './detect.js';
import { summarize } from './topBlocks.js';

const KEY_REF = /^aws_kms_key\.([A-Za-z_][\w-]*)(\[[^\]]*\])?\.arn$/;

/**
 * The keys of a module as a planned fix leaves it (name -> rotation on), for each planned file text:
 * set by the fix (fix.ts), read by the verification of exactly that text, once. Verification is per
 * file; a key shared across files is a fact of the module.
 */
const moduleKeys = new Map<string, { text: string; keys: Map<string, boolean> }>();

export function expectModuleKeys(absPath: string, text: string, keys: Map<string, boolean>): void {
  moduleKeys.set(absPath, { text, keys });
}

function keysOfModule(file: SourceFile): Map<string, boolean> | undefined {
  const k = moduleKeys.get(file.absPath);
  if (!k || k.text !== file.text) return undefined;
  moduleKeys.delete(file.absPath);
  return k.keys;
}

export function verifyTerraform(file: SourceFile, detection: TfDetection, fixed: string[], options: FixOptions): string[] {
  if (options.kmsKeyArn) return [];
  const problems: string[] = [];
  const tops = summarize(detection, file.text);
  const elsewhere = keysOfModule(file);
  for (const t of detection.tables) {
    if (!fixed.includes(t.address)) continue;
    const m = KEY_REF.exec(t.keyRef?.trim() ?? '');
    const key = m && tops.find((b) => b.type === 'resource' && b.labels[0] === 'aws_kms_key' && b.labels[1] === m[1]);
    if (key) {
      if (key.attr('enable_key_rotation')?.value !== 'true')
        problems.push(`key aws_kms_key.${m![1]} of ${t.address} does not enable rotation`);
    } else if (m && elsewhere?.has(m[1])) {
      if (!elsewhere.get(m[1])) problems.push(`key aws_kms_key.${m[1]} of ${t.address} does not enable rotation`);
    } else {
      problems.push(`table ${t.address} does not reference a generated aws_kms_key in ${file.path}${elsewhere ? ' or its module' : ''}`);
    }
  }
  return problems;
}

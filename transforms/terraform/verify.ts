/**
 * Checks on a fixed file's re-detection: each fixed table points at a key declared in the same
 * file (with rotation on), or at the key given with --kms-key-arn.
 */
import type { FixOptions, SourceFile } from '../../src/types.js';
import type { TfDetection } from './detect.js';
import { summarize } from './summary.js';

const KEY_REF = /^aws_kms_key\.([A-Za-z_][\w-]*)(\[[^\]]*\])?\.arn$/;

export function verifyTerraform(file: SourceFile, detection: TfDetection, fixed: string[], options: FixOptions): string[] {
  if (options.kmsKeyArn) return [];
  const problems: string[] = [];
  const tops = summarize(detection, file.text);
  for (const t of detection.tables) {
    if (!fixed.includes(t.address)) continue;
    const m = KEY_REF.exec(t.keyRef?.trim() ?? '');
    const key = m && tops.find((b) => b.type === 'resource' && b.labels[0] === 'aws_kms_key' && b.labels[1] === m[1]);
    if (!key) problems.push(`table ${t.address} does not reference a generated aws_kms_key in ${file.path}`);
    else if (key.attr('enable_key_rotation')?.value !== 'true') problems.push(`key aws_kms_key.${m![1]} of ${t.address} does not enable rotation`);
  }
  return problems;
}

/**
 * Checks on a fixed module beyond the engine's re-detection (Format.verify), on the text the engine
 * applied: HashiCorp's own parser accepts what each fix changed (hclcheck.ts); each fixed table
 * points at a key with rotation on, declared in the same file or, for a key shared by the module
 * (--key-strategy shared), in another file of the module as the same fix leaves it; or at the key
 * given with --kms-key-arn.
 */
import type { DiskContext, FixOptions, FixedFile } from '../../core/types.js';
import type { TfDetection } from './detect.js';
import { siblingBlocks, summarize, type TopBlock } from './topBlocks.js';

const KEY_REF = /^aws_kms_key\.([A-Za-z_][\w-]*)(\[[^\]]*\])?\.arn$/;

export async function verifyTerraform(files: FixedFile<TfDetection>[], options: FixOptions, context: DiskContext): Promise<string[][]> {
  const problems: string[][] = [];
  for (const f of files) {
    // HashiCorp's parser (hclcheck.ts) is loaded by fix only. The re-detection's model of this same
    // text (parse.ts parseHcl) gives the pieces to check: the text is not parsed a second time.
    const check = f.edits.length > 0 ? (await import('./hclcheck.js')).outputProblem : undefined;
    const problem = check ? await check(f.file.path, f.file.text, f.edits, f.detection.hcl, f.before.file.text) : undefined;
    problems.push(problem ? [`the fixed file does not parse with HashiCorp's parser: ${problem}`] : []);
  }
  if (options.kmsKeyArn) return problems;
  // A shared key is declared in one file of the module and referenced from the others.
  const elsewhere = options.keyStrategy === 'shared' ? await keysOfModule(files, context) : undefined;
  files.forEach((f, i) => {
    if (f.edits.length > 0) problems[i].push(...keyProblems(f, elsewhere));
  });
  return problems;
}

function keyProblems({ file, detection, fixed }: FixedFile<TfDetection>, elsewhere: Map<string, boolean> | undefined): string[] {
  const problems: string[] = [];
  const tops = summarize(detection, file.text);
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

/** The keys of the module as the fix leaves it (name -> rotation on): its other files, and every file of the group. */
async function keysOfModule(files: FixedFile<TfDetection>[], context: DiskContext): Promise<Map<string, boolean>> {
  const keys = new Map<string, boolean>();
  const add = (bs: TopBlock[]) => {
    for (const b of bs)
      if (b.type === 'resource' && b.labels[0] === 'aws_kms_key') keys.set(b.labels[1], b.attr('enable_key_rotation')?.value === 'true');
  };
  add(await siblingBlocks(await context.siblings()));
  for (const f of files) add(summarize(f.detection, f.file.text));
  return keys;
}

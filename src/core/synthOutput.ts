/**
 * Synthesized output: what `cdk synth` writes into `cdk.out` and `cdktf synth` into `cdktf.out`,
 * overwritten by the next synth and never read back by the app that generates it. Any file under a
 * path segment of that name is such output (a folder named on the command line, or a file in it:
 * discovery skips both folders when walking). Its tables are reported, never fixed (the
 * `synth-output` obstacle, src/rule/blockers.ts). A CloudFormation template beside a CDK app, that
 * the app's cdk synth wrote out of cdk.out, is told by the format (src/formats/cloudformation/synthesized.ts).
 * A Terraform JSON file CDKTF synthesized is also told wherever it is, by the `"//"` metadata CDKTF writes in it
 * (`cdktfMetadataIn`): Winglang compiles `main.w` into `target/main.tfaws/main.tf.json` (rw39 F3).
 */
import type { Obstacle } from '../rule/facts.js';

/** The output folders, and the tool that writes each. */
const FOLDERS: Record<string, 'cdk' | 'cdktf'> = { 'cdk.out': 'cdk', 'cdktf.out': 'cdktf' };

/** The obstacle of a file under `cdk.out` or `cdktf.out` (its absolute path, either separator); undefined elsewhere. */
export function synthOutputAt(absPath: string): Obstacle | undefined {
  if (!absPath.includes('.out')) return undefined;
  for (const segment of absPath.split(/[\\/]/).slice(0, -1)) {
    const tool = FOLDERS[segment];
    if (tool) return { kind: 'synth-output', tool, why: `under ${segment}` };
  }
  return undefined;
}

/**
 * CDKTF's `"//"` metadata in a Terraform JSON file: the stack's at its top (`{"metadata": {"backend", "stackName",
 * "version"}}`) or a resource's (`{"metadata": {"path", "uniqueId"}}`), which no hand-written file carries.
 */
const CDKTF_METADATA = /"\/\/"\s*:\s*\{\s*"metadata"\s*:\s*\{[^{}]*"(stackName|uniqueId)"\s*:/;

/** The obstacle of a Terraform JSON file with CDKTF's `"//"` metadata (see above); `source`, what compiles into it when known. */
export function cdktfMetadataIn(text: string, source?: string): Obstacle | undefined {
  const m = CDKTF_METADATA.exec(text);
  if (!m) return undefined;
  return { kind: 'synth-output', tool: 'cdktf', why: `CDKTF's "//" metadata with ${m[1]} in it`, ...(source ? { source } : {}) };
}

/**
 * Synthesized output: what `cdk synth` writes into `cdk.out` and `cdktf synth` into `cdktf.out`,
 * overwritten by the next synth and never read back by the app that generates it. Any file under a
 * path segment of that name is such output (a folder named on the command line, or a file in it:
 * discovery skips both folders when walking). Its tables are reported, never fixed (the
 * `synth-output` obstacle, src/rule/blockers.ts). A CloudFormation template beside a CDK app, that
 * the app's cdk synth wrote out of cdk.out, is told by the format (src/formats/cloudformation/synthesized.ts).
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

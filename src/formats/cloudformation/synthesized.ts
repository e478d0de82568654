/**
 * Templates `cdk synth` wrote: under `cdk.out` (src/core/synthOutput.ts), or copied out of it beside
 * the CDK app (a repository that commits each app's synthesized template.yaml next to its cdk.json).
 * Their tables are reported as read, never fixed (the `synth-output` obstacle): the next synth
 * overwrites the file, and the app, which is what deploys, would keep the AWS owned key.
 *
 * Outside cdk.out, a template counts as synthesized when the table's resource carries CDK's
 * `Metadata: aws:cdk:path` and a cdk.json with an `app` lies at or above the template's folder
 * (DiskContext.projectFile): CDK then regenerates it. A template with aws:cdk:path and no CDK app
 * around may be what a team deploys (synthesized once, kept and edited since): it stays fixable.
 * Only a file with such a table a fix would change pays for the lookup.
 */
import { decide } from '../../rule/cmk.js';
import { isFixableStatus } from '../../rule/status.js';
import { hasCdkApp, cdkJsonOf } from '../../core/cdkJson.js';
import { synthOutputAt } from '../../core/synthOutput.js';
import type { DiskContext, SourceFile } from '../../core/types.js';
import { child, pair, scalarString } from '../yaml/tree.js';
import type { CfnDetection, CfnTable } from './tableTypes.js';

const CDK_PATH = 'aws:cdk:path';

/** The resource's `Metadata: aws:cdk:path` (`OrdersStack/Orders/Resource`), if it has one. */
function cdkPathOf(t: CfnTable): string | undefined {
  return scalarString(pair(child(t.resource, 'Metadata'), CDK_PATH)?.value);
}

/** The detection with the `synth-output` obstacle on each table of synthesized output (see above). */
export function withSynthOutput(
  detection: CfnDetection,
  file: SourceFile,
  context: DiskContext | undefined,
): CfnDetection | Promise<CfnDetection> {
  if (detection.tables.length === 0) return detection;
  const under = synthOutputAt(file.absPath);
  if (under) {
    for (const t of detection.tables) t.encryption.obstacles.push(under);
    return detection;
  }
  if (!context || !file.text.includes(CDK_PATH)) return detection;
  const marked = detection.tables.flatMap((t) => {
    const at = isFixableStatus(decide(t.encryption).status) ? cdkPathOf(t) : undefined;
    return at === undefined ? [] : [{ t, at }];
  });
  if (marked.length === 0) return detection;
  return context.projectFile(file, 'cdk.json', hasCdkApp).then((cdkJson) => {
    if (!cdkJson) return detection;
    const app = `${cdkJson.path}, app ${JSON.stringify(cdkJsonOf(cdkJson).app)}`;
    for (const { t, at } of marked)
      t.encryption.obstacles.push({ kind: 'synth-output', tool: 'cdk', why: `Metadata ${CDK_PATH} ${at}`, app });
    return detection;
  });
}

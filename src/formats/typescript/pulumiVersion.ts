/**
 * What the packages of a Pulumi project can compile of the key a fix generates, read in each
 * package's typings (npm pack): `aws.getCallerIdentityOutput` and `aws.getPartitionOutput`, which the
 * fix reads the account and partition of its key policy through, came in @pulumi/aws 6.0.0 (5.x has
 * only the promise forms, `getCallerIdentity(opts)`); `pulumi.jsonStringify`, which writes the policy,
 * in @pulumi/pulumi 3.50.0. The version read is the lowest the nearest package.json that lists the
 * package allows (project.ts), unless the nearest lock file (package-lock.json, yarn.lock,
 * pnpm-lock.yaml, bun.lock) installs a version that has it; a package not declared (installed through another: @pulumi/cloud-aws brings
 * @pulumi/aws) or declared with no floor (`latest`) is read in the lock file alone; with neither, tables
 * are fixed as before.
 * Below it a table's generated key would not compile: a `generated-key` obstacle (--kms-key-arn writes
 * neither lookups nor policy) whose step names the version to upgrade to, or what to write by hand.
 */
import type { DiskContext, SourceFile } from '../../core/types.js';
import { WAIVABLE } from '../../rule/blockers.js';
import { decide, fixWanted } from '../../rule/cmk.js';
import type { TsDetection } from './tableTypes.js';
import { switchAlone } from './switchOnly.js';
import { PULUMI, PULUMI_AWS } from './keys.js';
import { compareVersions, declaringPackage, lockedVersion, lowestVersion, rangeIn, type Version } from './project.js';

/** What the generated key of a Pulumi fix writes that came late: in which package, since which version, and the form older versions take. */
const LIMITS: { pkg: string; version: Version; lacks: string; instead: string }[] = [
  {
    pkg: PULUMI_AWS,
    version: [6, 0, 0],
    lacks: 'aws.getCallerIdentityOutput nor aws.getPartitionOutput',
    instead:
      'its policy reading the account and partition through pulumi.output(aws.getCallerIdentity(opts)) and ' +
      "pulumi.output(aws.getPartition(opts)) (opts: the table's parent and provider)",
  },
  {
    pkg: PULUMI,
    version: [3, 50, 0],
    lacks: 'pulumi.jsonStringify',
    instead: 'its policy written as pulumi.output({ Version: "2012-10-17", Statement: [...] }).apply(JSON.stringify)',
  },
];

/** Each Pulumi table a fix would change, when the project's packages lack what its generated key writes, gets a step. */
export function pulumiVersionLimits(file: SourceFile, d: TsDetection, context: DiskContext | undefined): Promise<void> | undefined {
  // A table whose fix turns its switch on alone writes no key (switchOnly.ts).
  const open = d.tables.filter((t) => t.kind === 'PulumiTable' && fixWanted(decide(t.encryption, WAIVABLE)) && !switchAlone(t));
  if (open.length === 0 || !context) return undefined;
  let nearest: Promise<SourceFile | undefined> | undefined;
  return Promise.all(LIMITS.map((l) => declaringPackage(file, l.pkg, context))).then(async (packages) => {
    const unmet: ((typeof LIMITS)[number] & { said: string })[] = [];
    for (const [i, l] of LIMITS.entries()) {
      const range = packages[i] && rangeIn(packages[i], l.pkg);
      const lowest = lowestVersion(range);
      if (lowest && compareVersions(lowest, l.version) >= 0) continue;
      // Not declared (installed through another package, as @pulumi/cloud-aws brings @pulumi/aws), or with no
      // floor (`latest`, `*`): what the lock file installs, when it says.
      const pkg = packages[i] ?? (await (nearest ??= context.projectFile(file, 'package.json')));
      const locked = pkg && (await lockedVersion(pkg, l.pkg, context));
      const installed = lowestVersion(locked);
      if (lowest && (!installed || compareVersions(installed, l.version) < 0)) unmet.push({ ...l, said: `declares ${l.pkg} ${range}` });
      else if (!lowest && installed && compareVersions(installed, l.version) < 0)
        unmet.push({ ...l, said: `installs ${l.pkg} ${locked} (its lock file${range ? `, for ${range}` : ''})` });
    }
    if (unmet.length === 0) return;
    const at = (l: (typeof unmet)[number]) => `${l.pkg} to ${l.version.join('.')} or later`;
    const step =
      `the project ${unmet.map((l) => `${l.said}, which has no ${l.lacks} (added in ${l.version.join('.')})`).join(', and ')}, ` +
      `so the key a fix generates would not compile: upgrade ${unmet.map(at).join(' and ')}, then run kmsfix again; or write the key ` +
      `by hand (an aws.kms.Key with enableKeyRotation: true, and serverSideEncryption: { enabled: true, kmsKeyArn: key.arn } on the table), ` +
      unmet.map((l) => l.instead).join(', and ');
    for (const t of open) t.encryption.obstacles.push({ kind: 'generated-key', step });
  });
}

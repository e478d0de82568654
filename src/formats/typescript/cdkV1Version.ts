/**
 * What the packages of an AWS CDK v1 project can compile of a fix, read in each package's typings
 * (npm pack): `TableEncryption` and Table's `encryption` and `encryptionKey` props came in
 * @aws-cdk/aws-dynamodb 1.39.0 (1.38.0 has `serverSideEncryption` only); `sid` in @aws-cdk/aws-iam's
 * PolicyStatement props, which the key policy a fix writes names its statements with, in 1.28.0;
 * CfnTable's `sseSpecification.sseType` and `kmsMasterKeyId` in 1.8.0 (1.6.1 has `sseEnabled` only;
 * there is no 1.7). CDK v1 wants its packages at one version: the one read is the lowest the nearest
 * package.json that lists @aws-cdk/aws-dynamodb allows (project.ts); with none, or a range that sets
 * no floor, tables are fixed as before. Below it a table is not fixable: the step names the version
 * to upgrade to, or the override to write by hand. The same package.json tells whether projen
 * generates it (projen.ts: TableFacts.projen), and whether it declares @aws-cdk/aws-kms and
 * @aws-cdk/aws-iam, which a fix imports: what it lacks is an `undeclared-imports` caution.
 */
import type { DiskContext, SourceFile } from '../../core/types.js';
import { WAIVABLE } from '../../rule/blockers.js';
import { decide, fixWanted } from '../../rule/cmk.js';
import type { TsDetection } from './tableTypes.js';
import { compareVersions, declaringPackage, lowestVersion, rangeIn, type Version } from './project.js';
import { fromFolderOf, projenConfig } from './projen.js';

const PACKAGE = '@aws-cdk/aws-dynamodb';

/** What a fix newly imports in a CDK v1 file: the key (also for --kms-key-arn: Key.fromKeyArn), the key policy. */
const IMPORTED = ['@aws-cdk/aws-kms', '@aws-cdk/aws-iam'];

/** What a fix writes that came late in CDK v1: since which version, for which table classes. */
const LIMITS: { version: Version; classes: string[]; lacks: string }[] = [
  { version: [1, 39, 0], classes: ['Table'], lacks: "TableEncryption, nor Table's encryption and encryptionKey props" },
  {
    version: [1, 28, 0],
    classes: ['Table', 'CfnTable'],
    lacks: "sid (the key policy's statement ids) in @aws-cdk/aws-iam's PolicyStatement props",
  },
  { version: [1, 8, 0], classes: ['CfnTable'], lacks: "sseType nor kmsMasterKeyId in CfnTable's sseSpecification" },
];

const OVERRIDE =
  "addPropertyOverride('SSESpecification', { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: key.keyArn }) " +
  "on the table's CfnTable, with a customer-managed KMS key of the table's Region and account";

/** Each CDK v1 table a fix would change, when the project's CDK lacks what the fix writes, gets a step; in a projen project, its .projenrc. */
export function cdkV1VersionLimits(file: SourceFile, d: TsDetection, context: DiskContext | undefined): Promise<void> | undefined {
  const open = d.tables.filter(
    (t) => t.generation === 'cdk-v1' && LIMITS.some((l) => l.classes.includes(t.kind)) && fixWanted(decide(t.encryption, WAIVABLE)),
  );
  if (open.length === 0 || !context) return undefined;
  return declaringPackage(file, PACKAGE, context).then((pkg) => {
    // The same package.json declares what a fix newly imports (@aws-cdk/aws-kms, @aws-cdk/aws-iam), unless projen generates it.
    const projen = pkg && projenConfig(pkg);
    if (projen) for (const t of open) t.projen = fromFolderOf(file, projen);
    // What that package.json (or, with none, nothing) does not declare is said for the reviewer (a caution).
    const missing = IMPORTED.filter((m) => !(pkg && rangeIn(pkg, m)));
    if (missing.length > 0)
      for (const t of open)
        (t.encryption.cautions ??= []).push({ kind: 'undeclared-imports', packages: missing, ...(t.projen ? { projen: t.projen } : {}) });
    const range = pkg && rangeIn(pkg, PACKAGE);
    const lowest = lowestVersion(range);
    if (!lowest) return;
    for (const t of open) {
      const unmet = LIMITS.filter((l) => l.classes.includes(t.kind) && compareVersions(lowest, l.version) < 0);
      if (unmet.length === 0) continue;
      const first = unmet[0].version.join('.');
      const lacks = unmet.map((l) => `${l.lacks} (added in ${l.version.join('.')})`).join(', nor ');
      t.encryption.obstacles.push({
        kind: 'code-shape',
        step:
          `the project declares ${PACKAGE} ${range}, whose CDK v1 has no ${lacks}, so a fix would not compile: upgrade ` +
          `${PACKAGE}, @aws-cdk/aws-kms, @aws-cdk/aws-iam and @aws-cdk/core to ${first} or later, then run kmsfix again; ` +
          `or set the key by hand with ${OVERRIDE}`,
      });
    }
  });
}

/**
 * Which cloud a `@pulumi/cloud` program deploys to (real-world round 44, F2): `@pulumi/cloud`'s `Table` is an
 * `aws.dynamodb.Table` only on its AWS backend, which the stack's `cloud:provider` config picks (`aws`, `azure`; the
 * library requires it). A program whose stacks all pick another backend creates no DynamoDB table: its Tables
 * are not reported (a CI gate failed on `aws-owned` tables of an Azure program). Read: each stack file's
 * `cloud:provider` (or the project's default under `config:`); with no stack setting it, the nearest package.json
 * that lists `@pulumi/cloud`: a backend package other than `@pulumi/cloud-aws` listed and that one not. A stack
 * kmsfix cannot read, one importing ESC environments, or one left unset keeps the tables reported.
 */
import type { DiskContext, SourceFile } from '../../core/types.js';
import { pulumiStacks } from '../pulumi/stacks.js';
import { type CMap, child, resolveAlias, scalarString } from '../yaml/tree.js';
import type { TsDetection } from './tableTypes.js';
import { declaringPackage, rangeIn } from './project.js';

export const CLOUD_TABLE = '@pulumi/cloud.Table';
const BACKENDS = ['@pulumi/cloud-azure', '@pulumi/cloud-gcp'];

/** Drops the file's `@pulumi/cloud` Tables when the program deploys to another cloud than AWS. */
export async function dropOtherClouds(file: SourceFile, d: TsDetection, context: DiskContext): Promise<void> {
  if (await otherCloud(file, context)) d.tables = d.tables.filter((t) => t.type !== CLOUD_TABLE);
}

async function otherCloud(file: SourceFile, context: DiskContext): Promise<boolean> {
  const stacks = await pulumiStacks(file, context);
  const provider = (config: CMap | undefined) => scalarString(resolveAlias(child(config, 'cloud:provider') ?? null));
  if (stacks) {
    const fallback = provider(stacks.defaults);
    const picked = stacks.stacks.map((s) => (s.config === 'unreadable' || s.environment ? undefined : (provider(s.config) ?? fallback)));
    if (picked.some((p) => p !== undefined)) return picked.every((p) => p !== undefined && p !== 'aws');
  }
  const pkg = await declaringPackage(file, '@pulumi/cloud', context);
  return pkg !== undefined && rangeIn(pkg, '@pulumi/cloud-aws') === undefined && BACKENDS.some((b) => rangeIn(pkg, b) !== undefined);
}

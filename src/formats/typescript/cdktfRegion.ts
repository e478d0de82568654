/**
 * A CDK for Terraform table with a `region` of its own (hashicorp/aws 6's Enhanced Region Support) is
 * fixed as Terraform's `region = ...` is: its key and alias get the same `region`, and its policy's
 * Region lookup (`DataAwsRegion` with that `region`) names it (fix.ts). @cdktf/provider-aws took
 * hashicorp/aws 6.0.0 in 21.0.0 (20.x binds 5.99-5.100, which has no `region` on resources); CDK
 * Terrain's @cdktn/provider-aws began at 23.x, on 6.x. The version read is the lowest the nearest
 * package.json that lists the table's provider package allows (project.ts), as the Pulumi Region
 * attribute is chosen; with none, an older one, or no project files, the table stays declined
 * (`resource-region`, detect.ts).
 */
import type { DiskContext, SourceFile } from '../../core/types.js';
import type { TsDetection } from './tableTypes.js';
import { declaredRange, majorOf } from './project.js';

/** The first @cdktf/provider-aws major whose resources take `region` (hashicorp/aws 6.0.0). */
export const CDKTF_REGION_MAJOR = 21;

/** The provider package a table's class comes from: CDK Terrain's fork, or CDKTF's. */
function packageOf(type: string): string {
  return type.startsWith('@cdktn/') ? '@cdktn/provider-aws' : '@cdktf/provider-aws';
}

/** Lifts the `resource-region` obstacle of each CDKTF table whose project's provider package has `region`. */
export function cdktfRegionLimits(file: SourceFile, d: TsDetection, context: DiskContext | undefined): Promise<void> | undefined {
  const movable = d.tables.filter((t) => t.regionMovable);
  if (movable.length === 0 || !context) return undefined;
  const packages = [...new Set(movable.map((t) => packageOf(t.type)))];
  return Promise.all(packages.map((p) => declaredRange(file, p, context))).then((ranges) => {
    const has = new Set(packages.filter((_, i) => (majorOf(ranges[i]) ?? 0) >= CDKTF_REGION_MAJOR));
    for (const t of movable) {
      if (has.has(packageOf(t.type))) t.encryption.obstacles = t.encryption.obstacles.filter((o) => o.kind !== 'resource-region');
      else t.regionMovable = undefined;
    }
  });
}

/**
 * Global tables: a replica resource's table (`global_table_arn`, in the file or another of the module),
 * whose encryption a keyless replica follows (replicasOfTables); a global table and its replica resources
 * fixed together or not at all (globalTableMembers); a legacy aws_dynamodb_global_table (legacyGlobalTable).
 */
import { decide } from '../../rule/cmk.js';
import type { Obstacle } from '../../rule/facts.js';
import type { DiskContext } from '../../core/types.js';
import { followItsTable, keyless, withPhrase } from '../../rule/replicaResource.js';
import { attr } from './parse.js';
import { detectTerraform, type TfDetection, type TfTable } from './detect.js';
import type { TopBlock } from './topBlocks.js';

/** The table a replica resource's `global_table_arn` names (`aws_dynamodb_table.<label>[...].arn`), by label. */
function globalTableOf(arn: { value: string } | undefined): string | undefined {
  return /^\s*aws_dynamodb_table\.([A-Za-z_][\w-]*)(\[[^\]]*\])?\.arn\s*$/.exec(arn?.value ?? '')?.[1];
}

/**
 * A global table and its replica resources are fixed together or not at all: a table that replica
 * resources of the module name, or a replica resource whose table (in this file, or another file of
 * the module) is not customer-managed, has the obstacle. So has a replica resource whose table is
 * not one of the module's (`global_table_arn = var.x`, an ARN built from variables: another stack's
 * table): it is read as encrypted with the AWS managed key (elsewhere), and a replica's key must be of
 * its table's kind ("All replica keys must either be Customer Managed CMK or AWS Managed CMK"), so a
 * key for the replica alone would fail at apply. (A replica without a key of a table that has a
 * customer-managed one would not have deployed: such a table is never the case here.)
 */
export async function globalTableMembers(
  t: TfTable,
  det: TfDetection,
  tops: TopBlock[],
  context: DiskContext | undefined,
): Promise<Obstacle | undefined> {
  if (t.kind === 'table') {
    const replicas = tops
      .filter(
        (b) =>
          b.type === 'resource' && b.labels[0] === 'aws_dynamodb_table_replica' && globalTableOf(b.attr('global_table_arn')) === t.label,
      )
      .map((b) => `aws_dynamodb_table_replica.${b.labels[1]}`);
    return replicas.length ? { kind: 'global-table-members', replicas } : undefined;
  }
  if (t.kind !== 'table-replica') return undefined;
  const table = await globalTable(t, det, context);
  if (!table) {
    const arn = attr(t.block, 'global_table_arn')?.value.trim();
    return arn ? { kind: 'global-table-members', replicas: [t.address], outside: arn } : undefined;
  }
  return decide(table.encryption).status !== 'customer-managed'
    ? { kind: 'global-table-members', replicas: [t.address], table: table.address }
    : undefined;
}

/** Each replica resource's table, looked for once (replicasOfTables and globalTableMembers both ask). */
const tableOfReplica = new WeakMap<TfTable, Promise<TfTable | undefined>>();

/** The table of a replica resource (`global_table_arn`): in its file, else in another file of the module (read as found; its own siblings not consulted). */
function globalTable(t: TfTable, det: TfDetection, context: DiskContext | undefined): Promise<TfTable | undefined> {
  let found = tableOfReplica.get(t);
  if (!found) tableOfReplica.set(t, (found = findGlobalTable(t, det, context)));
  return found;
}

async function findGlobalTable(t: TfTable, det: TfDetection, context: DiskContext | undefined): Promise<TfTable | undefined> {
  const arn = attr(t.block, 'global_table_arn');
  const call = /^\s*module\.([A-Za-z_][\w-]*)(\[[^\]]*\])?\.[A-Za-z_][\w-]*\s*$/.exec(arn?.value ?? '')?.[1];
  if (call !== undefined) return moduleTableOf(call, det);
  const label = globalTableOf(arn);
  if (label === undefined) return undefined;
  let table = det.tables.find((x) => x.kind === 'table' && x.label === label);
  for (const f of table || !context ? [] : await context.siblings()) {
    if (!f.text.includes(label) || !f.text.includes('aws_dynamodb_table')) continue;
    // A file that does not parse is the run's error, and keeps its module from being fixed.
    const other = await detectTerraform(f).catch(() => undefined);
    table = other?.tables.find((x) => x.kind === 'table' && x.label === label);
    if (table) break;
  }
  return table;
}

/**
 * The table of a local module's call (`global_table_arn = module.orders.table_arn`), as the call
 * configures it (moduleCalls.ts: the call's row), when the call is written in the replica's file and its
 * module declares one table. A call in another file is not looked for (its row comes from that file's
 * detection, which may name this one's replicas in turn).
 */
function moduleTableOf(call: string, det: TfDetection): TfTable | undefined {
  const rows = det.tables.filter((x) => x.kind === 'module' && x.local && x.label === call);
  return rows.length === 1 ? rows[0] : undefined;
}

/**
 * A replica resource without a key of its own (no kms_key_arn, null, "") uses its table's kind of
 * encryption: the AWS owned key when the table uses it (then aws-owned, not aws-managed), the AWS
 * managed key when the table uses KMS (as it reads by default). A table decided at plan time
 * leaves the replica so too.
 */
export async function replicasOfTables(det: TfDetection, context: DiskContext | undefined): Promise<void> {
  for (const t of det.tables) {
    const s = t.encryption.settings;
    if (t.kind !== 'table-replica' || s.model !== 'sse' || !keyless(s)) continue;
    const table = await globalTable(t, det, context);
    if (!table) {
      const arn = attr(t.block, 'global_table_arn')?.value.trim();
      if (s.key?.state === 'absent' && arn) t.encryption.words = withPhrase(t.encryption.words, 'keyAbsent', elsewhere(arn));
      continue;
    }
    followItsTable(t.encryption, table.encryption, table.address, 'kms_key_arn');
  }
}

/**
 * A replica resource whose table is declared elsewhere (`global_table_arn = var.x`, a module's output,
 * a data source): read as a table encrypted with KMS, as the provider documents a replica without a
 * key; the reason says so, and what the replica uses when that table uses the AWS owned key.
 */
function elsewhere(arn: string): string {
  return (
    `no {key}, and its table (\`${arn}\`) is not declared in this module: read as a table encrypted with KMS, ` +
    'whose replicas use the AWS managed key (if that table uses the AWS owned key, so does this replica)'
  );
}

/**
 * An `aws_dynamodb_global_table` of the module (global tables version 2017.11.29, Legacy) that joins
 * the table: its `depends_on` or `name` names the table (`aws_dynamodb_table.<label>`), or its `name`
 * is written as the table's is. A legacy global table takes no customer-managed key.
 */
export function legacyGlobalTable(t: TfTable, tops: TopBlock[]): Obstacle | undefined {
  if (t.kind !== 'table') return undefined;
  // Not followed by a name's character: `aws_dynamodb_table.east` is not `aws_dynamodb_table.east-2`.
  const ref = new RegExp(`\\baws_dynamodb_table\\.${t.label.replace(/-/g, '\\-')}(?![\\w-])`);
  const name = attr(t.block, 'name')?.value.trim();
  for (let i = 0; i < tops.length; i++) {
    const b = tops[i];
    if (b.type !== 'resource' || b.labels[0] !== 'aws_dynamodb_global_table') continue;
    const named = b.attr('name')?.value.trim();
    if (!ref.test(b.attr('depends_on')?.value ?? '') && !(named && (named === name || ref.test(named)))) continue;
    return {
      kind: 'api-global-table',
      version: '2017.11.29',
      why: `aws_dynamodb_global_table.${b.labels[1]} joins it into a global table`,
      declare: 'this table with a replica block per Region, in place of the aws_dynamodb_global_table',
    };
  }
  return undefined;
}

/**
 * A file's tables that are part of a global table, as obstacles to their fix: TableV2 replicas the file adds
 * (addedReplicas), replica resources and the source of a CDK multi-account global table (globalTableMembers), and
 * legacy global tables of version 2017.11.29 (Pulumi's aws.dynamodb.GlobalTable, CDKTF's DynamodbGlobalTable).
 */
import { addGlobalTableReplica } from '../../rule/blockers.js';
import { followItsTable } from '../../rule/replicaResource.js';
import type { LineIndex } from '../../core/text.js';
import { named } from './defaultChild.js';
import { declaredName, holderName } from './holders.js';
import { lookup, snippet } from './lookup.js';
import { callExpressions, stringValue, ts, unwrap } from './parse.js';
import type { TableClass } from './tableClasses.js';
import type { TsTable } from './tableTypes.js';

/**
 * A TableV2 whose replicas the file adds after it (`table.addReplica({ region })`, often in a loop over Regions): as
 * with a `replicas` prop, a customer-managed key needs a key ARN for each replica Region (CDK refuses it at synth,
 * "KMS key for <region> was not found in 'replicaKeyArns'").
 */
export function addedReplicas(sf: ts.SourceFile, lines: LineIndex, tables: TsTable[]): void {
  const v2 = tables.filter((t) => t.kind === 'TableV2');
  if (v2.length === 0 || !sf.text.includes('.addReplica(')) return;
  for (const call of callExpressions(sf)) {
    const callee = unwrap(call.expression);
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'addReplica') continue;
    const t = named(callee.expression, v2);
    if (t && !t.encryption.obstacles.some((o) => o.kind === 'table-v2-replicas'))
      t.encryption.obstacles.push({
        kind: 'table-v2-replicas',
        maybe: `its replicas are added by ${callee.getText(sf)}(...) at line ${lines.position(call.getStart(sf)).line}`,
      });
  }
}

/**
 * A global table whose replicas are resources of their own is fixed with them or not at all, and
 * kmsfix does not fix replica resources: the table gets the obstacle (`globalTableArn: orders.arn`).
 * The source of a CDK multi-account global table is not fixed either: its replica names it
 * (`replicaSourceTable: orders`), or, declared in another file, the table grants it replication
 * (`orders.grants.multiAccountReplicationTo(arn)`).
 */
export function globalTableMembers(sf: ts.SourceFile, tables: TsTable[]): void {
  const named = (name: string, kinds: TableClass[]) => tables.find((t) => kinds.includes(t.kind) && declaredName(t.node) === name);
  const multiAccount = (table: TsTable | undefined, replica: string) => {
    const obstacles = table?.encryption.obstacles;
    const had = obstacles?.find((o) => o.kind === 'multi-account-replication');
    if (had?.kind === 'multi-account-replication') had.replicas.push(replica);
    else
      obstacles?.push({ kind: 'multi-account-replication', why: 'it is the source of a multi-account global table', replicas: [replica] });
  };
  for (const r of tables) {
    if (!r.props) continue;
    if (r.kind === 'DynamodbTableReplica' || r.kind === 'PulumiTableReplica') {
      const v = propValue(sf, r.props, 'globalTableArn');
      const table =
        v && ts.isPropertyAccessExpression(v) && v.name.text === 'arn' && ts.isIdentifier(v.expression)
          ? named(v.expression.text, ['DynamodbTable', 'PulumiTable'])
          : undefined;
      if (table) {
        addGlobalTableReplica(table.encryption.obstacles, r.address);
        followItsTable(r.encryption, table.encryption, table.address, 'kmsKeyArn');
      }
    } else if (r.kind === 'TableV2MultiAccountReplica') {
      const v = propValue(sf, r.props, 'replicaSourceTable');
      const source = v && holderName(v);
      if (source) multiAccount(named(source, ['TableV2']), r.address);
    }
  }
  if (sf.text.includes('GlobalTable')) legacyGlobalTables(sf, tables);
  if (!sf.text.includes('multiAccountReplicationTo')) return;
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n)) {
      const callee = n.expression;
      const grants =
        ts.isPropertyAccessExpression(callee) && callee.name.text === 'multiAccountReplicationTo' ? callee.expression : undefined;
      const source =
        grants && ts.isPropertyAccessExpression(grants) && grants.name.text === 'grants' ? holderName(grants.expression) : undefined;
      if (source) {
        const arg = n.arguments[0];
        multiAccount(named(source, ['TableV2']), arg ? snippet(sf, arg) : 'a replica');
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
}

/**
 * Pulumi's `aws.dynamodb.GlobalTable` and CDK for Terraform's `DynamodbGlobalTable` (Terraform's
 * aws_dynamodb_global_table): a global table of version 2017.11.29 (Legacy), which takes no
 * customer-managed key, joining the tables its `dependsOn` names or whose `name` it repeats. A fix
 * of those would fail at deploy, as in Terraform (src/formats/terraform/globalTables.ts legacyGlobalTable).
 */
function legacyGlobalTables(sf: ts.SourceFile, tables: TsTable[]): void {
  const members = tables.filter((t) => t.kind === 'PulumiTable' || t.kind === 'DynamodbTable');
  if (members.length === 0) return;
  const literal = (o: ts.ObjectLiteralExpression | undefined, name: string) => stringValue(o && propValue(sf, o, name));
  const visit = (n: ts.Node): void => {
    ts.forEachChild(n, visit);
    if (!ts.isNewExpression(n)) return;
    const callee = n.expression.getText(sf);
    const pulumi = /(^|\.)dynamodb\.GlobalTable$/.test(callee) && sf.text.includes('@pulumi/aws');
    if (!pulumi && !/(^|\.)DynamodbGlobalTable$/.test(callee)) return;
    // Pulumi: (name, args, opts); CDK for Terraform: (scope, id, config), dependsOn among the config.
    const arg = (i: number) => {
      const a = n.arguments?.[i];
      const u = a && unwrap(a);
      return u && ts.isObjectLiteralExpression(u) ? u : undefined;
    };
    const config = arg(pulumi ? 1 : 2);
    const options = pulumi ? arg(2) : config;
    const depends = options && propValue(sf, options, 'dependsOn');
    const joined = new Set(depends && ts.isArrayLiteralExpression(depends) ? depends.elements.map((e) => holderName(e)) : []);
    const name = literal(config, 'name');
    const kind = pulumi ? 'aws.dynamodb.GlobalTable' : 'DynamodbGlobalTable';
    const where = `${kind} ${declaredName(n) ?? `of line ${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`}`;
    for (const t of members) {
      const declared = declaredName(t.node);
      const sameName = name !== undefined && t.props !== undefined && literal(t.props, 'name') === name;
      if (!(declared && joined.has(declared)) && !sameName) continue;
      if (t.encryption.obstacles.some((o) => o.kind === 'api-global-table')) continue;
      t.encryption.obstacles.push({
        kind: 'api-global-table',
        version: '2017.11.29',
        why: `${where} joins it into a global table`,
        declare: `this table with ${pulumi ? 'replicas' : 'a replica block'} per Region, in place of the ${kind}`,
      });
    }
  };
  visit(sf);
}

/** The value of a property of an object literal, unwrapped, when it is written there. */
function propValue(sf: ts.SourceFile, o: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  const l = lookup(sf, o, name);
  return l.kind === 'value' ? unwrap(l.value) : undefined;
}

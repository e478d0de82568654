/**
 * AWS CDK code that grants a DynamoDB API making a table's replicas outside the stack
 * (`dynamodb:CreateTableReplica` for an AwsCustomResource calling updateTable with ReplicaUpdates;
 * `dynamodb:CreateGlobalTable`/`UpdateGlobalTable` for a function that joins a 2017.11.29 global
 * table), as a CloudFormation template's grant does (src/rule/apiGlobalTables.ts): the tables its
 * statement's resources name (`table.tableArn`), or every CDK table of the file when they name none
 * kmsfix knows (`'*'`, another expression), are not fixed, with the step.
 */
import type { LineIndex } from '../../core/text.js';
import { matches, SIGNS } from '../../rule/apiGlobalTables.js';
import { apiGrant } from '../../rule/blockers.js';
import { declaredName } from './holders.js';
import type { TsTable } from './tableTypes.js';
import { listedProperty, stringValue, ts, unwrap } from './parse.js';

const MAY_GRANT = /dynamodb:[\w*?]*(?:global|replica)/i;

export function apiGlobalTableGrants(sf: ts.SourceFile, lines: LineIndex, tables: TsTable[]): void {
  if (!MAY_GRANT.test(sf.text)) return;
  const cdk = tables.filter((t) => t.framework === 'cdk' && t.kind !== 'CfnResource');
  if (cdk.length === 0) return;
  const visit = (n: ts.Node): void => {
    // A Deny statement (`effect: iam.Effect.DENY`, `Effect: 'Deny'`) grants nothing.
    const deny =
      ts.isObjectLiteralExpression(n) && (listedProperty(n, ['effect', 'Effect']) ?? []).some((e) => /deny/i.test(e.getText(sf)));
    if (ts.isObjectLiteralExpression(n) && !deny) {
      const actions = (listedProperty(n, ['actions', 'Action']) ?? []).map((e) => stringValue(unwrap(e))).filter((a) => a !== undefined);
      for (const sign of SIGNS) {
        const granted = actions.filter((a) => matches(a, sign));
        if (granted.length === 0) continue;
        const resources = (listedProperty(n, ['resources', 'Resource']) ?? []).map((e) => e.getText(sf));
        const named = cdk.filter((t) => {
          const name = declaredName(t.node);
          return name !== undefined && resources.some((r) => r === name || r.startsWith(`${name}.`));
        });
        const granter = `the policy statement at line ${lines.position(n.getStart(sf)).line}`;
        for (const t of named.length > 0 ? named : cdk)
          if (!t.encryption.obstacles.some((o) => o.kind === 'api-global-table'))
            t.encryption.obstacles.push({
              ...apiGrant(granted, sign.version, granter),
              ...(sign.version === '2017.11.29' ? { declare: 'a TableV2 with its replicas' } : {}),
            });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
}

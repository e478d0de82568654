/**
 * The roles an AWS CDK file grants DynamoDB actions on a table and no KMS action (EncryptionFacts.cautions
 * `iam-roles`, worded under `--key-policy iam` only: src/formats/cfn-values/iamRoles.ts says why). CDK's
 * `table.grant*(principal)` grants the table's key too once the table has one, so those roles keep access;
 * an explicit statement does not: `fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:GetItem'],
 * resources: [table.tableArn] }))`.
 *
 * Read only in a file with a CDK table a fix would change whose text names a DynamoDB action, and only
 * statements passed straight to `addToPolicy`, `addToRolePolicy` or `addToPrincipalPolicy` (the receiver, as
 * written, is the role named). Conservative, as the other families: a file that names any `kms:` action or
 * grants use of a key (`grantDecrypt`, `grantEncrypt*`) names no role (which role the grant reaches is not
 * followed), nor a receiver the table's own grant reaches (`table.grantReadData(fn)`), nor one given a
 * statement kmsfix cannot read (actions not written as strings).
 */
import { LineIndex } from '../../core/text.js';
import { decide, fixWanted } from '../../rule/cmk.js';
import { WAIVABLE } from '../../rule/blockers.js';
import type { SourceFile } from '../../core/types.js';
import type { TsDetection, TsTable } from './tableTypes.js';
import { propertyName, stringValue, ts } from './parse.js';

const ADD = new Set(['addToPolicy', 'addToRolePolicy', 'addToPrincipalPolicy']);

/** A statement passed to a receiver: its actions, its resources as written, where it is. */
interface Added {
  receiver: string;
  actions: string[] | undefined;
  resources: string;
  deny: boolean;
  at: number;
}

export function iamRoleCautions(file: SourceFile, d: TsDetection): void {
  if (!file.text.includes('dynamodb:') || /kms:|\.grant(?:Encrypt|Decrypt)/i.test(file.text)) return;
  const open = d.tables.filter((t) => t.framework === 'cdk' && fixWanted(decide(t.encryption, WAIVABLE)));
  if (open.length === 0) return;
  const added: Added[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ADD.has(n.expression.name.text)) {
      const arg = n.arguments[0];
      if (arg && ts.isNewExpression(arg) && /(?:^|\.)PolicyStatement$/.test(arg.expression.getText(d.sf))) {
        const props = arg.arguments?.[0];
        if (props && ts.isObjectLiteralExpression(props)) added.push(statementOf(n.expression.expression.getText(d.sf), props, arg, d.sf));
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(d.sf);
  if (!added.some((a) => a.actions?.some((x) => x.startsWith('dynamodb:'))) && !open.some((t) => t.policyPrincipals)) return;
  // A receiver with an action kmsfix cannot read, or a KMS one: not named.
  const excluded = new Set(
    added
      .filter((a) => !a.deny && (a.actions === undefined || a.actions.some((x) => x === '*' || x.startsWith('kms:'))))
      .map((a) => a.receiver),
  );
  let lines: LineIndex | undefined;
  for (const t of open) {
    const holder = holderOf(t, d.sf);
    if (holder === undefined) continue;
    const names = new RegExp(
      String.raw`(?:^|[^\w$.])${holder.replace(/[.$]/g, '\\$&')}\??\.(?:tableArn|tableStreamArn|tableName)\b|['"\x60]\*['"\x60]`,
    );
    // The table's own grants reach the key too (CDK grants it with the table's once it has one).
    const granted = new RegExp(String.raw`(?:^|[^\w$.])${holder.replace(/[.$]/g, '\\$&')}\??\.grant\w*\(\s*([^,)]+)`, 'g');
    const viaGrant = new Set([...file.text.matchAll(granted)].map((m) => m[1].trim()));
    const roles: string[] = [];
    for (const a of added) {
      if (a.deny || excluded.has(a.receiver) || viaGrant.has(a.receiver) || roles.some((r) => r.startsWith(`${a.receiver} (`))) continue;
      if (!a.actions?.some((x) => x.startsWith('dynamodb:')) || !names.test(a.resources)) continue;
      lines ??= LineIndex.of(file.text);
      roles.push(`${a.receiver} (${file.path.split('/').pop()}:${lines.lineOf(a.at) + 1})`);
    }
    // A construct the table's resource policy lets in reaches it without an IAM grant, and that policy cannot grant KMS.
    for (const p of t.policyPrincipals ?? []) {
      if (excluded.has(p.name) || viaGrant.has(p.name) || roles.some((r) => r.startsWith(`${p.name} (`))) continue;
      lines ??= LineIndex.of(file.text);
      roles.push(`${p.name} (the table's resource policy, ${file.path.split('/').pop()}:${lines.lineOf(p.at) + 1})`);
    }
    if (roles.length > 0) (t.encryption.cautions ??= []).push({ kind: 'iam-roles', roles });
  }
}

function statementOf(receiver: string, props: ts.ObjectLiteralExpression, node: ts.Node, sf: ts.SourceFile): Added {
  let actions: string[] | undefined = [];
  let resources = '';
  let deny = false;
  for (const p of props.properties) {
    if (!ts.isPropertyAssignment(p)) {
      actions = undefined;
      continue;
    }
    const name = propertyName(p.name);
    if (name === 'actions') {
      const list = ts.isArrayLiteralExpression(p.initializer) ? p.initializer.elements.map((e) => stringValue(e)) : [undefined];
      if (actions && list.every((x): x is string => x !== undefined)) actions.push(...list.map((x) => x.trim().toLowerCase()));
      else actions = undefined;
    } else if (name === 'notActions') actions = undefined;
    else if (name === 'resources') resources = p.initializer.getText(sf);
    else if (name === 'effect') deny = /\bDENY\b/.test(p.initializer.getText(sf));
  }
  return { receiver: receiver.replace(/\s+/g, ''), actions, resources, deny, at: node.getStart(sf) };
}

/** What holds the table, as code refers to it: `table` (`const table = new Table(...)`), `this.table`. */
export function holderOf(t: TsTable, sf: ts.SourceFile): string | undefined {
  const parent = t.node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) return parent.left.getText(sf);
  if (parent && ts.isPropertyDeclaration(parent) && ts.isIdentifier(parent.name)) return `this.${parent.name.text}`;
  return undefined;
}

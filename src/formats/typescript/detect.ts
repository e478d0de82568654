/**
 * Finding DynamoDB tables in TypeScript infrastructure code (AWS CDK v2, CDK for Terraform, Pulumi)
 * and deciding each one's status from the syntax alone: no type checker, nothing is evaluated.
 */
import { EXPLAIN, isAwsManagedKeyRef, type Status } from '../../rule/status.js';
import { LineIndex } from '../../core/text.js';
import { commentSuppressions } from '../../core/suppressions.js';
import type { DetectedTable, Detection, SourceFile, Suppression } from '../../core/types.js';
import { bindings, readImports, resolveSymbol, type ImportInfo } from './imports.js';
import { parseTypeScript, propertyName, stringValue, ts, unwrap } from './parse.js';
import { stackRegionOf } from './stackRegion.js';

export type Framework = 'cdk' | 'cdktf' | 'pulumi';
/** Which table class a construct is (not the peer scanners' table kinds, src/rule/peers/facts.ts TableKind). */
type TableClass = 'Table' | 'TableV2' | 'CfnTable' | 'CfnGlobalTable' | 'DynamodbTable' | 'PulumiTable';

/** Constructor symbol -> what it is. `type` is the name reported to the user. */
export const TABLE_CLASSES: Record<string, { kind: TableClass; framework: Framework; type: string }> = {
  'aws-cdk-lib/aws-dynamodb#Table': { kind: 'Table', framework: 'cdk', type: 'aws-cdk-lib.aws_dynamodb.Table' },
  'aws-cdk-lib/aws-dynamodb#TableV2': { kind: 'TableV2', framework: 'cdk', type: 'aws-cdk-lib.aws_dynamodb.TableV2' },
  'aws-cdk-lib/aws-dynamodb#CfnTable': { kind: 'CfnTable', framework: 'cdk', type: 'aws-cdk-lib.aws_dynamodb.CfnTable' },
  'aws-cdk-lib/aws-dynamodb#CfnGlobalTable': {
    kind: 'CfnGlobalTable',
    framework: 'cdk',
    type: 'aws-cdk-lib.aws_dynamodb.CfnGlobalTable',
  },
  '@cdktf/provider-aws/lib/dynamodb-table#DynamodbTable': {
    kind: 'DynamodbTable',
    framework: 'cdktf',
    type: '@cdktf/provider-aws.dynamodbTable.DynamodbTable',
  },
  '@pulumi/aws#dynamodb.Table': { kind: 'PulumiTable', framework: 'pulumi', type: 'aws.dynamodb.Table' },
};

export interface TsTable extends DetectedTable {
  kind: TableClass;
  framework: Framework;
  node: ts.NewExpression;
  /** The props / config / args object literal, when the table has one. */
  props?: ts.ObjectLiteralExpression;
  /** The construct id (CDK, CDKTF) or resource name (Pulumi) expression. */
  idNode?: ts.Expression;
  /** CDK, CDKTF: the scope argument, as written. */
  scopeText?: string;
  /** The statement the key is declared before. */
  statement?: ts.Statement;
}

export interface TsDetection extends Detection {
  tables: TsTable[];
  sf: ts.SourceFile;
  imports: ImportInfo[];
  binds: ReturnType<typeof bindings>;
}

interface Verdict {
  status: Status;
  message: string;
  blocker?: string;
}

// ---------------------------------------------------------------- object literals

export type Lookup =
  | { kind: 'absent' }
  | { kind: 'value'; prop: ts.PropertyAssignment; value: ts.Expression }
  | { kind: 'unknown'; node: ts.Node; why: string };

export function snippet(sf: ts.SourceFile, node: ts.Node): string {
  const s = node.getText(sf).replace(/\s+/g, ' ').trim();
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}

/** The property `name` of an object literal, as the object would hold it (the last write wins; a later spread hides it). */
export function lookup(sf: ts.SourceFile, o: ts.ObjectLiteralExpression, name: string): Lookup {
  let found: Lookup = { kind: 'absent' };
  for (const p of o.properties) {
    if (ts.isSpreadAssignment(p)) {
      found = { kind: 'unknown', node: p, why: `${name} may come from the spread ${snippet(sf, p)}` };
      continue;
    }
    if (p.name && ts.isComputedPropertyName(p.name)) {
      const key = stringValue(p.name.expression);
      if (key === undefined) {
        found = { kind: 'unknown', node: p, why: `${name} may be set by the computed property ${snippet(sf, p.name)}` };
        continue;
      }
      if (key !== name) continue;
    } else if (!p.name || propertyName(p.name) !== name) continue;
    if (ts.isPropertyAssignment(p)) found = { kind: 'value', prop: p, value: p.initializer };
    else found = { kind: 'unknown', node: p, why: `${name} is ${snippet(sf, p)}` };
  }
  return found;
}

function boolOf(e: ts.Expression): boolean | undefined {
  const u = unwrap(e);
  if (u.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (u.kind === ts.SyntaxKind.FalseKeyword) return false;
  return undefined;
}

function unknownVerdict(l: Extract<Lookup, { kind: 'unknown' }>): Verdict {
  return { status: 'unknown', message: `${l.why}: ${EXPLAIN.unknown}` };
}

// ---------------------------------------------------------------- statuses

type Ctx = { sf: ts.SourceFile; sym: (e: ts.Expression) => string | undefined };

function cdkTableVerdict(c: Ctx, props: ts.ObjectLiteralExpression): Verdict {
  const { sf } = c;
  const enc = lookup(sf, props, 'encryption');
  if (enc.kind === 'unknown') return unknownVerdict(enc);
  if (enc.kind === 'value') {
    const s = c.sym(unwrap(enc.value));
    const what = `encryption is ${snippet(sf, enc.value)}`;
    if (s === 'aws-cdk-lib/aws-dynamodb#TableEncryption.DEFAULT') return { status: 'aws-owned', message: `${what}: ${EXPLAIN.awsOwned}` };
    if (s === 'aws-cdk-lib/aws-dynamodb#TableEncryption.AWS_MANAGED')
      return { status: 'aws-managed', message: `${what}: ${EXPLAIN.awsManaged}` };
    if (s === 'aws-cdk-lib/aws-dynamodb#TableEncryption.CUSTOMER_MANAGED') {
      const key = lookup(sf, props, 'encryptionKey');
      return {
        status: 'customer-managed',
        message:
          key.kind === 'value'
            ? `Encrypted with customer-managed key ${snippet(sf, key.value)}`
            : `${what}: CDK creates a customer-managed key for the table`,
      };
    }
    return { status: 'unknown', message: `${what}: ${EXPLAIN.unknown}` };
  }
  // No `encryption`: CDK picks CUSTOMER_MANAGED when encryptionKey is set, AWS_MANAGED for serverSideEncryption: true.
  const key = lookup(sf, props, 'encryptionKey');
  if (key.kind === 'unknown') return unknownVerdict(key);
  if (key.kind === 'value') return { status: 'customer-managed', message: `Encrypted with customer-managed key ${snippet(sf, key.value)}` };
  const sse = lookup(sf, props, 'serverSideEncryption');
  if (sse.kind === 'unknown') return unknownVerdict(sse);
  if (sse.kind === 'value') {
    const b = boolOf(sse.value);
    if (b === true) return { status: 'aws-managed', message: `serverSideEncryption is true: ${EXPLAIN.awsManaged}` };
    if (b === undefined) return { status: 'unknown', message: `serverSideEncryption is ${snippet(sf, sse.value)}: ${EXPLAIN.unknown}` };
  }
  return { status: 'aws-owned', message: `No encryption (TableEncryption.DEFAULT): ${EXPLAIN.awsOwned}` };
}

function cdkTableBlocker(c: Ctx, props: ts.ObjectLiteralExpression): string | undefined {
  const rr = lookup(c.sf, props, 'replicationRegions');
  if (rr.kind === 'absent') return undefined;
  if (
    rr.kind === 'value' &&
    ts.isArrayLiteralExpression(unwrap(rr.value)) &&
    (unwrap(rr.value) as ts.ArrayLiteralExpression).elements.length === 0
  ) {
    return undefined;
  }
  return 'CDK does not support TableEncryption.CUSTOMER_MANAGED with replicationRegions: move the table to TableV2 with a key per replica Region';
}

function tableV2Verdict(c: Ctx, props: ts.ObjectLiteralExpression): Verdict {
  const { sf } = c;
  const enc = lookup(sf, props, 'encryption');
  if (enc.kind === 'unknown') return unknownVerdict(enc);
  if (enc.kind === 'absent')
    return { status: 'aws-owned', message: `No encryption (TableEncryptionV2.dynamoOwnedKey()): ${EXPLAIN.awsOwned}` };
  const v = unwrap(enc.value);
  const what = `encryption is ${snippet(sf, enc.value)}`;
  const s = ts.isCallExpression(v) ? c.sym(v.expression) : undefined;
  if (s === 'aws-cdk-lib/aws-dynamodb#TableEncryptionV2.dynamoOwnedKey')
    return { status: 'aws-owned', message: `${what}: ${EXPLAIN.awsOwned}` };
  if (s === 'aws-cdk-lib/aws-dynamodb#TableEncryptionV2.awsManagedKey')
    return { status: 'aws-managed', message: `${what}: ${EXPLAIN.awsManaged}` };
  if (s === 'aws-cdk-lib/aws-dynamodb#TableEncryptionV2.customerManagedKey') {
    return { status: 'customer-managed', message: `Encrypted with customer-managed key (${what})` };
  }
  return { status: 'unknown', message: `${what}: ${EXPLAIN.unknown}` };
}

function tableV2Blocker(c: Ctx, props: ts.ObjectLiteralExpression): string | undefined {
  const r = lookup(c.sf, props, 'replicas');
  if (r.kind === 'absent') return undefined;
  if (
    r.kind === 'value' &&
    ts.isArrayLiteralExpression(unwrap(r.value)) &&
    (unwrap(r.value) as ts.ArrayLiteralExpression).elements.length === 0
  ) {
    return undefined;
  }
  return (
    'a KMS key serves one Region and this file gives no key ARN for the replica Regions: create a key in each replica Region and ' +
    'set encryption: TableEncryptionV2.customerManagedKey(key, { <region>: <key ARN>, ... }) by hand'
  );
}

/** CloudFormation-shaped SSE (CfnTable.sseSpecification): same rules as the CloudFormation family. */
function sseSpecVerdict(c: Ctx, sse: Lookup, where: string): Verdict | ts.ObjectLiteralExpression {
  const { sf } = c;
  if (sse.kind === 'unknown') return unknownVerdict(sse);
  if (sse.kind === 'absent') return { status: 'aws-owned', message: `No ${where}: ${EXPLAIN.awsOwned}` };
  const o = unwrap(sse.value);
  if (!ts.isObjectLiteralExpression(o)) return { status: 'unknown', message: `${where} is ${snippet(sf, sse.value)}: ${EXPLAIN.unknown}` };
  const en = lookup(sf, o, 'sseEnabled');
  if (en.kind === 'unknown') return unknownVerdict(en);
  if (en.kind === 'absent') return { status: 'aws-owned', message: `${where} has no sseEnabled (false by default): ${EXPLAIN.awsOwned}` };
  const b = boolOf(en.value);
  if (b === undefined) return { status: 'unknown', message: `sseEnabled is ${snippet(sf, en.value)}: ${EXPLAIN.unknown}` };
  if (!b) return { status: 'aws-owned', message: `sseEnabled is false: ${EXPLAIN.awsOwned}` };
  return o;
}

function keyVerdict(c: Ctx, key: Lookup, name: string): Verdict {
  const { sf } = c;
  if (key.kind === 'unknown') return unknownVerdict(key);
  if (key.kind === 'absent') return { status: 'aws-managed', message: `encryption is enabled with no ${name}: ${EXPLAIN.awsManaged}` };
  const s = stringValue(unwrap(key.value));
  if (s !== undefined && isAwsManagedKeyRef(s))
    return { status: 'aws-managed', message: `${name} is ${snippet(sf, key.value)}: ${EXPLAIN.awsManaged}` };
  return { status: 'customer-managed', message: `Encrypted with customer-managed key ${snippet(sf, key.value)}` };
}

function cfnTableVerdict(c: Ctx, props: ts.ObjectLiteralExpression): Verdict {
  const v = sseSpecVerdict(c, lookup(c.sf, props, 'sseSpecification'), 'sseSpecification');
  if (!ts.isObjectLiteralExpression(v as ts.Node)) return v as Verdict;
  return keyVerdict(c, lookup(c.sf, v as ts.ObjectLiteralExpression, 'kmsMasterKeyId'), 'kmsMasterKeyId');
}

const REPLICA_BLOCKER =
  'a KMS key serves one Region: deploy a customer-managed key (or a multi-Region replica key) in each replica Region and set ' +
  "that replica's key ARN by hand; kmsfix never half-fixes a global table";

function cfnGlobalTableVerdict(c: Ctx, props: ts.ObjectLiteralExpression): Verdict {
  const { sf } = c;
  const top = sseSpecVerdict(c, lookup(sf, props, 'sseSpecification'), 'sseSpecification');
  if (!ts.isObjectLiteralExpression(top as ts.Node)) {
    const v = top as Verdict;
    return v.status === 'unknown' ? v : { ...v, blocker: REPLICA_BLOCKER };
  }
  const r = lookup(sf, props, 'replicas');
  if (r.kind === 'unknown') return unknownVerdict(r);
  const list = r.kind === 'value' ? unwrap(r.value) : undefined;
  if (!list || !ts.isArrayLiteralExpression(list)) {
    return { status: 'unknown', message: `replicas is ${list ? snippet(sf, list) : 'missing'}: ${EXPLAIN.unknown}` };
  }
  let worst: Verdict | undefined;
  for (const el of list.elements) {
    const e = unwrap(el as ts.Expression);
    if (!ts.isObjectLiteralExpression(e)) return { status: 'unknown', message: `replica ${snippet(sf, el)}: ${EXPLAIN.unknown}` };
    const spec = lookup(sf, e, 'sseSpecification');
    const rv =
      spec.kind === 'value' && ts.isObjectLiteralExpression(unwrap(spec.value))
        ? keyVerdict(c, lookup(sf, unwrap(spec.value) as ts.ObjectLiteralExpression, 'kmsMasterKeyId'), 'replica kmsMasterKeyId')
        : spec.kind === 'unknown'
          ? unknownVerdict(spec)
          : keyVerdict(c, { kind: 'absent' }, 'replica kmsMasterKeyId');
    if (rv.status === 'unknown') return rv;
    if (rv.status === 'aws-managed') worst ??= rv;
  }
  if (worst) return { ...worst, blocker: REPLICA_BLOCKER };
  return { status: 'customer-managed', message: 'Every replica is encrypted with a customer-managed key' };
}

/** Terraform-shaped SSE (CDKTF DynamodbTable, Pulumi aws.dynamodb.Table): `serverSideEncryption { enabled, kmsKeyArn }`. */
function tfVerdict(c: Ctx, props: ts.ObjectLiteralExpression, replicasName: string): Verdict {
  const { sf } = c;
  const sse = lookup(sf, props, 'serverSideEncryption');
  if (sse.kind === 'unknown') return unknownVerdict(sse);
  if (sse.kind === 'absent') return { status: 'aws-owned', message: `No serverSideEncryption: ${EXPLAIN.awsOwned}` };
  const o = unwrap(sse.value);
  if (!ts.isObjectLiteralExpression(o))
    return { status: 'unknown', message: `serverSideEncryption is ${snippet(sf, sse.value)}: ${EXPLAIN.unknown}` };
  const en = lookup(sf, o, 'enabled');
  if (en.kind === 'unknown') return unknownVerdict(en);
  const b = en.kind === 'value' ? boolOf(en.value) : false;
  if (b === undefined && en.kind === 'value')
    return { status: 'unknown', message: `serverSideEncryption.enabled is ${snippet(sf, en.value)}: ${EXPLAIN.unknown}` };
  if (!b) return { status: 'aws-owned', message: `serverSideEncryption.enabled is not true: ${EXPLAIN.awsOwned}` };
  const v = keyVerdict(c, lookup(sf, o, 'kmsKeyArn'), 'kmsKeyArn');
  if (v.status !== 'customer-managed') return v;
  // Replicas without their own kmsKeyArn use the AWS managed key of their Region.
  const r = lookup(sf, props, replicasName);
  if (r.kind === 'absent') return v;
  const list = r.kind === 'value' ? unwrap(r.value) : undefined;
  if (!list || !ts.isArrayLiteralExpression(list))
    return { status: 'unknown', message: `${replicasName} is ${snippet(sf, r.kind === 'value' ? r.value : r.node)}: ${EXPLAIN.unknown}` };
  for (const el of list.elements) {
    const e = unwrap(el as ts.Expression);
    if (!ts.isObjectLiteralExpression(e)) return { status: 'unknown', message: `replica ${snippet(sf, el)}: ${EXPLAIN.unknown}` };
    const rv = keyVerdict(c, lookup(sf, e, 'kmsKeyArn'), 'replica kmsKeyArn');
    if (rv.status !== 'customer-managed') return { ...rv, blocker: REPLICA_BLOCKER };
  }
  return v;
}

function tfBlocker(c: Ctx, props: ts.ObjectLiteralExpression, replicasName: string): string | undefined {
  const r = lookup(c.sf, props, replicasName);
  if (r.kind === 'absent') return undefined;
  const list = r.kind === 'value' ? unwrap(r.value) : undefined;
  if (list && ts.isArrayLiteralExpression(list) && list.elements.length === 0) return undefined;
  return REPLICA_BLOCKER;
}

const REGION_AGNOSTIC_BLOCKER =
  'its stack is Region-agnostic (created without env.region, under an App): CDK cannot render ' +
  'TableEncryptionV2.customerManagedKey there and the stack would no longer synthesize. Give the stack ' +
  'env: { region: ... } (for example process.env.CDK_DEFAULT_REGION), then run kmsfix again';

// ---------------------------------------------------------------- where a key can go

const PLAIN_SCOPE = /^(this|[A-Za-z_$][\w$]*)(\.[A-Za-z_$][\w$]*)*$/;

/** The statement to declare the key before, or why there is none. */
function anchorOf(node: ts.Node): { statement?: ts.Statement; blocker?: string } {
  let cur: ts.Node = node;
  while (cur.parent) {
    const p: ts.Node = cur.parent;
    if (ts.isBlock(p) || ts.isSourceFile(p) || ts.isModuleBlock(p) || ts.isCaseClause(p) || ts.isDefaultClause(p)) {
      return { statement: cur as ts.Statement };
    }
    if (ts.isIfStatement(p) || ts.isIterationStatement(p, false) || ts.isLabeledStatement(p)) {
      return { blocker: 'the table is created in the body of an if or a loop without braces: add braces, then run kmsfix again' };
    }
    if (ts.isConditionalExpression(p) && cur !== p.condition) {
      return { blocker: 'the table is created in a conditional expression: create its key by hand' };
    }
    if (ts.isFunctionLike(p))
      return { blocker: 'the table is created in an expression-bodied function: give it a block body, then run kmsfix again' };
    if (ts.isPropertyDeclaration(p) || ts.isClassLike(p)) {
      return { blocker: 'the table is created in a class field initializer: move it into the constructor, then run kmsfix again' };
    }
    cur = p;
  }
  return { blocker: 'no statement to declare a key before' };
}

// ---------------------------------------------------------------- suppressions

/**
 * Suppression comments (`// kmsfix:ignore reason`, `// checkov:skip=CKV_AWS_119:reason`, and the other
 * tools' syntaxes) in the comments just above the table's `new` expression, up to its statement.
 */
function suppressionsOf(sf: ts.SourceFile, node: ts.Node): Suppression[] {
  const text = sf.text;
  const out: Suppression[] = [];
  for (let cur: ts.Node | undefined = node; cur && !ts.isSourceFile(cur); cur = cur.parent) {
    for (const r of ts.getLeadingCommentRanges(text, cur.pos) ?? []) {
      for (const line of text.slice(r.pos, r.end).split('\n')) {
        for (const s of commentSuppressions(line.replace(/\*\/\s*$/, ''))) if (!out.some((o) => o.text === s.text)) out.push(s);
      }
    }
    if (ts.isStatement(cur) && (ts.isBlock(cur.parent) || ts.isSourceFile(cur.parent))) break;
  }
  return out;
}

// ---------------------------------------------------------------- detection

function verdictFor(c: Ctx, kind: TableClass, props: ts.ObjectLiteralExpression): Verdict {
  switch (kind) {
    case 'Table': {
      const v = cdkTableVerdict(c, props);
      return v.status === 'customer-managed' || v.status === 'unknown' ? v : { ...v, blocker: cdkTableBlocker(c, props) };
    }
    case 'TableV2': {
      const v = tableV2Verdict(c, props);
      return v.status === 'customer-managed' || v.status === 'unknown' ? v : { ...v, blocker: tableV2Blocker(c, props) };
    }
    case 'CfnTable':
      return cfnTableVerdict(c, props);
    case 'CfnGlobalTable':
      return cfnGlobalTableVerdict(c, props);
    case 'DynamodbTable':
    case 'PulumiTable': {
      const name = kind === 'DynamodbTable' ? 'replica' : 'replicas';
      const v = tfVerdict(c, props, name);
      return v.status === 'customer-managed' || v.status === 'unknown' || v.blocker ? v : { ...v, blocker: tfBlocker(c, props, name) };
    }
  }
}

export function detectTypeScript(file: SourceFile): TsDetection {
  const sf = parseTypeScript(file.path, file.text);
  const imports = readImports(sf);
  const binds = bindings(imports);
  const c: Ctx = { sf, sym: (e) => resolveSymbol(e, binds) };
  const lines = new LineIndex(file.text);
  const tables: TsTable[] = [];
  const seen = new Map<string, number>();

  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node)) {
      const cls = TABLE_CLASSES[c.sym(node.expression) ?? ''];
      if (cls) tables.push(tableOf(node, cls));
    }
    ts.forEachChild(node, visit);
  };

  const tableOf = (node: ts.NewExpression, cls: (typeof TABLE_CLASSES)[string]): TsTable => {
    const args = node.arguments ?? ts.factory.createNodeArray<ts.Expression>();
    const pulumi = cls.framework === 'pulumi';
    const idNode = pulumi ? args[0] : args[1];
    const propsNode = pulumi ? args[1] : args[2];
    const scopeNode = pulumi ? undefined : args[0];
    const idText = idNode ? (stringValue(idNode) ?? idNode.getText(sf)) : '(no id)';
    const n = (seen.get(idText) ?? 0) + 1;
    seen.set(idText, n);
    const address = n === 1 ? idText : `${idText}#${n}`;
    const pos = lines.position(node.getStart(sf));
    const base = {
      line: pos.line,
      column: pos.column,
      format: cls.framework,
      type: cls.type,
      address,
      kind: cls.kind,
      framework: cls.framework,
      node,
      idNode,
    };
    const props = propsNode ? unwrap(propsNode) : undefined;
    let v: Verdict;
    if (!props) {
      v = { status: 'unknown', message: `${cls.type} has no props: ${EXPLAIN.unknown}` };
    } else if (!ts.isObjectLiteralExpression(props)) {
      v = {
        status: 'unknown',
        message: `props are ${snippet(sf, props)}, not an object literal, so kmsfix cannot see their encryption: ${EXPLAIN.unknown}`,
        blocker: 'write the props as an object literal in the new expression, or set the encryption by hand',
      };
    } else v = verdictFor(c, cls.kind, props);
    const anchor = anchorOf(node);
    let blocker = v.blocker;
    if (!blocker && v.status !== 'customer-managed' && v.status !== 'unknown') {
      if (!idNode) blocker = 'the table has no id';
      else if (cls.kind === 'TableV2' && stackRegionOf(sf, c.sym, node) === 'agnostic') blocker = REGION_AGNOSTIC_BLOCKER;
      else if (scopeNode && !PLAIN_SCOPE.test(scopeNode.getText(sf)))
        blocker = `the scope ${snippet(sf, scopeNode)} is not a plain name: declare the key by hand`;
      else blocker = anchor.blocker;
    }
    return {
      ...base,
      status: v.status,
      message: v.message,
      blocker,
      suppressions: suppressionsOf(sf, node),
      props: props && ts.isObjectLiteralExpression(props) ? props : undefined,
      scopeText: scopeNode?.getText(sf),
      statement: anchor.statement,
    };
  };

  visit(sf);
  return { tables, sf, imports, binds };
}

/**
 * SST's tables (sst.dev). SST v3 runs Pulumi: `new sst.aws.Dynamo(name, args)` is a component that
 * creates an `aws.dynamodb.Table` with no `serverSideEncryption` of its own, unless `transform.table`
 * sets one; and `sst.config.ts` (with the files it imports) sees SST's globals `sst` and `aws`
 * (`@pulumi/aws`) without importing them. SST v2 runs the AWS CDK: `new Table(stack, id, props)` from
 * `sst/constructs` (or `@serverless-stack/resources` before it) creates a CDK `dynamodb.Table`
 * whose props end with `cdk.table`. kmsfix reads their encryption from there and never rewrites them:
 * the step says what to write.
 */
import { constInitializer, declarationOf } from './consts.js';
import { lookup, snippet } from './lookup.js';
import { objectOf } from './options.js';
import { ts, unwrap } from './parse.js';

export type SstGeneration = 'v2' | 'v3';

/** The globals SST v3 gives a program, by the module they stand for (`aws` is `@pulumi/aws`). */
const GLOBALS: Record<string, string> = { aws: '@pulumi/aws', sst: 'sst' };

/** The symbol of `aws.dynamodb.Table` or `sst.aws.Dynamo` written with SST v3's globals (the name declared nowhere in the file). */
export function sstGlobalSymbol(callee: ts.Expression): string | undefined {
  const names: string[] = [];
  let cur = callee;
  while (ts.isPropertyAccessExpression(cur)) {
    names.unshift(cur.name.text);
    cur = cur.expression;
  }
  if (!ts.isIdentifier(cur) || !(cur.text in GLOBALS) || names.length === 0 || declarationOf(cur) !== undefined) return undefined;
  return `${GLOBALS[cur.text]}#${names.join('.')}`;
}

const PATHS: Record<SstGeneration, readonly string[]> = { v3: ['transform', 'table'], v2: ['cdk', 'table'] };

/** How far down its path (`transform.table`, `cdk.table`) a table's props are object literals, and what stopped the walk. */
function walk(
  sf: ts.SourceFile,
  generation: SstGeneration,
  props: ts.Expression | undefined,
): { found: ts.ObjectLiteralExpression | 'absent' | { unreadable: string }; depth: number; fn?: true } {
  const path = PATHS[generation];
  if (!props) return { found: 'absent', depth: 0 };
  let o = objectOf(props)?.literal;
  if (!o)
    return { found: { unreadable: `the props are ${snippet(sf, props)}, not an object literal (or a const holding one)` }, depth: -1 };
  for (const [i, key] of path.entries()) {
    const l = lookup(sf, o, key);
    if (l.kind === 'absent') return { found: 'absent', depth: i };
    if (l.kind === 'unknown') return { found: { unreadable: l.why }, depth: -1 };
    const next = objectOf(l.value)?.literal;
    if (!next) {
      const v = unwrap(l.value);
      const fn = ts.isArrowFunction(v) || ts.isFunctionExpression(v);
      // A transform function: say what kmsfix reads instead (an object SST merges into the table's args).
      const readable = generation === 'v3' ? ` (kmsfix reads an object there, as \`table: { ${STEP.v3.leaf} }\`: ${STEP.v3.merged})` : '';
      const what = fn ? `a function, which may set the encryption${readable}` : snippet(sf, l.value);
      return { found: { unreadable: `${path.slice(0, i + 1).join('.')} is ${what}` }, depth: -1, ...(fn ? { fn: true as const } : {}) };
    }
    o = next;
  }
  return { found: o, depth: path.length };
}

/**
 * Where an SST table's encryption is written: the object literal of `transform.table` (v3) or
 * `cdk.table` (v2), `absent` when the path is not there (the table is AWS owned), or why it cannot be read.
 */
export function sstTableProps(
  sf: ts.SourceFile,
  generation: SstGeneration,
  props: ts.Expression | undefined,
): ts.ObjectLiteralExpression | 'absent' | { unreadable: string } {
  return walk(sf, generation, props).found;
}

/**
 * An SST v2 `Table` given an existing table construct as `cdk.table` (`dynamodb.Table.fromTableArn(...)`,
 * `fromTableName`, `fromTableAttributes`, a `new` of a table class, or a const holding one): SST's
 * `createTable()` marks it IMPORTED and creates no table. `isTableClass` tells a table class's `new`.
 */
export function sstImportsTable(
  sf: ts.SourceFile,
  props: ts.Expression | undefined,
  isTableClass: (callee: ts.Expression) => boolean,
): boolean {
  const cdk = props ? objectOf(props)?.literal : undefined;
  const cdkProp = cdk ? lookup(sf, cdk, 'cdk') : undefined;
  const cdkObject = cdkProp?.kind === 'value' ? objectOf(cdkProp.value)?.literal : undefined;
  const table = cdkObject ? lookup(sf, cdkObject, 'table') : undefined;
  if (table?.kind !== 'value') return false;
  let v = unwrap(table.value);
  if (ts.isIdentifier(v)) {
    const init = constInitializer(declarationOf(v));
    if (!init) return false;
    v = unwrap(init);
  }
  if (ts.isCallExpression(v)) return ts.isPropertyAccessExpression(v.expression) && v.expression.name.text.startsWith('fromTable');
  return ts.isNewExpression(v) && isTableClass(v.expression);
}

/** The key a manual step asks for. */
export const CUSTOMER_KEY = 'a customer-managed KMS key (with enableKeyRotation, and a key policy that lets DynamoDB use it)';

/**
 * The key an SST v3 step asks for: kept whenever SST keeps the table. SST's `removal` (default "retain") gives
 * tables retainOnDelete and not their keys, so `sst remove` would schedule the key's deletion under the kept table
 * (session 63's deploy review, F1; sstRemoval.ts reads the app's removal).
 */
const SST_KEY =
  '`const key = new aws.kms.Key(..., { retainOnDelete: $app.removal !== "remove" })` ' +
  '(SST keeps the table unless the app\'s removal is "remove", and keeps no key: a key deleted under a kept table leaves it unreadable)';

/** What a step writes at the end of each generation's path, and the key it names. */
const STEP: Record<SstGeneration, { intro: string; leaf: string; via: string; key: string; merged: string }> = {
  v3: {
    intro: "the table is created by SST's sst.aws.Dynamo component, which kmsfix does not rewrite",
    leaf: 'serverSideEncryption: { enabled: true, kmsKeyArn: key.arn }',
    via: "through the component's transform",
    key: `with ${SST_KEY}`,
    merged: "SST merges that object into the table's args",
  },
  v2: {
    intro: "the table is created by SST's Table construct, which kmsfix does not rewrite",
    leaf: 'encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey: key',
    via: 'in its CDK props',
    key: 'with `const key = new kms.Key(stack, ...)` (TableEncryption from aws-cdk-lib/aws-dynamodb)',
    merged: "SST merges that object into the table's props",
  },
};

/**
 * The manual step for an SST table, in the form kmsfix reads back as customer-managed: an object
 * (never a transform function, which kmsfix cannot read), added to the object already on the path
 * when there is one (replacing it would lose what it holds, a table `name` among them).
 */
export function sstStep(sf: ts.SourceFile, generation: SstGeneration, props: ts.Expression | undefined): string {
  const s = STEP[generation];
  const path = PATHS[generation];
  const { depth, fn } = walk(sf, generation, props);
  const at = Math.max(depth, 0);
  const form = path.slice(at).reduceRight((inner, key) => `${key}: { ${inner} }`, s.leaf);
  const give = `${s.intro}: give it ${CUSTOMER_KEY}`;
  if (fn)
    return (
      `${give} ${s.via}, written as an object, \`${form}\` ${s.key}, holding what the function sets ` +
      `(${s.merged}; kmsfix reads no function there)`
    );
  if (at === 0) return `${give} ${s.via}, \`${form}\` ${s.key}`;
  return `${give}: add \`${form}\` to its \`${path.slice(0, at).join('.')}\` object, keeping what it holds (${s.merged}), ${s.key}`;
}

/** The manual step for a table created with SST's global `aws` in `path` (`sst.config.ts`, or a file it imports). */
export function sstGlobalStep(path: string): string {
  const file = path.split('/').pop() ?? path;
  const why =
    file === 'sst.config.ts'
      ? 'which sst.config.ts does not take at its top'
      : `which ${path} does not have (it uses SST's global aws, and kmsfix does not add imports beside it)`;
  return (
    `the table is created with SST's global aws (no import), and kmsfix writes its keys with imports of @pulumi/pulumi, ${why}: ` +
    'give the table `serverSideEncryption: { enabled: true, kmsKeyArn: key.arn }` ' +
    `with ${SST_KEY}, ${CUSTOMER_KEY}, by hand`
  );
}

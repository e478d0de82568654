/**
 * SST's tables (sst.dev). SST v3 runs Pulumi: `new sst.aws.Dynamo(name, args)` is a component that
 * creates an `aws.dynamodb.Table` with no `serverSideEncryption` of its own, unless `transform.table`
 * sets one; and `sst.config.ts` (with the files it imports) sees SST's globals `sst` and `aws`
 * (`@pulumi/aws`) without importing them. SST v2 runs the AWS CDK: `new Table(stack, id, props)` from
 * `sst/constructs` (or `@serverless-stack/resources` before it) creates a CDK `dynamodb.Table`
 * whose props end with `cdk.table`. kmsfix reads their encryption from there and never rewrites them:
 * the step says what to write.
 */
import { declarationOf } from './consts.js';
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

/**
 * Where an SST table's encryption is written: the object literal of `transform.table` (v3) or
 * `cdk.table` (v2), `absent` when the path is not there (the table is AWS owned), or why it cannot be read.
 */
export function sstTableProps(
  sf: ts.SourceFile,
  generation: SstGeneration,
  props: ts.Expression | undefined,
): ts.ObjectLiteralExpression | 'absent' | { unreadable: string } {
  const path = generation === 'v3' ? ['transform', 'table'] : ['cdk', 'table'];
  let o = props ? objectOf(props)?.literal : undefined;
  if (!props) return 'absent';
  if (!o) return { unreadable: `the props are ${snippet(sf, props)}, not an object literal (or a const holding one)` };
  for (const [i, key] of path.entries()) {
    const l = lookup(sf, o, key);
    if (l.kind === 'absent') return 'absent';
    if (l.kind === 'unknown') return { unreadable: l.why };
    const next = objectOf(l.value)?.literal;
    if (!next) {
      const v = unwrap(l.value);
      const what = ts.isArrowFunction(v) || ts.isFunctionExpression(v) ? 'a function, which may set the encryption' : snippet(sf, l.value);
      return { unreadable: `${path.slice(0, i + 1).join('.')} is ${what}` };
    }
    o = next;
  }
  return o;
}

/** The key a manual step asks for. */
export const CUSTOMER_KEY = 'a customer-managed KMS key (with enableKeyRotation, and a key policy that lets DynamoDB use it)';

/** The manual step for an SST table. */
export function sstStep(generation: SstGeneration | 'v3-global'): string {
  const key = CUSTOMER_KEY;
  if (generation === 'v3')
    return (
      "the table is created by SST's sst.aws.Dynamo component, which kmsfix does not rewrite: give it " +
      `${key} through the component's transform, \`transform: { table: (args) => { args.serverSideEncryption = ` +
      '{ enabled: true, kmsKeyArn: key.arn }; } }` with `const key = new aws.kms.Key(...)`'
    );
  if (generation === 'v2')
    return (
      "the table is created by SST's Table construct, which kmsfix does not rewrite: give it " +
      `${key} in its CDK props, \`cdk: { table: { encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey: key } }\` ` +
      'with `const key = new kms.Key(stack, ...)` (TableEncryption from aws-cdk-lib/aws-dynamodb)'
    );
  return (
    "the table is created with SST's global aws (no import), and kmsfix writes its keys with imports of @pulumi/pulumi, " +
    'which sst.config.ts does not take at its top: give the table serverSideEncryption: { enabled: true, kmsKeyArn: key.arn } ' +
    `with \`const key = new aws.kms.Key(...)\`, ${key}, by hand`
  );
}

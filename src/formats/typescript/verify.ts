/**
 * Extra checks on a fixed file's re-detection: each fixed table's key is a key the file creates
 * (kms.Key, KmsKey, aws.kms.Key), declared in the file, with rotation on; its id (Pulumi: name) expression
 * has no side effect, which the copies of it the fix writes beside the table would run again (sideEffects.ts).
 */
import type { FixOptions, SourceFile } from '../../core/types.js';
import { lookup, snippet } from './lookup.js';
import type { TsDetection, TsTable } from './tableTypes.js';
import { resolveSymbol } from './imports.js';
import { resourceKeyProblem } from './resources.js';
import { sideEffectIn } from './sideEffects.js';
import { ts, unwrap } from './parse.js';

const KEY_CLASSES = new Set([
  'aws-cdk-lib/aws-kms#Key',
  '@cdktf/provider-aws/lib/kms-key#KmsKey',
  '@cdktf/provider-aws/lib/kms#KmsKey',
  '@pulumi/aws#kms.Key',
]);

/** The expression naming the table's key: `encryptionKey`, `customerManagedKey(x)`, `kmsMasterKeyId`, `kmsKeyArn`. */
function keyExpression(sf: ts.SourceFile, t: TsTable): ts.Expression | undefined {
  if (!t.props) return undefined;
  const value = (o: ts.ObjectLiteralExpression, name: string) => {
    const l = lookup(sf, o, name);
    return l.kind === 'value' ? unwrap(l.value) : undefined;
  };
  const nested = (name: string, inner: string) => {
    const o = value(t.props!, name);
    return o && ts.isObjectLiteralExpression(o) ? value(o, inner) : undefined;
  };
  switch (t.kind) {
    case 'Table':
      return value(t.props, 'encryptionKey');
    case 'TableV2': {
      const c = value(t.props, 'encryption');
      return c && ts.isCallExpression(c) ? c.arguments[0] : undefined;
    }
    case 'CfnTable':
      return nested('sseSpecification', 'kmsMasterKeyId');
    case 'DynamodbTable':
    case 'PulumiTable':
      return nested('serverSideEncryption', 'kmsKeyArn');
    default:
      return undefined;
  }
}

/** `ownKey`: tables whose fix added the type alone (typeOnly.ts): they keep the user's key, created by no fix. */
export function verifyTypeScript(
  _file: SourceFile,
  detection: TsDetection,
  fixed: string[],
  options: FixOptions,
  ownKey: ReadonlySet<string> = new Set(),
): string[] {
  if (options.kmsKeyArn) return [];
  const { sf, binds } = detection;
  const decls = new Map<string, ts.VariableDeclaration>();
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name)) decls.set(n.name.text, n);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  const problems: string[] = [];
  for (const t of detection.tables) {
    if (!fixed.includes(t.address) || ownKey.has(t.address)) continue;
    const effect = t.idNode && sideEffectIn(t.idNode);
    if (effect) {
      problems.push(
        `the id of table ${t.address} has a side effect (${snippet(sf, effect)}), which each copy of it the fix writes runs again`,
      );
      continue;
    }
    if (t.kind === 'CfnResource') {
      const problem = resourceKeyProblem(sf, t);
      if (problem) problems.push(problem);
      continue;
    }
    let e = keyExpression(sf, t);
    // `key.keyArn`, `key.arn`
    if (e && ts.isPropertyAccessExpression(e) && ['keyArn', 'arn'].includes(e.name.text)) e = e.expression;
    const decl = e && ts.isIdentifier(e) ? decls.get(e.text) : undefined;
    const init = decl?.initializer ? unwrap(decl.initializer) : undefined;
    if (!init || !ts.isNewExpression(init) || !KEY_CLASSES.has(resolveSymbol(init.expression, binds) ?? '')) {
      problems.push(`table ${t.address} does not reference a KMS key created in the file`);
      continue;
    }
    const args = init.arguments ?? [];
    const props = args.find((a) => ts.isObjectLiteralExpression(unwrap(a))) as ts.Expression | undefined;
    const rot = props ? lookup(sf, unwrap(props) as ts.ObjectLiteralExpression, 'enableKeyRotation') : undefined;
    if (rot?.kind !== 'value' || unwrap(rot.value).kind !== ts.SyntaxKind.TrueKeyword) {
      problems.push(`the key of table ${t.address} does not enable rotation`);
    }
  }
  return problems;
}

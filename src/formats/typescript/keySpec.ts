/**
 * A CDK or Pulumi table whose key is a key of the same file (keptKeys.ts reads which: Table `encryptionKey: k`,
 * TableV2 `TableEncryptionV2.customerManagedKey(k)`, CfnTable `kmsMasterKeyId: k.keyArn`, Pulumi `kmsKeyArn: k.arn`;
 * `k` a `new kms.Key(...)` / `new aws.kms.Key(...)` of the file) whose spec or usage, written in its props as a literal
 * or an enum member (`keySpec: kms.KeySpec.RSA_2048`, `keyUsage: kms.KeyUsage.SIGN_VERIFY`; Pulumi
 * `customerMasterKeySpec: 'RSA_2048'`, `keyUsage: 'SIGN_VERIFY'`), DynamoDB refuses (src/rule/keySpec.ts): the key
 * setting says so. Props from a variable, a value from one: left as today. CDK for Terraform's KmsKey: not read.
 */
import type { SourceFile } from '../../core/types.js';
import { kindValue, markUnusableKeys, unusableKey, type KeyKind } from '../../rule/keySpec.js';
import type { TsDetection } from './tableTypes.js';
import { resolveSymbol } from './imports.js';
import { fileKey, KEY_CLASSES, keyExpression, type Sym } from './keptKeys.js';
import { lookup } from './lookup.js';
import { stringValue, ts, unwrap } from './parse.js';

/** A spec or usage as written: a string, or an enum member (`kms.KeySpec.RSA_2048`: RSA_2048). */
function literal(e: ts.Expression): string | undefined {
  const u = unwrap(e);
  return kindValue(ts.isPropertyAccessExpression(u) ? u.name.text : stringValue(u));
}

/** The key's spec and usage, and each as written (`keySpec: kms.KeySpec.RSA_2048`). */
function kindOf(
  sf: ts.SourceFile,
  created: ts.NewExpression,
  name: string,
  pulumi: boolean,
): (KeyKind & { written: Map<string, string> }) | undefined {
  const args = created.arguments ?? [];
  const props = args[pulumi ? 1 : 2] && unwrap(args[pulumi ? 1 : 2]);
  if (!props || !ts.isObjectLiteralExpression(props)) return undefined;
  const written = new Map<string, string>();
  const read = (n: string) => {
    const l = lookup(sf, props, n);
    const v = l.kind === 'value' ? literal(l.value) : undefined;
    if (v === undefined || l.kind !== 'value') return undefined;
    written.set(n, `${n}: ${l.value.getText(sf)}`);
    return { name: n, value: v };
  };
  const spec = pulumi ? (read('customerMasterKeySpec') ?? read('keySpec')) : read('keySpec');
  const usage = read('keyUsage');
  return { key: `the ${pulumi ? 'aws.kms.Key' : 'kms.Key'} ${name}`, ...(spec ? { spec } : {}), ...(usage ? { usage } : {}), written };
}

/** Marks each table's key that is such a key of the file. */
export function markUnusableTsKeys(file: SourceFile, d: TsDetection): void {
  if (!/aws-kms|aws_kms|@pulumi\/aws/.test(file.text)) return;
  const sf = d.sf;
  const sym: Sym = (e) => resolveSymbol(e, d.binds);
  for (const t of d.tables) {
    const classes = KEY_CLASSES[t.framework];
    const key = classes && fileKey(keyExpression(t, sf), sf, sym, classes);
    if (!key) continue;
    const pulumi = t.framework === 'pulumi';
    const kind = kindOf(sf, key.created, key.name, pulumi);
    const unusable =
      kind &&
      unusableKey(
        kind,
        (name, value) => kind.written.get(name) ?? `${name}: ${value}`,
        (name, value) => (pulumi ? `'${value}'` : `${name === 'keySpec' ? 'KeySpec' : 'KeyUsage'}.${value}`),
      );
    if (unusable) markUnusableKeys(t.encryption, () => unusable);
  }
}

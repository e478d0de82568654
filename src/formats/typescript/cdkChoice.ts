/**
 * AWS CDK's `encryption` of a Table (a TableEncryption member) or a TableV2 (a TableEncryptionV2 call): the key class
 * it selects, the AWS managed key given as a customer-managed one (its key, or a replica's key ARN), a key that may be
 * left out, and a choice a condition makes (its branches). Read by tableFacts.ts factsOf.
 */
import { ABSENT, type Setting, type Settings } from '../../rule/facts.js';
import { declarationOf } from './consts.js';
import { lookup, snippet } from './lookup.js';
import { isUnset, ts, unwrap } from './parse.js';
import { managedKeySetting } from './awsManagedKey.js';
import { noKeyArn } from './fnChoices.js';
import { onlyValueOf } from './singleValue.js';
import { type Ctx, noneOrEmpty, settingOf } from './settingReaders.js';

/** The key class CDK's `encryption` value selects (TableEncryption members, TableEncryptionV2 calls). */
const MEANS: Record<string, Setting['means']> = {
  'aws-cdk-lib/aws-dynamodb#TableEncryption.DEFAULT': 'aws-owned',
  'aws-cdk-lib/aws-dynamodb#TableEncryption.AWS_MANAGED': 'aws-managed',
  'aws-cdk-lib/aws-dynamodb#TableEncryption.CUSTOMER_MANAGED': 'customer-managed',
  'aws-cdk-lib/aws-dynamodb#TableEncryptionV2.dynamoOwnedKey': 'aws-owned',
  'aws-cdk-lib/aws-dynamodb#TableEncryptionV2.awsManagedKey': 'aws-managed',
  'aws-cdk-lib/aws-dynamodb#TableEncryptionV2.customerManagedKey': 'customer-managed',
};

/** CDK's `encryption`: a TableEncryption member (Table) or a TableEncryptionV2 call (TableV2). */
export function choiceOf(c: Ctx, props: ts.ObjectLiteralExpression, v2: boolean): Setting {
  return settingOf(c.sf, props, 'encryption', choiceValue(c, v2, v2 && replicated(c.sf, props)));
}

/**
 * Does a TableV2 have replicas (its `replicas`, one a spread may give, or a `.addReplica(...)` of the file)? CDK reads
 * replicaKeyArns for those only: an entry for a Region with none is not used.
 */
const replicated = (sf: ts.SourceFile, props: ts.ObjectLiteralExpression) =>
  !noneOrEmpty(sf, props, 'replicas') || sf.text.includes('.addReplica(');

const choiceValue =
  (c: Ctx, v2: boolean, replicas = false) =>
  (e: ts.Expression): Setting => {
    const u = unwrap(e);
    const s = v2 ? (ts.isCallExpression(u) ? c.sym(u.expression) : undefined) : c.sym(u);
    let means = s === undefined ? undefined : MEANS[s];
    // `TableEncryptionV2.customerManagedKey(<a lookup of alias/aws/dynamodb>)`: the AWS managed key (awsManagedKey.ts);
    // through a CfnParameter's default, said with it; one that may be that key: not known.
    const managed =
      means === 'customer-managed' && ts.isCallExpression(u) && u.arguments[0]
        ? managedKeySetting(c.sf, c.given, u.arguments[0], 'reference')
        : undefined;
    if (managed?.state === 'unreadable') return managed;
    if (managed) means = 'aws-managed';
    // `customerManagedKey(Key.fromKeyArn(this, 'K', Fn.conditionIf(c, arn, Aws.NO_VALUE).toString()))`: may be no key (fnChoices.ts).
    const noKey =
      means === 'customer-managed' && ts.isCallExpression(u) && u.arguments[0]
        ? noKeyArn(u.arguments[0], snippet(c.sf, u.arguments[0]))
        : undefined;
    if (noKey) return { state: 'unreadable', source: `the key may be left out (${noKey})` };
    // Its replica key ARNs (`customerManagedKey(key, { 'eu-west-1': <a key> })`): each replica's key, read the same way.
    const replica =
      replicas && means === 'customer-managed' && ts.isCallExpression(u) && u.arguments[1]
        ? managedReplicaKey(c, u.arguments[1])
        : undefined;
    if (replica?.setting.state === 'unreadable') return replica.setting;
    if (replica) means = 'aws-managed';
    const source = replica ? `${snippet(c.sf, e)}, whose replica key for ${replica.region} is ${replica.setting.source}` : snippet(c.sf, e);
    const via = managed?.via ?? replica?.setting.via;
    return means ? { state: 'reference', source, means, ...(via ? { via } : {}) } : { state: 'expression', source: written(c.sf, e) };
  };

/**
 * An expression as the reason shows it: a name of a variable with one value, with that value (`encryption (props.encryption
 * ?? TableEncryption.CUSTOMER_MANAGED)`), not the name alone ("encryption is encryption", real-world round 48:
 * research-service-workbench-on-aws's WorkbenchDynamodb).
 */
function written(sf: ts.SourceFile, e: ts.Expression): string {
  const u = unwrap(e);
  const init = ts.isIdentifier(u) ? onlyValueOf(declarationOf(u)) : undefined;
  return init ? `${snippet(sf, e)} (${snippet(sf, init)})` : snippet(sf, e);
}

/**
 * The first entry of TableV2's replica key ARNs (`TableEncryptionV2.customerManagedKey(key, replicaKeyArns)`, written
 * there or in a const of the file) that is, or may be, the AWS managed key, with its Region as written: CDK sets that
 * replica's KMSMasterKeyId from it, as a CfnGlobalTable replica's own (adversarial pass s61 F1). Undefined for a map
 * whose entries name other keys, and for one kmsfix cannot list (a spread, a value of another file).
 */
function managedReplicaKey(c: Ctx, map: ts.Expression, depth = 0): { region: string; setting: Setting } | undefined {
  const u = unwrap(map);
  if (depth > 4) return undefined;
  if (ts.isIdentifier(u)) {
    const init = onlyValueOf(declarationOf(u));
    return init && managedReplicaKey(c, init, depth + 1);
  }
  if (!ts.isObjectLiteralExpression(u)) return undefined;
  for (const p of u.properties) {
    const value = ts.isPropertyAssignment(p) ? p.initializer : ts.isShorthandPropertyAssignment(p) ? p.name : undefined;
    const setting = value && managedKeySetting(c.sf, c.given, value, 'reference');
    if (setting) return { region: p.name ? p.name.getText(c.sf) : '?', setting };
  }
  return undefined;
}

/**
 * CDK's `encryption` chosen by a condition (`isProd ? TableEncryption.AWS_MANAGED : TableEncryption.DEFAULT`, or
 * `: undefined`): the settings as each value would make them (Settings.branches). When none is customer-managed the
 * table is not, whichever the condition picks (as CloudFormation's Fn::If): real-world round 30.
 */
export function withChoiceBranches(c: Ctx, props: ts.ObjectLiteralExpression, v2: boolean, settings: Settings): Settings {
  const l = lookup(c.sf, props, 'encryption');
  const e = l.kind === 'value' ? unwrap(l.value) : undefined;
  if (settings.model !== 'choice' || !e || !ts.isConditionalExpression(e)) return settings;
  const value = choiceValue(c, v2, v2 && replicated(c.sf, props));
  const branches = [e.whenTrue, e.whenFalse].map((b) => ({ ...settings, choice: isUnset(b) ? ABSENT : value(b) }));
  return {
    ...settings,
    branches: { name: 'choice', source: settings.choice.source, condition: e.condition.getText(c.sf), settings: branches },
  };
}

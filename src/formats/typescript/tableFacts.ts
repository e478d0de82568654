/**
 * A table's encryption facts (src/rule/facts.ts): read from its props by its class (factsOf: CDK's Table, TableV2 and
 * its multi-account replica, CfnTable, CfnGlobalTable, aws-native's tables, CDKTF's and Pulumi's tables and replica
 * resources), a table whose props kmsfix cannot read (unreadable), and a status a parameter's default decides
 * (parameterDecided).
 */
import { decide } from '../../rule/cmk.js';
import type { EncryptionFacts, Obstacle, Setting, Settings, WrittenBack } from '../../rule/facts.js';
import { lookup, snippet } from './lookup.js';
import type { ts } from './parse.js';
import { managedKeySetting } from './awsManagedKey.js';
import { noKeyArn } from './fnChoices.js';
import { choiceOf, withChoiceBranches } from './cdkChoice.js';
import { type Ctx, changedKey, keyOf, maybeFrom, noneOrEmpty, settingOf, switchOf, unsetKey } from './settingReaders.js';
import { cfnReplicaKey, cfnSettings, replicasOf, tfSettings } from './sseSettings.js';
import type { TableClass } from './tableClasses.js';
import { WORDS } from './words.js';

/** The encryption facts of a table whose props are an object literal. */
export function factsOf(c: Ctx, kind: TableClass, props: ts.ObjectLiteralExpression): EncryptionFacts {
  const { sf, given } = c;
  const facts: EncryptionFacts = { peerKind: 'code', words: WORDS[kind], settings: { model: 'sse' }, obstacles: [] };
  switch (kind) {
    case 'Table': {
      let maybeManaged: Setting | undefined;
      const settings: Extract<Settings, { model: 'choice' }> = {
        model: 'choice',
        choice: choiceOf(c, props, false),
        key: settingOf(sf, props, 'encryptionKey', (e) => {
          // A member of a const the file changes may be any key, the AWS managed key too: as one that may be, below.
          const changed = changedKey(sf, e);
          if (changed) return (maybeManaged = changed);
          // A key imported by an ARN that may be no key (`Key.fromKeyArn(..., Fn.conditionIf(c, arn, Aws.NO_VALUE))`):
          // CDK creates none for it, and the table may get the AWS managed key (fnChoices.ts).
          const noKey = noKeyArn(e, snippet(sf, e));
          if (noKey) return (maybeManaged = { state: 'unreadable', source: `the key may be left out (${noKey})` });
          const unset = unsetKey(sf, e);
          if (unset) return unset;
          const managed = managedKeySetting(sf, given, e, 'reference');
          if (managed?.state === 'unreadable') maybeManaged = managed;
          return managed ?? { state: 'reference', source: snippet(sf, e) };
        }),
        enabled: settingOf(sf, props, 'serverSideEncryption', switchOf(sf)),
      };
      // CUSTOMER_MANAGED with a key that may be the AWS managed key (`Key.fromKeyArn(this, 'K', context ?? <its alias
      // ARN>)`): not known. (A key that may be left out is not: CDK then creates one for the table.)
      if (maybeManaged && settings.choice.means === 'customer-managed') settings.choice = maybeManaged;
      facts.settings = withChoiceBranches(c, props, false, settings);
      // CDK refuses CUSTOMER_MANAGED beside any replicationRegions, `[]` too (a truthy array).
      if (!noneOrEmpty(sf, props, 'replicationRegions'))
        facts.obstacles.push({ kind: 'replication-regions', ...maybeFrom(sf, props, 'replicationRegions') });
      else if (lookup(sf, props, 'replicationRegions').kind !== 'absent')
        facts.obstacles.push({ kind: 'replication-regions', empty: true });
      break;
    }
    case 'TableV2':
      facts.settings = withChoiceBranches(c, props, true, { model: 'choice', choice: choiceOf(c, props, true) });
      if (!noneOrEmpty(sf, props, 'replicas')) facts.obstacles.push({ kind: 'table-v2-replicas', ...maybeFrom(sf, props, 'replicas') });
      // Settings replicated with no replica of its own: the source of a multi-account global table.
      else if (lookup(sf, props, 'globalTableSettingsReplicationMode').kind !== 'absent')
        facts.obstacles.push({
          kind: 'multi-account-replication',
          why: 'it sets globalTableSettingsReplicationMode with no replicas of its own, as the source of a multi-account global table does',
          replicas: [],
        });
      break;
    case 'TableV2MultiAccountReplica':
      facts.settings = { model: 'choice', choice: choiceOf(c, props, true) };
      facts.obstacles.push({
        kind: 'multi-account-replication',
        why: "it is a replica, in another account, of replicaSourceTable's global table",
        replicas: [],
      });
      break;
    case 'CfnTable':
    case 'NativeTable':
      facts.settings = cfnSettings(sf, given, props, true);
      // CDK synthesizes sseSpecification as given: CloudFormation rejects a key without sseType (src/rule/cmk.ts
      // untypedKey). (aws-native's tables are never fixed, and a fix's step would not be this one.)
      if (kind === 'CfnTable' && facts.settings.model === 'sse') facts.settings.keyNeedsType = true;
      break;
    case 'CfnGlobalTable':
    case 'NativeGlobalTable':
      facts.settings = cfnSettings(sf, given, props, false);
      facts.replicas = replicasOf(sf, props, 'replicas', 'own', (o) => cfnReplicaKey(sf, given, o));
      break;
    case 'DynamodbTableReplica':
    case 'PulumiTableReplica':
      facts.settings = { model: 'sse', key: settingOf(sf, props, 'kmsKeyArn', keyOf(sf, given)) };
      facts.obstacles.push({ kind: 'replica-resource' });
      break;
    case 'DynamodbTable':
    case 'PulumiTable': {
      facts.settings = tfSettings(sf, given, props);
      const name = kind === 'DynamodbTable' ? 'replica' : 'replicas';
      facts.replicas = replicasOf(sf, props, name, 'override', (o) => settingOf(sf, o, 'kmsKeyArn', keyOf(sf, given)));
      break;
    }
  }
  return facts;
}

/** A table whose props kmsfix cannot read. */
export function unreadable(why: string): EncryptionFacts {
  return {
    peerKind: 'code',
    words: { names: {} },
    settings: { model: 'unreadable', container: { state: 'unreadable', source: why } },
    obstacles: [],
  };
}

/**
 * A status a parameter's default decides (a CfnParameter's: awsManagedKey.ts; a serverless.ts's resources.Parameters):
 * left to the parameter unless --fix-parameterised, as a template's `!Ref` is.
 */
export function parameterDecided(encryption: EncryptionFacts, back?: () => WrittenBack | undefined): void {
  const decided = decide(encryption);
  const parameters = (decided.via ?? []).filter((v) => /^parameter \S+'s default\b/.test(v));
  if (parameters.length > 0 && (decided.status === 'aws-managed' || decided.status === 'aws-owned')) {
    const o: Obstacle = {
      kind: 'parameter',
      decidedBy: parameters,
      inputs: [...new Set(parameters.map((v) => /^parameter (\S+)'s/.exec(v)![1]))],
    };
    // The settings as written, for the roll back (a serverless.ts's SSESpecification); none from AWS CDK (or where kmsfix
    // cannot tell), whose roll back names the code before the fix.
    o.back = back?.() ?? {};
    encryption.obstacles.push(o);
  }
}

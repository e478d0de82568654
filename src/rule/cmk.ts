/**
 * The DynamoDB customer-managed key rule: from a table's encryption facts (src/rule/facts.ts), its
 * status (before suppressions), the reason in the format's words, and the blocker (the manual step
 * when a fix cannot be made). Every format's tables go through this one function.
 */
import { blockerText, firstObstacle } from './blockers.js';
import type { EncryptionFacts, Replicas, Setting, Settings, Vocabulary } from './facts.js';
import { EXPLAIN, isAwsManagedKeyRef, type Status } from './status.js';
import { say } from './words.js';

export interface Assessment {
  status: Status;
  /** Why, in the format's words (without the status's explanation: see `messageOf`). */
  reason: string;
  /** The manual step, when the table is not customer-managed and a fix cannot be made. */
  blocker?: string;
  /** Replicas with keys of their own (global tables): the index of the one a fix sets (the stack's own Region). */
  replica?: number;
}

interface Verdict {
  status: Status;
  reason: string;
  blocker?: string;
}

const verdict = (status: Status, reason: string): Verdict => ({ status, reason });

/** The block and the switch: a verdict when they decide the table, undefined when the key (or replicas) must. */
function switchVerdict(s: Extract<Settings, { model: 'sse' }>, words: Vocabulary): Verdict | undefined {
  const { block, enabled, sseType } = s;
  if (block) {
    if (block.state === 'absent') return verdict('aws-owned', say(words, 'blockAbsent'));
    if (block.state === 'unreadable') return verdict('unknown', block.source);
    if (block.state !== 'literal') return verdict('unknown', say(words, 'blockUnresolved', { source: block.source }));
  }
  if (enabled) {
    if (enabled.state === 'absent') return verdict('aws-owned', say(words, 'enabledAbsent'));
    if (enabled.state === 'unreadable') return verdict('unknown', enabled.source);
    if (enabled.bool === false) return verdict('aws-owned', say(words, 'enabledFalse'));
    if (enabled.bool !== true) return verdict('unknown', say(words, 'enabledUnresolved', { source: enabled.source }));
  }
  if (sseType && sseType.state !== 'absent' && sseType.state !== 'literal') {
    return verdict('unknown', say(words, 'sseTypeUnresolved', { source: sseType.source }));
  }
  return undefined;
}

/** Does this key setting name the AWS managed key (a literal alias/aws/dynamodb or its ARN, null, empty)? */
function awsManagedKey(key: Setting): boolean {
  if (key.state === 'literal') return key.text === undefined || isAwsManagedKeyRef(key.text);
  return key.text !== undefined && isAwsManagedKeyRef(key.text);
}

/** The verdict a key setting gives a table (or replica) whose encryption is on. `name`: the key's name in messages. */
function keyVerdict(key: Setting | undefined, words: Vocabulary, name = words.names.key ?? ''): Verdict {
  if (!key || key.state === 'absent') return verdict('aws-managed', say(words, 'keyAbsent', { key: name }));
  if (key.state === 'unreadable') return verdict('unknown', key.source);
  if (awsManagedKey(key)) return verdict('aws-managed', say(words, 'keyAwsManaged', { key: name, source: key.source }));
  return verdict('customer-managed', say(words, 'keyCustomer', { source: key.source }));
}

/** CDK's shape: a choice of key, an explicit key, a legacy switch. */
function choiceVerdict(s: Extract<Settings, { model: 'choice' }>, words: Vocabulary): Verdict {
  const { choice, key, enabled } = s;
  if (choice.state === 'unreadable') return verdict('unknown', choice.source);
  if (choice.state !== 'absent') {
    const is = say(words, 'choiceIs', { source: choice.source });
    switch (choice.means) {
      case 'aws-owned':
      case 'aws-managed':
        return verdict(choice.means, is);
      case 'customer-managed':
        return key && key.state !== 'absent' && key.state !== 'unreadable'
          ? verdict('customer-managed', say(words, 'keyCustomer', { source: key.source }))
          : verdict('customer-managed', say(words, 'choiceCustomer', { source: choice.source }));
      default:
        return verdict('unknown', is);
    }
  }
  if (key && key.state === 'unreadable') return verdict('unknown', key.source);
  if (key && key.state !== 'absent') return verdict('customer-managed', say(words, 'keyCustomer', { source: key.source }));
  if (enabled && enabled.state === 'unreadable') return verdict('unknown', enabled.source);
  if (enabled?.bool === true) return verdict('aws-managed', say(words, 'enabledTrue'));
  if (enabled && enabled.state !== 'absent' && enabled.bool === undefined) {
    return verdict('unknown', say(words, 'enabledUnresolved', { source: enabled.source }));
  }
  return verdict('aws-owned', say(words, 'choiceAbsent'));
}

const fixableStatus = (s: Status) => s === 'aws-owned' || s === 'aws-managed';

function replicaKeyName(words: Vocabulary, region: string): string {
  return (words.names.replicaKey ?? 'replica {region} key').replace('{region}', region);
}

/**
 * A global table (each replica has its own key): the table's block and switch first, then the
 * replicas' keys (the first one that cannot be read, else the first AWS managed one). A fix can set
 * at most the key of the replica in the stack's own Region (`fix: 'local'`), or none.
 */
function ownKeysVerdict(top: Verdict | undefined, r: Replicas, words: Vocabulary): Verdict & { replica?: number } {
  const byHand = (regions: string) => say(words, 'replicaKeys', { regions: regions || 'each replica Region' });
  if (r.list.state !== 'literal') {
    const v =
      top ??
      (r.list.state === 'unreadable'
        ? verdict('unknown', r.list.source)
        : verdict('unknown', say(words, 'replicasUnresolved', { source: r.list.source })));
    if (!fixableStatus(v.status)) return v;
    return { ...v, blocker: r.fix === 'local' ? say(words, 'replicasNotPlain') : byHand('') };
  }
  let unknown: Verdict | undefined;
  const needing: { index: number; v: Verdict }[] = [];
  r.items.forEach((item, index) => {
    if (!item.readable) {
      unknown ??= verdict('unknown', say(words, 'replicaUnreadable', { source: item.source }));
      return;
    }
    const v = keyVerdict(item.key, words, replicaKeyName(words, item.region?.source ?? ''));
    if (v.status === 'unknown') unknown ??= v;
    else if (v.status === 'aws-managed') needing.push({ index, v });
  });
  const v = top ?? unknown ?? needing[0]?.v ?? verdict('customer-managed', say(words, 'everyReplica'));
  if (!fixableStatus(v.status)) return v;
  if (r.fix === 'none') return { ...v, blocker: byHand('') };
  const remote = needing.filter((n) => !r.items[n.index].region?.local);
  if (remote.length > 0 || needing.length > 1) {
    return { ...v, blocker: byHand(remote.map((n) => r.items[n.index].region?.source || '(no Region)').join(', ')) };
  }
  return { ...v, replica: needing[0]?.index };
}

/**
 * A table whose replicas may override its key: when the table's key is customer-managed, a replica
 * without one decides. A fix sets no replica key, so a table with replicas is left to the user.
 */
function overrideKeysVerdict(v: Verdict, r: Replicas, words: Vocabulary): Verdict {
  const byHand = say(words, 'replicaKeys', { regions: 'each replica Region' });
  if (v.status === 'customer-managed') {
    if (r.list.state === 'absent') return v;
    if (r.list.state !== 'literal') return verdict('unknown', say(words, 'replicasUnresolved', { source: r.list.source }));
    for (const item of r.items) {
      if (!item.readable) return verdict('unknown', say(words, 'replicaUnreadable', { source: item.source }));
      const rv = keyVerdict(item.key, words, replicaKeyName(words, item.region?.source ?? ''));
      if (rv.status !== 'customer-managed') return { ...rv, blocker: byHand };
    }
    return v;
  }
  const none = r.list.state === 'absent' || (r.list.state === 'literal' && r.items.length === 0);
  return fixableStatus(v.status) && !none ? { ...v, blocker: byHand } : v;
}

function settingsVerdict(f: EncryptionFacts): Verdict & { replica?: number } {
  const { settings: s, words, replicas } = f;
  if (s.model === 'unreadable') {
    const c = s.container;
    return verdict('unknown', c.state === 'unreadable' ? c.source : say(words, 'containerUnresolved', { source: c.source }));
  }
  if (s.model === 'choice') return choiceVerdict(s, words);
  const top = switchVerdict(s, words);
  if (replicas?.keys === 'own') return ownKeysVerdict(top, replicas, words);
  const v = top ?? keyVerdict(s.key, words);
  return replicas ? overrideKeysVerdict(v, replicas, words) : v;
}

/** The rule on one table: status, reason, blocker. */
export function assess(f: EncryptionFacts): Assessment {
  const v = settingsVerdict(f);
  const out: Assessment = { status: v.status, reason: v.reason };
  const obstacle = v.blocker === undefined ? firstObstacle(f.obstacles, v.status) : undefined;
  const blocker = v.blocker ?? (obstacle && blockerText(obstacle, f.words));
  if (blocker !== undefined) out.blocker = blocker;
  if (v.replica !== undefined) out.replica = v.replica;
  return out;
}

/** Would a fix be wanted and possible, as far as the facts so far tell (formats look for further obstacles only then)? */
export function fixWanted(a: Assessment): boolean {
  return fixableStatus(a.status) && a.blocker === undefined;
}

const EXPLAINED: Partial<Record<Status, string>> = {
  'aws-owned': EXPLAIN.awsOwned,
  'aws-managed': EXPLAIN.awsManaged,
  unknown: EXPLAIN.unknown,
};

/** The reason with what its status means: the table's message before suppressions. */
export function messageOf(a: Assessment): string {
  const explained = EXPLAINED[a.status];
  return explained === undefined ? a.reason : `${a.reason}: ${explained}`;
}

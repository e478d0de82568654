/**
 * The DynamoDB customer-managed key rule: from a table's encryption facts (src/rule/facts.ts), its
 * status (before suppressions), the reason in the format's words, and the blocker (the manual step
 * when a fix cannot be made). Every format's tables go through these functions: `decide` (the
 * decision), `assess` (in the format's words).
 */
import { blockerText, firstObstacle } from './blockers.js';
import type { Branches, EncryptionFacts, Obstacle, Replicas, Setting, Settings, Vocabulary, WrittenBack } from './facts.js';
import { EXPLAIN, isAwsManagedKeyRef, type Status } from './status.js';
import { say, type Reason } from './words.js';

/** The rule's decision on one table, before it is put in words (what formats ask while they look for obstacles). */
export interface Decision {
  status: Status;
  /** Why (see Said). */
  reason: Said;
  /** What blocks a fix: a manual step the settings themselves call for (replicas), or the first obstacle that counts. */
  blocker?: Said | Obstacle;
  /** Replicas with keys of their own (global tables): the index of the one a fix sets (the stack's own Region). */
  replica?: number;
  /** Inputs' defaults that decided (Setting.via), for the reason. */
  via?: string[];
  /** A condition chose the setting that decided (Settings.branches): whichever it picks, the status is this one. */
  condition?: string;
  /**
   * With `condition`: each choice's own status, in the order written (Fn::If's true choice first), and the setting as
   * written (Branches.written). A fix's roll back gives each choice back what it was (src/report/rollback.ts), not the
   * table's one status: `!If [IsProd, true, false]` is AWS owned, yet its prod stacks were on the AWS managed key.
   */
  choices?: { statuses: Status[]; written?: string; picked?: number[] };
  /** The table names a key of its own that a missing SSEType keeps from being used (keyWithoutType): a fix adds SSEType alone. */
  typeOnly?: true;
  /** The table's switch is off and its own key is customer-managed (switchedOff): a fix turns the switch on alone. */
  switchOnly?: true;
}

/** The decision in the format's words. */
export interface Assessment {
  status: Status;
  /** Why, in the format's words (without the status's explanation: see `messageOf`). */
  reason: string;
  /** The manual step, when the table is not customer-managed and a fix cannot be made. */
  blocker?: string;
  replica?: number;
  /** A condition chose the setting that decided: its name, and what each choice was (Decision.choices). */
  choices?: ChoicesWere;
}

/**
 * The parameters that decided a table fixed through them (--fix-parameterised), and what it was (WrittenBack): its
 * roll back gives the settings back as written, not the Default's setting (TableReport.parameters).
 */
export interface ParametersWere extends WrittenBack {
  inputs: string[];
}

/** What each choice of a setting a condition chose made the table (TableReport.choices). */
export interface ChoicesWere {
  condition: string;
  statuses: Status[];
  written?: string;
  /** The choices the environments pick, where each decides the condition (Branches.chosen): no stack was on another. */
  picked?: number[];
}

/**
 * A reason not yet worded: a phrase of words.ts with its values (`replicaRegion`: the key is that
 * replica's), or the format's own text (why it cannot read a setting).
 */
type Said = string | { phrase: Reason; values?: Record<string, string>; replicaRegion?: string };

interface Verdict {
  status: Status;
  reason: Said;
  blocker?: Said;
  via?: string[];
  condition?: string;
  choices?: Decision['choices'];
  typeOnly?: true;
}

const verdict = (status: Status, reason: Said): Verdict => ({ status, reason });

/** The verdict, decided by these settings: those read through an input's default are named (Setting.via). */
function through<V extends Verdict>(v: V, ...settings: (Setting | undefined)[]): V {
  const via = settings.flatMap((s) => (s?.via === undefined ? [] : [s.via]));
  // Two settings read through one source (SAM's Globals.SimpleTable.SSESpecification) name it once.
  return via.length === 0 ? v : { ...v, via: [...new Set([...(v.via ?? []), ...via])] };
}
const phrase = (p: Reason, values?: Record<string, string>, replicaRegion?: string): Said => ({ phrase: p, values, replicaRegion });

/** The block and the switch: a verdict when they decide the table, undefined when the key (or replicas) must. */
function switchVerdict(s: Extract<Settings, { model: 'sse' }>): Verdict | undefined {
  const { block, enabled, sseType } = s;
  if (block) {
    if (block.state === 'absent') return verdict('aws-owned', phrase('blockAbsent'));
    if (block.state === 'unreadable') return verdict('unknown', block.source);
    if (block.state !== 'literal') return verdict('unknown', phrase('blockUnresolved', { source: block.source }));
  }
  if (enabled) {
    if (enabled.state === 'absent') return verdict('aws-owned', phrase('enabledAbsent'));
    if (enabled.state === 'unreadable') return verdict('unknown', enabled.source);
    if (enabled.bool === false) return through(verdict('aws-owned', phrase('enabledFalse', { source: enabled.source })), enabled);
    if (enabled.bool !== true) return verdict('unknown', phrase('enabledUnresolved', unresolved(enabled)));
  }
  if (sseType?.state === 'unreadable') return verdict('unknown', sseType.source);
  if (sseType && sseType.state !== 'absent' && sseType.state !== 'literal') {
    return verdict('unknown', phrase('sseTypeUnresolved', { source: sseType.source }));
  }
  return undefined;
}

/** Does this key setting name the AWS managed key (a literal alias/aws/dynamodb or its ARN, null, empty)? */
function awsManagedKey(key: Setting): boolean {
  if (key.state === 'literal') return key.text === undefined || isAwsManagedKeyRef(key.text);
  return key.text !== undefined && isAwsManagedKeyRef(key.text);
}

/** The status a key setting gives a table (or replica) whose encryption is on. */
function keyStatus(key: Setting | undefined): Status {
  if (!key || key.state === 'absent') return 'aws-managed';
  if (key.state === 'unreadable') return 'unknown';
  if (key.unusable) return 'aws-managed';
  return awsManagedKey(key) ? 'aws-managed' : 'customer-managed';
}

/** The verdict a key setting gives a table (or the replica in `replicaRegion`) whose encryption is on. */
function keyVerdict(key: Setting | undefined, replicaRegion?: string): Verdict {
  const status = keyStatus(key);
  if (key?.unusable && key.state !== 'absent' && key.state !== 'unreadable') return unusableVerdict(key, replicaRegion);
  if (!key || key.state === 'absent') return verdict(status, phrase('keyAbsent', { source: key?.source ?? '' }, replicaRegion));
  if (status === 'unknown') return verdict(status, key.source);
  return verdict(status, phrase(status === 'aws-managed' ? 'keyAwsManaged' : 'keyCustomer', { source: key.source }, replicaRegion));
}

/**
 * A key DynamoDB cannot use (Setting.unusable: an asymmetric or HMAC key of the same file, src/rule/keySpec.ts):
 * the deploy fails (a new table is not created; an update fails and rolls back) and the table keeps the key it
 * had. As with a key CloudFormation rejects for want of SSEType (untypedVerdict), the key counts as none: what
 * is left, KMS asked for with no key of the table's own, is the AWS managed key (not `unknown`, which would hide
 * a table that is not what its code says). Never fixed: the key is the user's, and a symmetric one replaces it.
 */
function unusableVerdict(key: Setting, replicaRegion?: string, choice = false): Verdict {
  const u = key.unusable!;
  const values = { source: key.source, keyName: u.key, written: u.written, names: u.names, symmetric: u.symmetric };
  const reason = phrase(choice ? 'choiceUnusable' : 'keyUnusable', values, replicaRegion);
  return { ...verdict('aws-managed', reason), blocker: phrase('keyUnusableStep', values) };
}

/**
 * A key of the table's own (not the AWS managed one) with no SSEType where the deploy requires it
 * (Settings.keyNeedsType): CloudFormation rejects the template ("SSEType KMS is required if
 * KMSMasterKeyId is specified"; cfn-lint E3021), so the stack fails, an update rolls back, and the
 * table keeps the key it had.
 */
function untypedKey(s: Extract<Settings, { model: 'sse' }>): boolean {
  const untyped = s.sseType === undefined || s.sseType.state === 'absent' || wrongType(s.sseType);
  return s.keyNeedsType === true && untyped && keyStatus(s.key) === 'customer-managed';
}

/**
 * An SSEType written as a literal other than KMS, its one value (`AES256`, `kms`, `'KMS '`, `true`): CloudFormation
 * rejects it as it does a key without one (cfn-lint E3030, "is not one of ['KMS']"), and the table keeps the key it
 * had. A literal whose text the format does not give (Setting.text) is not read so.
 */
function wrongType(t: Setting | undefined): t is Setting & { text: string } {
  return t?.state === 'literal' && t.text !== undefined && t.text !== 'KMS';
}

/**
 * Such a key counts as none: what is left, SSEEnabled true, is the AWS managed key, the key of a table
 * the template created before the key was written (the status a table with SSEEnabled true and no key
 * has; not `unknown`, which a fix never touches, nor `aws-owned`, which SSEEnabled true is not).
 * A fix adds SSEType alone and keeps the user's key (typeOnly); the key's inputs are no obstacle
 * (whatever they give, SSEType KMS is what the template lacks), so only the switch's are named.
 */
function untypedVerdict(key: Setting, sseType?: Setting): Verdict {
  const reason = wrongType(sseType)
    ? phrase('keyWrongType', { source: key.source, type: sseType.source })
    : phrase('keyWithoutType', { source: key.source });
  return { ...verdict('aws-managed', reason), typeOnly: true };
}

/** CDK's shape: a choice of key, an explicit key, a legacy switch. */
function choiceVerdict(s: Extract<Settings, { model: 'choice' }>): Verdict {
  const { choice, key, enabled } = s;
  if (choice.state === 'unreadable') return verdict('unknown', choice.source);
  if (choice.state !== 'absent') {
    const is = phrase('choiceIs', { source: choice.source });
    switch (choice.means) {
      case 'aws-owned':
      case 'aws-managed':
        // (Read through an input's default: `customerManagedKey(Key.fromKeyArn(..., param.valueAsString))`.)
        return through(verdict(choice.means, is), choice);
      case 'customer-managed':
        // The key given is the AWS managed key (a lookup of alias/aws/dynamodb, CDK's `Alias.fromAliasName(...)`).
        if (key && key.state !== 'absent' && key.state !== 'unreadable' && awsManagedKey(key))
          return through(verdict('aws-managed', phrase('keyAwsManaged', { source: key.source })), key);
        if (key?.unusable && key.state !== 'absent' && key.state !== 'unreadable') return unusableVerdict(key);
        // The key is the choice's own (TableV2's `TableEncryptionV2.customerManagedKey(k)`).
        if (choice.unusable && (!key || key.state === 'absent')) return unusableVerdict(choice, undefined, true);
        return key && key.state !== 'absent' && key.state !== 'unreadable'
          ? verdict('customer-managed', phrase('keyCustomer', { source: key.source }))
          : verdict('customer-managed', phrase('choiceCustomer', { source: choice.source }));
      default:
        return verdict('unknown', is);
    }
  }
  if (key && key.state === 'unreadable') return verdict('unknown', key.source);
  // A key and no `encryption`: CDK uses the key given, the AWS managed key when that is what it names.
  if (key && key.state !== 'absent' && awsManagedKey(key))
    return through(verdict('aws-managed', phrase('keyAwsManaged', { source: key.source })), key);
  if (key?.unusable && key.state !== 'absent') return unusableVerdict(key);
  if (key && key.state !== 'absent') return verdict('customer-managed', phrase('keyCustomer', { source: key.source }));
  if (enabled && enabled.state === 'unreadable') return verdict('unknown', enabled.source);
  if (enabled?.bool === true) return verdict('aws-managed', phrase('enabledTrue'));
  if (enabled && enabled.state !== 'absent' && enabled.bool === undefined) {
    return verdict('unknown', phrase('enabledUnresolved', unresolved(enabled)));
  }
  return verdict('aws-owned', phrase('choiceAbsent'));
}

/** An unresolved switch's words: the value as written, and what was read on the way (Setting.why). */
const unresolved = (s: Setting) => ({ source: s.source, why: s.why ? ` (${s.why})` : '' });

const fixableStatus = (s: Status) => s === 'aws-owned' || s === 'aws-managed';

/** The manual step for replica keys, in the Regions named (or each replica Region). */
const byHand = (regions = ''): Said => phrase('replicaKeys', { regions: regions || 'each replica Region' });

/**
 * A global table (each replica has its own key): the table's block and switch first, then the
 * replicas' keys (the first one that cannot be read, else the first AWS managed one). A fix can set
 * at most the key of the replica in the stack's own Region (`fix: 'local'`), or none.
 */
function ownKeysVerdict(top: Verdict | undefined, r: Replicas): Verdict & { replica?: number } {
  if (r.list.state !== 'literal') {
    const v =
      top ??
      (r.list.state === 'unreadable'
        ? verdict('unknown', r.list.source)
        : verdict('unknown', phrase('replicasUnresolved', { source: r.list.source })));
    if (!fixableStatus(v.status)) return v;
    return { ...v, blocker: r.fix === 'local' ? phrase('replicasNotPlain') : byHand() };
  }
  // The replica that decides: the first one that cannot be read, else the first AWS managed one.
  let unknown: number | undefined;
  let needing = 0;
  let first: number | undefined;
  let remote = '';
  r.items.forEach((item, i) => {
    const status = item.readable ? keyStatus(item.key) : 'unknown';
    if (status === 'unknown') unknown ??= i;
    else if (status === 'aws-managed') {
      needing++;
      first ??= i;
      if (!item.region?.local) remote += (remote ? ', ' : '') + (item.region?.source || '(no Region)');
    }
  });
  const decider = unknown ?? first;
  const v =
    top ??
    (decider === undefined
      ? verdict('customer-managed', phrase('everyReplica'))
      : r.items[decider].readable
        ? keyVerdict(r.items[decider].key, r.items[decider].region?.source ?? '')
        : verdict('unknown', phrase('replicaUnreadable', { source: r.items[decider].source })));
  if (!fixableStatus(v.status)) return v;
  if (r.fix === 'none') return { ...v, blocker: byHand() };
  if (remote || needing > 1) return { ...v, blocker: byHand(remote) };
  return first === undefined ? v : { ...v, replica: first };
}

/**
 * A table whose replicas may override its key: when the table's key is customer-managed, a replica
 * without one decides. A fix sets no replica key (unless the format's fix gives them all one with the
 * table's: `all`), so a table with replicas is left to the user.
 */
function overrideKeysVerdict(v: Verdict, r: Replicas): Verdict {
  if (v.status === 'customer-managed') {
    if (r.list.state === 'absent') return v;
    if (r.list.state !== 'literal') return verdict('unknown', phrase('replicasUnresolved', { source: r.list.source }));
    for (const item of r.items) {
      if (!item.readable) return verdict('unknown', phrase('replicaUnreadable', { source: item.source }));
      if (keyStatus(item.key) !== 'customer-managed') return { ...keyVerdict(item.key, item.region?.source ?? ''), blocker: byHand() };
    }
    return v;
  }
  const none = r.list.state === 'absent' || (r.list.state === 'literal' && r.items.length === 0);
  return fixableStatus(v.status) && !none && r.fix !== 'all' ? { ...v, blocker: byHand() } : v;
}

/**
 * A setting a condition chooses: each choice decided with the rest of the table's facts. When every
 * choice leaves the table AWS owned or AWS managed (the same replica to set, if any, and no choice
 * read through an input's default), the table is that whichever the condition picks (AWS owned if
 * any choice is); otherwise undefined, and the setting reads as written (unknown).
 */
function branchesVerdict(f: EncryptionFacts, b: Branches): (Verdict & { replica?: number }) | undefined {
  // The branches the environments pick (Branches.chosen), when they are known: customer-managed where each is.
  const vs = (b.chosen ? b.chosen.indexes.map((i) => b.settings[i]) : b.settings).map((settings) => settingsVerdict({ ...f, settings }));
  // A choice whose key lacks SSEType (untypedKey, AWS managed as deployed). When the environments are known and each
  // picks such a key (KMSMasterKeyId chosen, SSEType shared by the choices), SSEType added beside the Fn::If makes each
  // customer-managed: the table is AWS managed, fixed so, the condition and the keys kept. Otherwise it is read as
  // written (unknown): unknown environments (customer-managed choices stay unknown, so the fix could not be verified),
  // or one that picks no key or the AWS managed one (SSEType alone would leave it so, and a generated key would replace
  // the keys the others name).
  if (vs.some((v) => v.typeOnly)) {
    if (b.name !== 'key' || !b.chosen || vs.length === 0 || !vs.every((v) => v.typeOnly)) return undefined;
    const via = [...new Set([...vs.flatMap((v) => v.via ?? []), b.chosen.by])];
    return { ...untypedVerdict({ state: 'expression', source: b.source }), via };
  }
  if (b.chosen && vs.length > 0 && vs.every((v) => v.status === 'customer-managed'))
    return { ...vs[0], via: [...new Set([...vs.flatMap((v) => v.via ?? []), b.chosen.by])] };
  // A choice read through an input's default (a parameter) may take other values: not decided here.
  const decided = vs.every((v) => fixableStatus(v.status) && v.via === undefined && v.replica === vs[0].replica);
  if (vs.length === 0 || !decided) return undefined;
  const v: Verdict & { replica?: number } = verdict(
    vs.some((x) => x.status === 'aws-owned') ? 'aws-owned' : 'aws-managed',
    phrase(`${b.name}Branches` as const, { source: b.source }),
  );
  const blocker = vs.find((x) => x.blocker !== undefined)?.blocker;
  if (blocker !== undefined) v.blocker = blocker;
  if (vs[0].replica !== undefined) v.replica = vs[0].replica;
  v.condition = b.condition;
  // Every choice's status, the ones no environment picks too (the roll back writes the whole Fn::If back).
  const statuses = b.chosen ? b.settings.map((settings) => settingsVerdict({ ...f, settings }).status) : vs.map((x) => x.status);
  v.choices = b.written === undefined ? { statuses } : { statuses, written: b.written };
  if (b.chosen) v.choices.picked = b.chosen.indexes;
  return v;
}

function settingsVerdict(f: EncryptionFacts): Verdict & { replica?: number } {
  const { settings: s, replicas } = f;
  const chosen = (s.model === 'sse' || s.model === 'choice') && s.branches ? branchesVerdict(f, s.branches) : undefined;
  if (chosen) return chosen;
  if (s.model === 'unreadable') {
    const c = s.container;
    return verdict('unknown', c.state === 'unreadable' ? c.source : phrase('containerUnresolved', { source: c.source }));
  }
  if (s.model === 'choice') return choiceVerdict(s);
  const top = switchVerdict(s);
  // A global table: its switch (when on) decided with the replicas' keys.
  if (replicas?.keys === 'own') return top ? ownKeysVerdict(top, replicas) : through(ownKeysVerdict(top, replicas), s.enabled);
  // Encryption on: the switch and the key decided (SSEType has one value that matters, KMS).
  const v = top ?? (untypedKey(s) ? through(untypedVerdict(s.key!, s.sseType), s.enabled) : through(keyVerdict(s.key), s.enabled, s.key));
  return replicas ? overrideKeysVerdict(v, replicas) : v;
}

/**
 * A table whose switch is written off (`enabled = false`, `SSEEnabled: false`, literal, not read
 * through an input; or unset where the format says its default is off: switchDefaultOff) while it names a key of its own, which the rest of its facts make customer-managed
 * once the switch is on (or customer-managed but for SSEType, which the fix that adds the switch adds
 * too: untypedKey). Its team chose that key: a fix turns the switch on and keeps it, rather than
 * generating a second key and leaving theirs unused (real-world round 38 F5). A key that reads as the
 * AWS managed one, or that cannot be read, is no such key: the table is fixed as any switched-off one.
 */
function switchedOff(f: EncryptionFacts): boolean {
  const s = f.settings;
  if (s.model !== 'sse' || s.branches || !s.enabled) return false;
  const e = s.enabled;
  // Unset where the format's default is off and its fix can add it (switchDefaultOff): the same as a literal false.
  const off = (e.state === 'literal' && e.bool === false) || (e.state === 'absent' && s.switchDefaultOff === true);
  if (!off || e.via !== undefined || !s.key || s.key.state === 'absent') return false;
  const on = settingsVerdict({ ...f, settings: { ...s, enabled: { ...e, state: 'literal', bool: true, source: 'true' } } });
  return (on.status === 'customer-managed' || on.typeOnly === true) && on.blocker === undefined;
}

/**
 * The rule on one table: status, reason and blocker, not yet in words (cheap: formats ask it while
 * they read). `waived`: obstacles the user chose to fix through (--fix-parameterised).
 */
export function decide(f: EncryptionFacts, waived?: ReadonlySet<Obstacle['kind']>): Decision {
  const v = settingsVerdict(f);
  const d: Decision = { status: v.status, reason: v.reason };
  const blocker = v.blocker ?? firstObstacle(f.obstacles, v.status, waived);
  if (blocker !== undefined) d.blocker = blocker;
  if (v.replica !== undefined) d.replica = v.replica;
  if (v.via !== undefined) d.via = v.via;
  if (v.condition !== undefined) d.condition = v.condition;
  if (v.choices !== undefined) d.choices = v.choices;
  if (v.typeOnly) d.typeOnly = true;
  if (v.status === 'aws-owned' && switchedOff(f)) d.switchOnly = true;
  return d;
}

/** Does a fix add the type alone to this table, its own key kept (untypedKey), and no key? */
export const typeOnlyFix = (f: EncryptionFacts): boolean => decide(f).typeOnly === true;

/** Does a fix turn this table's switch on alone, its own key kept (switchedOff), and no key? */
export const switchOnlyFix = (f: EncryptionFacts): boolean => decide(f).switchOnly === true;

/** The key a fix that turns this table's switch on alone keeps (switchedOff), as written; undefined for any other table. */
export const keptKeyOf = (f: EncryptionFacts): string | undefined =>
  f.settings.model === 'sse' && switchOnlyFix(f) ? (f.settings.key?.written ?? f.settings.key?.source) : undefined;

/** Does a fix keep this table's own key (the type or the switch added alone), and generate none? */
export const ownKeyFix = (f: EncryptionFacts): boolean => {
  const d = decide(f);
  return d.typeOnly === true || d.switchOnly === true;
};

/** Would a fix be wanted and possible, as far as the facts so far tell (formats look for further obstacles only then)? */
export function fixWanted(d: Decision): boolean {
  return fixableStatus(d.status) && d.blocker === undefined;
}

function word(said: Said, words: Vocabulary): string {
  if (typeof said === 'string') return said;
  if (said.replicaRegion === undefined) return say(words, said.phrase, said.values);
  const key = (words.names.replicaKey ?? 'replica {region} key').replace('{region}', said.replicaRegion);
  return say(words, said.phrase, { ...said.values, key });
}

/** Obstacles of who may read the deployed table, said of synthesized output beside its own (assess). */
const ACCESS: ReadonlySet<Obstacle['kind']> = new Set(['resource-policy', 'zero-etl', 'multi-account-replication', 'cross-account-grants']);

const isObstacle = (b: Said | Obstacle): b is Obstacle => typeof b === 'object' && 'kind' in b;

/** The rule on one table, in the format's words. */
export function assess(f: EncryptionFacts, waived?: ReadonlySet<Obstacle['kind']>): Assessment {
  const d = decide(f, waived);
  const reason = word(d.reason, f.words);
  const out: Assessment = { status: d.status, reason: d.via ? `${reason}, decided by ${d.via.join(' and ')}` : reason };
  if (d.blocker !== undefined) out.blocker = isObstacle(d.blocker) ? blockerText(d.blocker, f.words) : word(d.blocker, f.words);
  // Synthesized output's table is the app's: what its policy or integrations let in is said too (the one way to read
  // what a construct of a package adds: src/rule/cautions.ts `package-construct`, deploy review of session 60, F2).
  const access =
    d.blocker !== undefined && isObstacle(d.blocker) && d.blocker.kind === 'synth-output'
      ? firstObstacle(
          f.obstacles.filter((o) => ACCESS.has(o.kind)),
          d.status,
          waived,
        )
      : undefined;
  if (access) out.blocker = `${out.blocker}. In the app, this table needs more than a fix: ${blockerText(access, f.words)}`;
  if (d.replica !== undefined) out.replica = d.replica;
  if (d.condition !== undefined && d.choices !== undefined) out.choices = { condition: d.condition, ...d.choices };
  return out;
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

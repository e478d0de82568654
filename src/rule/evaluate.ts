/**
 * src/rule/: what kmsfix checks tables against, decided in one place over neutral facts.
 *
 * Formats (src/formats/<family>/detect.ts) adapt their source into one TableFacts per table
 * (src/core/types.ts): identity and position, inline suppressions, and for each rule the facts it
 * reads (today `encryption`: src/rule/facts.ts). They decide nothing; the rule does:
 *   cmk.ts       the DynamoDB customer-managed key rule: facts -> status, reason, blocker
 *   words.ts     its reasons in each format's vocabulary; blockers.ts: obstacles -> manual steps
 *   status.ts    the status vocabulary; keyPolicy.ts: the key policy a fix generates
 *   peers/       other scanners' verdicts on the same facts (rules.ts) and profiles (evaluate.ts)
 *   evaluate.ts  (this file) what the engine calls: judge(table, options) -> the table's verdict
 *
 * A second rule (say, point-in-time recovery on) goes beside cmk.ts: its facts type beside
 * facts.ts, a field for them on TableFacts that each format's detect fills in (as data, like
 * `encryption`), its decision function, and its verdict in judge(). Planning the edits stays with
 * each format's fix.
 */
import type { KeyStrategy, TableFacts } from '../core/types.js';
import type { Caution, Obstacle } from './facts.js';
import { assess, type ChoicesWere, decide, messageOf, type ParametersWere } from './cmk.js';
import { recreationEffect } from './blockers.js';
import { cautionText, isStanding } from './cautions.js';
import { peerFactsOf } from './peers/facts.js';
import { compliantUnder, silencingOwn, stillFiring, underProfile, type Profile } from './peers/evaluate.js';
import { peerVerdicts, type PeerVerdicts } from './peers/rules.js';
import { isFixableStatus, type Status } from './status.js';
import { skippedBy } from './skip.js';
import type { KeyPolicyMode } from './keyPolicy.js';

export interface JudgeOptions {
  /** Whose rules decide `compliant` (default strict). */
  profile?: Profile;
  /** The AWS managed key counts as compliant. */
  acceptAwsManaged?: boolean;
  /** The table is in test code (src/io/discover.ts isTestPath)... */
  test?: boolean;
  /** ...and test code is fixed too. */
  includeTests?: boolean;
  /** Address patterns of tables left out (src/rule/skip.ts). */
  skipTables?: string[];
  /** Settings decided by an input's default (a CloudFormation parameter) are fixed too, taking the decision from the input. */
  fixParameterised?: boolean;
  /** Tables whose fix has Terraform delete and re-create replicas are fixed too (src/rule/blockers.ts recreationEffect). */
  recreateReplicas?: boolean;
  /** A fix uses this existing key and adds none, so what keeps a generated key from being deployed is no obstacle (`key-include`, `generated-key`). */
  kmsKeyArn?: string;
  /** `shared`: one key (and alias) per block of tables, aliased after its first table. */
  keyStrategy?: KeyStrategy;
  /** The policy of generated keys: under `iam` the roles granted DynamoDB and no KMS action are named (caution `iam-roles`). */
  keyPolicy?: KeyPolicyMode;
}

/** Each option and the obstacle it waives (src/rule/blockers.ts WAIVABLE). */
const WAIVERS = [
  ['fixParameterised', 'parameter'],
  ['recreateReplicas', 'replica-recreation'],
  ['kmsKeyArn', 'key-include'],
  ['kmsKeyArn', 'generated-key'],
] as const satisfies readonly (readonly [keyof JudgeOptions, Obstacle['kind']])[];

/** The obstacles waived by each combination of the options (a bit per WAIVERS entry): built once, not per table. */
const WAIVED: (ReadonlySet<Obstacle['kind']> | undefined)[] = Array.from({ length: 1 << WAIVERS.length }, (_, bits) =>
  bits === 0 ? undefined : new Set(WAIVERS.filter((_, i) => bits & (1 << i)).map(([, kind]) => kind)),
);

function waivedBy(options: JudgeOptions): ReadonlySet<Obstacle['kind']> | undefined {
  return WAIVED[WAIVERS.reduce((bits, [option], i) => (options[option] ? bits | (1 << i) : bits), 0)];
}

/**
 * What a fix through a waived obstacle tells of a table, read back from its message (cli.ts prints
 * it as a note; src/engine/pipeline.ts drops it from a table the plan declined after all).
 */
export const FIX_NOTE = /Fixed with (--fix-parameterised|--recreate-replicas): (.*)$/;

/** Does a fix print a note for this table it planned: a waived obstacle's (FIX_NOTE), or its cautions (src/report/fold.ts fixNotes)? */
export const hasFixNote = (t: { planned?: boolean; cautions?: string[]; message: string }) =>
  t.planned === true && (t.cautions !== undefined || FIX_NOTE.test(t.message));

/** The note of a table fixed through a waived obstacle (FIX_NOTE reads it back). */
function waivedNote(o: Obstacle): string | undefined {
  if (o.kind === 'parameter') {
    const one = o.inputs.length === 1;
    if (o.condition)
      return `Fixed with --fix-parameterised: the table's settings are written explicitly, so condition ${o.inputs.join(' and ')} no longer ${one ? 'chooses' : 'choose'} them`;
    return `Fixed with --fix-parameterised: the table's settings are written explicitly, so ${o.inputs.join(' and ')} no longer ${one ? 'controls' : 'control'} them`;
  }
  if (o.kind === 'replica-recreation') return `Fixed with --recreate-replicas: ${recreationEffect(o)}`;
  return undefined;
}

/** A table's verdict, as reports show it. */
export interface Judgement {
  status: Status;
  message: string;
  compliant: boolean;
  /** A fix would change it (kmsfix's own rule, whatever the profile: a customer-managed key satisfies every tool). */
  fixable: boolean;
  /** Set when the table is not customer-managed and kmsfix cannot fix it: what to do by hand. */
  blocker?: string;
  /** Peer scanners' rule IDs that fire on the table, suppressions aside. */
  peers: PeerVerdicts;
  /**
   * Fixable: what the fix changes beyond the table, for its reviewer; on any table, what needs a look as it is
   * (src/rule/cautions.ts isStanding). Worded by src/rule/cautions.ts; also in `message`.
   */
  cautions?: string[];
  /** The kind of each of `cautions`, in order: what reports ask (a standing caution), never the text. */
  cautionKinds?: Caution['kind'][];
  /** Non-compliant and fixable, but in test code and left alone (no --include-tests). */
  testCode?: true;
  /** The reason alone, short (the message explains it): for one-line reports. */
  reason: string;
  /** Under a peer tool's profile: that tool does not scan this kind of table (not compliant, not failing either). */
  notScannedBy?: Profile;
  /** A condition chose the setting that decided: what each choice was (for a fix's roll back). */
  choices?: ChoicesWere;
  /** Fixed through the parameters that decided it (--fix-parameterised): them, and what the table was (for its roll back). */
  parameters?: ParametersWere;
}

/** What a table's near-misses of kmsfix's own suppression say, and what to write instead; undefined without one. */
function unclearOf(t: TableFacts): string | undefined {
  const unclear = t.suppressions.filter((s) => s.unclear !== undefined);
  if (unclear.length === 0) return undefined;
  return `kmsfix suppression not understood: ${unclear.map((s) => `\`${s.text}\`: write ${s.unclear}`).join('; ')}`;
}

/** The status the rule gives a table, before suppressions and --skip-table (what a fix changes). */
export function statusOf(t: TableFacts): Status {
  return decide(t.encryption).status;
}

/**
 * judge(t, options).status alone: what verification compares before and after a fix (src/engine/
 * verify.ts), without the verdict's words and the peers' verdicts it would build and drop.
 * test/rule/judged-status.test.ts holds it to judge's on every fixture and peer case.
 */
export function judgedStatus(t: TableFacts, options: JudgeOptions = {}): Status {
  if (skippedBy(t.address, options.skipTables) !== undefined) return 'suppressed';
  return underProfile(statusOf(t), '', t.suppressions, options.profile ?? 'strict').status;
}

export function judge(t: TableFacts, options: JudgeOptions = {}): Judgement {
  const waived = waivedBy(options);
  const a = assess(t.encryption, waived);
  const peers = peerVerdicts(peerFactsOf(t.encryption));
  const profile = options.profile ?? 'strict';
  const aam = options.acceptAwsManaged === true;
  const base = messageOf(a);
  const skip = skippedBy(t.address, options.skipTables);
  if (skip !== undefined) {
    const reason = `Skipped by --skip-table ${skip}`;
    return { status: 'suppressed', message: `${reason}; without it: ${a.status}: ${base}`, reason, compliant: true, fixable: false, peers };
  }
  const shown = underProfile(a.status, base, t.suppressions, profile);
  const strict = profile === 'strict' ? shown : underProfile(a.status, base, t.suppressions, 'strict');
  const notScanned = profile !== 'strict' && peers[profile] === undefined;
  const compliant = !notScanned && compliantUnder(profile, shown.status, peers, t.suppressions, aam);
  // A near-miss of kmsfix's own suppression (src/core/suppressions.ts): its team meant to skip the table,
  // so a fix leaves it alone until the suppression is written as kmsfix reads it (or removed).
  const unclear = isFixableStatus(strict.status, { acceptAwsManaged: aam }) ? unclearOf(t) : undefined;
  const wanted = isFixableStatus(strict.status, { acceptAwsManaged: aam }) && a.blocker === undefined && unclear === undefined;
  // Test code is reported, and fixed only when asked: its non-compliant tables are often on purpose.
  const leftInTests = wanted && options.test === true && !options.includeTests;
  let message = shown.message;
  // A suppression of some of the tool's rules: the others still fail the table (cfn-guard has two).
  const firing = shown.status === 'suppressed' && !compliant && !notScanned ? stillFiring(profile, peers, t.suppressions) : [];
  const partly = firing.length > 0 ? `, but ${firing.join(' and ')} still ${firing.length === 1 ? 'fires' : 'fire'}` : '';
  if (partly) message = message.replace('; without it:', `${partly}; without it:`);
  // A suppression of a rule that is not kmsfix's (cfn-guard's DYNAMODB_TABLE_MUST_BE_ENCRYPTED alone): said, with what still fires.
  const others = shown.status !== 'suppressed' && !compliant && !notScanned ? silencingOwn(profile, peers, t.suppressions) : [];
  if (others.length > 0) {
    const left = stillFiring(profile, peers, t.suppressions);
    message = `${message} (${others.map((s) => s.text).join(', ')} silences ${others.map((s) => s.rule).join(' and ')}${left.length ? `, but ${left.join(' and ')} still ${left.length === 1 ? 'fires' : 'fire'}` : ''})`;
  }
  if (notScanned) message = `not scanned by ${profile}; kmsfix's own rule: ${shown.status}: ${message}`;
  if (!compliant && a.blocker !== undefined) message = `${message}. Not fixable automatically: ${a.blocker}`;
  if (unclear) message = `${message}. Not fixed: ${unclear} (or remove it to have the table fixed)`;
  if (leftInTests) message = `${message}. Left alone: test code (fixed with --include-tests)`;
  // What the fix changes beyond the table (before a waived obstacle's note, which ends the message: FIX_NOTE).
  // A literal --kms-key-arn is a string where the plugins pass it on: their migration takes it.
  const literalKey = options.kmsKeyArn !== undefined && /^(?:arn:|alias\/)\S*$/.test(options.kmsKeyArn.trim());
  // A table nothing names gets no alias of its own: said when the fix adds a key for it alone.
  const ownAlias = options.kmsKeyArn === undefined && options.keyStrategy !== 'shared';
  // Roles with DynamoDB and no KMS action lose access only to a key whose policy leaves all use to IAM.
  const iamOnly = options.keyPolicy === 'iam' && options.kmsKeyArn === undefined;
  // With --kms-key-arn a CDK v1 fix imports the key's package only (Key.fromKeyArn), no key policy.
  const own = t.encryption.cautions
    ?.map((c) =>
      c.kind === 'undeclared-imports' && options.kmsKeyArn !== undefined
        ? { ...c, packages: c.packages.filter((p) => p !== '@aws-cdk/aws-iam') }
        : c,
    )
    .filter(
      (c) =>
        !(literalKey && c.kind === 'local-migrations') &&
        (ownAlias || c.kind !== 'no-alias') &&
        (iamOnly || c.kind !== 'iam-roles') &&
        !(c.kind === 'undeclared-imports' && c.packages.length === 0),
    );
  // A caution about the table as it is (`unkept-key`), not about a fix: said whatever the status.
  const said = own?.filter((c) => (wanted && !leftInTests) || isStanding(c.kind));
  const cautions = said?.length ? said.map(cautionText) : undefined;
  if (cautions) for (const c of cautions) message = `${message}. ${c}`;
  // The first waived obstacle with a note (--kms-key-arn waives one without).
  const note =
    waived && wanted && !leftInTests
      ? t.encryption.obstacles.map((o) => (waived.has(o.kind) ? waivedNote(o) : undefined)).find((n) => n !== undefined)
      : undefined;
  if (note) message = `${message}. ${note}`;
  const reason = shown.status === 'suppressed' ? message.split('; without it:')[0] : unclear ? `${a.reason}; ${unclear}` : a.reason;
  const out: Judgement = { status: shown.status, message, reason, compliant, fixable: wanted && !leftInTests, peers };
  if (a.blocker !== undefined) out.blocker = a.blocker;
  if (leftInTests) out.testCode = true;
  if (cautions && said) {
    out.cautions = cautions;
    out.cautionKinds = said.map((c) => c.kind);
  }
  if (notScanned) out.notScannedBy = profile;
  if (a.choices && wanted) out.choices = a.choices;
  // A table fixed through a parameter that decided it: what it was, as written (a condition's choices say theirs above).
  const parameter =
    waived?.has('parameter') && wanted ? t.encryption.obstacles.find((o) => o.kind === 'parameter' && !o.condition) : undefined;
  if (parameter?.kind === 'parameter' && parameter.back) out.parameters = { inputs: parameter.inputs, ...parameter.back };
  return out;
}

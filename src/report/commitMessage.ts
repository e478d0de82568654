/**
 * The commit message of a fix in one repository, for `fix --commit` and the mails of `--patch-dir`
 * (`git am`): a subject, the tables fixed with their new keys and the peer rules they now pass,
 * the tables left for a person, and what a reviewer checks before deploying (no downtime, cost,
 * who can use the key, how to roll back). It reads a finished run only.
 */
import { failingRules } from '../rule/peers/evaluate.js';
import { listed } from '../rule/blockers.js';
import { FIX_NOTE } from '../rule/evaluate.js';
import { IAM_ROLES, IAM_UNREAD } from '../rule/cautions.js';
import { DEFAULT_DELETION_WINDOW, type KeySettings } from '../rule/keySettings.js';
import { DEFAULT_KEY_POLICY, KEY_USE_TEXT, type KeyPolicyMode } from '../rule/keyPolicy.js';
import { statSync } from 'node:fs';
import path from 'node:path';
import { toPosix } from '../core/text.js';
import { retainsSome, rollbackNote, statusesWere, teardownTools } from './rollback.js';
import type { FileOutcome, TableReport } from '../core/result.js';
import type { DeployingUnit } from '../core/types.js';
import type { StageRollback } from '../io/stageRollbacks.js';
import { atRef, whenReleased } from './through.js';

export const COMMIT_BRANCH = 'kmsfix/dynamodb-cmk';

/** The fix options the message explains. */
export interface MessageOptions {
  keyStrategy: 'per-table' | 'shared';
  kmsKeyArn?: string;
  keyPolicy?: KeyPolicyMode;
  key?: KeySettings;
  /** kmsfix's version. */
  version: string;
  /**
   * A run of several configuration scopes (src/cli/scopes.ts): the options of the repository at a
   * root, which its message explains instead.
   */
  of?: (root: string) => MessageOptions;
  /**
   * A run of several configuration scopes: the scope that read a file (an outcome of the run, before it is
   * read back), whose settings its tables' lines explain (a folder's own file may set a shared key,
   * `key_policy: iam` or `kms_key_arn` where the repository's root has none).
   */
  scopeOf?: (f: FileOutcome) => MessageScope | undefined;
  /** The CodePipeline stage rollbacks the run's files declare (RunResult.stages): a repository's message names its own. */
  stages?: StageRollback[];
  /** Those of the repository, as its message names them (`pipeline.yaml:12`): set by repositoryMessage. */
  declaredRollbacks?: string[];
}

/** A configuration scope as a message names it: its settings, its file and its folders (absolute). */
export interface MessageScope {
  options: MessageOptions;
  configFile?: string;
  folders: string[];
}

/** The settings a table's lines explain, and where they apply (the folders of its scope, from the repository's root). */
interface Settings {
  o: MessageOptions;
  where: string;
  file: string;
}

export interface CommitMessage {
  subject: string;
  body: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What terraform apply does to the replicas of a table fixed with --recreate-replicas (src/rule/evaluate.ts words it). */
function recreation(t: TableReport): string | undefined {
  const note = FIX_NOTE.exec(t.message);
  return note?.[1] === '--recreate-replicas' ? note[2] : undefined;
}

/** Words wrapped at 72 columns, each line after the first indented by `indent`; code in backquotes is never broken. */
function wrap(text: string, indent: string, first = ''): string {
  const lines: string[] = [];
  let line = first;
  let words = 0;
  for (const word of text.match(/(?:`[^`]*`|\S)+/g) ?? []) {
    if (words > 0 && line.length + 1 + word.length > 72) {
      lines.push(line);
      line = indent + word;
    } else line = words > 0 ? `${line} ${word}` : line + word;
    words++;
  }
  lines.push(line);
  return lines.join('\n');
}

function keyOf(o: MessageOptions): string {
  if (o.kmsKeyArn) return `the existing key ${o.kmsKeyArn}`;
  const alias = (o.key?.alias ?? 'alias/dynamodb/{table}').replace('{table}', '<table name>');
  return o.keyStrategy === 'shared'
    ? `a new customer-managed KMS key shared by the tables of its template or module (rotation on, alias ${alias.replace('<table name>', '<first table name>-shared')})`
    : `a new customer-managed KMS key of its own (rotation on, alias ${alias})`;
}

/**
 * The key line of a table whose fix turned its switch on alone and kept the key it names (TableReport.keptKey): no
 * key is created for it, and its policy is its team's, not kmsfix's, so the reviewer checks that it lets DynamoDB and
 * the table's users in (real-world round 38 F5: the message named a new key of its own, and asked about its cost).
 */
function keptKeyText(key: string): string {
  // In full, on one line: the reviewer checks that key's policy, so its account, Region and key ID all count.
  const one = key.replace(/\s+/g, ' ').trim();
  return (
    `the key it already named (\`${one}\`), now switched on; kmsfix did not write its policy: check that it lets DynamoDB and ` +
    `the table's users use it (${KEY_USE_TEXT} through DynamoDB), or they lose access once the table switches`
  );
}

/**
 * What a new key costs (AWS KMS pricing, since 2024: each of a key's first two rotations adds $1 a month, later ones
 * nothing; session 56's deploy review).
 */
const COST =
  'Cost: each new key costs $1 per month, $2 after its first yearly rotation and $3 from the second on, plus $0.03 per 10,000 requests.';

/** Do these tables all keep the keys they named (TableReport.keptKey), so that the fix creates no key for them? */
const keptAll = (tables: Fixed[]): boolean => tables.length > 0 && tables.every(({ t }) => t.keptKey !== undefined);

/** The note said instead of those on new keys (cost, who can use and deploys them, retention) when no table gets one. */
const KEPT_NOTE =
  "Keys: each table switches to the key it already named (its key line above says what to check in that key's policy); " +
  'this change creates no key, and its roll back (below) is one deploy that sets each switch back off and deletes no key.';

/**
 * The note on snapshot tests of CDK, CDK for Terraform and Pulumi programs (`tables`: theirs), whose snapshot records the
 * tables as they were: without their keys, or, where every table kept the key it named, with its switch off.
 */
function snapshotNote(tables: Fixed[]): string[] {
  if (tables.length === 0) return [];
  const kept = keptAll(tables);
  return [
    'Snapshot tests: a Jest or Vitest snapshot of the synthesized stack or program (toMatchSnapshot of Template.fromStack(...).toJSON(), ' +
      `Testing.synth(...), SynthUtils) records these tables ${kept ? 'with their encryption switched off' : 'without their keys'}, and a CI run (--ci) fails on it instead of writing it: ` +
      `update the snapshots (jest -u, vitest -u, npx projen test) in this change, and check that only ${
        kept ? "the tables' encryption switches" : "the keys, their aliases and the tables' encryption"
      } changed.`,
  ];
}

/**
 * The message of the repository at `root` (`--commit`, and `--patch-dir`'s mail), its paths from that
 * root: its outcomes read back with their tables (`full`: a fix that holds its files keeps them on
 * disk, read back here one repository at a time), those `changed` in the commit. The outcomes read
 * back come with it, for a caller that counts their tables too.
 */
export function repositoryMessage(
  outcomes: FileOutcome[],
  root: string,
  o: MessageOptions,
  changed: (f: FileOutcome) => boolean,
  full: (f: FileOutcome) => FileOutcome,
): { message: CommitMessage; outcomes: FileOutcome[] } {
  const scopeOf = o.scopeOf;
  const declaredRollbacks = (o.stages ?? []).flatMap(({ absPath, line }) => {
    const rel = toPosix(path.relative(root, absPath));
    return rel.startsWith('../') || path.isAbsolute(rel) ? [] : [`${rel}:${line}`];
  });
  if (o.of) o = o.of(root);
  if (declaredRollbacks.length) o = { ...o, declaredRollbacks };
  const fulls = outcomes.map(full);
  const inCommit = new Set(fulls.filter((_, k) => changed(outcomes[k])));
  // Each file's scope, as its folders and file read from the repository's root: by the outcome of the run (a
  // read-back outcome is another object).
  const settings = new Map<FileOutcome, Settings>();
  if (scopeOf)
    for (const [k, f] of fulls.entries()) {
      const s = scopeOf(outcomes[k]);
      if (s) settings.set(f, scopeSettings(s, root, o.version));
    }
  const message = commitMessage(
    fulls,
    o,
    (f) => toPosix(path.relative(root, f.file.absPath)),
    (f) => inCommit.has(f),
    scopeOf ? (f) => settings.get(f) : undefined,
  );
  return { message, outcomes: fulls };
}

/** A scope's settings as the message of the repository at `root` names them: its folders there, its file. */
function scopeSettings(s: MessageScope, root: string, version: string): Settings {
  const folders = new Set<string>();
  for (const f of s.folders) {
    const rel = toPosix(path.relative(root, f));
    if (rel === '' || rel === '..' || rel.startsWith('../') || path.isAbsolute(rel)) folders.add('the rest of the repository');
    // A file named on the command line is named as a file (`root/app.yaml`, not `root/app.yaml/`).
    else folders.add(statSync(f, { throwIfNoEntry: false })?.isDirectory() === false ? rel : `${rel}/`);
  }
  const file = s.configFile === undefined ? 'no configuration file' : toPosix(path.relative(root, s.configFile));
  return { o: { ...s.options, version }, where: [...folders].sort().join(', '), file };
}

/** The settings a message explains, as one key: two files that set the same are one group. */
function settingsKey(o: MessageOptions): string {
  const sorted = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
        )
      : v;
  return JSON.stringify([o.keyStrategy, o.kmsKeyArn ?? null, o.keyPolicy ?? DEFAULT_KEY_POLICY, sorted(o.key ?? null)]);
}

/**
 * A group's settings, short: which keys, which key policy. `tables`: the group's, for `retain: always`, said only
 * where it keeps a key (it changes nothing for Terraform: src/report/rollback.ts retainsSome).
 */
function settingsText(o: MessageOptions, tables: TableReport[]): string {
  if (o.kmsKeyArn) return `the existing key ${o.kmsKeyArn}`;
  const window = o.key?.deletionWindowDays;
  return [
    o.keyStrategy === 'shared' ? 'a key shared per template or module' : 'a key per table',
    `key policy ${o.keyPolicy ?? DEFAULT_KEY_POLICY}`,
    ...(o.key?.alias ? [`alias ${o.key.alias}`] : []),
    ...(window !== undefined && window !== DEFAULT_DELETION_WINDOW ? [`deletion window ${window} days`] : []),
    ...(o.key?.retain === 'always' && retainsSome(tables) ? ['keys retained'] : []),
  ].join(', ');
}

/**
 * The message for these outcomes (one repository's files): `changed` tells which files' changes the
 * commit holds (the tables the verified fix planned in them are told as fixed); `pathOf` names a file.
 * `settingsOf`: a run of several configuration scopes, the settings of the scope that read a file. Each
 * table's lines follow its own; where the tables fixed have different ones, the message says which folders
 * used which, and each line that depends on them is said for each folder (once where they agree).
 */
export function commitMessage(
  outcomes: FileOutcome[],
  o: MessageOptions,
  pathOf: (f: FileOutcome) => string = (f) => f.file.path,
  /** Whether a file's change is in the commit (default: it has a new text; a run that writes as it goes lets texts go). */
  changed: (f: FileOutcome) => boolean = (f) => f.newText !== undefined,
  settingsOf?: (f: FileOutcome) => Settings | undefined,
) {
  const fixed: Fixed[] = [];
  const left: { t: TableReport; file: string }[] = [];
  // Tables a skip pattern or an inline suppression left out, that were not on a customer-managed key: the change does
  // not cover them, so the reviewer is told (session 64's workflow review: a repository's skip_table went unsaid).
  const skipped: { t: TableReport; file: string; was: string }[] = [];
  // The settings groups of the tables fixed, in their first table's order.
  const groups = new Map<string, Group>();
  for (const f of outcomes) {
    const own = settingsOf?.(f);
    for (const t of f.tables) {
      const was = t.status === 'suppressed' ? /; without it: (aws-owned|aws-managed|unknown):/.exec(t.message)?.[1] : undefined;
      if (was) skipped.push({ t, file: pathOf(f), was });
      if (t.compliant) continue;
      if (t.planned && changed(f)) {
        const s = own ?? { o, where: 'the rest of the repository', file: '' };
        const key = settingsKey(s.o);
        let g = groups.get(key);
        if (!g) groups.set(key, (g = { o: s.o, where: new Set(), files: new Set(), fixed: [] }));
        g.where.add(s.where);
        g.files.add(s.file);
        const x = { t, file: pathOf(f), o: s.o };
        g.fixed.push(x);
        fixed.push(x);
      } else left.push({ t, file: pathOf(f) });
    }
  }
  // Terraform calls of a local module whose table this commit fixes (TableReport.through): `terraform apply` gives
  // each call's tables their keys in this deploy, so they are listed with the tables, counted in the notes that count
  // tables, and rolled back as the module's table is (deploy review, session 55: they were listed as not changed,
  // for a manual step, while the same deploy re-encrypted them).
  const byTable = new Map(fixed.map((x) => [`${x.t.file}\0${x.t.address}`, x]));
  const calls: Call[] = [];
  for (const l of left.splice(0)) {
    const module = l.t.through && byTable.get(`${l.t.through.file}\0${l.t.through.address}`);
    if (module) calls.push({ ...l, module });
    else left.push(l);
  }
  // The terragrunt units that deploy the folder of a table this commit fixes (TableReport.units): each applies the
  // module with its own inputs, so it gets keys of its own as a call does, and is listed and counted as one (deploy
  // review, session 55: "Encrypt 1 DynamoDB table" while `terragrunt run-all apply` re-encrypted every unit's).
  // A unit that deploys the folder from this repository's origin at a ref (DeployingUnit.remote) gets nothing from this
  // commit until it is released there: listed apart, counted nowhere (deploy review, session 56, 4).
  const released: Call[] = [];
  for (const module of fixed) for (const unit of module.t.units ?? []) (unit.remote ? released : calls).push(unitCall(module, unit));
  /** The tables `tables` fixed and the calls fixed through them, as the notes that count tables read them. */
  const deployed = (tables: Fixed[]): TableReport[] => [
    ...tables.map(({ t }) => t),
    ...calls.filter((c) => tables.includes(c.module)).map((c) => asModuleTable(c)),
  ];
  // One group: its settings throughout, as a run of one scope says them.
  const all = [...groups.values()];
  if (all.length === 1) o = all[0].o;
  const files = new Set(fixed.map((x) => x.file)).size;
  const moduleCalls = calls.filter((c) => !c.unit).length;
  // A unit that may not deploy (DeployingUnit.may) is listed and counted in the notes, not in the subject.
  const mayUnits = mayNotCount(calls);
  const units = unitCount(calls) - mayUnits;
  const throughCalls = moduleCalls + units > 0 ? ` and the tables of ${callsAndUnits(moduleCalls, units)}` : '';
  const subject = `Encrypt ${plural(fixed.length, 'DynamoDB table')}${throughCalls} with customer-managed KMS keys`;
  const out: string[] = [];
  out.push(
    wrap(
      `kmsfix ${o.version} changed ${plural(files, 'file')} so that ${plural(fixed.length, 'DynamoDB table')} ` +
        `${fixed.length === 1 ? 'is' : 'are'} encrypted with a customer-managed KMS key instead of an AWS owned or AWS managed key.` +
        (moduleCalls > 0
          ? ` Through their module's table, so are the tables of ${plural(moduleCalls, 'Terraform module call')}: terraform apply changes each call's.`
          : '') +
        (units > 0
          ? ` Through their module's table, so are the tables of ${plural(units, 'terragrunt unit')} that ${units === 1 ? 'deploys' : 'deploy'} its folder: terragrunt apply changes each unit's.`
          : '') +
        (mayUnits > 0
          ? ` ${plural(mayUnits, 'more terragrunt unit')} may deploy its folder too (${mayUnits === 1 ? 'its' : 'their'} skip or exclude is not a literal kmsfix reads): listed with the tables.`
          : ''),
      '',
    ),
    '',
  );
  const whereOf = (g: Group) => [...g.where].join(', ');
  // Said where the lines it shows differ: two files that differ only in what they are not shown by (a key's tags, a
  // default restated, key settings beside an existing key) printed the same line twice under it.
  const shownAs = all.map((g) =>
    settingsText(
      g.o,
      g.fixed.map(({ t }) => t),
    ),
  );
  if (new Set(shownAs).size > 1) {
    out.push('Settings differ by folder:');
    for (const [k, g] of all.entries()) out.push(wrap(`${whereOf(g)} (${[...g.files].join(', ')}): ${shownAs[k]}`, '    ', '* '));
    out.push('');
  }
  out.push('Tables:');
  const recreated = fixed.filter(({ t }) => recreation(t) !== undefined).map(({ t }) => t.address);
  for (const { t, file, o: own } of fixed) {
    // A table a choice decided (Fn::If, a parameter's AllowedValues): what each choice was (its roll back gives each back).
    const were = statusesWere(t);
    out.push(
      were ? wrap(`${t.address} (${file}:${t.line}), was ${were}`, '    ', '* ') : `* ${t.address} (${file}:${t.line}), was ${t.status}`,
    );
    out.push(wrap(`key: ${t.keptKey !== undefined ? keptKeyText(t.keptKey) : keyOf(own)}`, '    ', '  '));
    const deploy = recreation(t);
    if (deploy !== undefined) out.push(wrap(`deploy: ${deploy}`, '    ', '  '));
    const rules = failingRules(t.peers);
    if (rules.length) out.push(wrap(`now passes: ${rules.join(', ')}`, '    ', '  '));
  }
  for (const { t, file, module, unit, may } of calls) {
    // A unit is named by its folder (its address), in its terragrunt.hcl.
    const shown = unit ? path.posix.basename(file) : file;
    out.push(
      wrap(
        `${t.address} (${shown}:${t.line}), through ${module.t.address} (${module.file}:${module.t.line}), was ${t.status}` +
          (may ? `; may not deploy at all: ${may}` : ''),
        '    ',
        '* ',
      ),
    );
    const key =
      module.t.keptKey !== undefined
        ? keptKeyText(module.t.keptKey)
        : module.o.kmsKeyArn
          ? keyOf(module.o)
          : `${keyOf(module.o)}, created for this ${unit ? 'unit' : 'call'}`;
    out.push(wrap(`key: ${key}`, '    ', '  '));
  }
  if (released.length) {
    out.push('', "Deployed from this repository's origin at a ref, not by this commit:");
    for (const { t, file, module, remote } of released)
      out.push(
        wrap(
          `${t.address} (${path.posix.basename(file)}:${t.line}), through ${module.t.address} (${module.file}:${module.t.line}): ` +
            `${atRef(remote!)}; the fix reaches it ${whenReleased(remote!)}`,
          '    ',
          '* ',
        ),
      );
  }
  if (left.length) {
    out.push('', 'Not changed (see kmsfix scan for the manual step):');
    for (const { t, file } of left) out.push(wrap(`${t.address} (${file}:${t.line}), ${t.status}`, '    ', '* '));
  }
  if (skipped.length) {
    out.push('', 'Left out on purpose (a skip_table or --skip-table pattern, or an inline suppression), not changed:');
    for (const { t, file, was } of skipped)
      out.push(wrap(`${t.address} (${file}:${t.line}), ${was}: ${t.reason ?? t.message.split('; without it:')[0]}`, '    ', '* '));
  }
  out.push('', 'Before deploying, check:');
  /**
   * A line that depends on the settings: said once when every group's settings say the same of all the tables
   * fixed, else once per group, of its tables, after the folders it is said of.
   */
  const perGroup = (line: (tables: Fixed[], o: MessageOptions) => string[]): string[] => {
    const once = line(fixed, o);
    if (all.length < 2 || all.every((g) => line(fixed, g.o).join('\n') === once.join('\n'))) return once;
    return all.flatMap((g) => line(g.fixed, g.o).map((n) => `${whereOf(g)}: ${n}`));
  };
  const others = fixed.length > recreated.length;
  const notes = [
    recreated.length === 0
      ? 'No downtime (for a table with no replicas made outside the code): DynamoDB switches a table to another key in place; the table stays readable and writable while it does.'
      : `Replicas re-created (--recreate-replicas): to give the replicas of ${listed(recreated)} their keys, terraform apply deletes and re-creates them. ` +
        'Each is out of service in its Region until DynamoDB has copied the table into it again (hours for a large table), and its stream gets a new ARN: ' +
        `deploy when those Regions can do without them, then re-point stream consumers.${others ? ' The other tables switch keys in place, with no downtime.' : ''}`,
    REPLICAS_OUTSIDE,
    POLICIES_OUTSIDE,
    // The notes on new keys are said where a table gets one; tables that all kept their own keys get KEPT_NOTE instead.
    ...perGroup((tables, o) => [
      keptAll(tables)
        ? KEPT_NOTE
        : o.kmsKeyArn
          ? 'Cost: no new key; the existing key is billed as before, plus the requests DynamoDB makes to it for these tables.'
          : COST + callKeys(calls.filter((c) => tables.includes(c.module))),
    ]),
    ...perGroup((tables, o) => requests(deployed(tables), o, keptAll(tables))),
    ...perGroup((tables, o) => (keptAll(tables) ? [] : [whoCanUse(tables, o)])),
    ...perGroup((tables, o) => (keptAll(tables) ? [] : whoDeploys(tables, o))),
    // A table retained, protected or moved after the fix keeps a key whose policy was its table's at fix time
    // (docs/formats/cloudformation.md "No data loss"), which its stack then deletes (session 52's deploy review; AWS's refactor-stacks
    // guide starts a move with DeletionPolicy: Retain on the table alone).
    ...perGroup((tables, o) =>
      o.kmsKeyArn || keptAll(tables)
        ? []
        : [
            'Key retention: if you later retain, protect (deletion protection, point-in-time recovery, backups) or move a table to another stack, ' +
              'give its key the same retention and move the key with it: a key deleted with its stack leaves a kept table unreadable.' +
              teardown(deployed(tables)),
          ],
    ),
    ...(fixed.some(({ t }) => t.format === 'cdk')
      ? [
          'cdk-nag: where the app applies AwsSolutionsChecks, a grant on these tables (grantWriteData, grantReadWriteData, grantFullAccess) now also grants ' +
            "kms:ReEncrypt* and kms:GenerateDataKey* on the key, which AwsSolutions-IAM5 reports as an error: cdk synth fails until it is suppressed (appliesTo 'Action::kms:ReEncrypt*' and 'Action::kms:GenerateDataKey*').",
        ]
      : []),
    ...snapshotNote(fixed.filter(({ t }) => t.format === 'cdk' || t.format === 'cdktf' || t.format === 'pulumi')),
    // A unit's cautions are its module table's, said of that table.
    ...cautions([...fixed.map(({ t }) => t), ...calls.filter((c) => !c.unit).map(({ t }) => t)]),
  ];
  for (const n of notes) out.push(wrap(n, '  ', '* '));
  // How to roll back: its first line after the folders it is said of, where the groups' settings say it differently.
  const declared = o.declaredRollbacks;
  const rollback = (tables: Fixed[], o: MessageOptions) =>
    rollbackNote(deployed(tables), {
      existingKey: o.kmsKeyArn !== undefined,
      windowDays: o.key?.deletionWindowDays ?? DEFAULT_DELETION_WINDOW,
      recreated: tables.filter(({ t }) => recreation(t) !== undefined).map(({ t }) => t.address),
      retainAlways: o.key?.retain === 'always',
      keptKeys: keptAll(tables),
      declaredRollbacks: declared,
    });
  const text = (lines: ReturnType<typeof rollback>) => lines.map((n) => n.text).join('\n');
  const once = rollback(fixed, o);
  const back =
    all.length < 2 || all.every((g) => text(rollback(fixed, g.o)) === text(once))
      ? once
      : all.flatMap((g) => rollback(g.fixed, g.o).map((n, k) => (k === 0 ? { ...n, text: `${whereOf(g)}: ${n.text}` } : n)));
  for (const n of back) out.push(wrap(n.text, n.indent, n.first));
  return { subject, body: out.join('\n') + '\n' };
}

/**
 * What deleting a stack leaves (session 63's deploy review, F2): a key kept on delete (for point-in-time recovery,
 * backups, a kept table, or `key: retain: always`) stays after its stack, enabled and billed, once per stage or
 * pull request torn down; said with the tools of the families fixed that keep keys (rollback.ts teardownTools).
 */
function teardown(tables: TableReport[]): string {
  const tools = teardownTools(tables);
  if (tools.length === 0) return '';
  return (
    ` Deleting a stack (${tools.join(', ')}; every per-stage or per-pull-request teardown) deletes its tables and aliases but keeps ` +
    "each key it retains, enabled and billed: once the table's backups no longer need it (point-in-time recovery: 35 days; " +
    'on-demand and AWS Backup backups: until they are deleted), schedule its deletion (`aws kms schedule-key-deletion --key-id ...`).'
  );
}

/** A table fixed, with the settings it was fixed with. */
interface Fixed {
  t: TableReport;
  file: string;
  o: MessageOptions;
}

/**
 * A Terraform call of a local module whose table the commit fixes (`module`), which gets its keys through it; or
 * (`unit`) a terragrunt unit that deploys the module's folder, its terragrunt.hcl as `file`.
 */
interface Call {
  t: TableReport;
  file: string;
  module: Fixed;
  unit?: true;
  /** A unit that may not deploy at all: why (DeployingUnit.may). */
  may?: string;
  /** A unit that deploys the module from this repository's origin at a ref (DeployingUnit.remote). */
  remote?: DeployingUnit['remote'];
}

/**
 * A terragrunt unit deploying the folder of a table fixed, as a call: named `unit <folder>` (from the repository's
 * root, as the table's file is), at its `terraform` block, with the table's old status (the unit deploys that code).
 */
function unitCall(module: Fixed, unit: DeployingUnit): Call {
  // The unit's path from the table's file's folder, then from the repository's root (both display paths).
  const file = path.posix.normalize(
    path.posix.join(path.posix.dirname(module.file), path.posix.relative(path.posix.dirname(module.t.file), unit.file)),
  );
  const address = `unit ${path.posix.dirname(file)}`;
  return {
    t: { ...module.t, file: unit.file, line: unit.line, column: 1, address, units: undefined },
    file,
    module,
    unit: true,
    ...(unit.may ? { may: unit.may } : {}),
    ...(unit.remote ? { remote: unit.remote } : {}),
  };
}

/** How many terragrunt units the calls hold (a unit deploying a folder of two tables fixed is listed with each). */
const unitCount = (calls: Call[]) => new Set(calls.filter((c) => c.unit).map((c) => c.file)).size;

/** How many of the calls' terragrunt units may not deploy at all (DeployingUnit.may): the subject leaves them out, the notes count them. */
const mayNotCount = (calls: Call[]) => unitCount(calls) - unitCount(calls.filter((c) => !c.may));

/**
 * `2 module calls`, `1 terragrunt unit`, `1 module call and 2 terragrunt units (1 of which may not deploy)`: `mayNot` of
 * the units may not deploy (mayNotCount), said where they are counted, so that a note's count and the subject's (which
 * leaves them out) do not differ unexplained (adversarial pass, session 56, L4).
 */
const callsAndUnits = (moduleCalls: number, units: number, mayNot = 0) => {
  const which =
    mayNot === 0
      ? ''
      : mayNot < units
        ? ` (${mayNot} of which may not deploy)`
        : units === 1
          ? ' (which may not deploy)'
          : ' (each of which may not deploy)';
  return [
    ...(moduleCalls > 0 ? [plural(moduleCalls, 'module call')] : []),
    ...(units > 0 ? [plural(units, 'terragrunt unit') + which] : []),
  ].join(' and ');
};

/**
 * A call as the notes read it: the module's table (a table of the module, whose encryption its roll back sets
 * back, not a key input of the call's) at the call's address and with the call's old status.
 */
const asModuleTable = (c: Call): TableReport => ({ ...c.module.t, address: c.t.address, status: c.t.status, choices: undefined });

/** What the Cost note adds for the module calls and terragrunt units fixed through their module's table: each creates keys of its own. */
const callKeys = (calls: Call[]) => {
  const n = calls.filter((c) => !c.unit).length;
  const units = unitCount(calls);
  return n + units === 0
    ? ''
    : ` The ${callsAndUnits(n, units, mayNotCount(calls))} listed with the tables ${n + units === 1 ? 'creates' : 'each create'} the module's keys anew, billed the same.`;
};

/** The tables fixed with the same settings, and where they are. */
interface Group {
  o: MessageOptions;
  where: Set<string>;
  files: Set<string>;
  fixed: Fixed[];
}

/**
 * Replicas made outside the code (the console's "Create replica", update-table --replica-updates) are not in it: such a table's
 * deploy fails, whatever the format (deploy review of session 58, F1: DynamoDB refuses a customer-managed key through
 * SSESpecification for a 2019.11.21 global table, and the AWS provider's replica update asks a key of each replica's Region).
 */
const REPLICAS_OUTSIDE =
  "Replicas made outside the code: if `aws dynamodb describe-table --table-name <table> --query 'Table.Replicas[].RegionName'` lists any, " +
  'this deploy fails for that table ("Customer Managed CMKs on Global Table Version 2019.11.21 replicas cannot be updated through ' +
  'SSESpecification parameter"): give each replica a key of its Region first.';

/**
 * Resource policies made outside the code (another Terraform root, the console, `put-resource-policy`, the Redshift
 * console's "Fix it for me", a multi-account global table's replication policy) are not in it either: the code's own are
 * read and block the table (obstacles `resource-policy`, `zero-etl`, `multi-account-replication`). Another account's
 * principals, and a service acting as itself (a Redshift or Glue zero-ETL integration, replication.dynamodb), are not
 * callers of this account, so a key policy that lets in this account's callers alone (kms:CallerAccount) denies them
 * (deploy review of session 60, F1). DynamoDB Developer Guide: "Using resource-based policies for DynamoDB"
 * (GetResourcePolicy; PolicyNotFoundException when a table or stream has none), "Cross-account integration
 * considerations with CMK" (without the key's permissions a zero-ETL integration fails silently), "DynamoDB global
 * tables security" and "Multi-account global tables" (an MREC replica left in REPLICATION_NOT_AUTHORIZED for more than
 * 20 hours is converted to a single-Region table).
 */
const POLICIES_OUTSIDE =
  'Resource policies made outside the code (another Terraform root, the console, put-resource-policy, a zero-ETL integration, ' +
  'a multi-account global table): run `aws dynamodb get-resource-policy --resource-arn <table ARN>`, and for a table with a stream the same ' +
  "with the stream's ARN (both from `aws dynamodb describe-table --table-name <table> --query '[Table.TableArn, Table.LatestStreamArn]'`). " +
  'An `Allow` statement whose principal is another account, `*` (unless a condition keeps it to this account) or a `Service` ' +
  '(redshift, glue, replication.dynamodb) lets in callers that KMS then denies (a `Deny` with `Principal: *` lets no one in): ' +
  "do not deploy this table's change until its key's policy lets them in (a zero-ETL integration stops silently; a multi-account replica " +
  'left in REPLICATION_NOT_AUTHORIZED for 20 hours becomes a single-Region table). PolicyNotFoundException: nothing to do.';

/**
 * Resource control policies do not apply to AWS owned or AWS managed keys: these keys are the first that an organisation's RCPs on
 * kms:* govern (AWS KMS Developer Guide, Resource control policies in AWS KMS; deploy review of session 58, F2).
 */
const RCP_NOTE =
  'A resource control policy (RCP) on kms:* applies to these keys too, the first it governs (RCPs do not apply to AWS owned ' +
  "or AWS managed keys): one that keeps KMS in a network perimeter must exempt aws:ViaAWSService, or DynamoDB's calls on the callers' behalf are denied.";

/** Who else a drop-in key lets in: nobody outside the account, so neither a service acting as itself (POLICIES_OUTSIDE). */
const NO_OTHER_ACCOUNT = 'No other account, and no service acting as itself (zero-ETL, multi-account replication), can use it.';

/** Who can use the new keys (or the existing one), by the key policy the settings chose. */
function whoCanUse(fixed: Fixed[], o: MessageOptions): string {
  if (!o.kmsKeyArn && o.key?.denyDirectGrants) return `${whoCanUseByMode(fixed, o)} ${DIRECT_GRANTS_DENIED}`;
  return whoCanUseByMode(fixed, o);
}

/** What `key: deny_direct_grants` adds to the key policy (src/rule/keyPolicy.ts DENY_DIRECT_GRANTS), said in the key policy line. */
const DIRECT_GRANTS_DENIED =
  'Nobody creates a grant on the key except through an AWS service (statement DenyGrantsOutsideAWSServices, key: deny_direct_grants): ' +
  "DynamoDB's grants for the tables' users still work, and the key policy has the statement Control Tower's CT.KMS.PR.3 requires.";

function whoCanUseByMode(fixed: Fixed[], o: MessageOptions): string {
  const mode = o.keyPolicy ?? DEFAULT_KEY_POLICY;
  return o.kmsKeyArn
    ? `Who can use the key: its own key policy decides. It must let every principal that uses these tables use the key through DynamoDB (and a permissions boundary, session policy, service control policy or resource control policy that limits one must allow it too), or they lose access when this is deployed.`
    : mode === 'drop-in'
      ? "Who can use the key (key policy drop-in): every principal of this account that DynamoDB lets in, through DynamoDB in the table's Region only, like aws/dynamodb; " +
        'no identity policy has to change. What limits a caller still does: a permissions boundary, a session policy (sts:AssumeRole with Policy, as ' +
        `tenant-isolation code passes) or a service control policy must allow ${KEY_USE_TEXT} on the key ` +
        '(DynamoDB asks KMS as each caller, and a key policy whose principal is * cannot lift them), or that ' +
        `caller loses access to the tables. ${RCP_NOTE} ${ADMINISTERED} ${NO_OTHER_ACCOUNT}`
      : `Who can use the key (key policy iam): only principals whose IAM policies grant ${KEY_USE_TEXT} on it. ${IAM_ORDER} ${RCP_NOTE}` +
        losing(fixed) +
        ` ${ADMINISTERED}`;
}

/**
 * When the grants of `--key-policy iam` must be deployed (session 61's deploy review, F1). A grant in the same deploy
 * comes too late: a policy naming the table (SAM's DynamoDBCrudPolicy with KMSDecryptPolicy beside it, a Terraform
 * policy with the key's ARN added, AWS CDK's grant*(), which adds the table's key) is updated after the table it
 * names (CloudFormation's and Terraform's order), so the roles are denied from the table's switch until then. And the
 * key does not exist before this deploy: a grant can name it only by a condition.
 */
const IAM_ORDER =
  'Every role that reads or writes these tables needs that grant deployed BEFORE this change (and allowed in any permissions boundary, ' +
  'session policy or service control policy that limits it), or it is denied the tables from their switch: a grant added in the same ' +
  "deploy (a policy naming the new key, or AWS CDK's grant*() on the table, which adds its key) is applied after the table has switched " +
  'keys, as CloudFormation and Terraform update a policy after the table it names. The key does not exist yet: grant those actions on * ' +
  'with the condition kms:ViaService = dynamodb.<region>.amazonaws.com in an earlier deploy, or fix with the default key policy (drop-in) ' +
  'first and move to iam in a later change, once grants on the key have deployed.';

/**
 * Who administers a new key, in both key policies (AllowAccountFullAccessThroughIAM): what the AWS owned key never
 * allowed, a principal of the account disabling or deleting the tables' key (session 56's deploy review).
 */
const ADMINISTERED =
  'The account administers the key through IAM: principals allowed kms:DisableKey, kms:ScheduleKeyDeletion or kms:PutKeyPolicy on * ' +
  '(AdministratorAccess, PowerUserAccess) can make these tables unreadable; consider a service control policy denying those on these keys ' +
  'outside break-glass roles, and an alarm on DisableKey and ScheduleKeyDeletion.';

/** Formats whose deploy is not CloudFormation's (no automatic rollback that deletes a key: Terraform, CDK for Terraform, Pulumi). */
const NOT_CLOUDFORMATION: ReadonlySet<string> = new Set(['terraform', 'cdktf', 'pulumi', 'pulumi-yaml']);

/**
 * Which role makes the KMS calls of a deploy, per family (session 59's deploy review, F1). AWS CDK's deploy role
 * only calls CloudFormation: its execution role creates the resources, with what `cdk bootstrap
 * --cloudformation-execution-policies` gave it. A CloudFormation stack deployed once with a service role keeps it
 * for later operations, and that role may be in no file kmsfix reads (a script, a pipeline): describe-stacks shows it.
 */
function deployers(tables: Fixed[]): string {
  const formats = new Set(tables.map(({ t }) => t.format));
  const out: string[] = [];
  if (formats.has('cdk'))
    out.push(
      "AWS CDK: CloudFormation's execution role `cdk-<qualifier>-cfn-exec-role-<account>-<region>`, whose policies " +
        '`cdk bootstrap --cloudformation-execution-policies` sets, not the deploy role',
    );
  if ([...formats].some((f) => f !== 'cdk' && !NOT_CLOUDFORMATION.has(f))) {
    const named = namedRoles(tables);
    out.push(
      "CloudFormation, SAM and Serverless: the stack's service role, kept for every later deploy once used and perhaps in no file here " +
        "(`aws cloudformation describe-stacks --stack-name <stack> --query 'Stacks[0].RoleARN'`; none: the deployer's own credentials)" +
        (named ? `, which this project names: ${named}` : ''),
    );
  }
  if ([...formats].some((f) => NOT_CLOUDFORMATION.has(f)))
    out.push('Terraform, CDK for Terraform and Pulumi: the credentials the plan or pipeline runs with');
  return out.join('; ');
}

/**
 * The deploy roles the project names beside the fixed tables' files (TableReport.deployRoles: a Serverless service's
 * `provider.iam.deploymentRole` or `provider.cfnRole`, a SAM configuration's `role_arn` per environment), by table file:
 * `arn:aws:iam::111122223333:role/deployer for template.yaml (samconfig.toml:4, role_arn of environment default)`.
 * Each file is shown from the repository's root, as its table's file is.
 */
function namedRoles(tables: Fixed[]): string {
  const byFile = new Map<string, Set<string>>();
  for (const { t, file } of tables)
    for (const r of t.deployRoles ?? []) {
      const shown = path.posix.normalize(
        path.posix.join(path.posix.dirname(file), path.posix.relative(path.posix.dirname(t.file), r.file)),
      );
      const where = `${shown}:${r.line}, ${r.setting}${r.environment !== undefined ? ` of environment ${r.environment}` : ''}`;
      const roles = byFile.get(file) ?? byFile.set(file, new Set()).get(file)!;
      roles.add(`${r.role} (${where})`);
    }
  return [...byFile].map(([file, roles]) => `for ${file}, ${[...roles].join(', ')}`).join('; ');
}

/** What the deploying role needs to create, read and delete the new keys (none with an existing key). */
function whoDeploys(tables: Fixed[], o: MessageOptions): string[] {
  const mode = o.keyPolicy ?? DEFAULT_KEY_POLICY;
  if (o.kmsKeyArn) return [];
  // Only CloudFormation (SAM, Serverless, AWS CDK) rolls a failed deploy back on its own: Terraform, CDK for Terraform
  // and Pulumi delete the keys only when they are removed (adv review of session 62).
  const stacks = tables.some(({ t }) => !NOT_CLOUDFORMATION.has(t.format));
  return [
    // Read after each create (hashicorp/aws waits on the policy and rotation, then reads tags and aliases: an
    // apply that cannot leaves the key created and tainted) and deleted on a roll back (CloudFormation's
    // AWS::KMS::Key delete handler: DescribeKey, ScheduleKeyDeletion; a rollback that cannot stops in
    // UPDATE_ROLLBACK_FAILED). Reported by the deploy review of session 50. Skipping the table to get out of
    // UPDATE_ROLLBACK_FAILED marks it rolled back while it is still on the new key, which the rollback's clean-up
    // then deletes (session 51's deploy review).
    `Who deploys: the role that deploys the stack or plan (${deployers(tables)}) now creates, reads and, ` +
      `${stacks ? 'when a deploy rolls back or the keys are removed' : 'when the keys are removed'}, deletes KMS keys and aliases: it needs kms:CreateKey, kms:PutKeyPolicy, kms:EnableKeyRotation, ` +
      'kms:TagResource and kms:CreateAlias; kms:DescribeKey, kms:GetKeyPolicy, kms:GetKeyRotationStatus, kms:ListResourceTags and kms:ListAliases ' +
      '(read after each create: a Terraform apply without them fails with the key created and tainted); and kms:ScheduleKeyDeletion and kms:DeleteAlias ' +
      `(without them ${stacks ? 'a failed deploy cannot roll back: CloudFormation stops in UPDATE_ROLLBACK_FAILED' : 'the keys cannot be removed'}). No service control policy (SCP) or resource control policy (RCP) may deny them in this account.` +
      // It switches the tables too, a caller DynamoDB asks KMS as (AWS KMS guide, How Amazon DynamoDB uses AWS KMS
      // (docs.aws.amazon.com/kms/latest/developerguide/services-dynamodb.html), "Authorizing use of your KMS key": kms:CreateGrant
      // and kms:DescribeKey for the principal that creates a table or switches it to a customer managed key with UpdateTable;
      // DynamoDB Developer Guide, "Managing encrypted tables in DynamoDB", encryption.tutorial.html; session 56's deploy review).
      // The role named is the one the project names where it does (namedRoles, session 60).
      (mode === 'iam'
        ? ` With key policy iam it also switches the tables to keys only IAM opens: its IAM policy needs ${KEY_USE_TEXT} on them (kms:ViaService dynamodb).`
        : ` It also switches the tables: any permissions boundary or SCP on it, and any RCP on the keys, must allow ${KEY_USE_TEXT} on them (kms:ViaService dynamodb).`) +
      rollbacks(tables, o) +
      // A proactive control runs at deploy time (deploy review of session 57, F2): AWS Control Tower's CT.KMS.PR.3, a
      // CloudFormation hook on AWS::KMS::Key, fails a key policy without src/rule/keyPolicy.ts DENY_DIRECT_GRANTS.
      (!o.key?.denyDirectGrants && tables.some(({ t }) => !NOT_CLOUDFORMATION.has(t.format))
        ? ` A CloudFormation hook on AWS::KMS::Key such as Control Tower's CT.KMS.PR.3 rejects a key policy with no statement denying kms:CreateGrant outside AWS services: set key: deny_direct_grants: true in .kmsfix.yml where it is enabled.`
        : ''),
  ];
}

/**
 * What a CloudFormation rollback of a failed deploy does with the new keys. A key that is not kept is deleted by it:
 * skipping its table to get out of UPDATE_ROLLBACK_FAILED, or a rollback that completes while the table still uses the
 * key, schedules the key's deletion under the table. A key kept on delete (TableReport.keyRetained, `key: retain:
 * always`) is kept instead: CloudFormation's DeletionPolicy reference (Template Reference Guide, DeletionPolicy
 * attribute): RetainExceptOnCreate "behaves like Retain for stack operations, except for the stack operation that
 * initially created the resource. If the stack operation that created the resource is rolled back, CloudFormation
 * deletes the resource", so Retain keeps a resource a rolled-back operation created; UpdateStack's RetainExceptOnCreate
 * flag deletes newly created resources "marked with a deletion policy of Retain" too. Such a key outlives the rollback
 * in no stack, billed: what to do with it (session 62's deploy review, F2). Nothing of it is said where no
 * CloudFormation table is: Terraform, CDK for Terraform and Pulumi roll no failed deploy back (adv review of session 62).
 */
function rollbacks(tables: Fixed[], o: MessageOptions): string {
  const cfn = tables.filter(({ t }) => !NOT_CLOUDFORMATION.has(t.format));
  const always = o.key?.retain === 'always';
  const kept = always ? cfn : cfn.filter(({ t }) => t.keyRetained);
  // Only a CloudFormation table's key is deleted by a rollback: Terraform, CDK for Terraform and Pulumi roll nothing back.
  const deleted = !always && kept.length < cfn.length;
  let out = '';
  // Skipping the table leaves it on a key that the rollback deletes.
  if (deleted)
    out +=
      ' If a rollback stops in UPDATE_ROLLBACK_FAILED on a table, do not skip it (continue-update-rollback --resources-to-skip) while its SSEDescription ' +
      'still names the new key: the rollback then schedules that key for deletion under the table (undo: aws kms cancel-key-deletion, then aws kms enable-key).';
  // A rollback that completes does the same, silently (docs/rolling-back.md, "Every format"; real-world round 37): the
  // table's old template may hold nothing that switches it off the key (no SSESpecification, SSEEnabled: true alone).
  if (deleted)
    out +=
      ' A rollback that completes (UPDATE_ROLLBACK_COMPLETE) may also schedule a new key for deletion while its table still uses it: ' +
      "check each table's SSEDescription before the key's deletion window ends, and if it names the new key, aws kms cancel-key-deletion, then aws kms enable-key.";
  if (kept.length === 0) return out;
  const why = always
    ? 'key: retain: always'
    : [...new Set(kept.map(({ t }) => (t.format === 'cdk' ? 'RemovalPolicy.RETAIN' : 'DeletionPolicy: Retain')))].join(', ');
  const which = kept.length < cfn.length ? ` of ${listed(kept.map(({ t }) => t.address))}` : '';
  const keys = kept.length === 1 ? 'key' : 'keys';
  return (
    out +
    ` A rollback keeps the new ${keys}${which} (${why}; not with UpdateStack's --retain-except-on-create), in no stack and billed: ` +
    "check each table's SSEDescription; if it does not name the key, schedule the key's deletion (`aws kms schedule-key-deletion`); " +
    'if it does, keep the key and finish the deploy.'
  );
}

/**
 * What the switch does to the account's KMS requests (session 52's deploy review). From the AWS KMS Developer
 * Guide: "Request quotas" (AWS owned keys do not count against the account's request quotas; requests AWS
 * services make on the account's behalf do; CreateKey, CreateAlias, PutKeyPolicy and EnableKeyRotation have
 * quotas of their own, a few per second) and "How Amazon DynamoDB uses AWS KMS" (DynamoDB caches the plaintext
 * table key for each connection and asks KMS again after five minutes of inactivity). A table that was on
 * aws/dynamodb already counted, so the quota sentence is for a fix that moves a table off an AWS owned key.
 * `noKeys`: every table kept the key it named (TableReport.keptKey), so no key is created.
 */
function requests(tables: TableReport[], o: MessageOptions, noKeys = false): string[] {
  const quota =
    "DynamoDB's calls to the tables' keys count toward the account's KMS request quota per Region (an AWS owned key's do not) and grow " +
    'with distinct callers (per-user credentials, tenant sessions, large Lambda fleets) times the tables each uses: DynamoDB caches each ' +
    "table's key per connection and asks KMS again after five idle minutes, so a shared key does not reduce them. Each such call is " +
    'also a CloudTrail event in this account (log volume, SIEM ingestion). ' +
    'Near that quota, check KMS usage (Service Quotas, CloudWatch) first.';
  const create = 'CreateKey and CreateAlias allow a few calls a second per account: deploy many stacks into one account in waves.';
  const owned = tables.some((t) => t.status !== 'aws-managed');
  const said = [...(owned ? [quota] : []), ...(o.kmsKeyArn || noKeys ? [] : [create])];
  const pages = `AWS KMS guide: Request quotas${owned ? '; How Amazon DynamoDB uses AWS KMS' : ''}`;
  return said.length ? [`KMS requests: ${said.join(' ')} (${pages})`] : [];
}

/**
 * The roles the fixed tables' files grant DynamoDB and no KMS action (caution `iam-roles`, read back from its
 * text), for the `key policy iam` line: `... to Fn (DynamoDBCrudPolicy, template.yaml:21) (Orders, template.yaml:4): grant them these in a deploy before this one.`
 */
function losing(fixed: { t: TableReport; file: string }[]): string {
  const each = fixed.flatMap(({ t, file }) => {
    const at = t.cautionKinds?.indexOf('iam-roles') ?? -1;
    const roles = at < 0 ? undefined : t.cautions?.[at].match(IAM_ROLES)?.[1];
    return roles === undefined ? [] : [`${roles} (${t.address}, ${file}:${t.line})`];
  });
  return each.length === 0
    ? ''
    : ` The files of this change grant DynamoDB and no KMS action to ${each.join('; ')}: grant them these in a deploy before this one.`;
}

/** What the fix changes beyond its tables (TableReport.cautions), each said once for the commit with the tables it concerns. */
function cautions(tables: TableReport[]): string[] {
  const by = new Map<string, string[]>();
  // The roles of `iam-roles` are named in the `key policy iam` line (losing); one naming roles kmsfix could not read is said whole.
  for (const t of tables)
    for (const [i, c] of (t.cautions ?? []).entries())
      if (t.cautionKinds?.[i] !== 'iam-roles' || c.includes(IAM_UNREAD)) by.set(c, [...(by.get(c) ?? []), t.address]);
  return [...by].map(([c, addresses]) => `${c} (${listed(addresses)}).`);
}

/** The message as `git commit -F` takes it. */
export function commitText(m: CommitMessage): string {
  return `${m.subject}\n\n${m.body}`;
}

/** RFC 2822 date, as git format-patch writes it (UTC). */
function mailDate(d: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** The author of a mail: kmsfix itself (`git am` keeps it; the committer is whoever applies it). */
export const MAIL_AUTHOR = 'kmsfix <kmsfix@users.noreply.github.com>';

/**
 * A `git format-patch` style mail (mbox) that `git am` turns into one commit with this message:
 * the magic From line, From:/Date:/Subject: headers, the body, `---`, then the diff. `diff` is the
 * plain patch (`diff --git` headers, paths from the repository root).
 */
export function patchMail(m: CommitMessage, diff: string, version: string, date: Date): string {
  return mailHead(m, date) + diff + mailTail(version);
}

/** A mail's headers and message, up to its diff (patchMail). */
export function mailHead(m: CommitMessage, date: Date): string {
  return mailHeaders(m, date, '8bit') + m.body + '---\n';
}

/**
 * A mail's headers, through the blank line that ends them. `base64`: the body is sent so, as for a diff of a
 * file git stores with CRLF line ends: `git am` takes the CRs off a plain body's lines (the patch then no longer
 * applies) unless run with --keep-cr, and keeps them in a base64 one.
 */
export function mailHeaders(m: CommitMessage, date: Date, encoding: '8bit' | 'base64'): string {
  return (
    'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n' +
    `From: ${MAIL_AUTHOR}\n` +
    `Date: ${mailDate(date)}\n` +
    `Subject: [PATCH] ${m.subject}\n` +
    'MIME-Version: 1.0\n' +
    'Content-Type: text/plain; charset=UTF-8\n' +
    `Content-Transfer-Encoding: ${encoding}\n` +
    '\n'
  );
}

/** What follows a mail's diff (patchMail). */
export function mailTail(version: string): string {
  return `-- \nkmsfix ${version}\n\n`;
}

/** The date of mails: SOURCE_DATE_EPOCH (reproducible builds) when set, else now. */
export function mailNow(env: NodeJS.ProcessEnv = process.env): Date {
  const s = env.SOURCE_DATE_EPOCH;
  return s && /^\d+$/.test(s) ? new Date(Number(s) * 1000) : new Date();
}

/**
 * The commit message of a fix in one repository, for `fix --commit` and the mails of `--patch-dir`
 * (`git am`): a subject, the tables fixed with their new keys and the peer rules they now pass,
 * the tables left for a person, and what a reviewer checks before deploying (no downtime, cost,
 * who can use the key, how to roll back). It reads a finished run only.
 */
import { failingRules } from '../rule/peers/evaluate.js';
import { listed } from '../rule/blockers.js';
import { DEFAULT_DELETION_WINDOW } from '../rule/keySettings.js';
import { DEFAULT_KEY_POLICY } from '../rule/keyPolicy.js';
import { statSync } from 'node:fs';
import path from 'node:path';
import { toPosix } from '../core/text.js';
import { retainsSome, rollbackNote, statusesWere } from './rollback.js';
import type { FileOutcome, TableReport } from '../core/result.js';
import { atRef, whenReleased } from './through.js';
import type { CommitMessage, Fixed, MessageOptions, MessageScope } from './messageTypes.js';
import { plural, wrap } from './messageLines.js';
import { keptKeyText, keyOf, recreation } from './messageTables.js';
import { COST, KEPT_NOTE, POLICIES_OUTSIDE, REPLICAS_OUTSIDE, cautions, keptAll, requests, snapshotNote, teardown } from './reviewNotes.js';
import { type Call, asModuleTable, callKeys, callsAndUnits, mayNotCount, unitCall, unitCount } from './moduleCalls.js';
import { whoCanUse } from './keyAccess.js';
import { whoDeploys } from './whoDeploys.js';

export const COMMIT_BRANCH = 'kmsfix/dynamodb-cmk';

/** The settings a table's lines explain, and where they apply (the folders of its scope, from the repository's root). */
interface Settings {
  o: MessageOptions;
  where: string;
  file: string;
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
  // The settings groups of the tables fixed, in their first table's order.
  const groups = new Map<string, Group>();
  for (const f of outcomes) {
    const own = settingsOf?.(f);
    for (const t of f.tables) {
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

/** The tables fixed with the same settings, and where they are. */
interface Group {
  o: MessageOptions;
  where: Set<string>;
  files: Set<string>;
  fixed: Fixed[];
}

/** The message as `git commit -F` takes it. */
export function commitText(m: CommitMessage): string {
  return `${m.subject}\n\n${m.body}`;
}

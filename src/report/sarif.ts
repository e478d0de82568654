/**
 * SARIF 2.1.0 for GitHub code scanning: one run, driver `kmsfix` with one rule per kind of finding
 * (the peer rule IDs in its properties), one result per non-compliant table (and per compliant table with a
 * caution about it as it is: its key not kept, `kmsfix/key-not-kept`), and for the tables the
 * run planned a verified fix for, `fixes[]` carrying the exact replacements `kmsfix fix` writes
 * for that table. It reads a finished run, or (src/report/sarifStream.ts) each batch of whole fix
 * groups as the run goes.
 */
import { ALL_KINDS, rulesFor } from '../rule/peers/rules.js';
import { failingRules } from '../rule/peers/evaluate.js';
import { isStanding } from '../rule/cautions.js';
import { LineIndex } from '../core/text.js';
import { editsServing, sortEdits } from '../core/edits.js';
import type { Edit } from '../core/types.js';
import type { FileError, FileOutcome, TableReport } from '../core/result.js';
import { groupBy } from '../core/lists.js';
import { toPosix } from '../core/text.js';
import { gitRootOf } from '../io/discover.js';
import path from 'node:path';
import { statSync } from 'node:fs';

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** The project's home (package.json `homepage`, checked by test/report/sarif.test.ts): rules' helpUri point into its README. */
export const PROJECT_URL = 'https://github.com/kmsfix/kmsfix';

const RULES = [
  {
    id: 'kmsfix/aws-owned-key',
    name: 'DynamoDBTableAwsOwnedKey',
    status: 'aws-owned',
    level: 'error',
    // GitHub code scanning: 0.1-3.9 low, 4.0-6.9 medium, 7.0-8.9 high.
    severity: '5.0',
    anchor: 'why',
    short: 'DynamoDB table encrypted with an AWS owned key',
    help: 'The table has no SSESpecification (or SSE is disabled): its data is encrypted with a key AWS owns, invisible to your account, not auditable in CloudTrail and not revocable. Run `kmsfix fix` to give it a customer-managed KMS key with rotation and a key policy that lets DynamoDB use it.',
  },
  {
    id: 'kmsfix/aws-managed-key',
    name: 'DynamoDBTableAwsManagedKey',
    status: 'aws-managed',
    level: 'warning',
    severity: '3.0',
    anchor: 'why',
    short: 'DynamoDB table encrypted with the AWS managed key alias/aws/dynamodb',
    help: 'The AWS managed key cannot have its policy changed, cannot be shared or rotated on your terms. Run `kmsfix fix` to use a customer-managed KMS key instead.',
  },
  {
    id: 'kmsfix/encryption-unknown',
    name: 'DynamoDBTableEncryptionUnknown',
    status: 'unknown',
    level: 'note',
    severity: '1.0',
    anchor: 'why',
    short: 'DynamoDB table encryption not known from the code',
    help: 'The encryption setting depends on a condition, parameter or variable, or on code kmsfix does not read. kmsfix never changes it: check the deployed value, or set SSESpecification explicitly.',
  },
  {
    // Not a status: a compliant table's caution (src/rule/evaluate.ts STANDING), the only one SARIF lists.
    id: 'kmsfix/key-not-kept',
    name: 'DynamoDBTableKeyNotKept',
    status: 'caution',
    level: 'warning',
    severity: '3.0',
    anchor: 'what-a-fix-writes-cloudformation-sam-serverless',
    short: 'DynamoDB table kept past its stack whose key is deleted with it',
    help: "The table (or its backups) is kept when its stack is deleted (a Retain policy or RETAIN, deletion protection, point-in-time recovery, a backup), but its customer-managed key, a key of the same file, is not: deleting the stack schedules the key's deletion, and the table cannot be read once it completes. Give the key DeletionPolicy and UpdateReplacePolicy Retain (AWS CDK: RemovalPolicy.RETAIN), and move it with the table.",
  },
] as const;

/** The rule of a compliant table's caution. */
const CAUTION_RULE = RULES[3];

/**
 * A file's path (POSIX, relative to the current folder, as every report names it) as SARIF's
 * `artifactLocation.uri`: a URI reference, so each segment percent-encoded and `/` kept. The raw path
 * failed the schema's "uri-reference" format for a space, `%` or a non-ASCII letter, and named another
 * file for `#` or `?` (`h#sh.yaml` is the path `h` with a fragment); GitHub code scanning decodes the
 * URI (decodeURIComponent) and reads a relative one from the repository's root. An absolute path (another
 * drive on Windows) becomes a file: URI. partialFingerprints keep the plain path: a name, not a URI.
 */
export function artifactUri(file: string): string {
  const drive = /^[A-Za-z]:(?=\/)/.exec(file)?.[0];
  const encoded = (drive ? file.slice(drive.length) : file).split('/').map(encodeURIComponent).join('/');
  if (drive) return `file:///${drive}${encoded}`;
  return file.startsWith('/') ? `file://${encoded}` : encoded;
}

/**
 * The folder SARIF names files from (artifactLocation.uri, partialFingerprints): the root of a git work tree,
 * since GitHub code scanning reads a relative URI from the repository's root and its fingerprints must not change
 * with the folder the scan runs from. The work tree of the current folder when every path given is inside it (a run
 * from the root names every file as before, a submodule's files included; `cd infra && kmsfix scan`), else the one
 * work tree that holds every path given (`kmsfix scan ../other`, a run from outside git); undefined when the paths
 * lie in no work tree or in several (a run over many repositories): then each file is named as every report names it,
 * from the current folder.
 */
export function sarifRoot(paths: readonly string[], cwd: string): SarifBase | undefined {
  const root = rootOf(paths, cwd);
  return root === undefined ? undefined : { root, cwd };
}

/** The folder SARIF names files from, and the folder the run's paths are relative to. */
export interface SarifBase {
  root: string;
  cwd: string;
}

function rootOf(paths: readonly string[], cwd: string): string | undefined {
  const given = (paths.length > 0 ? paths : ['.']).map((p) => path.resolve(cwd, p));
  const here = gitRootOf(path.resolve(cwd));
  if (here !== undefined && given.every((g) => within(here, g) !== undefined)) return here;
  const roots = new Set(
    given.map((g) => {
      let dir = path.dirname(g);
      try {
        if (statSync(g).isDirectory()) dir = g;
      } catch {}
      return gitRootOf(dir);
    }),
  );
  const [only] = roots;
  return roots.size === 1 ? only : undefined;
}

/** `abs` relative to `root` (POSIX, '' for the root itself), or undefined outside it. */
function within(root: string, abs: string): string | undefined {
  const rel = path.relative(root, abs);
  return rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel) ? toPosix(rel) : undefined;
}

/** A file's path (relative to `cwd`, as every report names it) as SARIF names it: from `root` (sarifRoot) when inside it, else as given. */
export function repoPath(file: string, base: SarifBase | undefined): string {
  if (base === undefined) return file;
  return within(base.root, path.resolve(base.cwd, file)) || file;
}

function allPeerRules(): string[] {
  return [...new Set(ALL_KINDS.flatMap((k) => Object.values(rulesFor(k)).flat()))];
}

interface Replacement {
  deletedRegion: { startLine: number; startColumn: number; endLine: number; endColumn: number; charOffset: number; charLength: number };
  insertedContent: { text: string };
}

function replacements(o: FileOutcome, edits: Edit[]): Replacement[] {
  const lines = new LineIndex(o.file.text);
  const shift = o.bom ? 1 : 0;
  // Touching edits (two insertions at one point, say) become one replacement, so that no consumer
  // can apply them in the wrong order.
  const merged: Edit[] = [];
  for (const e of sortEdits(edits)) {
    const last = merged[merged.length - 1];
    if (last && e.start === last.end) merged[merged.length - 1] = { start: last.start, end: e.end, text: last.text + e.text };
    else merged.push({ ...e });
  }
  return merged.map((e) => {
    const s = lines.position(e.start);
    const t = lines.position(e.end);
    return {
      deletedRegion: {
        startLine: s.line,
        startColumn: s.column + (s.line === 1 ? shift : 0),
        endLine: t.line,
        endColumn: t.column + (t.line === 1 ? shift : 0),
        charOffset: e.start + shift,
        charLength: e.end - e.start,
      },
      insertedContent: { text: e.text },
    };
  });
}

/**
 * For each planned table, its fix as the run recorded it: in every file of its group, the edits of
 * the verified fix that serve it (Edit.tables). Applied alone, they give valid files with that table
 * fixed; the edits a table shares with others (a key, a policy helper, imports) are in the fix of each.
 */
function tableFixes(outcomes: FileOutcome[]): Map<TableReport, { outcome: FileOutcome; edits: Edit[] }[]> {
  const out = new Map<TableReport, { outcome: FileOutcome; edits: Edit[] }[]>();
  const groups = groupBy(outcomes, (o) => (o.edits?.length ? o.group : undefined));
  for (const members of groups.values()) {
    for (const owner of members) {
      for (const t of owner.tables) {
        if (!t.planned) continue;
        const changes = members.map((o) => ({ outcome: o, edits: editsServing(o.edits!, t.address) })).filter((c) => c.edits.length > 0);
        if (changes.length > 0) out.set(t, changes);
      }
    }
  }
  return out;
}

/**
 * Each outcome's results (one per non-compliant table), in order: `outcomes` hold whole fix groups
 * (a run's result, or one batch of a run that plans by folder), so that each table's fix is found.
 */
export function sarifResults(outcomes: FileOutcome[], root?: SarifBase): Record<string, unknown>[][] {
  const fixes = tableFixes(outcomes);
  return outcomes.map((o) => {
    const results: Record<string, unknown>[] = [];
    for (const t of o.tables) {
      // A compliant table is listed only for a caution about it as it is (its key not kept: src/rule/cautions.ts isStanding).
      const standing = t.compliant && t.cautionKinds?.some(isStanding);
      if (t.compliant && !standing) continue;
      const rule = t.compliant ? CAUTION_RULE : (RULES.find((r) => r.status === t.status) ?? RULES[2]);
      const fails = t.compliant ? [] : failingRules(t.peers);
      const result: Record<string, unknown> = {
        ruleId: rule.id,
        ruleIndex: RULES.indexOf(rule),
        level: rule.level,
        message: { text: `${t.address}: ${t.message}${fails.length ? ` (fails ${fails.join(', ')})` : ''}` },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: artifactUri(repoPath(t.file, root)) },
              region: { startLine: Math.max(1, t.line), startColumn: Math.max(1, t.column) },
            },
            logicalLocations: [{ name: t.address, kind: 'resource' }],
          },
        ],
        partialFingerprints: { 'kmsfix/table': `${repoPath(t.file, root)}#${t.type}#${t.address}` },
        properties: {
          'security-severity': rule.severity,
          status: t.status,
          format: t.format,
          type: t.type,
          address: t.address,
          fixable: t.fixable,
          peers: t.peers,
        },
      };
      const change = fixes.get(t);
      // SARIF goes with scan and fix --dry-run: a fix may be planned (fixes[] holds it), never written.
      Object.assign(result.properties as object, { planned: change !== undefined, written: false });
      if (change) {
        result.fixes = [
          {
            description: { text: `Encrypt ${t.address} with a customer-managed KMS key (what \`kmsfix fix\` writes for this table)` },
            artifactChanges: change.map((c) => ({
              artifactLocation: { uri: artifactUri(repoPath(c.outcome.file.path, root)) },
              replacements: replacements(c.outcome, c.edits),
            })),
          },
        ];
      }
      results.push(result);
    }
    return results;
  });
}

/** The SARIF log of a finished run (a scan that planned its fixes, or fix --dry-run). */
export function sarifLog(outcomes: FileOutcome[], errors: FileError[], version: string, notes: string[] = [], root?: SarifBase) {
  return sarifDocument(sarifResults(outcomes, root).flat(), outcomes, errors, version, notes, root);
}

/** The SARIF log around `results`: the driver, its rules, and the run's errors (of `errors` and of the outcomes). */
export function sarifDocument(
  results: unknown,
  outcomes: FileOutcome[],
  errors: FileError[],
  version: string,
  notes: string[] = [],
  root?: SarifBase,
) {
  const allErrors = [...errors, ...outcomes.flatMap((o) => (o.error ? [o.error] : []))];
  return {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kmsfix',
            version,
            informationUri: PROJECT_URL,
            rules: RULES.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.short },
              fullDescription: { text: r.help },
              help: { text: r.help },
              helpUri: `${PROJECT_URL}#${r.anchor}`,
              defaultConfiguration: { level: r.level },
              properties: {
                tags: ['security', 'encryption', 'dynamodb', 'kms'],
                'security-severity': r.severity,
                precision: 'very-high',
                peerRules: allPeerRules(),
              },
            })),
          },
        },
        invocations: [
          {
            executionSuccessful: allErrors.length === 0,
            // The run's notes (a CDK app in a language kmsfix does not read), then its errors.
            toolExecutionNotifications: [
              ...notes.map((text) => ({ level: 'note', message: { text } })),
              ...allErrors.map((e) => ({
                level: 'error',
                message: { text: e.message },
                locations: [
                  {
                    physicalLocation: {
                      artifactLocation: { uri: artifactUri(repoPath(e.file, root)) },
                      ...(e.line ? { region: { startLine: e.line, ...(e.column ? { startColumn: e.column } : {}) } } : {}),
                    },
                  },
                ],
              })),
            ],
          },
        ],
        results,
      },
    ],
  };
}

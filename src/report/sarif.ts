/**
 * SARIF 2.1.0 for GitHub code scanning: one run, driver `kmsfix` with one rule per kind of finding
 * (the peer rule IDs in its properties), one result per non-compliant table, and for fixable tables
 * `fixes[]` carrying the exact replacements `kmsfix fix` would write for that table.
 */
import { groupOutcomes } from '../engine/groups.js';
import { planGroup } from '../engine/pipeline.js';
import { ALL_KINDS, rulesFor } from '../rule/peers/rules.js';
import { diskSiblings } from '../io/siblings.js';
import { failingRules } from '../rule/peers/evaluate.js';
import { LineIndex } from '../core/text.js';
import { sortEdits } from '../core/edits.js';
import type { Edit, FixOptions } from '../core/types.js';
import type { FileError, FileOutcome, TableReport } from '../core/result.js';

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const RULES = [
  {
    id: 'kmsfix/aws-owned-key',
    name: 'DynamoDBTableAwsOwnedKey',
    status: 'aws-owned',
    level: 'error',
    short: 'DynamoDB table encrypted with an AWS owned key',
    help: 'The table has no SSESpecification (or SSE is disabled): its data is encrypted with a key AWS owns, invisible to your account, not auditable in CloudTrail and not revocable. Run `kmsfix fix` to give it a customer-managed KMS key with rotation and a key policy that lets DynamoDB use it.',
  },
  {
    id: 'kmsfix/aws-managed-key',
    name: 'DynamoDBTableAwsManagedKey',
    status: 'aws-managed',
    level: 'warning',
    short: 'DynamoDB table encrypted with the AWS managed key alias/aws/dynamodb',
    help: 'The AWS managed key cannot have its policy changed, cannot be shared or rotated on your terms. Run `kmsfix fix` to use a customer-managed KMS key instead.',
  },
  {
    id: 'kmsfix/encryption-unknown',
    name: 'DynamoDBTableEncryptionUnknown',
    status: 'unknown',
    level: 'note',
    short: 'DynamoDB table encryption decided only at deploy time',
    help: 'The encryption setting depends on a condition, parameter or variable. kmsfix never changes it: check the deployed value, or set SSESpecification explicitly.',
  },
] as const;

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

/** For each fixable table, the verified edits of fixing that table alone, per file. */
async function tableFixes(
  outcomes: FileOutcome[],
  options: FixOptions,
): Promise<Map<TableReport, { outcome: FileOutcome; edits: Edit[] }[]>> {
  const out = new Map<TableReport, { outcome: FileOutcome; edits: Edit[] }[]>();
  const siblings = diskSiblings(options.maxFileBytes);
  for (const group of groupOutcomes(outcomes)) {
    for (const owner of group) {
      for (const t of owner.tables.filter((x) => x.fixable)) {
        const results = await planGroup(group, (o) => (o === owner ? [t.address] : []), options, siblings);
        const changes: { outcome: FileOutcome; edits: Edit[] }[] = [];
        let ok = true;
        for (const [o, r] of results) {
          if (r.kind === 'error') ok = false;
          else if (r.edits.length > 0) changes.push({ outcome: o, edits: r.edits });
        }
        if (ok && changes.length > 0) out.set(t, changes);
      }
    }
  }
  return out;
}

export async function sarifLog(outcomes: FileOutcome[], errors: FileError[], options: FixOptions, version: string) {
  const fixes = await tableFixes(outcomes, options);
  const results = [];
  for (const o of outcomes) {
    for (const t of o.tables) {
      if (t.compliant) continue;
      const rule = RULES.find((r) => r.status === t.status) ?? RULES[2];
      const fails = failingRules(t.peers);
      const result: Record<string, unknown> = {
        ruleId: rule.id,
        ruleIndex: RULES.indexOf(rule),
        level: rule.level,
        message: { text: `${t.address}: ${t.message}${fails.length ? ` (fails ${fails.join(', ')})` : ''}` },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: t.file },
              region: { startLine: Math.max(1, t.line), startColumn: Math.max(1, t.column) },
            },
            logicalLocations: [{ name: t.address, kind: 'resource' }],
          },
        ],
        partialFingerprints: { 'kmsfix/table': `${t.file}#${t.type}#${t.address}` },
        properties: { status: t.status, format: t.format, type: t.type, address: t.address, fixable: t.fixable, peers: t.peers },
      };
      const change = fixes.get(t);
      // SARIF goes with scan and fix --dry-run: a fix may be planned (fixes[] holds it), never written.
      Object.assign(result.properties as object, { planned: change !== undefined, written: false });
      if (change) {
        result.fixes = [
          {
            description: { text: `Encrypt ${t.address} with a customer-managed KMS key (what \`kmsfix fix\` writes for this table)` },
            artifactChanges: change.map((c) => ({
              artifactLocation: { uri: c.outcome.file.path },
              replacements: replacements(c.outcome, c.edits),
            })),
          },
        ];
      }
      results.push(result);
    }
  }
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
            informationUri: 'https://www.npmjs.com/package/kmsfix',
            rules: RULES.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.short },
              fullDescription: { text: r.help },
              help: { text: r.help },
              defaultConfiguration: { level: r.level },
              properties: { tags: ['security', 'encryption', 'dynamodb', 'kms'], peerRules: allPeerRules() },
            })),
          },
        },
        invocations: [
          {
            executionSuccessful: allErrors.length === 0,
            toolExecutionNotifications: allErrors.map((e) => ({
              level: 'error',
              message: { text: e.message },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: e.file },
                    ...(e.line ? { region: { startLine: e.line, ...(e.column ? { startColumn: e.column } : {}) } } : {}),
                  },
                },
              ],
            })),
          },
        ],
        results,
      },
    ],
  };
}

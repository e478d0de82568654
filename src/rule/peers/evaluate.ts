/**
 * Deciding a table's reported status, compliance and peer verdicts under a profile:
 * `strict` (kmsfix's own rule: a customer-managed key; any suppression counts) or one peer tool
 * (that tool's rules decide; only that tool's suppressions count).
 */
import { isCompliant, type Status } from '../status.js';
import type { DetectedTable, Suppression } from '../../core/types.js';
import { RULE_IDS, TOOLS, peerVerdicts, type PeerVerdicts } from './rules.js';

export const PROFILES = ['strict', ...TOOLS] as const;
export type Profile = (typeof PROFILES)[number];

export interface Evaluation {
  status: Status;
  message: string;
  compliant: boolean;
  peers: PeerVerdicts;
}

/** Rules that say what kmsfix's own rule says (a customer-managed key): their suppressions count under strict. */
const EQUIVALENT = new Set<string>([RULE_IDS.checkovTable, RULE_IDS.checkovReplica, RULE_IDS.trivy, RULE_IDS.cfnNag, RULE_IDS.guardKms]);

/** Suppressions a profile honours: under strict, those of the equivalent rules; under a tool, its own. */
export function honoured(suppressions: Suppression[], profile: Profile): Suppression[] {
  if (profile === 'strict') return suppressions.filter((s) => s.rule === undefined || EQUIVALENT.has(s.rule));
  return suppressions.flatMap((s) => {
    if (s.tool === profile) return [s];
    // cfn-guard skips its KMS rule for a cfn_nag W74 suppression too.
    if (profile === 'cfn-guard' && s.tool === 'cfn-nag') return [{ ...s, rule: RULE_IDS.guardKms }];
    return [];
  });
}

/** The tool's firing rules left once its suppressions apply: one with a rule silences that rule, one without silences all. */
function unsuppressed(fired: string[], used: Suppression[]): string[] {
  return fired.filter((r) => !used.some((s) => (s.rule === undefined ? true : s.rule === r)));
}

export function evaluate(t: DetectedTable, profile: Profile = 'strict', acceptAwsManaged = false): Evaluation {
  const peers = peerVerdicts(t.facts);
  let status = t.status;
  let message = t.message;
  const used = honoured(t.suppressions ?? [], profile);
  const silencing = used.filter((s) => s.rule === undefined || EQUIVALENT.has(s.rule));
  if (silencing.length > 0 && status !== 'customer-managed') {
    message = `Suppressed by ${silencing.map((s) => s.text).join(', ')}; without it: ${status}: ${message}`;
    status = 'suppressed';
  }
  let compliant: boolean;
  if (profile === 'strict') compliant = isCompliant(status, { acceptAwsManaged });
  else compliant = unsuppressed(peers[profile] ?? [], used).length === 0;
  return { status, message, compliant, peers };
}

/** "fails CKV_AWS_119, AVD-AWS-0025, W74" for text output; empty when nothing fires. */
export function failingRules(peers: PeerVerdicts): string[] {
  return [...new Set(Object.values(peers).flat())];
}

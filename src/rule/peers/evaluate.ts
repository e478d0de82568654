/**
 * Profiles: whose rules decide a table's reported status and compliance. `strict` is kmsfix's own
 * rule (a customer-managed key; a suppression counts when it silences an equivalent rule); a peer
 * tool's profile follows that tool's rules, and only that tool's suppressions count.
 */
import { isCompliant, type Status } from '../status.js';
import type { Suppression } from '../../core/types.js';
import { RULE_IDS, TOOLS, type PeerVerdicts } from './rules.js';

export const PROFILES = ['strict', ...TOOLS] as const;
export type Profile = (typeof PROFILES)[number];

/** Rules that say what kmsfix's own rule says (a customer-managed key): their suppressions count under strict. */
const EQUIVALENT = new Set<string>([RULE_IDS.checkovTable, RULE_IDS.checkovReplica, RULE_IDS.trivy, RULE_IDS.cfnNag, RULE_IDS.guardKms]);

/** Suppressions a profile honours: under strict, those of the equivalent rules; under a tool, its own. */
export function honoured(suppressions: Suppression[], profile: Profile): Suppression[] {
  // A near-miss of kmsfix's own suppression (`unclear`) silences nothing (evaluate.ts judge keeps its table from a fix).
  if (profile === 'strict')
    return suppressions.filter((s) => s.unclear === undefined && !s.inString && (s.rule === undefined || EQUIVALENT.has(s.rule)));
  return suppressions.flatMap((s) => {
    if (s.tool === profile) return s.outside || s.unclear !== undefined ? [] : [s];
    // cfn-guard skips its KMS rule for a cfn_nag W74 suppression too.
    if (profile === 'cfn-guard' && s.tool === 'cfn-nag') return [{ ...s, rule: RULE_IDS.guardKms }];
    return [];
  });
}

/** The tool's firing rules left once its suppressions apply: one with a rule silences that rule, one without silences all. */
function unsuppressed(fired: string[], used: Suppression[]): string[] {
  return fired.filter((r) => !used.some((s) => (s.rule === undefined ? true : s.rule === r)));
}

/** A table's status and message under a profile: `suppressed` when a suppression it honours silences kmsfix's rule. */
export function underProfile(
  status: Status,
  message: string,
  suppressions: Suppression[],
  profile: Profile,
): { status: Status; message: string } {
  if (suppressions.length === 0) return { status, message };
  const silencing = honoured(suppressions, profile).filter((s) => s.rule === undefined || EQUIVALENT.has(s.rule));
  if (silencing.length === 0 || status === 'customer-managed') {
    const misplaced = profile === 'strict' ? undefined : suppressions.find((s) => s.tool === profile && s.outside);
    return misplaced && status !== 'customer-managed'
      ? { status, message: `${message}. ${misplaced.text} is above the block, where ${profile} does not read it: move it inside the block` }
      : { status, message };
  }
  return { status: 'suppressed', message: `Suppressed by ${silencing.map((s) => s.text).join(', ')}; without it: ${status}: ${message}` };
}

/** Does a table pass under a profile: kmsfix's status (strict), or no unsuppressed rule of the tool firing. */
export function compliantUnder(
  profile: Profile,
  status: Status,
  peers: PeerVerdicts,
  suppressions: Suppression[],
  acceptAwsManaged: boolean,
): boolean {
  if (profile === 'strict') return isCompliant(status, { acceptAwsManaged });
  const fired = peers[profile] ?? [];
  return fired.length === 0 || unsuppressed(fired, honoured(suppressions, profile)).length === 0;
}

/** The tool's rules that still fire on a table once its suppressions apply (cfn-guard's second rule when only one is suppressed). */
export function stillFiring(profile: Profile, peers: PeerVerdicts, suppressions: Suppression[]): string[] {
  return profile === 'strict' ? [] : unsuppressed(peers[profile] ?? [], honoured(suppressions, profile));
}

/** The tool's own suppressions that silence one of its firing rules, under its profile (none under strict). */
export function silencingOwn(profile: Profile, peers: PeerVerdicts, suppressions: Suppression[]): Suppression[] {
  if (profile === 'strict') return [];
  const fired = peers[profile] ?? [];
  return honoured(suppressions, profile).filter((s) => s.rule !== undefined && fired.includes(s.rule));
}

/** "fails CKV_AWS_119, AVD-AWS-0025, W74" for text output; empty when nothing fires. */
export function failingRules(peers: PeerVerdicts): string[] {
  return [...new Set(Object.values(peers).flat())];
}

/**
 * A session policy the provider configuration a table goes through passes when it assumes its role
 * (`assume_role { policy = ..., policy_arns = [...] }`, or `assume_role_with_web_identity`'s): it limits the plan's
 * credentials as a permissions boundary does, so it must allow the KMS calls a fix makes the deploy do. The commit
 * message's Who deploys caution names it (src/report/commitMessage.ts; session 64's deploy review, F5).
 */
import { closing } from '../../core/terraformStacks.js';
import { configRef, type Placement } from './placement.js';
import type { TopBlock } from './topBlocks.js';

/** `assume_role {` (HCL) or `"assume_role": [{` / `"assume_role": {` (JSON). */
const ASSUME = /"?\b(assume_role(?:_with_web_identity)?)"?\s*[:=]?\s*\[?\s*\{/g;

/**
 * The provider configuration's session policy settings, as `provider "aws": assume_role.policy_arns` (`provider aws.east: ...` for an alias);
 * undefined where it passes none (`policy = null` and `policy_arns = []` pass none).
 */
export function sessionPolicyOf(place: Placement, tops: TopBlock[]): string | undefined {
  const provider = tops.find((t) => configRef(t) === place.provider);
  if (!provider?.text.includes('assume_role')) return undefined;
  const found: string[] = [];
  for (const m of provider.text.matchAll(ASSUME)) {
    const open = m.index + m[0].length - 1;
    const body = provider.text.slice(open + 1, closing(provider.text, open));
    for (const a of body.matchAll(/(?:^|[\s,{])"?(policy_arns|policy)"?\s*[=:]\s*(null\b|\[\s*\])?/g))
      if (a[2] === undefined && !found.includes(`${m[1]}.${a[1]}`)) found.push(`${m[1]}.${a[1]}`);
  }
  if (found.length === 0) return undefined;
  return `${place.provider ? `provider ${place.provider}` : 'provider "aws"'}: ${found.join(', ')}`;
}

/**
 * The DynamoDB APIs that make a table's replicas outside the code that declares it (a custom resource's
 * function calls them), shared by the families that read grants of them (CloudFormation templates,
 * AWS CDK policy statements): their grant keeps the tables it names from being fixed (blockers.ts apiGrant).
 *
 * By version: a pattern counts when it holds `word` (so `dynamodb:*` and `*`, which grant everything, do not).
 */
import { globMatcher } from '../core/text.js';

export const SIGNS = [
  { version: '2017.11.29', word: 'global', actions: ['dynamodb:createglobaltable', 'dynamodb:updateglobaltable'] },
  { version: '2019.11.21', word: 'replica', actions: ['dynamodb:createtablereplica'] },
] as const;

export type Sign = (typeof SIGNS)[number];

/** Does a granted action (a pattern with `*` and `?`) name one of the sign's APIs? */
export function matches(action: string, sign: Sign): boolean {
  const a = action.trim().toLowerCase();
  if (!a.includes(sign.word)) return false;
  const re = globMatcher(a);
  return sign.actions.some((x) => re.test(x));
}

/**
 * The Regions a serverless.ts (or serverless.js) service deploys to (session 65, region3; the adversarial pass's
 * finding: with --kms-key-arn, a key of another Region was written): its `provider.region` read as a serverless.yml's
 * is (src/formats/cfn-values/deployRegions.ts serviceDeployRegions) from the service's configuration as a node tree
 * (cfnTree.ts serviceRoot: a string literal, a const of the file holding one, `"${opt:region, 'eu-west-1'}"`'s default,
 * each stage's of the maps the file holds; no `provider.region`: the Framework's us-east-1). And what Node evaluates
 * before the Framework reads it: `process.env.X ?? 'eu-west-1'` (or `||`) is eu-west-1 where the deploy's environment
 * sets no X, as `${env:X, 'eu-west-1'}` is in a serverless.yml. Anything else computed in code: not known.
 */
import type { DeployRegion, SourceFile } from '../../core/types.js';
import { LineIndex } from '../../core/text.js';
import { serviceDeployRegions } from '../cfn-values/deployRegions.js';
import { REGION } from '../../rule/keyArn.js';
import { type CNode, pair, resolveAlias, scalarString } from '../yaml/tree.js';
import { cfnNode, serviceRoot } from './cfnTree.js';
import { stringValue, ts, unwrap } from './parse.js';
import { initializerOf } from './stackRegion.js';

/** The Regions of the service `sf` (the file `file`) declares; empty where it is no service or they are not known. */
export function serviceTsRegions(sf: ts.SourceFile, file: SourceFile): DeployRegion[] {
  const root = serviceRoot(sf);
  if (!root || root.code) return [];
  const provider = resolveAlias(pair(root, 'provider')?.value ?? null);
  const p = provider && !provider.code && provider.kind === 'map' ? pair(provider, 'region') : undefined;
  const value = p?.value && resolveAlias(p.value);
  if (p && value?.code) {
    const fallback = envFallback(sf, value);
    if (!fallback) return [];
    return [
      {
        region: fallback.region,
        file: file.path,
        line: LineIndex.of(file.text).position(p.keyStart).line,
        setting: `provider.region (its default where the deploy sets no ${fallback.name} in its environment)`,
      },
    ];
  }
  return serviceDeployRegions(root, file);
}

/** `process.env.X ?? 'eu-west-1'` (`||`; the whole, or a const of the file holding it) at `node`'s place: X and the Region. */
function envFallback(sf: ts.SourceFile, node: CNode): { name: string; region: string } | undefined {
  let e = expressionAt(sf, node.start, node.end);
  for (let depth = 0; e && ts.isIdentifier(e) && depth < 4; depth++) {
    const value = initializerOf(e, e.text);
    e = value && unwrap(value);
  }
  if (!e || !ts.isBinaryExpression(e)) return undefined;
  const op = e.operatorToken.kind;
  if (op !== ts.SyntaxKind.QuestionQuestionToken && op !== ts.SyntaxKind.BarBarToken) return undefined;
  const name = envName(unwrap(e.left));
  const right = cfnNode(sf, e.right);
  const region = right.kind === 'scalar' && !right.code ? scalarString(right) : undefined;
  return name !== undefined && region !== undefined && REGION.test(region.trim()) ? { name, region: region.trim() } : undefined;
}

/** X of `process.env.X` or `process.env['X']`. */
function envName(e: ts.Expression): string | undefined {
  // (The parser-only build has no isElementAccessExpression: scripts/ts-parser.mjs PARSER_API.)
  const indexed = e.kind === ts.SyntaxKind.ElementAccessExpression ? (e as ts.ElementAccessExpression) : undefined;
  const env = ts.isPropertyAccessExpression(e) ? unwrap(e.expression) : indexed ? unwrap(indexed.expression) : undefined;
  if (!env || !ts.isPropertyAccessExpression(env) || env.name.text !== 'env') return undefined;
  const process = unwrap(env.expression);
  if (!ts.isIdentifier(process) || process.text !== 'process') return undefined;
  if (ts.isPropertyAccessExpression(e)) return ts.isIdentifier(e.name) ? e.name.text : undefined;
  return indexed ? stringValue(unwrap(indexed.argumentExpression)) : undefined;
}

/**
 * The expression that starts at `start` and ends at `end`, as cfnNode gave its node those offsets: the innermost node
 * of that span (a shorthand `{ region }` spans its name alone).
 */
function expressionAt(sf: ts.SourceFile, start: number, end: number): ts.Expression | undefined {
  let found: ts.Expression | undefined;
  const visit = (n: ts.Node): void => {
    if (n.getEnd() < start || n.pos > end) return;
    if (ts.isExpression(n) && n.getEnd() === end && n.getStart(sf) === start) found = unwrap(n);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

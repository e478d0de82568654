/**
 * The Regions a table is deployed to, when its file writes them as literals: a CDK table's stack
 * (`env: { region: 'eu-west-1' }` at every site that creates it, stackRegion.ts), a CDKTF or Pulumi
 * table's own provider (`provider: west`, with `const west = new aws.Provider('west', { region:
 * 'us-west-2' })` or `new AwsProvider(this, 'west', { region: 'us-west-2' })` in the file). A table
 * on the default provider, or whose stack gets its Region from elsewhere, has none known here.
 *
 * Used to decline --kms-key-arn when the key is in another Region: a table's key must be in its
 * Region, and the deploy would fail. The same providers' `endpoints` tell a table served by an emulator
 * (providerEmulator).
 */
import { emulatorObstacle } from '../../rule/emulator.js';
import type { Obstacle } from '../../rule/facts.js';
import { constructOf, type TsTable } from './tableTypes.js';
import { lookup } from './lookup.js';
import { stringValue, thisAssignments, ts, unwrap } from './parse.js';
import { initializerOf, stackRegionsOf } from './stackRegion.js';

type Sym = (e: ts.Expression) => string | undefined;

/** CDKTF's AwsProvider, in any layout of @cdktf/provider-aws. */
const CDKTF_PROVIDER = /^@cdktf\/provider-aws\b.*[#.]AwsProvider$/;

/** `@pulumi/aws` Provider and CDKTF's AwsProvider (props: Pulumi's second argument, CDKTF's third). */
function providerProps(sym: Sym, e: ts.NewExpression): ts.Expression | undefined {
  const s = sym(e.expression) ?? '';
  if (s === '@pulumi/aws#Provider') return e.arguments?.[1];
  if (CDKTF_PROVIDER.test(s)) return e.arguments?.[2];
  return undefined;
}

/** The props literal of the provider `provider` names in the file (`west`, `this.west`, or the `new` itself), if any. */
function providerLiteral(sf: ts.SourceFile, sym: Sym, at: ts.Node, provider: ts.Expression): ts.ObjectLiteralExpression | undefined {
  const p = unwrap(provider);
  let init: ts.Expression | undefined;
  if (ts.isIdentifier(p)) init = initializerOf(at, p.text);
  else if (ts.isPropertyAccessExpression(p) && p.expression.kind === ts.SyntaxKind.ThisKeyword) init = assignedToThis(sf, p.name.text);
  // Created where options held in a const name it (`const opts = { provider: new aws.Provider(...) }`).
  else if (ts.isNewExpression(p)) init = p;
  if (!init || !ts.isNewExpression(init)) return undefined;
  const props = providerProps(sym, init);
  const o = props && unwrap(props);
  return o && ts.isObjectLiteralExpression(o) ? o : undefined;
}

/** The literal region of the provider `provider` names in the file, if any. */
function providerRegion(sf: ts.SourceFile, sym: Sym, at: ts.Node, provider: ts.Expression): string | undefined {
  const o = providerLiteral(sf, sym, at, provider);
  const region = o && lookup(sf, o, 'region');
  return region?.kind === 'value' ? stringValue(unwrap(region.value)) : undefined;
}

/**
 * A Pulumi or CDKTF provider of the file that sends DynamoDB to an emulator but not KMS and STS
 * (`new aws.Provider('localstack', { endpoints: [{ dynamodb: 'http://localhost:4566' }] })`: src/rule/emulator.ts).
 */
export function providerEmulator(
  sf: ts.SourceFile,
  sym: Sym,
  at: ts.Node,
  provider: ts.Expression,
  name = provider.getText(sf),
): Obstacle | undefined {
  const o = providerLiteral(sf, sym, at, provider);
  const list = o && lookup(sf, o, 'endpoints');
  const v = list?.kind === 'value' ? unwrap(list.value) : undefined;
  if (!v || !ts.isArrayLiteralExpression(v)) return undefined;
  for (const e of v.elements) {
    const entry = unwrap(e);
    if (!ts.isObjectLiteralExpression(entry)) continue;
    const d = lookup(sf, entry, 'dynamodb');
    const dynamodb = d.kind === 'value' ? d.value.getText(sf) : undefined;
    // A service a spread may set counts as set.
    const found =
      dynamodb &&
      emulatorObstacle(
        name,
        dynamodb,
        (s) => lookup(sf, entry, s).kind !== 'absent',
        (s) => `${s}: ${dynamodb}`,
      );
    if (found) return found;
  }
  return undefined;
}

/** What `this.<name> = ...` assigns, when the file assigns it exactly once. */
function assignedToThis(sf: ts.SourceFile, name: string): ts.Expression | undefined {
  const found = thisAssignments(sf, name);
  return found.length === 1 ? unwrap(found[0].right) : undefined;
}

/** The table's Regions as its file writes them, or undefined when the file does not show them all. */
export function tableRegionsOf(t: TsTable, sf: ts.SourceFile, sym: Sym, provider: ts.Expression | undefined): string[] | undefined {
  if (t.framework === 'serverless') return undefined;
  if (t.framework === 'cdk') return stackRegionsOf(sf, sym, constructOf(t));
  const region = provider ? providerRegion(sf, sym, t.node, provider) : undefined;
  return region === undefined ? undefined : [region];
}

/** A CDKTF table's own `region` (options.ts), when written as a literal. */
export function ownRegionOf(region: ts.Expression): string[] | undefined {
  const literal = stringValue(unwrap(region));
  return literal === undefined ? undefined : [literal];
}

/** CDKTF's default provider in the file: an `AwsProvider` without an `alias`, which the stack's resources without a `provider` use. */
export function defaultCdktfProvider(sf: ts.SourceFile, sym: Sym): ts.NewExpression | undefined {
  let found: ts.NewExpression | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isNewExpression(n) && CDKTF_PROVIDER.test(sym(n.expression) ?? '')) {
      const props = n.arguments?.[2] && unwrap(n.arguments[2]);
      if (props && ts.isObjectLiteralExpression(props) && lookup(sf, props, 'alias').kind === 'absent') found = n;
    }
    ts.forEachChild(n, visit);
  };
  // Only a file that creates one is walked.
  if (sf.text.includes('AwsProvider')) visit(sf);
  return found;
}

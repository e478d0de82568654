/**
 * A table class passed as a value to a call, which creates the table itself: Webiny's Pulumi SDK
 * (`app.addResource(aws.dynamodb.Table, { name, config, opts })` runs `new ctor(name, config, opts)`),
 * a project's `factory(dynamodb.Table, ...)`. No `new` names the class, so these tables were a silent
 * miss. They are reported where the call is and never fixed: kmsfix does not edit through a factory.
 * The calls come from the walk that links the tree's parents (parse.ts); only an argument that is the
 * class itself counts: a type, `x instanceof Table`, `Table.fromTableName(...)` are not values of it,
 * and neither is a class given to a test's assertion or test double (`expect(x).toBeInstanceOf(Table)`,
 * `jest.spyOn(Table, ...)`).
 */
import type { LineIndex } from '../../core/text.js';
import type { Setting } from '../../rule/facts.js';
import type { TABLE_CLASSES } from './tableClasses.js';
import { lookup, snippet } from './lookup.js';
import { objectOf } from './options.js';
import { stringValue, ts, unwrap } from './parse.js';
import { isAssertion } from './resources.js';

type TableClassInfo = (typeof TABLE_CLASSES)[string];

export interface FactorySite {
  /** The call given the class, or a construct that creates a table itself (solutionsConstructs.ts). */
  call: ts.CallExpression | ts.NewExpression;
  cls: TableClassInfo;
  /** The arguments `new Class(...)` gets from the factory, when kmsfix knows them (Webiny's addResource); else none are read. */
  args?: (ts.Expression | undefined)[];
  address: string;
  step: string;
  /** The key choice the creating code gives a table whose props set none (`encryption` under the caller's props). */
  defaultChoice?: Setting;
  /** The creating code gives the table props of its own that set no encryption (@pulumi/cloud's Table): read as none. */
  noEncryption?: true;
  /** What the creating code calls the table's props (`dynamoTableProps`), for messages; `props` when not said. */
  propsName?: string;
  /** Why kmsfix cannot see the table's props at all, when it cannot. */
  unreadable?: string;
}

/**
 * The `new` expressions of a file whose class is one of `classes` (symbol -> what it stands for), told
 * by the class's last name first (`names`), then resolved through the file's imports (`sym`): a bare
 * name may be an alias (`import { FargateToDynamoDB as Fargate }`). For library constructs that create
 * a table themselves (solutionsConstructs.ts, pulumiCloud.ts).
 */
export function newsOfClasses<V>(
  news: readonly ts.NewExpression[],
  sym: (e: ts.Expression) => string | undefined,
  names: ReadonlySet<string>,
  classes: Readonly<Record<string, V>>,
): { node: ts.NewExpression; symbol: string; value: V }[] {
  const out: { node: ts.NewExpression; symbol: string; value: V }[] = [];
  for (const node of news) {
    const callee = node.expression;
    if (ts.isPropertyAccessExpression(callee) ? !names.has(callee.name.text) : !ts.isIdentifier(callee)) continue;
    const symbol = sym(callee);
    const value = symbol === undefined ? undefined : classes[symbol];
    if (value !== undefined) out.push({ node, symbol: symbol!, value });
  }
  return out;
}

/**
 * Calls a class is given to in a test, not to be created: jest's and sinon's doubles, `expect(Table)`;
 * and a CDKTF adapter's mapping registration (`registerMapping...(CfnTable, DynamodbTable, {...})`, as
 * nRFCloud's cdktf-aws-adaptor writes it), whose table is the one its `resource` function creates
 * (with the other registries below).
 */
const TEST_CALLS = new Set(['expect', 'spyOn', 'mocked', 'mock', 'createStubInstance', 'stub', 'replace']);

/** The last name of a callee (`app.addResource`: `addResource`), as written. */
function calleeName(callee: ts.Expression): string | undefined {
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

/**
 * Calls that keep a class as a key or compare with it, not create it: a Map's `set`, `get`, `has`,
 * `delete`; and (createsNone) a registry (`registerMapping...`; talis-cdk-constructs'
 * `this.registerPrefixer(dynamodb.CfnTable, 'tableName')`, with no props beside the class).
 */
const REGISTRY_CALLS = new Set(['set', 'get', 'has', 'delete']);

/**
 * SST v3's global `$transform(sst.aws.Dynamo, (args) => ...)`: it changes the args of the tables created after
 * it and creates none (hughescr/apartment-manager: a table more than the app has, or an `unknown` one in an app with none).
 */
const TRANSFORM_CALLS = new Set(['$transform']);

/**
 * Pulumi CrossGuard (`@pulumi/policy`) and its packs' test helpers: they take the class to match the type
 * of resources another program declares (`validateResourceOfType(aws.dynamodb.Table, (table, args,
 * reportViolation) => ...)`, pulumi/pulumi-policy-aws) and create none.
 */
const POLICY_CALLS = new Set(['validateResourceOfType', 'validateStackResourcesOfType', 'createResourceValidationArgs', 'isType']);

const createsNone = (call: ts.CallExpression, name: string | undefined) =>
  isAssertion(call) ||
  (name !== undefined &&
    (TEST_CALLS.has(name) ||
      TRANSFORM_CALLS.has(name) ||
      POLICY_CALLS.has(name) ||
      REGISTRY_CALLS.has(name) ||
      /instanceof/i.test(name) ||
      /^registerMapping/i.test(name) ||
      // A registration with no props (`{ name, config }`) beside the class keeps it; one with them may create it.
      (/^register/i.test(name) && !call.arguments.some((a) => ts.isObjectLiteralExpression(a)))));

/**
 * Could this argument be a table class as a value: an imported name (`Table`, renamed or not), or a
 * property access whose last name is a table class's (`dynamodb.Table`)? Most arguments are neither,
 * and are not resolved.
 */
const mayBeClass = (a: ts.Expression, names: ReadonlySet<string>, imported: ReadonlyMap<string, unknown>) =>
  ts.isIdentifier(a) ? imported.has(a.text) : ts.isPropertyAccessExpression(a) && names.has(a.name.text);

/** Webiny's way to set a resource's args past its module (its docs: the `pulumi` callback of webiny.application.ts). */
const WEBINY =
  'for Webiny: app.resources.<name>.config.serverSideEncryption({ enabled: true, kmsKeyArn: key.arn }) in the pulumi ' +
  'callback of webiny.application.ts, with an aws.kms.Key that has enableKeyRotation';

/**
 * The calls of the file given a table class (`classOf` tells one; `imported`: the file's imported names), with what kmsfix reads of each:
 * Webiny's `X.addResource(Class, { name, config, opts })` for a Pulumi table, its `config` as the
 * table's args; any other call, nothing (the table is unknown).
 */
export function factorySites(
  sf: ts.SourceFile,
  lines: LineIndex,
  calls: readonly ts.CallExpression[],
  classNames: ReadonlySet<string>,
  imported: ReadonlyMap<string, unknown>,
  classOf: (e: ts.Expression) => TableClassInfo | undefined,
): FactorySite[] {
  const out: FactorySite[] = [];
  for (const call of calls) {
    let at = -1;
    let cls: TableClassInfo | undefined;
    for (let i = 0; i < call.arguments.length && !cls; i++) {
      const a = call.arguments[i];
      if (mayBeClass(a, classNames, imported)) {
        cls = classOf(a);
        at = i;
      }
    }
    if (!cls) continue;
    const name = calleeName(call.expression);
    if (createsNone(call, name)) continue;
    const callee = snippet(sf, call.expression);
    const className = call.arguments[at].getText(sf);
    const rest = call.arguments.slice(at + 1);
    const params = at === 0 && name === 'addResource' && rest[0] ? objectOf(rest[0])?.literal : undefined;
    const value = (o: ts.ObjectLiteralExpression | undefined, key: string) => {
      const l = o ? lookup(sf, o, key) : undefined;
      return l?.kind === 'value' ? l.value : undefined;
    };
    // The address: a `name` written in an object argument, else a string argument, else the call and its line.
    const named = rest.map((r) => stringValue(unwrap(value(objectOf(r)?.literal, 'name') ?? r))).find((s) => s !== undefined);
    const address = named ?? `${callee}(${className}) at line ${lines.position(call.getStart(sf)).line}`;
    const webiny = params && cls.kind === 'PulumiTable' && !cls.sst;
    const step =
      `the table is created through ${callee}(), which kmsfix does not follow: give the table a customer-managed key ` +
      `where its arguments are written${name === 'addResource' ? ` (${WEBINY})` : ''}`;
    out.push({
      call,
      cls,
      args: webiny ? [value(params, 'name'), value(params, 'config'), value(params, 'opts')] : undefined,
      address,
      step,
    });
  }
  return out;
}

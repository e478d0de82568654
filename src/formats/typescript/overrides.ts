/**
 * Escape hatches that set a table's encryption past its props: AWS CDK's
 * `(t.node.defaultChild as CfnTable).addPropertyOverride('SSESpecification', {...})` (or
 * `addOverride('Properties.SSESpecification...')`, `addPropertyDeletionOverride`), CDK for
 * Terraform's `t.addOverride('server_side_encryption', {...})`; and the L1 property set after the
 * props, `(t.node.defaultChild as CfnTable).sseSpecification = {...}` (Amplify's model tables),
 * CDKTF's `t.putServerSideEncryption({...})` / `resetServerSideEncryption()`; the same with the path or method held in a
 * const (`const p = 'SSESpecification'; cfn.addPropertyDeletionOverride(p)`), the property written as a string
 * (`cfn['sseSpecification'] = undefined`) or set by `Object.assign(cfn, { sseSpecification: ... })` (adversarial pass s61 F3); Pulumi's transforms (a stack
 * transform of the file, a table's `transforms` option) whose code names `serverSideEncryption`, or sets
 * `ignoreChanges` or `replaceOnChanges` (which may name it, or `'*'`: ignoredChanges.ts). The override wins at synth: the
 * props say nothing about the deployed encryption, and a key added to them would be unused (billed,
 * its alias naming the wrong key). Such a table is `unknown`, never fixed.
 */
import type { LineIndex } from '../../core/text.js';
import { constObjectOf } from './consts.js';
import type { TsTable } from './tableTypes.js';
import { unreadable } from './tableFacts.js';
import { stringValue, ts, unwrap } from './parse.js';

const METHODS = new Set(['addPropertyOverride', 'addOverride', 'addPropertyDeletionOverride', 'addDeletionOverride']);
/** CDK for Terraform's setters of a table's encryption block. */
const SETTERS = new Set(['putServerSideEncryption', 'resetServerSideEncryption']);
/** The override paths that reach a table's encryption (CloudFormation, Terraform JSON, CDKTF's camelCase). */
const PATHS = /^(?:Properties\.)?SSESpecification\b|^server_side_encryption\b|^serverSideEncryption\b/;

/** The name a table is bound to (`const t = new Table(...)`, `this.t = new Table(...)`), if any. */
export function boundName(t: TsTable): string | undefined {
  const holder = t.node.parent;
  if (ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) return holder.name.text;
  if (ts.isBinaryExpression(holder) && holder.operatorToken.kind === ts.SyntaxKind.EqualsToken) return holder.left.getText();
  return undefined;
}

/** The text an override's receiver is made of: itself, and the initializer of the const it names (`const cfn = t.node.defaultChild as CfnTable`). */
export function receiverText(sf: ts.SourceFile, receiver: ts.Expression, consts: Map<string, ts.Expression>): string {
  const r = unwrap(receiver);
  const init = ts.isIdentifier(r) ? consts.get(r.text) : undefined;
  return init ? `${r.getText(sf)} ${init.getText(sf)}` : r.getText(sf);
}

export const mentions = (text: string, name: string) => new RegExp(`(^|[^\\w$.])${name.replace(/[$.]/g, '\\$&')}(?![\\w$])`).test(text);

/**
 * Does the file write an escape hatch, or pass an encryption path to a function (a project's helper)? An
 * `Object.assign(...)` may set the L1 property, and `['sseSpecification']` is the property written as a string.
 */
const MAY_OVERRIDE =
  /Override\s*\(|\.sseSpecification\s*=|ServerSideEncryption\s*\(|['"`](?:Properties\.)?SSESpecification\b|['"`]server_side_encryption\b|['"`]serverSideEncryption\b|['"`]sseSpecification\b|Object\.assign\s*\(/;

/** The L1 property of a CDK table's encryption (CfnTable's `sseSpecification`). */
const L1_PROPERTY = 'sseSpecification';
const L1_WRITE = /\bsseSpecification\b/;

/**
 * A project's helper given a table and an encryption path (`overrideProperty(this.registry,
 * 'SSESpecification', {...})`, AWS Solutions' instance scheduler writes one): it may override the
 * encryption as an escape hatch does, so the tables it names are `unknown` too.
 */
function helperOverrides(sf: ts.SourceFile, lines: LineIndex, constructs: TsTable[], helpers: ts.CallExpression[]): void {
  for (const call of helpers) {
    const args = call.arguments.map((a) => a.getText(sf)).join(' ');
    const { line } = lines.position(call.getStart(sf));
    const path = call.arguments.map((a) => stringValue(a)).find((p) => p !== undefined && PATHS.test(p));
    const callee = call.expression.getText(sf).replace(/\s+/g, '');
    for (const t of constructs) {
      const name = boundName(t);
      if (name === undefined || !mentions(args, name)) continue;
      const facts = unreadable(
        `its encryption may be set by ${callee}(..., '${path}', ...) at line ${line}, a function kmsfix does not read`,
      );
      t.encryption = { ...facts, obstacles: t.encryption.obstacles };
    }
  }
}

/** Pulumi's stack transforms (`pulumi.runtime.registerResourceTransform(fn)`, the older registerStackTransformation). */
export const STACK_TRANSFORMS = new Set(['registerResourceTransform', 'registerStackTransformation']);
/** Pulumi's resource options that transform a resource's args before it is registered. */
export const TRANSFORM_OPTIONS = new Set(['transforms', 'transformations']);

/** A transform's code: the function written in place, or the function of the file it names (`registerResourceTransform(encryptTables)`). */
export function transformText(sf: ts.SourceFile, a: ts.Expression): string {
  const u = unwrap(a);
  if (!ts.isIdentifier(u)) return a.getText(sf);
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && st.name?.text === u.text) return st.getText(sf);
    if (ts.isVariableStatement(st))
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name) && d.name.text === u.text) return d.getText(sf);
  }
  return a.getText(sf);
}

/** A `transforms` option's code: each transform of its list as transformText reads it. */
export function transformsText(sf: ts.SourceFile, e: ts.Expression): string {
  const u = unwrap(e);
  return ts.isArrayLiteralExpression(u) ? u.elements.map((x) => transformText(sf, x)).join('\n') : transformText(sf, e);
}

/**
 * What a transform's code does to a table's encryption: sets it (names `serverSideEncryption`), or may
 * keep the deploy from changing it (sets `ignoreChanges`, whatever its value: a transform that adds
 * `ignoreChanges: ['*']` to every table, freezing adopted tables, leaves a fix in the code alone), or may make
 * the deploy replace the table for it (sets `replaceOnChanges`, whatever its value).
 */
function transformTouches(code: string): string | undefined {
  if (code.includes('serverSideEncryption')) return 'its encryption may be set by';
  if (/\bignoreChanges\b/.test(code))
    return "its changes may be ignored (ignoreChanges, which may name serverSideEncryption or '*', and pulumi up would then leave the encryption as it is) by";
  if (/\breplaceOnChanges\b/.test(code))
    return "it may be replaced on changes (replaceOnChanges, which may name serverSideEncryption or '*', and pulumi up would then replace the table with a new, empty one) by";
  return undefined;
}

/**
 * Pulumi transforms that may set a table's encryption, or keep the deploy from changing it (transformTouches):
 * a stack transform of the file, for every Pulumi table of the file, or a table's own `transforms` option. The
 * transform runs after the args are written, and wins: the table is `unknown`, never fixed (a fix would
 * replace the platform key a stack transform gives, or be replaced by it, or never be deployed).
 */
function pulumiTransforms(sf: ts.SourceFile, lines: LineIndex, tables: TsTable[]): void {
  const pulumi = tables.filter((t) => t.framework === 'pulumi' && !ts.isObjectLiteralExpression(t.node));
  if (pulumi.length === 0 || !/serverSideEncryption|ignoreChanges|replaceOnChanges/.test(sf.text) || !/ransform/.test(sf.text)) return;
  const unknown = (t: TsTable, why: string) => {
    t.encryption = { ...unreadable(why), obstacles: t.encryption.obstacles };
  };
  // The tables' own options literals: their transforms are said as the table's (below).
  const own = new Set(
    pulumi.flatMap((t) => {
      const o = (t.node as ts.NewExpression | ts.CallExpression).arguments?.[2];
      const u = o && unwrap(o);
      return u && ts.isObjectLiteralExpression(u) ? [u] : [];
    }),
  );
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && STACK_TRANSFORMS.has(n.expression.name.text)) {
      const how = n.arguments.map((a) => transformTouches(transformText(sf, a))).find((w) => w !== undefined);
      const { line } = lines.position(n.getStart(sf));
      const name = n.expression.name.text;
      if (how) for (const t of pulumi) unknown(t, `${how} the stack transform ${name}(...) at line ${line}, which kmsfix does not read`);
    } else if (
      ts.isPropertyAssignment(n) &&
      ts.isIdentifier(n.name) &&
      TRANSFORM_OPTIONS.has(n.name.text) &&
      !(ts.isObjectLiteralExpression(n.parent) && own.has(n.parent))
    ) {
      // Another resource's (a component's) transforms: Pulumi applies them to its children too, which may be these
      // tables (a `parent: this` kmsfix does not follow): read as a stack transform (adversarial pass 2 of session 57, H1).
      const how = transformTouches(transformsText(sf, n.initializer));
      const { line } = lines.position(n.getStart(sf));
      if (how)
        for (const t of pulumi)
          unknown(
            t,
            `${how} the ${n.name.text} option at line ${line} (a resource's, which Pulumi applies to its children too), which kmsfix does not read`,
          );
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  for (const t of pulumi) {
    const opts = (t.node as ts.NewExpression | ts.CallExpression).arguments?.[2];
    const u = opts && unwrap(opts);
    // The options literal written in place, or held in a const of the file (`const opts = { transforms: [...] }`):
    // its transforms are the table's, said at the const's line (adversarial pass s61 M3 found the line of another
    // resource's transforms said instead).
    const literal = u && (ts.isObjectLiteralExpression(u) ? u : constObjectOf(u)?.literal);
    if (!literal) continue;
    for (const p of literal.properties) {
      if (!ts.isPropertyAssignment(p) || !ts.isIdentifier(p.name) || !TRANSFORM_OPTIONS.has(p.name.text)) continue;
      const how = transformTouches(transformsText(sf, p.initializer));
      if (how) unknown(t, `${how} its ${p.name.text} option at line ${lines.position(p.getStart(sf)).line}, which kmsfix does not read`);
    }
  }
}

/** Does the function around a node ask whether a construct is a table (`node instanceof CfnTable`, as an Aspect's visit does)? */
function tableScope(sf: ts.SourceFile, n: ts.Node): boolean {
  let cur: ts.Node | undefined = n.parent;
  while (cur && !ts.isFunctionLike(cur) && !ts.isSourceFile(cur)) cur = cur.parent;
  return !!cur && !ts.isSourceFile(cur) && /instanceof\s+[\w$.]*\b(?:CfnTable|DynamodbTable)\b/.test(cur.getText(sf));
}

/**
 * A string an expression is: a literal, or a name the file binds to one (`const path = 'SSESpecification'`, through
 * `consts`, the file's variables by name; adversarial pass s61 F3 found the path held in a const missed).
 */
function stringOf(e: ts.Expression | undefined, consts: Map<string, ts.Expression>): string | undefined {
  const u = e && unwrap(e);
  if (!u) return undefined;
  const init = ts.isIdentifier(u) ? consts.get(u.text) : undefined;
  return stringValue(init ? unwrap(init) : u);
}

/**
 * A member a call or write reaches: `x.name` or `x['name']` (`x[name]` of a const holding it): the receiver and the
 * name; undefined for anything else.
 */
function memberReached(e: ts.Expression, consts: Map<string, ts.Expression>): { receiver: ts.Expression; name: string } | undefined {
  if (ts.isPropertyAccessExpression(e)) return { receiver: e.expression, name: e.name.text };
  if (e.kind !== ts.SyntaxKind.ElementAccessExpression) return undefined;
  const access = e as ts.ElementAccessExpression;
  const name = stringOf(access.argumentExpression, consts);
  return name === undefined ? undefined : { receiver: access.expression, name };
}

/**
 * An escape hatch found: the node, what it is said to be, the expression whose table it sets, and whether it is an
 * override method (which any table may receive) or an L1 property or CDKTF setter (another resource's as often).
 */
interface Hatch {
  at: ts.Node;
  how: string;
  receiver: ts.Expression;
  method: boolean;
}

export function escapeHatches(sf: ts.SourceFile, lines: LineIndex, tables: TsTable[]): void {
  pulumiTransforms(sf, lines, tables);
  if (!MAY_OVERRIDE.test(sf.text)) return;
  const constructs = tables.filter((t) => t.kind !== 'CfnResource');
  if (constructs.length === 0) return;
  const consts = new Map<string, ts.Expression>();
  // Calls and writes, read once the file's names are known (a path or method name held in a const).
  const candidates: (ts.CallExpression | ts.BinaryExpression)[] = [];
  const helpers: ts.CallExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer) consts.set(n.name.text, n.initializer);
    if (ts.isCallExpression(n) || (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken)) candidates.push(n);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  const hatches: Hatch[] = [];
  for (const n of candidates) {
    if (ts.isBinaryExpression(n)) {
      // `cfn.sseSpecification = ...`, `cfn['sseSpecification'] = ...`.
      const member = memberReached(unwrap(n.left), consts);
      if (member?.name === L1_PROPERTY)
        hatches.push({ at: n, how: `the assignment .${L1_PROPERTY} = ...`, receiver: member.receiver, method: false });
      continue;
    }
    const member = memberReached(unwrap(n.expression), consts);
    if (member && METHODS.has(member.name)) {
      const path = stringOf(n.arguments[0], consts);
      if (path !== undefined && PATHS.test(path))
        hatches.push({ at: n, how: `${member.name}('${path}', ...)`, receiver: member.receiver, method: true });
    } else if (member && SETTERS.has(member.name)) {
      hatches.push({ at: n, how: `${member.name}(...)`, receiver: member.receiver, method: false });
    } else if (n.expression.getText(sf).replace(/\s+/g, '') === 'Object.assign' && n.arguments.length > 1) {
      // `Object.assign(t.node.defaultChild as CfnTable, { sseSpecification: ... })`: the L1 property set as an assignment sets it.
      if (n.arguments.slice(1).some((a) => L1_WRITE.test(a.getText(sf))))
        hatches.push({ at: n, how: `Object.assign(..., { ${L1_PROPERTY}: ... })`, receiver: n.arguments[0], method: false });
    } else if (n.arguments.some((a) => PATHS.test(stringValue(a) ?? ''))) helpers.push(n);
  }
  helperOverrides(sf, lines, constructs, helpers);
  for (const hatch of hatches) {
    const text = receiverText(sf, hatch.receiver, consts);
    const named = constructs.filter((t) => {
      const name = boundName(t);
      return name !== undefined && mentions(text, name);
    });
    // An override whose table the file does not show (a helper's parameter, a loop): every table of the file may be it.
    // An L1 property or a CDKTF setter is another resource's as often (a DAX cluster's sseSpecification): only one
    // reached through a default child may be a table's.
    if (named.length === 0 && !hatch.method && !/defaultChild/.test(text) && !tableScope(sf, hatch.at)) continue;
    const targets = named.length > 0 ? named : constructs;
    const { line } = lines.position(hatch.at.getStart(sf));
    for (const t of targets) {
      const facts = unreadable(
        `its encryption is set by an escape hatch, ${hatch.how} at line ${line}, which kmsfix does not read` +
          (named.length > 0 ? '' : ' (the override names no table of the file: it may be this one)'),
      );
      t.encryption = { ...facts, obstacles: t.encryption.obstacles };
    }
  }
}

/**
 * Escape hatches that set a table's encryption past its props: AWS CDK's
 * `(t.node.defaultChild as CfnTable).addPropertyOverride('SSESpecification', {...})` (or
 * `addOverride('Properties.SSESpecification...')`, `addPropertyDeletionOverride`), CDK for
 * Terraform's `t.addOverride('server_side_encryption', {...})`; and the L1 property set after the
 * props, `(t.node.defaultChild as CfnTable).sseSpecification = {...}` (Amplify's model tables),
 * CDKTF's `t.putServerSideEncryption({...})` / `resetServerSideEncryption()`; Pulumi's transforms (a stack
 * transform of the file, a table's `transforms` option) whose code names `serverSideEncryption`, or sets
 * `ignoreChanges` or `replaceOnChanges` (which may name it, or `'*'`: ignoredChanges.ts). The override wins at synth: the
 * props say nothing about the deployed encryption, and a key added to them would be unused (billed,
 * its alias naming the wrong key). Such a table is `unknown`, never fixed.
 */
import type { LineIndex } from '../../core/text.js';
import { type TsTable, unreadable } from './detect.js';
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

/** Does the file write an escape hatch, or pass an encryption path to a function (a project's helper)? */
const MAY_OVERRIDE =
  /Override\s*\(|\.sseSpecification\s*=|ServerSideEncryption\s*\(|['"`](?:Properties\.)?SSESpecification\b|['"`]server_side_encryption\b|['"`]serverSideEncryption\b/;

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
const STACK_TRANSFORMS = new Set(['registerResourceTransform', 'registerStackTransformation']);
/** Pulumi's resource options that transform a resource's args before it is registered. */
const TRANSFORM_OPTIONS = new Set(['transforms', 'transformations']);

/** A transform's code: the function written in place, or the function of the file it names (`registerResourceTransform(encryptTables)`). */
function transformText(sf: ts.SourceFile, a: ts.Expression): string {
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
function transformsText(sf: ts.SourceFile, e: ts.Expression): string {
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
    const literal = opts && unwrap(opts);
    if (!literal || !ts.isObjectLiteralExpression(literal)) continue;
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

export function escapeHatches(sf: ts.SourceFile, lines: LineIndex, tables: TsTable[]): void {
  pulumiTransforms(sf, lines, tables);
  if (!MAY_OVERRIDE.test(sf.text)) return;
  const constructs = tables.filter((t) => t.kind !== 'CfnResource');
  if (constructs.length === 0) return;
  const consts = new Map<string, ts.Expression>();
  const calls: (ts.CallExpression | ts.BinaryExpression)[] = [];
  const helpers: ts.CallExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer) consts.set(n.name.text, n.initializer);
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && METHODS.has(n.expression.name.text)) {
      const path = stringValue(n.arguments[0]);
      if (path !== undefined && PATHS.test(path)) calls.push(n);
    } else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && SETTERS.has(n.expression.name.text)) {
      calls.push(n);
    } else if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(n.left) &&
      n.left.name.text === 'sseSpecification'
    ) {
      calls.push(n);
    } else if (ts.isCallExpression(n) && n.arguments.some((a) => PATHS.test(stringValue(a) ?? ''))) helpers.push(n);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  helperOverrides(sf, lines, constructs, helpers);
  for (const call of calls) {
    const callee = (ts.isCallExpression(call) ? call.expression : call.left) as ts.PropertyAccessExpression;
    const text = receiverText(sf, callee.expression, consts);
    const named = constructs.filter((t) => {
      const name = boundName(t);
      return name !== undefined && mentions(text, name);
    });
    // An override whose table the file does not show (a helper's parameter, a loop): every table of the file may be it.
    // An L1 property or a CDKTF setter is another resource's as often (a DAX cluster's sseSpecification): only one
    // reached through a default child may be a table's.
    const method = ts.isCallExpression(call) && METHODS.has(callee.name.text);
    if (named.length === 0 && !method && !/defaultChild/.test(text) && !tableScope(sf, call)) continue;
    const targets = named.length > 0 ? named : constructs;
    const { line } = lines.position(call.getStart(sf));
    const how = !ts.isCallExpression(call)
      ? `the assignment .${callee.name.text} = ...`
      : SETTERS.has(callee.name.text)
        ? `${callee.name.text}(...)`
        : `${callee.name.text}('${stringValue(call.arguments[0])}', ...)`;
    for (const t of targets) {
      const facts = unreadable(
        `its encryption is set by an escape hatch, ${how} at line ${line}, which kmsfix does not read` +
          (named.length > 0 ? '' : ' (the override names no table of the file: it may be this one)'),
      );
      t.encryption = { ...facts, obstacles: t.encryption.obstacles };
    }
  }
}

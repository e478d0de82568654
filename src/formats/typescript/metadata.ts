/**
 * Suppressions an AWS CDK app writes into a table's CloudFormation Metadata: `(orders.node.defaultChild
 * as CfnTable).cfnOptions.metadata = { checkov: { skip: [...] } }` or `.addMetadata('cfn_nag', {...})`,
 * on the table's default child (also through a const that holds it: `const cfn = orders.node.defaultChild
 * as CfnTable`), or on a `CfnTable` itself. The synthesized template carries them as `Metadata`, and
 * they are read as CloudFormation's are (src/core/suppressions.ts metadataSuppressions). Only literals
 * count. A call of the project's own helper that names the table and one of these rule IDs
 * (`addCfnGuardSuppression(orders, 'DYNAMODB_TABLE_ENCRYPTED_KMS')`, also in an array or an object:
 * `[{ id: 'W74', reason }]`), or of a function or method of the file whose body writes Metadata naming
 * one (`this.addCfnNagSuppressions(orders)`), is not read as a suppression, but the table is not fixed:
 * the call may record an exception, which a fix would silently override. A `const` of the file holding
 * a literal counts as the literal (`rules_to_suppress: rules`). An Aspect of the file that names one of these
 * rule IDs (aspects.ts) suppresses the tables in its scope as the Metadata it writes would, when the file shows
 * both what it writes and its scope; otherwise the tables it may reach are not fixed.
 */
import { METADATA_RULE_IDS, metadataSuppressions, type Plain } from '../../core/suppressions.js';
import type { LineIndex } from '../../core/text.js';
import type { TsTable } from './tableTypes.js';
import { named, resourceOf } from './defaultChild.js';
import { classOfThis, propertyName, stringValue, ts, unwrap } from './parse.js';
import { type SuppressingAspect, suppressingAspects } from './aspects.js';
import { constInitializer, declarationOf } from './consts.js';

/**
 * A literal as a plain value (objects, arrays, strings, numbers, booleans; a name of a `const` of the
 * file holding one: `rules_to_suppress: rules`); anything else is absent.
 */
function plain(e: ts.Expression, depth = 0): Plain {
  let u = unwrap(e);
  if (ts.isIdentifier(u) && depth < 8) {
    const init = constInitializer(declarationOf(u));
    if (!init) return undefined;
    u = unwrap(init);
    depth++;
  }
  const s = stringValue(u);
  if (s !== undefined) return s;
  if (u.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (u.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (ts.isNumericLiteral(u)) return Number(u.text);
  if (ts.isArrayLiteralExpression(u)) return u.elements.map((x) => plain(x, depth));
  if (!ts.isObjectLiteralExpression(u)) return undefined;
  const out: { [key: string]: Plain } = {};
  for (const p of u.properties) {
    const key = ts.isPropertyAssignment(p) && !ts.isComputedPropertyName(p.name) ? propertyName(p.name) : undefined;
    if (key !== undefined) out[key] = plain((p as ts.PropertyAssignment).initializer, depth);
  }
  return out;
}

const RULE_IDS = new RegExp(METADATA_RULE_IDS.join('|'));

/** A rule ID a helper's argument names: a string, or one in its array literals and object literals' values, at any depth. */
function ruleIn(e: ts.Expression): string | undefined {
  const u = unwrap(e);
  const s = stringValue(u);
  if (s !== undefined) return METADATA_RULE_IDS.includes(s) ? s : undefined;
  const parts = ts.isArrayLiteralExpression(u)
    ? u.elements
    : ts.isObjectLiteralExpression(u)
      ? u.properties.flatMap((p) => (ts.isPropertyAssignment(p) ? [p.initializer] : []))
      : [];
  for (const p of parts) {
    const r = ruleIn(p);
    if (r !== undefined) return r;
  }
  return undefined;
}

export function metadataSuppressionsOf(sf: ts.SourceFile, lines: LineIndex, tables: TsTable[]): void {
  const calls = RULE_IDS.test(sf.text);
  if (!calls && !/addMetadata\s*\(|cfnOptions\s*\.\s*metadata\b/.test(sf.text)) return;
  const cdk = tables.filter((t) => t.framework === 'cdk' && t.kind !== 'CfnResource');
  if (cdk.length === 0) return;
  const add = (receiver: ts.Expression, md: Plain, where: string) => {
    const t = resourceOf(receiver, cdk);
    if (!t) return;
    for (const s of metadataSuppressions(md, where)) if (!t.suppressions.some((o) => o.text === s.text)) t.suppressions.push(s);
  };
  // helper(orders, 'DYNAMODB_TABLE_ENCRYPTED_KMS'), also in an array or an object (`[{ id: 'W74', reason }]`):
  // maybe a suppression kmsfix cannot read.
  const helperCall = (n: ts.CallExpression) => {
    const given = n.arguments.map(ruleIn).find((s) => s !== undefined);
    const rule = given ?? writers.get(calleeName(n) ?? '');
    if (rule === undefined) return;
    const how =
      given !== undefined
        ? `names this table and ${rule}`
        : `gives this table to a function of this file that writes ${rule} into Metadata`;
    for (const a of n.arguments) {
      const t = named(a, cdk) ?? resourceOf(a, cdk);
      if (!t || t.encryption.obstacles.some((o) => o.kind === 'code-shape' && o.step.includes(rule))) continue;
      const call = n.getText(sf).replace(/\s+/g, ' ');
      t.encryption.obstacles.push({
        kind: 'code-shape',
        step:
          `${call.length > 90 ? call.slice(0, 87) + '...' : call} (line ${lines.position(n.getStart(sf)).line}) ${how}, ` +
          'and may suppress that rule in its Metadata, which kmsfix does not read through a call: if it does, mark the table ' +
          'with a `// kmsfix:ignore <reason>` comment; if not, or the exception no longer holds, remove the call and run kmsfix again',
      });
    }
  };
  // Functions and methods of the file whose body writes Metadata naming a rule ID (AWS Solutions'
  // `private addCfnNagSuppressions(table)`): a call of one given a table is such a helper call.
  const writers = new Map<string, string>();
  if (calls)
    for (const f of functionsOf(sf)) {
      const body = f.body?.getText(sf) ?? '';
      const rule = METADATA_RULE_IDS.find((id) => body.includes(id));
      if (rule !== undefined && /addMetadata\s*\(|cfnOptions\s*\.\s*metadata\b/.test(body)) writers.set(f.name, rule);
    }
  const visit = (n: ts.Node): void => {
    // <resource>.cfnOptions.metadata = {...}
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = unwrap(n.left);
      const options = ts.isPropertyAccessExpression(left) && left.name.text === 'metadata' ? unwrap(left.expression) : undefined;
      if (options && ts.isPropertyAccessExpression(options) && options.name.text === 'cfnOptions')
        add(options.expression, plain(n.right), 'cfnOptions.metadata');
    }
    // <resource>.addMetadata('checkov', {...})
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'addMetadata') {
      const key = n.arguments[0] && stringValue(n.arguments[0]);
      if (key !== undefined && n.arguments[1]) add(n.expression.expression, { [key]: plain(n.arguments[1]) }, 'addMetadata');
    } else if (calls && ts.isCallExpression(n)) helperCall(n);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  if (calls) for (const a of suppressingAspects(sf)) aspectSuppressions(sf, lines, a, cdk);
}

/** The Metadata, in the peer tools' own keys, an Aspect writing `key` for `rules` gives a table. */
function written(key: string, rules: string[]): Plain {
  if (key === 'guard') return { guard: { SuppressedRules: rules } };
  if (key === 'cfn_nag') return { cfn_nag: { rules_to_suppress: rules.map((id) => ({ id })) } };
  if (key === 'checkov') return { checkov: { skip: rules.map((id) => ({ id })) } };
  return undefined;
}

/** A value with a part kmsfix cannot read (`this.rules[node.cfnResourceType]`). */
const unread = (p: Plain): boolean =>
  p === undefined || (typeof p === 'object' && p !== null && Object.values(p as object).some((v) => unread(v as Plain)));

/**
 * An Aspect of the file that names a rule ID: the tables in its scope (`this`, `Stack.of(this)`: its class's;
 * a table) get the suppressions the Metadata its class or visitor writes holds (a literal, or one of the rule IDs
 * its arguments give: `this.rules[node.cfnResourceType]`); tables of another scope, or of an Aspect whose class
 * kmsfix does not see, are not fixed.
 */
function aspectSuppressions(sf: ts.SourceFile, lines: LineIndex, a: SuppressingAspect, cdk: TsTable[]): void {
  const line = lines.position(a.call.getStart(sf)).line;
  const scope = unwrap(a.scope);
  const own =
    scope.kind === ts.SyntaxKind.ThisKeyword || /^(?:\w+\.)*Stack\.of\(this\)$/.test(scope.getText(sf))
      ? cdk.filter((t) => classOfThis(t.node) === classOfThis(a.call))
      : undefined;
  const table = own ? undefined : (named(scope, cdk) ?? resourceOf(scope, cdk));
  const scoped = own ?? (table ? [table] : undefined);
  const where = `${a.name} (line ${line}) addMetadata`;
  // A visitor that writes only under a condition beyond a node's type may skip some tables: none read as suppressed (adv2 s64).
  const found =
    scoped && !a.narrowed
      ? (a.writes ?? []).flatMap((w) => {
          const value = w.value && plain(w.value);
          const literal = metadataSuppressions({ [w.key]: value }, where);
          return literal.length > 0 || !unread(value) ? literal : metadataSuppressions(written(w.key, a.rules), where);
        })
      : [];
  // The tables of the file's other classes that the Aspect's class creates (`new OrdersDb(this, 'Db')`) are in its scope
  // too: not read as suppressed, and not fixed (adv2 s64: they were fixed over the exception the Aspect records).
  const created = own ? createdClasses(classOfThis(a.call)) : new Set<string>();
  const children = own ? cdk.filter((t) => !own.includes(t) && created.has(classNameOf(classOfThis(t.node)) ?? '')) : [];
  for (const t of [...(scoped ?? cdk), ...children]) {
    if (found.length > 0 && !children.includes(t)) {
      for (const s of found) if (!t.suppressions.some((o) => o.text === s.text)) t.suppressions.push(s);
      continue;
    }
    const call = a.call.getText(sf).replace(/\s+/g, ' ');
    t.encryption.obstacles.push({
      kind: 'code-shape',
      step:
        `${call.length > 90 ? call.slice(0, 87) + '...' : call} (line ${line}) adds an ${a.name} that names ${a.rules[0]}` +
        `${a.narrowed ? ` under the condition ${a.narrowed.length > 80 ? `${a.narrowed.slice(0, 77)}...` : a.narrowed}` : ''}, ` +
        'and may suppress that rule in the Metadata of the tables in its scope, which kmsfix does not read: if it suppresses ' +
        'this table, mark the table with a `// kmsfix:ignore <reason>` comment; if not, or the exception no longer holds, ' +
        'remove it and run kmsfix again',
    });
  }
}

/** The names of the classes a class creates (`new Db(this, 'Db')`), one level. */
function createdClasses(cls: ts.Node | undefined): Set<string> {
  const out = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isNewExpression(n) && ts.isIdentifier(n.expression)) out.add(n.expression.text);
    ts.forEachChild(n, visit);
  };
  if (cls) visit(cls);
  return out;
}

const classNameOf = (cls: ts.Node | undefined): string | undefined => {
  if (!cls) return undefined;
  if (ts.isClassDeclaration(cls)) return cls.name?.text;
  if (ts.isClassExpression(cls))
    return cls.name?.text ?? (ts.isVariableDeclaration(cls.parent) && ts.isIdentifier(cls.parent.name) ? cls.parent.name.text : undefined);
  return undefined;
};

/** The name a call calls: `f(...)`, `this.f(...)`, `obj.f(...)`. */
function calleeName(n: ts.CallExpression): string | undefined {
  const e = unwrap(n.expression);
  return ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : undefined;
}

/** The file's named functions and methods (declarations, methods, functions and arrows bound to a name), with their bodies. */
function functionsOf(sf: ts.SourceFile): { name: string; body: ts.Node | undefined }[] {
  const out: { name: string; body: ts.Node | undefined }[] = [];
  const visit = (n: ts.Node): void => {
    if ((ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n)) && n.name && ts.isIdentifier(n.name))
      out.push({ name: n.name.text, body: n.body });
    else if (
      (ts.isVariableDeclaration(n) || ts.isPropertyDeclaration(n)) &&
      ts.isIdentifier(n.name) &&
      n.initializer &&
      (ts.isArrowFunction(n.initializer) || ts.isFunctionExpression(n.initializer))
    )
      out.push({ name: n.name.text, body: n.initializer.body });
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

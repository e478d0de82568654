/**
 * Suppressions an AWS CDK Aspect writes (real-world round 46, AWS Solutions stacks): `Aspects.of(this).add(new
 * CfnGuardSuppressResourceList({ 'AWS::DynamoDB::Table': ['DYNAMODB_TABLE_ENCRYPTED_KMS'] }))`, whose `visit` adds
 * Metadata to every table, or an inline visitor `Aspects.of(this).add({ visit(node) { ... addMetadata('cfn_nag', ...) } })`
 * (also `cdk.Aspects`, an imported alias of Aspects). An Aspect names a rule ID when its constructor's arguments hold
 * one as a literal (in a map keyed by resource type: under `AWS::DynamoDB::Table` or `AWS::DynamoDB::GlobalTable`),
 * or its class body (a class of the file) or inline visitor does. One that names none leaves the tables as they were.
 * The same file's suppressions are applied in metadata.ts; aspectCautions reads the Aspects of the files that create
 * a table file's constructs (cdkApp.ts importersWith: the stack file), and the Aspect classes those files import,
 * which keep the table from being fixed (a note naming the Aspect's file and line).
 */
import { METADATA_RULE_IDS } from '../../core/suppressions.js';
import type { DiskContext, SourceFile } from '../../core/types.js';
import { decide, fixWanted } from '../../rule/cmk.js';
import { WAIVABLE } from '../../rule/blockers.js';
import { importersWith, importsWith } from './cdkApp.js';
import { constInitializer, declarationOf } from './consts.js';
import type { Binding } from './imports.js';
import type { TsDetection } from './tableTypes.js';
import { propertyName, stringValue, ts, unwrap } from './parse.js';

/** A resource-type key of a type-keyed map, and the ones a DynamoDB table is. */
const TYPE_KEY = /^AWS::\w+::\w+$/;
const TABLE_TYPES = ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'];

/** An Aspect a file adds that names a rule ID. */
export interface SuppressingAspect {
  /** The `Aspects.of(scope).add(...)` call. */
  call: ts.CallExpression;
  /** `scope`. */
  scope: ts.Expression;
  /** How the note and the suppression name it: `Aspect CfnGuardSuppressResourceList`, `inline Aspect`. */
  name: string;
  /** The rule IDs it names. */
  rules: string[];
  /** The Metadata its visitor writes, when kmsfix sees it (a class or visitor of the file): key and value. */
  writes?: { key: string; value: ts.Expression | undefined }[];
  /**
   * A condition of its visitor that tests more than a node's type (`node.tableName === 'legacy'`, `node.node.id ===
   * 'Orders'`), as text: its writes may reach some tables of its scope and not others (adv2 s64).
   */
  narrowed?: string;
}

/** A test of a node's type alone: `node instanceof CfnTable`, `CfnResource.isCfnResource(node)`, a `cfnResourceType` test. */
const TYPE_TEST = /^!?\(?\s*(?:[\w.]+\s+instanceof\s+[\w.]+|[\w.]+\.is\w+\([\w.]*\)|[^&|]*\bcfnResourceType\b[^&|]*)\s*\)?$/;

/** The first condition of a visitor (an if, `?:`, `&&`/`||`, switch) with a part that is no type test (TYPE_TEST). */
function narrowing(body: ts.Node, sf: ts.SourceFile): string | undefined {
  let found: string | undefined;
  const parts = (e: ts.Expression): ts.Expression[] => {
    const u = unwrap(e);
    if (
      ts.isBinaryExpression(u) &&
      (u.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || u.operatorToken.kind === ts.SyntaxKind.BarBarToken)
    )
      return [...parts(u.left), ...parts(u.right)];
    if (u.kind === ts.SyntaxKind.PrefixUnaryExpression && (u as ts.PrefixUnaryExpression).operator === ts.SyntaxKind.ExclamationToken)
      return parts((u as ts.PrefixUnaryExpression).operand);
    return [u];
  };
  const check = (cond: ts.Expression) => {
    const bad = parts(cond).find((p) => !TYPE_TEST.test(p.getText(sf).replace(/\s+/g, ' ').trim()));
    if (bad && !found) found = cond.getText(sf).replace(/\s+/g, ' ');
  };
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (n.kind === ts.SyntaxKind.IfStatement || n.kind === ts.SyntaxKind.SwitchStatement)
      check((n as unknown as { expression: ts.Expression }).expression);
    else if (ts.isConditionalExpression(n)) check(n.condition);
    else if (
      ts.isBinaryExpression(n) &&
      (n.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || n.operatorToken.kind === ts.SyntaxKind.BarBarToken) &&
      !(
        n.parent.kind === ts.SyntaxKind.IfStatement ||
        ts.isConditionalExpression(n.parent) ||
        ts.isBinaryExpression(n.parent) ||
        ts.isParenthesizedExpression(n.parent)
      )
    )
      check(n);
    ts.forEachChild(n, visit);
  };
  visit(body);
  return found;
}

/** The rule IDs an argument names, as literals at any depth; in a type-keyed map, only a table type's. */
function rulesIn(e: ts.Expression, out: Set<string>, depth = 0): void {
  let u = unwrap(e);
  if (ts.isIdentifier(u) && depth < 8) {
    const init = constInitializer(declarationOf(u));
    if (!init) return;
    u = unwrap(init);
  }
  const s = stringValue(u);
  if (s !== undefined) {
    if (METADATA_RULE_IDS.includes(s)) out.add(s);
    return;
  }
  if (ts.isArrayLiteralExpression(u)) for (const x of u.elements) rulesIn(x, out, depth + 1);
  else if (ts.isObjectLiteralExpression(u))
    for (const p of u.properties) {
      if (!ts.isPropertyAssignment(p)) continue;
      const key = ts.isComputedPropertyName(p.name) ? stringValue(p.name.expression) : propertyName(p.name);
      if (key !== undefined && TYPE_KEY.test(key) && !TABLE_TYPES.includes(key)) continue;
      rulesIn(p.initializer, out, depth + 1);
    }
}

/** The rule IDs a class body or visitor holds as string literals. */
function rulesInBody(body: ts.Node, out: Set<string>): void {
  const visit = (n: ts.Node): void => {
    const s =
      n.kind === ts.SyntaxKind.StringLiteral || n.kind === ts.SyntaxKind.NoSubstitutionTemplateLiteral
        ? (n as ts.StringLiteral).text
        : undefined;
    if (s !== undefined && METADATA_RULE_IDS.includes(s)) out.add(s);
    ts.forEachChild(n, visit);
  };
  visit(body);
}

/** The Metadata a class body or visitor writes: `x.addMetadata('guard', v)`, `x.cfnOptions.metadata = { cfn_nag: v }`. */
function writesIn(body: ts.Node): { key: string; value: ts.Expression | undefined }[] {
  const out: { key: string; value: ts.Expression | undefined }[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'addMetadata') {
      const key = stringValue(n.arguments[0]);
      if (key !== undefined) out.push({ key, value: n.arguments[1] });
    } else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = unwrap(n.left);
      const right = unwrap(n.right);
      if (ts.isPropertyAccessExpression(left) && left.name.text === 'metadata' && ts.isObjectLiteralExpression(right))
        for (const p of right.properties) {
          const key = ts.isPropertyAssignment(p) ? propertyName(p.name) : undefined;
          if (key !== undefined) out.push({ key, value: (p as ts.PropertyAssignment).initializer });
        }
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
  return out;
}

/** The local names the file gives CDK's Aspects (`Aspects`, `import { Aspects as A }`). */
function aspectsNames(sf: ts.SourceFile): Set<string> {
  const out = new Set(['Aspects']);
  for (const st of sf.statements) {
    const b = ts.isImportDeclaration(st) ? st.importClause?.namedBindings : undefined;
    if (b && ts.isNamedImports(b))
      for (const e of b.elements) if ((e.propertyName?.text ?? e.name.text) === 'Aspects') out.add(e.name.text);
  }
  return out;
}

/** `Aspects.of(scope).add(arg)` (`cdk.Aspects.of`, an alias): scope and arg. */
function aspectAdd(n: ts.CallExpression, names: Set<string>): { scope: ts.Expression; arg: ts.Expression } | undefined {
  const add = n.expression;
  if (!ts.isPropertyAccessExpression(add) || add.name.text !== 'add' || !n.arguments[0]) return undefined;
  const of = unwrap(add.expression);
  if (!ts.isCallExpression(of) || !ts.isPropertyAccessExpression(of.expression) || of.expression.name.text !== 'of' || !of.arguments[0])
    return undefined;
  const owner = unwrap(of.expression.expression);
  const name = ts.isIdentifier(owner) ? owner.text : ts.isPropertyAccessExpression(owner) ? owner.name.text : undefined;
  if (name === undefined || !(ts.isIdentifier(owner) ? names.has(name) : name === 'Aspects')) return undefined;
  return { scope: of.arguments[0], arg: n.arguments[0] };
}

/** The class of the file named `name` (a declaration or `const C = class ...`). */
export function classNamed(sf: ts.SourceFile, name: string): ts.ClassDeclaration | ts.ClassExpression | undefined {
  let found: ts.ClassDeclaration | ts.ClassExpression | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isClassDeclaration(n) && n.name?.text === name) found = n;
    else if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name && n.initializer) {
      const init = unwrap(n.initializer);
      if (ts.isClassExpression(init)) found = init;
    }
    if (!found) ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

/**
 * The Aspects a file adds that name a rule ID, in its arguments or in its class (of the file, or `classElsewhere`:
 * a class of a file it imports, by the local name) or inline visitor.
 */
export function suppressingAspects(
  sf: ts.SourceFile,
  classElsewhere?: (local: string) => ts.ClassDeclaration | ts.ClassExpression | undefined,
): SuppressingAspect[] {
  if (!/\bAspects\b/.test(sf.text)) return [];
  const names = aspectsNames(sf);
  const out: SuppressingAspect[] = [];
  const visit = (n: ts.Node): void => {
    const added = ts.isCallExpression(n) ? aspectAdd(n, names) : undefined;
    if (added) {
      let arg = unwrap(added.arg);
      if (ts.isIdentifier(arg)) {
        const init = constInitializer(declarationOf(arg));
        if (init) arg = unwrap(init);
      }
      const rules = new Set<string>();
      let body: ts.Node | undefined;
      let name: string | undefined;
      if (ts.isNewExpression(arg)) {
        for (const a of arg.arguments ?? []) rulesIn(a, rules);
        const callee = unwrap(arg.expression);
        name = `Aspect ${callee.getText(sf)}`;
        if (ts.isIdentifier(callee)) body = classNamed(sf, callee.text) ?? classElsewhere?.(callee.text);
      } else if (
        ts.isObjectLiteralExpression(arg) &&
        arg.properties.some((p) => p.name !== undefined && !ts.isComputedPropertyName(p.name) && propertyName(p.name) === 'visit')
      ) {
        name = 'inline Aspect';
        body = arg;
      }
      if (body) rulesInBody(body, rules);
      if (name !== undefined && rules.size > 0)
        out.push({
          call: n as ts.CallExpression,
          scope: added.scope,
          name,
          rules: [...rules],
          ...(body ? { writes: writesIn(body) } : {}),
          ...(body && narrowing(body, sf) ? { narrowed: narrowing(body, sf) } : {}),
        });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** A word every Aspect class's file holds (`implements IAspect`, `visit(node: IConstruct)`): the prefilter of imports. */
const ASPECT_WORD = 'visit';

/**
 * The Aspects of a program that name a rule ID, reading the classes of the relative modules it imports (one level:
 * cdkApp.ts importsWith) as well as its own.
 */
async function programAspects(
  file: SourceFile,
  d: { imports: Binding[]; sf: ts.SourceFile },
  context: DiskContext | undefined,
): Promise<SuppressingAspect[]> {
  if (!/\bAspects\b/.test(file.text)) return [];
  const imported = await importsWith(file, d, context, ASPECT_WORD);
  const classElsewhere = (local: string) => {
    for (const i of d.imports) {
      const named = i.named.find((n) => n.local === local && !n.typeOnly);
      if (!named || !/^\.\.?\//.test(i.module)) continue;
      for (const m of imported) {
        const cls = classNamed(m.sf, named.imported);
        if (cls) return cls;
      }
    }
    return undefined;
  };
  return suppressingAspects(d.sf, classElsewhere);
}

/**
 * The tables a fix would change that an Aspect may suppress where kmsfix does not read it as a suppression: one of
 * the table's file whose class is in a module it imports (its arguments name no rule ID), or one the files that create
 * the file's constructs add (the stack file importing the construct's file: any scope there, as a construct it creates
 * is under its stack). Each such table is not fixed, and says where the Aspect is.
 */
export async function aspectCautions(file: SourceFile, d: TsDetection, context: DiskContext | undefined): Promise<void> {
  const open = d.tables.filter((t) => t.framework === 'cdk' && fixWanted(decide(t.encryption, WAIVABLE)));
  if (open.length === 0 || !context) return;
  const found: { aspect: SuppressingAspect; path: string; sf: ts.SourceFile }[] = [];
  // The file's own Aspects that name a rule ID only in a class of a module it imports (metadata.ts read the others).
  const read = new Set(suppressingAspects(d.sf).map((a) => a.call));
  for (const a of await programAspects(file, d, context)) if (!read.has(a.call)) found.push({ aspect: a, path: file.path, sf: d.sf });
  for (const i of await importersWith(file, context, 'Aspects'))
    for (const a of await programAspects(i.file, i, context)) found.push({ aspect: a, path: i.file.path, sf: i.sf });
  for (const { aspect, path, sf } of found) {
    const line = sf.getLineAndCharacterOfPosition(aspect.call.getStart(sf)).line + 1;
    const call = aspect.call.getText(sf).replace(/\s+/g, ' ');
    const shown = call.length > 90 ? `${call.slice(0, 87)}...` : call;
    const rule = aspect.rules[0];
    for (const t of open) {
      if (t.encryption.obstacles.some((o) => o.kind === 'code-shape' && o.step.includes(`${path}:${line}`))) continue;
      t.encryption.obstacles.push({
        kind: 'code-shape',
        step:
          `${shown} (${path}:${line}) adds an ${aspect.name} that names ${rule}, ` +
          'and may suppress that rule in the Metadata of the tables in its scope, which kmsfix does not read across files: ' +
          'if it suppresses this table, mark the table with a `// kmsfix:ignore <reason>` comment; if not, or the exception ' +
          'no longer holds, remove it and run kmsfix again',
      });
    }
  }
}

/**
 * A key read from a prop the file's own types declare optional: `encryptionKey: this.props.key` or `props.key`
 * with `interface TableProps { key?: kms.IKey }`, Pulumi's `kmsKeyArn: args.kmsKeyArn` with `kmsKeyArn?: Input<string>`
 * (or a type holding `undefined`). A caller may leave it out, and then the table gets no key: CDK's Table picks the
 * AWS owned key when no key and no `encryption` are given, Pulumi's provider the AWS managed one. Such a key is
 * `unknown`, as one a condition may leave out (`prod ? key : undefined`). The props' type is found by syntax: the
 * parameter (`props: TableProps`), the const (`const cfg = config.getObject<T>(...)`) or the class's field
 * (`private readonly props: TableProps`, a constructor's `private props: TableProps`) the expression reads, or the
 * props a key is destructured from (`const { key } = props`); the type written inline, or an interface (with the
 * members it inherits from bases of the file), type alias, intersection of them or `Partial<T>` of the same file. A
 * guard before the table (`if (!props.key) throw`) proves the key set (singleValue.ts). `mayBeUndefined` reads the other ways a key may be undefined when the program runs.
 */
import { constInitializer, declarationOf } from './consts.js';
import { fnChoices, noKeyArn } from './fnChoices.js';
import { snippet } from './lookup.js';
import { classOfThis, isNullish, isUnset, ts, unwrap } from './parse.js';
import { assignsName, fieldValue, guarded, indexedValues, onlyValueOf } from './singleValue.js';
import { CONFIG_READS } from './stackConfig.js';
import { loopEntryValues } from './loopEntries.js';

/** `member is optional in Type` when the expression reads a member the file declares optional (see above); undefined otherwise. */
export function optionalMemberRead(e: ts.Expression): string | undefined {
  const u = unwrap(e);
  const read = ts.isPropertyAccessExpression(u) ? { type: typeOfHolder(unwrap(u.expression)), member: u.name.text } : destructured(u);
  if (!read?.type) return undefined;
  const found = memberOf(read.type, read.member, 0, new Map());
  if (!found?.optional) return undefined;
  // Named with the type that declares it and, when that is a base, the interface the props are typed with (the one
  // the reader sees: `props: BasketsProps2` of `BasketsProps2 extends BasketsProps`, `BasketsProps extends WithKey`).
  return `${read.member} is optional in ${found.owner}${found.via && found.via !== found.owner ? ` (${found.via} extends it)` : ''}`;
}

/**
 * A name bound by destructuring (`const { kmsKey } = props`, `({ kmsKey }: StoreProps)`), without a default: the
 * type it is read from and the member it reads.
 */
function destructured(id: ts.Expression): { type: ts.TypeNode | undefined; member: string } | undefined {
  if (!ts.isIdentifier(id)) return undefined;
  for (let cur: ts.Node | undefined = id.parent; cur; cur = cur.parent) {
    const binders: { name: ts.BindingName; type: () => ts.TypeNode | undefined }[] = [];
    if (ts.isFunctionLike(cur)) for (const p of cur.parameters) binders.push({ name: p.name, type: () => p.type });
    if (ts.isBlock(cur) || ts.isSourceFile(cur))
      for (const st of cur.statements)
        if (ts.isVariableStatement(st))
          for (const d of st.declarationList.declarations)
            binders.push({ name: d.name, type: () => d.type ?? (d.initializer ? typeOfValue(unwrap(d.initializer)) : undefined) });
    for (const b of binders) {
      if (ts.isIdentifier(b.name) || !ts.isObjectBindingPattern(b.name)) continue;
      const el = b.name.elements.find((x) => ts.isIdentifier(x.name) && x.name.text === id.text);
      if (!el) continue;
      // A default, a rest, or a binding the code fills in later (`key ??= new Key(...)`): not read.
      if (el.initializer || el.dotDotDotToken || assignsName(id.getSourceFile(), id.text)) return undefined;
      const member = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : id.text;
      return { type: b.type(), member };
    }
    if (ts.isFunctionLike(cur) && cur.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === id.text)) return undefined;
  }
  return undefined;
}

/**
 * The type a props holder is declared with: a parameter's (`props: T`), a const's (`const cfg: T`, or the type argument
 * of its initializer, `config.requireObject<T>(...)`), or `this.props`'s (a field, or a constructor's parameter property).
 */
function typeOfHolder(holder: ts.Expression): ts.TypeNode | undefined {
  if (ts.isIdentifier(holder)) {
    for (let cur: ts.Node | undefined = holder.parent; cur; cur = cur.parent) {
      if (!ts.isFunctionLike(cur)) continue;
      const p = cur.parameters.find((x) => ts.isIdentifier(x.name) && x.name.text === holder.text);
      if (p) return p.type;
    }
    const d = declarationOf(holder);
    if (!d || d === 'other') return undefined;
    if (d.type) return d.type;
    return d.initializer ? typeOfValue(unwrap(d.initializer)) : undefined;
  }
  if (!ts.isPropertyAccessExpression(holder) || holder.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  const cls = classOfThis(holder);
  for (const m of cls?.members ?? []) {
    if (ts.isPropertyDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === holder.name.text) return m.type;
    // A constructor's parameter property (`constructor(private readonly props: T)`).
    if (ts.isConstructorDeclaration(m))
      for (const p of m.parameters) if (p.modifiers?.length && ts.isIdentifier(p.name) && p.name.text === holder.name.text) return p.type;
  }
  return undefined;
}

/** The type of a value: a holder's, or a call's type argument (`config.getObject<T>('db')`, with `?? {}` after it too). */
function typeOfValue(e: ts.Expression): ts.TypeNode | undefined {
  let v = e;
  if (ts.isBinaryExpression(v) && v.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) v = unwrap(v.left);
  return ts.isCallExpression(v)
    ? v.typeArguments?.[0]
    : ts.isIdentifier(v) || ts.isPropertyAccessExpression(v)
      ? typeOfHolder(v)
      : undefined;
}

/** A member found (memberOf): whether it is optional, the type that declares it, and the interface that extends that type (`via`). */
type Member = { optional: boolean; owner: string; via?: string };

/**
 * The member `name` of a type the file writes: a type literal, an interface or type alias of the file, an intersection
 * of such (`StackProps & KeyProps`), `Partial<T>` (every member optional), `Readonly<T>` (T's members, adversarial pass
 * F7), an interface's bases of the file (`interface OrdersProps extends BaseProps`, read as the intersection of its
 * own members and its bases, its own first: a member it declares again, `key: IKey` over the base's `key?`, is the
 * one its props have); whether it is optional, and the type that declares it. An interface declared more than once is
 * every declaration's members and bases (TypeScript merges them: F7 found a key in the second declaration missed, read
 * as always set). Undefined when the file does not say (a base imported or of another file: real-world round 37 found
 * the inherited member missed, the key read as always set, and the table customer-managed).
 *
 * Each interface or alias is read once per member sought (`seen`, by name; one being read counts as not declaring it,
 * which ends a cycle): F12 found 120 interfaces each extending every earlier one walked path by path (7.9 s). With
 * cycles ended so, `depth` only bounds the recursion (64 types deep; it was 4, a guard against cycles).
 */
function memberOf(t: ts.TypeNode, name: string, depth: number, seen: Map<string, Member | undefined>): Member | undefined {
  if (depth > 64) return undefined;
  if (t.kind === ts.SyntaxKind.TypeLiteral) return memberIn((t as ts.TypeLiteralNode).members, name, 'its inline type');
  if (t.kind === ts.SyntaxKind.IntersectionType) return memberOfParts((t as ts.IntersectionTypeNode).types, name, depth, seen);
  // A type reference, or a base in an `extends` clause (`extends BaseProps`, `extends Partial<KeyProps>`): the same name
  // and type arguments, written as an expression.
  const named = ts.isTypeReferenceNode(t)
    ? { ref: t.typeName, args: t.typeArguments }
    : t.kind === ts.SyntaxKind.ExpressionWithTypeArguments
      ? { ref: (t as ts.ExpressionWithTypeArguments).expression, args: (t as ts.ExpressionWithTypeArguments).typeArguments }
      : undefined;
  if (!named || !ts.isIdentifier(named.ref)) return undefined;
  const ref = named.ref.text;
  if (ref === 'Partial' && named.args?.[0]) {
    const inner = memberOf(named.args[0], name, depth + 1, seen);
    return inner && { optional: true, owner: `Partial<${named.args[0].getText()}>` };
  }
  // `Readonly<T>` makes T's members readonly, no more optional than they are.
  if (ref === 'Readonly' && named.args?.[0]) return memberOf(named.args[0], name, depth + 1, seen);
  if (seen.has(ref)) return seen.get(ref);
  seen.set(ref, undefined);
  const found = declaredMember(t.getSourceFile(), ref, name, depth, seen);
  seen.set(ref, found);
  return found;
}

/** The member `name` of the interface (every declaration of it) or type alias `ref` of the file (memberOf). */
function declaredMember(
  sf: ts.SourceFile,
  ref: string,
  name: string,
  depth: number,
  seen: Map<string, Member | undefined>,
): Member | undefined {
  const interfaces = sf.statements.filter(
    (st): st is ts.InterfaceDeclaration =>
      st.kind === ts.SyntaxKind.InterfaceDeclaration && (st as ts.InterfaceDeclaration).name.text === ref,
  );
  if (interfaces.length > 0) {
    for (const d of interfaces) {
      const own = memberIn(d.members, name, ref);
      if (own) return own;
    }
    const bases = interfaces.flatMap((d) => d.heritageClauses?.flatMap((h) => h.types) ?? []);
    const inherited = memberOfParts(bases, name, depth, seen);
    // Named with the interface the props are typed with, which the reader sees, and the base that declares it.
    return inherited && { ...inherited, via: ref };
  }
  for (const st of sf.statements)
    if (st.kind === ts.SyntaxKind.TypeAliasDeclaration && (st as ts.TypeAliasDeclaration).name.text === ref) {
      const found = memberOf((st as ts.TypeAliasDeclaration).type, name, depth + 1, seen);
      return found && { ...found, owner: found.owner === 'its inline type' ? ref : found.owner };
    }
  return undefined;
}

/** The member `name` of the first of the parts (an intersection's, an interface's bases) that declares it. */
function memberOfParts(
  parts: readonly ts.TypeNode[],
  name: string,
  depth: number,
  seen: Map<string, Member | undefined>,
): Member | undefined {
  for (const part of parts) {
    const found = memberOf(part, name, depth + 1, seen);
    if (found) return found;
  }
  return undefined;
}

function memberIn(members: readonly ts.TypeElement[], name: string, owner: string): Member | undefined {
  const m = members.find((x) => ts.isPropertySignature(x) && ts.isIdentifier(x.name) && x.name.text === name);
  if (!m || !ts.isPropertySignature(m)) return undefined;
  return { optional: !!m.questionToken || (!!m.type && holdsUndefined(m.type)), owner };
}

/** `T | undefined` (or `null`). */
function holdsUndefined(t: ts.TypeNode): boolean {
  if (t.kind !== ts.SyntaxKind.UnionType) return false;
  return (t as ts.UnionTypeNode).types.some(
    (x) =>
      x.kind === ts.SyntaxKind.UndefinedKeyword ||
      (x.kind === ts.SyntaxKind.LiteralType && (x as unknown as { literal: ts.Node }).literal.kind === ts.SyntaxKind.NullKeyword),
  );
}

/**
 * Why a key value may be undefined when the program runs, read by syntax: a variable typed `T | undefined`,
 * CDK's `tryGetContext(...)`, Pulumi's `config.get(...)` / `getSecret(...)` (not `require`: a
 * stack that sets no value fails), `x || undefined`, a condition with an unset branch (`prod ? key : undefined`) or
 * one whose branch may be, a lookup in a `const` map that may name none of its members (`keys[props.stage]` of
 * `{ prod: key }`: singleValue.ts) or whose member may be, a `Fn.conditionIf` or `Fn.lookup` one of whose values is
 * none or may be (fnChoices.ts); through the file's consts, so that
 * `const key = prod ? new Key(...) : undefined` then `encryptionKey: key` (or `key?.arn`) reads as the same
 * condition written in place (real-world round 35). Undefined when none of these (`process.env.X` too: the
 * documented `--kms-key-arn process.env.TABLE_KEY_ARN` is the deployer's to set).
 */
export function mayBeUndefined(e: ts.Expression, depth = 0, subject?: string): string | undefined {
  if (depth > 4) return undefined;
  const u = unwrap(e);
  if (depth === 0 && guarded(u)) return undefined;
  // A loop's variable, or a member of it, that an entry of the array leaves out or sets unset (loopEntries.ts).
  const entries = loopEntryValues(u);
  if (entries) {
    const said = subject ?? u.getText();
    for (const v of entries.values) {
      const entry = snippet(u.getSourceFile(), v.entry);
      if ('missing' in v) return `${said} is undefined for the entry ${entry} of ${snippet(u.getSourceFile(), entries.array)}`;
      if (isUnset(v.value)) return `${said} is ${unwrap(v.value).getText()} for the entry ${entry}`;
      const why = mayBeUndefined(v.value, depth + 1);
      if (why) return why;
    }
    return undefined;
  }
  if (ts.isIdentifier(u)) {
    const d = declarationOf(u);
    if (d && d !== 'other') {
      // A value the name keeps (a const's, a let never assigned again) decides, whatever the type says.
      const value = onlyValueOf(d);
      if (value) return mayBeUndefined(value, depth + 1, subject ?? u.text);
      if (isAssigned(d)) return assignedMayBeUnset(d, u, depth);
      return !d.initializer && d.type && holdsUndefined(d.type) ? `${u.text} is typed ${d.type.getText()}` : undefined;
    }
    // An optional parameter without a default (`keyArn?: string`): a caller may leave it out.
    const p = parameterOf(u);
    return p && !p.initializer && (p.questionToken || (p.type && holdsUndefined(p.type)))
      ? `${u.text} is an optional parameter`
      : undefined;
  }
  // `config.getObject(...)?.arn`: an optional chain is undefined where its object may be.
  if (ts.isPropertyAccessExpression(u) && u.questionDotToken) {
    const inner = mayBeUndefined(u.expression, depth + 1, u.getText()) ?? optionalMemberRead(u.expression);
    // A condition or map the object is read from says it of this chain itself (`key?.arn is undefined where ...`).
    if (inner?.startsWith(`${u.getText()} is `)) return inner;
    return inner ? `${u.getText()} is undefined where ${u.expression.getText()} is (${inner})` : undefined;
  }
  if (ts.isPropertyAccessExpression(u) && ts.isPropertyAccessExpression(u.expression) && u.expression.questionDotToken)
    return mayBeUndefined(u.expression, depth + 1);
  // Said of `subject`, the name (or `?.` chain) the key is read through, else of the expression itself.
  if (ts.isConditionalExpression(u)) {
    const unset = [u.whenTrue, u.whenFalse].findIndex(isUnset);
    if (unset >= 0)
      return `${subject ?? snippet(u.getSourceFile(), u)} is ${unwrap(unset ? u.whenFalse : u.whenTrue).getText()} where ${u.condition.getText()} is ${unset ? 'false' : 'true'}`;
    return mayBeUndefined(u.whenTrue, depth + 1, subject) ?? mayBeUndefined(u.whenFalse, depth + 1, subject);
  }
  if (u.kind === ts.SyntaxKind.ElementAccessExpression) {
    const indexed = indexedValues(u as ts.ElementAccessExpression, subject);
    if (indexed?.missing) return indexed.missing;
    for (const v of indexed?.values ?? []) {
      const why = mayBeUndefined(v, depth + 1, subject);
      if (why) return why;
    }
    return undefined;
  }
  if (
    ts.isBinaryExpression(u) &&
    (u.operatorToken.kind === ts.SyntaxKind.BarBarToken || u.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)
  )
    return isNullish(unwrap(u.right)) ? `${u.getText()} may be ${unwrap(u.right).getText()}` : mayBeUndefined(u.right, depth + 1);
  // CDK's `Fn.conditionIf(c, key.keyArn, Aws.NO_VALUE)`, CDKTF's `Fn.lookup(map, it.value, null)` (fnChoices.ts).
  const choices = fnChoices(u);
  if (choices) {
    const none = choices.find((c) => c.none);
    if (none) return `${subject ?? snippet(u.getSourceFile(), u)} is ${unwrap(none.value).getText()} (no key) ${none.where}`;
    for (const c of choices) {
      const why = mayBeUndefined(c.value, depth + 1, subject);
      if (why) return why;
    }
    return undefined;
  }
  if (!ts.isCallExpression(u) || !ts.isPropertyAccessExpression(u.expression)) return undefined;
  const name = u.expression.name.text;
  if (name === 'fromKeyArn') return noKeyArn(u, subject ?? snippet(u.getSourceFile(), u));
  // Pulumi's `key.arn.apply((a) => (prod ? a : undefined))`: undefined where its callback gives undefined (s61 F2).
  if (name === 'apply') {
    const fn = u.arguments[0] && unwrap(u.arguments[0]);
    for (const r of fn ? returnedValues(fn) : []) {
      const at = `${u.expression.getText()}'s callback`;
      if (r === 'none' || isUnset(r)) return `${at} returns ${r === 'none' ? 'nothing' : unwrap(r).getText()}`;
      const why = mayBeUndefined(r, depth + 1);
      if (why) return `${at} may return undefined (${why})`;
    }
    return undefined;
  }
  if (name === 'tryGetContext') return `${u.getText()} is undefined where the context does not set it`;
  if (CONFIG_GETS.has(name) && isPulumiConfig(u.expression.expression))
    return `${u.getText()} is undefined in a stack whose config does not set it`;
  return undefined;
}

/** Pulumi's Config reads that give undefined for a value the stack does not set (`require*` fail instead). */
const CONFIG_GETS = new Set(Object.keys(CONFIG_READS).filter((name) => CONFIG_READS[name].optional));

/**
 * The values a function literal returns: its concise body, or each `return`'s value (`none` for a bare `return`) not in
 * a function inside it; none for anything but a function literal.
 */
function returnedValues(fn: ts.Expression): (ts.Expression | 'none')[] {
  if (fn.kind !== ts.SyntaxKind.ArrowFunction && fn.kind !== ts.SyntaxKind.FunctionExpression) return [];
  const body = (fn as ts.ArrowFunction | ts.FunctionExpression).body;
  if (body.kind !== ts.SyntaxKind.Block) return [body as ts.Expression];
  const found: (ts.Expression | 'none')[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) return;
    if (ts.isReturnStatement(n)) found.push(n.expression ?? 'none');
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

/**
 * A `let` (or `var`) the file assigns again (adversarial pass s61 F2): undefined where one of its values may be (its
 * initializer, a value assigned, `lk = undefined`), or, declared without a value (and untyped, or typed with
 * `undefined`: a type without it is TypeScript's to prove assigned), where no assignment before the use runs on every
 * path (`let key: IKey | undefined; if (prod) key = new Key(...)`). Assignments on every path: a statement of a
 * block around the use before it, both branches of an `if` (or one that leaves), a `try` and its `catch`.
 */
function assignedMayBeUnset(d: ts.VariableDeclaration, use: ts.Identifier, depth: number): string | undefined {
  const name = use.text;
  const sf = d.getSourceFile();
  const values: ts.Expression[] = d.initializer ? [d.initializer] : [];
  const visit = (n: ts.Node): void => {
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(unwrap(n.left)) &&
      (unwrap(n.left) as ts.Identifier).text === name
    )
      values.push(n.right);
    ts.forEachChild(n, visit);
  };
  // The assignments of this variable: in the block (or file) that declares it.
  visit(d.parent.parent.parent ?? sf);
  for (const v of values) {
    const line = sf.getLineAndCharacterOfPosition(v.getStart(sf)).line + 1;
    if (isUnset(v)) return `${name} is set to ${unwrap(v).getText()} at line ${line}`;
    const why = mayBeUndefined(v, depth + 1, name);
    if (why) return why;
  }
  if (d.initializer || (d.type && !holdsUndefined(d.type)) || assignedBefore(use, name, d.parent.parent.parent)) return undefined;
  const line = sf.getLineAndCharacterOfPosition(d.getStart(sf)).line + 1;
  return `${name} is declared without a value (line ${line}) and not assigned on every path before it is read`;
}

/**
 * Does an assignment of `name` run on every path before `use`: a statement before it in a block around it, up to the
 * block that declares the name, that assigns it? (A callback that reads it runs after the statements before it.)
 */
function assignedBefore(use: ts.Node, name: string, declaring: ts.Node): boolean {
  for (let cur: ts.Node = use; cur.parent; cur = cur.parent) {
    const p = cur.parent;
    if (!ts.isBlock(p) && !ts.isSourceFile(p)) continue;
    for (const st of p.statements) {
      if (st === cur) break;
      if (assignsOnEveryPath(st, name)) return true;
    }
    if (p === declaring) return false;
  }
  return false;
}

function assignsOnEveryPath(st: ts.Statement, name: string): boolean {
  if (ts.isExpressionStatement(st)) {
    const e = unwrap(st.expression);
    return (
      ts.isBinaryExpression(e) &&
      e.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(unwrap(e.left)) &&
      (unwrap(e.left) as ts.Identifier).text === name
    );
  }
  if (ts.isBlock(st)) return st.statements.some((x) => assignsOnEveryPath(x, name));
  const either = (x: ts.Statement) => assignsOnEveryPath(x, name) || leaves(x);
  if (ts.isIfStatement(st)) return !!st.elseStatement && either(st.thenStatement) && either(st.elseStatement);
  if (st.kind === ts.SyntaxKind.TryStatement) {
    const t = st as ts.TryStatement;
    if (t.finallyBlock && assignsOnEveryPath(t.finallyBlock, name)) return true;
    return assignsOnEveryPath(t.tryBlock, name) && (!t.catchClause || either(t.catchClause.block));
  }
  return false;
}

/** A statement that leaves: `throw`, `return`, or a block one of whose statements does. */
function leaves(st: ts.Statement): boolean {
  if (st.kind === ts.SyntaxKind.ThrowStatement || ts.isReturnStatement(st)) return true;
  return ts.isBlock(st) && st.statements.some(leaves);
}

/** A declaration the file assigns again (a `let` without an initializer, then `x = ...`). */
function isAssigned(d: ts.VariableDeclaration): boolean {
  return ts.isIdentifier(d.name) && assignsName(d.getSourceFile(), d.name.text);
}

/** The parameter of an enclosing function that `id` names, if any. */
function parameterOf(id: ts.Identifier): ts.ParameterDeclaration | undefined {
  for (let cur: ts.Node | undefined = id.parent; cur; cur = cur.parent) {
    if (!ts.isFunctionLike(cur)) continue;
    const p = cur.parameters.find((x) => ts.isIdentifier(x.name) && x.name.text === id.text);
    if (p) return p;
  }
  return undefined;
}

/** A `const` of the file (or a class field) created as Pulumi's `new pulumi.Config(...)` (or `new Config(...)`). */
function isPulumiConfig(e: ts.Expression): boolean {
  const u = unwrap(e);
  const init = ts.isIdentifier(u) ? constInitializer(declarationOf(u)) : ts.isPropertyAccessExpression(u) ? fieldValue(u) : u;
  const n = init && unwrap(init);
  return !!n && ts.isNewExpression(n) && /(^|\.)Config$/.test(n.expression.getText());
}

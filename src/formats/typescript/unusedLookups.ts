/**
 * The lookups of the AWS managed key a fix leaves unused (real-world round 40 F1): `const ddbKey =
 * kms.Alias.fromAliasName(this, 'DdbKey', 'alias/aws/dynamodb')` (`Key.fromLookup`, `Key.fromKeyArn`, CDKTF's
 * `new DataAwsKmsAlias(...)` / `DataAwsKmsKey`, Pulumi's `aws.kms.getAlias(Output)` / `getKey(Output)`) whose every use
 * the fix's edits replace: the `const` then fails `tsc --noUnusedLocals` (TS6133), which projen's and `cdktf init`'s
 * tsconfig set. Such a declaration is removed, whole lines (a comment above it stays), when it is a lone `const` of one
 * name, not exported, and its initializer is a lookup (awsManagedKey.ts lookedUpName: no resource is created); then a
 * named import only it used (ImportPlanner.drop). Any other declaration stays as it was.
 */
import { lineStartOf } from '../../core/text.js';
import type { Edit } from '../../core/types.js';
import { lookedUpName } from './awsManagedKey.js';
import { declarationOf } from './consts.js';
import { statementEnd, ts } from './parse.js';

/** A declaration the fix removes: its statement, the edit removing it, and the names its initializer used. */
export interface DroppedLookup {
  statement: ts.VariableStatement;
  /** The removal, serving the tables every edit replacing a use serves (Edit.tables; none: every table). */
  edit: Edit;
  /** The identifiers the initializer refers to (`kms`, `Alias`, `DataAwsKmsAlias`, `aws`): imports it may leave unused. */
  names: string[];
}

/** Is `n` an identifier in a place that refers to a binding (not a property's or a member's name)? */
function refersToBinding(n: ts.Identifier): boolean {
  const p = n.parent;
  if ((ts.isPropertyAccessExpression(p) || ts.isQualifiedName(p)) && (p as ts.PropertyAccessExpression).name === n) return false;
  if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p) || ts.isPropertySignature(p)) && p.name === n)
    return false;
  const named = [ts.SyntaxKind.GetAccessor, ts.SyntaxKind.SetAccessor, ts.SyntaxKind.EnumMember];
  if (named.includes(p.kind) && (p as ts.NamedDeclaration).name === n) return false;
  if (ts.isBindingElement(p) && p.propertyName === n) return false;
  // An import declares its names; `export { a as b }` refers to `a`.
  const imported = [
    ts.SyntaxKind.ImportSpecifier,
    ts.SyntaxKind.ImportClause,
    ts.SyntaxKind.NamespaceImport,
    ts.SyntaxKind.ImportEqualsDeclaration,
  ];
  if (imported.includes(p.kind)) return false;
  if (p.kind === ts.SyntaxKind.ExportSpecifier) {
    const e = p as ts.ExportSpecifier;
    return (e.propertyName ?? e.name) === n;
  }
  return true;
}

/** Every identifier of the file named `name` that may refer to a binding (a declaration's own name too: counted, it keeps an import). */
export function identifiersNamed(sf: ts.SourceFile, name: string): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && n.text === name && refersToBinding(n)) out.push(n);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** Every identifier of the file that may refer to `decl` (a type query `typeof x` and an `export { x }` too). */
function usesOfDeclaration(sf: ts.SourceFile, decl: ts.VariableDeclaration & { name: ts.Identifier }): ts.Identifier[] {
  const name = decl.name.text;
  const out: ts.Identifier[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && n.text === name && n !== decl.name && refersToBinding(n)) {
      const d = declarationOf(n);
      // A name declarationOf cannot place (a type, a global) is counted: a use kept keeps the declaration.
      if (d === decl || d === undefined) out.push(n);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** Is the word `name` in the text (as an identifier, not part of a longer one)? */
export function mentions(text: string, name: string): boolean {
  return new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(text);
}

/** The edit that replaces the range around `id`, if one does (and its new text does not name it again). */
function replacing(edits: readonly Edit[], sf: ts.SourceFile, id: ts.Identifier): Edit | undefined {
  const start = id.getStart(sf);
  return edits.find((e) => e.end > e.start && e.start <= start && id.end <= e.end && !mentions(e.text, id.text));
}

/** Does an edit overlap `[start, end)` (an insertion strictly inside it, or a replaced range meeting it)? */
export function overlaps(edits: readonly Edit[], start: number, end: number): boolean {
  return edits.some((e) => (e.start === e.end ? e.start > start && e.start < end : e.start < end && e.end > start));
}

/**
 * The edit removing a statement's lines: from its line's start to the next line's (and a blank line after it when one
 * is before it too), when nothing but blanks shares them (a comment on the line before stays); undefined otherwise.
 */
function lineRemoval(text: string, st: ts.Statement, sf: ts.SourceFile): Edit | undefined {
  const start = st.getStart(sf);
  const from = lineStartOf(text, start);
  if (text.slice(from, start).trim() !== '') return undefined;
  const end = statementEnd(st, text);
  const rest = /^[ \t]*(\r?\n|$)/.exec(text.slice(end));
  if (!rest) return undefined;
  let to = end + rest[0].length;
  // Between two blank lines: one of them goes too.
  const blank = /^[ \t]*\r?\n/.exec(text.slice(to));
  if (blank && from > 0 && text.slice(lineStartOf(text, from - 1), from).trim() === '') to += blank[0].length;
  return { start: from, end: to, text: '' };
}

/** The identifiers an expression refers to (property names aside). */
function namesIn(e: ts.Node): string[] {
  const out = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && refersToBinding(n)) out.add(n.text);
    ts.forEachChild(n, visit);
  };
  visit(e);
  return [...out];
}

/**
 * The lookup declarations of the file whose every use one of `edits` replaces (see above), each with the edit that
 * removes it; none that an edit already touches.
 */
export function droppedLookups(sf: ts.SourceFile, text: string, edits: readonly Edit[]): DroppedLookup[] {
  const out: DroppedLookup[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isVariableStatement(n)) {
      const dropped = droppable(sf, text, n, edits);
      if (dropped) out.push(dropped);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

function droppable(sf: ts.SourceFile, text: string, st: ts.VariableStatement, edits: readonly Edit[]): DroppedLookup | undefined {
  const list = st.declarationList;
  if (!(list.flags & ts.NodeFlags.Const) || list.declarations.length !== 1) return undefined;
  if (st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DeclareKeyword)) return undefined;
  const decl = list.declarations[0];
  if (!ts.isIdentifier(decl.name) || !decl.initializer) return undefined;
  if (!lookedUpName(decl.initializer)) return undefined;
  const uses = usesOfDeclaration(sf, decl as ts.VariableDeclaration & { name: ts.Identifier });
  const by = uses.map((u) => replacing(edits, sf, u));
  if (uses.length === 0 || by.some((e) => !e)) return undefined;
  const removal = lineRemoval(text, st, sf);
  if (!removal || overlaps(edits, removal.start, removal.end)) return undefined;
  // Applied only with every replacing edit: the tables all of them serve (an edit of a table left unfixed keeps a use);
  // uses replaced for different tables (a lookup two tables share): none alone, only the fix of them all (tables: []).
  const tables = common(by.map((e) => e!.tables));
  const edit = tables ? { ...removal, tables } : removal;
  return { statement: st, edit, names: [...new Set([...namesIn(decl.initializer), ...(decl.type ? namesIn(decl.type) : [])])] };
}

/** The tables every one of these lists names (undefined: a list of every table, as an edit without tables serves). */
export function common(lists: (readonly string[] | undefined)[]): string[] | undefined {
  let out: string[] | undefined;
  for (const l of lists) if (l) out = out ? out.filter((t) => l.includes(t)) : [...l];
  return out;
}

/**
 * The names used by lookups written in place that an edit replaces (`encryptionKey: Alias.fromAliasName(this, 'K',
 * 'alias/aws/dynamodb')`: `Alias`), imports the fix may leave unused as a removed declaration's, and those edits.
 */
export function replacedLookups(sf: ts.SourceFile, edits: readonly Edit[]): { names: string[]; by: Edit[] } {
  const names = new Set<string>();
  const by = new Set<Edit>();
  const visit = (n: ts.Node): void => {
    if ((ts.isCallExpression(n) || ts.isNewExpression(n)) && lookedUpName(n)?.call === n) {
      const start = n.getStart(sf);
      const edit = edits.find((e) => e.end > e.start && e.start <= start && n.end <= e.end);
      if (edit) {
        by.add(edit);
        for (const x of namesIn(n)) names.add(x);
      }
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return { names: [...names], by: [...by] };
}

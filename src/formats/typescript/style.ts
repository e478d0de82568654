/**
 * The style of one TypeScript file, read from its own syntax tree: indentation unit, quotes,
 * semicolons, trailing commas, line endings. Inserted code follows it; nothing is printed by the compiler.
 */
import { detectEol, lineIndentOf, lineStartOf } from '../../core/text.js';
import { ts } from './parse.js';

export interface TsStyle {
  eol: '\n' | '\r\n';
  indent: string;
  /** Quotes of the code's own strings (module specifiers aside). */
  quote: "'" | '"';
  /** Quotes of the file's import declarations, which new imports follow. */
  importQuote: "'" | '"';
  semi: boolean;
  /** Spaces inside a one-line named-import list's braces (`{ A }`; Prettier's bracketSpacing: false writes `{A}`), as the file's imports have them. */
  importBraceSpace: boolean;
  /** Semicolons after the file's import declarations, which new imports follow (a file may end its imports with `;` and nothing else). */
  importSemi: boolean;
  /** After the last item of a multi-line object, array or import list. */
  trailingComma: boolean;
  /**
   * After the last argument (or parameter) of a multi-line call or function: read apart, as Prettier's
   * `es5` writes them in objects and arrays and not in calls (`all` in both, `none` in neither).
   */
  trailingCommaArgs: boolean;
  /** The line width new code fits in before it breaks: Prettier's printWidth, when the project sets one, else 80. */
  width: number;
  /** The columns a tab takes in that width: Prettier's tabWidth, in a Prettier project; else a tab counts as one. */
  tabWidth?: number;
  /**
   * A Prettier project: a call's object argument hugs its parentheses only when it is the last argument (Prettier
   * breaks `new aws.kms.Key(name, {...}, { parent: this })` one argument a line; Pulumi's own code hugs the middle one).
   */
  prettier?: boolean;
}

function bump<T>(m: Map<T, number>, k: T): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

function mostCommon<T>(m: Map<T, number>, fallback: T): T {
  let best = fallback;
  let n = 0;
  for (const [k, c] of m) if (c > n || (c === n && typeof k === 'number' && typeof best === 'number' && k < best)) [best, n] = [k, c];
  return best;
}

const SEMI_KINDS = new Set([
  ts.SyntaxKind.ImportDeclaration,
  ts.SyntaxKind.ImportEqualsDeclaration,
  ts.SyntaxKind.VariableStatement,
  ts.SyntaxKind.ExpressionStatement,
  ts.SyntaxKind.ReturnStatement,
  ts.SyntaxKind.ExportDeclaration,
  ts.SyntaxKind.ExportAssignment,
]);

export function detectTsStyle(sf: ts.SourceFile): TsStyle {
  const text = sf.text;
  let single = 0;
  let double = 0;
  let importSingle = 0;
  let importDouble = 0;
  let semi = 0;
  let importSemi = 0;
  let importSpaced = 0;
  let importTight = 0;
  let importNoSemi = 0;
  let noSemi = 0;
  let trailing = 0;
  let noTrailing = 0;
  let argsTrailing = 0;
  let argsNoTrailing = 0;
  const steps = new Map<number, number>();
  let tabs = 0;
  let spaces = 0;

  const onLineOf = (a: number, b: number) => lineStartOf(text, a) === lineStartOf(text, b);

  /** A multi-line list: its items' indent relative to the line that opens it; does it end with a comma? */
  const list = (open: number, items: ts.NodeArray<ts.Node>, close: number, commas = true): void => {
    if (items.length === 0) return;
    const first = items[0].getStart(sf);
    if (onLineOf(open, first)) return;
    const outer = lineIndentOf(text, open);
    const inner = lineIndentOf(text, first);
    if (inner.startsWith('\t')) tabs++;
    else if (inner.startsWith(' ')) spaces++;
    if (inner.length > outer.length && inner.startsWith(outer)) bump(steps, inner.length - outer.length);
    const last = items[items.length - 1];
    if (commas && !onLineOf(last.end, close)) {
      if (items.hasTrailingComma) trailing++;
      else noTrailing++;
    }
  };

  const K = ts.SyntaxKind;
  const visit = (node: ts.Node): void => {
    const kind = node.kind;
    if (kind === K.StringLiteral) {
      // `import x = require('m')`: its string is a module specifier too.
      const parent = node.parent;
      const specifier =
        !!parent && (ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent) || ts.isExternalModuleReference(parent));
      if (!specifier) {
        if (text[node.getStart(sf)] === '"') double++;
        else single++;
      } else if (!ts.isExportDeclaration(parent)) {
        if (text[node.getStart(sf)] === '"') importDouble++;
        else importSingle++;
      }
    } else if (SEMI_KINDS.has(kind)) {
      if (text[node.end - 1] === ';') semi++;
      else noSemi++;
      if (kind === ts.SyntaxKind.ImportDeclaration) {
        const named = (node as ts.ImportDeclaration).importClause?.namedBindings;
        if (named && ts.isNamedImports(named) && named.elements.length > 0) {
          const braces = text.slice(named.getStart(sf), named.end);
          if (!braces.includes('\n')) {
            if (braces[1] === ' ') importSpaced++;
            else importTight++;
          }
        }
        // A `;` on a later line is the next statement's guard (`;(globalThis as any).x = 1`), not this import's.
        const spec = (node as ts.ImportDeclaration).moduleSpecifier.end;
        if (text[node.end - 1] === ';' && !text.slice(spec, node.end).includes('\n')) importSemi++;
        else importNoSemi++;
      }
    }
    switch (kind) {
      case K.ObjectLiteralExpression:
        list(node.getStart(sf), (node as ts.ObjectLiteralExpression).properties, node.end - 1);
        break;
      case K.ArrayLiteralExpression:
        list(node.getStart(sf), (node as ts.ArrayLiteralExpression).elements, node.end - 1);
        break;
      case K.Block:
      case K.ModuleBlock:
        list(node.getStart(sf), (node as ts.Block | ts.ModuleBlock).statements, node.end - 1, false);
        break;
      case K.ClassDeclaration:
      case K.ClassExpression: {
        // A class expression has the same members.
        const members = (node as ts.ClassDeclaration).members;
        list(members.pos - 1, members, node.end - 1, false);
        break;
      }
      case K.CallExpression:
      case K.NewExpression: {
        const call = node as ts.CallExpression | ts.NewExpression;
        if (call.arguments && call.arguments.length > 0) {
          const open = text.indexOf('(', call.expression.end);
          if (!onLineOf(open, call.arguments[0].getStart(sf))) {
            const last = call.arguments[call.arguments.length - 1];
            if (!onLineOf(last.end, node.end - 1)) {
              if (call.arguments.hasTrailingComma) argsTrailing++;
              else argsNoTrailing++;
            }
          }
        }
        break;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);

  const unit = mostCommon(steps, 2);
  // Each kind of string falls back on the other when the file has none of it.
  const quote = double + single > 0 ? (double > single ? '"' : "'") : importDouble > importSingle ? '"' : "'";
  const importQuote = importDouble + importSingle > 0 ? (importDouble > importSingle ? '"' : "'") : quote;
  return {
    eol: detectEol(text),
    indent: tabs > spaces ? '\t' : ' '.repeat(unit > 0 && unit <= 8 ? unit : 2),
    quote,
    importQuote,
    semi: semi >= noSemi,
    importSemi: importSemi + importNoSemi > 0 ? importSemi >= importNoSemi : semi >= noSemi,
    importBraceSpace: importSpaced >= importTight,
    // A kind the file shows no multi-line list of follows the other.
    trailingComma: trailing + noTrailing > 0 ? trailing >= noTrailing : argsTrailing >= argsNoTrailing,
    trailingCommaArgs: argsTrailing + argsNoTrailing > 0 ? argsTrailing >= argsNoTrailing : trailing >= noTrailing,
    width: 80,
  };
}

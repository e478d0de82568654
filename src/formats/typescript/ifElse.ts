/**
 * serverless-plugin-ifelse in a serverless.ts (src/rule/ifElse.ts says what its entries do; a
 * serverless.yml's: src/formats/cloudformation/ifElse.ts): the entries of the `serverlessIfElse`
 * array of a file whose plugins list the plugin, read only when the text names serverlessIfElse.
 * A path in a template literal reads its `${...}` as a Serverless variable (any key). What kmsfix
 * cannot read (a const, a spread, a computed value) blocks every table of the file.
 */
import { ifElseExclude } from '../../rule/blockers.js';
import { IFELSE_PLUGIN } from '../../rule/facts.js';
import { IFELSE_CONFIG, applyIfElse, ifElseEffect, ifElseEntry, ifElseLists, keyedList, type IfElseEntry } from '../../rule/ifElse.js';
import type { TsTable } from './tableTypes.js';
import { propertyName, stringValue, ts, unwrap } from './parse.js';

/** The tables' obstacles and unknown encryption from the file's entries (`plugins`: its plugin lists; `id`: a table's logical ID, its address before `#2`s). */
export function applyServiceIfElse(sf: ts.SourceFile, tables: TsTable[], plugins: string[][], id: (t: TsTable) => string): void {
  if (tables.length === 0 || !sf.text.includes('serverlessIfElse') || !plugins.some((names) => names.includes(IFELSE_PLUGIN))) return;
  const config = configOf(sf);
  if (config === undefined) return;
  const entries = entriesOf(sf, config);
  for (const t of tables) {
    if (typeof entries === 'string') t.encryption.obstacles.push(ifElseExclude(entries, 'unread'));
    else applyIfElse(t.encryption, ifElseEffect(entries, [['resources', 'Resources', id(t)]], t.type === 'AWS::DynamoDB::GlobalTable'));
  }
}

/** The value of the file's first `serverlessIfElse:` property. */
function configOf(sf: ts.SourceFile): ts.Expression | undefined {
  let found: ts.Expression | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAssignment(n) && propertyName(n.name) === 'serverlessIfElse') found = unwrap(n.initializer);
    else ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

/** A path as written: a string, or a template literal whose `${...}` stay (variables). */
function pathOf(sf: ts.SourceFile, node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isComputedPropertyName(node)) return pathOf(sf, unwrap(node.expression));
  if (ts.isTemplateExpression(node)) return node.getText(sf).slice(1, -1);
  if (ts.isIdentifier(node) || ts.isNumericLiteral(node)) return node.text;
  return stringValue(node);
}

const clip = (sf: ts.SourceFile, n: ts.Node) => {
  const s = n.getText(sf).replace(/\s+/g, ' ');
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

/** The entries; a string (where, as written) when kmsfix cannot read them. */
function entriesOf(sf: ts.SourceFile, config: ts.Expression): IfElseEntry[] | string {
  if (!ts.isArrayLiteralExpression(config)) return `${IFELSE_CONFIG}: ${clip(sf, config)}`;
  const out: IfElseEntry[] = [];
  for (const [i, raw] of config.elements.entries()) {
    const item = ts.isSpreadElement(raw) ? raw : unwrap(raw);
    const at = `${IFELSE_CONFIG}[${i}]`;
    if (
      !ts.isObjectLiteralExpression(item) ||
      item.properties.some((p) => !ts.isPropertyAssignment(p) || propertyName(p.name) === undefined)
    )
      return `${at}: ${clip(sf, item)}`;
    const props = new Map(item.properties.map((p) => [propertyName(p.name!)!, unwrap((p as ts.PropertyAssignment).initializer)]));
    for (const list of ifElseLists(props.has('If'))) {
      const value = props.get(list);
      if (value === undefined || value.kind === ts.SyntaxKind.NullKeyword) continue;
      const where = `${at}.${list}`;
      let paths: (string | undefined)[];
      if (keyedList(list)) {
        if (!ts.isObjectLiteralExpression(value)) return `${where}: ${clip(sf, value)}`;
        paths = value.properties.map((p) => (ts.isPropertyAssignment(p) ? pathOf(sf, p.name) : undefined));
      } else
        paths = ts.isArrayLiteralExpression(value)
          ? value.elements.map((e) => (ts.isSpreadElement(e) ? undefined : pathOf(sf, unwrap(e))))
          : [pathOf(sf, value)];
      for (const path of paths) {
        if (path === undefined) return `${where}: ${clip(sf, value)}`;
        out.push(ifElseEntry(where, list, path));
      }
    }
  }
  return out;
}

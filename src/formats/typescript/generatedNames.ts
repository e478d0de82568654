/** The names of the code a TypeScript fix writes: variables, construct ids and names, and the key's description. */
import { describeKey } from '../../rule/keySettings.js';
import { quote, raw, str, type Code } from './code.js';
import type { TsTable } from './tableTypes.js';
import { declaredName } from './holders.js';
import { templatePart } from './keys.js';
import { stringValue, ts } from './parse.js';

/**
 * An id in camelCase, an acronym as one word (`IDS-Simulations-Table` -> `idsSimulationsTable`,
 * `URLTable` -> `urlTable`, `user-ID` -> `userId`).
 */
function camelName(s: string): string {
  const words = s.split(/[^A-Za-z0-9]+/).filter(Boolean);
  if (words.length === 0) return 'table';
  const acronym = (w: string) => w.length > 1 && /^[A-Z0-9]+$/.test(w) && /[A-Z]/.test(w);
  const first = (w: string) => (acronym(w) ? w.toLowerCase() : w.replace(/^[A-Z]+(?=[A-Z][a-z])|^[A-Z]/, (m) => m.toLowerCase()));
  const next = (w: string) => (acronym(w) ? w[0] + w.slice(1).toLowerCase() : w[0].toUpperCase() + w.slice(1));
  const joined = words.map((w, i) => (i === 0 ? first(w) : next(w))).join('');
  return /^[0-9]/.test(joined) ? 'table' + joined : joined;
}

/** The id / name of a new construct: the table's, with a suffix, as code. */
export function derivedId(sf: ts.SourceFile, idNode: ts.Expression, suffix: string, q: "'" | '"', uniqueId: (s: string) => string): Code {
  const v = stringValue(idNode);
  if (v !== undefined) return raw(quote(uniqueId(v + suffix), q));
  if (ts.isTemplateExpression(idNode)) {
    const t = idNode.getText(sf);
    return raw(t.slice(0, -1) + suffix + '`');
  }
  return raw('`${' + idNode.getText(sf) + '}' + suffix + '`');
}

/**
 * The base of the variable names for a table's key and binding: its id in camelCase; a template id
 * by its text around the substitutions when it has some (`${name}-orders` -> `orders`).
 */
export function varBase(sf: ts.SourceFile, t: TsTable): string {
  const id = t.idNode!;
  /** The variable that holds the table. */
  const holder = () => declaredName(t.node)?.replace(/^this\./, '');
  if (ts.isTemplateExpression(id)) {
    const fixed = id
      .getText(sf)
      .slice(1, -1)
      .replace(/\$\{[^}]*\}/g, ' ');
    if (/[A-Za-z]/.test(fixed)) return camelName(fixed);
    // All of it expressions (`${props.stage}${props.serviceName}${key}`): spelt out, the name read like a typo
    // (`propsStagePropsServiceNameKeyKey`); the holder, else `table`.
    return holder() ?? 'table';
  }
  // An id held in a constant (`new Table(this, ORDERS_TABLE, ...)`): the holder reads better.
  return (stringValue(id) === undefined && holder()) || camelName(tableLabel(sf, t));
}

/** The table as the program names it: its id's value, or the id expression as written (never an address with `#2`). */
function tableLabel(sf: ts.SourceFile, t: TsTable): string {
  return stringValue(t.idNode) ?? t.idNode!.getText(sf);
}

/** The key's description (the key settings' template); a table whose id is computed is named by the same expression. */
export function describe(sf: ts.SourceFile, tables: TsTable[], template: string | undefined): Code {
  const id = tables.length === 1 ? tables[0].idNode : undefined;
  if (!id || stringValue(id) !== undefined)
    return str(
      describeKey(
        tables.map((t) => tableLabel(sf, t)),
        template,
      ),
    );
  const inner = ts.isTemplateExpression(id) ? id.getText(sf).slice(1, -1) : '${' + id.getText(sf) + '}';
  return raw('`' + describeKey(['\0'], template).split('\0').map(templatePart).join(inner) + '`');
}

/**
 * `Orders` -> `OrdersKey`, `orders-table` -> `orders-table-key`; Pulumi's lower-case names get `-key`.
 * A template id is judged by its text around the substitutions (`${name}-orders` -> `-key`).
 */
export function nameSuffix(idNode: ts.Expression, pulumi: boolean, word: 'key' | 'alias'): string {
  const id =
    stringValue(idNode) ??
    (ts.isTemplateExpression(idNode)
      ? idNode
          .getText()
          .slice(1, -1)
          .replace(/\$\{[^}]*\}/g, 'x')
      : undefined);
  const cap = word[0].toUpperCase() + word.slice(1);
  if (id !== undefined && /^[a-z0-9]+([-_][a-z0-9]+)+$/.test(id)) return (id.includes('_') && !id.includes('-') ? '_' : '-') + word;
  // Capitalized words joined by hyphens (`IDS-Simulations-Table`): one more (`-Key`).
  if (id !== undefined && /^[A-Z0-9][A-Za-z0-9]*(-[A-Z0-9][A-Za-z0-9]*)+$/.test(id)) return '-' + cap;
  if (pulumi && id !== undefined && !/[A-Z]/.test(id)) return '-' + word;
  return cap;
}

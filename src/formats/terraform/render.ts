/**
 * Rendering new HCL blocks as `terraform fmt` writes them: one attribute a line, `=` aligned in
 * runs of consecutive attributes, a blank line before nested blocks. Values are raw expressions.
 */
import { terraformLiteral } from '../../rule/keySettings.js';
import { POLICY_DOCUMENT_SKIPS, keyPolicy, splitPlaceholders, type KeyPolicyMode, type Placeholder } from '../../rule/keyPolicy.js';

export type RItem =
  | { attr: string; value: string }
  | { block: RBlock }
  | { blank: true }
  | { comment: string }
  | { map: string; entries: [string, string][]; mergedInto?: string };

export interface RBlock {
  type: string;
  labels: string[];
  body: RItem[];
}

/** Pad names so that `=` lines up as terraform fmt does (runs broken by blank lines and blocks). */
export function alignRun(names: string[]): string[] {
  const width = Math.max(0, ...names.map((n) => n.length));
  return names.map((n) => n + ' '.repeat(width - n.length));
}

/** The lines of attribute assignments, aligned as one run. */
export function attrLines(attrs: { attr: string; value: string }[], indent: string): string[] {
  const names = alignRun(attrs.map((a) => a.attr));
  return attrs.map((a, i) => `${indent}${names[i]} = ${a.value}`);
}

export function renderBlockLines(b: RBlock, indent: string, unit: string): string[] {
  const head = `${indent}${b.type}${b.labels.map((l) => ` ${JSON.stringify(l)}`).join('')} {`;
  if (b.body.length === 0) return [head + '}'];
  const inner = indent + unit;
  const out = [head];
  let run: { attr: string; value: string }[] = [];
  const flush = () => {
    out.push(...attrLines(run, inner));
    run = [];
  };
  for (const item of b.body) {
    if ('attr' in item) {
      run.push(item);
    } else if ('blank' in item) {
      flush();
      out.push('');
    } else if ('comment' in item) {
      flush();
      out.push(`${inner}# ${item.comment}`);
    } else if ('map' in item) {
      flush();
      out.push(...mapLines(item.map, item.entries, inner, unit, item.mergedInto));
    } else {
      flush();
      out.push(...renderBlockLines(item.block, inner, unit));
    }
  }
  flush();
  out.push(indent + '}');
  return out;
}

/** An object key: a bare identifier when it is one, else a string. */
export function hclKey(k: string): string {
  return /^[A-Za-z_]\w*$/.test(k) ? k : hclString(k);
}

/**
 * `name = { k = "v" ... }` with string values, as terraform fmt writes it (keys aligned); `{}` when empty.
 * `mergedInto`: an expression the map is merged into, `name = merge(<expression>, { ... })`.
 */
export function mapLines(name: string, entries: [string, string][], indent: string, unit: string, mergedInto?: string): string[] {
  const keys = alignRun(entries.map(([k]) => hclKey(k)));
  if (mergedInto?.includes('\n') && entries.length > 0) {
    // One argument a line, the expression's lines one level deeper (after a map of several lines, terraform fmt
    // would indent `}, {` again).
    const arg = indent + unit;
    const expression = mergedInto.split('\n').map((l, i) => (i === 0 ? arg + l : l.trim() === '' ? '' : unit + l));
    return [
      `${indent}${name} = merge(`,
      ...expression.slice(0, -1),
      `${expression[expression.length - 1]},`,
      `${arg}{`,
      ...entries.map(([, v], i) => `${arg}${unit}${keys[i]} = ${hclString(v)}`),
      `${arg}},`,
      `${indent})`,
    ];
  }
  const [open, close] = mergedInto === undefined ? ['', ''] : [`merge(${mergedInto}, `, ')'];
  if (entries.length === 0) return [`${indent}${name} = ${open}{}${close}`];
  return [
    `${indent}${name} = ${open}{`,
    ...entries.map(([, v], i) => `${indent}${unit}${keys[i]} = ${hclString(v)}`),
    `${indent}}${close}`,
  ];
}

/** An HCL string literal. */
export function hclString(s: string): string {
  return '"' + terraformLiteral(s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')) + '"';
}

/** Expressions for the placeholders of the key policy. */
export type PlaceholderExprs = Record<Placeholder, string>;

/** A quoted string without interpolation (`"eu-west-2"`), whose text goes into a template as it is. */
const PLAIN_STRING = /^"(?:[^"\\$%]|\\.|\$(?!\{)|%(?!\{))*"$/;

/**
 * A template string with placeholders, as an HCL expression (a bare reference when it is only one).
 * A placeholder whose expression is a plain string (a key's literal `region`) is written into the
 * template as text: `"dynamodb.eu-west-2.amazonaws.com"`.
 */
export function templateExpr(template: string, exprs: PlaceholderExprs): string {
  const parts = splitPlaceholders(template);
  if (parts.length === 1 && typeof parts[0] !== 'string') return exprs[parts[0].placeholder];
  let s = '"';
  for (const p of parts) {
    const expr = typeof p === 'string' ? undefined : exprs[p.placeholder].trim();
    s += expr === undefined ? hclString(p as string).slice(1, -1) : PLAIN_STRING.test(expr) ? expr.slice(1, -1) : '${' + expr + '}';
  }
  return s + '"';
}

function list(values: string[]): string {
  return `[${values.join(', ')}]`;
}

/** The key policy (src/rule/keyPolicy.ts) as a `data "aws_iam_policy_document"` block. */
export function policyDocument(name: string, exprs: PlaceholderExprs, mode: KeyPolicyMode, denyDirectGrants = false): RBlock {
  // Checkov reads every policy document as an IAM policy; these lines must sit inside the block.
  const body: RItem[] = POLICY_DOCUMENT_SKIPS.rules.map((id) => ({ comment: `checkov:skip=${id}:${POLICY_DOCUMENT_SKIPS.reason}` }));
  for (const s of keyPolicy(mode, denyDirectGrants)) {
    const principal =
      'aws' in s.principal
        ? { type: 'AWS', id: templateExpr(s.principal.aws, exprs) }
        : { type: 'Service', id: templateExpr(s.principal.service, exprs) };
    const st: RItem[] = [
      { attr: 'sid', value: hclString(s.sid) },
      { attr: 'effect', value: hclString(s.effect ?? 'Allow') },
      { attr: 'actions', value: list(s.actions.map(hclString)) },
      { attr: 'resources', value: list([hclString('*')]) },
      { blank: true },
      {
        block: {
          type: 'principals',
          labels: [],
          body: [
            { attr: 'type', value: hclString(principal.type) },
            { attr: 'identifiers', value: list([principal.id]) },
          ],
        },
      },
    ];
    const conditions = [
      ...Object.entries(s.stringEquals ?? {}).map(([variable, value]) => ['StringEquals', variable, templateExpr(value, exprs)]),
      ...Object.entries(s.boolIfExists ?? {}).map(([variable, value]) => ['BoolIfExists', variable, hclString(value)]),
    ];
    for (const [test, variable, value] of conditions) {
      st.push({ blank: true });
      st.push({
        block: {
          type: 'condition',
          labels: [],
          body: [
            { attr: 'test', value: hclString(test) },
            { attr: 'variable', value: hclString(variable) },
            { attr: 'values', value: list([value]) },
          ],
        },
      });
    }
    if (body.some((i) => 'block' in i)) body.push({ blank: true });
    body.push({ block: { type: 'statement', labels: [], body: st } });
  }
  return { type: 'data', labels: ['aws_iam_policy_document', name], body };
}

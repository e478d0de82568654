/**
 * Terraform's `aws_cloudformation_stack` resources, as far as the parameters they pass a template go (real-world
 * round 38, F3): `parameters = { TableKeyArn = "alias/aws/dynamodb" }` is what CloudFormation deploys the template
 * with, over each parameter's Default. The template is the stack's `template_body`: a heredoc in the resource (the
 * Terraform family's embedded bodies), or `file("${path.module}/table.yaml")` / `templatefile(...)` naming a file
 * (the CloudFormation family reads it, and looks for the stacks that name it: cfn-values/environments.ts). Read from
 * the text with a small scanner (strings, heredocs and comments skipped), shared by both families: neither may import
 * the other's parser.
 */
import { quotedEnd } from './hclStrings.js';

/** The parameters one stack passes: literal strings by name, anything else as written; `unreadable`: a map kmsfix cannot read. */
export interface StackParameters {
  /** The stack, as a message names it (`aws_cloudformation_stack.tables`). */
  stack: string;
  values: Map<string, string>;
  computed: Map<string, string>;
  /** Why no parameter can be known (`parameters = var.params`). */
  unreadable?: string;
}

/** One `aws_cloudformation_stack` of a file: its body's text and offset, its `template_body` as written, its parameters. */
export interface TerraformStack {
  name: string;
  /** Offsets of the body in the file (between its braces). */
  start: number;
  end: number;
  /** `template_body` as written (up to its line's end, or a heredoc's marker). */
  templateBody?: string;
  parameters: StackParameters;
}

/** Where the text at `i` skips to when it is a string, heredoc or comment (else i). */
function skip(text: string, i: number): number {
  const c = text[i];
  // A string to its closing quote, its `${...}` skipped whole (hclStrings.ts); an unclosed one to its line's end.
  if (c === '"') return quotedEnd(text, i, true);
  if (c === '#' || (c === '/' && text[i + 1] === '/')) {
    const nl = text.indexOf('\n', i);
    return nl < 0 ? text.length : nl;
  }
  if (c === '/' && text[i + 1] === '*') {
    const close = text.indexOf('*/', i + 2);
    return close < 0 ? text.length : close + 2;
  }
  if (c === '<' && text[i + 1] === '<') {
    const m = /^<<-?([A-Za-z_][\w-]*)[ \t]*\r?\n/.exec(text.slice(i, i + 80));
    if (m) {
      const end = new RegExp(`\\n[ \\t]*${m[1]}[ \\t]*(\\r?\\n|$)`, 'g');
      end.lastIndex = i + m[0].length - 1;
      const close = end.exec(text);
      return close ? close.index + close[0].length - (close[1] ? close[1].length : 0) : text.length;
    }
  }
  return i;
}

/**
 * The offset of the bracket that closes the one at `open` (text.length when none does), strings, heredocs and comments
 * skipped: also the Terraform family's reading of a provider's nested blocks (terraform/sessionPolicy.ts).
 */
export function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; ) {
    const next = skip(text, i);
    if (next !== i) {
      i = next;
      continue;
    }
    const c = text[i];
    if (c === '{' || c === '[' || c === '(') depth++;
    else if (c === '}' || c === ']' || c === ')') {
      depth--;
      if (depth === 0) return i;
    }
    i++;
  }
  return text.length;
}

/** The top-level `name = value` items of a body (`start`..`end`): each name and its value as written. */
function items(text: string, start: number, end: number): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  let i = start;
  while (i < end) {
    const m = /^[\s,]*(?:"([^"\n]+)"|([A-Za-z_][\w-]*))\s*[=:](?!=)\s*/.exec(text.slice(i, Math.min(end, i + 400)));
    if (!m) {
      // Not an item (a nested block's header, a comment): to the next line.
      const after = skip(text, i);
      if (after !== i) {
        i = after;
        continue;
      }
      const nl = text.indexOf('\n', i);
      i = nl < 0 || nl >= end ? end : nl + 1;
      continue;
    }
    const from = i + m[0].length;
    let j = from;
    while (j < end && text[j] !== '\n' && text[j] !== ',') {
      const next = skip(text, j);
      if (next !== j) {
        // A comment ends the value.
        if (text[j] === '#' || text[j] === '/') break;
        j = next;
        continue;
      }
      if (text[j] === '{' || text[j] === '[' || text[j] === '(') j = closing(text, j) + 1;
      else j++;
    }
    out.push({ name: m[1] ?? m[2], value: text.slice(from, j).trim() });
    i = j + 1;
  }
  return out;
}

/** A quoted string without interpolation, as its value; undefined for anything else. */
export function literalString(value: string): string | undefined {
  const m = /^"((?:[^"\\$%]|\\.|\$(?!\{)|%(?!\{))*)"$/.exec(value.trim());
  return m ? m[1].replace(/\\(.)/g, '$1') : undefined;
}

/** The `parameters` a stack's body passes. */
function parametersOf(text: string, start: number, end: number, stack: string): StackParameters {
  const out: StackParameters = { stack, values: new Map(), computed: new Map() };
  const item = items(text, start, end).find((x) => x.name === 'parameters');
  if (!item) return out;
  const v = item.value;
  if (!v.startsWith('{')) {
    out.unreadable = `${stack} passes parameters = ${v.split('\n')[0]}, which kmsfix does not read`;
    return out;
  }
  const open = text.indexOf('{', text.indexOf(v, start));
  const close = closing(text, open);
  for (const p of items(text, open + 1, close)) {
    const lit = literalString(p.value);
    if (lit !== undefined) out.values.set(p.name, lit);
    else out.computed.set(p.name, p.value);
  }
  return out;
}

/** Every `resource "aws_cloudformation_stack" "<name>"` of a file's text. */
export function terraformStacks(text: string): TerraformStack[] {
  if (!text.includes('aws_cloudformation_stack')) return [];
  const out: TerraformStack[] = [];
  const re = /(^|\n)[ \t]*resource\s+"aws_cloudformation_stack"\s+"([^"]+)"\s*\{/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const open = m.index + m[0].length - 1;
    const close = closing(text, open);
    const stack = `aws_cloudformation_stack.${m[2]}`;
    const body = items(text, open + 1, close).find((x) => x.name === 'template_body');
    out.push({
      name: stack,
      start: open + 1,
      end: close,
      templateBody: body?.value,
      parameters: parametersOf(text, open + 1, close, stack),
    });
    re.lastIndex = close;
  }
  return out;
}

/**
 * The file a stack's `template_body` reads, relative to the .tf file's folder: `file("${path.module}/t.yaml")`,
 * `file("t.yaml")`, `templatefile("${path.module}/t.yaml", {...})`; undefined for anything else (a heredoc, a local).
 */
export function templateFileOf(templateBody: string | undefined): string | undefined {
  const m = /^(?:file|templatefile)\(\s*"([^"]+)"/.exec(templateBody ?? '');
  if (!m) return undefined;
  const rel = m[1].replace(/^\$\{path\.(?:module|root|cwd)\}\/?/, '');
  return rel.includes('${') ? undefined : rel;
}

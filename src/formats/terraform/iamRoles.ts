/**
 * The roles a module grants DynamoDB actions on a table and no KMS action (EncryptionFacts.cautions
 * `iam-roles`): with `--key-policy iam` the generated key's policy leaves every use of the key to IAM, and
 * DynamoDB asks KMS for the table's key as each caller, so such a role gets AccessDeniedException once the
 * fix is applied (the rule words the caution under `iam` only: src/rule/evaluate.ts). The Terraform side of
 * src/formats/cfn-values/iamRoles.ts, which says why kmsfix stays conservative.
 *
 * Read for a module with a table a fix would change, and only when one of its files names a DynamoDB action
 * or an AWS managed DynamoDB policy; from the blocks of the module's files that name `aws_iam_`. A role
 * (`aws_iam_role`) gets the statements of its `inline_policy` blocks, of each `aws_iam_role_policy` whose
 * `role` names it, of each `aws_iam_policy` an `aws_iam_role_policy_attachment` or `aws_iam_policy_attachment`
 * (or its `managed_policy_arns`) attaches to it, and of each `data "aws_iam_policy_document"` those name
 * (`.json`, and in `source_policy_documents`), whether written as `statement {}` blocks, `jsonencode({...})`
 * or a heredoc. A statement names the table by its address (`aws_dynamodb_table.orders.arn`, also in
 * `"${...}/index/*"`; `module.orders.dynamodb_table_arn` for a registry module's table), by `"*"`, or by an
 * ARN whose table part matches its literal name (`table/*`, `table/orders`) or, for a table named by the
 * module's variables or locals (`name = var.table_name`, `"${var.env}-orders"`), is written the same way
 * (`table/${var.table_name}`): one value in one module instance.
 *
 * Statements are read from the text (each `{...}` that holds an `actions` or `Action` of its own), not
 * evaluated: a role whose policies kmsfix cannot read (an attached policy from elsewhere, an action or
 * policy given by a variable or a template, a `not_actions` Allow) is not named, nor is a role named by a
 * literal or a variable, outside the module. Strings are read as HCL reads them (src/core/hclStrings.ts): a
 * quote inside `${...}` does not end one.
 */
import path from 'node:path';
import { quotedEnd, quotedStrings } from '../../core/hclStrings.js';
import { decide, fixWanted } from '../../rule/cmk.js';
import { WAIVABLE } from '../../rule/blockers.js';
import { escapeRegExp, globMatcher, LineIndex } from '../../core/text.js';
import type { DiskContext, SourceFile } from '../../core/types.js';
import { managedPolicy } from '../../rule/managedPolicies.js';
import type { TfDetection, TfTable } from './detect.js';
import { attr } from './parse.js';
import { holdsWord, siblingBlocks, summarize, type TopBlock } from './topBlocks.js';
import { ownPrincipals } from './resourcePolicy.js';

/** A module file that may grant DynamoDB: the cheap test before its blocks are read. */
const MAY_GRANT = /dynamodb:|AmazonDynamoDB|AWSLambdaDynamoDB/i;
const WORD = 'aws_iam_';

interface Block {
  b: TopBlock;
  /** The file's name from the table's folder, and its lines. */
  shown: string;
  lines?: LineIndex;
}

/** One statement's text, without the `{...}` nested in it, and where it starts in its block. */
interface Statement {
  own: string;
  offset: number;
}

/** A source of statements a role has, read: the DynamoDB grants, or (excluded) a KMS action or something unread. */
interface Read {
  /** `by`: an AWS managed policy, which has no block (told at `block`, the one that attaches it). */
  grants: { st: Statement; block: Block; by?: string }[];
  excluded: boolean;
}

const address = (b: TopBlock) => `${b.type === 'data' ? 'data.' : ''}${b.labels[0]}.${b.labels[1]}`;

export async function iamRoleCautions(file: SourceFile, det: TfDetection, context: DiskContext | undefined): Promise<void> {
  if (!context?.iamRoles) return;
  const open = det.tables.filter((t) => t.kind !== 'table-replica' && fixWanted(decide(t.encryption, WAIVABLE)));
  if (open.length === 0) return;
  const siblings = context ? (await context.siblings()).filter((f) => holdsWord(f, WORD)) : [];
  const files = [...(file.text.includes(WORD) ? [file] : []), ...siblings.filter((f) => f !== file && f.path !== file.path)];
  if (!files.some((f) => MAY_GRANT.test(f.text))) return;
  const folder = path.posix.dirname(file.path);
  const blocks: Block[] = [];
  for (const f of files) {
    const tops = f === file ? summarize(det, file.text) : await siblingBlocks([f]);
    const shown = path.posix.relative(folder, f.path) || path.posix.basename(f.path);
    let lines: LineIndex | undefined;
    for (const b of tops)
      if (b.text.includes(WORD) || (b.type === 'resource' && b.labels[0]?.startsWith(WORD)))
        blocks.push({
          b,
          shown,
          get lines() {
            return (lines ??= LineIndex.of(f.text));
          },
        });
  }
  const all = losingRoles(blocks);
  const roles = all.filter((r) => !r.excluded && r.grants.length > 0);
  const tops = blocks.map((x) => x.b);
  for (const t of open) {
    const named = tableNames(t);
    const losing: string[] = [];
    const seen = new Set<string>();
    for (const role of roles) {
      const g = role.grants.find(({ st }) => names(st.own, named));
      if (!g) continue;
      const by = g.by ? `${g.by}, ` : g.block.b === role.block.b ? '' : `${address(g.block.b)}, `;
      const at =
        g.block.b.start === undefined ? g.block.shown : `${g.block.shown}:${g.block.lines!.lineOf(g.block.b.start + g.st.offset) + 1}`;
      seen.add(address(role.block.b));
      losing.push(`${address(role.block.b)} (${by}${at})`);
    }
    // A role or user the table's resource policy lets in reaches it without an IAM grant, and that policy cannot grant KMS.
    const nameAttr = t.kind === 'table' ? attr(t.block, 'name')?.lit : undefined;
    const name = nameAttr?.type === 'string' ? nameAttr.value : undefined;
    const kind = t.kind === 'module' ? 'module' : 'table';
    for (const { principal, policy } of ownPrincipals({ kind, label: t.label, name }, tops)) {
      if (seen.has(principal) || all.some((r) => address(r.block.b) === principal && r.excluded)) continue;
      seen.add(principal);
      const at = blocks.find((x) => x.b === policy)!;
      losing.push(
        `${principal} (${address(policy)}, ${policy.start === undefined ? at.shown : `${at.shown}:${at.lines!.lineOf(policy.start) + 1}`})`,
      );
    }
    if (losing.length > 0) (t.encryption.cautions ??= []).push({ kind: 'iam-roles', roles: losing });
  }
}

/** What names a table in a statement's resources: its address (as a reference) and its literal name. */
interface TableNames {
  ref: RegExp;
  name?: string;
  /** A name written with the module's variables or locals, as a string's text (`var.table_name` is `${var.table_name}`). */
  written?: string;
}

function tableNames(t: TfTable): TableNames {
  const [kind, label] = t.kind === 'module' ? ['module', t.label] : t.address.split('.');
  const ref =
    kind === 'module'
      ? new RegExp(String.raw`\bmodule\.${escapeRegExp(label)}(\[[^\]]*\])?\.\w*(arn|name|id)\b`)
      : new RegExp(String.raw`\b${escapeRegExp(kind)}\.${escapeRegExp(label)}(\[[^\]]*\])?\.(arn|stream_arn|name|id)\b`);
  const a = t.kind === 'table' ? attr(t.block, 'name') : undefined;
  const lit = a?.lit;
  return { ref, name: lit?.type === 'string' ? lit.value : undefined, written: a && !lit ? writtenName(a.value) : undefined };
}

/** `var.x` / `local.x` as `${var.x}`, a string of literal text and such interpolations as its text; else undefined. */
function writtenName(value: string): string | undefined {
  const v = value.trim();
  if (/^(?:var|local)\.[\w-]+$/.test(v)) return `\${${v}}`;
  const m = /^"((?:[^"\\$%]|\$\{(?:var|local)\.[\w-]+\})*)"$/.exec(v);
  return m?.[1].includes('${') ? m[1] : undefined;
}

/** Does a statement's resources name the table? */
function names(own: string, t: TableNames): boolean {
  const resources = valueIn(own, /(?:^|[\s{,])"?(?:resources|Resource)"?\s*[=:]\s*/);
  if (resources === undefined) return false;
  if (t.ref.test(resources)) return true;
  for (const written of quotedStrings(resources).strings) {
    const s = written.trim();
    if (s === '*') return true;
    const arn = s.replace(/\$\{[^}]*\}/g, (x) => (/^\$\{(?:var|data|local)\.[\w.]*(?:region|account|partition)\w*\}$/i.test(x) ? '*' : x));
    if (/^arn:[^:]*:dynamodb:[^:]*:[^:]*:\*$/.test(arn)) return true;
    const table = /:table\/([^/]+)/.exec(arn)?.[1];
    // The same text, or a pattern over it (`table/${var.env}-*`), whatever the variables are (adv2 s64).
    if (
      table !== undefined &&
      t.written !== undefined &&
      (table === t.written || (table.includes('*') && globMatcher(table).test(t.written)))
    )
      return true;
    if (table === undefined || table.includes('${') || table.includes('%{')) continue;
    if (table === '*' || (t.name !== undefined && globMatcher(table).test(t.name))) return true;
  }
  return false;
}

interface Role {
  block: Block;
  grants: Read['grants'];
  /** A policy of its own grants a KMS action, or cannot be read: never named. */
  excluded: boolean;
}

/** The module's roles with the DynamoDB grants of their statements (`excluded`: one grants a KMS action, or is not read). */
function losingRoles(blocks: Block[]): Role[] {
  const byAddress = new Map(blocks.map((x) => [address(x.b), x]));
  const of = (type: string) => blocks.filter((x) => x.b.type === 'resource' && x.b.labels[0] === type);
  const out: Role[] = [];
  for (const role of of('aws_iam_role')) {
    const me = new RegExp(String.raw`\baws_iam_role\.${escapeRegExp(role.b.labels[1])}(?![\w-])`);
    const read: Read = { grants: [], excluded: false };
    // Its own inline_policy blocks (its assume_role_policy grants sts actions only) and managed_policy_arns.
    readSource(role, byAddress, read, new Set());
    readArns(attrText(role.b, 'managed_policy_arns'), role, byAddress, read);
    for (const p of of('aws_iam_role_policy')) if (me.test(attrText(p.b, 'role') ?? '')) readSource(p, byAddress, read, new Set());
    for (const a of [...of('aws_iam_role_policy_attachment'), ...of('aws_iam_policy_attachment')]) {
      const who = attrText(a.b, 'role') ?? attrText(a.b, 'roles') ?? '';
      if (me.test(who)) readArns(attrText(a.b, 'policy_arn'), a, byAddress, read);
    }
    out.push({ block: role, grants: read.grants, excluded: read.excluded });
  }
  return out;
}

/**
 * An attribute's value as written: from the parse when it kept the block's items (a table's), else from the
 * block's text (the parse skips the items of blocks no table reads), the first line that sets it.
 */
function attrText(b: TopBlock, name: string): string | undefined {
  const parsed = b.attr(name)?.value;
  if (parsed !== undefined) return parsed;
  return valueIn(b.text, new RegExp(String.raw`(?:^|\n)[ \t]*"?${name}"?[ \t]*[=:][ \t]*`));
}

/** Policy ARNs as written: an `aws_iam_policy` of the module (its statements), an AWS managed policy, or (anything else) not known. */
function readArns(value: string | undefined, at: Block, byAddress: Map<string, Block>, read: Read): void {
  if (value === undefined) return;
  const items = value.trim().startsWith('[') ? splitList(value.trim().slice(1, -1)) : [value.trim()];
  for (const item of items) {
    const policy = /^aws_iam_policy\.([\w-]+)\.arn$/.exec(item)?.[1];
    const block = policy === undefined ? undefined : byAddress.get(`aws_iam_policy.${policy}`);
    if (block) {
      readSource(block, byAddress, read, new Set());
      continue;
    }
    const literal = /^"([^"$]*)"$/.exec(item)?.[1];
    const kind = literal === undefined ? 'unknown' : managedPolicy(literal);
    if (kind === 'unknown') read.excluded = true;
    else if (kind === 'dynamodb') read.grants.push({ st: { own: 'Resource = "*"', offset: 0 }, block: at, by: literal!.split('/').pop() });
  }
}

/** The items of a list's inside, split at its top-level commas and line breaks. */
function splitList(inner: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '"') i = quotedEnd(inner, i) - 1;
    else if ('[({'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if ((c === ',' || c === '\n') && depth === 0) {
      out.push(inner.slice(from, i).trim());
      from = i + 1;
    }
  }
  out.push(inner.slice(from).trim());
  return out.filter((s) => s.length > 0);
}

/** A block's statements, and those of the policy documents it names (`data.aws_iam_policy_document.x.json`). */
function readSource(block: Block, byAddress: Map<string, Block>, read: Read, seen: Set<Block>): void {
  if (seen.has(block)) return;
  seen.add(block);
  for (const st of statements(block.b.text)) {
    if (/(?:^|[\s{,])"?(?:effect|Effect)"?\s*[=:]\s*"Deny"/.test(st.own)) continue;
    if (/(?:^|[\s{,])"?(?:not_actions|NotAction)"?\s*[=:]/.test(st.own)) {
      read.excluded = true;
      continue;
    }
    const actions = valueIn(st.own, /(?:^|[\s{,])"?(?:actions|Action)"?\s*[=:]\s*/);
    if (actions === undefined) continue;
    const { strings, rest } = quotedStrings(actions);
    const quoted = strings.map((a) => a.trim().toLowerCase());
    // An action kmsfix cannot read (a variable, a for expression, a template) may be a KMS one.
    if (rest.replace(/[\s,[\]]/g, '') !== '') read.excluded = true;
    if (quoted.some((a) => a === '*' || a.startsWith('kms:') || a.includes('${') || a.includes('%{'))) read.excluded = true;
    else if (quoted.some((a) => a.startsWith('dynamodb:'))) read.grants.push({ st, block });
  }
  for (const m of block.b.text.matchAll(/\bdata\.aws_iam_policy_document\.([\w-]+)\b/g)) {
    const doc = byAddress.get(`data.aws_iam_policy_document.${m[1]}`);
    if (doc) readSource(doc, byAddress, read, seen);
    else read.excluded = true;
  }
}

/**
 * The `{...}` of a text that hold an actions key of their own (a `statement` block, a jsonencode or JSON
 * statement): each with the nested `{...}` left out (conditions, principals), so that their keys are not its.
 */
function statements(text: string): Statement[] {
  const out: Statement[] = [];
  const stack: { start: number; children: [number, number][] }[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = quotedEnd(text, i) - 1;
    else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === '{') stack.push({ start: i, children: [] });
    else if (c === '}') {
      const open = stack.pop();
      if (!open) continue;
      let own = '';
      let from = open.start + 1;
      for (const [s, e] of open.children) {
        own += text.slice(from, s);
        from = e + 1;
      }
      own += text.slice(from, i);
      if (/(?:^|[\s{,])"?(?:actions|not_actions|Action|NotAction)"?\s*[=:]/.test(own)) out.push({ own, offset: open.start });
      stack[stack.length - 1]?.children.push([open.start, i]);
    }
  }
  return out;
}

/** The value of the first key `key` matches in a statement's own text: a list (to its closing bracket), a string, or the rest of the line. */
function valueIn(own: string, key: RegExp): string | undefined {
  const m = key.exec(own);
  if (!m) return undefined;
  const from = m.index + m[0].length;
  if (own[from] === '[') {
    let depth = 0;
    for (let i = from; i < own.length; i++) {
      const c = own[i];
      if (c === '"') i = quotedEnd(own, i) - 1;
      else if (c === '[') depth++;
      else if (c === ']' && --depth === 0) return own.slice(from, i + 1);
    }
    return own.slice(from);
  }
  if (own[from] === '"') return own.slice(from, quotedEnd(own, from));
  const line = own.slice(from).split(/[\n,]/)[0];
  return line;
}

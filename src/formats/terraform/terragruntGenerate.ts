/**
 * Tables a terragrunt unit's `generate` blocks write: `generate "sessions_table" { path = "sessions_table.tf"
 * contents = <<EOF resource "aws_dynamodb_table" ... EOF }` puts the table into the unit's copy of its module
 * at every run, so terragrunt deploys it as the module's own. Before, such a unit was `0 tables`, exit 0
 * (round 37, R4; constructed: the generate blocks seen in the wild hold providers and backends). The heredoc is
 * read as a Terraform file once terragrunt's interpolations are put in place (interpolated; a key the unit decides:
 * unitDecides), reported at its line in the unit, and
 * never fixed: a fix would rewrite a heredoc whose text terragrunt interpolates, and the key it needs is a
 * resource beside the table, inside the same contents. The step names the generate block.
 */
import { dedent } from '../../core/embedded.js';
import { LineIndex } from '../../core/text.js';
import type { DiskContext, SourceFile } from '../../core/types.js';
import type { Setting } from '../../rule/facts.js';
import { detectTerraform, type TfTable } from './detect.js';
import { isExpr, isStr, type Value } from './hclvalue.js';
import type { HBlock } from './parse.js';
import { terragruntIncludes, terragruntInputs } from './terragruntConfig.js';
import { keyAsTerraform, throughLocals } from './terragruntLocals.js';

export async function generatedTables(file: SourceFile, blocks: HBlock[], context?: DiskContext): Promise<TfTable[]> {
  const out: TfTable[] = [];
  const lines = LineIndex.of(file.text);
  for (const g of blocks) {
    if (g.type !== 'generate') continue;
    // The parser keeps no body of a block kmsfix does not read: the heredoc is found in the block's text.
    const text = file.text.slice(g.start, g.end);
    if (!text.includes('aws_dynamodb_table')) continue;
    const heredoc = generateHeredoc(file.text, g);
    if (!heredoc || heredoc.disabled) continue;
    const { start, body } = heredoc;
    // Terragrunt interpolates the heredoc before writing it: `$${` stands for `${` (no table setting reads one).
    const { text: written, open } = await interpolated(body, file, context);
    const det = await detectTerraform({ path: file.path, absPath: file.absPath, text: written }).catch(() => undefined);
    const first = lines.position(start).line;
    const label = g.labels[0] ?? '';
    const gAt = lines.position(g.start);
    const target = /(?:^|\n)[ \t]*path[ \t]*=[ \t]*("[^"\n]*")/.exec(text)?.[1] ?? 'its path';
    for (const t of det?.tables ?? []) {
      out.push({
        ...t,
        line: first + t.line - 1,
        address: `${t.address} (generate "${label}")`,
        encryption: {
          ...t.encryption,
          settings: await unitDecides(t.encryption.settings, open, file, context),
          obstacles: [
            ...t.encryption.obstacles,
            {
              kind: 'code-shape',
              step:
                `the table is written by the terragrunt generate "${label}" block (${file.path}:${gAt.line}:${gAt.column}) into the unit's ` +
                `module at each run (path = ${target}), and kmsfix does not edit a generate block's contents: in that heredoc, add an ` +
                'aws_kms_key with rotation on (and its alias) beside the table and set the server_side_encryption block to enabled = true ' +
                'and kms_key_arn = that key, or move the table into the module, where kmsfix fixes it',
            },
          ],
        },
      });
    }
  }
  return out;
}

/**
 * A generate block's `contents` heredoc (`contents = <<EOF ... EOF`, `<<-EOF` dedented): its text, where it starts
 * in the file, the block's text around it (`outside`), and whether the block is `disable = true` (terragrunt writes nothing for it: session 55, F10; read
 * outside the heredoc only, since the contents may say `disable = true` of something else; any other value, as
 * `local.off`, counts as written). Undefined for other contents: a quoted string's escapes (`\n`, `\"`) would need
 * decoding. One reader for the tables a unit generates and for the declarations it writes into the module it deploys
 * (generatedFiles.ts).
 */
export function generateHeredoc(
  fileText: string,
  g: HBlock,
): { start: number; body: string; disabled: boolean; outside: string } | undefined {
  const text = fileText.slice(g.start, g.end);
  const heredoc = /(^|\n)[ \t]*contents[ \t]*=[ \t]*<<(-?)([A-Za-z_][\w-]*)[ \t]*\r?\n/.exec(text);
  if (!heredoc) return undefined;
  const start = g.start + heredoc.index + heredoc[0].length;
  const close = new RegExp(`\\r?\\n[ \\t]*${heredoc[3]}[ \\t]*(\\r?\\n|$)`).exec(fileText.slice(start - 1));
  if (!close) return undefined;
  const body = fileText.slice(start, start - 1 + close.index);
  const outside = `${text.slice(0, heredoc.index)}\n${fileText.slice(start - 1 + close.index + close[0].length, g.end)}`;
  return { start, body: heredoc[2] === '-' ? dedent(body) : body, disabled: generateDisabled(outside), outside };
}

/** Whether a generate block's text (its contents left out) says `disable = true`. */
export function generateDisabled(outside: string): boolean {
  return /(?:^|\n)[ \t]*disable[ \t]*=[ \t]*true[ \t]*(?:[#\r\n]|\/\/|$)/.test(outside);
}

/**
 * The heredoc as terragrunt writes it (session 55, F3): each `${...}` is terragrunt's (`$${` is the generated
 * file's own), evaluated in the unit. One its locals make a literal (`"${local.table_key}"`, `table_key =
 * "alias/aws/dynamodb"`) is put in place; any other is left as written and listed (`open`), and a key that reads one
 * is unknown (unitDecides). Before, the heredoc was read alone and `"${local.table_key}"` counted as a customer-managed
 * key, exit 0.
 */
async function interpolated(body: string, unit: SourceFile, context: DiskContext | undefined): Promise<{ text: string; open: string[] }> {
  const open: string[] = [];
  let out = '';
  let i = 0;
  for (let at = body.indexOf('${'); at !== -1; at = body.indexOf('${', i)) {
    if (at > 0 && body[at - 1] === '$') {
      out += body.slice(i, at + 2);
      i = at + 2;
      continue;
    }
    let depth = 1;
    let end = at + 2;
    while (end < body.length && depth > 0) {
      if (body[end] === '{') depth++;
      else if (body[end] === '}') depth--;
      end++;
    }
    const expr = body.slice(at + 2, end - 1).trim();
    const found = depth === 0 && context ? await throughLocals({ expr }, unit, unit, context) : undefined;
    const value =
      found && (isStr(found.value) ? found.value.str : isExpr(found.value) && found.value.expr !== 'null' ? found.value.expr : undefined);
    out += body.slice(i, at);
    if (value !== undefined && !/[\r\n]/.test(value)) out += value.replace(/[\\"]/g, (c) => `\\${c}`);
    else {
      out += body.slice(at, end);
      open.push(body.slice(at, end));
    }
    i = end;
  }
  return { text: out + body.slice(i), open };
}

/**
 * A generated table's key that the unit decides: one reading an interpolation terragrunt evaluates and kmsfix could not
 * (`open`), unknown; `var.x`, a variable of the module the unit deploys, read from the unit's inputs (a literal, or
 * one its locals give), else unknown: the module's declaration and default are not read here, nor inputs kmsfix cannot.
 */
async function unitDecides(
  settings: TfTable['encryption']['settings'],
  open: string[],
  unit: SourceFile,
  context: DiskContext | undefined,
): Promise<TfTable['encryption']['settings']> {
  if (settings.model !== 'sse' || !settings.key || settings.key.state === 'absent' || settings.key.state === 'literal') return settings;
  const key = settings.key;
  const unknown = (why: string) => ({
    ...settings,
    key: { state: 'unreadable', source: `kms_key_arn = ${key.source}: ${why}` } as Setting,
  });
  const read = open.find((e) => key.source.includes(e));
  if (read) return unknown(`terragrunt evaluates ${read} before it writes the file, and kmsfix cannot`);
  const v = /^var\.([A-Za-z_][\w-]*)$/.exec(key.source.trim())?.[1];
  if (!v) return settings;
  const inputs = terragruntInputs(unit.text);
  const given: Value | undefined = inputs.kind === 'object' ? inputs.inputs.get(v) : undefined;
  if (given === undefined) {
    const includes = terragruntIncludes(unit.text).length;
    return unknown(
      `the module the unit deploys declares ${v}, and the unit's inputs ${inputs.kind === 'expression' ? `(${inputs.source}) may set it` : 'do not set it'}${includes ? ' (the inputs of the files it includes are not read for it)' : ''}: kmsfix does not read that module's default for a generated table`,
    );
  }
  if (isExpr(given) && given.expr.trim() === 'null')
    return { ...settings, key: { state: 'literal', source: `${key.source} (= null in the unit's inputs)` } };
  const lit = isStr(given) && !/[$%]\{/.test(given.str) ? given.str : undefined;
  const through = lit === undefined && context ? await throughLocals(given, unit, unit, context) : undefined;
  const value = lit ?? (through && isStr(through.value) ? through.value.str : undefined);
  if (value !== undefined)
    return {
      ...settings,
      key: { state: 'literal', source: `${key.source} (= ${JSON.stringify(value)} in the unit's inputs)`, text: value },
    };
  const asTf = context ? await keyAsTerraform(given, unit, unit, context) : undefined;
  if (asTf?.kind === 'unknown') return unknown(asTf.why);
  if (asTf?.kind === 'literal' && isStr(asTf.value))
    return {
      ...settings,
      key: { state: 'literal', source: `${key.source} (= ${JSON.stringify(asTf.value.str)} in the unit's inputs)`, text: asTf.value.str },
    };
  // A key the unit passes (`dependency.kms.outputs.key_arn`): as written.
  return settings;
}

/**
 * The folder a local module call names (`callSource`: its literal source, or an OpenTofu template source evaluated with
 * the module's values), and a call to a folder that does not exist worth a note (`tableLike`, `missingFolder`).
 */
import path from 'node:path';
import { calledBy } from './callers.js';
import type { LineIndex } from '../../core/text.js';
import type { DiskContext, SourceFile } from '../../core/types.js';
import type { TfDetection } from './detect.js';
import { evaluate, variablesRead, type Env } from './evaluate.js';
import { attr, type HBlock } from './parse.js';
import { templateShape, templateSource } from './templateSources.js';
import { setOutside, type OutsideSetters } from './varSources.js';

/** An input only a DynamoDB table module takes (a table's key schema, capacity, streams, recovery). */
const TABLE_INPUT = /^(hash_key|range_key|billing_mode|stream_view_type|global_secondary_indexes?|point_in_time_recovery(_enabled)?)$/;

/** Does a module call look like a DynamoDB table's: `dynamo` or `ddb` in its name or source, or an input only a table module takes? */
export function tableLike(call: HBlock, rel: string): boolean {
  if (/dynamo|ddb/i.test(`${call.labels[0]} ${rel}`)) return true;
  return call.items.some((item) => item.kind === 'attr' && TABLE_INPUT.test(item.name));
}

/** Is a module call's local source (`rel`, from the file's folder) a folder that does not exist (not one that cannot be read)? */
export async function missingFolder(file: SourceFile, rel: string, context: DiskContext): Promise<boolean> {
  const target = path.posix.normalize(rel).replace(/\/+$/, '');
  const name = path.posix.basename(target);
  if (name === '..' || name === '.' || name === '') return false;
  return !(await context.subfolders(file, path.posix.dirname(target))).includes(name);
}

/**
 * The folder a local module call names (from the file's folder): its literal source, or its template source evaluated as
 * OpenTofu 1.8+ does (templateSources.ts) with the module's values (defaults, tfvars, locals, as a key's are read);
 * undefined (and a note) when a value it reads is not known, or is set by a var-file, terragrunt, or the callers of a
 * module others call (callers.ts). In a `.tf` file a note says that Terraform rejects
 * such a source and kmsfix reads it as OpenTofu does.
 */
export async function callSource(
  file: SourceFile,
  call: HBlock,
  lines: LineIndex,
  det: TfDetection,
  env: () => Env,
  context: DiskContext | undefined,
  setters: (() => Promise<Map<string, OutsideSetters>>) | undefined,
): Promise<string | undefined> {
  const source = attr(call, 'source')!;
  if (source.lit) return (source.lit as { value: string }).value;
  const template = templateSource(source.value)!;
  const at = lines.position(call.start);
  const where = `${file.path}:${at.line}:${at.column}: module "${call.labels[0]}" has source = "${template}"`;
  const note = (s: string) => (det.notes ??= []).push(s);
  if (!/\.tofu(\.json)?$/.test(file.path))
    note(`${where}, which Terraform rejects ("Variables not allowed") and OpenTofu 1.8+ evaluates: kmsfix reads it as OpenTofu does`);
  const v = evaluate(source.value, env());
  const vars = variablesRead(source.value, env());
  // As a key's defaults are read: unless a var-file or terragrunt sets them, or a module around calls this one (its callers set them).
  const by = vars.length > 0 ? await calledBy(file, context) : undefined;
  const said = (vars: string[]) => `${vars.join(', ')} ${vars.length === 1 ? 'is' : 'are'}`;
  const outsideWhy =
    !v.known || vars.length === 0
      ? undefined
      : by
        ? `${said(vars)} set by the callers of this module (${by})`
        : setters && setOutside(vars, await setters());
  if (v.known && typeof v.value === 'string' && !outsideWhy) return v.value;
  const why = outsideWhy ?? `its value is not known before plan${v.why.length ? ` (${v.why.join('; ')})` : ''}`;
  note(
    `${where}: ${why}, so kmsfix does not follow the call; every folder it may name (${templateShape(template)}) is read as a module others call`,
  );
  return undefined;
}

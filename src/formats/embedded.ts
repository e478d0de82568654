/**
 * CloudFormation templates written inside a string of another file: a Terraform heredoc (an
 * `aws_cloudformation_stack`'s `template_body`, often through `locals`) or a StackSet's `TemplateBody`.
 * CloudFormation creates their tables as any template's, so a scan that did not read them would say
 * "0 tables" of a file that deploys one. Their tables are read with the CloudFormation reader and
 * reported where the string is, never fixed: kmsfix edits a template in a file of its own
 * (`template_body = file("table.yaml")`, `TemplateURL`), not one inside a string.
 */
import type { SourceFile, TableFacts } from '../core/types.js';
import type { Obstacle } from '../rule/facts.js';

/** A template inside a string: its text, the line of the file its first line is on, and what holds it. */
export interface Body {
  text: string;
  /** 1-based line of the body's first line in the file. */
  line: number;
  /** Whether the body's lines are the file's lines one for one (a heredoc, a block scalar), so a table's line can be mapped. */
  exact: boolean;
  /** What holds it, as written (`template_body = <<JSON`, `TemplateBody: |`): the table's address starts with it. */
  where: string;
}

/** Does a text name a DynamoDB table's CloudFormation type? */
export const namesTableType = (text: string) => /AWS::DynamoDB::(Global)?Table\b/.test(text);

/** The tables of the templates in `bodies`, as rows of `file` (a body CloudFormation would reject is left out). */
export async function embeddedTables(file: SourceFile, bodies: Body[]): Promise<TableFacts[]> {
  const out: TableFacts[] = [];
  if (bodies.length === 0) return out;
  const taken = new Set<string>();
  const { detectCloudFormation } = await import('./cloudformation/detect.js');
  for (const body of bodies) {
    let tables: TableFacts[];
    try {
      tables = detectCloudFormation({ path: file.path, absPath: file.absPath, text: body.text }).tables;
    } catch {
      continue;
    }
    for (const t of tables) {
      const obstacle: Obstacle = {
        kind: 'code-shape',
        step:
          `the template is written inside a string (${body.where}), which kmsfix does not edit: move it to a file of its own ` +
          '(Terraform: template_body = file("..."); CloudFormation: TemplateURL), then run kmsfix again, or set its SSESpecification by hand',
      };
      const line = body.exact ? body.line + t.line - 1 : body.line;
      // Unique in the file: two StackSets may each hold a `Table`.
      let address = `${body.where.replace(/\s*[=:].*$/, '')}.${t.address}`;
      if (taken.has(address)) address = `${address}@${line}`;
      taken.add(address);
      out.push({
        line,
        column: 1,
        format: 'cloudformation',
        type: t.type,
        address,
        encryption: { ...t.encryption, obstacles: [...t.encryption.obstacles, obstacle] },
        suppressions: t.suppressions,
      });
    }
  }
  return out;
}

/** Terraform: the heredocs (`<<EOT`, `<<-EOT`) whose text names a table type. */
export function heredocBodies(text: string): Body[] {
  const out: Body[] = [];
  const re = /(^|\n)([^\n#]*?)<<(-?)([A-Za-z_][\w-]*)[ \t]*\r?\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index + m[0].length;
    const end = new RegExp(`\\r?\\n[ \\t]*${m[4]}[ \\t]*(\\r?\\n|$)`, 'g');
    end.lastIndex = start - 1;
    const close = end.exec(text);
    if (!close) break;
    let body = text.slice(start, close.index);
    re.lastIndex = close.index + 1;
    if (!namesTableType(body)) continue;
    if (m[3] === '-') body = dedent(body);
    const line = lineOf(text, start);
    const name = /([\w-]+)\s*=\s*$/.exec(m[2])?.[1] ?? 'heredoc';
    out.push({ text: body, line, exact: true, where: `${name} = <<${m[3]}${m[4]}` });
  }
  return out;
}

/** CloudFormation: `TemplateBody` values (a YAML block scalar, or a JSON string) whose text names a table type. */
export function templateBodies(text: string): Body[] {
  const out: Body[] = [];
  const yaml = /(^|\n)([ \t]*)(["']?)TemplateBody\3[ \t]*:[ \t]*(![\w:]+[ \t]+)?[|>][-+0-9]*[ \t]*(#[^\n]*)?\r?\n/g;
  for (let m = yaml.exec(text); m; m = yaml.exec(text)) {
    const start = m.index + m[0].length;
    const lines: string[] = [];
    let at = start;
    while (at < text.length) {
      const nl = text.indexOf('\n', at);
      const line = text.slice(at, nl < 0 ? text.length : nl).replace(/\r$/, '');
      if (line.trim() !== '' && line.length - line.trimStart().length <= m[2].length) break;
      lines.push(line);
      at = nl < 0 ? text.length : nl + 1;
    }
    const body = dedent(lines.join('\n'));
    if (namesTableType(body)) out.push({ text: body, line: lineOf(text, start), exact: true, where: 'TemplateBody: |' });
  }
  const json = /"TemplateBody"\s*:\s*("(?:[^"\\]|\\.)*")/g;
  for (let m = json.exec(text); m; m = json.exec(text)) {
    let body: string;
    try {
      body = JSON.parse(m[1]) as string;
    } catch {
      continue;
    }
    if (namesTableType(body)) out.push({ text: body, line: lineOf(text, m.index), exact: false, where: 'TemplateBody: "..."' });
  }
  return out;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** The lines less their common leading whitespace (blank lines aside). */
function dedent(body: string): string {
  const lines = body.split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n');
}

/**
 * CloudFormation: the `TemplateBody` strings of a file that hold a template with a table, and the
 * tables of any such template, read as a template's (src/core/embedded.ts).
 */
import { type Body, dedent, namesTableType } from '../../core/embedded.js';
import { LineIndex } from '../../core/text.js';
import type { SourceFile, TableFacts } from '../../core/types.js';
import type { Obstacle } from '../../rule/facts.js';
import { detectCloudFormation } from './detect.js';

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
    if (namesTableType(body))
      out.push({ text: body, line: LineIndex.of(text).position(start).line, exact: true, where: 'TemplateBody: |' });
  }
  const json = /"TemplateBody"\s*:\s*("(?:[^"\\]|\\.)*")/g;
  for (let m = json.exec(text); m; m = json.exec(text)) {
    let body: string;
    try {
      body = JSON.parse(m[1]) as string;
    } catch {
      continue;
    }
    if (namesTableType(body))
      out.push({ text: body, line: LineIndex.of(text).position(m.index).line, exact: false, where: 'TemplateBody: "..."' });
  }
  return out;
}

/** The tables of the templates in `bodies`, as rows of `file` (a body CloudFormation would reject is left out). */
export function embeddedTables(file: SourceFile, bodies: Body[]): TableFacts[] {
  const out: TableFacts[] = [];
  if (bodies.length === 0) return out;
  const taken = new Set<string>();
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

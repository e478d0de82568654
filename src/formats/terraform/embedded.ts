/** Terraform: the heredocs of a file that hold a CloudFormation template with a table (src/core/embedded.ts). */
import { type Body, dedent, namesTableType } from '../../core/embedded.js';
import { LineIndex } from '../../core/text.js';
import { terraformStacks } from '../../core/terraformStacks.js';

/**
 * Terraform: the heredocs (`<<EOT`, `<<-EOT`) whose text names a table type. One that is an aws_cloudformation_stack's
 * `template_body` carries the stack's `parameters`, which CloudFormation deploys it with over its Defaults (core/terraformStacks.ts).
 */
export function heredocBodies(text: string): Body[] {
  const out: Body[] = [];
  let stacks: ReturnType<typeof terraformStacks> | undefined;
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
    const line = LineIndex.of(text).position(start).line;
    const name = /([\w-]+)\s*=\s*$/.exec(m[2])?.[1] ?? 'heredoc';
    const item: Body = { text: body, line, exact: true, where: `${name} = <<${m[3]}${m[4]}` };
    stacks ??= terraformStacks(text);
    const stack = name === 'template_body' ? stacks.find((s) => s.start <= start && start < s.end) : undefined;
    if (stack?.templateBody?.startsWith('<<')) item.parameters = stack.parameters;
    out.push(item);
  }
  return out;
}

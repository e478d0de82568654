/**
 * CloudFormation templates written inside a string of another file: a Terraform heredoc (an
 * `aws_cloudformation_stack`'s `template_body`, often through `locals`), a StackSet's `TemplateBody`, or any
 * string of a YAML or JSON file (a Kubernetes manifest's `data.template`, a Helm values file's).
 * CloudFormation creates their tables as any template's, so a scan that did not read them would say
 * "0 tables" of a file that deploys one. A format finds the strings (`Format.embedded`), the
 * CloudFormation family reads their tables (`Format.templateTables`), the engine joins the two
 * (src/engine/embedded.ts): reported where the string is, never fixed.
 */
import type { StackParameters } from './terraformStacks.js';

/** A template inside a string: its text, the line of the file its first line is on, and what holds it. */
export interface Body {
  text: string;
  /** 1-based line of the body's first line in the file. */
  line: number;
  /** Whether the body's lines are the file's lines one for one (a heredoc, a block scalar), so a table's line can be mapped. */
  exact: boolean;
  /** What holds it, as written (`template_body = <<JSON`, `TemplateBody: |`, `data.template: |`): the step names it. */
  where: string;
  /** The table's address starts with it (`data.template`); default: `where` up to its `=` or `:`. */
  name?: string;
  /** Where the step says to move the template (after "move it to a file of its own"); default: Terraform's and CloudFormation's ways. */
  move?: string;
  /** The parameters the stack that holds it passes (a Terraform aws_cloudformation_stack's `parameters`): over the template's Defaults. */
  parameters?: StackParameters;
}

/** Does a text name a DynamoDB table's CloudFormation type? */
export const namesTableType = (text: string) => /AWS::DynamoDB::(Global)?Table\b/.test(text);

/** The lines less their common leading whitespace (blank lines aside). */
export function dedent(body: string): string {
  const lines = body.split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n');
}

/**
 * CloudFormation: the strings of a YAML or JSON file that hold a template with a table (a StackSet's
 * `TemplateBody`, a Kubernetes manifest's `data.template`: aws-service-operator's `kind:
 * CloudFormationTemplate`, a ConfigMap's `data: {template.yaml: |}`, a Helm values file's), and the tables of any
 * such template, read as a template's (src/core/embedded.ts).
 */
import { type Body, dedent, namesTableType } from '../../core/embedded.js';
import { LineIndex } from '../../core/text.js';
import type { SourceFile, TableFacts } from '../../core/types.js';
import type { Obstacle } from '../../rule/facts.js';
import type { CNode } from '../yaml/tree.js';
import { looksLikeJson } from '../yaml/tree.js';
import { detectCloudFormation } from './detect.js';

/** Whether a string may be a template with a table: the substring tests that come before any parse (every scalar of the file is asked). */
const mayHoldTemplate = (s: string) => s.includes('AWS::DynamoDB::') && s.includes('Resources') && namesTableType(s);

/**
 * The strings of a file's documents (`roots`, as its detection parsed them: every document of a
 * `---` separated file) whose text names a table type and a Resources key: a block scalar (`|`,
 * `>`) read as its lines (a table's line is then the file's), a quoted or JSON string as its value
 * (reported at its key). Which of them are templates with a table is for `embeddedTables` to say.
 * An alias is not followed (its anchored string is read where it is written).
 */
export function templateStrings(text: string, roots: readonly (CNode | null)[]): Body[] {
  const out: Body[] = [];
  // Every template string holds `Resources`: a file whose one `Resources` is its own template's key (most templates)
  // holds none, and its nodes are not visited (about 2% of a CloudFormation scan).
  const first = text.indexOf('Resources');
  if (first < 0) return out;
  if (
    text.indexOf('Resources', first + 1) < 0 &&
    roots.some((r) => r?.kind === 'map' && r.pairs.some((p) => p.keyStart <= first && first < p.keyEnd))
  )
    return out;
  let lines: LineIndex | undefined;
  const lineOf = (offset: number) => (lines ??= LineIndex.of(text)).position(offset).line;
  // The keys from the document's root to the node visited (one array, pushed and popped: a file's every node is visited).
  const path: string[] = [];
  const visit = (node: CNode | null, at: number): void => {
    if (!node || node.kind === 'alias') return;
    if (node.kind === 'map')
      for (const p of node.pairs) {
        path.push(p.key);
        visit(p.value, p.keyStart);
        path.pop();
      }
    else if (node.kind === 'seq')
      node.items.forEach((item, i) => {
        path.push(`[${i}]`);
        visit(item, item.start);
        path.pop();
      });
    else if (typeof node.value === 'string' && mayHoldTemplate(node.value)) {
      // A stack's own key (a StackSet's TemplateBody; a Terraform JSON file's template_body, Pulumi YAML's templateBody) is
      // named alone, as TemplateBody was before any other key was read (the resource's line names the stack).
      const last = path.at(-1) ?? '';
      const key = STACK_KEYS.has(last) ? last : path.join('.').replace(/\.\[/g, '[') || 'document';
      if (node.quote === 'block') {
        // Its lines as written, from the line after its header (`data.template: |`) to its last.
        const first = text.indexOf('\n', node.start) + 1;
        const body = dedent(
          text
            .slice(first, node.end)
            .replace(/\r?\n$/, '')
            .replace(/\r$/gm, ''),
        );
        out.push(held(key, body, lineOf(first), true, `${key}: |`));
      } else out.push(held(key, node.value, lineOf(at), false, `${key}: "..."`));
    }
  };
  for (const root of roots) visit(root, root?.start ?? 0);
  return out;
}

/** How to take a template out of a string other than a StackSet's TemplateBody: Kubernetes manifests and Helm values build one from a file. */
const MOVE_BUILT =
  '(one this file is built from: Helm\'s {{ .Files.Get "..." }}, kustomize\'s configMapGenerator files, kubectl create configmap --from-file)';

/** The keys of a stack resource that hold its template, in CloudFormation, Terraform JSON and Pulumi YAML. */
const STACK_KEYS = new Set(['TemplateBody', 'template_body', 'templateBody']);

function held(key: string, text: string, line: number, exact: boolean, where: string): Body {
  const body: Body = { text, line, exact, where, name: key };
  if (!STACK_KEYS.has(key)) body.move = MOVE_BUILT;
  return body;
}

/** How to take a template out of a Terraform heredoc or a StackSet's TemplateBody. */
const MOVE_STACK = '(Terraform: template_body = file("..."); CloudFormation: TemplateURL)';

/**
 * The tables of the templates in `bodies`, as rows of `file`. A body that is not a template CloudFormation reads (a
 * map whose Resources hold a table: not a serverless.yml, nor a file of resources or one resource's body, nor a
 * second `---` document) is left out, and so is one that does not parse: a string that names a table type in prose.
 */
export function embeddedTables(file: SourceFile, bodies: Body[]): TableFacts[] {
  const out: TableFacts[] = [];
  if (bodies.length === 0) return out;
  const taken = new Set<string>();
  for (const body of bodies) {
    let tables: TableFacts[];
    try {
      // Read as JSON or YAML by its own text: a YAML template may be a string of a JSON file, and the other way round.
      const json = body.text.trimStart().startsWith('{');
      const path = looksLikeJson(file.path, body.text) === json ? file.path : `${file.path}.${json ? 'json' : 'yaml'}`;
      // The parameters the stack holding it passes (a Terraform aws_cloudformation_stack's), over the template's Defaults.
      const p = body.parameters;
      const envs = p && {
        file: file.path,
        list: p.unreadable === undefined ? [{ name: p.stack, values: p.values, computed: p.computed }] : [],
        ...(p.unreadable === undefined ? {} : { unreadable: p.unreadable }),
      };
      tables = detectCloudFormation({ path, absPath: file.absPath, text: body.text }, undefined, envs).tables.filter(
        (t) => t.template.flavor !== 'serverless' && t.template.doc === 0,
      );
    } catch {
      continue;
    }
    for (const t of tables) {
      const obstacle: Obstacle = {
        kind: 'code-shape',
        step:
          `the template is written inside a string (${body.where}), which kmsfix does not edit: move it to a file of its own ` +
          `${body.move ?? MOVE_STACK}, then run kmsfix again, or set its SSESpecification by hand`,
      };
      const line = body.exact ? body.line + t.line - 1 : body.line;
      // Unique in the file: two StackSets may each hold a `Table`.
      let address = `${body.name ?? body.where.replace(/\s*[=:].*$/, '')}.${t.address}`;
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

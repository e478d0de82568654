/**
 * The module-level declarations of a TypeScript file's fix: its key-policy helper (one per framework, or the file's own
 * from an earlier run), the constant holding --kms-key-arn's ARN, written after the imports; and the declarations
 * gathered before each table's statement, written out together.
 */
import { holdsKeyPolicy } from '../../rule/keyPolicy.js';
import { lineEndOf, lineIndentOf, lineStartOf } from '../../core/text.js';
import { renderFunction, type Code } from './code.js';
import type { TsTable } from './tableTypes.js';
import {
  CDK_IAM,
  POLICY_HELPER,
  cdkPolicyDocument,
  cdktfPolicyHelper,
  helperParams,
  policyComment,
  pulumiPolicyHelper,
  type RegionAttribute,
} from './keys.js';
import { stringValue, ts, unwrap } from './parse.js';
import { layoutOf, PlanState } from './planState.js';

/** Where a statement's own text begins: its attached comments (no blank line in between), then itself. */
function statementStart(sf: ts.SourceFile, st: ts.Statement): number {
  const text = sf.text;
  let start = st.getStart(sf);
  const comments = ts.getLeadingCommentRanges(text, st.pos) ?? [];
  for (let i = comments.length - 1; i >= 0; i--) {
    const between = text.slice(comments[i].end, start);
    if ((between.match(/\n/g) ?? []).length > 1) break;
    if (!/^[ \t]*$/.test(text.slice(lineStartOf(text, comments[i].pos), comments[i].pos))) break;
    start = comments[i].pos;
  }
  return start;
}

export abstract class ModuleDecls extends PlanState {
  // ------------------------------------------------------------ module-level declarations

  /** The file's key-policy helper for a framework: one already in the file (an earlier run), or a new one. */
  protected policyHelper(first: TsTable): string {
    const framework = first.framework;
    const known = this.helpers.get(framework);
    if (known) return known;
    const marker = framework === 'cdk' ? 'PolicyDocument' : framework === 'cdktf' ? 'JSON.stringify' : 'jsonStringify';
    const arity = framework === 'cdk' ? 0 : helperParams(this.mode).length;
    for (const st of this.sf.statements) {
      if (!ts.isFunctionDeclaration(st) || !st.name?.text.startsWith(POLICY_HELPER) || st.parameters.length !== arity) continue;
      const body = st.getText(this.sf);
      if (body.includes(marker) && holdsKeyPolicy(body, this.mode, this.denyDirectGrants)) {
        this.helpers.set(framework, st.name.text);
        return st.name.text;
      }
    }
    const name = this.names.variable([POLICY_HELPER]);
    this.helpers.set(framework, name);
    const region: RegionAttribute = framework === 'pulumi' && (this.project.pulumiAwsMajor ?? 0) >= 7 ? 'region' : 'name';
    const built =
      framework === 'cdk'
        ? this.cdkPolicyHelper()
        : framework === 'cdktf'
          ? cdktfPolicyHelper(this.refType, this.mode, region, layoutOf(first), this.denyDirectGrants)
          : pulumiPolicyHelper(this.ref, this.refType, this.mode, region, this.denyDirectGrants);
    this.moduleDecls.push(renderFunction({ comment: policyComment(this.mode, this.denyDirectGrants), name, ...built }, this.style));
    return name;
  }

  /** The CDK helper's body and return type (its PolicyDocument referred to as a value first: a type-only import would not do). */
  private cdkPolicyHelper(): { params: string[]; returns: string; value: Code } {
    const value = cdkPolicyDocument(this.ref, this.mode, this.denyDirectGrants);
    return { params: [], returns: this.refType(CDK_IAM, ['PolicyDocument']), value };
  }

  /** A module-level constant of the file that holds this ARN. */
  protected arnConstantOf(arn: string): string | undefined {
    for (const st of this.sf.statements) {
      if (!ts.isVariableStatement(st) || !(st.declarationList.flags & ts.NodeFlags.Const)) continue;
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.initializer && stringValue(unwrap(d.initializer)) === arn) return d.name.text;
      }
    }
    return undefined;
  }

  /** Does this argument give the ARN the fix uses (the same literal, expression or constant)? */
  protected sameArn(e: ts.Expression, arnCode: Code): boolean {
    const arn = this.options.kmsKeyArn!;
    const u = unwrap(e);
    if (stringValue(u) === arn) return true;
    if (ts.isIdentifier(u) && this.arnConstantOf(arn) === u.text) return true;
    return arnCode.kind === 'raw' && u.getText(this.sf) === arnCode.text;
  }

  /** A new module-level constant holding the ARN (--kms-key-arn). */
  protected arnConstant(arn: string): string {
    const name = this.names.variable(['dynamoDbKeyArn']);
    this.moduleDecls.push(`const ${name} = ${this.q(arn)}${this.style.semi ? ';' : ''}`);
    return name;
  }

  /** Module-level declarations go after the last import, each after a blank line. */
  protected writeModuleDecls(): void {
    if (this.moduleDecls.length === 0) return;
    const eol = this.style.eol;
    const body = this.moduleDecls.join(eol + eol);
    const lastImport = [...this.sf.statements].reverse().find((st) => ts.isImportDeclaration(st) || ts.isImportEqualsDeclaration(st));
    if (!lastImport) {
      this.ctx.edits.push({ start: 0, end: 0, text: body + eol + eol });
      return;
    }
    const at = lineEndOf(this.text, lastImport.end);
    const next = this.text.slice(at).replace(/^\r?\n/, '');
    const blankAfter = /^[ \t]*(\r?\n|$)/.test(next);
    this.ctx.edits.push({ start: at, end: at, text: eol + eol + body + (blankAfter ? '' : eol) });
  }

  /**
   * Write the declarations collected for each statement: one insertion per declaration, each serving
   * its tables (the insertions at one point apply in order, as one block).
   */
  protected flush(): void {
    const { sf, text } = this;
    for (const [st, lines] of this.pending) {
      const at = statementStart(sf, st);
      const indent = lineIndentOf(text, st.getStart(sf));
      const ls = lineStartOf(text, at);
      if (/^[ \t]*$/.test(text.slice(ls, at))) {
        for (const l of lines) this.ctx.edits.push({ start: ls, end: ls, text: indent + l.line + this.style.eol, tables: l.tables });
        // A blank line before the table's statement: the new block gets one after it too.
        const prevLine = ls > 0 ? text.slice(lineStartOf(text, ls - 1), ls) : '';
        if (ls > 0 && prevLine.trim() === '')
          this.ctx.edits.push({ start: ls, end: ls, text: this.style.eol, tables: [...new Set(lines.flatMap((l) => l.tables))] });
      } else {
        for (const l of lines) this.ctx.edits.push({ start: at, end: at, text: l.line + ' ', tables: l.tables });
      }
    }
  }
}

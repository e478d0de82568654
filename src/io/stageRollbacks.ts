/**
 * CodePipeline stages the repository sets to roll back on their own (session 62's deploy review, F1): a stage
 * rollback redeploys the previous execution's source revisions and artifacts, a revert of the fix in one deploy that
 * no one decides (src/report/rollback.ts says why that is unsafe). Read from the raw text of each file the run reads
 * anyway (its candidates' prefilter), never a file more: CloudFormation `Stages[].OnFailure.Result: ROLLBACK` (YAML
 * or JSON), aws-cdk-lib's `onFailure: { result: Result.ROLLBACK }` (aws_codepipeline), Terraform's `aws_codepipeline`
 * `on_failure { result = "ROLLBACK" }`; an `OnSuccess` or `BeforeEntry` condition's ROLLBACK result too (the same
 * rollback). A line-by-line match, not a parse: a commented-out setting is named as well.
 */

/** A stage rollback a file declares: the file and the 1-based line of its `ROLLBACK` result. */
export interface StageRollback {
  absPath: string;
  line: number;
}

/** `Result: ROLLBACK`, `"Result": "ROLLBACK"`, `result: Result.ROLLBACK` (or `codepipeline.Result.ROLLBACK`, `'ROLLBACK'`), `result = "ROLLBACK"`. */
const RESULT = /\b[Rr]esult["']?\s*[:=]\s*(?:["']?ROLLBACK\b|[\w.]*\bResult\.ROLLBACK\b)/;

/** The lines of the text that set a CodePipeline stage's result to ROLLBACK; a substring test first. */
export function stageRollbackLines(text: string): number[] {
  if (!text.includes('ROLLBACK') || !/codepipeline/i.test(text)) return [];
  const out: number[] = [];
  for (const [i, l] of text.split('\n').entries()) if (l.includes('ROLLBACK') && RESULT.test(l)) out.push(i + 1);
  return out;
}

/**
 * Tables a terragrunt unit's `generate` blocks write: `generate "sessions_table" { path = "sessions_table.tf"
 * contents = <<EOF resource "aws_dynamodb_table" ... EOF }` puts the table into the unit's copy of its module
 * at every run, so terragrunt deploys it as the module's own. Before, such a unit was `0 tables`, exit 0
 * (round 37, R4; constructed: the generate blocks seen in the wild hold providers and backends). The heredoc is
 * read as a Terraform file (detect.ts: the table's status as written), reported at its line in the unit, and
 * never fixed: a fix would rewrite a heredoc whose text terragrunt interpolates, and the key it needs is a
 * resource beside the table, inside the same contents. The step names the generate block.
 */
import { dedent } from '../../core/embedded.js';
import { LineIndex } from '../../core/text.js';
import type { SourceFile } from '../../core/types.js';
import { detectTerraform, type TfTable } from './detect.js';
import type { HBlock } from './parse.js';

export async function generatedTables(file: SourceFile, blocks: HBlock[]): Promise<TfTable[]> {
  const out: TfTable[] = [];
  const lines = LineIndex.of(file.text);
  for (const g of blocks) {
    if (g.type !== 'generate') continue;
    // The parser keeps no body of a block kmsfix does not read: the heredoc is found in the block's text.
    const text = file.text.slice(g.start, g.end);
    if (!text.includes('aws_dynamodb_table')) continue;
    // A quoted string's escapes (`\n`, `\"`) would need decoding: its table is not read.
    const heredoc = /(^|\n)[ \t]*contents[ \t]*=[ \t]*<<(-?)([A-Za-z_][\w-]*)[ \t]*\r?\n/.exec(text);
    if (!heredoc) continue;
    const start = g.start + heredoc.index + heredoc[0].length;
    const close = new RegExp(`\\r?\\n[ \\t]*${heredoc[3]}[ \\t]*(\\r?\\n|$)`).exec(file.text.slice(start - 1));
    if (!close) continue;
    let body = file.text.slice(start, start - 1 + close.index);
    // `disable = true`: terragrunt writes nothing for the block, and its tables are not deployed (session
    // 55, F10). Read outside the heredoc only (the contents may say `disable = true` of something else); any other
    // value (`local.off`) keeps the tables reported.
    const outside = `${text.slice(0, heredoc.index)}\n${file.text.slice(start - 1 + close.index + close[0].length, g.end)}`;
    if (/(?:^|\n)[ \t]*disable[ \t]*=[ \t]*true[ \t]*(?:[#\r\n]|\/\/|$)/.test(outside)) continue;
    if (heredoc[2] === '-') body = dedent(body);
    // Terragrunt interpolates the heredoc before writing it: `$${` stands for `${` (no table setting reads one).
    const det = await detectTerraform({ path: file.path, absPath: file.absPath, text: body }).catch(() => undefined);
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

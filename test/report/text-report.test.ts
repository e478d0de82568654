/**
 * Text output's file names (src/report/textReport.ts shownFile): a name holding a tab or a newline was printed as it
 * is, splitting its row in two (session 62's adversarial review, M6); it is shown quoted with JSON's escapes, as the
 * JSON report writes it, and every other name as it is.
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../src/engine/memory.js';
import { formatError } from '../../src/report/summary.js';
import { colors, tableLine } from '../../src/report/textReport.js';

const TEMPLATE =
  'Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      KeySchema: [{AttributeName: pk, KeyType: HASH}]\n';

describe('text output: file names', () => {
  it('a tab or a newline in a table row: quoted with JSON escapes, the row one line', async () => {
    const r = await processMemory(
      [
        { path: 'we\tird.yaml', text: TEMPLATE },
        { path: 'new\nline.yaml', text: TEMPLATE },
        { path: 'café "x".yaml', text: TEMPLATE },
      ],
      'scan',
    );
    const rows = r.outcomes.map((o) => tableLine(o.tables[0], colors(false)).split('  ')[0]);
    expect(rows).toEqual(['"we\\tird.yaml":2', '"new\\nline.yaml":2', 'café "x".yaml:2']);
  });

  it('an error line: the same', () => {
    expect(formatError({ file: 'we\tird.yaml', line: 3, column: 1, message: 'YAML: x' })).toBe('"we\\tird.yaml":3:1: YAML: x');
    expect(formatError({ file: 'plain.yaml', message: 'not read' })).toBe('plain.yaml: not read');
  });
});

describe('text output: a message quoting code that spans lines', () => {
  it('a multi-line Terraform expression in the reason: the row stays one line, default, --verbose and not fixed (session 64)', async () => {
    const tf =
      'variable "a" {\n  type = bool\n}\n\nresource "aws_dynamodb_table" "t" {\n  name     = "t"\n  hash_key = "id"\n' +
      '  attribute {\n    name = "id"\n    type = "S"\n  }\n  server_side_encryption {\n    enabled = (\n      var.a\n' +
      '      ? true : false\n    )\n  }\n}\n';
    const r = await processMemory([{ path: 'main.tf', text: tf }], 'scan');
    const t = r.outcomes[0].tables[0];
    expect(t.message).toContain('\n');
    for (const o of [{}, { verbose: true }, { full: true }]) {
      const row = tableLine(t, colors(false), o);
      expect(row, JSON.stringify(o)).not.toContain('\n');
      expect(row).toContain('is the expression `( var.a ? true : false )`');
    }
  });
});

/**
 * HashiCorp's parser on what a Terraform fix changed (transforms/terraform/hclcheck.ts): the pieces
 * it checks, and the shapes under which it caches a verdict.
 */
import { describe, expect, it } from 'vitest';
import { outputProblem, shapeOf } from '../transforms/terraform/hclcheck.js';

describe('shapeOf', () => {
  it('replaces identifiers and plain words, keeps keywords, escapes, numbers and line breaks', () => {
    expect(shapeOf('resource "aws_kms_key" "tokens_1" {\n  count   = var.enabled ? 1 : 0\n  name = "a\\nb-${x.y[0]}"\n  on = true\n}\n')).toBe(
      'x "x" "x" {\n x = x.x ? 1 : 0\n x = "x\\nb-${x.x[0]}"\n x = true\n}\n',
    );
    expect(shapeOf('a = [for k, v in m : k if v != null]')).toBe('x = [for x, x in x : x if x != null]');
  });

  it('leaves text with a heredoc as it is (its closing marker is an identifier)', () => {
    const t = 'policy = <<EOT\n{}\nEOT\n';
    expect(shapeOf(t)).toBe(t);
  });

  it('gives tables that differ only in names and alignment one shape', () => {
    const a = 'server_side_encryption {\n  enabled     = true\n  kms_key_arn = aws_kms_key.orders.arn\n}\n';
    const b = 'server_side_encryption {\n  enabled = true\n  kms_key_arn = aws_kms_key.users_table_2.arn\n}\n';
    expect(shapeOf(a)).toBe(shapeOf(b));
  });
});

describe('outputProblem', () => {
  const table = 'resource "aws_dynamodb_table" "t" {\n  name = "t"\n}\n';

  it('accepts an output whose inserted and changed items parse', async () => {
    const insert = '\n\n  server_side_encryption {\n    enabled     = true\n    kms_key_arn = aws_kms_key.t.arn\n  }';
    const at = table.indexOf('\n}');
    const out = table.slice(0, at) + insert + table.slice(at);
    expect(await outputProblem('main.tf', out, [{ start: at, end: at, text: insert }])).toBeUndefined();
  });

  it('reports an edit that breaks the file, whether kmsfix’s parser or HashiCorp’s sees it', async () => {
    const insert = '\n  a = 1 b = 2';
    const at = table.indexOf('\n}');
    const out = table.slice(0, at) + insert + table.slice(at);
    expect(await outputProblem('main.tf', out, [{ start: at, end: at, text: insert }])).toMatch(/./);
    // The separators around an edit are checked too: an attribute put on the line of another one.
    const after = table.indexOf('"t"\n') + 3;
    const sameLine = ' a = 1';
    expect(await outputProblem('main.tf', table.slice(0, after) + sameLine + table.slice(after), [{ start: after, end: after, text: sameLine }])).toMatch(/./);
    const block = '\n\nresource "aws_kms_key" "k" {\n  description = "unterminated\n}\n';
    expect(await outputProblem('main.tf', table + block, [{ start: table.length, end: table.length, text: block }])).toMatch(/./);
  });

  it('parses JSON outputs whole', async () => {
    expect(await outputProblem('main.tf.json', '{"resource": {}}', [])).toBeUndefined();
    expect(await outputProblem('main.tf.json', '{"resource": }', [])).toMatch(/JSON|Unexpected/);
  });
});

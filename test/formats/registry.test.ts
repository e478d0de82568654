/**
 * The registry (src/formats/index.ts): which family reads a file is decided by PRECEDENCE, not by
 * the order of FORMATS, and the overlaps PRECEDENCE documents are the only ones.
 */
import { describe, expect, it } from 'vitest';
import { FORMATS, PRECEDENCE, formatFor, formatsFor } from '../../src/formats/index.js';

const CFN_AND_PULUMI = 'Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n# also: aws:dynamodb:Table\n';
const TF_AND_CFN = '{"resource": {"aws_dynamodb_table": {"t": {}}}, "x": "AWS::DynamoDB::Table"}';

/** File names of every kind the formats take (and some they do not). */
const NAMES = [
  'template.yaml',
  'template.yml',
  'Pulumi.yaml',
  'serverless.yml',
  'template.json',
  'template.template',
  'main.tf',
  'main.tf.json',
  '.terraform.lock.hcl',
  'stack.ts',
  'types.d.ts',
  'package.json',
  'tsconfig.json',
  'cdk.json',
  'README.md',
];

describe('the format registry', () => {
  it('PRECEDENCE names every format exactly once', () => {
    expect([...PRECEDENCE].sort()).toEqual(FORMATS.map((f) => f.name).sort());
  });

  it('the only paths several formats accept are YAML (CloudFormation, Pulumi YAML) and Terraform JSON (CloudFormation, Terraform)', () => {
    const overlaps = Object.fromEntries(
      NAMES.map((n) => [n, formatsFor(n).map((f) => f.name)] as const).filter(([, names]) => names.length > 1),
    );
    expect(overlaps).toEqual({
      'template.yaml': ['cloudformation', 'pulumi-yaml'],
      'template.yml': ['cloudformation', 'pulumi-yaml'],
      'Pulumi.yaml': ['cloudformation', 'pulumi-yaml'],
      'serverless.yml': ['cloudformation', 'pulumi-yaml'],
      'main.tf.json': ['cloudformation', 'terraform'],
    });
  });

  it('a file whose text passes two prefilters goes to the first in PRECEDENCE', () => {
    expect(formatFor('Pulumi.yaml', CFN_AND_PULUMI)?.name).toBe('cloudformation');
    expect(formatFor('main.tf.json', TF_AND_CFN)?.name).toBe('cloudformation');
    expect(formatFor('Pulumi.yaml', 'resources:\n  t:\n    type: aws:dynamodb:Table\n')?.name).toBe('pulumi-yaml');
    expect(formatFor('main.tf.json', '{"resource": {"aws_dynamodb_table": {"t": {}}}}')?.name).toBe('terraform');
    expect(formatFor('template.yaml', 'nothing here')).toBeUndefined();
  });

  it('the order of FORMATS decides nothing', () => {
    const texts = [CFN_AND_PULUMI, TF_AND_CFN, 'aws:dynamodb:Table', 'aws_dynamodb_table', 'new dynamodb.Table(', ''];
    const orders = [[...FORMATS], [...FORMATS].reverse(), [FORMATS[2], FORMATS[0], FORMATS[3], FORMATS[1]]];
    for (const name of NAMES) {
      const accepting = orders.map((o) => formatsFor(name, o).map((f) => f.name));
      for (const a of accepting) expect(a, name).toEqual(accepting[0]);
      for (const text of texts) {
        const chosen = orders.map((o) => formatFor(name, text, o)?.name);
        for (const c of chosen) expect(c, `${name}: ${text}`).toBe(chosen[0]);
      }
    }
  });
});

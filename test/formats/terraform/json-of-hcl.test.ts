/**
 * HCL expressions written as Terraform JSON values (src/formats/terraform/tfjson.ts jsonOfHcl): a quoted
 * template stays a JSON string template (fixture pair tf-json-dotted-name checks a whole fix).
 */
import { describe, expect, it } from 'vitest';
import { jsonOfHcl } from '../../../src/formats/terraform/tfjson.js';

describe('jsonOfHcl', () => {
  it('a template whose interpolation holds quoted strings stays a plain template', () => {
    expect(jsonOfHcl('"alias/dynamodb/${replace(aws_dynamodb_table.t.name, ".", "-")}"')).toBe(
      'alias/dynamodb/${replace(aws_dynamodb_table.t.name, ".", "-")}',
    );
    expect(jsonOfHcl('"a-${lookup(var.m, "k${var.i}", "d")}-b"')).toBe('a-${lookup(var.m, "k${var.i}", "d")}-b');
  });

  it('escapes outside interpolations are decoded, $${ kept as the escape both forms share', () => {
    expect(jsonOfHcl('"say \\"hi\\" \\\\ $${x}"')).toBe('say "hi" \\ $${x}');
  });

  it('an expression that only starts or ends with a string is wrapped whole', () => {
    expect(jsonOfHcl('"a" == var.x ? "b" : "c"')).toBe('${"a" == var.x ? "b" : "c"}');
    expect(jsonOfHcl('"${var.a}" == "x"')).toBe('${"${var.a}" == "x"}');
    expect(jsonOfHcl('var.x')).toBe('${var.x}');
  });
});

/**
 * A switched-off table beside a customer-managed key of its own, fed through a local module call's inputs
 * (src/rule/cmk.ts switchedOff, detect.ts switchAlone): the call's switch input is turned on alone, once for the
 * call however many of the module's tables it feeds, the key it passes kept.
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const KEY = '"arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"';
const table = (name: string) => `resource "aws_dynamodb_table" "${name}" {
  name     = "${name}"
  hash_key = "id"

  attribute {
    name = "id"
    type = "S"
  }

  server_side_encryption {
    enabled     = var.sse_enabled
    kms_key_arn = var.kms_key_arn
  }
}
`;
const MODULE = `variable "sse_enabled" {
  type    = bool
  default = true
}

variable "kms_key_arn" {
  type    = string
  default = null
}

${table('a')}
${table('b')}`;

it('a local module call with its switch off and its own key: the switch input alone, once', async () => {
  const main = `provider "aws" {\n  region = "eu-west-1"\n}\n\nmodule "tables" {\n  source      = "./modules/tables"\n  sse_enabled = false\n  kms_key_arn = ${KEY}\n}\n`;
  const files = [
    { path: 'main.tf', text: main },
    { path: 'modules/tables/main.tf', text: MODULE },
  ];
  const r = await processMemory(files, 'fix');
  expect(r.outcomes.flatMap((o) => (o.error ? [o.error] : []))).toEqual([]);
  expect(r.output.get('main.tf')).toBe(main.replace('sse_enabled = false', 'sse_enabled = true'));
  const after = await processMemory([{ path: 'main.tf', text: r.output.get('main.tf')! }, files[1]], 'scan');
  // (The call's tables, reported at the call: the module's own file reports its tables as that module's.)
  const called = after.outcomes.filter((o) => o.file.path === 'main.tf').flatMap((o) => o.tables.map((t) => t.status));
  expect(called).toEqual(['customer-managed', 'customer-managed']);
});

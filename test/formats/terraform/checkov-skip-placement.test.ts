/**
 * Checkov reads a Terraform skip comment only strictly inside the block (checkov/terraform/context_parsers/
 * base_parser.py); Trivy's and KICS's ignores go on the line before it. A `#checkov:skip` above the block
 * counts under strict (the team's decision) but not under --profile checkov, whose gate it stands for
 * would fail the table: the message says to move it inside.
 */
import { expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';

const table = (name: string, above: string, inside: string) =>
  `${above}resource "aws_dynamodb_table" "${name}" {\n${inside}  name     = "${name}"\n  hash_key = "id"\n\n  attribute {\n    name = "id"\n    type = "S"\n  }\n}\n`;
const SKIP = '#checkov:skip=CKV_AWS_119:AWS owned key accepted\n';
const TEXT = `${table('above', SKIP, '')}\n${table('inside', '', `  ${SKIP}`)}\n${table('trivy', '#trivy:ignore:AVD-AWS-0025\n', '')}`;

it.each([
  ['strict', { above: 'suppressed', inside: 'suppressed', trivy: 'suppressed' }],
  ['checkov', { above: 'aws-owned', inside: 'suppressed', trivy: 'aws-owned' }],
  ['trivy', { above: 'aws-owned', inside: 'aws-owned', trivy: 'suppressed' }],
] as const)('under --profile %s', async (profile, want) => {
  const r = await processMemory([{ path: 'main.tf', text: TEXT }], 'scan', { profile });
  const got = Object.fromEntries(r.outcomes[0].tables.map((t) => [t.address.split('.')[1], t.status]));
  expect(got).toEqual(want);
  const above = r.outcomes[0].tables[0];
  expect(above.message.includes('is above the block, where checkov does not read it: move it inside the block')).toBe(
    profile === 'checkov',
  );
});

/**
 * The SARIF log of a run that plans as it goes (src/report/sarifStream.ts) spools each batch's
 * results and prints them at the end in the run's order: fed batches of whole fix groups in any
 * order, its bytes must be sarifLog's of the whole result, and no outcome may keep its text.
 */
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { FileOutcome } from '../../src/core/result.js';
import { processMemory } from '../../src/engine/memory.js';
import { sarifLog } from '../../src/report/sarif.js';
import { SarifStream } from '../../src/report/sarifStream.js';

const cfn = (name: string) =>
  `Resources:\n  ${name}:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n`;
const tf = (name: string) => `resource "aws_dynamodb_table" "${name}" {\n  name     = "${name}"\n  hash_key = "id"\n}\n`;

async function outcomes(): Promise<FileOutcome[]> {
  const { outcomes } = await processMemory(
    [
      { path: 'a.yaml', text: cfn('A') },
      { path: 'bad.yaml', text: 'Resources: [\n' },
      { path: 'mod/one.tf', text: tf('one') },
      { path: 'mod/two.tf', text: tf('two') },
      { path: 'z.yaml', text: cfn('Z') },
    ],
    'fix',
  );
  return outcomes;
}

/** Batches of whole groups (a Terraform module is one), in the given order of groups. */
function batches(list: FileOutcome[], order: number[]): FileOutcome[][] {
  const groups = new Map<string, FileOutcome[]>();
  list.forEach((o, i) => {
    const key = o.group ?? `\0${i}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  });
  const all = [...groups.values()];
  return order.map((i) => all[i]);
}

describe('the SARIF log of a run that plans as it goes', () => {
  it("is, byte for byte, the whole result's log, whatever order the groups come in", async () => {
    const list = await outcomes();
    expect(new Set(list.map((o) => o.group)).size).toBe(4);
    const whole = `${JSON.stringify(sarifLog(list, [{ file: 'x.yaml', message: 'cannot read' }], '9.9.9'), null, 2)}\n`;
    expect(whole).toContain('"fixes"');
    for (const order of [
      [0, 1, 2, 3],
      [3, 2, 1, 0],
      [2, 0, 3, 1],
    ]) {
      const stream = new SarifStream();
      const kept = new Map<FileOutcome, FileOutcome | undefined>();
      for (const batch of batches(list, order))
        stream.add(
          batch,
          (before, after) => kept.set(before, after),
          (o) => list.indexOf(o),
        );
      const light = list.map((o) => kept.get(o)!);
      for (const o of light) {
        expect(o.file.text).toBe('');
        expect(o.edits).toBeUndefined();
        expect(o.newText).toBeUndefined();
      }
      expect(stream.changed).toBe(4);
      const out: string[] = [];
      stream.end(light, [{ file: 'x.yaml', message: 'cannot read' }], '9.9.9', (t) => out.push(t));
      expect(out.join('')).toBe(whole);
    }
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith(`kmsfix-${process.pid}-`))).toEqual([]);
  });

  it('prints an empty run as the whole result does', () => {
    const out: string[] = [];
    const stream = new SarifStream();
    stream.end([], [], '1.0.0', (t) => out.push(t));
    expect(out.join('')).toBe(`${JSON.stringify(sarifLog([], [], '1.0.0'), null, 2)}\n`);
  });
});

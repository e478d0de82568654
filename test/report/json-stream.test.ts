/**
 * The JSON report of a fix written as it goes (src/report/jsonStream.ts) spools each settled file's
 * tables and diff and prints them in the run's order at the end: in whatever order the files
 * settle, its bytes must be the whole result's report (src/report/jsonReport.ts fixJson), and
 * nothing of a file may stay in the result but its error.
 */
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { FileOutcome } from '../../src/core/result.js';
import { processMemory } from '../../src/engine/memory.js';
import { fileDiff } from '../../src/report/diff.js';
import { fixJson } from '../../src/report/jsonReport.js';
import { JsonFixStream } from '../../src/report/jsonStream.js';

const yaml = (name: string, sse: string) =>
  `Resources:\n  ${name}:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n${sse}`;
const CMK =
  '      SSESpecification:\n        SSEEnabled: true\n        SSEType: KMS\n        KMSMasterKeyId: arn:aws:kms:us-east-1:111122223333:key/k\n';

/** This process's spool files left in the temp folder. */
const spools = () => readdirSync(tmpdir()).filter((n) => n.startsWith(`kmsfix-${process.pid}-`));

/**
 * The report streamed, the outcomes settled in `settleOrder` (indexes into `outcomes`, the run's
 * order; default: that order); `written`: which changed files were written.
 */
function streamed(outcomes: FileOutcome[], written: (o: FileOutcome) => boolean, settleOrder = outcomes.map((_, i) => i)) {
  const out: string[] = [];
  const json = new JsonFixStream((t) => out.push(t));
  const kept: FileOutcome[] = [];
  for (const order of settleOrder) {
    const o = outcomes[order];
    const changed = o.newText !== undefined;
    const k = json.settle(o, { delivered: changed && written(o), diff: changed ? fileDiff(o) : undefined, order });
    if (k) kept.push(k);
  }
  kept.sort((a, b) => outcomes.findIndex((o) => o.file.path === a.file.path) - outcomes.findIndex((o) => o.file.path === b.file.path));
  const changed = outcomes.filter((o) => o.newText !== undefined);
  json.end(kept, [], json.notes, changed.length, changed.filter(written).length);
  return { text: out.join(''), kept, json };
}

/** The whole result's report of the same run. */
function whole(outcomes: FileOutcome[], written: (o: FileOutcome) => boolean): string {
  const delivered = outcomes.map((o) => ({
    ...o,
    tables: o.tables.map((t) => {
      const fixed = t.planned === true && o.newText !== undefined && written(o);
      return { ...t, fixed, written: fixed };
    }),
  }));
  const files = outcomes.filter((o) => o.newText !== undefined).map((o) => ({ file: o.file.path, diff: fileDiff(o), written: written(o) }));
  return `${JSON.stringify(fixJson(delivered, [], files, []), null, 2)}\n`;
}

describe('the JSON report of a fix written as it goes', () => {
  it("is, byte for byte, the whole result's report, whatever order the files settle in, and keeps only the files with an error", async () => {
    const { outcomes } = await processMemory(
      [
        { path: 'a.yaml', text: yaml('A', '') },
        { path: 'cmk.yaml', text: yaml('Cmk', CMK) },
        { path: 'bad.yaml', text: 'Resources: [\n' },
        { path: 'b.yaml', text: yaml('B', '') },
        { path: 'c.yaml', text: yaml('C', '') },
      ],
      'fix',
    );
    // c.yaml refused by the guard, say: its table planned, not fixed.
    const written = (o: FileOutcome) => o.file.path !== 'c.yaml';
    const s = streamed(outcomes, written);
    expect(s.text).toBe(whole(outcomes, written));
    for (const order of [
      [4, 3, 2, 1, 0],
      [2, 0, 4, 1, 3],
    ])
      expect(streamed(outcomes, written, order).text).toBe(s.text);
    const report = JSON.parse(s.text);
    expect(report.summary).toMatchObject({ files: 5, tables: 4, planned: 3, fixed: 2, filesChanged: 3, filesWritten: 2, errors: 1 });
    expect(s.kept.map((o) => [o.file.path, o.tables.length])).toEqual([['bad.yaml', 0]]);
    expect(spools()).toEqual([]);
  });

  it('prints an empty run as the whole result does', () => {
    const s = streamed([], () => true);
    expect(s.text).toBe(whole([], () => true));
    expect(JSON.parse(s.text)).toMatchObject({ tables: [], files: [] });
  });

  it('reads back a large diff of multi-byte characters whole', async () => {
    // Characters of 2, 3 and 4 bytes in UTF-8: the spool's offsets are in bytes, its text in characters.
    const long = 'é€😀'.repeat(120_000);
    const { outcomes } = await processMemory([{ path: 'big.yaml', text: `Description: ${long}\n${yaml('Big', '')}` }], 'fix');
    const o = outcomes[0];
    const diff = `${fileDiff(o)}# ${long}\n`;
    const out: string[] = [];
    const json = new JsonFixStream((t) => out.push(t));
    json.settle({ ...o, tables: [] }, { delivered: true, diff: `é${diff}`, order: 1 });
    json.settle(o, { delivered: true, diff, order: 0 });
    json.end([], [], [], 2, 2);
    const report = JSON.parse(out.join(''));
    expect(report.files.map((f: { diff: string }) => f.diff)).toEqual([diff, `é${diff}`]);
    expect(report.tables).toHaveLength(1);
  });

  it('leaves no spool behind when the run fails before the end', async () => {
    const { outcomes } = await processMemory([{ path: 'a.yaml', text: yaml('A', '') }], 'fix');
    const json = new JsonFixStream(() => {});
    json.settle(outcomes[0], { delivered: true, diff: fileDiff(outcomes[0]), order: 0 });
    json.discard();
    json.discard();
    expect(spools()).toEqual([]);
  });
});

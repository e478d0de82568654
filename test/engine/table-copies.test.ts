/**
 * The run's own copies of the tables (src/engine/own.ts, made in src/engine/run.ts): what a run keeps
 * is copied (strings that share no memory with the file texts, the peers' verdicts shared and
 * frozen), and with onVerified only what the caller keeps (replace): a fix's text report keeps the
 * tables it names, its JSON report none, so copying every table as it came in was wasted work.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TableCopies } from '../../src/engine/own.js';
import { type RunOptions, run } from '../../src/engine/run.js';
import type { FileOutcome } from '../../src/core/result.js';

const TEMPLATE = (n: number) =>
  [
    'Resources:',
    ...Array.from({ length: n }, (_, i) => [
      `  Table${i}:`,
      '    Type: AWS::DynamoDB::Table',
      '    Properties:',
      '      BillingMode: PAY_PER_REQUEST',
      '      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]',
      '      KeySchema: [{ AttributeName: id, KeyType: HASH }]',
    ]).flat(),
    '',
  ].join('\n');

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A tree of `files` templates of two tables each, fixed by the engine (run() writes nothing), with `onVerified`; and how many tables were copied. */
async function fixed(files: number, onVerified?: RunOptions['onVerified']) {
  const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-copies-'));
  dirs.push(dir);
  for (let i = 0; i < files; i++) {
    mkdirSync(path.join(dir, `s${i}`));
    writeFileSync(path.join(dir, `s${i}`, 'template.yaml'), TEMPLATE(2));
  }
  const copied = vi.spyOn(TableCopies.prototype, 'copy');
  const result = await run(['.'], { cwd: dir, mode: 'fix', workers: 0, keyStrategy: 'per-table', acceptAwsManaged: false, onVerified });
  const tables = copied.mock.calls.reduce((n, [ts]) => n + ts.length, 0);
  return { result, tables };
}

/** Every table of `outcomes` a TableCopies copy: its peers' verdicts frozen, and shared between equal ones. */
function expectCopies(outcomes: FileOutcome[]): void {
  const tables = outcomes.flatMap((o) => o.tables);
  expect(tables.length).toBeGreaterThan(1);
  for (const t of tables) expect(Object.isFrozen(t.peers)).toBe(true);
  expect(new Set(tables.map((t) => t.peers)).size).toBe(1);
}

describe("the run's own copies of the tables", () => {
  it('a run without onVerified copies every table it keeps', async () => {
    const { result, tables } = await fixed(3);
    expect(tables).toBe(6);
    expectCopies(result.outcomes);
  });

  it('with onVerified, copies only the tables the caller keeps, as it keeps them', async () => {
    let handed = 0;
    // Keeps the first table of the first file handed over, drops the other files (as a fold does).
    const { result, tables } = await fixed(3, async (outcomes, replace) => {
      for (const o of outcomes) {
        // What the caller is handed is the run's outcome as it came in, not yet copied.
        expect(o.tables.every((t) => !Object.isFrozen(t.peers))).toBe(true);
        replace(o, handed++ === 0 ? { ...o, tables: [o.tables[0]] } : undefined);
      }
    });
    expect(tables).toBe(1);
    expect(result.outcomes).toHaveLength(1);
    expect(Object.isFrozen(result.outcomes[0].tables[0].peers)).toBe(true);
  });

  it('with onVerified, what the caller keeps is the object it gave (its sets and maps of outcomes still find it)', async () => {
    const kept: FileOutcome[] = [];
    const { result } = await fixed(2, async (outcomes, replace) => {
      for (const o of outcomes) {
        const light = { ...o, file: { ...o.file, text: '' }, newText: undefined, edits: undefined };
        kept.push(light);
        replace(o, light);
      }
    });
    expect(result.outcomes).toEqual(kept);
    for (const [i, o] of result.outcomes.entries()) expect(o).toBe(kept[i]);
    expectCopies(result.outcomes);
  });

  it('with onVerified, an outcome the caller never replaced is copied at the end', async () => {
    const { result, tables } = await fixed(2, async () => {});
    expect(tables).toBe(4);
    expectCopies(result.outcomes);
  });
});

/**
 * A file named on the command line that no format reads is said (a note: text on stderr, `notes` in
 * JSON), not passed over in silence: a CI step naming `main-cf.yml.j2` read "0 tables" (ASFHyP3/hyp3).
 * The same file met in a folder's walk says nothing; a template engine's CloudFormation file is read.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-helper.js';

const NOTE = 'notes.txt: not a kind of file kmsfix reads (by its name: see the formats in the README), skipped';

describe('files named on the command line', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-named-'));
    writeFileSync(path.join(dir, 'notes.txt'), 'Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n');
    writeFileSync(
      path.join(dir, 'main-cf.yml.j2'),
      'Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      TableName: "{{ env }}-t"\n',
    );
  });

  it('one no format reads: a note, in text and JSON; the exit code of a clean run', async () => {
    const text = await runCli(['scan', 'notes.txt'], dir);
    expect([text.code, text.stderr]).toEqual([0, `note: ${NOTE}\n`]);
    const json = await runCli(['scan', '--format', 'json', 'notes.txt'], dir);
    expect(JSON.parse(json.stdout).notes).toEqual([NOTE]);
  });

  it("a template engine's file is read; a folder's walk notes nothing it passes over", async () => {
    const named = await runCli(['scan', '--format', 'json', 'main-cf.yml.j2', 'notes.txt'], dir);
    const report = JSON.parse(named.stdout);
    expect(report.tables.map((t: { address: string; status: string }) => [t.address, t.status])).toEqual([['T', 'aws-owned']]);
    expect(report.notes).toEqual([NOTE]);
    const walked = await runCli(['scan', '--format', 'json', '.'], dir);
    expect(JSON.parse(walked.stdout).notes).toEqual([]);
  });
});

/**
 * The run's notes on CDK apps and Pulumi programs kmsfix does not read (src/io/cdkApps.ts) take a `Pulumi.yaml` or
 * `cdk.json`'s text from its read as a candidate (src/io/read.ts readCandidate's `utf8`) instead of reading the file a
 * second time: that text must be the one `readFileSync(file, 'utf8')` gives (a BOM kept, invalid bytes as U+FFFD, a
 * UTF-16 file's bytes read as UTF-8), whatever the prefilter, the decoding and the size limits make of the file, and
 * the notes those of the long way (every file read again by unreadCdkApps).
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accepts, run } from '../../src/engine/run.js';
import { unreadCdkApps } from '../../src/io/cdkApps.js';
import { discover, displayPath } from '../../src/io/discover.js';
import { readCandidate } from '../../src/io/read.js';
import { tempTree } from '../helpers/cli-helper.js';

const TABLE =
  'name: orders\nruntime: yaml\nresources:\n  orders:\n    type: aws:dynamodb:Table\n    properties:\n      attributes:\n' +
  '        - name: id\n          type: S\n      hashKey: id\n';

/** Each file's bytes, by its path in the tree. */
const FILES: Record<string, Buffer> = {
  'plain/Pulumi.yaml': Buffer.from('name: a\nruntime: go\n'),
  // A BOM kept: a runtime on the first line after it is not at a line's start (no note), one on the next line is.
  'bom-first/Pulumi.yaml': Buffer.from('\ufeffruntime: go\nname: b\n'),
  'bom/Pulumi.yaml': Buffer.from('\ufeffname: b\nruntime: python\n'),
  // UTF-16 (an error as a candidate, whose prefilter sees the decoded text): read as UTF-8, no runtime is found.
  'utf16/Pulumi.yaml': Buffer.from('\ufeffname: c\nruntime: go\n', 'utf16le'),
  'utf16-unmarked/Pulumi.yaml': Buffer.from('name: c\nruntime: java\n', 'utf16le'),
  // Not UTF-8 (an error as a candidate): its runtime is still read.
  'latin1/Pulumi.yaml': Buffer.concat([Buffer.from('name: d # caf'), Buffer.from([0xe9]), Buffer.from('\nruntime: dotnet\n')]),
  'nul/Pulumi.yaml': Buffer.from('name: e\0\nruntime: go\n'),
  'accented/Pulumi.yaml': Buffer.from('name: f # café 🔑\nruntime: go\n'),
  // Past the run's size limit (maxFileBytes below): not read as a candidate, read for its note.
  'large/Pulumi.yaml': Buffer.from(`name: g\nruntime: python\n${'# padding\n'.repeat(100)}`),
  // Past unreadCdkApps's own limit (1 MiB): no note.
  'huge/Pulumi.yaml': Buffer.from(`name: h\nruntime: python\n${'#'.repeat(1 << 20)}\n`),
  'table/Pulumi.yaml': Buffer.from(TABLE),
  'json/Pulumi.json': Buffer.from('{ "name": "i", "runtime": "java" }\n'),
  'node/Pulumi.yaml': Buffer.from('name: j\nruntime: nodejs\n'),
  // A cdk.json the JSON prefilter passes over, with and without a BOM (which JSON.parse refuses: no note).
  'cdk/cdk.json': Buffer.from('{ "app": "python3 app.py" }\n'),
  'cdk-bom/cdk.json': Buffer.from('\ufeff{ "app": "mvn -e -q compile exec:java" }\n'),
  'cdktf/cdktf.json': Buffer.from('{ "app": "pipenv run python main.py", "language": "python" }\n'),
};

let dir: string;
beforeAll(() => {
  dir = tempTree('app-notes', FILES);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a project file's text taken from its read as a candidate", () => {
  it("is readFileSync's UTF-8 string, whether the prefilter takes the file or not, within the size limit or past it", async () => {
    for (const rel of Object.keys(FILES)) {
      const abs = path.join(dir, rel);
      const long = readFileSync(abs, 'utf8');
      for (const explicit of [false, true])
        for (const take of [false, true]) {
          let got: string | undefined;
          const r = await readCandidate(
            abs,
            rel,
            explicit,
            () => take,
            undefined,
            undefined,
            false,
            (t) => (got = t),
          );
          expect(got, `${rel} ${explicit} ${take} (${r.kind})`).toBe(long);
        }
      // Not read at all: nothing is given (unreadCdkApps reads it itself).
      let got: string | undefined;
      const r = await readCandidate(
        abs,
        rel,
        false,
        () => true,
        8,
        undefined,
        false,
        (t) => (got = t),
      );
      expect(r.kind).toBe('error');
      expect(got).toBeUndefined();
    }
  });

  it("gives the run the notes of the long way (every project file read again), in the walk's order", async () => {
    const { cdkApps } = await discover(['.'], dir, accepts, undefined, { list: true });
    expect(cdkApps.length).toBe(Object.keys(FILES).length);
    const long = unreadCdkApps(cdkApps.map((absPath) => ({ absPath, shown: displayPath(absPath, dir) })));
    // The cases tell the two ways apart: a note for some, none for the others.
    expect(long.map((n) => n.slice(0, n.indexOf(':')))).toEqual(
      [
        'bom/Pulumi.yaml',
        'cdk/cdk.json',
        'cdktf/cdktf.json',
        'json/Pulumi.json',
        'large/Pulumi.yaml',
        'latin1/Pulumi.yaml',
        'nul/Pulumi.yaml',
        'plain/Pulumi.yaml',
        'accented/Pulumi.yaml',
      ].sort(),
    );
    for (const mode of ['scan', 'fix'] as const)
      for (const maxFileBytes of [undefined, 600]) {
        const r = await run(['.'], { cwd: dir, mode, workers: 0, acceptAwsManaged: false, keyStrategy: 'per-table', maxFileBytes });
        expect(r.notes, `${mode} ${maxFileBytes}`).toEqual(long);
      }
  });
});

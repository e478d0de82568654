/**
 * HashiCorp's parser on what a Terraform fix changed (src/formats/terraform/hclcheck.ts): the pieces
 * it checks, and the shapes under which it caches a verdict.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { outputProblem, shapeOf } from '../../../src/formats/terraform/hclcheck.js';
import { parseHcl, type HFile } from '../../../src/formats/terraform/parse.js';
import { parseStats } from '../../../src/core/fastparse.js';
import { processMemory } from '../../../src/engine/memory.js';
import { FIXTURES } from '../../helpers/fixture-cases.js';

describe('shapeOf', () => {
  it('replaces identifiers and plain words, keeps keywords, escapes, numbers and line breaks', () => {
    expect(
      shapeOf('resource "aws_kms_key" "tokens_1" {\n  count   = var.enabled ? 1 : 0\n  name = "a\\nb-${x.y[0]}"\n  on = true\n}\n'),
    ).toBe('x "x" "x" {\n x = x.x ? 1 : 0\n x = "x\\nb-${x.x[0]}"\n x = true\n}\n');
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
    expect(
      await outputProblem('main.tf', table.slice(0, after) + sameLine + table.slice(after), [{ start: after, end: after, text: sameLine }]),
    ).toMatch(/./);
    const block = '\n\nresource "aws_kms_key" "k" {\n  description = "unterminated\n}\n';
    expect(await outputProblem('main.tf', table + block, [{ start: table.length, end: table.length, text: block }])).toMatch(/./);
  });

  it("names a rejection's place as the user's file's line:column, not the piece's (session 50)", async () => {
    // Terraform rejects `enabled = true /* managed */ }` (Missing newline after argument); kmsfix's own
    // parser does too now (parse.ts), so the model is the one of the same text with that line break.
    const input = readFileSync(path.join(FIXTURES, 'terraform', 'bad', 'missing-newline', 'input.tf'), 'utf8');
    const at = input.indexOf('enabled = true') + 'enabled = true'.length;
    const insert = '\n    kms_key_arn = aws_kms_key.v.arn';
    const out = input.slice(0, at) + insert + input.slice(at);
    const model = await parseHcl(out.replace('*/ }', '*/\n}'));
    const problem = await outputProblem('main.tf', out, [{ start: at, end: at, text: insert }], model, input);
    expect(problem).toContain('main.tf:14:34: Missing newline after argument');
    expect(input.split('\n')[13].slice(33)).toBe('}');
  });

  it('takes the model of the output it is given (the re-detection made it) instead of parsing the text again, with the same verdicts', async () => {
    const at = table.indexOf('\n}');
    const cases = ['\n\n  server_side_encryption {\n    enabled     = true\n    kms_key_arn = aws_kms_key.t.arn\n  }', '\n  a = 1 b = 2'];
    for (const insert of cases) {
      const out = table.slice(0, at) + insert + table.slice(at);
      const edits = [{ start: at, end: at, text: insert }];
      const alone = await outputProblem('main.tf', out, edits);
      let model: HFile | undefined;
      try {
        model = await parseHcl(out);
      } catch {
        continue; // kmsfix's own parser rejects it: the re-detection reports that, no model to pass
      }
      const before = parseStats.hcl.fast + parseStats.hcl.reference;
      expect(await outputProblem('main.tf', out, edits, model)).toBe(alone);
      expect(parseStats.hcl.fast + parseStats.hcl.reference).toBe(before);
    }
  });

  it('a file named in capitals (`MAIN.TF.JSON`, `Main.TF`) is no Terraform file, as Terraform reads none: only the lower-case one is fixed', async () => {
    const json = readFileSync(path.join(FIXTURES, 'terraform', 'tf-json', 'input.tf.json'), 'utf8');
    const hcl = 'resource "aws_dynamodb_table" "t" {\n  name     = "t"\n  hash_key = "id"\n}\n';
    const run = await processMemory(
      [
        { path: 'm/main.tf.json', text: json },
        { path: 'u/MAIN.TF.JSON', text: json },
        { path: 'v/Main.TF', text: hcl },
      ],
      'fix',
    );
    const byPath = new Map(run.outcomes.map((o) => [o.file.path, o]));
    expect(byPath.get('m/main.tf.json')?.newText).toBe(
      readFileSync(path.join(FIXTURES, 'terraform', 'tf-json', 'expected.tf.json'), 'utf8'),
    );
    for (const p of ['u/MAIN.TF.JSON', 'v/Main.TF']) expect(byPath.get(p)?.tables ?? [], p).toEqual([]);
    expect(run.outcomes.filter((o) => o.newText !== undefined).map((o) => o.file.path)).toEqual(['m/main.tf.json']);
  });

  it('a Terraform fix parses each fixed text once (its re-detection), not again for HashiCorp’s check', async () => {
    const files = [
      { path: 'm/main.tf', text: table },
      { path: 'm/other.tf', text: 'resource "aws_dynamodb_table" "u" {\n  name = "u"\n}\n' },
    ];
    const before = parseStats.hcl.fast + parseStats.hcl.reference;
    const run = await processMemory(files, 'fix');
    const parses = parseStats.hcl.fast + parseStats.hcl.reference - before;
    expect(run.outcomes.every((o) => o.newText !== undefined && !o.error)).toBe(true);
    // Two files: detected (2), fixed and re-detected (2); siblings are each other's group files.
    expect(parses).toBe(4);
  });

  it('parses JSON outputs whole', async () => {
    expect(await outputProblem('main.tf.json', '{"resource": {}}', [])).toBeUndefined();
    // The name's case as detection reads it: a `.TF.JSON` file is JSON for both.
    expect(await outputProblem('MAIN.TF.JSON', '{"resource": {}}', [])).toBeUndefined();
    expect(await outputProblem('main.tf.json', '{"resource": }', [])).toMatch(/JSON|Unexpected/);
  });
});

describe('shapes kept for the next runs', () => {
  const table = 'resource "aws_dynamodb_table" "t" {\n  name = "t"\n}\n';
  const at = table.indexOf('\n}');
  const edit = (insert: string) => ({ out: table.slice(0, at) + insert + table.slice(at), edits: [{ start: at, end: at, text: insert }] });
  const good = edit('\n\n  server_side_encryption {\n    enabled     = true\n    kms_key_arn = aws_kms_key.t.arn\n  }');
  // (Accepted by kmsfix's parser, rejected by HashiCorp's: "Attribute redefined". `a = 1 b = 2` was
  // such a shape until kmsfix's parser rejected a missing newline after an argument, session 50.)
  const bad = edit('\n  a = 1\n  a = 2');
  const dirs: string[] = [];
  const saved = process.env.KMSFIX_CACHE_DIR;
  afterEach(() => {
    process.env.KMSFIX_CACHE_DIR = saved;
    if (saved === undefined) delete process.env.KMSFIX_CACHE_DIR;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  /** An empty cache folder, removed after the test. */
  function cacheFolder(): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-shapes-'));
    dirs.push(dir);
    return dir;
  }
  /** A cache folder where a first run kept the `good` shape, and its shapes file. */
  async function keptGood(): Promise<{ dir: string; file: string }> {
    const dir = cacheFolder();
    await (await fresh(dir)).outputProblem('main.tf', good.out, good.edits);
    const [name] = readdirSync(dir);
    return { dir, file: path.join(dir, name) };
  }
  /** hclcheck as a new process would load it. */
  async function fresh(cache: string) {
    process.env.KMSFIX_CACHE_DIR = cache;
    vi.resetModules();
    return import('../../../src/formats/terraform/hclcheck.js');
  }

  it('checks a Terraform JSON file named in capitals as JSON, as detection reads it (with no shape kept before)', async () => {
    const check = await fresh(cacheFolder());
    const out = '{"resource": {"aws_kms_key": {"k": {"enable_key_rotation": true}}}}\n';
    const insert = '"aws_kms_key": {"k": {"enable_key_rotation": true}}';
    const at = out.indexOf(insert);
    for (const name of ['main.tf.json', 'MAIN.TF.JSON', 'main.Tf.Json'])
      expect(await check.outputProblem(name, out, [{ start: at, end: at + insert.length, text: insert }]), name).toBeUndefined();
  });

  it('a later run does not call HashiCorp’s parser for a shape it accepted; a rejected shape is checked every time', async () => {
    const dir = cacheFolder();
    const first = await fresh(dir);
    expect(await first.outputProblem('main.tf', good.out, good.edits)).toBeUndefined();
    expect(await first.outputProblem('main.tf', bad.out, bad.edits)).toMatch(/./);
    expect(first.hcl2jsonCalls).toBe(2);
    const files = readdirSync(dir);
    expect(files).toEqual([expect.stringMatching(/^hcl2json-.*-shapes-1\.txt$/)]);
    expect(readFileSync(path.join(dir, files[0]), 'utf8').trim().split('\n')).toHaveLength(1);

    const second = await fresh(dir);
    expect(await second.outputProblem('main.tf', good.out, good.edits)).toBeUndefined();
    expect(second.hcl2jsonCalls).toBe(0);
    expect(await second.outputProblem('main.tf', bad.out, bad.edits)).toMatch(/./);
    expect(second.hcl2jsonCalls).toBe(1);
  });

  it('a new shape is added at the end of the file, after the shapes kept before (also after a damaged last line)', async () => {
    const { dir, file } = await keptGood();
    const before = readFileSync(file, 'utf8');
    const other = edit('\n  tags = { a = "b" }');
    const second = await fresh(dir);
    expect(await second.outputProblem('main.tf', other.out, other.edits)).toBeUndefined();
    expect(second.hcl2jsonCalls).toBe(1);
    const after = readFileSync(file, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    expect(after.trim().split('\n')).toHaveLength(2);

    // A last line cut short (no line break): the next shape still gets a line of its own.
    writeFileSync(file, after + 'cut-sho');
    const third = edit('\n  ttl { enabled = true }');
    await (await fresh(dir)).outputProblem('main.tf', third.out, third.edits);
    const reader = await fresh(dir);
    for (const e of [good, other, third]) expect(await reader.outputProblem('main.tf', e.out, e.edits)).toBeUndefined();
    expect(reader.hcl2jsonCalls).toBe(0);
  });

  it('a damaged cache file is read as no shapes; KMSFIX_CACHE_DIR=off keeps nothing', async () => {
    const { dir, file } = await keptGood();
    writeFileSync(file, '\u0000garbage\nnot a hash\n');
    const damaged = await fresh(dir);
    expect(await damaged.outputProblem('main.tf', good.out, good.edits)).toBeUndefined();
    expect(damaged.hcl2jsonCalls).toBe(1);

    const off = await fresh('off');
    expect(await off.outputProblem('main.tf', good.out, good.edits)).toBeUndefined();
    expect(off.hcl2jsonCalls).toBe(1);
  });
});

/**
 * The fast HCL parser (src/formats/terraform/hclfast.ts) against the reference path (tree-sitter):
 * on every Terraform file the tests know (fixtures, the peers' cases read in place), on generated
 * files and on mutated ones, it returns exactly the reference model, or nothing (and then
 * tree-sitter is used). Never a different model, never a model where tree-sitter finds an error.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deep, parseHcl, parseHclReference, type HFile } from '../../../src/formats/terraform/parse.js';
import { parseHclFast } from '../../../src/formats/terraform/hclfast.js';
import { prng, terraform } from '../../../bench/generate.mjs';
import { FIXTURES, ROOT } from '../../helpers/fixture-cases.js';
import { HAVE_PEERS, PEERS, itPeers } from '../../helpers/peer-cases.js';
import { randomTerraform } from '../../helpers/property-gen.js';
import { filesUnder, judge, mutants, type Verdict } from '../../helpers/differential.js';

const SEED = Number(process.env.KMSFIX_PROPERTY_SEED ?? 20261123);

/** Attributes without a literal carry `lit: undefined` on one side only: compare as JSON does. */
const plain = (m: HFile): unknown => JSON.parse(JSON.stringify(m));

async function compare(text: string): Promise<Verdict> {
  const reference = await parseHclReference(text).catch((e: Error) => e);
  return judge(text, parseHclFast(text, deep), reference, 'tree-sitter', plain);
}

/** Inputs nested thousands of levels deep exhaust any recursive parser's stack: the engine reports them (bad-input tests). */
const isDeep = (f: string) => /[\\/]bad[\\/]deep-/.test(f);
const usable = (f: string) => !readFileSync(f, 'utf8').includes('\0') && !isDeep(f);
const OWN = filesUnder(FIXTURES, /\.tf$/).filter(usable);
const PEER_FILES = HAVE_PEERS ? filesUnder(PEERS, /\.tf$/).filter(usable) : [];
const KNOWN = [...OWN, ...PEER_FILES];

/** The files of `files` the fast parser leaves to tree-sitter (paths relative to the repository root). */
async function fallbacksOf(files: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const f of files) if ((await compare(readFileSync(f, 'utf8').replace(/^\uFEFF/, ''))) !== 'fast') out.push(path.relative(ROOT, f));
  return out;
}
const isBad = (f: string) => f.includes(`${path.sep}bad${path.sep}`);

describe('fast HCL parser = tree-sitter', () => {
  it('on every Terraform file of the fixtures', async () => {
    expect(OWN.length).toBeGreaterThan(40);
    const fallbacks = await fallbacksOf(OWN);
    // Only broken files are left to tree-sitter (which reports their errors).
    expect(fallbacks.filter((f) => !isBad(f))).toEqual([]);
    expect(fallbacks.length).toBeGreaterThan(0);
  });

  itPeers('on every Terraform file of the peers’ cases', async () => {
    expect(PEER_FILES.length).toBeGreaterThan(10);
    expect(await fallbacksOf(PEER_FILES)).toEqual([]);
  });

  it('on generated files (property tests and benchmark generators), all on the fast path', async () => {
    for (let i = 0; i < 100; i++) {
      expect(await compare(randomTerraform(SEED + i).text)).toBe('fast');
      expect(await compare(terraform(prng(SEED + i)))).toBe('fast');
    }
  });

  it('on mutated files: the same model or a fallback, whatever the change', async () => {
    const bases = KNOWN.filter((f) => !isBad(f)).map((f) => readFileSync(f, 'utf8').replace(/^\uFEFF/, ''));
    const pieces = [
      ' ',
      '=',
      '{',
      '}',
      '[',
      ']',
      '(',
      ')',
      '"',
      '\n',
      '\r\n',
      '#',
      '//',
      '/*',
      '*/',
      ',',
      '.',
      ':',
      '?',
      '<<EOT\n',
      '${',
      '%{',
      '-',
      '!',
      '...',
      '\t',
    ];
    const fast = await mutants(bases, pieces, compare, SEED, 800);
    expect(fast).toBeGreaterThan(150); // the comparison is not vacuous
  });

  it.each([
    ['resource "aws_dynamodb_table" "t" {\n  name = "x"\n  policy = <<EOT\n  {"a": "${var.x}"}\n  EOT\n}\n', 'fast'],
    [
      'resource "aws_dynamodb_table" "t" {\n  x = [for k, v in var.m : upper(v) if v != ""]\n  y = {for k, v in var.m : k => v...}\n  z = var.list[*].id\n  w = var.obj.*.name\n  q = a.b[0].c\n  r = var.x ? 1 : 2\n  s = -1\n  t = !var.b\n  u = (1 + 2) * 3 % 4 / 5 - 6\n  v = 1 == 2 || 3 != 4 && 5 <= 6\n}\n',
      'fast',
    ],
    [
      'resource "aws_dynamodb_table" "t" {\n  tags = {\n    # comment\n    Name = "x" // c2\n    "Env" = var.env /* c3 */\n    (var.k) = 1,\n  }\n}\n',
      'fast',
    ],
    ['resource "aws_dynamodb_table" "t" {\r\n  name = "x"\r\n  server_side_encryption { enabled = true }\r\n}\r\n', 'fast'],
    ['resource "aws_dynamodb_table" "t" {\n\tname\t= "x"\n}\n', 'fast'],
    ['/* multi\nline */\nresource "aws_s3_bucket" "b" {}\n', 'fast'],
    ['resource "aws_dynamodb_table" "t" {\n  name = f(a, b...)\n  x = f(\n    a,\n    b,\n  )\n}\n', 'fast'],
    ['resource "aws_dynamodb_table" "t" {\n  x = "${a}${b}$${c}%%{d}"\n  y = "\\u00e9\\n"\n}\n', 'fast'],
    [
      'resource "aws_dynamodb_table" "t" {\n  lifecycle {\n    prevent_destroy = true\n  }\n  dynamic "replica" {\n    for_each = var.r\n    content {\n      region_name = replica.value\n    }\n  }\n}\n',
      'fast',
    ],
    ['resource "aws_dynamodb_table" "t" {\n  x = <<EOT\nEOTX\nEOT\n}\n', 'fast'],
    ['resource "aws_dynamodb_table" "t" {\n  name = "a" "b"\n}\n', 'fallback (reference error)'],
    ['resource "aws_dynamodb_table" "t" {\n  x = 1.5e3\n  y = 1e\n}\n', 'fallback (reference error)'],
    ['resource "aws_dynamodb_table" "t" {\n  x = <<EOT\nno close\n', 'fallback (reference error)'],
    ['resource "aws_dynamodb_table" "t" {\n  policy = <<-EOT\n    %{ if var.x }a%{ endif }\n  EOT\n}\n', 'fallback'],
    ['resource "aws_dynamodb_table" "t" {\n  x = provider::aws::arn_parse("a")\n}\n', 'fallback'],
    ['resource "aws_dynamodb_table" "t" {\n  x = 1 +\n    2\n}\n', 'fallback'],
  ] as const)('%j: %s', async (text, verdict) => {
    expect(await compare(text)).toBe(verdict);
  });

  // Attribute values read at once when nothing but spaces and a line comment follows them (hclfast.ts simpleValue), and their near misses.
  it.each([
    ...['"x"', '"x" # c', '"x"\t// c', '"x" /* c */', '"a$b"', '"a%b"', '"a\\"b"', '12', '1.5', '1.5E-3', 'true', 'false', 'null'],
    ...[
      'var.x',
      'aws_iam_role.r.arn',
      'a-b.c-d',
      'a.0',
      'a.for',
      'a.b # c',
      'a.b /* c */ ? 1 : 2',
      'x ? 1 : 2',
      '"x" ? 1 : 2',
      'a.b+1',
      '-1',
    ],
  ])('the simple value %s: the same model as tree-sitter', async (value) => {
    expect(await compare(`resource "aws_dynamodb_table" "t" {\n  a = ${value}\n  b = 1\n}\n`)).toBe('fast');
  });

  it.each([
    ['1e', 'fallback (reference error)'],
    ['1.', 'fallback (reference error)'],
    ['12ab', 'fallback (reference error)'],
    ['a..b', 'fallback (reference error)'],
    ['1.5.3', 'fallback'],
    ['true.x', 'fallback'],
    ['null[0]', 'fallback'],
    ['for', 'fallback'],
    ['in.x', 'fallback'],
    ['a .b', 'fallback'],
    ['f (1)', 'fallback'],
  ] as const)('the near miss %s: %s', async (value, verdict) => {
    expect(await compare(`resource "aws_dynamodb_table" "t" {\n  a = ${value}\n  b = 1\n}\n`)).toBe(verdict);
  });

  it('parseHcl uses the fast model and falls back to tree-sitter, which reports the error', async () => {
    const text = 'resource "aws_dynamodb_table" "t" {\n  name = "x"\n}\n';
    expect(plain(await parseHcl(text))).toEqual(plain(await parseHclReference(text)));
    await expect(parseHcl('resource "aws_dynamodb_table" "t" {\n  name = "x"\n')).rejects.toMatchObject({
      message: expect.stringMatching(/unclosed block/),
    });
  });
});

describe('the fast model’s nodes (made by constructors, not literals: hclfast.ts)', () => {
  /** Each node's own property names, in order, as the object literals made them before. */
  function shapes(m: HFile): string[] {
    const out: string[] = [];
    const item = (i: HFile['blocks'][number]['items'][number]): void => {
      out.push(Object.keys(i).join(','));
      if (i.kind === 'block') i.items.forEach(item);
      else if (i.lit) out.push(Object.keys(i.lit).join(','));
    };
    m.blocks.forEach(item);
    for (const c of m.comments) out.push(Object.keys(c).join(','));
    return out;
  }

  it('have the literals’ own properties in the literals’ order, and no other', () => {
    const text =
      'resource "aws_dynamodb_table" "t" {\n  # kept\n  name = "x"\n  n = 1\n  b = true\n  z = null\n  v = var.x\n' +
      '  e = 1 + 2\n  server_side_encryption { enabled = false }\n}\n';
    const m = parseHclFast(text, deep);
    expect(m).toBeDefined();
    const ATTR = 'kind,name,start,end,nameEnd,eq,valueStart,valueEnd,value,lit,row,endRow';
    expect(new Set(shapes(m!))).toEqual(
      new Set(['kind,type,labels,start,end,open,close,items,row,endRow', ATTR, 'type,value', 'type', 'start,end,row,text']),
    );
    const items = m!.blocks[0].items;
    expect(items.map((i) => (i.kind === 'attr' ? (i.lit ?? null) : i.kind))).toEqual([
      { type: 'string', value: 'x' },
      { type: 'number', value: '1' },
      { type: 'bool', value: true },
      { type: 'null' },
      null,
      null,
      'block',
    ]);
    expect(Array.isArray(m!.blocks[0].labels) && Array.isArray(items)).toBe(true);
  });
});

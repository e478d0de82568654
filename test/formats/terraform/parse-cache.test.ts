/**
 * The Terraform model cache (src/formats/terraform/parse.ts): tree-sitter's models only (the fast
 * parser reads a text again faster than the run keeps its model), sized for modules of many files,
 * so that a fix has tree-sitter parse each text once (a module's files for each of its files' fixes,
 * a fixed file for HashiCorp's check and for verification), and bounded by the text it holds, not
 * by a count.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HCL_CACHE_CHARS, hclCacheSize, parseHcl } from '../../../src/formats/terraform/parse.js';
import { prng, terraformModule } from '../../../bench/generate.mjs';
import { runCli } from '../../helpers/cli-helper.js';

describe('Terraform model cache', () => {
  // A template directive (`%{ if }`): the fast parser leaves such a text to tree-sitter.
  const directive = '%{ if true }y%{ endif }';

  it('holds at most HCL_CACHE_CHARS characters of text, whatever the number of texts', async () => {
    const body = `resource "aws_sqs_queue" "q" {\n  name = "${directive}${'x'.repeat(20_000)}"\n}\n`;
    const count = Math.ceil((2 * HCL_CACHE_CHARS) / body.length);
    for (let i = 0; i < count; i++) await parseHcl(`# ${i}\n${body}`);
    const { entries, chars } = hclCacheSize();
    expect(chars).toBeLessThanOrEqual(HCL_CACHE_CHARS);
    expect(chars).toBeGreaterThan(HCL_CACHE_CHARS / 2);
    expect(entries).toBeLessThan(count);
  });

  it('keeps many small texts (a module of many files) and returns the same model for the same text', async () => {
    const texts = Array.from({ length: 1500 }, (_, i) => `locals {\n  n${i} = "${directive}${i}"\n}\n`);
    const first = await parseHcl(texts[0]);
    for (const t of texts.slice(1)) await parseHcl(t);
    expect(await parseHcl(texts[0])).toBe(first);
    expect(hclCacheSize().entries).toBeGreaterThanOrEqual(1500);
  });

  it('does not keep what the fast parser read', async () => {
    const text = 'locals {\n  only_fast = 1\n}\n';
    const before = hclCacheSize();
    const first = await parseHcl(text);
    expect(hclCacheSize()).toEqual(before);
    const again = await parseHcl(text);
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });

  it('a fix of eight modules of 50 files has tree-sitter parse each distinct input text and each fixed output at most once', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-tfcache-'));
    try {
      const texts = new Set<string>();
      for (let m = 0; m < 8; m++) {
        const mod = path.join(dir, `mod${m}`);
        mkdirSync(mod);
        for (const [name, text] of Object.entries(terraformModule(prng(500 + m), { files: 50 }))) {
          writeFileSync(path.join(mod, name), text);
          texts.add(text);
        }
      }
      const stats = path.join(dir, 'stats.json');
      const r = await runCli(['fix', '--dry-run', '--format', 'json', '.'], dir, undefined, {
        KMSFIX_WORKERS: '0',
        KMSFIX_PARSER_STATS: stats,
        // Every text to tree-sitter, whose models are kept.
        KMSFIX_HCL_PARSER: 'reference',
      });
      const fixed = (JSON.parse(r.stdout) as { files: unknown[] }).files.length;
      expect(fixed).toBeGreaterThan(10);
      const { hcl } = JSON.parse(readFileSync(stats, 'utf8')) as { hcl: { fast: number; reference: number } };
      // Modules share some texts (versions.tf...): each distinct text once, each fixed output once (16
      // entries, as before: 471 parses here, against 435).
      expect(hcl.fast).toBe(0);
      expect(hcl.reference).toBeLessThanOrEqual(texts.size + fixed);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

/**
 * The reference-parser switches (src/core/fastparse.ts): KMSFIX_YAML_PARSER, KMSFIX_JSON_PARSER and
 * KMSFIX_HCL_PARSER=reference send every file of that language to its reference parser (`yaml`,
 * `jsonc-parser`, tree-sitter), and a run gives the same results either way. KMSFIX_PARSER_STATS
 * shows which parser read how many texts, so the switches are seen to take effect.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-helper.js';
import { FIXTURES } from '../helpers/fixture-cases.js';
import { cfnTemplate, prng, serverlessYml } from '../../bench/generate.mjs';

type Stats = Record<'yaml' | 'json' | 'hcl', { fast: number; reference: number }>;

const REFERENCE = { KMSFIX_YAML_PARSER: 'reference', KMSFIX_JSON_PARSER: 'reference', KMSFIX_HCL_PARSER: 'reference' };

async function run(args: string[], env: Record<string, string>, cwd = FIXTURES): Promise<{ stdout: string; stats: Stats }> {
  const stats = path.join(mkdtempSync(path.join(tmpdir(), 'kmsfix-stats-')), 'stats.json');
  // One thread, so that the stats file counts every parse of the run.
  const r = await runCli(args, cwd, undefined, { KMSFIX_WORKERS: '0', KMSFIX_PARSER_STATS: stats, ...env });
  return { stdout: r.stdout, stats: JSON.parse(readFileSync(stats, 'utf8')) as Stats };
}

describe('reference parser switches', () => {
  const args = ['fix', '--dry-run', '--format', 'json', 'cloudformation', 'pulumi-yaml', 'terraform'];

  it('by default the fast parsers read the fixtures (the reference ones only what they leave)', async () => {
    const { stats } = await run(args, {});
    for (const lang of ['yaml', 'json', 'hcl'] as const) expect(stats[lang].fast, lang).toBeGreaterThan(stats[lang].reference);
  });

  for (const [name, lang] of [
    ['KMSFIX_YAML_PARSER', 'yaml'],
    ['KMSFIX_JSON_PARSER', 'json'],
    ['KMSFIX_HCL_PARSER', 'hcl'],
  ] as const) {
    it(`${name}=reference sends every ${lang} text to the reference parser, and only those`, async () => {
      const { stats } = await run(args, { [name]: 'reference' });
      expect(stats[lang].fast).toBe(0);
      expect(stats[lang].reference).toBeGreaterThan(10);
      for (const other of (['yaml', 'json', 'hcl'] as const).filter((l) => l !== lang)) expect(stats[other].fast, other).toBeGreaterThan(0);
    });
  }

  it('every fixture gives the same statuses, fixes, diffs and errors with the reference parsers', async () => {
    // bad/deep-nesting is the exception by design: the fast parsers read 10,000 levels, where the
    // reference ones run out of stack (YAML) or accept what the fast HCL parser refuses.
    const good = (j: { tables: { file: string }[]; files: { file: string }[]; errors: { file: string }[] }) => ({
      tables: j.tables.filter((t) => !t.file.includes('/deep-nesting/')),
      files: j.files.filter((f) => !f.file.includes('/deep-nesting/')),
      errors: j.errors.filter((e) => !e.file.includes('/deep-nesting/')),
    });
    const fast = good(JSON.parse((await run(args, {})).stdout));
    const reference = good(JSON.parse((await run(args, REFERENCE)).stdout));
    expect(reference).toEqual(fast);
    expect(fast.files.length).toBeGreaterThan(30);
    expect(fast.errors.length).toBeGreaterThan(5);
  }, 120_000);

  it('generated templates with anchors, aliases and merge keys: the fast YAML parser reads them all, with the same statuses, fixes (declines through anchors included) and diffs as yaml', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kmsfix-anchored-'));
    try {
      for (let i = 0; i < 40; i++) {
        const sub = path.join(dir, `t${i}`);
        mkdirSync(sub);
        if (i % 4 === 3) writeFileSync(path.join(sub, 'serverless.yml'), serverlessYml(prng(7000 + i)));
        else writeFileSync(path.join(sub, 'template.yaml'), cfnTemplate(prng(7000 + i), { sam: i % 4 === 1, crlf: i % 8 === 2 }));
      }
      const fixArgs = ['fix', '--dry-run', '--format', 'json', '.'];
      const fast = await run(fixArgs, {}, dir);
      const reference = await run(fixArgs, { KMSFIX_YAML_PARSER: 'reference' }, dir);
      expect(fast.stats.yaml.reference).toBe(0);
      expect(reference.stats.yaml.fast).toBe(0);
      const f = JSON.parse(fast.stdout);
      expect(JSON.parse(reference.stdout)).toEqual(f);
      expect(f.files.length).toBeGreaterThan(20);
      expect(f.errors).toEqual([]);
      // Some tables are declined because of anchors: the alias-safety rules see the fast tree's anchors.
      expect(fast.stdout).toMatch(/YAML (anchor|alias|merge)|anchor &/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

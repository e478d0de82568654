/**
 * The reference-parser switches (src/core/fastparse.ts): KMSFIX_YAML_PARSER, KMSFIX_JSON_PARSER and
 * KMSFIX_HCL_PARSER=reference send every file of that language to its reference parser (`yaml`,
 * `jsonc-parser`, tree-sitter), and a run gives the same results either way. KMSFIX_PARSER_STATS
 * shows which parser read how many texts, so the switches are seen to take effect.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-helper.js';
import { FIXTURES } from '../helpers/fixture-cases.js';

type Stats = Record<'yaml' | 'json' | 'hcl', { fast: number; reference: number }>;

const REFERENCE = { KMSFIX_YAML_PARSER: 'reference', KMSFIX_JSON_PARSER: 'reference', KMSFIX_HCL_PARSER: 'reference' };

async function run(args: string[], env: Record<string, string>): Promise<{ stdout: string; stats: Stats }> {
  const stats = path.join(mkdtempSync(path.join(tmpdir(), 'kmsfix-stats-')), 'stats.json');
  // One thread, so that the stats file counts every parse of the run.
  const r = await runCli(args, FIXTURES, undefined, { KMSFIX_WORKERS: '0', KMSFIX_PARSER_STATS: stats, ...env });
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
});

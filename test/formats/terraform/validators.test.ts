/**
 * Validators on every Terraform fixture's expected output: HashiCorp's parser (@cdktf/hcl2json)
 * accepts it, and `terraform fmt -check` passes on every output whose input was fmt-clean.
 * A missing validator fails the test: nothing is skipped silently.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fixtureCases } from '../../helpers/fixture-cases.js';
import { fmtClean, TERRAFORM, TF_ENV as env } from '../../helpers/terraform-helpers.js';

const cases = fixtureCases('terraform');

describe('terraform validators', () => {
  it('terraform is installed', () => {
    let out = '';
    try {
      out = execFileSync(TERRAFORM, ['version'], { env, encoding: 'utf8' });
    } catch (e) {
      throw new Error(`terraform is required by the Terraform validators and could not be run: ${(e as Error).message}`);
    }
    expect(out).toMatch(/Terraform v\d/);
  });

  it('@cdktf/hcl2json loads', async () => {
    const mod = await import('@cdktf/hcl2json');
    expect(typeof mod.parse).toBe('function');
  });

  for (const c of cases) {
    for (let i = 0; i < c.expected.length; i++) {
      const exp = c.expected[i];
      const input = c.input.find((f) => f.path === exp.path);
      const json = exp.path.endsWith('.json');
      it(`${c.name}/${exp.path}: HashiCorp's parser accepts the expected output`, async () => {
        if (json) {
          expect(() => JSON.parse(exp.text)).not.toThrow();
        } else {
          const { parse } = await import('@cdktf/hcl2json');
          await expect(parse('main.tf', exp.text)).resolves.toBeTypeOf('object');
        }
      });
      if (json || !input) continue;
      it(`${c.name}/${exp.path}: terraform fmt -check (input was fmt-clean -> output is)`, () => {
        const before = fmtClean(input.text);
        if (!before.clean) return; // an input that was not fmt-clean is not made so
        const after = fmtClean(exp.text);
        expect(after.clean, after.diff).toBe(true);
      });
    }
  }

  it('every fmt-clean case is checked (most inputs are fmt-clean)', () => {
    const inputs = cases.flatMap((c) => c.input.filter((f) => f.path.endsWith('.tf')));
    const clean = inputs.filter((f) => fmtClean(f.text).clean);
    expect(clean.length).toBeGreaterThan(inputs.length / 2);
  });
});

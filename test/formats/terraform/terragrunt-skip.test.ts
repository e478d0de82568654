/**
 * Whether terragrunt deploys a unit (terragruntSkip.ts): `skip = true` and an `exclude` of apply keep it out, and
 * kmsfix neither names it as deploying a fixed module folder nor reads its inputs as that folder's; a value that
 * is not a literal leaves it a unit that may deploy (adversarial pass, session 56, F4).
 */
import { describe, expect, it } from 'vitest';
import { unitDeploys } from '../../../src/formats/terraform/terragruntSkip.js';

const TF = 'terraform {\n  source = "../../modules//ddb"\n}\n';

describe('unitDeploys', () => {
  it.each([
    ['skip = true', 'skip = true'],
    ['skip = "true"', 'skip = true'],
    ['exclude {\n  if      = true\n  actions = ["all"]\n}', 'exclude { if = true, actions = ["all"] }'],
    ['exclude {\n  if      = true\n  actions = ["apply"]\n  no_run  = true\n}', 'exclude { if = true, actions = ["apply"] }'],
    [
      'exclude {\n  if      = true\n  actions = ["plan", "all_except_output"]\n}',
      'exclude { if = true, actions = ["plan","all_except_output"] }',
    ],
  ])('%s: not deployed', (lines, why) => {
    expect(unitDeploys(`${lines}\n\n${TF}`)).toEqual({ kind: 'no', why });
  });

  it.each([
    ['none', ''],
    ['skip = false', 'skip = false'],
    ['an exclude that is off', 'exclude {\n  if      = false\n  actions = ["all"]\n}'],
    ['an exclude of plan or destroy only', 'exclude {\n  if      = true\n  actions = ["plan", "destroy"]\n}'],
    ['an exclude of plan only, whatever its if', 'exclude {\n  if      = local.off\n  actions = ["plan"]\n}'],
    ['skip in a comment', '# skip = true'],
  ])('%s: deployed', (_, lines) => {
    expect(unitDeploys(`${lines}\n\n${TF}`)).toEqual({ kind: 'yes' });
  });

  it.each([
    ['skip = local.retired', 'its skip = local.retired is not a literal kmsfix reads'],
    [
      'exclude {\n  if      = feature.off.value\n  actions = ["all"]\n}',
      'its exclude { if = feature.off.value } is not a literal kmsfix reads',
    ],
    ['exclude {\n  if      = true\n  actions = local.actions\n}', 'its exclude { actions = local.actions } is not a literal kmsfix reads'],
  ])('%s: may deploy', (lines, why) => {
    expect(unitDeploys(`${lines}\n\n${TF}`)).toEqual({ kind: 'may', why });
  });

  it('the JSON form is read alike', () => {
    expect(unitDeploys('{"skip": true, "terraform": {"source": "../../modules//ddb"}}')).toEqual({ kind: 'no', why: 'skip = true' });
    expect(unitDeploys('{"exclude": {"if": true, "actions": ["all"]}, "terraform": {"source": "../m"}}').kind).toBe('no');
  });
});

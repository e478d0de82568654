/**
 * The key settings contract (src/rule/keySettings.ts) in CloudFormation/SAM/Serverless and Pulumi
 * YAML: settings given explicitly at their defaults write every expected output byte for byte (the
 * non-default renderings are fixture pairs: fixtures/cloudformation/key-settings*,
 * fixtures/pulumi-yaml/key-settings*).
 */
import { describe, expect, it } from 'vitest';
import { processMemory } from '../../../src/engine/memory.js';
import { DEFAULT_ALIAS, DEFAULT_DELETION_WINDOW, DEFAULT_DESCRIPTION } from '../../../src/rule/keySettings.js';
import { fixtureCases } from '../../helpers/fixture-cases.js';

const DEFAULTS = {
  tags: {},
  multiRegion: false,
  deletionWindowDays: DEFAULT_DELETION_WINDOW,
  description: DEFAULT_DESCRIPTION,
  alias: DEFAULT_ALIAS,
};

describe('key settings at their defaults change no expected output', () => {
  for (const family of ['cloudformation', 'pulumi-yaml']) {
    for (const c of fixtureCases(family).filter((x) => x.options.key === undefined && !x.options.kmsKeyArn)) {
      it(`${family}/${c.name}`, async () => {
        const r = await processMemory(c.input, 'fix', { ...c.options, key: DEFAULTS });
        const want = new Map(c.expected.map((f) => [f.path, f.text]));
        for (const [p, text] of r.output) expect(text, p).toBe(want.get(p));
      });
    }
  }
});

/**
 * The substring tests detect.ts runs before the real work: a comment that could hold a suppression
 * (MAYBE_SUPPRESSION before commentSuppressions). Each must let through everything the real test
 * accepts, or a table would lose its suppression.
 */
import { describe, expect, it } from 'vitest';
import { MAYBE_SUPPRESSION, commentSuppressions } from '../../../src/core/suppressions.js';
import { prng } from '../../../bench/generate.mjs';

describe('MAYBE_SUPPRESSION', () => {
  it('matches every comment that holds a suppression', () => {
    const r = prng(3);
    const parts = [
      'checkov:skip=CKV_AWS_119',
      'checkov:skip=CKV_AWS_271:reason',
      'trivy:ignore:AVD-AWS-0025',
      'TFSEC:IGNORE:aws-dynamodb-table-customer-key',
      'tfsec:ignore:avd-aws-0025:exp:2999-01-01',
      'kics-scan ignore-block',
      'kics-scan\tignore-line',
      'kmsfix:ignore',
      'kmsfix:ignore legacy table',
      'kmsfix: ignore',
      'KMSFIX-IGNORE',
      'kms-fix skip',
      '// ',
      '/* ',
      ' */',
      'reason: ',
      'skip',
      'ignore',
      ':',
      'x',
    ];
    let held = 0;
    for (let k = 0; k < 5000; k++) {
      const comment = Array.from({ length: r.int(1, 4) }, () => r.pick(parts)).join(r.pick(['', ' ', '\n']));
      if (commentSuppressions(comment).length === 0) continue;
      held++;
      expect(MAYBE_SUPPRESSION.test(comment), comment).toBe(true);
    }
    expect(held).toBeGreaterThan(1000);
    expect(MAYBE_SUPPRESSION.test('// Managed by the payments service.')).toBe(false);
  });
});

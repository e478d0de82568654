/**
 * Trivy/tfsec ignore comments read as Trivy reads them (pkg/iac/ignore/parse.go): any word of the
 * comment starting `trivy:` or `tfsec:`, `key:value` sections in any order, the rule's IDs (its AVD
 * ID, its long ID, tfsec's legacy AWS092, `*`). An expired, workspace-scoped or instance-scoped
 * ignore suppresses nothing (the code is the same for every workspace and instance).
 */
import { describe, expect, it } from 'vitest';
import { commentSuppressions } from '../../src/core/suppressions.js';

const TODAY = new Date('2026-12-03T12:00:00Z');
const read = (c: string) => commentSuppressions(c, TODAY).map((s) => `${s.tool}: ${s.text}`);

describe('Trivy and tfsec ignores', () => {
  it.each([
    ['#trivy:ignore:AVD-AWS-0025', 'trivy: trivy:ignore:AVD-AWS-0025'],
    ['# tfsec:ignore:aws-dynamodb-table-customer-key', 'trivy: tfsec:ignore:aws-dynamodb-table-customer-key'],
    ['#tfsec:ignore:AWS092', 'trivy: tfsec:ignore:AWS092'],
    ['#tfsec:ignore:AWS086 #tfsec:ignore:AWS092 short lived table', 'trivy: tfsec:ignore:AWS092'],
    ['#trivy:ignore:*', 'trivy: trivy:ignore:*'],
    ['// trivy:ignore:AVD-AWS-0025:exp:2027-01-01', 'trivy: trivy:ignore:AVD-AWS-0025 (until 2027-01-01)'],
  ])('%s suppresses', (comment, text) => {
    expect(read(comment)).toEqual([text]);
  });

  it.each([
    ['another rule', '#tfsec:ignore:AWS086'],
    ['an expired ignore', '#trivy:ignore:AVD-AWS-0025:exp:2020-01-01'],
    ['an expiry after a workspace', '#trivy:ignore:AVD-AWS-0025:ws:dev:exp:2020-01-01'],
    ['a date Trivy cannot read', '#trivy:ignore:AVD-AWS-0025:exp:soon'],
    ['a workspace-scoped ignore', '#tfsec:ignore:aws-dynamodb-table-customer-key:ws:dev'],
    ['an ignore of some instances', '#trivy:ignore:AVD-AWS-0025[name=scratch]'],
    ['a mention in prose', '# see trivy docs for ignore:AVD-AWS-0025'],
  ])('%s suppresses nothing', (_, comment) => {
    expect(read(comment)).toEqual([]);
  });
});

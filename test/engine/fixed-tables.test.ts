/**
 * A file's tables once its group is fixed (src/engine/pipeline.ts fixedTables): set in place, not
 * copied, with their fields in the order a copy made them (`{ ...t, planned: true, fixed: true }`),
 * which is the order of every report that prints a table's fields (JSON, SARIF properties).
 */
import { describe, expect, it } from 'vitest';
import { fixedTables } from '../../src/engine/pipeline.js';
import type { TableReport } from '../../src/core/result.js';

function table(address: string, extra: Partial<TableReport> = {}): TableReport {
  return {
    line: 3,
    column: 3,
    format: 'cloudformation',
    type: 'AWS::DynamoDB::Table',
    address,
    status: 'aws-owned',
    message: 'No SSESpecification',
    file: 't.yaml',
    compliant: false,
    fixable: true,
    peers: {} as TableReport['peers'],
    suppressions: [],
    reason: 'no SSESpecification',
    ...extra,
  };
}

describe('fixedTables', () => {
  const fix = {
    planned: ['Planned'],
    declined: [{ address: 'Declined', reason: 'Properties comes from a YAML merge key' }],
  };

  it('sets planned, declined and untouched tables in place', () => {
    const tables = [table('Planned'), table('Declined', { blocker: 'b' }), table('Other')];
    const objects = [...tables];
    const out = fixedTables(tables, fix);
    expect(out).toBe(tables);
    for (const [i, t] of out.entries()) expect(t).toBe(objects[i]);
    expect(out[0]).toMatchObject({ planned: true, fixed: true, fixable: true });
    expect(out[1]).toMatchObject({
      fixable: false,
      message: 'No SSESpecification. Not fixable automatically: Properties comes from a YAML merge key',
    });
    expect(out[1].planned).toBeUndefined();
    expect(out[2]).toEqual(table('Other'));
  });

  it('keeps the field order a copy gave them', () => {
    const spread = (t: TableReport): TableReport =>
      t.address === 'Planned'
        ? { ...t, planned: true, fixed: true }
        : t.address === 'Declined'
          ? { ...t, fixable: false, message: `${t.message}. Not fixable automatically: ${fix.declined[0].reason}` }
          : t;
    const made = () => [table('Planned', { testCode: true }), table('Declined', { notScannedBy: 'kics' }), table('Other')];
    const expected = made().map(spread);
    const out = fixedTables(made(), fix);
    expect(out.map((t) => JSON.stringify(t))).toEqual(expected.map((t) => JSON.stringify(t)));
    expect(Object.keys(out[0]).slice(-2)).toEqual(['planned', 'fixed']);
  });
});

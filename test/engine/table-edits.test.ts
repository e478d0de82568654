/**
 * Each table's share of a fix (Edit.tables), as SARIF's per-table fixes take it: for every fixture
 * and every planned table, the edits that serve it, applied alone in every file of its group, pass
 * the engine's whole verification (parse, re-detection, the format's checks) with that table fixed
 * and every other table as it was, except the tables whose own edits all come with it (joined: a
 * .tf.json file's fix is one edit; a table whose anchor another table's fix replaces needs that fix).
 */
import { describe, expect, it } from 'vitest';
import { editsServing } from '../../src/core/edits.js';
import type { Edit, FixOptions } from '../../src/core/types.js';
import { processMemory, verifyMemory } from '../../src/engine/memory.js';
import { families, fixtureCases } from '../helpers/fixture-cases.js';

/** Fixture cases (family/case) where some table's fix brings other tables' fixes with it, and which. */
const JOINED: Record<string, Record<string, string[]>> = {
  'cloudformation/yaml-anchor-shared': { OrdersTable: ['ReturnsTable'] },
  'pulumi-yaml/anchors': { template: ['orders'] },
  'terraform/tf-json': {
    'aws_dynamodb_table.orders': ['aws_dynamodb_table.events'],
    'aws_dynamodb_table.events': ['aws_dynamodb_table.orders'],
  },
  'terraform/tf-json-array-levels': {
    'aws_dynamodb_table.orders': ['aws_dynamodb_table.invoices'],
    'aws_dynamodb_table.invoices': ['aws_dynamodb_table.orders'],
  },
  'terraform/key-settings-json': {
    'aws_dynamodb_table.orders': ['aws_dynamodb_table.events'],
    'aws_dynamodb_table.events': ['aws_dynamodb_table.orders'],
  },
  // key-settings-json's input, with key: deny_direct_grants.
  'terraform/deny-direct-grants-json-iam': {
    'aws_dynamodb_table.orders': ['aws_dynamodb_table.events'],
    'aws_dynamodb_table.events': ['aws_dynamodb_table.orders'],
  },
};

describe('the edits that serve one table are a valid fix of that table alone', () => {
  let checked = 0;
  for (const family of families()) {
    for (const c of fixtureCases(family)) {
      const variants: [string, Partial<FixOptions>][] = [['', c.options]];
      if (!c.options.kmsKeyArn && c.options.keyStrategy !== 'shared')
        variants.push([' (shared key)', { ...c.options, keyStrategy: 'shared' }]);
      for (const [label, options] of variants) {
        it(`${family}/${c.name}${label}`, async () => {
          const run = await processMemory(c.input, 'fix', options);
          expect(run.outcomes.flatMap((o) => (o.error ? [o.error] : []))).toEqual([]);
          const groups = new Map<string, typeof run.outcomes>();
          for (const o of run.outcomes) if (o.group !== undefined) groups.set(o.group, [...(groups.get(o.group) ?? []), o]);
          const joined: Record<string, string[]> = {};
          for (const members of groups.values()) {
            const planned = members.flatMap((o) => o.tables.filter((t) => t.planned).map((t) => t.address));
            const serving = (address: string) => new Map(members.map((o) => [o.file.path, editsServing(o.edits ?? [], address)]));
            for (const address of planned) {
              const slice = serving(address);
              // The tables this slice fixes: those whose every serving edit it holds.
              const within = (edits: Map<string, Edit[]>) => [...edits].every(([p, es]) => es.every((e) => slice.get(p)!.includes(e)));
              const fixes = planned.filter((a) => within(serving(a)));
              expect(fixes, address).toContain(address);
              const fixed = new Map(
                members.map((o) => [o.file.path, o.tables.filter((t) => fixes.includes(t.address)).map((t) => t.address)]),
              );
              const errors = await verifyMemory(c.input, slice, fixed, options);
              expect([...errors.values()], address).toEqual([]);
              if (fixes.length > 1) joined[address] = fixes.filter((a) => a !== address);
              checked++;
            }
          }
          expect(joined).toEqual(JOINED[`${family}/${c.name}`] ?? {});
        });
      }
    }
  }
  it('checked tables', () => {
    expect(checked).toBeGreaterThan(100);
  });
});

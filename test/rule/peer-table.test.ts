/** The peer tables of docs/scanner-parity.md (moved there from the README) are generated from src/rule/peers: it must match what the code computes now. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { withPeerTable } from '../../src/rule/peers/table.js';
import { ROOT } from '../helpers/fixture-cases.js';

it('docs/scanner-parity.md peer table is up to date (npm run docs:peers)', () => {
  const readme = readFileSync(path.join(ROOT, 'docs', 'scanner-parity.md'), 'utf8');
  expect(readme).toBe(withPeerTable(readme));
  expect(readme).toContain('| `aws-owned` | no `SSESpecification` |');
});

/**
 * `--skip-table PATTERN` (and a configuration file's `skip_table:`): tables left out of the rule by
 * address, the way Checkov's `--skip-check` leaves out a rule (for a tool of one rule, a skip by
 * table is the useful one). `*` matches any characters (dots included), `?` one; the whole address
 * must match: `OrdersTable`, `aws_dynamodb_table.legacy_*`, `module.cache.*`.
 */
import { globMatcher } from '../core/text.js';

/** The first pattern that matches the table's address, if any. */
export function skippedBy(address: string, patterns: readonly string[] | undefined): string | undefined {
  return patterns?.find((p) => globMatcher(p).test(address));
}

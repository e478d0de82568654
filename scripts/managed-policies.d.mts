/** Types for scripts/managed-policies.mjs (used by test/rule/managed-policies.test.ts). */
export function classify(document: unknown): { kind: 'kms' | 'dynamodb' | 'partial' | 'none'; why?: string };

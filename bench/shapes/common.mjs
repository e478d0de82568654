/** What every corpus shape shares: the seeded random source, word lists, comments. */

/** mulberry32: small, fast, seeded. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    chance: (p) => next() < p,
  };
}

export const WORDS = [
  'orders',
  'users',
  'sessions',
  'audit',
  'ledger',
  'payments',
  'events',
  'inventory',
  'carts',
  'invoices',
  'tokens',
  'devices',
  'metrics',
  'profiles',
  'shipments',
  'catalog',
];
export const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];
export const cap = (s) => s[0].toUpperCase() + s.slice(1);
/** snake_case or kebab-case word to PascalCase. */
export const pascal = (s) => s.split(/[-_]/).map(cap).join('');

export function comment(r, prefix) {
  return r.pick([
    `${prefix} Owned by the platform team; see the runbook before changing capacity.`,
    `${prefix} TODO: revisit the key schema once access patterns settle.`,
    `${prefix} Streams feed the audit pipeline.`,
    `${prefix} Keep in sync with the application's data model.`,
    `${prefix} Managed by the ${r.pick(WORDS)} service.`,
  ]);
}

/** `n` distinct words (n <= WORDS.length), in a seeded order. */
export function words(r, n) {
  const pool = [...WORDS];
  const out = [];
  while (out.length < n && pool.length) out.push(pool.splice(Math.floor(r.next() * pool.length), 1)[0]);
  return out;
}

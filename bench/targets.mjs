/**
 * The targets of issue 16, computed from one bench run's numbers (ratios within that run):
 * met (true), missed (false) or not measured (null). Pure, so that test/bench-targets.test.ts can
 * check the arithmetic.
 */

export const TARGETS = {
  /** Dense scan, all formats together, MB/s. */
  scanAllMBps: 8,
  /** Dense scan of each format on its own (YAML with anchors and aliases included), MB/s. */
  scanFormatMBps: 5,
  /** Fix time over its floor (scan + verification's parse and detection + bare atomic writes). */
  fixOverFloor: 1.3,
  /** Fix time over scan time, dense corpus. */
  fixOverScan: 2.5,
  /** Fix peak RSS at every corpus size, MB. */
  fixRssMb: 400,
  /** The corpus sizes the fix's RSS is measured at (multiples of the dense corpus). */
  rssSizes: [1, 2, 4, 8],
  /** "Flat": peak RSS at the largest size measured within this factor of the RSS at 1x (the bench's reading of the issue's word). */
  rssFlat: 1.25,
  /** One-file `kmsfix scan FILE` over `node -e 0`, each format. */
  oneFileOverNode: 1.6,
};

// Three decimals, so that a ratio just past a limit never prints as the limit itself.
const x = (v) => `${v.toFixed(3)}x`;

/**
 * m: { scanAll: MB/s, scanFormats: { label: MB/s }, fixOverFloor, fixOverScan,
 *      rss: [{ size, mb }], rssJson?: [{ size, mb }], rssHeld?: [{ size, mb }], nodeMs, oneFile: { label: ms },
 *      nodeBareMs?, oneFileBare?: { label: ms } (the same without NODE_EXTRA_CA_CERTS) }
 * Returns [{ target, ok, value }] in the issue's order.
 */
export function checkTargets(m, t = TARGETS) {
  const out = [];
  out.push({
    target: `dense scan >= ${t.scanAllMBps} MB/s overall`,
    ok: m.scanAll >= t.scanAllMBps,
    value: `${m.scanAll.toFixed(2)} MB/s`,
  });
  for (const [label, v] of Object.entries(m.scanFormats)) {
    out.push({ target: `dense scan >= ${t.scanFormatMBps} MB/s: ${label}`, ok: v >= t.scanFormatMBps, value: `${v.toFixed(2)} MB/s` });
  }
  out.push({ target: `fix <= ${t.fixOverFloor}x its floor`, ok: m.fixOverFloor <= t.fixOverFloor, value: x(m.fixOverFloor) });
  out.push({ target: `fix <= ${t.fixOverScan}x the scan (dense corpus)`, ok: m.fixOverScan <= t.fixOverScan, value: x(m.fixOverScan) });
  out.push(...rssTargets(m.rss, 'fix', t));
  if (m.rssJson) out.push(...rssTargets(m.rssJson, 'fix --dry-run --format json', t));
  if (m.rssHeld) out.push(...rssTargets(m.rssHeld, 'fix --patch-dir DIR --format json', t));
  for (const [label, ms] of Object.entries(m.oneFile)) {
    const ratio = ms / m.nodeMs;
    out.push({
      target: `one-file scan <= ${t.oneFileOverNode}x \`node -e 0\`: ${label}`,
      ok: ratio <= t.oneFileOverNode,
      value: `${ms.toFixed(1)} ms, ${x(ratio)} (node -e 0: ${m.nodeMs.toFixed(1)} ms)`,
    });
  }
  // The same without NODE_EXTRA_CA_CERTS, where the environment sets it (bench/run.mjs): both must hold.
  for (const [label, ms] of Object.entries(m.oneFileBare ?? {})) {
    const ratio = ms / m.nodeBareMs;
    out.push({
      target: `one-file scan <= ${t.oneFileOverNode}x \`node -e 0\`, without NODE_EXTRA_CA_CERTS: ${label}`,
      ok: ratio <= t.oneFileOverNode,
      value: `${ms.toFixed(1)} ms, ${x(ratio)} (node -e 0: ${m.nodeBareMs.toFixed(1)} ms)`,
    });
  }
  return out;
}

/** The two memory targets of one command measured at every size (`rows`: [{ size, mb }]). */
function rssTargets(rows, command, t) {
  const rss = [...rows].sort((a, b) => a.size - b.size);
  const missing = t.rssSizes.filter((s) => !rss.some((r) => r.size === s));
  const list = rss.map((r) => `${r.size}x ${Math.round(r.mb)} MB`).join(', ');
  const under = rss.length > 0 && rss.every((r) => r.mb <= t.fixRssMb);
  const first = rss.find((r) => r.size === 1);
  const last = rss[rss.length - 1];
  const growth = first && last && last.size > 1 ? last.mb / first.mb : NaN;
  return [
    {
      target: `${command} peak RSS <= ${t.fixRssMb} MB at ${t.rssSizes.map((s) => `${s}x`).join(', ')} the corpus`,
      // Any size over the limit is a miss; all under it is met only once every size was measured.
      ok: rss.length === 0 ? null : !under ? false : missing.length ? null : true,
      value: `${list || 'not measured'}${missing.length ? ` (${missing.map((s) => `${s}x`).join(', ')} not measured)` : ''}`,
    },
    {
      target: `${command} peak RSS flat (${last && last.size > 1 ? `${last.size}x` : 'the largest size'} within ${t.rssFlat}x of 1x)`,
      ok: Number.isFinite(growth) ? growth <= t.rssFlat : null,
      value: Number.isFinite(growth) ? `${x(growth)} from 1x to ${last.size}x` : 'not measured',
    },
  ];
}

/**
 * The bench's verdicts on the targets of issue 16 (bench/targets.mjs): each limit is inclusive,
 * a size over the RSS limit is a miss even when a larger size was not measured, all sizes under it
 * is met only when 1x, 2x, 4x and 8x were all measured, and "flat" compares the largest size with 1x.
 */
import { describe, expect, it } from 'vitest';
import { checkTargets, type BenchNumbers } from '../../bench/targets.mjs';

const good: BenchNumbers = {
  scanAll: 8,
  scanFormats: { 'CloudFormation YAML': 5, 'CloudFormation YAML with anchors': 5.5, Terraform: 12 },
  fixOverFloor: 1.3,
  fixOverScan: 2.5,
  rss: [
    { size: 1, mb: 320 },
    { size: 2, mb: 330 },
    { size: 4, mb: 350 },
    { size: 8, mb: 400 },
  ],
  nodeMs: 100,
  oneFile: { 'CloudFormation YAML with anchors': 160, 'CDK (TypeScript)': 120 },
};
const verdicts = (m: BenchNumbers) => Object.fromEntries(checkTargets(m).map((c) => [c.target, c.ok]));

describe('bench targets (issue 16)', () => {
  it('numbers exactly at each limit meet every target', () => {
    const v = verdicts(good);
    expect(Object.keys(v)).toEqual([
      'dense scan >= 8 MB/s overall',
      'dense scan >= 5 MB/s: CloudFormation YAML',
      'dense scan >= 5 MB/s: CloudFormation YAML with anchors',
      'dense scan >= 5 MB/s: Terraform',
      'fix <= 1.3x its floor',
      'fix <= 2.5x the scan (dense corpus)',
      'fix peak RSS <= 400 MB at 1x, 2x, 4x, 8x the corpus',
      'fix peak RSS flat (8x within 1.25x of 1x)',
      'one-file scan <= 1.6x `node -e 0`: CloudFormation YAML with anchors',
      'one-file scan <= 1.6x `node -e 0`: CDK (TypeScript)',
    ]);
    expect(Object.values(v).every((ok) => ok === true)).toBe(true);
  });

  it('a number past its limit misses that target only', () => {
    const v = verdicts({
      ...good,
      scanFormats: { ...good.scanFormats, 'CloudFormation YAML with anchors': 4.9 },
      fixOverFloor: 1.31,
      oneFile: { ...good.oneFile, 'CDK (TypeScript)': 161 },
    });
    const missed = Object.entries(v)
      .filter(([, ok]) => ok === false)
      .map(([t]) => t);
    expect(missed).toEqual([
      'dense scan >= 5 MB/s: CloudFormation YAML with anchors',
      'fix <= 1.3x its floor',
      'one-file scan <= 1.6x `node -e 0`: CDK (TypeScript)',
    ]);
  });

  it('without NODE_EXTRA_CA_CERTS: each file read against that run of `node -e 0` too, both must hold (session 61)', () => {
    const v = verdicts({ ...good, nodeBareMs: 40, oneFileBare: { 'CDK (TypeScript)': 65, 'CloudFormation YAML with anchors': 64 } });
    expect(Object.entries(v).slice(-2)).toEqual([
      ['one-file scan <= 1.6x `node -e 0`, without NODE_EXTRA_CA_CERTS: CDK (TypeScript)', false],
      ['one-file scan <= 1.6x `node -e 0`, without NODE_EXTRA_CA_CERTS: CloudFormation YAML with anchors', true],
    ]);
    expect(checkTargets({ ...good, nodeBareMs: 40, oneFileBare: { 'CDK (TypeScript)': 65 } }).at(-1)!.value).toBe(
      '65.0 ms, 1.625x (node -e 0: 40.0 ms)',
    );
  });

  it('RSS: under the limit without 8x is not a verdict; over it at any size is a miss; flatness is the largest size against 1x', () => {
    const three = checkTargets({ ...good, rss: good.rss.slice(0, 3) });
    const limit = three.find((c) => c.target.startsWith('fix peak RSS <='))!;
    expect(limit.ok).toBe(null);
    expect(limit.value).toContain('8x not measured');
    expect(three.find((c) => c.target.startsWith('fix peak RSS flat'))).toMatchObject({
      target: 'fix peak RSS flat (4x within 1.25x of 1x)',
      ok: true,
    });

    const over = checkTargets({
      ...good,
      rss: [
        { size: 1, mb: 300 },
        { size: 2, mb: 401 },
      ],
    });
    expect(over.find((c) => c.target.startsWith('fix peak RSS <='))!.ok).toBe(false);

    const growing = checkTargets({
      ...good,
      rss: [
        { size: 1, mb: 300 },
        { size: 8, mb: 376 },
      ],
    });
    expect(growing.find((c) => c.target.startsWith('fix peak RSS flat'))).toMatchObject({ ok: false, value: '1.253x from 1x to 8x' });
    expect(growing.find((c) => c.target.startsWith('fix peak RSS <='))!.ok).toBe(null);
  });

  it('RSS of the JSON preview: its own two targets, after those of the fix, judged the same way', () => {
    const both = checkTargets({
      ...good,
      rssJson: [
        { size: 1, mb: 300 },
        { size: 2, mb: 310 },
        { size: 4, mb: 330 },
        { size: 8, mb: 401 },
      ],
    });
    const targets = both.map((c) => c.target);
    const at = targets.indexOf('fix peak RSS flat (8x within 1.25x of 1x)');
    expect(targets.slice(at + 1, at + 3)).toEqual([
      'fix --dry-run --format json peak RSS <= 400 MB at 1x, 2x, 4x, 8x the corpus',
      'fix --dry-run --format json peak RSS flat (8x within 1.25x of 1x)',
    ]);
    expect(both[at + 1]).toMatchObject({ ok: false, value: '1x 300 MB, 2x 310 MB, 4x 330 MB, 8x 401 MB' });
    expect(both[at + 2]).toMatchObject({ ok: false, value: '1.337x from 1x to 8x' });
    // The fix's own verdicts are unchanged.
    expect(both[at]).toMatchObject({ ok: true });
  });

  it("RSS of a fix that holds its files (--patch-dir, JSON): its own two targets, after the preview's", () => {
    const rows = (mbs: number[]) => mbs.map((mb, i) => ({ size: 2 ** i, mb }));
    const all = checkTargets({ ...good, rssJson: rows([240, 260, 270, 280]), rssHeld: rows([236, 300, 317, 330]) });
    const targets = all.map((c) => c.target);
    const at = targets.indexOf('fix --dry-run --format json peak RSS flat (8x within 1.25x of 1x)');
    expect(targets.slice(at + 1, at + 3)).toEqual([
      'fix --patch-dir DIR --format json peak RSS <= 400 MB at 1x, 2x, 4x, 8x the corpus',
      'fix --patch-dir DIR --format json peak RSS flat (8x within 1.25x of 1x)',
    ]);
    expect(all[at + 1]).toMatchObject({ ok: true, value: '1x 236 MB, 2x 300 MB, 4x 317 MB, 8x 330 MB' });
    expect(all[at + 2]).toMatchObject({ ok: false, value: '1.398x from 1x to 8x' });
  });
});

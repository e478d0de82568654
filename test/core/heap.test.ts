/**
 * The main thread's heap watch (src/core/heap.ts): a full collection once the heap is past its
 * floor and has grown by the slack, without leaving any V8 flag changed (the TypeScript compiler's code cache is checked
 * against V8's flag hash: a cache made before must still be accepted after).
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { heapCheck, watchHeap } from '../../src/core/heap.js';

const saved = process.env.KMSFIX_HEAP_SLACK_MB;
afterAll(() => {
  if (saved === undefined) delete process.env.KMSFIX_HEAP_SLACK_MB;
  else process.env.KMSFIX_HEAP_SLACK_MB = saved;
});

const used = () => v8.getHeapStatistics().used_heap_size;

describe('heap watch', () => {
  it('leaves V8 flags as they were: a code cache made before is accepted after', () => {
    const source = 'function twice(x) { return x * 2 }; twice(21)';
    const made = new vm.Script(source);
    made.runInThisContext();
    const cachedData = made.createCachedData();
    process.env.KMSFIX_HEAP_SLACK_MB = '1';
    watchHeap();
    const again = new vm.Script(source, { cachedData });
    expect(again.cachedDataRejected).toBe(false);
  });

  it('collects once the heap is past the floor and has grown by the slack, and not before', () => {
    process.env.KMSFIX_HEAP_SLACK_MB = '16';
    heapCheck();
    // The heap grown past the floor (80 MB) and the slack: large arrays (only a full collection frees them), then let go.
    let held: number[][] | undefined = [];
    while (used() < 160 * 1024 * 1024 && held.length < 1024) held.push(new Array(64 * 1024).fill(held.length));
    expect(used()).toBeGreaterThan(150 * 1024 * 1024);
    held = undefined;
    const before = used();
    heapCheck();
    expect(used()).toBeLessThan(before - 64 * 1024 * 1024);
    // Right after a collection, under the slack: nothing to do (no collection, the heap not smaller).
    const after = used();
    heapCheck();
    expect(used()).toBeGreaterThanOrEqual(after - 1024 * 1024);
  });
});

/** Run `job` on every item, `concurrency` at a time (each lane takes the next item when its last is done). */
export async function inLanes<T>(items: T[], concurrency: number, job: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      await job(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
}

/** The items by key, each list in the items' order; an item whose key is undefined is left out. */
export function groupBy<T, K>(items: Iterable<T>, keyOf: (item: T, i: number) => K | undefined): Map<K, T[]> {
  const out = new Map<K, T[]>();
  let i = 0;
  for (const item of items) {
    const key = keyOf(item, i++);
    if (key === undefined) continue;
    const list = out.get(key);
    if (list) list.push(item);
    else out.set(key, [item]);
  }
  return out;
}

/** `base`, or `base2`, `base3`... the first not in `taken`, which then holds it (a new name in a file, a module, a program). */
export function uniqueName(base: string, taken: Set<string>): string {
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}${i}`;
  taken.add(name);
  return name;
}

/**
 * Pieces of `JSON.stringify(value, null, 2)` printed one at a time, for the reports that keep their
 * array elements on disk and print them at the end (src/report/jsonStream.ts, src/report/sarifStream.ts):
 * the bytes are those of the whole document.
 */
import { heapTick } from '../core/heap.js';

/** An array's element as it stands inside a document, `indent` spaces in. */
export function jsonElement(value: unknown, indent: number): string {
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${' '.repeat(indent)}`);
}

/** Several elements of one array, as jsonElement renders them, in one text. */
export function jsonElements(elements: string[], indent: number): string {
  return elements.join(`,\n${' '.repeat(indent)}`);
}

/** Prints an array whose elements (jsonElement's, or jsonElements' runs of them) are `indent` spaces in: `[]` when there are none. */
export function printJsonArray(texts: Iterable<string>, indent: number, out: (text: string) => void): void {
  const pad = ' '.repeat(indent);
  let first = true;
  for (const text of texts) {
    out(first ? `[\n${pad}` : `,\n${pad}`);
    out(text);
    first = false;
    heapTick();
  }
  out(first ? '[]' : `\n${pad.slice(2)}]`);
}

/** The top-level blocks of a module's files, HCL or JSON alike: what names are taken, what exists. */
import type { TfDetection } from './detect.js';
import { attr, type Literal } from './parse.js';

export interface TopValue {
  /** The expression as HCL source text. */
  value: string;
  lit?: Literal;
}

export interface TopBlock {
  type: string;
  labels: string[];
  attr(name: string): TopValue | undefined;
  /** The block's source text. */
  text: string;
}

export function summarize(det: TfDetection, text: string): TopBlock[] {
  if (det.json) return det.json.tops;
  return (det.hcl?.blocks ?? []).map((b) => ({
    type: b.type,
    labels: b.labels,
    attr: (name: string) => attr(b, name),
    text: text.slice(b.start, b.end),
  }));
}

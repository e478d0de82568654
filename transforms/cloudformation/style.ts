/** The style of one template, read from its own text: what inserted YAML or JSON must look like. */
import { detectEol, detectIndentUnit, lineStartOf } from '../../src/text.js';
import type { JsonStyle, YamlStyle } from './render.js';
import type { CNode } from './tree.js';

export interface FileStyle {
  eol: '\n' | '\r\n';
  yaml: YamlStyle;
  json: JsonStyle;
}

function column(text: string, offset: number): number {
  return offset - lineStartOf(text, offset);
}

function lineIndentWidth(text: string, offset: number): number {
  const start = lineStartOf(text, offset);
  let i = start;
  while (text[i] === ' ' || text[i] === '\t') i++;
  return i - start;
}

function mostCommon<T>(counts: Map<T, number>, fallback: T): T {
  let best = fallback;
  let n = 0;
  for (const [k, c] of counts) if (c > n) [best, n] = [k, c];
  return best;
}

export function detectStyle(text: string, roots: (CNode | null)[], flavor: string, json: boolean): FileStyle {
  const eol = detectEol(text);
  if (json) {
    return { eol, json: { indent: detectIndentUnit(text, '  ') }, yaml: defaultYaml(flavor) };
  }
  const steps = new Map<number, number>();
  const seq = new Map<boolean, number>();
  const dash = new Map<number, number>();
  let single = 0;
  let double = 0;
  let short = 0;
  let long = 0;
  const visit = (node: CNode | null): void => {
    if (!node) return;
    if (node.tag) short++;
    if (node.kind === 'scalar' && node.start !== node.end) {
      if (node.quote === 'single') single++;
      else if (node.quote === 'double') double++;
    }
    if (node.kind === 'map') {
      for (const p of node.pairs) {
        if (p.key === 'Ref' || p.key.startsWith('Fn::')) long++;
        const v = p.value;
        if (!node.flow && v && !v.flow && v.kind === 'map' && v.pairs[0]) {
          const d = column(text, v.pairs[0].keyStart) - column(text, p.keyStart);
          if (d > 0 && lineStartOf(text, v.pairs[0].keyStart) !== lineStartOf(text, p.keyStart)) steps.set(d, (steps.get(d) ?? 0) + 1);
        }
        if (!node.flow && v && !v.flow && v.kind === 'seq' && v.items.length > 0) {
          seq.set(column(text, v.start) > column(text, p.keyStart), (seq.get(column(text, v.start) > column(text, p.keyStart)) ?? 0) + 1);
        }
        visit(v);
      }
    } else if (node.kind === 'seq') {
      for (const item of node.items) {
        if (!node.flow && item.kind === 'map' && !item.flow && item.pairs[0]) {
          const d = column(text, item.pairs[0].keyStart) - column(text, lineStartOf(text, item.pairs[0].keyStart) + lineIndentWidth(text, item.pairs[0].keyStart));
          if (d >= 2 && text[item.pairs[0].keyStart - d] === '-') dash.set(d, (dash.get(d) ?? 0) + 1);
        }
        visit(item);
      }
    }
  };
  roots.forEach(visit);
  const tabs = /^\t/m.test(text);
  const unit = mostCommon(steps, 2);
  return {
    eol,
    json: { indent: '  ' },
    yaml: {
      indent: tabs ? '  ' : ' '.repeat(unit),
      quote: double > single ? '"' : "'",
      shortTags: short > 0 || long === 0,
      seqIndent: mostCommon(seq, true),
      dashWidth: mostCommon(dash, 2),
      noSub: flavor === 'serverless',
    },
  };
}

function defaultYaml(flavor: string): YamlStyle {
  return { indent: '  ', quote: "'", shortTags: true, seqIndent: true, dashWidth: 2, noSub: flavor === 'serverless' };
}

/**
 * YAML anchors and aliases, for editing safely: which anchored nodes are used elsewhere (and
 * where), and whether the edit that sets a table's encryption would change one of them. An edit
 * inside an anchored node changes every alias of it; an alias itself can be replaced, which changes
 * only the place it sits.
 */
import type { Obstacle } from '../../rule/facts.js';
import { ownPair, pair, type CAlias, type CMap, type CNode, type CPair } from './tree.js';

export interface AliasSite {
  alias: CAlias;
  /** Where the alias sits, e.g. `Resources.Audit.Metadata.Copy`. */
  path: string;
  /** The pair whose value the alias is, if it is one. */
  owner?: CPair;
}

/**
 * A place in a document as messages write it, from the steps to it: `Resources.Audit.Tags[0]` (keys
 * joined by dots, a sequence index in brackets, `[0].Key` under a top-level sequence, '' for the
 * document itself).
 */
export function spell(steps: readonly (string | number)[]): string {
  let path = '';
  for (const s of steps) {
    if (typeof s === 'number') path = `${path}[${s}]`;
    else path = path ? `${path}.${s}` : s;
  }
  return path;
}

/** The anchored nodes of one document that aliases name, with their alias sites. */
export class AnchorIndex {
  readonly sites = new Map<CNode, AliasSite[]>();

  constructor(root: CNode | null) {
    // The steps from the root to the node visited (a key, or a sequence index); an alias site's path
    // is spelled from them only when one is found (a path string for every node visited was 2% of
    // what a dense fix allocated).
    const steps: (string | number)[] = [];
    const visit = (node: CNode | null, owner: CPair | undefined, depth: number): void => {
      if (!node || depth > 200) return;
      if (node.kind === 'alias') {
        if (node.target) {
          let list = this.sites.get(node.target);
          if (!list) this.sites.set(node.target, (list = []));
          list.push({ alias: node, path: spell(steps), owner });
        }
      } else if (node.kind === 'map') {
        for (const p of node.pairs) {
          steps.push(p.key);
          visit(p.value, p, depth + 1);
          steps.pop();
        }
      } else if (node.kind === 'seq') {
        for (let i = 0; i < node.items.length; i++) {
          steps.push(i);
          visit(node.items[i], undefined, depth + 1);
          steps.pop();
        }
      }
    };
    visit(root, undefined, 0);
  }

  get empty(): boolean {
    return this.sites.size === 0;
  }

  /** The aliased anchored nodes `keep` takes, with their alias sites, in text order (the outer first of two that start together). */
  private matching(keep: (anchored: CNode) => boolean): { anchored: CNode; sites: AliasSite[] }[] {
    const out: { anchored: CNode; sites: AliasSite[] }[] = [];
    for (const [anchored, sites] of this.sites) if (keep(anchored)) out.push({ anchored, sites });
    return out.sort((a, b) => a.anchored.start - b.anchored.start || b.anchored.end - a.anchored.end);
  }

  /** The aliased anchored nodes strictly inside `node` (a setting of a settings block), in text order. */
  inside(node: CNode): { anchored: CNode; sites: AliasSite[] }[] {
    return this.matching((a) => a !== node && node.start <= a.start && a.end <= node.end);
  }

  /** The aliased anchored nodes that hold `node` (itself included), outermost first. */
  around(node: CNode): { anchored: CNode; sites: AliasSite[] }[] {
    return this.matching((a) => a.start <= node.start && node.end <= a.end);
  }
}

/** The keys from a resource to its encryption settings, in the format's own words. */
export interface SsePath {
  properties: string;
  sse: string;
}

/** What the edit of one table's encryption settings touches. */
export interface SseEdit {
  /** What keeps the edit from being made without changing another part of the document; absent when it can be. */
  obstacle?: Obstacle;
  /** Anchored nodes the edit changes, with their alias sites (empty: the edit changes only this table). */
  shared: { anchored: CNode; sites: AliasSite[] }[];
}

/**
 * How setting a table's encryption settings would edit the document. The edit changes the innermost
 * mapping the table owns on its way to the settings (an alias on the way is replaced, not followed:
 * `Properties: *x` becomes a mapping that merges `*x` and sets its own settings). An obstacle is given
 * when the way goes through a merge key, or when the mapping edited lies in an anchored node that is
 * aliased somewhere the fix would not replace (`isReplacedSite`: the alias is itself on the way to
 * another table's settings, which that table's fix replaces).
 */
export function sseEdit(anchors: AnchorIndex, resourcePair: CPair, path: SsePath, isReplacedSite: (site: AliasSite) => boolean): SseEdit {
  const resource = resourcePair.value;
  if (resource?.kind === 'alias') {
    return { obstacle: { kind: 'yaml-alias', alias: resource.source }, shared: [] };
  }
  if (resource?.kind !== 'map') return { shared: [] };
  let edited: CMap = resource;
  const props = pair(resource, path.properties);
  if (props && !ownPair(resource, path.properties)) {
    return { obstacle: { kind: 'yaml-merge-key' }, shared: [] };
  }
  const propsValue = props?.value;
  if (propsValue?.kind === 'map') {
    edited = propsValue;
    const sse = ownPair(propsValue, path.sse);
    if (sse?.value?.kind === 'map') edited = sse.value;
  }
  if (anchors.empty) return { shared: [] };
  // A setting of the edited settings block that is an anchor used elsewhere (`SSEEnabled: &off false`, `*off`
  // in another property): the fix rewrites it in place, and the other place would change with it.
  const within = edited !== resource && edited !== propsValue ? anchors.inside(edited) : [];
  const shared = [...anchors.around(edited), ...within];
  const foreign = shared.flatMap((s) => s.sites.filter((site) => !isReplacedSite(site)));
  if (foreign.length > 0) {
    const a = shared.find((s) => s.sites.some((site) => foreign.includes(site)))!;
    const holds = within.includes(a)
      ? 'setting'
      : a.anchored !== edited
        ? 'around'
        : edited === resource
          ? 'resource'
          : edited === propsValue
            ? 'container'
            : 'block';
    return {
      obstacle: { kind: 'yaml-anchor', anchor: a.anchored.anchor ?? '', holds, sites: foreign.map((s) => s.path || '(the document)') },
      shared,
    };
  }
  return { shared };
}

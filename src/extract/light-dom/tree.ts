// Tree walks and the DOM's live-range removal steps, on the light DOM's nodes (types only: no import cycle).
import type { BoundaryPoint, LightNode, LightParent, LiveRange } from './nodes.js';

/** Visits every descendant in tree order, without recursion (pages can nest thousands of levels deep). */
export function forEachDescendant(root: LightNode, visit: (node: LightNode) => void): void {
  let node = root.firstChild;
  while (node) {
    visit(node);
    if (node.firstChild) {
      node = node.firstChild;
      continue;
    }
    while (node && node !== root && !node.nextSibling) node = node.parentNode;
    node = node && node !== root ? node.nextSibling : null;
  }
}

export function isInclusiveAncestor(ancestor: LightNode, node: LightNode): boolean {
  for (let current: LightNode | null = node; current; current = current.parentNode) if (current === ancestor) return true;
  return false;
}

/** The DOM's removal steps for live ranges: boundaries inside the removed node move to where it stood. */
export function moveLiveRanges(parent: LightParent, node: LightNode): void {
  let root: LightNode = parent;
  while (root.parentNode) root = root.parentNode;
  const liveRanges = (root as { liveRanges?: Set<LiveRange> }).liveRanges; // only documents have some
  if (!liveRanges || liveRanges.size === 0) return;
  const index = parent.indexOfChild(node);
  const move = (point: BoundaryPoint): BoundaryPoint => {
    if (isInclusiveAncestor(node, point.node)) return { node: parent, offset: index };
    if (point.node === parent && point.offset > index) return { node: parent, offset: point.offset - 1 };
    return point;
  };
  for (const range of liveRanges) {
    range.start = move(range.start);
    range.end = move(range.end);
  }
}


// DOM ranges on the light DOM, following the DOM standard's algorithms for the operations extraction uses:
// setStart/EndBefore/After, cloneContents, deleteContents, and "live" boundaries that follow node removals.
// Range boundaries here always sit between children of a parent, never inside a text node.
import { LightDocument } from './document.js';
import { type BoundaryPoint, type LiveRange, LightDocumentFragment, type LightNode, LightParent } from './nodes.js';
import { isInclusiveAncestor } from './tree.js';

function indexOf(node: LightNode): number {
  return node.parentNode ? node.parentNode.indexOfChild(node) : 0;
}

function ancestry(node: LightNode): LightNode[] {
  const chain: LightNode[] = [];
  for (let current: LightNode | null = node; current; current = current.parentNode) chain.unshift(current);
  return chain;
}

/** Whether `a` comes after `b` in tree order. */
function isFollowing(a: LightNode, b: LightNode): boolean {
  if (a === b) return false;
  const chainA = ancestry(a);
  const chainB = ancestry(b);
  let depth = 0;
  while (depth < chainA.length && depth < chainB.length && chainA[depth] === chainB[depth]) depth++;
  if (depth === chainB.length) return true; // b is an ancestor of a
  if (depth === chainA.length) return false; // a is an ancestor of b
  const childA = chainA[depth];
  const childB = chainB[depth];
  return childA !== undefined && childB !== undefined && indexOf(childA) > indexOf(childB);
}

/** -1, 0 or 1 as point `a` is before, equal to or after point `b` (DOM "boundary point position"). */
function compare(a: BoundaryPoint, b: BoundaryPoint): number {
  if (a.node === b.node) return Math.sign(a.offset - b.offset);
  if (isFollowing(a.node, b.node)) return -compare(b, a);
  if (isInclusiveAncestor(a.node, b.node)) {
    let child: LightNode = b.node;
    while (child.parentNode !== a.node && child.parentNode) child = child.parentNode;
    if (indexOf(child) < a.offset) return 1;
  }
  return -1;
}

function lengthOf(node: LightNode): number {
  return node.childNodes.length;
}

function rootOf(node: LightNode): LightNode {
  let root = node;
  while (root.parentNode) root = root.parentNode;
  return root;
}

export class LightRange implements LiveRange {
  start: BoundaryPoint;
  end: BoundaryPoint;

  constructor(document: LightDocument) {
    this.start = { node: document, offset: 0 };
    this.end = { node: document, offset: 0 };
    document.liveRanges.add(this);
  }

  /** Forgets this range: node removals no longer move it (jsdom leaves that to the garbage collector). */
  detach(): void {
    for (const ranges of [liveRangesOf(this.start.node), liveRangesOf(this.end.node)]) ranges?.delete(this);
  }

  get collapsed(): boolean {
    return this.start.node === this.end.node && this.start.offset === this.end.offset;
  }

  private setStart(point: BoundaryPoint): void {
    if (compare(point, this.end) > 0 || rootOf(point.node) !== rootOf(this.end.node)) this.end = point;
    this.start = point;
  }

  private setEnd(point: BoundaryPoint): void {
    if (compare(point, this.start) < 0 || rootOf(point.node) !== rootOf(this.start.node)) this.start = point;
    this.end = point;
  }

  setStartBefore(node: LightNode): void {
    this.setStart(pointBefore(node));
  }

  setStartAfter(node: LightNode): void {
    this.setStart({ ...pointBefore(node), offset: indexOf(node) + 1 });
  }

  setEndBefore(node: LightNode): void {
    this.setEnd(pointBefore(node));
  }

  setEndAfter(node: LightNode): void {
    this.setEnd({ ...pointBefore(node), offset: indexOf(node) + 1 });
  }

  private contains(node: LightNode): boolean {
    return compare({ node, offset: 0 }, this.start) > 0 && compare({ node, offset: lengthOf(node) }, this.end) < 0;
  }

  private partiallyContains(node: LightNode): boolean {
    return isInclusiveAncestor(node, this.start.node) !== isInclusiveAncestor(node, this.end.node);
  }

  private commonAncestor(): LightNode {
    let ancestor = this.start.node;
    while (!isInclusiveAncestor(ancestor, this.end.node) && ancestor.parentNode) ancestor = ancestor.parentNode;
    return ancestor;
  }

  cloneContents(): LightDocumentFragment {
    const fragment = new LightDocumentFragment();
    if (this.collapsed) return fragment;
    const common = this.commonAncestor();
    const children = common.childNodes;
    const firstPartial = isInclusiveAncestor(this.start.node, this.end.node)
      ? undefined
      : children.find(child => this.partiallyContains(child));
    const lastPartial = isInclusiveAncestor(this.end.node, this.start.node)
      ? undefined
      : children.findLast(child => this.partiallyContains(child));
    const contained = children.filter(child => this.contains(child));
    if (firstPartial) {
      const clone = firstPartial.cloneNode(false);
      if (!(clone instanceof LightParent)) throw new Error('a partially contained node always has children');
      fragment.appendChild(clone);
      clone.appendChild(this.subrange(this.start, { node: firstPartial, offset: lengthOf(firstPartial) }).cloneContents());
    }
    for (const child of contained) fragment.appendChild(child.cloneNode(true));
    if (lastPartial) {
      const clone = lastPartial.cloneNode(false);
      if (!(clone instanceof LightParent)) throw new Error('a partially contained node always has children');
      fragment.appendChild(clone);
      clone.appendChild(this.subrange({ node: lastPartial, offset: 0 }, this.end).cloneContents());
    }
    return fragment;
  }

  deleteContents(): void {
    if (this.collapsed) return;
    const toRemove: LightNode[] = [];
    const collect = (parent: LightNode): void => {
      for (const child of parent.childNodes) {
        if (this.contains(child)) toRemove.push(child);
        else if (this.partiallyContains(child)) collect(child);
      }
    };
    collect(this.commonAncestor());
    let collapsedTo: BoundaryPoint;
    if (isInclusiveAncestor(this.start.node, this.end.node)) {
      collapsedTo = this.start;
    } else {
      let reference = this.start.node;
      while (reference.parentNode && !isInclusiveAncestor(reference.parentNode, this.end.node)) reference = reference.parentNode;
      collapsedTo = { node: reference.parentNode ?? reference, offset: indexOf(reference) + 1 };
    }
    for (const node of toRemove) node.remove(); // moves the document's live ranges, this one included
    this.start = collapsedTo;
    this.end = collapsedTo;
  }

  private subrange(start: BoundaryPoint, end: BoundaryPoint): LightRange {
    const range = Object.create(LightRange.prototype) as LightRange;
    range.start = start;
    range.end = end;
    return range;
  }
}

function pointBefore(node: LightNode): BoundaryPoint {
  const parent = node.parentNode;
  if (!parent) throw new Error('The given node has no parent');
  return { node: parent, offset: parent.indexOfChild(node) };
}

function liveRangesOf(node: LightNode): Set<LiveRange> | undefined {
  const root = rootOf(node);
  return root instanceof LightDocument ? root.liveRanges : undefined;
}

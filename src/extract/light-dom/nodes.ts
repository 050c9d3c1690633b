// A small DOM: the node properties turndown, its GFM plugin and our selection read, with the behaviour jsdom
// gives them, on plain objects. It is several times faster to build and walk than jsdom, whose every node
// is a wrapper around an implementation object. Only what extraction needs is here.

import type { LightElement } from './element.js';
import { forEachDescendant, moveLiveRanges } from './tree.js';

export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;
export const COMMENT_NODE = 8;
export const DOCUMENT_NODE = 9;
export const DOCUMENT_TYPE_NODE = 10;
export const DOCUMENT_FRAGMENT_NODE = 11;


export const HTML_NAMESPACE = 'http://www.w3.org/1999/xhtml';

/** A position between the children of a node (DOM "boundary point"). */
export interface BoundaryPoint {
  readonly node: LightNode;
  readonly offset: number;
}

/** A range whose boundaries follow node removals, as the DOM's live ranges do. */
export interface LiveRange {
  start: BoundaryPoint;
  end: BoundaryPoint;
}

export interface Attribute {
  readonly name: string;
  value: string;
}

/** Elements are told apart by their node type: this module cannot import their class (it extends ours). */
function isElement(node: LightNode): node is LightElement {
  return node.nodeType === ELEMENT_NODE;
}

export abstract class LightNode {
  abstract readonly nodeType: number;
  abstract readonly nodeName: string;
  parentNode: LightParent | null = null;
  previousSibling: LightNode | null = null;
  nextSibling: LightNode | null = null;
  // Set by turndown while it converts.
  isBlock?: boolean;
  isCode?: boolean;
  isBlank?: boolean;

  get firstChild(): LightNode | null {
    return null;
  }

  get lastChild(): LightNode | null {
    return null;
  }

  get childNodes(): readonly LightNode[] {
    return [];
  }

  abstract get textContent(): string;

  get nodeValue(): string | null {
    return null;
  }

  abstract cloneNode(deep?: boolean): LightNode;

  hasChildNodes(): boolean {
    return false;
  }

  /** Detaches this node from its parent (DOM `remove()`). */
  remove(): void {
    this.parentNode?.removeChild(this);
  }

  /** Puts `node` where this node is, and detaches this one. */
  replaceWith(node: LightNode): void {
    this.parentNode?.replaceChild(node, this);
  }
}

/** Text and comments: a node that holds a string. */
abstract class LightCharacterData extends LightNode {
  data: string;

  constructor(data: string) {
    super();
    this.data = data;
  }

  override get textContent(): string {
    return this.data;
  }

  override get nodeValue(): string {
    return this.data;
  }
}

export class LightText extends LightCharacterData {
  readonly nodeType = TEXT_NODE;
  readonly nodeName = '#text';

  override cloneNode(): LightText {
    return new LightText(this.data);
  }
}

export class LightComment extends LightCharacterData {
  readonly nodeType = COMMENT_NODE;
  readonly nodeName = '#comment';

  override cloneNode(): LightComment {
    return new LightComment(this.data);
  }
}

export class LightDocumentType extends LightNode {
  readonly nodeType = DOCUMENT_TYPE_NODE;
  readonly nodeName: string;

  constructor(name: string) {
    super();
    this.nodeName = name;
  }

  override get textContent(): string {
    return '';
  }

  override cloneNode(): LightDocumentType {
    return new LightDocumentType(this.nodeName);
  }
}

/**
 * What can hold children: elements, fragments and documents. Children are a linked list (sibling pointers),
 * so that removing one is O(1) whatever the number of siblings; the arrays DOM code reads are built on
 * demand and kept until the next change.
 */
export abstract class LightParent extends LightNode {
  private first: LightNode | null = null;
  private last: LightNode | null = null;
  private childArray: LightNode[] | undefined;
  private elementArray: LightElement[] | undefined;

  override get childNodes(): readonly LightNode[] {
    if (!this.childArray) {
      const array: LightNode[] = [];
      for (let child = this.first; child; child = child.nextSibling) array.push(child);
      this.childArray = array;
    }
    return this.childArray;
  }

  override get firstChild(): LightNode | null {
    return this.first;
  }

  override get lastChild(): LightNode | null {
    return this.last;
  }

  override hasChildNodes(): boolean {
    return this.first !== null;
  }

  get firstElementChild(): LightElement | null {
    return this.children[0] ?? null;
  }

  get lastElementChild(): LightElement | null {
    return this.children.at(-1) ?? null;
  }

  /** Element children (DOM `children`). */
  get children(): readonly LightElement[] {
    this.elementArray ??= this.childNodes.filter(isElement);
    return this.elementArray;
  }

  override get textContent(): string {
    const parts: string[] = [];
    forEachDescendant(this, node => {
      if (node instanceof LightText) parts.push(node.data);
    });
    return parts.join('');
  }

  appendChild<T extends LightNode>(node: T): T {
    return this.insertBefore(node, null);
  }

  insertBefore<T extends LightNode>(node: T, reference: LightNode | null): T {
    if (node.nodeType === DOCUMENT_FRAGMENT_NODE) {
      for (const child of [...node.childNodes]) this.insertBefore(child, reference);
      return node;
    }
    if (reference !== null && reference.parentNode !== this) throw new Error('insertBefore: the reference is not a child of this node');
    node.parentNode?.removeChild(node);
    const previous = reference === null ? this.last : reference.previousSibling;
    node.parentNode = this;
    node.previousSibling = previous;
    node.nextSibling = reference;
    if (previous) previous.nextSibling = node;
    else this.first = node;
    if (reference) reference.previousSibling = node;
    else this.last = node;
    this.changed();
    return node;
  }

  removeChild<T extends LightNode>(node: T): T {
    if (node.parentNode !== this) throw new Error('removeChild: not a child of this node');
    moveLiveRanges(this, node);
    if (node.previousSibling) node.previousSibling.nextSibling = node.nextSibling;
    else this.first = node.nextSibling;
    if (node.nextSibling) node.nextSibling.previousSibling = node.previousSibling;
    else this.last = node.previousSibling;
    node.parentNode = null;
    node.previousSibling = null;
    node.nextSibling = null;
    this.changed();
    return node;
  }

  replaceChild<T extends LightNode>(node: LightNode, old: T): T {
    this.insertBefore(node, old);
    return this.removeChild(old);
  }

  /** The position of a child; -1 if it is not one. */
  indexOfChild(node: LightNode): number {
    if (node.parentNode !== this) return -1;
    let index = 0;
    for (let sibling = node.previousSibling; sibling; sibling = sibling.previousSibling) index++;
    return index;
  }

  private changed(): void {
    this.childArray = undefined;
    this.elementArray = undefined;
  }

  protected cloneChildrenInto<T extends LightParent>(copy: T): T {
    for (let child = this.first; child; child = child.nextSibling) copy.appendChild(child.cloneNode(true));
    return copy;
  }

  /** Descendant elements with this tag name (upper-case for HTML), in tree order. */
  getElementsByTagName(name: string): LightElement[] {
    const upper = name.toUpperCase();
    const found: LightElement[] = [];
    forEachDescendant(this, node => {
      if (isElement(node) && (name === '*' || node.nodeName === upper || node.nodeName === name)) found.push(node);
    });
    return found;
  }
}

export class LightDocumentFragment extends LightParent {
  readonly nodeType = DOCUMENT_FRAGMENT_NODE;
  readonly nodeName = '#document-fragment';

  override cloneNode(deep = false): LightDocumentFragment {
    const copy = new LightDocumentFragment();
    return deep ? this.cloneChildrenInto(copy) : copy;
  }
}

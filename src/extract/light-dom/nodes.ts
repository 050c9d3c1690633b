// A small DOM: the node properties turndown, its GFM plugin and our selection read, with the behaviour jsdom
// gives them, on plain objects. It is several times faster to build and walk than jsdom, whose every node
// is a wrapper around an implementation object. Only what extraction needs is here.

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

export class LightText extends LightNode {
  readonly nodeType = TEXT_NODE;
  readonly nodeName = '#text';
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

  override cloneNode(): LightText {
    return new LightText(this.data);
  }
}

export class LightComment extends LightNode {
  readonly nodeType = COMMENT_NODE;
  readonly nodeName = '#comment';
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
    this.elementArray ??= this.childNodes.filter((child): child is LightElement => child instanceof LightElement);
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
    if (node instanceof LightDocumentFragment) {
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
      if (node instanceof LightElement && (name === '*' || node.nodeName === upper || node.nodeName === name)) found.push(node);
    });
    return found;
  }
}

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

function isInclusiveAncestor(ancestor: LightNode, node: LightNode): boolean {
  for (let current: LightNode | null = node; current; current = current.parentNode) if (current === ancestor) return true;
  return false;
}

/** The DOM's removal steps for live ranges: boundaries inside the removed node move to where it stood. */
function moveLiveRanges(parent: LightParent, node: LightNode): void {
  let root: LightNode = parent;
  while (root.parentNode) root = root.parentNode;
  if (!(root instanceof LightDocument) || root.liveRanges.size === 0) return;
  const index = parent.indexOfChild(node);
  const move = (point: BoundaryPoint): BoundaryPoint => {
    if (isInclusiveAncestor(node, point.node)) return { node: parent, offset: index };
    if (point.node === parent && point.offset > index) return { node: parent, offset: point.offset - 1 };
    return point;
  };
  for (const range of root.liveRanges) {
    range.start = move(range.start);
    range.end = move(range.end);
  }
}

export class LightElement extends LightParent {
  readonly nodeType = ELEMENT_NODE;
  readonly nodeName: string;
  /** The tag name as parsed, lower case for HTML. */
  readonly localName: string;
  readonly namespaceURI: string;
  readonly attributes: Attribute[];
  /** A `<template>`'s contents, which are not its children. */
  templateContent: LightDocumentFragment | undefined;

  constructor(localName: string, namespaceURI: string, attributes: Attribute[]) {
    super();
    this.localName = localName;
    this.namespaceURI = namespaceURI;
    this.nodeName = namespaceURI === HTML_NAMESPACE ? localName.toUpperCase() : localName;
    this.attributes = attributes;
  }

  get tagName(): string {
    return this.nodeName;
  }

  getAttribute(name: string): string | null {
    const lower = name.toLowerCase();
    return this.attributes.find(attribute => attribute.name === lower)?.value ?? null;
  }

  hasAttribute(name: string): boolean {
    return this.getAttribute(name) !== null;
  }

  setAttribute(name: string, value: string): void {
    const lower = name.toLowerCase();
    const existing = this.attributes.find(attribute => attribute.name === lower);
    if (existing) existing.value = value;
    else this.attributes.push({ name: lower, value });
  }

  get className(): string {
    return this.getAttribute('class') ?? '';
  }

  /** `<input>`'s type, lower case, `text` by default; '' on other elements (as turndown's checks need). */
  get type(): string {
    if (this.nodeName !== 'INPUT') return '';
    return (this.getAttribute('type') ?? 'text').toLowerCase();
  }

  /** The initial checkedness of an input: its `checked` attribute. */
  get checked(): boolean {
    return this.nodeName === 'INPUT' && this.hasAttribute('checked');
  }

  /** A table's rows: thead rows, then body rows and direct rows in tree order, then tfoot rows. */
  get rows(): LightElement[] | undefined {
    if (this.nodeName !== 'TABLE') return undefined;
    const head: LightElement[] = [];
    const body: LightElement[] = [];
    const foot: LightElement[] = [];
    for (const child of this.children) {
      if (child.nodeName === 'TR') body.push(child);
      else if (child.nodeName === 'THEAD') head.push(...child.children.filter(row => row.nodeName === 'TR'));
      else if (child.nodeName === 'TBODY') body.push(...child.children.filter(row => row.nodeName === 'TR'));
      else if (child.nodeName === 'TFOOT') foot.push(...child.children.filter(row => row.nodeName === 'TR'));
    }
    return [...head, ...body, ...foot];
  }

  override cloneNode(deep = false): LightElement {
    const copy = new LightElement(
      this.localName,
      this.namespaceURI,
      this.attributes.map(attribute => ({ ...attribute })),
    );
    if (this.templateContent) copy.templateContent = deep ? this.templateContent.cloneNode(true) : new LightDocumentFragment();
    return deep ? this.cloneChildrenInto(copy) : copy;
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

export class LightDocument extends LightParent {
  readonly nodeType = DOCUMENT_NODE;
  readonly nodeName = '#document';
  /** The document's URL, against which relative links resolve when there is no `<base href>`. */
  readonly url: string;
  /** Ranges created on this document, moved by node removals. */
  readonly liveRanges = new Set<LiveRange>();

  constructor(url: string) {
    super();
    this.url = url;
  }

  override get textContent(): string {
    return ''; // as in the DOM: a document has no text content of its own
  }

  override cloneNode(deep = false): LightDocument {
    const copy = new LightDocument(this.url);
    return deep ? this.cloneChildrenInto(copy) : copy;
  }

  /** The URL relative links resolve against: the first `<base href>`, else the document URL. */
  get baseURI(): string {
    const base = this.getElementsByTagName('base').find(element => element.namespaceURI === HTML_NAMESPACE && element.hasAttribute('href'));
    if (!base) return this.url;
    try {
      return new URL(base.getAttribute('href') ?? '', this.url).href;
    } catch {
      return this.url;
    }
  }

  createElement(localName: string): LightElement {
    return new LightElement(localName.toLowerCase(), HTML_NAMESPACE, []);
  }

  createDocumentFragment(): LightDocumentFragment {
    return new LightDocumentFragment();
  }

  createTextNode(data: string): LightText {
    return new LightText(data);
  }
}

// Elements of the light DOM: attributes, and the few element properties turndown and its GFM plugin read.
import { type Attribute, ELEMENT_NODE, HTML_NAMESPACE, LightDocumentFragment, LightParent } from './nodes.js';

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

// What the extraction steps need of a parsed page. jsdom's Document provides it, and so does the light DOM
// (light-dom/), so the same steps run on both and give the same result.

export interface PageNode {
  readonly nodeType: number;
  readonly parentNode: PageNode | null;
  readonly childNodes: ArrayLike<PageNode>;
  hasChildNodes(): boolean;
  cloneNode(deep?: boolean): PageNode;
  remove(): void;
}

export interface PageElement extends PageNode {
  readonly namespaceURI: string | null;
  readonly attributes: Iterable<{ readonly name: string; readonly value: string }>;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  replaceWith(node: PageNode): void;
  appendChild(node: PageNode): PageNode;
}

export interface PageFragment extends PageNode {
  readonly children: ArrayLike<PageElement>;
  appendChild(node: PageNode): PageNode;
}

export interface PageRange {
  setStartBefore(node: PageNode): void;
  setStartAfter(node: PageNode): void;
  setEndBefore(node: PageNode): void;
  setEndAfter(node: PageNode): void;
  cloneContents(): PageFragment;
  deleteContents(): void;
}

export interface PageDocument {
  readonly baseURI: string;
  querySelectorAll(selector: string): Iterable<PageElement>;
  querySelector(selector: string): PageElement | null;
  createElement(name: string): PageElement;
  createTextNode(data: string): PageNode;
  createDocumentFragment(): PageFragment;
  createRange(): PageRange;
}

export const HTML_NAMESPACE = 'http://www.w3.org/1999/xhtml';

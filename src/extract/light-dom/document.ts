// The light DOM's document: its URL, base URL and live ranges.
import { LightElement } from './element.js';
import { DOCUMENT_NODE, HTML_NAMESPACE, LightDocumentFragment, LightParent, LightText, type LiveRange } from './nodes.js';

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

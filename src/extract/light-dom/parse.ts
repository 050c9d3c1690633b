// Parses HTML with parse5, the spec-compliant parser jsdom uses, with the same options as jsdom (scripting
// disabled), into the light DOM. So the tree is the one jsdom would build.
import { html as parse5Html, parse, serialize, type TreeAdapter, type TreeAdapterTypeMap, type Token } from 'parse5';

import type { LightDocument } from './document.js';
import { LightElement } from './element.js';
import { LightComment, LightDocumentFragment, LightDocumentType, type LightNode, type LightParent, LightText } from './nodes.js';
import { LightPage } from './page.js';

type LightTreeMap = TreeAdapterTypeMap<
  LightNode,
  LightParent,
  LightNode,
  LightDocument,
  LightDocumentFragment,
  LightElement,
  LightComment,
  LightText,
  LightElement,
  LightDocumentType
>;

const NAMESPACES = new Map<string, parse5Html.NS>(Object.values(parse5Html.NS).map(namespace => [namespace, namespace]));

function createAdapter(url: string): TreeAdapter<LightTreeMap> {
  const modes = new WeakMap<LightDocument, parse5Html.DOCUMENT_MODE>();
  return {
    createDocument: () => new LightPage(url),
    createDocumentFragment: () => new LightDocumentFragment(),
    createElement: (tagName, namespaceURI, attrs) =>
      new LightElement(tagName, namespaceURI, attrs.map(attribute => ({ name: qualifiedName(attribute), value: attribute.value }))),
    createCommentNode: data => new LightComment(data),
    createTextNode: value => new LightText(value),
    appendChild: (parent, node) => {
      parent.appendChild(node);
    },
    insertBefore: (parent, node, reference) => {
      parent.insertBefore(node, reference);
    },
    setTemplateContent: (template, content) => {
      template.templateContent = content;
    },
    getTemplateContent: template => (template.templateContent ??= new LightDocumentFragment()),
    setDocumentType: (document, name) => {
      const existing = document.childNodes.find(node => node instanceof LightDocumentType);
      const doctype = new LightDocumentType(name);
      if (existing) document.replaceChild(doctype, existing);
      else document.appendChild(doctype);
    },
    setDocumentMode: (document, mode) => {
      modes.set(document, mode);
    },
    getDocumentMode: document => modes.get(document) ?? parse5Html.DOCUMENT_MODE.NO_QUIRKS,
    detachNode: node => {
      node.parentNode?.removeChild(node);
    },
    insertText: (parent, text) => {
      const last = parent.lastChild;
      if (last instanceof LightText) last.data += text;
      else parent.appendChild(new LightText(text));
    },
    insertTextBefore: (parent, text, reference) => {
      const previous = reference.previousSibling;
      if (previous instanceof LightText) previous.data += text;
      else parent.insertBefore(new LightText(text), reference);
    },
    adoptAttributes: (recipient, attrs) => {
      for (const attribute of attrs) {
        const name = qualifiedName(attribute);
        if (recipient.getAttribute(name) === null) recipient.attributes.push({ name, value: attribute.value });
      }
    },
    getFirstChild: node => node.firstChild,
    getChildNodes: node => [...node.childNodes],
    getParentNode: node => node.parentNode,
    getAttrList: element => element.attributes.map(attribute => ({ name: attribute.name, value: attribute.value })),
    getTagName: element => element.localName,
    getNamespaceURI: element => NAMESPACES.get(element.namespaceURI) ?? parse5Html.NS.HTML,
    getTextNodeContent: node => node.data,
    getCommentNodeContent: node => node.data,
    getDocumentTypeNodeName: node => node.nodeName,
    getDocumentTypeNodePublicId: () => '',
    getDocumentTypeNodeSystemId: () => '',
    isTextNode: (node): node is LightText => node instanceof LightText,
    isCommentNode: (node): node is LightComment => node instanceof LightComment,
    isDocumentTypeNode: (node): node is LightDocumentType => node instanceof LightDocumentType,
    isElementNode: (node): node is LightElement => node instanceof LightElement,
    setNodeSourceCodeLocation: () => undefined,
    getNodeSourceCodeLocation: () => undefined,
    updateNodeSourceCodeLocation: () => undefined,
  };
}

function qualifiedName(attribute: Token.Attribute): string {
  return attribute.prefix ? `${attribute.prefix}:${attribute.name}` : attribute.name;
}

export function parseHtml(html: string, url: string): LightPage {
  const document = parse<LightTreeMap>(html, { treeAdapter: createAdapter(url), scriptingEnabled: false, sourceCodeLocationInfo: false });
  if (!(document instanceof LightPage)) throw new Error('the tree adapter creates LightPage documents');
  return document;
}


/** The page as HTML again (parse5's serialiser, over the light DOM). */
export function serializeHtml(document: LightPage): string {
  return serialize<LightTreeMap>(document, { treeAdapter: createAdapter(document.baseURI) });
}

// CSS selectors on the light DOM with css-select. Selectors are compiled once per extraction and cached.
import { _compileUnsafe as compileUnchecked, type Options, selectAll, selectOne } from 'css-select';

import { LightElement } from './element.js';
import type { LightNode, LightParent } from './nodes.js';

type Adapter = NonNullable<Options<LightNode, LightElement>['adapter']>;
// selectAll and selectOne only ever test elements, so the query can skip its own element check.
type CompiledQuery = ReturnType<typeof compileUnchecked<LightNode, LightElement>>;

const adapter: Adapter = {
  isTag: (node): node is LightElement => node instanceof LightElement,
  getAttributeValue: (element, name) => element.getAttribute(name) ?? undefined,
  getChildren: node => [...node.childNodes],
  getName: element => element.localName,
  getParent: node => node.parentNode,
  getSiblings: node => (node.parentNode ? [...node.parentNode.childNodes] : [node]),
  prevElementSibling: node => {
    for (let sibling = node.previousSibling; sibling; sibling = sibling.previousSibling) {
      if (sibling instanceof LightElement) return sibling;
    }
    return null;
  },
  getText: node => node.textContent,
  hasAttrib: (element, name) => element.getAttribute(name) !== null,
  removeSubsets: nodes => nodes.filter((node, index) => {
    if (nodes.indexOf(node) !== index) return false;
    for (let ancestor = node.parentNode; ancestor; ancestor = ancestor.parentNode) if (nodes.includes(ancestor)) return false;
    return true;
  }),
  equals: (a, b) => a === b,
};

const OPTIONS: Options<LightNode, LightElement> = { adapter, xmlMode: false, lowerCaseTags: true, lowerCaseAttributeNames: true };

export class InvalidSelectorError extends Error {
  override name = 'InvalidSelectorError';
}

const compiled = new Map<string, CompiledQuery>();

function compileSelector(selector: string): CompiledQuery {
  let query = compiled.get(selector);
  if (!query) {
    try {
      query = compileUnchecked<LightNode, LightElement>(selector, OPTIONS);
    } catch (error) {
      throw new InvalidSelectorError(`'${selector}' is not a valid selector`, { cause: error });
    }
    if (compiled.size > 1000) compiled.clear();
    compiled.set(selector, query);
  }
  return query;
}

/** Every element under `root` matching the selector, in tree order (as `querySelectorAll`). */
export function querySelectorAll(root: LightParent, selector: string): LightElement[] {
  return selectAll<LightNode, LightElement>(compileSelector(selector), [...root.childNodes], OPTIONS);
}

/** The first element under `root` matching the selector, in tree order (as `querySelector`). */
export function querySelector(root: LightParent, selector: string): LightElement | null {
  return selectOne<LightNode, LightElement>(compileSelector(selector), [...root.childNodes], OPTIONS);
}


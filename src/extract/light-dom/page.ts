// The light DOM document as extraction uses it: CSS queries (css-select) and ranges on top of the nodes.
import { LightDocument } from './document.js';
import type { LightElement } from './element.js';
import { querySelector, querySelectorAll } from './query.js';
import { LightRange } from './range.js';

export class LightPage extends LightDocument {
  querySelectorAll(selector: string): LightElement[] {
    return querySelectorAll(this, selector);
  }

  querySelector(selector: string): LightElement | null {
    return querySelector(this, selector);
  }

  createRange(): LightRange {
    return new LightRange(this);
  }
}

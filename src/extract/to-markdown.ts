// The turndown configuration that fixes every byte of the Markdown (OTA-FORMAT §6.3): turndown 7.2.1 with
// its defaults, joplin-turndown-plugin-gfm 1.0.12, and one rule of ours for links. Changing any of this
// changes every recorded version: ship it as a technical upgrade.
import { gfm } from 'joplin-turndown-plugin-gfm';
import TurndownService from 'turndown';

export type MarkdownConverter = (root: DocumentFragment) => string;

export function createMarkdownConverter(): MarkdownConverter {
  const service = new TurndownService();
  service.use(gfm);
  // Added last, so it takes precedence over the core inline-link rule: the link text is trimmed, so an
  // anchor wrapping block elements gives `[Title](url)` instead of a link broken across blank lines.
  service.addRule('trimmedInlineLink', {
    filter: node => node.nodeName === 'A' && Boolean(node.getAttribute('href')),
    replacement: (content, node) => {
      const element = node;
      const href = (element.getAttribute('href') ?? '').replace(/([()])/g, '\\$1');
      const rawTitle = element.getAttribute('title');
      const cleanTitle = rawTitle ? rawTitle.replace(/(\n+\s*)+/g, '\n') : '';
      const title = cleanTitle ? ` "${cleanTitle.replace(/"/g, '\\"')}"` : '';
      return `[${content.trim()}](${href}${title})`;
    },
  });
  return root => service.turndown(root);
}

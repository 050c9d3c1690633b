// The page of one change, where a feed entry leads: which terms, when (both versions' full UTC timestamps), its label
// and summary, and the change itself, folded to the passages that changed with a few lines around them (the index's
// HTML of the change). One renderer for `serve` (/changes/…) and for static feeds (`feeds --out`): plain HTML with an
// inline style and no script, so it opens anywhere.
import { escapeHtml } from './change.js';
import type { IndexedVersion } from './history-index.js';
import { LABEL_TITLES } from './labels.js';

export interface ChangePageLinks {
  /** The version as JSON. */
  readonly json: string;
  /** The feed of these terms. */
  readonly feed: string;
  /** The viewer, opened on these terms and this version, when there is one. */
  readonly viewer?: string | undefined;
  /** The version's commit page, when feedVersionUrlTemplate says where. */
  readonly commit?: string | undefined;
}

const STYLE = `
body { margin: 0 auto; max-width: 60rem; padding: 16px; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; }
h1 { font-size: 1.4rem; margin: 0 0 4px; } .meta { color: #57606a; margin: 0 0 12px; }
.label { display: inline-block; font-size: .85rem; padding: 2px 8px; border-radius: 10px; background: #eaeef2; }
.label.substantive { background: #fff1c2; } .label.first-record { background: #ddf4ff; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 12px 0; } dt { font-weight: 600; }
.change { white-space: pre-wrap; overflow-wrap: anywhere; font: 14px/1.5 ui-monospace, SFMono-Regular, Menlo, monospace; border: 1px solid #d0d7de; border-radius: 6px; padding: 12px; }
ins { background: #d7f5dd; color: #0a5d1e; text-decoration: none; } del { background: #fde2e1; color: #8c1d18; }
nav a { display: inline-block; min-height: 40px; padding: 8px 12px 8px 0; }
`;

/** `2026-12-01 09:44:39 UTC`: a full timestamp a person reads. */
export function readableDate(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

export function renderChangePage(collectionName: string, version: IndexedVersion, previous: IndexedVersion | undefined, links: ChangePageLinks): string {
  const terms = `${version.serviceId} ${version.termsType}`;
  const label = LABEL_TITLES[version.label];
  const navigation = [
    ...(links.viewer === undefined ? [] : [`<a href="${escapeHtml(links.viewer)}">Compare any two versions in the viewer</a>`]),
    `<a href="${escapeHtml(links.feed)}">Feed of these terms</a>`,
    `<a href="${escapeHtml(links.json)}">This version as JSON</a>`,
    ...(links.commit === undefined ? [] : [`<a href="${escapeHtml(links.commit)}">Commit</a>`]),
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${terms}: ${label.toLowerCase()} change of ${readableDate(version.fetchDate)} — ${collectionName}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<p class="meta">${escapeHtml(collectionName)}</p>
<h1>${escapeHtml(terms)}</h1>
<p><span class="label ${version.label}" title="${escapeHtml(version.labelReason)}">${escapeHtml(label)}</span> ${escapeHtml(version.summary)}</p>
<dl>
<dt>Before</dt><dd>${previous === undefined ? 'nothing: the first record of these terms' : `<time datetime="${escapeHtml(previous.fetchDate)}">${readableDate(previous.fetchDate)}</time>`}</dd>
<dt>After</dt><dd><time datetime="${escapeHtml(version.fetchDate)}">${readableDate(version.fetchDate)}</time> (version ${escapeHtml(version.id.slice(0, 10))})</dd>
<dt>Why this label</dt><dd>${escapeHtml(version.labelReason)}</dd>
</dl>
<nav>${navigation.join(' ')}</nav>
<h2>What changed</h2>
<div class="change">${version.diffHtml || '<p>No change in the text.</p>'}</div>
</body>
</html>
`;
}

// The web viewer `serve` answers at `/`: one page and one script, plain HTML, CSS and JavaScript (no build step,
// nothing to install), reading the API. Services and their terms, a timeline per document with the label of each
// change, and any two versions compared inline or side by side, word by word; search and "since when?" come from
// viewer-research.ts.
import { RESEARCH_HTML, RESEARCH_SCRIPT, RESEARCH_STYLE } from './viewer-research.js';

export interface ViewerOptions {
  /** Where the API is mounted, e.g. /api/v1. */
  readonly apiPath: string;
  /** `%VERSION_ID` → a page showing the commit; absent: no commit link. */
  readonly versionUrlTemplate?: string | undefined;
  /** `%SNAPSHOT_ID` → a page showing the snapshot; absent or not a URL: the id is shown as text. */
  readonly snapshotUrlTemplate?: string | undefined;
  readonly title: string;
}

const STYLE = `
:root { color-scheme: light; --ins: #d7f5dd; --ins-text: #0a5d1e; --del: #fde2e1; --del-text: #8c1d18; --line: #d0d7de; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; background: #f6f8fa; }
header { padding: 12px 16px; background: #24292f; color: #fff; }
header h1 { margin: 0; font-size: 1.2rem; }
main { display: grid; grid-template-columns: minmax(220px, 280px) 1fr; gap: 16px; padding: 16px; }
nav, section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px; min-width: 0; }
nav ul, #timeline { list-style: none; margin: 0; padding: 0; }
nav li button, #timeline li { width: 100%; text-align: left; border: 0; background: none; padding: 6px 4px; font: inherit; cursor: pointer; border-radius: 4px; min-height: 40px; }
button, select { min-height: 40px; font: inherit; }
:focus-visible { outline: 3px solid #0969da; outline-offset: 1px; }
#timeline { max-height: 35vh; overflow-y: auto; }
#timeline .pick { display: inline-flex; align-items: center; gap: 2px; min-height: 40px; padding: 0 6px; font-size: .8rem; color: #57606a; }
.fold { display: block; width: 100%; margin: 4px 0; border: 1px dashed var(--line); border-radius: 4px; background: #f6f8fa; color: #57606a; cursor: pointer; font: 13px system-ui, sans-serif; }
.column-title { font-weight: 600; margin: 0 0 4px; }
.empty { color: #57606a; }
.document { border: 1px solid var(--line); border-radius: 6px; padding: 4px 16px; background: #fff; overflow-wrap: anywhere; }
.document pre { white-space: pre-wrap; font-size: 13px; }
nav li button:hover, nav li button[aria-current="true"] { background: #eaeef2; }
nav .terms { padding-left: 12px; font-size: .95rem; }
#timeline li { display: grid; grid-template-columns: auto auto auto 1fr; gap: 8px; align-items: center; cursor: default; border-bottom: 1px solid #eaeef2; }
#timeline label { cursor: pointer; }
.label { font-size: .8rem; padding: 1px 6px; border-radius: 10px; background: #eaeef2; white-space: nowrap; }
.label.substantive { background: #fff1c2; } .label.technical-upgrade { background: #e8e3ff; } .label.first-record { background: #ddf4ff; }
.toolbar { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 12px 0; }
.diff { white-space: pre-wrap; overflow-wrap: anywhere; font: 14px/1.5 ui-monospace, SFMono-Regular, Menlo, monospace; border: 1px solid var(--line); border-radius: 6px; padding: 12px; background: #fff; }
ins { background: var(--ins); color: var(--ins-text); text-decoration: none; }
del { background: var(--del); color: var(--del-text); }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; }
.meta { font-size: .9rem; color: #57606a; }
@media (max-width: 700px) { main { grid-template-columns: 1fr; } .columns { grid-template-columns: 1fr; } }
`;

const SCRIPT = String.raw`
const config = JSON.parse(document.getElementById('viewer-config').textContent);
const api = path => fetch(config.apiPath + path).then(response => { if (!response.ok) throw new Error(response.status + ' ' + path); return response.json(); });
const enc = encodeURIComponent;
const $ = id => document.getElementById(id);
const element = (tag, attributes = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  for (const child of children) node.append(child);
  return node;
};
const titles = { 'first-record': 'First record', 'technical-upgrade': 'Technical upgrade', 'formatting-only': 'Formatting only', 'links-only': 'Links only', 'dates-only': 'Dates only', substantive: 'Substantive' };
let current = null;
/** A full timestamp: 2026-12-01 09:44:39 UTC. */
const stamp = iso => iso.slice(0, 19).replace('T', ' ') + ' UTC';

async function showServices() {
  const services = await api('/services');
  const list = $('services');
  list.replaceChildren();
  if (services.length === 0) $('heading').textContent = 'No terms here yet: add a declaration to declarations/, run "terms-archive track", and come back.';
  for (const service of services) {
    const terms = element('ul', { class: 'terms' });
    for (const { type } of service.terms) {
      const button = element('button', { type: 'button', 'data-service': service.id, 'data-type': type }, type);
      button.addEventListener('click', () => { showTimeline(service.id, type, button); });
      terms.append(element('li', {}, button));
    }
    list.append(element('li', {}, element('strong', {}, service.name), terms));
  }
}

async function showTimeline(serviceId, type, button) {
  for (const other of document.querySelectorAll('nav button[aria-current]')) other.removeAttribute('aria-current');
  button?.setAttribute('aria-current', 'true');
  current = { serviceId, type };
  history.replaceState(null, '', '#/terms/' + enc(serviceId) + '/' + enc(type));
  const { versions } = await api('/versions/' + enc(serviceId) + '/' + enc(type) + '?limit=1000&technicalUpgrades=true');
  $('heading').textContent = serviceId + ' · ' + type;
  if (window.innerWidth < 700) $('heading').scrollIntoView();
  const timeline = $('timeline');
  timeline.replaceChildren();
  if (versions.length === 0) timeline.append(element('li', { class: 'empty' }, 'Nothing recorded yet for these terms: run "terms-archive track", and come back.'));
  versions.forEach((version, position) => {
    const from = element('input', { type: 'radio', name: 'from', value: version.id, 'aria-label': 'before: the version of ' + stamp(version.fetchDate) });
    const to = element('input', { type: 'radio', name: 'to', value: version.id, 'aria-label': 'after: the version of ' + stamp(version.fetchDate) });
    if (position === 0) to.checked = true;
    if (position === 1) from.checked = true;
    const links = [];
    if (config.versionUrlTemplate) links.push(' ', element('a', { href: config.versionUrlTemplate.replace('%VERSION_ID', version.id) }, 'commit'));
    for (const snapshot of version.snapshotIds) {
      links.push(' ', config.snapshotUrlTemplate ? element('a', { href: config.snapshotUrlTemplate.replace('%SNAPSHOT_ID', snapshot) }, 'snapshot') : element('span', { class: 'meta' }, 'snapshot ' + snapshot.slice(0, 10)));
    }
    timeline.append(element('li', { 'data-version': version.id },
      element('label', { class: 'pick' }, from, 'before'),
      element('label', { class: 'pick' }, to, 'after'),
      element('span', { class: 'label ' + version.label, title: version.labelReason }, titles[version.label] || version.label),
      element('span', {}, element('time', { datetime: version.fetchDate }, stamp(version.fetchDate)), ' ', element('span', { class: 'meta' }, version.summary), ...links)));
  });
  $('compare').hidden = versions.length === 0;
  await showDiff();
}

// Lines of unchanged text kept around each change; the rest is folded behind a button that shows it.
const CONTEXT = 3;
let changes = [];
let at = -1;

/** An unchanged run of text, folded to its first and last CONTEXT lines where it meets changes. */
function unchanged(text, isFirst, isLast) {
  const lines = text.split('\n');
  const head = isFirst ? 0 : CONTEXT + 1;
  const tail = isLast ? 0 : CONTEXT + 1;
  if (lines.length <= head + tail + 1) return [text];
  const hidden = lines.slice(head, lines.length - tail).join('\n');
  const count = lines.length - head - tail;
  const fold = element('button', { type: 'button', class: 'fold', 'aria-label': 'show ' + count + ' unchanged lines' }, '⋯ ' + count + ' unchanged lines');
  fold.addEventListener('click', () => { fold.replaceWith(hidden); });
  return [lines.slice(0, head).join('\n') + (head > 0 ? '\n' : ''), fold, (tail > 0 ? '\n' : '') + lines.slice(lines.length - tail).join('\n')];
}

function column(parts, keep) {
  const box = element('div', { class: 'diff' });
  const shown = parts.filter(part => !(part.added && keep === 'before') && !(part.removed && keep === 'after'));
  let previousChanged = false;
  shown.forEach((part, index) => {
    if (!part.added && !part.removed) {
      box.append(...unchanged(part.value, index === 0, index === shown.length - 1));
      previousChanged = false;
      return;
    }
    const node = element(part.added ? 'ins' : 'del', {}, part.value);
    if (!previousChanged) node.setAttribute('data-change', '');
    box.append(node);
    previousChanged = true;
  });
  return box;
}

// The Markdown of a version rendered for reading, with DOM calls only (no HTML string is ever parsed): OTA's
// Markdown is headings (setext and #), paragraphs, lists, rules, emphasis, links and tables (shown as text).
function inline(text, parent) {
  const pattern = /\*\*([^*]+)\*\*|\[([^\]]+)\]\(([^)\s]+)\)|(?<![\w*])[*_]([^*_\s][^*_]*)[*_](?![\w*])/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    parent.append(text.slice(last, match.index));
    if (match[1] !== undefined) parent.append(element('strong', {}, match[1]));
    else if (match[2] !== undefined) parent.append(/^(https?:|mailto:)/.test(match[3]) ? element('a', { href: match[3], rel: 'nofollow noopener' }, match[2]) : match[2]);
    else parent.append(element('em', {}, match[4]));
    last = match.index + match[0].length;
  }
  parent.append(text.slice(last));
}

const ITEM = /^\s*([*+-]|\d+\.)\s+/;

function renderMarkdown(text) {
  const root = element('div', { class: 'document' });
  // blocks split as the index splits paragraphs, numbered as /blame numbers them
  let paragraph = 0;
  const append = node => { root.append(element('div', { class: 'block', 'data-paragraph': String(paragraph++) }, node)); };
  for (const block of text.split(/\n(?:[ \t\r]*\n)+/)) {
    const lines = block.split('\n').filter(line => line.trim() !== '');
    if (lines.length === 0) continue;
    const heading = /^(#{1,6})\s+(.*)$/.exec(lines[0]);
    if (heading && lines.length === 1) {
      const node = element('h' + Math.min(heading[1].length + 1, 6));
      inline(heading[2], node);
      append(node);
    } else if (lines.length === 2 && /^(=+|-+)\s*$/.test(lines[1])) {
      const node = element(lines[1][0] === '=' ? 'h2' : 'h3');
      inline(lines[0], node);
      append(node);
    } else if (lines.length === 1 && /^\s*([*-])(\s*\1){2,}\s*$/.test(lines[0])) {
      append(element('hr'));
    } else if (ITEM.test(lines[0]) && lines.every(line => ITEM.test(line) || /^\s{2,}\S/.test(line))) {
      const list = element(/^\s*\d+\./.test(lines[0]) ? 'ol' : 'ul');
      let item;
      for (const line of lines) {
        if (ITEM.test(line) || !item) list.append((item = element('li')));
        else item.append(' ');
        inline(line.replace(ITEM, '').trim(), item);
      }
      append(list);
    } else if (lines.every(line => line.trim().startsWith('|'))) {
      append(element('pre', {}, block));
    } else {
      const node = element('p');
      inline(lines.join(' '), node);
      append(node);
    }
  }
  return root;
}

function goTo(index) {
  if (changes.length === 0) return;
  at = (index + changes.length) % changes.length;
  changes[at].scrollIntoView({ block: 'center' });
  $('position').textContent = 'change ' + (at + 1) + ' of ' + changes.length;
}

async function showDiff(find) {
  if (!current) return;
  const from = document.querySelector('input[name=from]:checked')?.value;
  const to = document.querySelector('input[name=to]:checked')?.value;
  if (!to) return;
  const query = '?format=json&words=true&to=' + enc(to) + (from ? '&from=' + enc(from) : '');
  const diff = await api('/diff/' + enc(current.serviceId) + '/' + enc(current.type) + query);
  // the label of the whole range, not of its last version
  $('change-label').textContent = (titles[diff.label] || diff.label) + ': ' + diff.labelReason;
  const sideBySide = $('mode').value === 'side';
  const output = $('diff');
  output.replaceChildren();
  output.className = sideBySide ? 'columns' : '';
  if ($('text').value === 'document') {
    // the 'after' version, rendered: the text of every part that was not removed
    output.className = '';
    const rendered = renderMarkdown(diff.changes.filter(part => !part.removed).map(part => part.value).join(''));
    output.append(element('p', { class: 'column-title' }, 'The version of ' + stamp(diff.to.fetchDate) + ', rendered'), rendered);
    if (find) findInView(rendered, find);
    annotateSince(rendered, current.serviceId, current.type, diff.to.id).catch(() => {});
    changes = [];
    $('position').textContent = '';
    $('previous').disabled = $('next').disabled = true;
    return;
  }
  const before = diff.from ? 'Before: ' + stamp(diff.from.fetchDate) : 'Before: nothing (the first record)';
  const after = 'After: ' + stamp(diff.to.fetchDate);
  if (sideBySide) output.append(element('div', {}, element('p', { class: 'column-title' }, before), column(diff.changes, 'before')), element('div', {}, element('p', { class: 'column-title' }, after), column(diff.changes, 'after')));
  else output.append(element('p', { class: 'column-title' }, before + ' → ' + after), column(diff.changes, 'both'));
  // side by side, a change is marked in both columns: the after column's marks are followed (the before column's
  // when the change only removes)
  const marks = scope => [...output.querySelectorAll(scope + '[data-change]')];
  changes = sideBySide ? (marks('.columns > div:last-child ').length > 0 ? marks('.columns > div:last-child ') : marks('.columns > div:first-child ')) : marks('');
  if (diff.changes.every(part => !part.added && !part.removed)) output.append(element('p', { class: 'empty' }, 'These two versions hold the same text.'));
  at = -1;
  $('position').textContent = changes.length === 0 ? '' : changes.length + (changes.length === 1 ? ' change' : ' changes');
  $('previous').disabled = $('next').disabled = changes.length === 0;
  if (changes.length > 0) goTo(0);
}

$('next').addEventListener('click', () => { goTo(at + 1); });
$('text').addEventListener('change', () => { showDiff(); });
$('previous').addEventListener('click', () => { goTo(at - 1); });
document.addEventListener('keydown', event => {
  if (event.target.matches('input, select, textarea') || event.altKey || event.ctrlKey || event.metaKey) return;
  if (event.key === 'n' || event.key === 'j') goTo(at + 1);
  if (event.key === 'p' || event.key === 'k') goTo(at - 1);
});
$('timeline').addEventListener('change', () => { showDiff(); });
$('mode').addEventListener('change', () => { showDiff(); });
// #/terms/<service>/<terms type>[/<version id>[?find=<words>]]: a link to a terms, to one of its changes (feeds and
// change pages), and to a version with words found in it (search results)
async function openFromHash() {
  const match = /^#\/terms\/([^/?]+)\/([^/?]+)(?:\/([0-9a-f]{7,40}))?(?:\?find=(.*))?$/.exec(location.hash);
  if (!match) return;
  const serviceId = decodeURIComponent(match[1]);
  const type = decodeURIComponent(match[2]);
  const button = [...document.querySelectorAll('nav button')].find(candidate => candidate.dataset.service === serviceId && candidate.dataset.type === type);
  await showTimeline(serviceId, type, button);
  if (!match[3]) return;
  const items = [...document.querySelectorAll('#timeline li')];
  const at = items.findIndex(item => item.dataset.version.startsWith(match[3]));
  if (at < 0) return;
  items[at].querySelector('input[name=to]').checked = true;
  const before = items[at + 1]?.querySelector('input[name=from]');
  for (const from of document.querySelectorAll('input[name=from]')) from.checked = from === before;
  // from a search result: the version rendered, the match in view
  if (match[4] !== undefined) $('text').value = 'document';
  await showDiff(match[4] === undefined ? undefined : decodeURIComponent(match[4]));
}
const failed = error => { $('heading').textContent = 'The API could not be read: ' + error.message; };
window.addEventListener('hashchange', () => { openFromHash().catch(failed); });
showServices().then(openFromHash).catch(failed);
`;

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function viewerPage(options: ViewerOptions): string {
  const config = JSON.stringify({
    apiPath: options.apiPath,
    versionUrlTemplate: options.versionUrlTemplate ?? null,
    snapshotUrlTemplate: options.snapshotUrlTemplate && /^https?:\/\//.test(options.snapshotUrlTemplate) ? options.snapshotUrlTemplate : null,
  }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(options.title)}</title>
<link rel="icon" href="favicon.svg" type="image/svg+xml">
<style>${STYLE}${RESEARCH_STYLE}</style>
</head>
<body>
<header><h1>${escape(options.title)}</h1>${RESEARCH_HTML.form}</header>
<main>
  <nav aria-label="Services"><ul id="services"></ul></nav>
  <section>
    ${RESEARCH_HTML.results}
    <h2 id="heading">Pick a service's terms</h2>
    <ol id="timeline"></ol>
    <div id="compare" hidden>
      <div class="toolbar">
        <label>Show <select id="text"><option value="changes">the changes (Markdown source)</option><option value="document">the document (rendered)</option></select></label>
        <label>View <select id="mode"><option value="inline">inline</option><option value="side">side by side</option></select></label>
        <button type="button" id="previous" title="previous change (p)">← Previous change</button>
        <button type="button" id="next" title="next change (n)">Next change →</button>
        <span id="position" class="meta" aria-live="polite"></span>
        <span id="change-label" class="meta"></span>
      </div>
      <div id="diff"></div>
    </div>
  </section>
</main>
<script type="application/json" id="viewer-config">${config}</script>
<script src="viewer.js"></script>
</body>
</html>
`;
}

export const VIEWER_SCRIPT = SCRIPT + RESEARCH_SCRIPT;

/** The viewer's icon: a page with a highlighted line. */
export const FAVICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect x="5" y="2" width="22" height="28" rx="3" fill="#24292f"/><rect x="9" y="8" width="14" height="3" fill="#fff"/><rect x="9" y="14" width="14" height="3" fill="#d7f5dd"/><rect x="9" y="20" width="10" height="3" fill="#fff"/></svg>';

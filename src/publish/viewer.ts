// The web viewer `serve` answers at `/`: one page and one script, plain HTML, CSS and JavaScript (no build step,
// nothing to install), reading the API. Services and their terms, a timeline per document with the label of each
// change, and any two versions compared inline or side by side, word by word.

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
nav li button, #timeline li { width: 100%; text-align: left; border: 0; background: none; padding: 6px 4px; font: inherit; cursor: pointer; border-radius: 4px; }
nav li button:hover, nav li button[aria-current="true"] { background: #eaeef2; }
nav .terms { padding-left: 12px; font-size: .95rem; }
#timeline li { display: grid; grid-template-columns: auto auto 1fr; gap: 8px; align-items: baseline; cursor: default; border-bottom: 1px solid #eaeef2; }
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

async function showServices() {
  const services = await api('/services');
  const list = $('services');
  list.replaceChildren();
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
  const timeline = $('timeline');
  timeline.replaceChildren();
  versions.forEach((version, position) => {
    const from = element('input', { type: 'radio', name: 'from', value: version.id, 'aria-label': 'compare from ' + version.fetchDate });
    const to = element('input', { type: 'radio', name: 'to', value: version.id, 'aria-label': 'compare to ' + version.fetchDate });
    if (position === 0) to.checked = true;
    if (position === 1) from.checked = true;
    const links = [];
    if (config.versionUrlTemplate) links.push(' ', element('a', { href: config.versionUrlTemplate.replace('%VERSION_ID', version.id) }, 'commit'));
    for (const snapshot of version.snapshotIds) {
      links.push(' ', config.snapshotUrlTemplate ? element('a', { href: config.snapshotUrlTemplate.replace('%SNAPSHOT_ID', snapshot) }, 'snapshot') : element('span', { class: 'meta' }, 'snapshot ' + snapshot.slice(0, 10)));
    }
    timeline.append(element('li', { 'data-version': version.id },
      element('span', {}, from, to),
      element('span', { class: 'label ' + version.label, title: version.labelReason }, titles[version.label] || version.label),
      element('span', {}, element('time', { datetime: version.fetchDate }, version.fetchDate.slice(0, 16).replace('T', ' ')), ' ', element('span', { class: 'meta' }, version.summary), ...links)));
  });
  $('compare').hidden = versions.length === 0;
  await showDiff();
}

async function showDiff() {
  if (!current) return;
  const from = document.querySelector('input[name=from]:checked')?.value;
  const to = document.querySelector('input[name=to]:checked')?.value;
  if (!to) return;
  const query = '?format=json&words=true&to=' + enc(to) + (from ? '&from=' + enc(from) : '');
  const diff = await api('/diff/' + enc(current.serviceId) + '/' + enc(current.type) + query);
  $('change-label').textContent = (titles[diff.to.label] || diff.to.label) + ': ' + diff.to.labelReason;
  const sideBySide = $('mode').value === 'side';
  const output = $('diff');
  output.replaceChildren();
  output.className = sideBySide ? 'columns' : '';
  const column = keep => {
    const box = element('div', { class: 'diff' });
    for (const part of diff.changes) {
      if (part.added && keep !== 'after' && keep !== 'both') continue;
      if (part.removed && keep !== 'before' && keep !== 'both') continue;
      box.append(part.added ? element('ins', {}, part.value) : part.removed ? element('del', {}, part.value) : part.value);
    }
    return box;
  };
  if (sideBySide) output.append(column('before'), column('after'));
  else output.append(column('both'));
}

$('timeline').addEventListener('change', () => { showDiff(); });
$('mode').addEventListener('change', () => { showDiff(); });
// #/terms/<service>/<terms type>[/<version id>]: a link to a terms, and to one of its changes (feeds and change pages)
async function openFromHash() {
  const match = /^#\/terms\/([^/]+)\/([^/]+)(?:\/([0-9a-f]{7,40}))?$/.exec(location.hash);
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
  await showDiff();
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
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escape(options.title)}</h1></header>
<main>
  <nav aria-label="Services"><ul id="services"></ul></nav>
  <section>
    <h2 id="heading">Pick a service's terms</h2>
    <ol id="timeline"></ol>
    <div id="compare" hidden>
      <div class="toolbar">
        <label>View <select id="mode"><option value="inline">inline</option><option value="side">side by side</option></select></label>
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

export const VIEWER_SCRIPT = SCRIPT;

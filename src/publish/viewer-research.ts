// The viewer's research parts, run in the same script as viewer.ts's (whose helpers they use): a search box whose
// results open the version with the match in view, and a "since when?" on each paragraph of a rendered version
// (the API's /blame), linking to the version that brought it.

export const RESEARCH_STYLE = `
header { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; justify-content: space-between; }
#search-form { display: flex; gap: 6px; flex-wrap: wrap; }
#search-form input { min-height: 40px; min-width: min(320px, 60vw); font: inherit; padding: 0 8px; border-radius: 4px; border: 0; }
#search-results { margin-bottom: 16px; }
#search-results ol { list-style: none; margin: 0; padding: 0; }
#search-results li { border-bottom: 1px solid #eaeef2; padding: 8px 0; }
#search-results a { font-weight: 600; }
mark { background: #fff1c2; color: inherit; }
.found { outline: 3px solid #f2cc60; outline-offset: 2px; }
.document .block { position: relative; padding-right: 96px; }
.since { position: absolute; top: 4px; right: 0; min-height: 28px; padding: 0 8px; font-size: .75rem; border: 1px solid var(--line); border-radius: 12px; background: #f6f8fa; color: #57606a; cursor: pointer; opacity: .3; }
.document .block:hover .since, .since:focus-visible, .since[aria-expanded="true"] { opacity: 1; }
.since-note { display: block; font-size: .85rem; color: #57606a; margin: 0 0 8px; }
@media (max-width: 700px) { .document .block { padding-right: 0; padding-bottom: 32px; } .since { top: auto; bottom: 0; } }
`;

export const RESEARCH_HTML = {
  form: `<form id="search-form" role="search">
    <input id="search-input" type="search" name="q" placeholder='Search all terms: words, "a phrase", prefix*' aria-label="Search all terms">
    <select id="search-scope" aria-label="Search in"><option value="latest">in force now</option><option value="all">all history</option></select>
    <button type="submit">Search</button>
  </form>`,
  results: '<div id="search-results" hidden></div>',
};

export const RESEARCH_SCRIPT = String.raw`
/** A snippet as text with its matches in mark elements. */
function snippetNode(hit) {
  const node = element('p', { class: 'snippet' });
  let at = 0;
  for (const [start, end] of hit.highlights) {
    node.append(hit.snippet.slice(at, start), element('mark', {}, hit.snippet.slice(start, end)));
    at = end;
  }
  node.append(hit.snippet.slice(at));
  return node;
}

async function runSearch(query, scope) {
  const box = $('search-results');
  box.hidden = false;
  box.replaceChildren(element('p', { class: 'meta' }, 'Searching…'));
  let result;
  try {
    result = await api('/search?q=' + enc(query) + (scope === 'all' ? '&all=true' : '') + '&limit=50');
  } catch (error) {
    box.replaceChildren(element('p', { class: 'empty' }, 'The search failed: ' + error.message));
    return;
  }
  const list = element('ol');
  for (const hit of result.hits) {
    const words = hit.highlights.map(([start, end]) => hit.snippet.slice(start, end)).join(' ');
    const href = '#/terms/' + enc(hit.serviceId) + '/' + enc(hit.termsType) + '/' + hit.version.id + '?find=' + enc(words);
    const when = hit.until === undefined ? stamp(hit.version.fetchDate) : stamp(hit.version.fetchDate) + ' → ' + (hit.until ? stamp(hit.until.fetchDate) : 'now');
    list.append(element('li', {}, element('a', { href }, hit.serviceId + ' · ' + hit.termsType), ' ', element('span', { class: 'meta' }, when + ' · ' + hit.matches + (hit.matches === 1 ? ' paragraph' : ' paragraphs')), snippetNode(hit)));
  }
  const close = element('button', { type: 'button' }, 'Close');
  close.addEventListener('click', () => { box.hidden = true; });
  box.replaceChildren(element('h2', {}, result.total + (result.total === 1 ? ' result' : ' results') + ' for “' + query + '”' + (scope === 'all' ? ' over all history' : ' in the terms in force')), close, list);
  if (result.total > result.hits.length) box.append(element('p', { class: 'meta' }, 'The first ' + result.hits.length + ' are shown: narrow the query.'));
}

$('search-form').addEventListener('submit', event => {
  event.preventDefault();
  const query = $('search-input').value.trim();
  if (query) runSearch(query, $('search-scope').value);
});

/** Marks the words of a search in the rendered document, and brings the first paragraph holding them into view. */
function findInView(root, words) {
  const wanted = words.toLowerCase().split(/\s+/).filter(Boolean);
  if (wanted.length === 0) return;
  const blocks = [...root.querySelectorAll('[data-paragraph]')];
  const block = blocks.find(candidate => wanted.every(word => candidate.textContent.toLowerCase().includes(word))) || blocks.find(candidate => candidate.textContent.toLowerCase().includes(wanted[0]));
  if (!block) return;
  const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
  const texts = [];
  while (walker.nextNode()) texts.push(walker.currentNode);
  for (const text of texts) {
    const lower = text.data.toLowerCase();
    const hit = wanted.map(word => [lower.indexOf(word), word.length]).filter(([index]) => index >= 0).sort((a, b) => a[0] - b[0])[0];
    if (!hit) continue;
    const match = text.splitText(hit[0]);
    match.splitText(hit[1]);
    match.replaceWith(element('mark', {}, match.data));
  }
  block.classList.add('found');
  block.scrollIntoView({ block: 'center' });
}

/** A "since when?" button on each paragraph of a rendered version, answered from the API's blame. */
async function annotateSince(root, serviceId, type, versionId) {
  const { paragraphs } = await api('/blame/' + enc(serviceId) + '/' + enc(type) + '?at=' + enc(versionId));
  for (const block of root.querySelectorAll('[data-paragraph]')) {
    const blamed = paragraphs[Number(block.dataset.paragraph)];
    if (!blamed || !blamed.since) continue;
    const since = blamed.since;
    const button = element('button', { type: 'button', class: 'since', 'aria-expanded': 'false', title: 'since when is this paragraph here?' }, 'since when?');
    button.addEventListener('click', () => {
      const open = button.getAttribute('aria-expanded') === 'true';
      button.setAttribute('aria-expanded', String(!open));
      if (open) { block.querySelector('.since-note')?.remove(); return; }
      const link = element('a', { href: '#/terms/' + enc(serviceId) + '/' + enc(type) + '/' + since.id }, stamp(since.fetchDate));
      block.append(element('span', { class: 'since-note' }, 'Here since ', link, ' (' + (titles[since.label] || since.label) + ', version ' + since.id.slice(0, 10) + ')'));
    });
    block.append(button);
  }
}
`;

// modproxy console: plain JS, no dependencies, served by the gateway under /ui/.
// Views are switched by the URL fragment (#/modules, #/module/<path>, #/audit, #/status,
// #/settings) so every view has an address, the back button works, and nothing reloads.
'use strict';

const $ = (sel) => document.querySelector(sel);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== null && v !== undefined) e.setAttribute(k, v);
  }
  for (const c of children) {
    e.append(c instanceof Node ? c : document.createTextNode(c === null || c === undefined ? '' : String(c)));
  }
  return e;
}

function say(id, text, error) {
  const p = document.getElementById(id);
  p.textContent = text;
  p.classList.toggle('error', !!error);
}

async function get(url, as) {
  const r = await fetch(url, { headers: { Accept: as === 'json' ? 'application/json' : '*/*' } });
  const body = await r.text();
  if (!r.ok) {
    // Our errors are one line of text; anything else (an HTML page) is summed up by its status.
    const line = body.trimStart().startsWith('<') ? '' : body.split('\n')[0];
    throw new Error(r.status + ' ' + (line || r.statusText || 'error'));
  }
  return as === 'json' ? JSON.parse(body) : body;
}

function show(view) {
  for (const s of document.querySelectorAll('main > section')) s.hidden = s.id !== 'view-' + view;
  const navView = view === 'module' ? 'modules' : view;
  for (const a of document.querySelectorAll('nav a')) {
    if (a.dataset.view === navView) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
}

// --- modules -------------------------------------------------------------------------------

async function search(q) {
  say('search-status', 'Searching…');
  const list = $('#search-results');
  list.replaceChildren();
  try {
    const page = await get('/catalog?limit=1000&q=' + encodeURIComponent(q || ''), 'json');
    const modules = new Map();
    for (const v of page.versions) {
      if (!modules.has(v.Path)) modules.set(v.Path, []);
      modules.get(v.Path).push(v.Version);
    }
    for (const [path, versions] of modules) {
      list.append(el('li', {}, el('a', { href: '#/module/' + path }, path),
        ' — ' + versions.length + (versions.length === 1 ? ' version' : ' versions') + ' (' + versions.join(', ') + ')'));
    }
    say('search-status', modules.size === 0 ? 'No stored module matches.' :
      modules.size + (modules.size === 1 ? ' module found.' : ' modules found.') + (page.next ? ' (first 1000 versions)' : ''));
  } catch (e) {
    say('search-status', 'Search failed: ' + e.message, true);
  }
}

async function openModule(path) {
  show('module');
  $('#module-title').textContent = path;
  const body = $('#module-versions tbody');
  body.replaceChildren();
  say('module-status', 'Loading…');
  try {
    const m = await get('/api/v1/modules/' + path, 'json');
    for (const v of m.Versions) {
      body.append(el('tr', {},
        el('th', { scope: 'row' }, v.Version),
        el('td', {}, v.Time || '—'),
        el('td', {}, v.FirstFetched || '—'),
        el('td', {}, v.Origin || '—'),
        el('td', { class: 'hash' }, v.ZipHash || '—', el('br'), v.ModHash || '—'),
        el('td', {}, v.RecordId === null || v.RecordId === undefined ? '—' : String(v.RecordId)),
        el('td', {}, v.Downloads === null || v.Downloads === undefined ? 'n/a' : String(v.Downloads)),
        el('td', v.Quarantined ? { class: 'quarantined' } : {}, v.Quarantined ? 'quarantined: ' + v.Quarantined : 'no')));
    }
    const notes = [m.Versions.length + (m.Versions.length === 1 ? ' stored version.' : ' stored versions.')];
    if (m.DownloadsUnavailable) notes.push('Downloads unavailable: ' + m.DownloadsUnavailable + '.');
    if (m.ChecksumLogUnavailable) notes.push('Checksum log unavailable: ' + m.ChecksumLogUnavailable + '.');
    say('module-status', notes.join(' '));
  } catch (e) {
    say('module-status', 'Could not load the module: ' + e.message, true);
  }
  $('#module-title').focus();
}

// --- audit ---------------------------------------------------------------------------------

async function auditSearch(form) {
  const params = new URLSearchParams();
  for (const [k, v] of new FormData(form)) if (String(v).trim() !== '') params.set(k, String(v).trim());
  const body = $('#audit-results tbody');
  body.replaceChildren();
  say('audit-status-line', 'Searching…');
  try {
    const page = await get('/api/v1/audit?' + params, 'json');
    for (const e of page.events) {
      body.append(el('tr', {}, el('td', {}, e.time), el('td', {}, e.client), el('td', {}, e.identity || '—'),
        el('td', {}, e.kind), el('td', {}, e.module || '—'), el('td', {}, e.version || '—'),
        el('td', {}, e.status), el('td', {}, e.bytes)));
    }
    say('audit-status-line', page.events.length + (page.events.length === 1 ? ' event.' : ' events.')
      + (page.next ? ' More are available: narrow the search or raise the limit.' : ''));
  } catch (e) {
    say('audit-status-line', 'Audit search failed: ' + e.message, true);
  }
}

// --- health and metrics --------------------------------------------------------------------

const KEY_METRICS = [
  ['http_server_requests_seconds_count', 'HTTP requests served'],
  ['modproxy_', 'modproxy metrics'],
  ['jvm_memory_used_bytes', 'JVM memory used (bytes)'],
  ['process_uptime_seconds', 'Uptime (seconds)'],
];

async function loadStatus() {
  const checks = $('#health-checks tbody');
  checks.replaceChildren();
  try {
    const r = await fetch('/q/health/ready');
    const h = await r.json();
    say('health-line', 'Gateway readiness: ' + h.status, h.status !== 'UP');
    for (const c of h.checks || []) checks.append(el('tr', {}, el('th', { scope: 'row' }, c.name), el('td', {}, c.status)));
  } catch (e) {
    say('health-line', 'Health unavailable: ' + e.message, true);
  }
  const metrics = $('#metrics tbody');
  metrics.replaceChildren();
  try {
    const text = await get('/q/metrics', 'text');
    const sums = new Map();
    for (const line of text.split('\n')) {
      if (line.startsWith('#') || !line.trim()) continue;
      const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/);
      if (!m) continue;
      for (const [prefix] of KEY_METRICS) {
        if (m[1] === prefix || (prefix.endsWith('_') && m[1].startsWith(prefix))) {
          sums.set(m[1], (sums.get(m[1]) || 0) + Number(m[3]));
        }
      }
    }
    for (const [name, value] of sums) {
      const label = (KEY_METRICS.find(([p]) => p === name) || [null, name])[1];
      metrics.append(el('tr', {}, el('th', { scope: 'row' }, label), el('td', {}, Number.isInteger(value) ? value : value.toFixed(2))));
    }
  } catch (e) {
    metrics.append(el('tr', {}, el('td', { colspan: '2' }, 'Metrics unavailable: ' + e.message)));
  }
}

// --- client settings -----------------------------------------------------------------------

async function loadSettings() {
  const env = $('#settings-env');
  let sumdb = '<verifier key unavailable>';
  try {
    sumdb = (await get('/api/v1/sumdb/verifier-key', 'text')).trim();
    say('settings-status', '');
  } catch (e) {
    say('settings-status', 'Verifier key unavailable: ' + e.message, true);
  }
  env.value = 'export GOPROXY=' + location.origin + '\nexport GOSUMDB="' + sumdb + '"\n';
}

async function copySettings() {
  const env = $('#settings-env');
  try {
    await navigator.clipboard.writeText(env.value);
  } catch (e) {
    env.select();
    document.execCommand('copy');
  }
  say('settings-status', 'Copied.');
}

// --- routing -------------------------------------------------------------------------------

function route() {
  const hash = decodeURIComponent(location.hash.replace(/^#\/?/, ''));
  if (hash.startsWith('module/')) {
    openModule(hash.substring('module/'.length));
    return;
  }
  const view = ['modules', 'audit', 'status', 'settings'].includes(hash) ? hash : 'modules';
  show(view);
  if (view === 'status') loadStatus();
  if (view === 'settings') loadSettings();
  if (view === 'modules' && !$('#search-results').hasChildNodes()) search($('#search-q').value);
}

$('#search-form').addEventListener('submit', (e) => { e.preventDefault(); search($('#search-q').value); });
$('#audit-form').addEventListener('submit', (e) => { e.preventDefault(); auditSearch(e.target); });
$('#status-refresh').addEventListener('click', loadStatus);
$('#settings-copy').addEventListener('click', copySettings);
$('#module-title').setAttribute('tabindex', '-1');
window.addEventListener('hashchange', route);
route();

// Publipostage console: the three steps (Sélection → Vérification → Publipostage).
// Every visible text comes from the page's i18n JSON through t(); none is written here.
// The check table asks the server for one window of rows at a time (search and column sort are
// part of the selection query), so a 10,000-account school never lands in the DOM at once.

import { t, el, csrf, ApiError, request, askCode, saveBlob, formatDate } from './page.js';
const PAGE = 50;


const $ = (id) => document.getElementById(id);
const form = $('selection-form');

const state = {
  structures: [],
  uai: null,
  offset: 0,
  order: null,        // {column, desc}
  total: 0,
  withoutEmail: 0,
  withoutPostal: 0,
  checked: false,     // the check ran on the current form
  presetId: null,
  outcome: null,      // {campaign, outcome}: the accounts a campaign did not reach, from the campaign view link
};



async function getJson(path) {
  const res = await request(path);
  let body = null;
  try { body = await res.json(); } catch (e) { body = null; }
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}


function show(node, message) {
  node.textContent = message || '';
  node.hidden = !message;
}

function base() {
  return '/api/structures/' + encodeURIComponent(state.uai);
}

// ---------------------------------------------------------------- step 1: the form

/** The selection parameters of the form (the same names as the API and the command line). */
function selectionParams() {
  const p = new URLSearchParams();
  const data = new FormData(form);
  for (const v of data.getAll('profile')) p.append('profile', v);
  for (const v of data.getAll('level')) p.append('level', v);
  for (const v of data.getAll('class')) p.append('class', v);
  if (data.get('activation') && data.get('activation') !== 'all') p.set('activation', data.get('activation'));
  if (data.get('email') && data.get('email') !== 'all') p.set('email', data.get('email'));
  if (data.get('postal') && data.get('postal') !== 'all') p.set('postal', data.get('postal'));
  if (data.get('local-admin') && data.get('local-admin') !== 'any') p.set('local-admin', data.get('local-admin'));
  if (data.get('created-after')) p.set('created-after', data.get('created-after'));
  if (data.get('created-before')) p.set('created-before', data.get('created-before'));
  const sort = [data.get('sort1'), data.get('sort2')].filter((v) => v);
  if (sort.length) p.set('sort', [...new Set(sort)].join(','));
  if (data.get('layout') && data.get('layout') !== '1') p.set('layout', data.get('layout'));
  // Cover sheets are for letters handed out by the form tutor, not for letters sent by post.
  if (data.get('cover') && data.get('layout') !== 'postal') p.set('cover', 'yes');
  if (state.outcome) {
    p.set('campaign', state.outcome.campaign);
    p.set('outcome', state.outcome.outcome);
  }
  // The window-envelope options live in the print panel (print.js), written into hidden fields of this form.
  if (data.get('layout') === 'postal') {
    if (data.get('without-address') && data.get('without-address') !== 'refuse') p.set('without-address', data.get('without-address'));
  }
  return p;
}

/** The selection plus the check table's search boxes and column order: what the table, the CSV and step 3 use. */
function checkParams() {
  const p = selectionParams();
  for (const [id, name] of [['search-last', 'search-last'], ['search-first', 'search-first'], ['search-class', 'search-class']]) {
    const v = $(id).value.trim();
    if (v) p.set(name, v);
  }
  if (state.order) p.set('order', state.order.column + (state.order.desc ? ':desc' : ':asc'));
  return p;
}

function checkbox(name, value, label, checked) {
  const input = el('input', { type: 'checkbox', name, value, checked });
  return el('label', { class: 'check' }, input, ' ' + label);
}

async function loadStructures() {
  state.structures = await getJson('/api/structures');
  const select = $('structure');
  select.replaceChildren(...state.structures.map((s) =>
    el('option', { value: s.uai, text: s.name + ' (' + s.uai + ') · ' + s.roleLabel })));
  // A link may open the console on a selection (the campaign's "who still needs a letter", the
  // activation follow-up's "pending accounts of this class"): the school first, then the filters.
  const wanted = new URLSearchParams(location.search);
  const asked = wanted.get('structure');
  if (state.structures.length) {
    state.uai = asked && state.structures.some((s) => s.uai === asked) ? asked : state.structures[0].uai;
    select.value = state.uai;
    await loadStructure();
  }
  if (asked && state.uai === asked) await applyLink(wanted);
}

/** Fills the form from a link's parameters (the API's names), shows the outcome filter, and runs the check. */
async function applyLink(p) {
  resetForm();
  for (const name of ['profile', 'level']) {
    for (const v of p.getAll(name).flatMap((x) => x.split(','))) {
      const box = form.querySelector(`input[name="${name}"][value="${CSS.escape(v)}"]`);
      if (box) box.checked = true;
    }
  }
  await loadClasses();
  for (const v of p.getAll('class')) {
    const box = form.querySelector(`input[name="class"][value="${CSS.escape(v)}"]`);
    if (box) box.checked = true;
  }
  for (const name of ['activation', 'email', 'local-admin', 'layout', 'postal']) {
    const radio = p.get(name) && form.querySelector(`input[name="${name}"][value="${CSS.escape(p.get(name))}"]`);
    if (radio) radio.checked = true;
  }
  if (p.get('created-after')) $('created-after').value = p.get('created-after');
  if (p.get('created-before')) $('created-before').value = p.get('created-before');
  const sort = (p.get('sort') || '').split(',').filter((v) => v);
  $('sort1').value = sort[0] || '';
  $('sort2').value = sort[1] || '';
  $('cover').checked = p.get('cover') === 'yes';
  setOutcome(p.get('campaign') && p.get('outcome') ? { campaign: p.get('campaign'), outcome: p.get('outcome') } : null);
  selectionChanged();
  history.replaceState(null, '', location.pathname);
  if (await runCheck()) goTo(2);
}

/** The campaign-outcome filter is not a form field: a notice says it is on, and a button takes it off. */
function setOutcome(outcome) {
  state.outcome = outcome;
  const notice = $('outcome-filter');
  if (!outcome) { notice.hidden = true; return; }
  $('outcome-filter-text').textContent = t('ui.outcomeFilter', outcome.campaign);
  notice.hidden = false;
}

/** Only the profiles this admin can select in this school (a class teacher: pupils and parents). */
function showProfiles() {
  const s = state.structures.find((x) => x.uai === state.uai);
  const allowed = new Set(s && s.profiles ? s.profiles : []);
  form.querySelectorAll('input[name="profile"]').forEach((box) => {
    const offered = allowed.has(box.value);
    box.closest('label').hidden = !offered;
    if (!offered) box.checked = false;
  });
}

async function loadStructure() {
  showProfiles();
  const [levels, presets] = await Promise.all([getJson(base() + '/levels'), getJson(base() + '/presets')]);
  $('levels').replaceChildren(...levels.map((l) => checkbox('level', l, l, false)));
  $('preset-buttons').replaceChildren(...presets.map((p) => {
    const b = el('button', { type: 'button', class: 'preset', 'aria-pressed': 'false', title: p.hint, dataset: { preset: p.id } }, p.label);
    b.addEventListener('click', () => applyPreset(p, b));
    return b;
  }));
  await loadClasses();
  selectionChanged();
}

let classesSeq = 0;
async function loadClasses() {
  const seq = ++classesSeq;
  const levels = new FormData(form).getAll('level');
  const kept = new Set(new FormData(form).getAll('class'));
  const q = new URLSearchParams();
  for (const l of levels) q.append('level', l);
  const classes = await getJson(base() + '/classes?' + q);
  if (seq !== classesSeq) return;  // a later call (another level ticked) wins
  $('classes').replaceChildren(...classes.map((c) => checkbox('class', c.name, c.name, kept.has(c.name))));
  $('no-classes').hidden = classes.length > 0;
}

function resetForm() {
  form.querySelectorAll('input[type=checkbox]').forEach((i) => { i.checked = false; });
  form.querySelectorAll('input[type=date]').forEach((i) => { i.value = ''; });
  for (const [name, value] of [['activation', 'all'], ['email', 'all'], ['postal', 'all'], ['local-admin', 'any'], ['layout', '1']]) {
    form.querySelector(`input[name="${name}"][value="${value}"]`).checked = true;
  }
  $('sort1').value = '';
  $('sort2').value = '';
  $('without-address').value = 'refuse';
  state.presetId = null;
  document.querySelectorAll('#preset-buttons button').forEach((b) => b.setAttribute('aria-pressed', 'false'));
}

// ---------------------------------------------------------------- the form survives a reload

// The form and the table's search and order, kept for this tab (sessionStorage): a reload
// (during a print job, say) gives the admin back his selection, not only the job. No credentials in it.
const FORM_KEY = 'publipostage.selectionForm';
let restoring = false;

function saveForm() {
  if (restoring || !state.uai) return;
  const kept = {
    uai: state.uai,
    params: selectionParams().toString(),
    search: Object.fromEntries(['search-last', 'search-first', 'search-class'].map((id) => [id, $(id).value])),
    order: state.order,
    presetId: state.presetId,
  };
  try { sessionStorage.setItem(FORM_KEY, JSON.stringify(kept)); } catch (e) { /* private mode: nothing kept */ }
}

function savedForm() {
  try { return JSON.parse(sessionStorage.getItem(FORM_KEY) || 'null'); } catch (e) { return null; }
}

/** Puts selection parameters (the API's names) back into the form. */
async function applyParams(p) {
  resetForm();
  const all = (name) => p.getAll(name).flatMap((v) => v.split(','));
  for (const v of all('profile')) {
    const box = form.querySelector(`input[name="profile"][value="${CSS.escape(v)}"]`);
    if (box && !box.closest('label').hidden) box.checked = true;
  }
  for (const v of all('level')) {
    const box = form.querySelector(`input[name="level"][value="${CSS.escape(v)}"]`);
    if (box) box.checked = true;
  }
  for (const [name, fallback] of [['activation', 'all'], ['email', 'all'], ['local-admin', 'any'], ['layout', '1'], ['postal', 'all']]) {
    const radio = form.querySelector(`input[name="${name}"][value="${CSS.escape(p.get(name) || fallback)}"]`);
    if (radio) radio.checked = true;
  }
  $('created-after').value = p.get('created-after') || '';
  $('created-before').value = p.get('created-before') || '';
  const sort = (p.get('sort') || '').split(',').filter((v) => v);
  $('sort1').value = sort[0] || '';
  $('sort2').value = sort[1] || '';
  $('cover').checked = p.get('cover') === 'yes';
  await loadClasses();
  for (const v of all('class')) {
    const box = form.querySelector(`input[name="class"][value="${CSS.escape(v)}"]`);
    if (box) box.checked = true;
  }
}

/** After a reload (or a change of language): the kept form of this tab, on step 1, ready for its check. */
async function restoreForm(kept) {
  if (!kept || !state.structures.some((s) => s.uai === kept.uai)) return;
  restoring = true;
  try {
    if (kept.uai !== state.uai) {
      state.uai = kept.uai;
      $('structure').value = kept.uai;
      await loadStructure();
    }
    await applyParams(new URLSearchParams(kept.params));
    for (const [id, value] of Object.entries(kept.search || {})) if ($(id)) $(id).value = value || '';
    state.order = kept.order || null;
    showOrder();
    state.presetId = kept.presetId || null;
    document.querySelectorAll('#preset-buttons button').forEach((b) =>
      b.setAttribute('aria-pressed', String(b.dataset.preset === state.presetId)));
  } finally {
    restoring = false;
  }
  saveForm();
}

async function applyPreset(preset, button) {
  resetForm();
  const p = preset.parameters;
  for (const v of p.profile || []) {
    const box = form.querySelector(`input[name="profile"][value="${v}"]`);
    if (box) box.checked = true;
  }
  for (const name of ['activation', 'email', 'postal', 'layout']) {
    if (p[name]) {
      const radio = form.querySelector(`input[name="${name}"][value="${p[name][0]}"]`);
      if (radio) radio.checked = true;
    }
  }
  if (p['local-admin']) form.querySelector(`input[name="local-admin"][value="${p['local-admin'][0]}"]`).checked = true;
  if (p['created-after']) $('created-after').value = p['created-after'][0];
  if (p['created-before']) $('created-before').value = p['created-before'][0];
  const sort = p.sort || [];
  $('sort1').value = sort[0] || '';
  $('sort2').value = sort[1] || '';
  $('cover').checked = !!(p.cover && p.cover[0] === 'yes');
  await loadClasses();
  state.presetId = preset.id;
  button.setAttribute('aria-pressed', 'true');
  $('preset-status').textContent = preset.label + ' · ' + preset.hint;
  selectionChanged();
}

/** The form changed: the table, the CSV and step 3 wait for a new check. */
function selectionChanged() {
  state.checked = false;
  show($('selection-error'), '');
  saveForm();
}

// ---------------------------------------------------------------- steps

function goTo(step) {
  for (const n of [1, 2, 3]) {
    $('step-' + n).hidden = n !== step;
    const b = document.querySelector(`.steps button[data-goto="${n}"]`);
    if (n === step) b.setAttribute('aria-current', 'step'); else b.removeAttribute('aria-current');
  }
  $('h-step-' + step).focus();
}

async function navigate(step) {
  if (step === 1) { goTo(1); return; }
  if (!state.checked) {
    const ok = await runCheck();
    if (!ok) return;
  }
  if (step === 3) renderSummary();
  goTo(step);
}

// ---------------------------------------------------------------- step 2: the check

async function runCheck() {
  state.offset = 0;
  try {
    await loadPage();
  } catch (e) {
    show($('selection-error'), e.message);
    goTo(1);
    $('selection-error').focus && $('selection-error').scrollIntoView({ block: 'nearest' });
    return false;
  }
  state.checked = true;
  saveForm();
  return true;
}

let pageSeq = 0;
async function loadPage() {
  const seq = ++pageSeq;
  const q = checkParams();
  q.set('offset', String(state.offset));
  q.set('limit', String(PAGE));
  const body = await getJson(base() + '/selection?' + q);
  if (seq !== pageSeq) return;  // typing went on: only the latest answer is shown
  show($('check-error'), '');
  state.total = body.total;
  state.withoutEmail = body.withoutEmail;
  state.withoutPostal = body.withoutPostal;
  $('counts').textContent = countsText();
  $('check-outcome').textContent = state.outcome ? t('ui.outcomeFilter', state.outcome.campaign) : '';
  $('check-outcome').hidden = !state.outcome;
  // Without a fresh second-factor code the server masks the activation codes; "show codes" asks for one.
  $('codes-masked').hidden = !body.codesMasked;
  renderRows(body.rows);
  const from = body.total === 0 ? 0 : body.offset + 1;
  const to = body.offset + body.rows.length;
  $('page-info').textContent = t('check.page', from, to, body.total);
  $('prev').disabled = body.offset === 0;
  $('next').disabled = to >= body.total;
  $('empty').hidden = body.total > 0;
  document.dispatchEvent(new CustomEvent('publipostage:selection', { detail: currentSelection() }));
}

/** "N accounts · M without e-mail", plus "P without postal address" when the window-envelope layout is chosen. */
function countsText() {
  let text = t('check.total', state.total) + ' · ' + t('check.withoutEmail', state.withoutEmail);
  if (postalLayout()) text += ' · ' + t('check.withoutPostal', state.withoutPostal);
  return text;
}

function postalLayout() {
  const layout = form.querySelector('input[name="layout"]:checked');
  return !!layout && layout.value === 'postal';
}

function renderRows(rows) {
  const tbody = document.querySelector('#accounts tbody');
  tbody.replaceChildren(...rows.map((r) => {
    const name = r.firstName + ' ' + r.lastName;
    const open = el('button', { type: 'button', class: 'linklike open-card', 'aria-label': t('check.openCard', name) }, r.lastName);
    open.addEventListener('click', (ev) => { ev.stopPropagation(); openCard(r.id, open); });
    const shown = r.codeMasked
      ? [el('span', { class: 'visually-hidden' }, t('check.codeMasked')), el('span', { 'aria-hidden': 'true' }, r.activationCode)]
      : [r.activationCode || ''];
    const code = r.pending
      ? el('td', { class: 'code' }, lockIcon(),
        el('span', { class: 'visually-hidden' }, t('check.pending') + ' '), ...shown)
      : el('td', { class: 'code' }, el('span', { class: 'visually-hidden' }, t('check.activated')));
    const tr = el('tr', { dataset: { id: String(r.id), login: r.login }, class: r.pending ? 'pending' : null },
      el('td', {}, open),
      el('td', { text: r.firstName }),
      el('td', { text: r.profileLabel }),
      el('td', { class: 'login', text: r.login }),
      code,
      emailCell(r),
      el('td', { text: (r.classes || []).join(', ') }),
      el('td', { text: r.createdAt ? formatDate(r.createdAt) : '' }));
    tr.addEventListener('click', () => openCard(r.id, open));
    return tr;
  }));
}

/** The address, and when it bounced for good a visible mark that says so in words (not by colour alone). */
function emailCell(r) {
  if (!r.emailBounce) return el('td', { text: r.email || '' });
  const status = r.emailBounce.split(':')[0];
  return el('td', { class: 'bounced-address' }, r.email || '', ' ',
    el('span', { class: 'badge bounce', title: r.emailBounce }, t('check.emailBounced', status)));
}

/** A padlock drawn in SVG (no emoji font needed), hidden from screen readers: the text beside it says "pending". */
function lockIcon() {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  for (const [k, v] of [['viewBox', '0 0 16 16'], ['width', '14'], ['height', '14'], ['aria-hidden', 'true'],
    ['focusable', 'false'], ['class', 'lock']]) svg.setAttribute(k, v);
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', 'M4 7V5a4 4 0 0 1 8 0v2h1v8H3V7h1zm2 0h4V5a2 2 0 0 0-4 0v2z');
  path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
}

function sortBy(column) {
  if (state.order && state.order.column === column) state.order = { column, desc: !state.order.desc };
  else state.order = { column, desc: false };
  showOrder();
  state.offset = 0;
  saveForm();
  reload();
}

function showOrder() {
  document.querySelectorAll('#accounts th').forEach((th) => {
    const on = state.order && th.dataset.col === state.order.column;
    th.setAttribute('aria-sort', on ? (state.order.desc ? 'descending' : 'ascending') : 'none');
    th.querySelector('.arrow').textContent = on ? (state.order.desc ? '\u25BC' : '\u25B2') : '';
  });
}

async function reload() {
  try {
    await loadPage();
  } catch (e) {
    show($('check-error'), e.message);
  }
}

let searchTimer = null;
function searchChanged() {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => { state.offset = 0; saveForm(); reload(); }, 300);
}

// ---------------------------------------------------------------- account card

async function openCard(id, returnFocus) {
  const dialog = $('card-dialog');
  let card;
  try {
    card = await getJson(base() + '/accounts/' + encodeURIComponent(id));
  } catch (e) {
    show($('check-error'), e.message);
    return;
  }
  $('card-title').textContent = t('card.title') + ' · ' + card.firstName + ' ' + card.lastName;
  const dl = el('dl', { class: 'card' });
  const item = (label, value) => { dl.append(el('dt', { text: label }), el('dd', { text: value })); };
  item(t('card.profile'), card.profileLabel);
  item(t('card.login'), card.loginName);
  if (card.loginAlias) item(t('card.loginAlias'), card.loginAlias);
  item(t('card.activation'), !card.pending ? t('card.activated')
    : card.codeMasked ? t('card.pendingMasked') : t('card.pending', card.activationCode));
  item(t('card.email'), card.email || t('card.noEmail'));
  if (card.emailBounce) item(t('card.emailBounce'), t('card.emailBounceText', card.emailBounce));
  // The postal address as the window envelope shows it (normalised); the text as imported stays in the database.
  dl.append(el('dt', { text: t('card.postal') }), el('dd', { class: 'postal-address' },
    ...(card.postalLines && card.postalLines.length
      ? card.postalLines.map((line) => el('span', { class: 'line', text: line }))
      : [t('card.noPostal')])));
  if (card.level) item(t('card.level'), card.level);
  item(t('card.classes'), (card.classes || []).join(', ') || t('ui.none'));
  if (card.functions && card.functions.length) item(t('card.functions'), card.functions.join(', '));
  item(t('card.created'), card.createdAt ? formatDate(card.createdAt) : t('ui.none'));
  if (card.language) item(t('card.language'), t(`card.languageName.${card.language}`));
  if (card.blocked) item(t('card.blocked'), t('ui.none'));
  const relTitle = card.profile === 'Relative' ? t('card.children') : card.profile === 'Student' ? t('card.parents') : t('card.relatives');
  const rel = card.relatives.length
    ? el('ul', {}, ...card.relatives.map((r) => el('li', {}, r.firstName + ' ' + r.lastName + ' · ' + r.profileLabel
      + ' · ' + r.login + ((r.classes || []).length ? ' · ' + r.classes.join(', ') : ''))))
    : el('p', { text: t('card.noRelatives') });
  $('card-body').replaceChildren(dl, el('h3', { text: relTitle }), rel);
  dialog.returnFocus = returnFocus;
  dialog.dataset.accountId = String(id);  // for the card's actions (print.js)
  // A row is clicked, not focused: its button takes the focus first, so that the browser's own focus
  // restoration when the card closes goes to the row, not to whatever had the focus before.
  if (returnFocus && returnFocus.isConnected) returnFocus.focus({ preventScroll: true });
  dialog.showModal();
  $('card-close').focus();
}

$('card-close').addEventListener('click', () => $('card-dialog').close());
$('card-dialog').addEventListener('close', () => {
  const dialog = $('card-dialog');
  // After the browser's own focus restoration (the element focused before the dialog, e.g. a search
  // box), the row that opened the card gets the focus back; found again by its id if the table was
  // redrawn meanwhile.
  setTimeout(() => {
    let target = dialog.returnFocus;
    if (!target || !target.isConnected) {
      target = document.querySelector(`#accounts tbody tr[data-id="${CSS.escape(dialog.dataset.accountId || '')}"] button.open-card`);
    }
    if (target) target.focus();
  }, 0);
});

// ---------------------------------------------------------------- second factor and CSV


/**
 * Fetches an output that carries credentials; when the server asks for a fresh TOTP code, asks it
 * and tries once more. Returns the Response (ok or not).
 */
export async function fetchCredentials(path, options = {}) {
  let res = await request(path, options);
  if (res.status === 403) {
    const body = await res.clone().json().catch(() => null);
    if (body && body.code === 'auth.totpRequired' && await askCode()) res = await request(path, options);
  }
  return res;
}

async function downloadCsv() {
  const status = $('csv-status');
  status.textContent = t('ui.loading');
  const res = await fetchCredentials(base() + '/export.csv?' + checkParams(), { headers: { Accept: 'text/csv' } });
  if (!res.ok) {
    const body = await res.json().catch(() => null);
    status.textContent = '';
    show($('check-error'), body && body.error ? body.error : t('ui.error'));
    return;
  }
  const disposition = res.headers.get('Content-Disposition') || '';
  const match = /filename="([^"]+)"/.exec(disposition);
  const name = match ? match[1] : 'publipostage.csv';
  saveBlob(await res.blob(), name);
  show($('check-error'), '');
  status.textContent = t('check.csvDone', name);
}

// ---------------------------------------------------------------- step 3: summary and panels

/** The current selection, for the step-3 panels (letters, e-mail) that plug into #print-panel and #mail-panel. */
export function currentSelection() {
  return {
    uai: state.uai,
    query: checkParams().toString(),
    total: state.total,
    withoutEmail: state.withoutEmail,
    withoutPostal: state.withoutPostal,
    checked: state.checked,
  };
}

function renderSummary() {
  saveForm();
  const s = state.structures.find((x) => x.uai === state.uai);
  const data = new FormData(form);
  const labelOf = (input) => input.closest('label').textContent.trim();
  const parts = [];
  const checkedLabels = (name) => [...form.querySelectorAll(`input[name="${name}"]:checked`)].map(labelOf);
  const profiles = checkedLabels('profile');
  if (profiles.length) parts.push(profiles.join(', '));
  const levels = checkedLabels('level');
  if (levels.length) parts.push(levels.join(', '));
  const classes = checkedLabels('class');
  if (classes.length) parts.push(classes.join(', '));
  for (const [name, neutral] of [['activation', 'all'], ['email', 'all'], ['postal', 'all'], ['local-admin', 'any']]) {
    const input = form.querySelector(`input[name="${name}"]:checked`);
    if (input && input.value !== neutral) parts.push(input.closest('fieldset').querySelector('legend').textContent + ' (' + labelOf(input) + ')');
  }
  for (const id of ['search-last', 'search-first', 'search-class']) {
    const v = $(id).value.trim();
    if (v) parts.push(document.querySelector(`label[for="${id}"]`).textContent + ' ' + v);
  }
  if (state.outcome) parts.push(t('ui.outcomeFilter', state.outcome.campaign));
  if (data.get('created-after')) parts.push(t('ui.createdAfter') + ' ' + formatDate(data.get('created-after')));
  if (data.get('created-before')) parts.push(t('ui.createdBefore') + ' ' + formatDate(data.get('created-before')));
  const layout = labelOf(form.querySelector('input[name="layout"]:checked'));
  const items = [
    t('ui.summaryStructure', s ? s.name + ' (' + s.uai + ')' : state.uai),
    t('ui.summaryCount', state.total, state.withoutEmail) + (postalLayout() ? ' · ' + t('check.withoutPostal', state.withoutPostal) : ''),
    t('ui.summaryFilters', parts.length ? parts.join(' · ') : t('ui.summaryNoFilter')),
    t('ui.summaryLayout', layout + (data.get('cover') ? ', ' + t('ui.summaryCover') : '')),
  ];
  $('summary-list').replaceChildren(...items.map((text) => el('li', { text })));
}

// ---------------------------------------------------------------- wiring

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  if (await runCheck()) goTo(2);
});
form.addEventListener('change', async (ev) => {
  if (ev.target.id === 'structure') {
    state.uai = ev.target.value;
    setOutcome(null);  // a campaign is one school's
    $('levels').replaceChildren();
    $('classes').replaceChildren();
    await loadStructure();
    return;
  }
  if (ev.target.name === 'level') await loadClasses();
  if (ev.target.name !== 'structure') {
    state.presetId = null;
    document.querySelectorAll('#preset-buttons button').forEach((b) => b.setAttribute('aria-pressed', 'false'));
  }
  selectionChanged();
});
$('reset').addEventListener('click', async () => { resetForm(); setOutcome(null); await loadClasses(); selectionChanged(); });
$('outcome-filter-remove').addEventListener('click', () => { setOutcome(null); selectionChanged(); });
document.querySelectorAll('[data-goto]').forEach((b) => b.addEventListener('click', () => navigate(Number(b.dataset.goto))));
document.querySelectorAll('#accounts button.sort').forEach((b) => b.addEventListener('click', () => sortBy(b.dataset.col)));
for (const id of ['search-last', 'search-first', 'search-class']) $(id).addEventListener('input', searchChanged);
$('prev').addEventListener('click', () => { state.offset = Math.max(0, state.offset - PAGE); reload(); });
$('next').addEventListener('click', () => { state.offset += PAGE; reload(); });
$('csv').addEventListener('click', downloadCsv);
$('show-codes').addEventListener('click', async () => {
  if (await askCode()) await loadPage().catch((e) => show($('check-error'), e.message));
});

// refreshSummary: the print panel's layout and cover write into the form without a new check; the
// summary of step 3 follows them.
/** The counts line follows the chosen layout (print.js changes it from step 3 without a new check). */
export function layoutChanged() {
  if (state.checked) $('counts').textContent = countsText();
}

window.publipostage = Object.freeze({ t, el, currentSelection, askCode, fetchCredentials, csrf, layoutChanged, refreshSummary: renderSummary });

// Logging out forgets the kept form (the next admin of this tab starts afresh).
const logoutForm = $('logout') && $('logout').form;
if (logoutForm) logoutForm.addEventListener('submit', () => { try { sessionStorage.removeItem(FORM_KEY); } catch (e) { /* none */ } });

const keptForm = savedForm();
// A link that names a selection (?structure=…) wins over the form kept for this tab.
const openedOnLink = new URLSearchParams(location.search).has('structure');
loadStructures().then(() => (openedOnLink ? saveForm() : restoreForm(keptForm))).catch((e) => show($('app-error'), e.message));

// Step 3, print: layout and cover bound to the step-1 form, the sample page (the real page 1 as an
// image), "generate the PDF" (a small selection downloads at once; a large one becomes a background
// job with a progress bar that survives a page reload, cancel, and a one-time download), and the
// account card's "print this person's letter". Every visible text comes from the i18n JSON via t().

import { saveBlob } from './page.js';

const app = window.publipostage;
const { t, csrf } = app;
const panel = document.getElementById('print-panel');
const form = document.getElementById('selection-form');
const POLL_MS = 1000;
// Keys written out whole, so the texts test sees each one.
const LAYOUTS = { 1: () => t('ui.layout.1'), 2: () => t('ui.layout.2'), 8: () => t('ui.layout.8'), postal: () => t('ui.layout.postal') };
// The job followed, kept for this tab across reloads: {uai, id, url}.
const JOB_KEY = 'publipostage.printJob';

// The console's element builder (app.js), shared by every panel.
const el = app.el;

function selection() {
  return app.currentSelection();
}

function base(uai) {
  return '/api/structures/' + encodeURIComponent(uai || selection().uai);
}

async function failure(res) {
  const body = await res.json().catch(() => null);
  if (body && body.code === 'render.noPostalAddress') showWithoutAddress(body);
  return new Error(body && body.error ? body.error : t('ui.error'));
}

function fileName(res, fallback) {
  const match = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '');
  return match ? match[1] : fallback;
}

// ---------------------------------------------------------------- the panel

const layoutRadios = ['1', '2', '8', 'postal'].map((v) => el('label', { class: 'check' },
  el('input', { type: 'radio', name: 'print-layout', value: v, id: 'print-layout-' + v }), ' ' + LAYOUTS[v]()));
// The window envelope: how many selected accounts have no postal address, and what to do with them.
const withoutAddressRadios = ['refuse', 'hand'].map((v) => el('label', { class: 'check' },
  el('input', { type: 'radio', name: 'print-without-address', value: v, id: 'print-without-address-' + v }),
  ' ' + (v === 'refuse' ? t('printweb.withoutAddress.refuse') : t('printweb.withoutAddress.hand'))));
const postalView = {
  box: el('div', { id: 'print-postal', class: 'postal-options', hidden: true }),
  count: el('p', { id: 'print-postal-count', role: 'status' }),
  list: el('div', { id: 'print-postal-list', hidden: true }),
};
postalView.box.append(
  el('p', { class: 'hint', id: 'print-postal-hint', text: t('printweb.postalHint') }),
  postalView.count,
  el('fieldset', {}, el('legend', { text: t('printweb.withoutAddress') }), ...withoutAddressRadios),
  postalView.list);
const coverBox = el('input', { type: 'checkbox', id: 'print-cover', 'aria-describedby': 'print-cover-hint' });
// PDF/A archive copy: starts from the school's default, which its admins (not class teachers) may change.
const pdfaBox = el('input', { type: 'checkbox', id: 'print-pdfa', 'aria-describedby': 'print-pdfa-hint' });
const pdfaDefaultButton = el('button', { type: 'button', id: 'print-pdfa-default', hidden: true }, t('printweb.pdfaDefault'));
const pdfaStatus = el('span', { id: 'print-pdfa-status', role: 'status' });
const sampleButton = el('button', { type: 'button', id: 'print-sample' }, t('printweb.sample'));
const generateButton = el('button', { type: 'button', class: 'primary', id: 'print-generate' }, t('printweb.generate', 0));
const view = {
  error: el('p', { class: 'alert', role: 'alert', id: 'print-error', hidden: true }),
  status: el('p', { id: 'print-status', role: 'status' }),
  sample: el('figure', { id: 'print-sample-figure', class: 'sample', hidden: true }),
};
panel.replaceChildren(
  el('fieldset', {}, el('legend', { text: t('ui.layout') }), ...layoutRadios),
  postalView.box,
  el('label', { class: 'check' }, coverBox, ' ' + t('ui.cover')),
  el('p', { class: 'hint', id: 'print-cover-hint', text: t('printweb.coverHint') }),
  el('label', { class: 'check' }, pdfaBox, ' ' + t('printweb.pdfa')),
  el('p', { class: 'hint', id: 'print-pdfa-hint' }, t('printweb.pdfaHint'), ' ', pdfaDefaultButton, ' ', pdfaStatus),
  view.error,
  el('div', { class: 'actions' }, sampleButton, generateButton),
  view.status,
  view.sample);

// The job's progress sits above the steps: it stays in sight whatever the step, and after a reload.
const jobView = el('section', { id: 'print-job', class: 'panel', 'aria-labelledby': 'print-job-title', hidden: true });
document.getElementById('app-error').after(jobView);

function showError(message) {
  view.error.textContent = message || '';
  view.error.hidden = !message;
}

/** Copies the step-1 form's layout and cover into the panel (the form stays the one source). */
function syncFromForm() {
  const layout = (form.querySelector('input[name="layout"]:checked') || { value: '1' }).value;
  for (const label of layoutRadios) {
    const input = label.querySelector('input');
    input.checked = input.value === layout;
  }
  coverBox.checked = document.getElementById('cover').checked;
  const without = document.getElementById('without-address').value || 'refuse';
  for (const label of withoutAddressRadios) {
    const input = label.querySelector('input');
    input.checked = input.value === without;
  }
  showPostal(layout === 'postal');
  const s = selection();
  generateButton.textContent = t('printweb.generate', s.total);
  generateButton.disabled = s.total === 0;
  sampleButton.disabled = s.total === 0;
  view.status.textContent = s.total === 0 ? t('printweb.nothing') : '';
}

/** The window envelope's options, shown when it is chosen; cover sheets do not go with letters by post. */
function showPostal(on) {
  postalView.box.hidden = !on;
  coverBox.disabled = on;
  postalView.list.hidden = true;
  if (on) postalView.count.textContent = t('printweb.withoutPostal', selection().withoutPostal || 0);
}

/** Layout and cover change the letters, not the accounts: the form is updated without a new check. */
function layoutChanged(value) {
  form.querySelector(`input[name="layout"][value="${value}"]`).checked = true;
  showPostal(value === 'postal');
  app.layoutChanged();
  app.refreshSummary();
  hideSample();
}
for (const label of withoutAddressRadios) {
  const input = label.querySelector('input');
  input.addEventListener('change', () => {
    if (input.checked) document.getElementById('without-address').value = input.value;
    postalView.list.hidden = true;
    hideSample();
  });
}

/** The accounts a window-envelope print refused for want of a postal address (the first 100). */
function showWithoutAddress(body) {
  const listed = body.withoutAddressListed || [];
  const list = el('ul', {}, ...listed.map((a) => el('li', {
    text: a.lastName + ' ' + a.firstName + ' · ' + a.login + ((a.classes || []).length ? ' · ' + a.classes.join(', ') : ''),
  })));
  if (body.withoutAddress > listed.length) list.append(el('li', { text: t('printweb.andMore', body.withoutAddress - listed.length) }));
  postalView.list.replaceChildren(el('h4', { id: 'print-postal-list-title', text: t('printweb.withoutAddressList', body.withoutAddress) }), list);
  postalView.list.hidden = false;
}
for (const label of layoutRadios) {
  const input = label.querySelector('input');
  input.addEventListener('change', () => { if (input.checked) layoutChanged(input.value); });
}
coverBox.addEventListener('change', () => {
  document.getElementById('cover').checked = coverBox.checked;
  app.refreshSummary();
  hideSample();
});

/** The school's default for the archive copy (loaded when its selection is checked). */
let defaultsOf = null;
async function loadPrintDefaults() {
  const uai = selection().uai;
  if (!uai || defaultsOf === uai) return;
  defaultsOf = uai;
  pdfaStatus.textContent = '';
  try {
    const res = await fetch(base(uai) + '/print-defaults', { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    if (!res.ok) throw await failure(res);
    const defaults = await res.json();
    pdfaBox.checked = defaults.archive;
    pdfaDefaultButton.hidden = !defaults.editable;
  } catch (e) {
    defaultsOf = null;
    showError(e.message);
  }
}

async function savePrintDefault() {
  pdfaStatus.textContent = '';
  try {
    const res = await fetch(base() + '/print-defaults', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: 'archive=' + (pdfaBox.checked ? 'yes' : 'no'),
    });
    if (!res.ok) throw await failure(res);
    pdfaBox.checked = (await res.json()).archive;
    pdfaStatus.textContent = t('printweb.pdfaDefaultSaved');
  } catch (e) {
    showError(e.message);
  }
}
pdfaDefaultButton.addEventListener('click', savePrintDefault);

function dataUrl(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(new Error(t('ui.error')));
    reader.readAsDataURL(blob);
  });
}

function hideSample() {
  view.sample.replaceChildren();
  view.sample.hidden = true;
}

/** The caption says what page 1 really shows: a class cover sheet, a real activation code, or none. */
function sampleCaption(holds) {
  if (holds === 'cover') return t('printweb.sampleCaptionCover');
  if (holds === 'noCode') return t('printweb.sampleCaptionNoCode');
  return t('printweb.sampleCaption');
}

async function showSample() {
  showError('');
  hideSample();
  view.status.textContent = t('printweb.sampleLoading');
  sampleButton.disabled = true;
  try {
    const res = await app.fetchCredentials(base() + '/letters/preview.png?' + selection().query, { headers: { Accept: 'image/png' } });
    if (!res.ok) throw await failure(res);
    // A data: URL: the page's policy allows images from 'self' and data: only.
    const url = await dataUrl(await res.blob());
    const layout = form.querySelector('input[name="layout"]:checked').value;
    const img = el('img', { id: 'print-sample-image', src: url, alt: t('printweb.sampleAlt', LAYOUTS[layout]()) });
    view.sample.replaceChildren(img, el('figcaption', { id: 'print-sample-caption', text: sampleCaption(res.headers.get('X-Sample-Holds')) }));
    view.sample.hidden = false;
    view.status.textContent = '';
  } catch (e) {
    view.status.textContent = '';
    showError(e.message);
  } finally {
    sampleButton.disabled = false;
  }
}

async function generate() {
  showError('');
  const s = selection();
  view.status.textContent = t('printweb.generating');
  generateButton.disabled = true;
  try {
    const res = await app.fetchCredentials(base() + '/letters', {
      method: 'POST',
      headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/pdf, application/json' },
      body: s.query + (s.query ? '&' : '') + 'pdfa=' + (pdfaBox.checked ? 'yes' : 'no'),
    });
    if (!res.ok) throw await failure(res);
    if (res.status === 202) {
      const job = await res.json();
      remember({ uai: s.uai, id: job.id, url: job.url });
      view.status.textContent = t('printweb.started');
      follow(job, true);
      return;
    }
    const name = fileName(res, 'lettres.pdf');
    saveBlob(await res.blob(), name);
    view.status.textContent = t('printweb.downloaded', name);
  } catch (e) {
    view.status.textContent = '';
    showError(e.message);
  } finally {
    generateButton.disabled = false;
  }
}

sampleButton.addEventListener('click', showSample);
generateButton.addEventListener('click', generate);

// ---------------------------------------------------------------- a background job

let timer = null;

function remember(job) {
  try { sessionStorage.setItem(JOB_KEY, JSON.stringify(job)); } catch (e) { /* private mode: no resume */ }
}

function forget() {
  try { sessionStorage.removeItem(JOB_KEY); } catch (e) { /* nothing kept */ }
}

function remembered() {
  try { return JSON.parse(sessionStorage.getItem(JOB_KEY) || 'null'); } catch (e) { return null; }
}

function buildJobView(job) {
  const cancel = el('button', { type: 'button', id: 'print-cancel' }, t('printweb.cancel'));
  cancel.addEventListener('click', cancelJob);
  const dismiss = el('button', { type: 'button', id: 'print-dismiss' }, t('printweb.dismiss'));
  dismiss.addEventListener('click', () => { clearTimeout(timer); forget(); jobView.hidden = true; generateButton.focus(); });
  jobView.replaceChildren(
    el('h2', { id: 'print-job-title', tabindex: '-1', text: t('printweb.jobTitle', job.id) }),
    el('p', { id: 'print-job-state' }),
    el('div', { class: 'progress', id: 'print-progress', role: 'progressbar', 'aria-labelledby': 'print-job-title',
      'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': '0' }, el('span', { class: 'sent' })),
    el('p', { class: 'progress-legend', id: 'print-legend' }),
    el('p', { class: 'visually-hidden', id: 'print-announce', role: 'status' }),
    el('p', { class: 'alert', role: 'alert', id: 'print-job-error', hidden: true }),
    el('div', { class: 'actions', id: 'print-job-actions' }, cancel, dismiss));
  jobView.dataset.state = '';
  jobView.hidden = false;
}

function renderJob(job) {
  const state = document.getElementById('print-job-state');
  const stateText = t('printweb.jobState', job.stateLabel);
  if (jobView.dataset.state !== job.state) {
    // Announced when the state changes, not at every poll.
    if (jobView.dataset.state) document.getElementById('print-announce').textContent = t('printweb.jobTitle', job.id) + ' · ' + job.stateLabel;
    jobView.dataset.state = job.state;
  }
  state.textContent = stateText;
  const eta = job.finished ? '' : ' · ' + (job.secondsLeft >= 0 ? t('printweb.eta', job.secondsLeft) : t('printweb.etaUnknown'));
  const legend = t('printweb.jobProgress', job.pagesDone, job.pagesTotal, job.percent) + eta;
  const bar = document.getElementById('print-progress');
  bar.setAttribute('aria-valuenow', String(job.percent));
  bar.setAttribute('aria-valuetext', legend);
  bar.firstChild.style.width = job.percent + '%';
  document.getElementById('print-legend').textContent = legend;
  document.getElementById('print-cancel').disabled = job.finished;
  const error = document.getElementById('print-job-error');
  error.textContent = job.error || '';
  error.hidden = !job.error;
  const actions = document.getElementById('print-job-actions');
  if (job.downloadUrl && !document.getElementById('print-download')) {
    const link = el('a', { href: job.downloadUrl, id: 'print-download', class: 'button primary' }, t('printweb.download', job.pagesTotal));
    link.addEventListener('click', (ev) => { ev.preventDefault(); downloadJob(job); });
    actions.prepend(link);
    actions.after(el('p', { class: 'hint', id: 'print-once', text: t('printweb.downloadOnce') }));
  }
}

function follow(job, focus) {
  clearTimeout(timer);
  buildJobView(job);
  renderJob(job);
  if (focus) document.getElementById('print-job-title').focus();
  poll(job);
}

function poll(job) {
  if (job.finished) {
    if (job.state !== 'done') forget();
    return;
  }
  timer = setTimeout(async () => {
    try {
      const res = await fetch(job.url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
      if (!res.ok) throw await failure(res);
      const next = await res.json();
      renderJob(next);
      poll(next);
    } catch (e) {
      forget();
      const error = document.getElementById('print-job-error');
      error.textContent = e.message;
      error.hidden = false;
    }
  }, POLL_MS);
}

async function cancelJob() {
  const job = remembered();
  if (!job) return;
  try {
    const res = await fetch(job.url + '/cancel', {
      method: 'POST', credentials: 'same-origin',
      headers: { 'X-CSRF-Token': csrf, Accept: 'application/json' },
    });
    if (!res.ok) throw await failure(res);
    const next = await res.json();
    renderJob(next);
    clearTimeout(timer);
    poll(next);
  } catch (e) {
    const error = document.getElementById('print-job-error');
    error.textContent = e.message;
    error.hidden = false;
  }
}

async function downloadJob(job) {
  const error = document.getElementById('print-job-error');
  try {
    const res = await app.fetchCredentials(job.downloadUrl, { headers: { Accept: 'application/pdf' } });
    if (!res.ok) throw await failure(res);
    const name = fileName(res, 'lettres.pdf');
    saveBlob(await res.blob(), name);
    forget();
    const link = document.getElementById('print-download');
    const focusBack = document.getElementById('print-dismiss');
    link.remove();
    document.getElementById('print-once').textContent = t('printweb.downloaded', name) + ' ' + t('printweb.gone');
    document.getElementById('print-announce').textContent = t('printweb.downloaded', name);
    focusBack.focus();
  } catch (e) {
    error.textContent = e.message;
    error.hidden = false;
  }
}

/** After a reload: the remembered job of this tab is shown again and followed. */
async function resume() {
  const job = remembered();
  if (!job) return;
  try {
    const res = await fetch(job.url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    if (!res.ok) { forget(); return; }
    follow(await res.json(), false);
  } catch (e) {
    forget();
  }
}

// ---------------------------------------------------------------- the account card

const cardButton = el('button', { type: 'button', id: 'card-print' }, t('printweb.cardPrint'));
const cardStatus = el('p', { id: 'card-print-status', role: 'status' });
document.getElementById('card-actions').replaceChildren(cardButton, cardStatus);
document.getElementById('card-dialog').addEventListener('close', () => { cardStatus.textContent = ''; });
cardButton.addEventListener('click', async () => {
  const id = document.getElementById('card-dialog').dataset.accountId;
  const layout = form.querySelector('input[name="layout"]:checked').value;
  cardStatus.textContent = t('printweb.generating');
  try {
    const res = await app.fetchCredentials(base() + '/letters/accounts/' + encodeURIComponent(id) + '?layout=' + encodeURIComponent(layout),
      { headers: { Accept: 'application/pdf' } });
    if (!res.ok) throw await failure(res);
    const name = fileName(res, 'lettre.pdf');
    saveBlob(await res.blob(), name);
    cardStatus.textContent = t('printweb.cardDone', name);
  } catch (e) {
    cardStatus.textContent = e.message;
  }
});

// ---------------------------------------------------------------- wiring

new MutationObserver(() => {
  if (!document.getElementById('step-3').hidden) { syncFromForm(); hideSample(); }
}).observe(document.getElementById('step-3'), { attributes: true, attributeFilter: ['hidden'] });
document.addEventListener('publipostage:selection', () => { syncFromForm(); loadPrintDefaults(); });
resume();

// Step 3, e-mail: the confirmation counts of the checked selection, the confirmation dialog before
// a mass send, then the campaign: progress bar (polled every second while it runs), per-recipient
// table with filters, ledger CSV, pause / resume / cancel / resend to failed, the sandbox mailbox.
// Every visible text comes from the page's i18n JSON through t().

import { saveBlob, formatDateTime, confirmDialog as askConfirmation } from './page.js';

const app = window.publipostage;
const { t, csrf } = app;
const panel = document.getElementById('mail-panel');
const POLL_MS = 1000;
const ROWS = 20;
// Keys written out whole, so the texts test sees each one.
const ACTION_LABELS = {
  pause: () => t('mailweb.action.pause'),
  resume: () => t('mailweb.action.resume'),
  cancel: () => t('mailweb.action.cancel'),
  'resend-failed': () => t('mailweb.action.resendFailed'),
};
const ACTION_DONE = {
  pause: () => t('mailweb.done.pause'),
  resume: () => t('mailweb.done.resume'),
  cancel: () => t('mailweb.done.cancel'),
  'resend-failed': () => t('mailweb.done.resendFailed'),
};
const STATES = {
  pending: () => t('mailweb.state.pending'),
  sending: () => t('mailweb.state.sending'),
  sent: () => t('mailweb.state.sent'),
  failed: () => t('mailweb.state.failed'),
  skipped: () => t('mailweb.state.skipped'),
  cancelled: () => t('mailweb.state.cancelled'),
  bounced: () => t('mailweb.state.bounced'),
};
const COLUMNS = [() => t('mailweb.col.name'), () => t('mailweb.col.login'), () => t('mailweb.col.kind'),
  () => t('mailweb.col.state'), () => t('mailweb.col.address'), () => t('mailweb.col.time'),
  () => t('mailweb.col.attempts'), () => t('mailweb.col.reason')];

const state = {
  selection: null,   // currentSelection() of the last check
  previewOf: null,   // the query the preview was computed for
  preview: null,
  campaign: null,    // progress of the campaign shown
  timer: null,
  filter: { status: '', search: '', offset: 0 },
};

// The console's element builder (app.js), shared by every panel.
const el = app.el;

function base() {
  return '/api/structures/' + encodeURIComponent(state.selection.uai);
}

async function api(path, options = {}) {
  const headers = Object.assign({ Accept: 'application/json' }, options.headers || {});
  const res = await app.fetchCredentials(path, Object.assign({ credentials: 'same-origin' }, options, { headers }));
  let body = null;
  try { body = await res.json(); } catch (e) { body = null; }
  if (!res.ok) {
    const error = new Error(body && body.error ? body.error : t('ui.error'));
    error.code = body ? body.code : undefined;
    throw error;
  }
  return body;
}

function post(path, body) {
  return api(path, {
    method: 'POST',
    headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: body || '',
  });
}

// ---------------------------------------------------------------- layout of the panel

const view = {
  error: el('p', { class: 'alert', role: 'alert', id: 'mail-error', hidden: true }),
  preview: el('div', { id: 'mail-preview' }),
  // The campaign (progress and ledger table) takes the whole width of step 3, below the two panels:
  // its eight columns do not fit a half-width panel.
  campaign: el('section', { id: 'mail-campaign', class: 'campaign panel', 'aria-labelledby': 'mail-campaign-title', hidden: true }),
  history: el('div', { id: 'mail-history' }),
};
panel.replaceChildren(view.error, view.preview, view.history);
document.querySelector('#step-3 .panels').after(view.campaign);

function showError(message) {
  view.error.textContent = message || '';
  view.error.hidden = !message;
}

/** A confirmation dialog with the counts; resolves true on "send". */
function confirmDialog(title, lines, okLabel) {
  return askConfirmation({ id: 'mail-confirm', title, lines, okLabel, cancelLabel: t('mailweb.cancel'), rowClass: 'actions' });
}

// ---------------------------------------------------------------- confirmation counts

async function loadPreview() {
  const s = state.selection;
  if (!s || !s.checked || state.previewOf === s.uai + '?' + s.query) return;
  state.previewOf = s.uai + '?' + s.query;
  view.preview.replaceChildren(el('p', { role: 'status', text: t('ui.loading') }));
  showError('');
  try {
    state.preview = await api(base() + '/campaigns/preview?' + s.query);
  } catch (e) {
    state.previewOf = null;
    view.preview.replaceChildren(el('p', { class: 'notice', id: 'mail-refused', text: e.message }));
    view.history.replaceChildren();
    return;
  }
  renderPreview();
  loadHistory();
}

function renderPreview() {
  const p = state.preview;
  const counts = el('ul', { class: 'mail-counts', id: 'mail-counts' },
    el('li', {}, el('strong', { text: String(p.toMail) }), t('mailweb.willReceive', p.activations, p.reminders)),
    el('li', {}, el('strong', { text: String(p.withoutAddress) }), t('mailweb.noAddress')),
    el('li', {}, el('strong', { text: String(p.blocked) }), t('mailweb.blocked')));
  const parts = [el('p', { text: t('mailweb.selected', p.selected) }), counts];
  if (p.withoutAddress > 0) {
    const list = el('ul', {}, ...p.withoutAddressListed.map((a) => el('li', {
      text: a.lastName + ' ' + a.firstName + ' · ' + a.profileLabel + ' · ' + a.login
        + ((a.classes || []).length ? ' · ' + a.classes.join(', ') : ''),
    })));
    if (p.withoutAddress > p.withoutAddressListed.length) {
      list.append(el('li', { text: t('mailweb.andMore', p.withoutAddress - p.withoutAddressListed.length) }));
    }
    const csv = el('button', { type: 'button', id: 'mail-no-address-csv' }, t('mailweb.noAddressCsv'));
    csv.addEventListener('click', downloadWithoutAddress);
    parts.push(el('details', { id: 'mail-no-address' }, el('summary', { text: t('mailweb.noAddressList', p.withoutAddress) }),
      el('p', { class: 'hint', text: t('mailweb.noAddressHint') }), list, csv,
      el('p', { id: 'mail-no-address-status', role: 'status' })));
  }
  if (p.sandbox) parts.push(sandboxNote());
  const send = el('button', { type: 'button', class: 'primary', id: 'mail-send', disabled: p.toMail === 0 },
    t('mailweb.send', p.toMail));
  send.addEventListener('click', startCampaign);
  parts.push(el('div', { class: 'actions' }, send));
  if (p.toMail === 0) parts.push(el('p', { class: 'hint', text: t('mailweb.nothingToSend') }));
  view.preview.replaceChildren(...parts);
}

function sandboxNote() {
  return el('p', { class: 'sandbox-note' }, t('mailweb.sandboxNote') + ' ',
    el('a', { href: '/sandbox/' + encodeURIComponent(state.selection.uai), class: 'sandbox-link', target: '_blank', rel: 'noopener' },
      t('mailweb.openSandbox')));
}

/** The people without an address: the check step's CSV with "without e-mail" (they get a printed letter). */
async function downloadWithoutAddress() {
  const status = document.getElementById('mail-no-address-status');
  const q = new URLSearchParams(state.selection.query);
  q.set('email', 'without');
  const res = await app.fetchCredentials(base() + '/export.csv?' + q, { headers: { Accept: 'text/csv' } });
  if (!res.ok) {
    const body = await res.json().catch(() => null);
    showError(body && body.error ? body.error : t('ui.error'));
    return;
  }
  const match = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '');
  saveBlob(await res.blob(), match ? match[1] : 'publipostage.csv');
  status.textContent = t('check.csvDone', match ? match[1] : '');
}

async function startCampaign() {
  const p = state.preview;
  const lines = [t('mailweb.confirmToMail', p.toMail, p.activations, p.reminders),
    t('mailweb.confirmNoAddress', p.withoutAddress), t('mailweb.confirmBlocked', p.blocked)];
  if (p.sandbox) lines.push(t('mailweb.sandboxNote'));
  if (!await confirmDialog(t('mailweb.confirmTitle', p.toMail), lines, t('mailweb.confirmSend', p.toMail))) return;
  showError('');
  try {
    const campaign = await post(base() + '/campaigns', state.selection.query);
    // Sent once: writing to the same people again takes a new check and a new confirmation.
    document.getElementById('mail-send').disabled = true;
    view.preview.append(el('p', { class: 'hint', id: 'mail-started', text: t('mailweb.started', campaign.id) }));
    state.previewOf = null;
    showCampaign(campaign);
    document.getElementById('mail-campaign-title').focus();
  } catch (e) {
    showError(e.message);
  }
}

// ---------------------------------------------------------------- a campaign

function showCampaign(progress) {
  state.campaign = progress;
  state.filter = { status: '', search: '', offset: 0 };
  buildCampaignView();
  renderProgress();
  loadRecipients();
  schedule();
}

function campaignUrl(suffix = '') {
  return base() + '/campaigns/' + encodeURIComponent(state.campaign.id) + suffix;
}

function buildCampaignView() {
  const c = state.campaign;
  const statusSelect = el('select', { id: 'mail-filter-status' },
    el('option', { value: '', text: t('mailweb.filterAll') }),
    ...Object.entries(STATES).map(([value, label]) => el('option', { value, text: label() })));
  statusSelect.addEventListener('change', () => { state.filter.status = statusSelect.value; state.filter.offset = 0; loadRecipients(); });
  const search = el('input', { type: 'search', id: 'mail-filter-search', maxlength: '100' });
  let timer = null;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => { state.filter.search = search.value.trim(); state.filter.offset = 0; loadRecipients(); }, 300);
  });
  const buttons = ['pause', 'resume', 'cancel', 'resend-failed'].map((action) => {
    const b = el('button', { type: 'button', id: 'mail-' + action }, ACTION_LABELS[action]());
    b.addEventListener('click', () => act(action));
    return b;
  });
  const ledger = el('a', { href: campaignUrl('/ledger.csv'), id: 'mail-ledger', class: 'button', download: '' }, t('mailweb.ledger'));
  // "Who still needs a letter": the console opens on this campaign's unreached accounts, sorted by class
  // with cover sheets, and checks them first like any selection.
  const unreached = el('a', { id: 'mail-unreached', class: 'button', href: unreachedUrl() });
  const prev = el('button', { type: 'button', id: 'mail-prev' }, t('check.prev'));
  const next = el('button', { type: 'button', id: 'mail-next' }, t('check.next'));
  prev.addEventListener('click', () => { state.filter.offset = Math.max(0, state.filter.offset - ROWS); loadRecipients(); });
  next.addEventListener('click', () => { state.filter.offset += ROWS; loadRecipients(); });
  const head = COLUMNS.map((label) => el('th', { scope: 'col', text: label() }));
  view.campaign.replaceChildren(
    el('h3', { id: 'mail-campaign-title', tabindex: '-1', text: t('mailweb.campaignTitle', c.id) }),
    el('p', {}, t('mailweb.campaignStatus') + ' ', el('span', { class: 'status-badge', id: 'mail-status' })),
    el('div', { class: 'progress', id: 'mail-progress', role: 'progressbar', 'aria-labelledby': 'mail-campaign-title',
      'aria-valuemin': '0' }),
    el('p', { class: 'progress-legend', id: 'mail-legend' }),
    el('p', { class: 'sandbox-note', id: 'mail-stalled', role: 'status', hidden: true }),
    // A worker paused the campaign because the SMTP settings must be fixed: the sentence names them.
    el('p', { class: 'alert', role: 'alert', id: 'mail-pause-reason', hidden: true }),
    // Announced only when the campaign's state changes, not at every poll.
    el('p', { class: 'visually-hidden', id: 'mail-announce', role: 'status' }),
    el('div', { class: 'actions' }, ...buttons, ledger),
    el('p', { class: 'actions' }, unreached),
    c.sandbox ? sandboxNote() : null,
    el('div', { class: 'mail-filters' },
      el('div', { class: 'field' }, el('label', { for: 'mail-filter-status', text: t('mailweb.filterStatus') }), statusSelect),
      el('div', { class: 'field' }, el('label', { for: 'mail-filter-search', text: t('mailweb.filterSearch') }), search)),
    // Focusable: when a narrow window makes it scroll sideways, the keyboard can scroll it too.
    el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'mail-recipients-caption' },
      el('table', { id: 'mail-recipients', class: 'ledger' },
      el('caption', { class: 'visually-hidden', id: 'mail-recipients-caption', text: t('mailweb.tableCaption') }),
      el('thead', {}, el('tr', {}, ...head)), el('tbody'))),
    el('div', { class: 'pager' }, prev, el('span', { id: 'mail-page-info', role: 'status' }), next));
  view.campaign.hidden = false;
}

function unreachedUrl() {
  const q = new URLSearchParams({ structure: state.selection.uai, campaign: String(state.campaign.id), outcome: 'unreached',
    sort: 'class', cover: 'yes' });
  return '/?' + q;
}

function renderProgress() {
  const c = state.campaign;
  const n = c.counts;
  const unreached = document.getElementById('mail-unreached');
  unreached.textContent = t('mailweb.unreached', n.unreached);
  unreached.hidden = n.unreached === 0;
  const done = n.sent + n.bounced + n.failed + n.cancelled;
  const status = document.getElementById('mail-status');
  if (status.textContent !== c.statusLabel) {
    if (status.textContent) document.getElementById('mail-announce').textContent = t('mailweb.campaignTitle', c.id) + ' · ' + c.statusLabel;
    status.textContent = c.statusLabel;
  }
  const bar = document.getElementById('mail-progress');
  bar.setAttribute('aria-valuemax', String(n.toSend));
  bar.setAttribute('aria-valuenow', String(done));
  // Bounces are counted apart from the sent ones: the message left, then came back undelivered.
  const legend = t('mailweb.progress', n.sent, n.failed, n.pending + n.sending, n.skipped)
    + (n.bounced ? ' · ' + t('mailweb.bouncedCount', n.bounced) : '')
    + (n.delayed ? ' · ' + t('mailweb.delayedCount', n.delayed) : '')
    + (n.cancelled ? ' · ' + t('mailweb.cancelledCount', n.cancelled) : '');
  bar.setAttribute('aria-valuetext', t('mailweb.percent', n.percentDone) + ' · ' + legend);
  const width = (k) => (n.toSend === 0 ? 0 : (100 * k) / n.toSend) + '%';
  bar.replaceChildren(el('span', { class: 'sent', style: null }), el('span', { class: 'bounced' }),
    el('span', { class: 'failed' }), el('span', { class: 'cancelled' }));
  bar.children[0].style.width = width(n.sent);
  bar.children[1].style.width = width(n.bounced);
  bar.children[2].style.width = width(n.failed);
  bar.children[3].style.width = width(n.cancelled);
  document.getElementById('mail-legend').textContent = t('mailweb.percent', n.percentDone) + ' · ' + legend;
  const stalled = document.getElementById('mail-stalled');
  stalled.hidden = !c.stalled;
  stalled.textContent = c.stalled ? c.stalledLabel : '';
  const pauseReason = document.getElementById('mail-pause-reason');
  const sentence = c.status === 'paused' && c.pause ? c.pause.message : '';
  if (pauseReason.textContent !== sentence) pauseReason.textContent = sentence;
  pauseReason.hidden = !sentence;
  document.getElementById('mail-pause').disabled = c.status !== 'running';
  document.getElementById('mail-resume').disabled = c.status !== 'paused';
  document.getElementById('mail-cancel').disabled = c.over;
  document.getElementById('mail-resend-failed').disabled = c.status === 'cancelled' || n.failed === 0;
}

async function loadRecipients() {
  const q = new URLSearchParams({ offset: String(state.filter.offset), limit: String(ROWS) });
  if (state.filter.status) q.set('status', state.filter.status);
  if (state.filter.search) q.set('search', state.filter.search);
  let page;
  try {
    page = await api(campaignUrl('/recipients?' + q));
  } catch (e) {
    showError(e.message);
    return;
  }
  const tbody = document.querySelector('#mail-recipients tbody');
  tbody.replaceChildren(...page.rows.map((r) => el('tr', { class: 'state-' + r.status },
    el('td', { text: r.lastName + ' ' + r.firstName }),
    el('td', { text: r.login }),
    el('td', { text: r.kindLabel }),
    el('td', { class: 'state', text: r.statusLabel }),
    el('td', { class: 'address', text: r.address || '' }),
    el('td', { class: 'time', text: r.time ? formatDateTime(r.time) : '' }),
    el('td', { class: 'number', text: String(r.attempts) }),
    el('td', { text: r.bounce || r.delay || r.reason || '' }))));
  const from = page.total === 0 ? 0 : page.offset + 1;
  const to = page.offset + page.rows.length;
  document.getElementById('mail-page-info').textContent = t('mailweb.rows', from, to, page.total);
  document.getElementById('mail-prev').disabled = page.offset === 0;
  document.getElementById('mail-next').disabled = to >= page.total;
}

/** Polls the progress (and the table) while the campaign may still change. */
function schedule() {
  clearTimeout(state.timer);
  if (!state.campaign || state.campaign.over) return;
  state.timer = setTimeout(async () => {
    try {
      state.campaign = await api(campaignUrl());
      renderProgress();
      await loadRecipients();
      if (state.campaign.over) loadHistory();
    } catch (e) {
      showError(e.message);
    }
    schedule();
  }, POLL_MS);
}

async function act(action) {
  const c = state.campaign;
  if (action === 'cancel') {
    const n = c.counts;
    const ok = await confirmDialog(t('mailweb.cancelTitle', c.id), [t('mailweb.cancelLine', n.pending + n.sending)],
      t('mailweb.action.cancel'));
    if (!ok) return;
  }
  showError('');
  try {
    state.campaign = await post(campaignUrl('/' + action));
    renderProgress();
    await loadRecipients();
    document.getElementById('mail-announce').textContent = ACTION_DONE[action]();
    schedule();
  } catch (e) {
    showError(e.message);
  }
}

// ---------------------------------------------------------------- earlier campaigns of the school

async function loadHistory() {
  let list;
  try {
    list = await api(base() + '/campaigns');
  } catch (e) {
    return;
  }
  if (!list.length) { view.history.replaceChildren(); return; }
  view.history.replaceChildren(el('h4', { text: t('mailweb.history') }), el('ul', { id: 'mail-history-list' }, ...list.map((c) => {
    const b = el('button', { type: 'button', class: 'linklike' }, t('mailweb.historyItem', c.id,
      formatDateTime(c.createdAt), c.statusLabel, c.counts.sent, c.counts.toSend));
    b.addEventListener('click', () => { showCampaign(c); document.getElementById('mail-campaign-title').focus(); });
    return el('li', {}, b);
  })));
}

// ---------------------------------------------------------------- wiring

document.addEventListener('publipostage:selection', (ev) => {
  state.selection = ev.detail;
  if (!document.getElementById('step-3').hidden) loadPreview();
});
new MutationObserver(() => {
  if (!document.getElementById('step-3').hidden) {
    state.selection = app.currentSelection();
    loadPreview();
  }
}).observe(document.getElementById('step-3'), { attributes: true, attributeFilter: ['hidden'] });

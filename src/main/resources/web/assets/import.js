// "Importer des comptes": the file goes to the server as the request's body, which answers with the
// dry run (or every problem by line and column); "Appliquer" then writes it, after a confirmation with
// the counts. Texts come from the bundles (importweb.*), never from here.

import { t, el, csrf, request, askCode, confirmDialog as askConfirmation } from './page.js';

const $ = (id) => document.getElementById(id);
const maxBytes = Number($('main').dataset.maxBytes);
/** The checked upload waiting for "Appliquer": its school and id. */
let pending = null;

function status(text) {
  $('im-status').textContent = text || '';
}

function error(text) {
  $('im-error').textContent = text || '';
  $('im-error').hidden = !text;
}

function busy(on) {
  for (const id of ['im-check', 'im-apply', 'im-discard', 'im-structure', 'im-file']) $(id).disabled = on;
  $('main').setAttribute('aria-busy', on ? 'true' : 'false');
}

function hideResults() {
  $('im-problems').hidden = true;
  $('im-plan').hidden = true;
  $('im-done').hidden = true;
}

function uai() {
  return $('im-structure').value;
}

function base(school) {
  return '/api/structures/' + encodeURIComponent(school) + '/imports';
}

async function json(res) {
  return res.json().catch(() => ({}));
}

/** Forgets the upload waiting for "Appliquer" (another file, another school, or "Annuler"). */
async function discardPending() {
  if (!pending) return;
  const p = pending;
  pending = null;
  await request(base(p.uai) + '/' + encodeURIComponent(p.id), { method: 'DELETE', headers: { 'X-CSRF-Token': csrf } })
    .catch(() => null);
}

async function check(ev) {
  ev.preventDefault();
  error('');
  const file = $('im-file').files[0];
  if (!file) {
    error(t('importweb.noFile'));
    $('im-file').focus();
    return;
  }
  if (file.size > maxBytes) {
    error(t('importweb.tooBig', Math.ceil(file.size / 1024), Math.floor(maxBytes / 1024)));
    $('im-file').focus();
    return;
  }
  hideResults();
  await discardPending();
  const school = uai();
  busy(true);
  status(t('importweb.checking', file.name));
  try {
    const res = await request(base(school) + '?name=' + encodeURIComponent(file.name), {
      method: 'POST',
      headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'text/csv' },
      body: file,
    });
    const body = await json(res);
    status('');
    if (res.status === 422 && Array.isArray(body.problems) && body.problems.length) {
      showProblems(body);
    } else if (!res.ok) {
      error(body.error || t('ui.error'));
    } else {
      pending = { uai: school, id: body.id };
      showPlan(body, file.name);
    }
  } catch (e) {
    status('');
    error(t('ui.error'));
  } finally {
    busy(false);
  }
}

function showProblems(body) {
  $('im-problems-title').textContent = body.error;
  const tbody = $('im-problem-table').querySelector('tbody');
  tbody.replaceChildren(...body.problems.map((p) => el('tr', {},
    el('td', { text: p.line > 0 ? String(p.line) : t('importweb.wholeFile') }),
    el('td', { text: p.column || '' }),
    el('td', { text: p.message }))));
  const more = body.total - body.problems.length;
  $('im-problems-more').textContent = more > 0 ? t('importweb.moreProblems', more) : '';
  $('im-problems-more').hidden = more <= 0;
  $('im-problems').hidden = false;
  $('im-problems-title').focus();
}

/** One list of accounts (new, updated, absent) in a <details>, with its table. */
function accountList(id, title, count, rows, withLine, withFields) {
  if (!count) return null;
  const head = [];
  if (withLine) head.push(t('importweb.col.line'));
  head.push(t('importweb.col.lastName'), t('importweb.col.firstName'), t('importweb.col.profile'), t('importweb.col.login'));
  if (withFields) head.push(t('importweb.col.fields'));
  const body = rows.map((r) => {
    const cells = [];
    if (withLine) cells.push(String(r.line));
    cells.push(r.lastName, r.firstName, r.profileLabel, r.login);
    if (withFields) cells.push(r.fields.join(', '));
    return el('tr', {}, ...cells.map((c) => el('td', { text: c })));
  });
  const more = count - rows.length;
  return el('details', { id, class: 'im-list' },
    el('summary', { text: title }),
    el('div', { class: 'table-wrap' },
      el('table', {},
        el('caption', { class: 'visually-hidden', text: title }),
        el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col', text: h })))),
        el('tbody', {}, ...body))),
    more > 0 ? el('p', { class: 'hint', text: t('importweb.andMore', more) }) : null);
}

function showPlan(r, fileName) {
  $('im-plan-title').textContent = t('importweb.planTitle', fileName);
  const fields = r.changedFields.map((f) => f.label + ' ' + f.count).join(', ');
  const items = [
    t('importweb.sumFormat', r.formatLabel, r.lines),
    t('importweb.sumCreated', r.created),
    r.updated ? t('importweb.sumUpdatedFields', r.updated, fields) : t('importweb.sumUpdated', r.updated),
    t('importweb.sumUnchanged', r.unchanged),
    t('importweb.sumNewClasses', r.newClasses),
    t('importweb.sumAbsent', r.absent),
  ];
  $('im-summary').replaceChildren(...items.map((s) => el('li', { text: s })));
  $('im-lists').replaceChildren(...[
    accountList('im-created', t('importweb.listCreated', r.created), r.created, r.createdAccounts, true, false),
    accountList('im-updated', t('importweb.listUpdated', r.updated), r.updated, r.updatedAccounts, true, true),
    accountList('im-absent', t('importweb.listAbsent', r.absent), r.absent, r.absentAccounts, false, false),
  ].filter(Boolean));
  const work = r.created + r.updated;
  const apply = $('im-apply');
  apply.textContent = work ? t('importweb.apply', r.created, r.updated) : t('importweb.nothingToDo');
  apply.dataset.created = r.created;
  apply.dataset.updated = r.updated;
  apply.dataset.absent = r.absent;
  apply.hidden = !work;
  $('im-plan').hidden = false;
  $('im-plan-title').focus();
}

/** The confirmation before writing; resolves true on "Appliquer". */
function confirmDialog(lines) {
  return askConfirmation({
    id: 'im-confirm', title: t('importweb.confirmTitle', $('im-structure').selectedOptions[0].textContent), lines,
    okLabel: t('importweb.confirmApply'), cancelLabel: t('importweb.cancel'), rowClass: 'button-row',
  });
}

async function apply() {
  if (!pending) return;
  const d = $('im-apply').dataset;
  const lines = [t('importweb.sumCreated', d.created), t('importweb.sumUpdated', d.updated), t('importweb.sumAbsent', d.absent)];
  if (!await confirmDialog(lines)) return;
  const p = pending;
  const path = base(p.uai) + '/' + encodeURIComponent(p.id) + '/apply';
  const options = { method: 'POST', headers: { 'X-CSRF-Token': csrf } };
  busy(true);
  error('');
  status(t('importweb.applying'));
  try {
    let res = await request(path, options);
    if (res.status === 403) {
      const body = await res.clone().json().catch(() => null);
      if (body && body.code === 'auth.totpRequired' && await askCode()) res = await request(path, options);
    }
    const body = await json(res);
    status('');
    if (res.ok) {
      pending = null;
      hideResults();
      $('im-done-text').textContent = body.message;
      $('im-done').hidden = false;
      $('im-form').reset();
      $('im-done-title').focus();
    } else if (res.status === 422 && Array.isArray(body.problems) && body.problems.length) {
      pending = null;
      hideResults();
      showProblems(body);
    } else {
      if (res.status === 404) pending = null;
      error(body.error || t('ui.error'));
    }
  } catch (e) {
    status('');
    error(t('ui.error'));
  } finally {
    busy(false);
  }
}

async function discard() {
  await discardPending();
  hideResults();
  status(t('importweb.discarded'));
  $('im-file').focus();
}

$('im-form').addEventListener('submit', check);
$('im-apply').addEventListener('click', apply);
$('im-discard').addEventListener('click', discard);
$('im-structure').addEventListener('change', () => { discardPending(); hideResults(); });
$('im-file').addEventListener('change', () => { error(''); });

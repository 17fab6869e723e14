// Template editor ("Modèles"): the school's template files, CodeMirror 5 (from the jar's webjar),
// preview of the real printed page (PNG of the PDF) or of the mail from the DRAFT text, save with
// the server's checks, history, diff, restore and reset. Every visible text comes from the page's
// i18n JSON through t() (keys editorweb.*); none is written here.

/* global CodeMirror */

import { t, el, csrf, ApiError, request, askCode, formatDateTime as formatDate } from './page.js';
const $ = (id) => document.getElementById(id);



const state = {
  uai: $('ed-structure').value,
  files: [],
  name: null,        // the open file
  kind: null,
  version: 0,        // the version the text was loaded from: what a save names as its start
  generation: 0,     // CodeMirror's change generation at load / save (clean = not edited since)
  previewUrl: null,
  mode: 'simple',    // 'simple': the texts as fields; 'advanced': the files in the code editor
  fields: null,      // the simple mode's texts file (GET …/fields)
  doc: 'activation', // the document shown in simple mode
  values: {},        // key → the field's text, placeholders written {prénom}
  baseline: '',      // the values as loaded or saved
  previewSeq: 0,
  previewAnnounce: false,
};

// ---------------------------------------------------------------- HTTP



async function json(res) {
  let body = null;
  try { body = await res.json(); } catch (e) { body = null; }
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}

const getJson = async (path) => json(await request(path));

function post(path, fields, accept) {
  return request(path, {
    method: 'POST',
    headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/x-www-form-urlencoded', Accept: accept || 'application/json' },
    body: new URLSearchParams(fields),
  });
}


/**
 * Sends; when the server wants a fresh second-factor code first (outputs carrying codes, and changes
 * to what letters and mails say), asks it and sends once more.
 */
async function withSecondFactor(send) {
  let res = await send();
  if (res.status === 403) {
    const body = await res.clone().json().catch(() => null);
    if (body && body.code === 'auth.totpRequired' && await askCode()) res = await send();
  }
  return res;
}

const postCredentials = (path, fields, accept) => withSecondFactor(() => post(path, fields, accept));

const base = () => '/api/structures/' + encodeURIComponent(state.uai) + '/templates';
const fileUrl = () => base() + '/' + encodeURIComponent(state.name);

// ---------------------------------------------------------------- messages

function status(message) {
  $('ed-status').textContent = message || '';
}

function showError(message) {
  $('ed-error').textContent = message || '';
  $('ed-error').hidden = !message;
}

function confirmDialog(message) {
  const dialog = $('ed-confirm');
  $('ed-confirm-text').textContent = message;
  return new Promise((resolve) => {
    const done = (ok) => {
      $('ed-confirm-ok').removeEventListener('click', yes);
      $('ed-confirm-cancel').removeEventListener('click', no);
      dialog.removeEventListener('cancel', no);
      if (dialog.open) dialog.close();
      resolve(ok);
    };
    const yes = () => done(true);
    const no = (ev) => { if (ev) ev.preventDefault(); done(false); };
    $('ed-confirm-ok').addEventListener('click', yes);
    $('ed-confirm-cancel').addEventListener('click', no);
    dialog.addEventListener('cancel', no);
    dialog.showModal();
    $('ed-confirm-cancel').focus();  // the safe choice first
  });
}

// ---------------------------------------------------------------- the code editor

// Velocity over HTML: the HTML mode with the references ($account.login) and directives (#if) on top.
CodeMirror.defineMode('velocity-html', (config) => CodeMirror.overlayMode(CodeMirror.getMode(config, 'htmlmixed'), {
  startState: () => ({ blockComment: false }),
  token(stream, st) {
    if (st.blockComment) {
      if (stream.skipTo('*#')) { stream.match('*#'); st.blockComment = false; } else stream.skipToEnd();
      return 'comment';
    }
    if (stream.match('##')) { stream.skipToEnd(); return 'comment'; }
    if (stream.match('#*')) { st.blockComment = true; return 'comment'; }
    if (stream.match(/^#\{?(?:if|elseif|else|end|foreach|set|parse|include|macro|break|stop|define|evaluate)\b\}?/)) return 'keyword';
    if (stream.match(/^\$!?\{?[A-Za-z][\w-]*(?:\.[A-Za-z]\w*)*\}?/)) return 'variable-2';
    stream.next();
    while (!stream.eol() && !stream.match(/^[#$]/, false)) stream.next();
    return null;
  },
}));

function modeOf(name) {
  if (name.endsWith('.properties')) return 'properties';
  if (name.endsWith('.css')) return 'css';
  if (name.endsWith('.subject.vm') || name.endsWith('.txt.vm')) return 'velocity';
  return 'velocity-html';
}

const cm = CodeMirror.fromTextArea($('ed-code'), {
  lineNumbers: true,
  lineWrapping: true,
  indentWithTabs: false,
  // Tab leaves the editor like any field: no keyboard trap.
  extraKeys: { Tab: false, 'Shift-Tab': false },
  // The editor grows with its text (the page scrolls): no inner scroll region unreachable by keyboard.
  viewportMargin: Infinity,
  screenReaderLabel: t('editorweb.codeLabel'),
});
// The label of the textarea names CodeMirror's own input, and clicking it focuses the editor.
cm.getInputField().setAttribute('aria-labelledby', 'ed-code-label');
cm.getInputField().setAttribute('aria-describedby', 'ed-keys-hint');
$('ed-code-label').addEventListener('click', () => cm.focus());
window.publipostageEditor = cm;  // for the browser test, which types through CodeMirror's API too

function edited() {
  if (state.mode === 'simple') return state.fields !== null && JSON.stringify(state.values) !== state.baseline;
  return state.name !== null && !cm.isClean(state.generation);
}

cm.on('changes', () => {
  const mark = $('ed-unsaved');
  if (mark) mark.hidden = !edited();
});

// ---------------------------------------------------------------- files


function stateText(f) {
  if (!f.overridden) {
    return t('editorweb.state.default') + (f.version > 0 ? ' · ' + t('editorweb.state.by', f.author, formatDate(f.savedAt)) : '');
  }
  const parts = [t('editorweb.state.overridden', f.version), t('editorweb.state.by', f.author, formatDate(f.savedAt))];
  if (f.comment) parts.push(t('editorweb.state.comment', f.comment));
  return parts.join(' · ');
}

async function loadFiles() {
  state.files = await getJson(base());
  const groups = [];
  const kinds = [['PRINT', t('editorweb.group.PRINT')], ['MAIL', t('editorweb.group.MAIL')], ['TEXTS', t('editorweb.group.TEXTS')]];
  for (const [kind, title] of kinds) {
    const items = state.files.filter((f) => f.kind === kind).map((f) => el('li', {},
      el('button', {
        type: 'button', class: 'ed-file', dataset: { name: f.name },
        'aria-current': f.name === state.name ? 'true' : null,
      },
      el('span', { class: 'ed-file-name', text: f.label }),
      el('code', { text: f.name }),
      el('span', { class: 'ed-file-state ' + (f.overridden ? 'overridden' : 'default'), text: stateText(f) }))));
    if (items.length) groups.push(el('h3', { text: title }), el('ul', {}, ...items));
  }
  $('ed-file-list').replaceChildren(...groups);
}

function currentFile() {
  return state.files.find((f) => f.name === state.name);
}

async function openFile(name, focusTitle = true) {
  if (edited() && name !== state.name && !await confirmDialog(t('editorweb.confirmLeave'))) return;
  status(t('editorweb.loading'));
  const file = await getJson(base() + '/' + encodeURIComponent(name));
  state.name = file.name;
  state.kind = file.kind;
  state.version = file.version;
  cm.setOption('mode', modeOf(file.name));
  // A mail has no layout; a texts file previews best in its own language.
  $('ed-layout').disabled = file.kind === 'MAIL';
  if (file.language) $('ed-language').value = file.language;
  cm.setValue(file.text);
  cm.clearHistory();
  state.generation = cm.changeGeneration(true);
  $('ed-workspace').hidden = false;
  const f = currentFile();
  $('ed-file-title').replaceChildren(f ? f.label + ' ' : '', el('code', { text: file.name }), ' ',
    el('span', { id: 'ed-unsaved', class: 'ed-unsaved', hidden: true, text: '(' + t('editorweb.unsaved') + ')' }));
  $('ed-file-state').textContent = f ? stateText(f) : '';
  $('ed-comment').value = '';
  $('ed-problems').hidden = true;
  $('ed-history').hidden = true;
  $('ed-history-open').setAttribute('aria-expanded', 'false');
  document.querySelectorAll('.ed-file').forEach((b) => {
    if (b.dataset.name === name) b.setAttribute('aria-current', 'true'); else b.removeAttribute('aria-current');
  });
  clearPreview();
  cm.refresh();
  status(t('editorweb.loaded', file.name));
  if (focusTitle) $('ed-file-title').focus();
}

// ---------------------------------------------------------------- preview

function clearPreview() {
  $('ed-preview-image').hidden = true;
  $('ed-preview-image').removeAttribute('src');
  $('ed-mail').hidden = true;
  $('ed-preview-empty').hidden = false;
}

function sampleValue() {
  const chosen = document.querySelector('input[name="ed-sample"]:checked').value;
  if (chosen !== 'account') return chosen;
  return $('ed-account').value || null;
}

function sampleLabel() {
  const chosen = document.querySelector('input[name="ed-sample"]:checked');
  if (chosen.value === 'account' && $('ed-account').selectedOptions.length) return $('ed-account').selectedOptions[0].textContent;
  return chosen.closest('label').textContent.trim();
}

function readAsDataUrl(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

/** Redraws the preview; {@code auto} (as the admin types) says nothing in the status line unless it fails,
 * so it never hides what a save just said. */
async function preview(auto = false) {
  if (!state.name) return;
  const sample = sampleValue();
  if (!sample) { status(t('editorweb.accountRequired')); $('ed-account-search').focus(); return; }
  let text;
  try { text = currentText(); } catch (e) { status(e.message); return; }
  const fields = { text, sample, layout: $('ed-layout').value, language: $('ed-language').value };
  let mail = state.kind === 'MAIL';
  if (state.mode === 'simple') {
    const d = state.doc;
    mail = d === 'mailActivation' || d === 'mailReminder';
    if (sample === 'worst' || sample === 'worst-activated') fields.sample = (d === 'reminder' || d === 'mailReminder') ? 'worst-activated' : 'worst';
    if (d === 'card') fields.document = 'card';
    if (d === 'cover') fields.document = 'cover';
  }
  // Asked by hand: the typing's preview still waiting for its turn would only repeat this one.
  if (!auto) clearTimeout(previewTimer);
  const seq = ++state.previewSeq;
  // A preview the admin asked for and that the typing's own preview then superseded still owes its
  // "done": the one that supersedes it says it instead.
  const announce = !auto || state.previewAnnounce;
  state.previewAnnounce = announce;
  const started = performance.now();
  $('ed-preview-out').setAttribute('aria-busy', 'true');
  // Only a preview asked by hand disables the button: the typing's own preview starting under the
  // admin's click would otherwise swallow that click (seen in TemplateEditorBrowserIT).
  if (!auto) {
    $('ed-preview').disabled = true;
    status(t('editorweb.rendering'));
  }
  try {
    const res = await postCredentials(fileUrl() + (mail ? '/preview-mail' : '/preview.png'), fields,
      mail ? 'application/json' : 'image/png, application/json');
    if (seq !== state.previewSeq) return;  // a newer preview was asked while this one rendered
    if (!res.ok) {
      const body = await res.json().catch(() => null);
      if (body && body.problems && body.problems.length) showProblems(body.problems);
      throw new ApiError(res.status, body);
    }
    $('ed-problems').hidden = true;
    $('ed-preview-empty').hidden = true;
    if (mail) {
      const m = await res.json();
      $('ed-mail-subject').textContent = t('editorweb.mailSubject', m.subject);
      $('ed-mail-html').srcdoc = m.html;
      $('ed-mail-text').textContent = m.text;
      $('ed-preview-image').hidden = true;
      $('ed-mail').hidden = false;
    } else {
      const img = $('ed-preview-image');
      const url = await readAsDataUrl(await res.blob());
      img.alt = t('editorweb.previewAlt', state.mode === 'simple' ? t(`texts.doc.${state.doc}`) : state.name, sampleLabel(), $('ed-layout').value);
      img.src = url;
      img.hidden = false;
      $('ed-mail').hidden = true;
      // decode() settles once the image can be shown, even when the new source equals the old one (no
      // second load event) or fails to decode (rejects, so the status says so instead of waiting for ever).
      await img.decode();
    }
    if (announce) status(t('editorweb.rendered', Math.round(performance.now() - started)));
  } catch (e) {
    status(e.message);
  } finally {
    // Only the latest preview ends the busy state: a superseded one returns while the next renders.
    if (seq === state.previewSeq) {
      state.previewAnnounce = false;
      $('ed-preview-out').setAttribute('aria-busy', 'false');
      $('ed-preview').disabled = false;
    }
  }
}

// ---------------------------------------------------------------- save, problems

/** After a save or a restore: what the text breaks for screen readers (saved anyway), or nothing. */
function showWarnings(body) {
  if (body && body.warnings && body.warnings.length) showProblems(body.warnings, t('editorweb.warnings'));
  else $('ed-problems').hidden = true;
}

function showProblems(problems, title) {
  $('ed-problems-title').textContent = title || t('editorweb.problems');
  const items = problems.map((p) => {
    const text = p.line > 0
      ? (p.column > 0 ? t('editorweb.problemAt', p.line, p.column, p.message) : t('editorweb.problemLine', p.line, p.message))
      : p.message;
    const li = el('li', { class: 'ed-problem', dataset: { line: p.line, column: p.column } }, el('span', { text }));
    if (p.line > 0) {
      const go = el('button', { type: 'button', class: 'linklike', text: t('editorweb.problemGo', p.line) });
      go.addEventListener('click', () => goTo(p.line, p.column));
      li.append(' ', go);
    }
    return li;
  });
  $('ed-problem-list').replaceChildren(...items);
  $('ed-problems').hidden = false;
}

function goTo(line, column) {
  if (state.mode === 'simple') { goToField(keyAtLine(line)); return; }
  const pos = { line: Math.max(0, line - 1), ch: Math.max(0, (column || 1) - 1) };
  cm.setCursor(pos);
  cm.scrollIntoView(pos, 80);
  cm.focus();
}

async function save() {
  if (!state.name) return;
  $('ed-save').disabled = true;
  status(t('editorweb.saving'));
  try {
    let text;
    try { text = currentText(); } catch (e) { status(e.message); return; }
    const res = await postCredentials(fileUrl(), { text, comment: $('ed-comment').value, version: String(state.version) });
    const body = await res.json().catch(() => null);
    if (res.status === 422 && body && body.problems) {
      showProblems(body.problems);
      status(body.error);
      const first = body.problems.find((p) => p.line > 0);
      if (first) goTo(first.line, first.column);
      return;
    }
    if (res.status === 409) {
      $('ed-problems').hidden = true;
      status('');
      showConflict(body ? body.error : t('editorweb.error'));
      return;
    }
    if (!res.ok) throw new ApiError(res.status, body);
    showWarnings(body);
    showError('');
    state.version = body.version;
    state.generation = cm.changeGeneration(true);
    state.baseline = JSON.stringify(state.values);
    $('ed-unsaved').hidden = true;
    $('ed-comment').value = '';
    await refreshState();
    status(body.message);
  } catch (e) {
    status(e.message);
  } finally {
    $('ed-save').disabled = false;
  }
}

function showConflict(message) {
  const reload = el('button', { type: 'button', text: t('editorweb.reload') });
  reload.addEventListener('click', async () => {
    state.generation = cm.changeGeneration(true);  // the admin chose to drop his draft
    showError('');
    if (state.mode === 'simple') await openSimple(); else await openFile(state.name);
    await loadFiles();
  });
  $('ed-error').replaceChildren(el('span', { text: message }), ' ', reload);
  $('ed-error').hidden = false;
}

/** The list and the open file's state line after a change (the text in the editor stays). */
async function refreshState() {
  await loadFiles();
  const f = currentFile();
  $('ed-file-state').textContent = f ? stateText(f) : '';
  if (!$('ed-history').hidden) await loadHistory(false);
}

// ---------------------------------------------------------------- history, diff, restore, reset

function versionLabel(v) {
  return v === 0 ? t('editorweb.builtin') : t('editorweb.versionN', v);
}

async function loadHistory(focus = true) {
  const versions = await getJson(fileUrl() + '/history');
  $('ed-history-title').textContent = t('editorweb.historyTitle', state.name);
  $('ed-history-empty').hidden = versions.length > 0;
  $('ed-history-table').hidden = versions.length === 0;
  $('ed-compare').hidden = versions.length === 0;
  const rows = versions.map((v) => {
    const actions = el('td', {});
    if (v.overrides) {
      const restore = el('button', { type: 'button', class: 'ed-restore', dataset: { version: v.version }, text: t('editorweb.restore', v.version) });
      restore.addEventListener('click', () => restoreVersion(v.version));
      actions.append(restore);
    }
    // The restore button right after the version number: on screen at 1366 px without scrolling sideways.
    return el('tr', { dataset: { version: v.version } },
      el('td', { text: String(v.version) }),
      actions,
      el('td', { text: formatDate(v.savedAt) }),
      el('td', { text: v.author || '' }),
      el('td', { text: v.actionLabel + (v.restoredFrom ? ' ' + t('editorweb.restoredFrom', v.restoredFrom) : '') }),
      el('td', { text: v.comment || '' }));
  });
  $('ed-history-table').querySelector('tbody').replaceChildren(...rows);
  const options = (selected) => [0, ...versions.map((v) => v.version).reverse()].map((n) =>
    el('option', { value: n, selected: n === selected, text: versionLabel(n) }));
  const latest = versions.length ? versions[0].version : 0;
  const previous = versions.length > 1 ? versions[1].version : 0;
  $('ed-compare-from').replaceChildren(...options(previous));
  $('ed-compare-to').replaceChildren(...options(latest));
  $('ed-diff').replaceChildren();
  $('ed-history').hidden = false;
  $('ed-history-open').setAttribute('aria-expanded', 'true');
  if (focus) $('ed-history-title').focus();
}

async function compare(ev) {
  ev.preventDefault();
  const from = $('ed-compare-from').value;
  const to = $('ed-compare-to').value;
  try {
    const diff = await getJson(fileUrl() + '/diff?from=' + encodeURIComponent(from) + '&to=' + encodeURIComponent(to));
    const title = el('h4', { text: t('editorweb.diffTitle', versionLabel(Number(from)), versionLabel(Number(to))) });
    if (!diff.lines.some((l) => l.op !== ' ')) {
      $('ed-diff').replaceChildren(title, el('p', { text: t('editorweb.diffSame') }));
      return;
    }
    // Only changed lines and two lines of context; the sign and a hidden word say what changed, not the colour alone.
    const keep = diff.lines.map((l, i) => diff.lines.slice(Math.max(0, i - 2), i + 3).some((x) => x.op !== ' '));
    const lines = [];
    diff.lines.forEach((l, i) => {
      if (!keep[i]) {
        if (lines.length && lines[lines.length - 1].className !== 'gap') lines.push(el('li', { class: 'gap', text: '…' }));
        return;
      }
      const cls = l.op === '+' ? 'added' : l.op === '-' ? 'removed' : 'same';
      const word = l.op === '+' ? t('editorweb.diffAdded') : l.op === '-' ? t('editorweb.diffRemoved') : null;
      lines.push(el('li', { class: cls },
        el('span', { class: 'sign', 'aria-hidden': 'true', text: l.op === ' ' ? ' ' : l.op === '+' ? '+' : '−' }),
        word ? el('span', { class: 'visually-hidden', text: word + ' : ' }) : null,
        el('code', { text: l.text })));
    });
    $('ed-diff').replaceChildren(title, el('ol', { class: 'ed-diff-lines' }, ...lines));
  } catch (e) {
    status(e.message);
  }
}

async function restoreVersion(version) {
  if (!await confirmDialog(t('editorweb.confirmRestore', version, state.name))) return;
  await afterChange(await postCredentials(fileUrl() + '/rollback', { version: String(version), comment: $('ed-comment').value }));
}

async function reset() {
  if (!state.name) return;
  if (!await confirmDialog(t('editorweb.confirmReset', state.name))) return;
  await afterChange(await postCredentials(fileUrl() + '/reset', {}));
}

/** After a restore or a reset: the editor shows the text now in force, the list and history their new state. */
async function afterChange(res) {
  const body = await res.json().catch(() => null);
  if (res.status === 422 && body && body.problems) {
    showProblems(body.problems);
    status(body.error);
    return;
  }
  if (!res.ok) { status(body && body.error ? body.error : t('editorweb.error')); return; }
  const historyOpen = !$('ed-history').hidden;
  state.generation = cm.changeGeneration(true);
  await loadFiles();
  if (state.mode === 'simple') await openSimple(false); else await openFile(state.name, false);
  if (historyOpen) await loadHistory(false);
  showWarnings(body);
  status(body.message);
}

// ---------------------------------------------------------------- sample accounts and variables

async function findAccounts() {
  const q = $('ed-account-search').value.trim();
  const params = new URLSearchParams({ limit: '20' });
  if (q) params.set('search-last', q);
  try {
    const page = await getJson('/api/structures/' + encodeURIComponent(state.uai) + '/selection?' + params);
    $('ed-account').replaceChildren(...page.rows.map((r) => el('option', {
      value: r.id,
      text: r.lastName + ' ' + r.firstName + ' · ' + r.profileLabel + (r.classes && r.classes.length ? ' · ' + r.classes.join(', ') : ''),
    })));
    $('ed-account-status').textContent = page.rows.length ? t('editorweb.accountFound', page.rows.length) : t('editorweb.accountNone');
  } catch (e) {
    $('ed-account-status').textContent = e.message;
  }
}

function insertVariable(text) {
  if (!state.name) return;
  cm.replaceSelection(text);
  cm.focus();
  status(t('editorweb.inserted', text));
}

// ---------------------------------------------------------------- the school's logo

const logoUrl = () => '/api/structures/' + encodeURIComponent(state.uai) + '/logo';

function showLogo(logo) {
  $('ed-logo-current').hidden = !logo.present;
  $('ed-logo-none').hidden = logo.present;
  $('ed-logo-remove').hidden = !logo.present;
  if (logo.present) {
    $('ed-logo-image').src = logo.dataUri;
    const parts = [t('editorweb.logo.size', logo.width, logo.height)];
    if (logo.uploadedBy) parts.push(t('editorweb.state.by', logo.uploadedBy, formatDate(logo.uploadedAt)));
    $('ed-logo-caption').textContent = parts.join(' · ');
  } else {
    $('ed-logo-image').removeAttribute('src');
  }
}

async function loadLogo() {
  try {
    showLogo(await getJson(logoUrl()));
  } catch (e) {
    $('ed-logo-status').textContent = e.message;
  }
}

async function uploadLogo(ev) {
  ev.preventDefault();
  const file = $('ed-logo-file').files[0];
  if (!file) { $('ed-logo-status').textContent = t('editorweb.logo.choose'); $('ed-logo-file').focus(); return; }
  const data = new FormData();
  data.append('file', file);
  $('ed-logo-upload').disabled = true;
  $('ed-logo-status').textContent = t('editorweb.logo.sending');
  try {
    const body = await json(await withSecondFactor(() => request(logoUrl(), { method: 'POST', headers: { 'X-CSRF-Token': csrf }, body: data })));
    showLogo(body);
    $('ed-logo-file').value = '';
    $('ed-logo-status').textContent = body.message + (body.removedMessage ? ' ' + body.removedMessage : '');
    clearPreview();  // the letters changed: the next preview shows the new logo
  } catch (e) {
    $('ed-logo-status').textContent = e.message;
  } finally {
    $('ed-logo-upload').disabled = false;
  }
}

async function removeLogo() {
  if (!await confirmDialog(t('editorweb.logo.confirmRemove'))) return;
  try {
    const body = await json(await withSecondFactor(() => request(logoUrl(), { method: 'DELETE', headers: { 'X-CSRF-Token': csrf } })));
    showLogo(body);
    $('ed-logo-status').textContent = body.message;
    clearPreview();
  } catch (e) {
    $('ed-logo-status').textContent = e.message;
  }
}


// ---------------------------------------------------------------- simple mode: the words as fields

const textsFile = () => 'messages_' + $('ed-texts-language').value + '.properties';
const fieldId = (key) => 'tx-' + key.replace(/\./g, '-');
const token = (p) => '{' + t(`texts.ph.${p.name}`) + '}';

/** The field's text as the admin sees it: {0} becomes {prénom}. */
function toDisplay(text, placeholders) {
  let out = text;
  placeholders.forEach((p) => { out = out.split('{' + p.index + '}').join(token(p)); });
  return out;
}

/** Back to the file's form, {prénom} → {0}; an unknown {…} is refused before anything is sent. */
function toStored(key, text, placeholders) {
  let out = text;
  placeholders.forEach((p) => { out = out.split(token(p)).join('{' + p.index + '}'); });
  const unknown = out.match(/\{(?!\d+\})[^{}]*\}/);
  if (unknown) {
    goToField(key);
    throw new Error(t('editorweb.simple.unknownToken', unknown[0]));
  }
  return out;
}

function fieldsOf(doc) {
  return state.fields ? state.fields.documents[doc] || [] : [];
}

function allFields() {
  const seen = new Map();
  Object.values(state.fields.documents).forEach((list) => list.forEach((f) => { if (!seen.has(f.key)) seen.set(f.key, f); }));
  return [...seen.values()];
}

function propertiesValue(v) {
  return v.replace(/\\/g, '\\\\').replace(/\r?\n/g, '\\n').replace(/\t/g, '\\t').replace(/^([ #!])/, '\\$1');
}

/** The texts file the fields make: the school's own wording of every changed field, and its other lines kept. */
function composeTexts() {
  const lines = [t('editorweb.simple.header')];
  const keys = [];
  allFields().forEach((f) => {
    const stored = toStored(f.key, state.values[f.key], f.placeholders);
    if (stored !== f.defaultText) { lines.push(f.key + ' = ' + propertiesValue(stored)); keys.push(f.key); }
  });
  Object.entries(state.fields.otherTexts || {}).forEach(([k, v]) => { lines.push(k + ' = ' + propertiesValue(v)); keys.push(k); });
  state.composedKeys = keys;
  return lines.join('\n') + '\n';
}

function currentText() {
  return state.mode === 'simple' ? composeTexts() : cm.getValue();
}

/** The key written on a line of the composed file (for the server's problems). */
function keyAtLine(line) {
  return line >= 2 && state.composedKeys ? state.composedKeys[line - 2] : null;
}

function goToField(key) {
  if (!key) return;
  const doc = Object.keys(state.fields.documents).find((d) => fieldsOf(d).some((f) => f.key === key));
  if (doc && doc !== state.doc) showDocument(doc);
  const input = $(fieldId(key));
  if (input) input.focus();
}

function docsSharing(key) {
  return Object.keys(state.fields.documents).filter((d) => fieldsOf(d).some((f) => f.key === key));
}

let previewTimer = null;
function schedulePreview() {
  clearTimeout(previewTimer);
  previewTimer = setTimeout(() => preview(true).catch((e) => status(e.message)), 600);
}

function showDocument(doc) {
  state.doc = doc;
  document.querySelectorAll('.ed-doc').forEach((b) => {
    if (b.dataset.doc === doc) b.setAttribute('aria-current', 'true'); else b.removeAttribute('aria-current');
  });
  const langName = $('ed-texts-language').selectedOptions[0].textContent;
  $('ed-file-title').textContent = t('editorweb.simple.title', t(`texts.doc.${doc}`), langName);
  const items = fieldsOf(doc).map((f) => {
    const id = fieldId(f.key);
    const label = t(`texts.field.${f.key}`);
    const input = el('textarea', {
      id, rows: f.multiline ? 3 : 1, spellcheck: 'true', dataset: { key: f.key },
      'aria-describedby': id + '-changed ' + id + '-default',
    });
    input.value = state.values[f.key];
    const changed = el('span', { class: 'tx-changed', id: id + '-changed' });
    const restore = el('button', { type: 'button', class: 'linklike', text: t('editorweb.simple.restoreField') });
    const markChanged = () => {
      const differs = input.value !== toDisplay(f.defaultText, f.placeholders);
      changed.textContent = differs ? ' (' + t('editorweb.simple.changed') + ')' : '';
      restore.hidden = !differs;
    };
    input.addEventListener('input', () => {
      state.values[f.key] = input.value;
      $('ed-unsaved').hidden = !edited();
      markChanged();
      schedulePreview();
    });
    restore.addEventListener('click', () => {
      input.value = toDisplay(f.defaultText, f.placeholders);
      input.dispatchEvent(new Event('input'));
      input.focus();
    });
    markChanged();
    const hint = el('p', { class: 'hint', id: id + '-default', text: t('editorweb.simple.default', toDisplay(f.defaultText, f.placeholders)) });
    const shared = docsSharing(f.key).filter((d) => d !== doc);
    const chips = f.placeholders.length ? el('div', { class: 'tx-chips', role: 'group', 'aria-label': t('editorweb.simple.insert') + ' ' + label },
      el('span', { text: t('editorweb.simple.insert') }),
      ...f.placeholders.map((p) => {
        const chip = el('button', { type: 'button', class: 'tx-chip', text: '+ ' + t(`texts.ph.${p.name}`),
          'aria-label': t('editorweb.simple.insertLabel', t(`texts.ph.${p.name}`), label) });
        chip.addEventListener('click', () => {
          const at = input.selectionStart ?? input.value.length;
          const end = input.selectionEnd ?? at;
          input.setRangeText(token(p), at, end, 'end');
          input.dispatchEvent(new Event('input'));
          input.focus();
        });
        return chip;
      })) : null;
    return el('div', { class: 'tx-field' },
      el('label', { for: id }, label), changed,
      input, chips, hint,
      shared.length ? el('p', { class: 'hint', text: t('editorweb.simple.sharedWith', shared.map((d) => t(`texts.doc.${d}`)).join(', ')) }) : null,
      restore);
  });
  const others = Object.keys(state.fields.otherTexts || {}).length;
  $('ed-fields').replaceChildren(el('p', { class: 'hint', text: t('editorweb.simple.lead') }),
    others ? el('p', { class: 'hint', text: t('editorweb.simple.other', others) }) : null, ...items);
  // The preview follows the document: a mail has no layout.
  $('ed-layout').disabled = doc === 'mailActivation' || doc === 'mailReminder' || doc === 'card' || doc === 'cover';
  schedulePreview();
}

async function openSimple(focusTitle = true) {
  status(t('editorweb.loading'));
  const name = textsFile();
  const file = await getJson(base() + '/' + encodeURIComponent(name) + '/fields');
  state.name = file.name;
  state.kind = 'TEXTS';
  state.version = file.version;
  state.fields = file;
  state.values = {};
  allFields().forEach((f) => { state.values[f.key] = toDisplay(f.text, f.placeholders); });
  state.baseline = JSON.stringify(state.values);
  $('ed-language').value = file.language;
  $('ed-doc-list').replaceChildren(...Object.keys(file.documents).map((d) => el('li', {},
    el('button', { type: 'button', class: 'ed-doc', dataset: { doc: d }, text: t(`texts.doc.${d}`) }))));
  $('ed-workspace').hidden = false;
  $('ed-fields').hidden = false;
  $('ed-code-block').hidden = true;
  const f = currentFile();
  $('ed-file-state').textContent = f ? stateText(f) : '';
  $('ed-comment').value = '';
  $('ed-problems').hidden = true;
  $('ed-history').hidden = true;
  $('ed-history-open').setAttribute('aria-expanded', 'false');
  if (!$('ed-unsaved')) $('ed-file-state').after(el('span', { id: 'ed-unsaved', class: 'ed-unsaved', hidden: true, text: '(' + t('editorweb.unsaved') + ')' }));
  $('ed-unsaved').hidden = true;
  showDocument(state.doc);
  status(t('editorweb.loaded', t('editorweb.mode.simple')));
  if (focusTitle) $('ed-file-title').focus();
}

async function setMode(mode) {
  if (mode === state.mode) return;
  if (edited() && !await confirmDialog(t('editorweb.confirmLeave'))) return;
  state.mode = mode;
  $('ed-mode-simple').setAttribute('aria-pressed', String(mode === 'simple'));
  $('ed-mode-advanced').setAttribute('aria-pressed', String(mode === 'advanced'));
  $('ed-simple-nav').hidden = mode !== 'simple';
  document.querySelector('.ed-files').hidden = mode !== 'advanced';
  $('ed-vars').hidden = mode !== 'advanced';
  $('ed-fields').hidden = mode !== 'simple';
  $('ed-code-block').hidden = mode !== 'advanced';
  clearPreview();
  state.fields = null;
  state.name = null;
  if (mode === 'simple') {
    await openSimple();
  } else {
    const mark = $('ed-unsaved');
    if (mark) mark.remove();
    $('ed-workspace').hidden = true;
    $('ed-file-title').textContent = t('editorweb.choose');
    $('ed-file-state').textContent = '';
    $('ed-layout').disabled = false;
  }
}

async function loadArticle() {
  try {
    const n = await getJson('/api/structures/' + encodeURIComponent(state.uai) + '/name-with-article');
    $('ed-article').value = n.nameWithArticle;
    $('ed-article-hint').textContent = t('editorweb.article.hint', n.ofName, n.toName);
  } catch (e) {
    $('ed-article-status').textContent = e.message;
  }
}

async function saveArticle(ev) {
  ev.preventDefault();
  try {
    const n = await json(await postCredentials('/api/structures/' + encodeURIComponent(state.uai) + '/name-with-article', { value: $('ed-article').value }));
    $('ed-article').value = n.nameWithArticle;
    $('ed-article-hint').textContent = t('editorweb.article.hint', n.ofName, n.toName);
    $('ed-article-status').textContent = t('editorweb.article.saved', n.ofName);
    schedulePreview();
  } catch (e) {
    $('ed-article-status').textContent = e.message;
  }
}

// ---------------------------------------------------------------- wiring

$('nav-templates').setAttribute('aria-current', 'page');
$('ed-file-list').addEventListener('click', (ev) => {
  const b = ev.target.closest('.ed-file');
  if (b) openFile(b.dataset.name).catch((e) => status(e.message));
});
$('ed-preview').addEventListener('click', () => preview(false));
$('ed-save').addEventListener('click', save);
$('ed-history-open').addEventListener('click', () => {
  if (!$('ed-history').hidden) {
    $('ed-history').hidden = true;
    $('ed-history-open').setAttribute('aria-expanded', 'false');
    return;
  }
  loadHistory().catch((e) => status(e.message));
});
$('ed-compare').addEventListener('submit', compare);
$('ed-reset').addEventListener('click', reset);
$('ed-account-form').addEventListener('submit', (ev) => { ev.preventDefault(); findAccounts(); });
document.querySelectorAll('input[name="ed-sample"]').forEach((r) => r.addEventListener('change', () => {
  $('ed-account-pick').hidden = !$('ed-sample-account').checked;
}));
document.querySelectorAll('.ed-var').forEach((b) => b.addEventListener('click', () => insertVariable(b.dataset.insert)));
$('ed-logo-form').addEventListener('submit', uploadLogo);
$('ed-mode-simple').addEventListener('click', () => setMode('simple').catch((e) => status(e.message)));
$('ed-mode-advanced').addEventListener('click', () => setMode('advanced').catch((e) => status(e.message)));
$('ed-doc-list').addEventListener('click', (ev) => {
  const b = ev.target.closest('.ed-doc');
  if (b) { showDocument(b.dataset.doc); $('ed-file-title').focus(); }
});
$('ed-texts-language').addEventListener('change', async () => {
  if (edited() && !await confirmDialog(t('editorweb.confirmLeave'))) return;
  openSimple().catch((e) => status(e.message));
});
$('ed-article-form').addEventListener('submit', saveArticle);
$('ed-logo-remove').addEventListener('click', removeLogo);
$('ed-structure').addEventListener('change', async (ev) => {
  if (edited() && !await confirmDialog(t('editorweb.confirmLeave'))) { ev.target.value = state.uai; return; }
  state.uai = ev.target.value;
  state.name = null;
  $('ed-workspace').hidden = true;
  $('ed-file-title').textContent = t('editorweb.choose');
  $('ed-file-state').textContent = '';
  $('ed-account').replaceChildren();
  clearPreview();
  $('ed-logo-status').textContent = '';
  loadLogo();
  loadArticle();
  loadFiles().then(() => { if (state.mode === 'simple') return openSimple(false); }).catch((e) => showError(e.message));
});
window.addEventListener('beforeunload', (ev) => {
  if (edited()) { ev.preventDefault(); ev.returnValue = ''; }
});

loadFiles().then(() => openSimple(false)).catch((e) => showError(e.message));
loadLogo();
loadArticle();

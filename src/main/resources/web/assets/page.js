// What every page script shares: the page's i18n texts (the JSON in #texts) through t(), the
// CSRF token of the page, and a small DOM element builder. No visible text is written here.

const texts = JSON.parse(document.getElementById('texts').textContent);

export const csrf = document.querySelector('meta[name="csrf-token"]').content;

export function t(key, ...args) {
  let s = Object.prototype.hasOwnProperty.call(texts, key) ? texts[key] : key;
  args.forEach((a, i) => { s = s.split('{' + i + '}').join(String(a)); });
  return s;
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'text') node.textContent = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

/**
 * The one date format of each language (the server's DateView writes the same): 31/08/2025 in French,
 * 2025-08-31 in English; with the time, "31/08/2025 14:05". Takes an ISO date or date-time.
 */
export function formatDate(iso) {
  if (!iso) return '';
  const d = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(iso + 'T12:00:00') : new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  const [y, m, day] = [d.getFullYear(), pad(d.getMonth() + 1), pad(d.getDate())];
  return document.documentElement.lang === 'en' ? `${y}-${m}-${day}` : `${day}/${m}/${y}`;
}

export function formatDateTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return formatDate(iso) + ' ' + String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0');
}

/** A refused API call: the server's message in the admin's language, its status, code and body. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.error ? body.error : t('ui.error'));
    this.status = status;
    this.code = body ? body.code : undefined;
    this.body = body || {};
  }
}

/** fetch() with the session cookie, JSON by default; an expired session goes back to the login page. */
export async function request(path, options = {}) {
  const headers = Object.assign({ Accept: 'application/json' }, options.headers || {});
  const res = await fetch(path, Object.assign({ credentials: 'same-origin' }, options, { headers }));
  if (res.status === 401) {
    window.location.assign('/login');
    throw new ApiError(401, null);
  }
  return res;
}

/**
 * Asks for a TOTP code (the page's #totp-dialog) when the server wants a fresh one before an output
 * carrying credentials. Resolves true when a good code was typed, false when cancelled.
 */
export function askCode() {
  const $ = (id) => document.getElementById(id);
  const dialog = $('totp-dialog');
  const error = $('totp-error');
  error.textContent = '';
  error.hidden = true;
  $('totp-code').value = '';
  return new Promise((resolve) => {
    const done = (ok) => {
      $('totp-form').removeEventListener('submit', submit);
      $('totp-cancel').removeEventListener('click', cancel);
      dialog.removeEventListener('cancel', cancel);
      if (dialog.open) dialog.close();
      resolve(ok);
    };
    const cancel = (ev) => { if (ev) ev.preventDefault(); done(false); };
    const submit = async (ev) => {
      ev.preventDefault();
      const res = await request('/api/totp/verify', {
        method: 'POST',
        headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ code: $('totp-code').value }),
      });
      if (res.ok) { done(true); return; }
      const body = await res.json().catch(() => null);
      error.textContent = body && body.error ? body.error : t('ui.error');
      error.hidden = false;
      $('totp-code').focus();
    };
    $('totp-form').addEventListener('submit', submit);
    $('totp-cancel').addEventListener('click', cancel);
    dialog.addEventListener('cancel', cancel);
    dialog.showModal();
    $('totp-code').focus();
  });
}

/**
 * A modal confirmation listing what is about to happen: {@code id} names the dialog and its parts
 * (`<id>-title`, `<id>-body`, `<id>-ok`, `<id>-cancel`), {@code rowClass} the buttons' row. "Cancel" has the
 * focus (the safe choice first); resolves true on "ok", false on "cancel" or Escape, and gives the focus
 * back where it was.
 */
export function confirmDialog({ id, title, lines, okLabel, cancelLabel, rowClass }) {
  const back = document.activeElement;
  const ok = el('button', { type: 'button', class: 'primary', id: id + '-ok' }, okLabel);
  const cancel = el('button', { type: 'button', id: id + '-cancel' }, cancelLabel);
  const dialog = el('dialog', { id, 'aria-labelledby': id + '-title', 'aria-describedby': id + '-body' },
    el('h2', { id: id + '-title', text: title }),
    el('ul', { id: id + '-body' }, ...lines.map((l) => el('li', { text: l }))),
    el('div', { class: rowClass }, cancel, ok));
  document.body.append(dialog);
  return new Promise((resolve) => {
    const done = (answer) => {
      if (dialog.open) dialog.close();
      dialog.remove();
      if (back && back.isConnected) back.focus();
      resolve(answer);
    };
    ok.addEventListener('click', () => done(true));
    cancel.addEventListener('click', () => done(false));
    dialog.addEventListener('cancel', (ev) => { ev.preventDefault(); done(false); });
    dialog.showModal();
    cancel.focus();
  });
}

/** Hands a downloaded file to the browser under this name (CSV, PDF). */
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

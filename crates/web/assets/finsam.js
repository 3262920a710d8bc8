// Shared by every page: who is signed in, calls to the JSON API as them, Swedish messages for
// the API's answers, validation errors beside their fields, number formats.
//
// Two ways in, as the server is configured (<span id="inloggningslage" data-lage>): through the
// organisation's identity provider ('idp'), where the tokens never reach the browser, which holds a
// session cookie, and this script only learns the session (and its CSRF token) from
// /auth/session; or the development sign-in ('utveckling'), a pasted token in sessionStorage.
import { faltfel, lasJson, problemtext } from './meddelanden.js';

const NYCKEL = 'finsam.token';
const UTKAST = 'finsam.utkast:';

export const genomLeverantor = document.getElementById('inloggningslage')?.dataset.lage === 'idp';

async function hamtaSession() {
  try {
    const svar = await fetch('/auth/session', { headers: { Accept: 'application/json' }, cache: 'no-store' });
    return svar.ok ? await svar.json() : null;
  } catch {
    return null;
  }
}

/// The provider's session ({sub, role, forbund, csrf_token, expires_at}), or null.
export const session = genomLeverantor ? await hamtaSession() : null;

export const sida = document.querySelector('main');
export const data = sida ? sida.dataset : {};

export function hamtaToken() {
  if (genomLeverantor) return null;
  try {
    return sessionStorage.getItem(NYCKEL);
  } catch {
    return null;
  }
}

export function sparaToken(token) {
  sessionStorage.setItem(NYCKEL, token.trim());
}

export function glomToken() {
  sessionStorage.removeItem(NYCKEL);
}

/// The token's claims, read without verifying: only to choose menus and links. The API
/// verifies the token on every call and decides what it may do.
export function ansprak(token = hamtaToken()) {
  if (!token && session) return { sub: session.sub, role: session.role, forbund: session.forbund };
  if (!token) return null;
  const delar = token.split('.');
  if (delar.length < 2) return null;
  try {
    const b64 = delar[1].replace(/-/g, '+').replace(/_/g, '/');
    const fylld = b64 + '='.repeat((4 - (b64.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(fylld), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return claims && typeof claims === 'object' ? claims : null;
  } catch {
    return null;
  }
}

/// Where a signed-in user starts.
export function startsida(claims, ar) {
  if (!claims) return '/logga-in';
  if (aktarForForbund(claims.role) && claims.forbund) {
    return `/forbund/${encodeURIComponent(claims.forbund)}/insatser?ar=${ar}`;
  }
  return `/analys/${ar}`;
}

export class ApiFel extends Error {
  constructor(status, problem) {
    super(problemtext(status, problem));
    this.status = status;
    this.problem = problem || {};
  }

  get faltfel() {
    return Array.isArray(this.problem.errors) ? this.problem.errors : [];
  }
}

/// Calls the API with the token. JSON bodies are serialised; errors become `ApiFel` with a
/// Swedish message. `raw: true` gives the Response itself (for downloads).
export async function api(method, path, options = {}) {
  const headers = { Accept: 'application/json', ...(options.headers || {}) };
  const token = options.token || hamtaToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (!token && session) headers['X-CSRF-Token'] = session.csrf_token;
  let body = options.body;
  // Text and files (a Blob: sent as their bytes) go as they are; anything else as JSON.
  if (body !== undefined && typeof body !== 'string' && !(body instanceof Blob)) {
    body = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  let svar;
  try {
    svar = await fetch(path, { method, headers, body, cache: 'no-store' });
  } catch {
    throw new ApiFel(0, { detail: 'Tjänsten svarar inte. Kontrollera anslutningen och försök igen.' });
  }
  if (!svar.ok) {
    let problem = null;
    try {
      problem = await svar.json();
    } catch {
      /* not JSON */
    }
    if (svar.status === 401 && genomLeverantor && !options.token) loggaInIgen();
    throw new ApiFel(svar.status, problem);
  }
  if (options.raw) return svar;
  if (svar.status === 204) return null;
  const json = await svar.json();
  return options.medSvar ? { json, svar } : json;
}

/// Builds an element: `el('a', {href: '/', text: 'Start'}, child, …)`.
export function el(tag, attrs = {}, ...barn) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'text') e.textContent = v;
    else if (k === 'class') e.className = v;
    else if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const b of barn.flat()) {
    if (b === null || b === undefined || b === false) continue;
    e.append(b instanceof Node ? b : String(b));
  }
  return e;
}

export function meddelande(typ, text, ...extra) {
  return el('div', { class: `meddelande ${typ}` }, el('p', { text }), ...extra);
}

/// Shows an error for the whole page (in the alert region under the heading). A 401 links to
/// sign-in and back.
export function visaSidfel(fel) {
  const ruta = document.getElementById('sidmeddelande');
  const status = fel instanceof ApiFel ? fel.status : 0;
  const extra = [];
  if (status === 401) {
    extra.push(el('p', {}, el('a', { href: inloggningslank(), text: 'Logga in igen' })));
  }
  if (fel instanceof ApiFel && fel.problem.detail && status !== 403 && status !== 401) {
    extra.push(el('p', { class: 'hjalp', text: `Tjänstens svar: ${fel.problem.detail}` }));
  }
  ruta.replaceChildren(meddelande('fel', fel.message || String(fel), ...extra));
}

export function visaSidinfo(typ, text) {
  document.getElementById('sidmeddelande').replaceChildren(meddelande(typ, text));
}

/// Where `?tillbaka=` may send the browser: an address on this site, as the browser itself will
/// read it, or null. Checking the raw text is not enough: the URL parser drops tabs and newlines
/// and reads a backslash as `/`, so `/<tab>/host` or `/<CR>\host` is `//host`, another site.
export function sakerRetur(varde) {
  if (!varde) return null;
  let url;
  try {
    url = new URL(varde, location.origin);
  } catch {
    return null;
  }
  // The protocol too: `blob:` addresses carry the origin they were made on.
  if (url.origin !== location.origin || url.protocol !== location.protocol) return null;
  // The whole address, not just its path: a path may itself begin with `//` (`/.//host`), which
  // on its own would again mean another site.
  return url.href;
}

/// The session has ended: what the page's forms hold is kept (restored on this page after the
/// sign-in), and the person goes through the provider's sign-in and back here.
export function loggaInIgen() {
  sparaUtkast();
  location.assign(inloggningslank());
}

function sparaUtkast() {
  const formular = [...document.querySelectorAll('form[id]')].map((form) => ({
    id: form.id,
    falt: [...form.elements].filter((e) => e.name && e.type !== 'file' && e.type !== 'password')
      .map((e) => ({ namn: e.name, varde: e.value, ikryssad: e.checked })),
  }));
  try {
    sessionStorage.setItem(UTKAST + location.pathname + location.search, JSON.stringify(formular));
  } catch {
    /* full or unavailable: nothing to keep */
  }
}

/// Puts back what a form held when the session ended; call after the page has built its forms.
export function aterstallUtkast() {
  const nyckel = UTKAST + location.pathname + location.search;
  let formular;
  try {
    formular = JSON.parse(sessionStorage.getItem(nyckel) || 'null');
    sessionStorage.removeItem(nyckel);
  } catch {
    return;
  }
  if (!Array.isArray(formular)) return;
  let aterstallda = 0;
  for (const { id, falt } of formular) {
    const form = document.getElementById(id);
    if (!form || !Array.isArray(falt)) continue;
    for (const { namn, varde, ikryssad } of falt) {
      for (const e of form.querySelectorAll(`[name="${CSS.escape(namn)}"]`)) {
        if (e.type === 'checkbox' || e.type === 'radio') e.checked = e.value === varde ? ikryssad : e.checked;
        else e.value = varde;
        aterstallda += 1;
      }
    }
  }
  if (aterstallda > 0) {
    visaSidinfo('info', 'Inloggningen hade gått ut. Det du hade skrivit i formuläret är återställt: kontrollera och spara.');
  }
}

/// Signing out of the provider's session: a real form post, so the browser follows the server
/// on to the provider's sign-out.
function loggaUtHosLeverantor() {
  const form = el('form', { method: 'post', action: '/auth/sign-out', hidden: true },
    el('input', { type: 'hidden', name: 'csrf_token', value: session.csrf_token }));
  document.body.append(form);
  form.submit();
}

export function inloggningslank() {
  return `/logga-in?tillbaka=${encodeURIComponent(location.pathname + location.search)}`;
}

/// False (and a message with a sign-in link) when no one is signed in.
export function kravInloggning() {
  if (hamtaToken() || session) return true;
  const ruta = document.getElementById('sidmeddelande');
  ruta.replaceChildren(
    meddelande('varning', 'Du behöver logga in för att se den här sidan.',
      el('p', {}, el('a', { href: inloggningslank(), text: 'Logga in' }))),
  );
  return false;
}

/// The code lists' Swedish names, from the page (`{kind: {individual: …}, orientation: …}`);
/// read here, before `visaAnvandare()` below runs.
export const koder = lasJson('koder');

export function kodnamn(lista, kod) {
  return (koder[lista] && koder[lista][kod]) || kod || '–';
}

/// Whether the role acts for one förbund (the server's code lists say which).
export function aktarForForbund(roll) {
  return (koder.role_scope || {})[roll] === 'forbund';
}

/// A role's Swedish name; the audit log's `system` (no role of a token) as it is.
export function rollnamn(roll) {
  return (koder.role && koder.role[roll]) || roll;
}

function visaAnvandare() {
  const ruta = document.getElementById('anvandare');
  if (!ruta) return;
  const claims = ansprak();
  if (!claims) {
    if (data.sida !== 'logga-in') ruta.replaceChildren(el('a', { href: '/logga-in', text: 'Logga in' }));
    return;
  }
  const roll = rollnamn(claims.role);
  const vem = [claims.sub, roll, claims.forbund].filter(Boolean).join(' · ');
  ruta.replaceChildren(
    el('span', { text: `Inloggad: ${vem}` }),
    el('button', {
      type: 'button',
      text: 'Logga ut',
      onclick: () => {
        if (session) return loggaUtHosLeverantor();
        glomToken();
        location.assign('/logga-in');
      },
    }),
  );
}

visaAnvandare();

// ---- forms and validation errors -------------------------------------------------------

/// The field wrapper for an API error path: the exact `data-path`, else its nearest parent.
export function hittaFalt(form, path) {
  let p = path || '';
  while (p) {
    const hit = form.querySelector(`[data-path="${CSS.escape(p)}"]`);
    if (hit) return hit;
    const i = p.lastIndexOf('/');
    if (i <= 0) break;
    p = p.slice(0, i);
  }
  return null;
}

function kontroller(falt) {
  const alla = [...falt.querySelectorAll('input, select, textarea')];
  if (falt.matches('fieldset')) return alla.filter((c) => c.type !== 'checkbox' || falt.dataset.path === '/target_groups');
  return alla.filter((c) => c.closest('[data-path]') === falt);
}

function etikett(falt) {
  const rubrik = falt.querySelector(':scope > label, :scope > legend');
  return rubrik ? rubrik.textContent.trim() : falt.dataset.path;
}

function lankaTill(mal) {
  return (h) => {
    h.preventDefault();
    mal.focus();
    mal.scrollIntoView({ block: 'center' });
  };
}

export function rensaFel(form) {
  form.querySelectorAll('.falt-fel').forEach((e) => e.remove());
  form.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
  form.querySelectorAll('[data-beskrivning]').forEach((e) => {
    if (e.dataset.beskrivning) e.setAttribute('aria-describedby', e.dataset.beskrivning);
    else e.removeAttribute('aria-describedby');
    delete e.dataset.beskrivning;
  });
  const summa = form.querySelector('.fel-sammanfattning');
  if (summa) {
    summa.hidden = true;
    summa.removeAttribute('role');
    summa.replaceChildren();
  }
  const status = form.querySelector('.formstatus');
  if (status) status.replaceChildren();
}

function beskrivs(e, id) {
  if (e.dataset.beskrivning === undefined) e.dataset.beskrivning = e.getAttribute('aria-describedby') || '';
  e.setAttribute('aria-describedby', `${id} ${e.dataset.beskrivning}`.trim());
}

/// Shows the API's field errors beside their fields (aria-invalid, aria-describedby) and in a
/// summary at the top of the form that links to each field; the summary takes focus.
export function visaFaltfel(form, fel, rubrik = 'Rätta följande innan du sparar') {
  rensaFel(form);
  const punkter = [];
  fel.forEach((f, n) => {
    const text = faltfel(f);
    const falt = hittaFalt(form, f.path);
    if (!falt) {
      punkter.push(el('li', { text: f.path ? `${f.path}: ${text}` : text }));
      return;
    }
    const id = `fel-${form.id}-${n}`;
    const p = el('p', { class: 'falt-fel', id }, el('span', { class: 'visuellt-dold', text: 'Fel: ' }), text);
    const fore = falt.querySelector(':scope > .hjalp') || falt.querySelector(':scope > label, :scope > legend');
    if (fore) fore.after(p);
    else falt.prepend(p);
    const ctrl = kontroller(falt);
    if (falt.matches('fieldset')) beskrivs(falt, id);
    ctrl.forEach((c) => {
      c.setAttribute('aria-invalid', 'true');
      if (!falt.matches('fieldset')) beskrivs(c, id);
    });
    const detaljer = falt.closest('details');
    if (detaljer) detaljer.open = true;
    const mal = ctrl[0] || falt;
    punkter.push(el('li', {}, el('a', { href: `#${mal.id || ''}`, text: `${etikett(falt)}: ${text}`, onclick: lankaTill(mal) })));
  });
  const summa = form.querySelector('.fel-sammanfattning');
  if (!summa) return;
  summa.replaceChildren(el('h2', { text: rubrik }), el('ul', {}, punkter));
  summa.setAttribute('role', 'alert');
  summa.hidden = false;
  summa.focus();
}

/// Shows an API error for a form: field errors beside the fields, anything else as a message.
export function visaFormfel(form, fel) {
  if (fel instanceof ApiFel && fel.faltfel.length > 0) {
    visaFaltfel(form, fel.faltfel);
    const status = form.querySelector('.formstatus');
    if (status) status.replaceChildren(meddelande('fel', fel.message));
    return;
  }
  rensaFel(form);
  const status = form.querySelector('.formstatus');
  const ruta = status || document.getElementById('sidmeddelande');
  const extra = fel instanceof ApiFel && fel.status === 401
    ? [el('p', {}, el('a', { href: inloggningslank(), text: 'Logga in igen' }))]
    : [];
  ruta.replaceChildren(meddelande('fel', fel.message || String(fel), ...extra));
}

export function formstatus(form, typ, text) {
  const status = form.querySelector('.formstatus');
  if (status) status.replaceChildren(meddelande(typ, text));
}

// ---- reading and showing numbers --------------------------------------------------------

/// A count from a text field: a whole number as a number, nothing as null, anything else
/// as typed (the API then says what is wrong with it).
export function antalIn(text) {
  const t = (text || '').trim();
  if (t === '') return null;
  return /^-?\d+$/.test(t) ? Number(t) : t;
}

/// An amount from a text field, Swedish style accepted: "250 000,50" → "250000.50".
export function beloppIn(text) {
  const t = (text || '').trim();
  if (t === '') return null;
  return t.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.').replace('\u2212', '-');
}

/// An amount from the API for a text field, Swedish style: "250000.50" → "250000,50".
export function beloppUt(v) {
  return v === null || v === undefined ? '' : String(v).replace('.', ',');
}

export function tal(v, decimaler = 0) {
  if (v === null || v === undefined || v === '') return '–';
  const n = Number(v);
  if (Number.isNaN(n)) return String(v);
  return new Intl.NumberFormat('sv-SE', { minimumFractionDigits: decimaler, maximumFractionDigits: decimaler }).format(n);
}

export function kronor(v) {
  return v === null || v === undefined ? '–' : `${tal(v, 0)} kr`;
}

export function tidpunkt(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('sv-SE', { dateStyle: 'short', timeStyle: 'short' });
}

/// Saves a response's body as a file through a Blob URL, under the name its
/// Content-Disposition gives, else `filnamn`; returns the name.
export async function sparaSvar(svar, filnamn) {
  const blob = await svar.blob();
  const cd = svar.headers.get('Content-Disposition') || '';
  const m = /filename="?([^";]+)"?/.exec(cd);
  const namn = m ? m[1] : filnamn;
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: namn, class: 'visuellt-dold' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  return namn;
}

/// Downloads an API response with the token: fetched with the header, saved through a Blob URL.
export async function laddaNer(path, filnamn) {
  return sparaSvar(await api('GET', path, { raw: true, headers: { Accept: '*/*' } }), filnamn);
}

/// Hides everything the page would show but its heading and message: after a 403 or 404 the
/// page shows no data at all.
export function dolInnehall() {
  for (const e of document.querySelectorAll('main > *')) {
    if (e.tagName !== 'H1' && e.id !== 'sidmeddelande') e.hidden = true;
  }
  document.querySelectorAll('main tbody').forEach((t) => t.replaceChildren());
}

/// A value of a table from the table API's JSON, by one code per dimension (`{year: '2023', …}`).
export function tabellvarde(tabell, koderPerDimension) {
  let index = 0;
  for (const d of tabell.dimensions) {
    const pos = d.categories.findIndex((c) => c.code === koderPerDimension[d.id]);
    if (pos < 0) return null;
    index = index * d.categories.length + pos;
  }
  const v = tabell.values[index];
  return v === null || v === undefined ? null : Number(v);
}

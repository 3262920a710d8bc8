// One insats: create it, edit it and its figures for a year, and read its history.
import {
  antalIn, api, aterstallUtkast, beloppIn, beloppUt, data, dolInnehall, el, formstatus, koder, kravInloggning, rensaFel, rollnamn,
  tidpunkt, visaFormfel, visaSidfel, visaSidinfo,
} from './finsam.js';
import { ENTITET, FALTNAMN, HANDLING } from './meddelanden.js';

const forbund = data.forbund;
const f = encodeURIComponent(forbund || '');
const ar = Number(data.ar);
const id = data.insats;

// ---- the insats itself -------------------------------------------------------------------

const varde = (fid) => document.getElementById(fid).value.trim();

function filtreraInriktningar() {
  const typ = document.getElementById('f-kind').value;
  const val = document.getElementById('f-orientation');
  for (const grupp of val.querySelectorAll('optgroup')) {
    const passar = !typ || grupp.dataset.kind === typ;
    grupp.disabled = !passar;
    grupp.hidden = !passar;
  }
  const vald = val.selectedOptions[0];
  if (vald && vald.parentElement.disabled) val.value = '';
}

function lasInsats() {
  return {
    external_ref: varde('f-external_ref') || null,
    name: varde('f-name'),
    description: varde('f-description') || null,
    kind: varde('f-kind') || null,
    orientation: varde('f-orientation') || null,
    target_groups: [...document.querySelectorAll('input[name="/target_groups"]:checked')].map((c) => c.value),
    start_date: varde('f-start_date') || null,
    end_date: varde('f-end_date') || null,
  };
}

function fyllInsats(insats) {
  document.getElementById('f-external_ref').value = insats.external_ref || '';
  document.getElementById('f-name').value = insats.name || '';
  document.getElementById('f-description').value = insats.description || '';
  document.getElementById('f-kind').value = insats.kind || '';
  filtreraInriktningar();
  document.getElementById('f-orientation').value = insats.orientation || '';
  for (const c of document.querySelectorAll('input[name="/target_groups"]')) {
    c.checked = (insats.target_groups || []).includes(c.value);
  }
  document.getElementById('f-start_date').value = insats.start_date || '';
  document.getElementById('f-end_date').value = insats.end_date || '';
}

function nyInsats() {
  if (!kravInloggning()) return dolInnehall();
  const form = document.getElementById('insats-form');
  document.getElementById('f-kind').addEventListener('change', filtreraInriktningar);
  form.addEventListener('submit', async (h) => {
    h.preventDefault();
    rensaFel(form);
    try {
      const insats = await api('POST', `/api/v1/forbund/${f}/insatser`, { body: lasInsats() });
      location.assign(`/forbund/${f}/insatser/${insats.id}?ar=${ar}&sparad=ny`);
    } catch (fel) {
      visaFormfel(form, fel);
    }
  });
  aterstallUtkast();
  document.querySelector('main').dataset.klar = 'ja';
}

// ---- the figures of one year -------------------------------------------------------------

// The codes come with the page (the domain's code lists), so a new one needs no change here.
const AVSLUT = Object.keys(koder.exit_reason || {});
const KON = Object.keys(koder.gender || {});

function arsspann(insats) {
  const forsta = Number(insats.start_date.slice(0, 4));
  const iar = new Date().getFullYear();
  const sista = insats.end_date ? Math.min(Number(insats.end_date.slice(0, 4)), iar) : iar;
  const ar_ = [];
  for (let y = forsta; y <= Math.max(sista, forsta); y += 1) ar_.push(y);
  return ar_;
}

function valtAr() {
  return Number(document.getElementById('f-year').value);
}

function fyllAr(insats) {
  const y = valtAr();
  const rad = insats.years.find((r) => r.year === y);
  const ejFoljs = document.getElementById('f-ej-foljs');
  ejFoljs.checked = Boolean(rad && rad.participants === null);
  for (const kon of KON) {
    document.getElementById(`f-${kon}`).value = rad && rad.participants ? rad.participants[kon] : '';
  }
  document.getElementById('f-budget').value = rad ? beloppUt(rad.budget) : '';
  document.getElementById('f-outcome').value = rad ? beloppUt(rad.outcome) : '';
  for (const orsak of AVSLUT) {
    for (const kon of KON) {
      const e = rad && rad.exits && rad.exits[orsak];
      document.getElementById(`f-exit-${orsak}-${kon}`).value = e ? e[kon] : '';
    }
  }
  document.getElementById('avslut').open = Boolean(rad && rad.exits);
  vaxlaDeltagare();
  const form = document.getElementById('ar-form');
  rensaFel(form);
  const url = new URL(location.href);
  url.searchParams.set('ar', String(y));
  url.searchParams.delete('sparad');
  history.replaceState(null, '', url);
}

function vaxlaDeltagare() {
  const av = document.getElementById('f-ej-foljs').checked;
  for (const kon of KON) document.getElementById(`f-${kon}`).disabled = av;
}

function lasAr() {
  const body = {
    participants: document.getElementById('f-ej-foljs').checked
      ? null
      : Object.fromEntries(KON.map((kon) => [kon, antalIn(varde(`f-${kon}`))])),
    budget: beloppIn(varde('f-budget')),
    outcome: beloppIn(varde('f-outcome')),
  };
  const avslut = {};
  let nagot = false;
  for (const orsak of AVSLUT) {
    avslut[orsak] = {};
    for (const kon of KON) {
      const v = antalIn(varde(`f-exit-${orsak}-${kon}`));
      if (v !== null) nagot = true;
      avslut[orsak][kon] = v === null ? 0 : v;
    }
  }
  if (nagot) body.exits = avslut;
  return body;
}

async function insatsSida() {
  if (!kravInloggning()) return dolInnehall();
  let insats;
  try {
    insats = await api('GET', `/api/v1/forbund/${f}/insatser/${id}`);
  } catch (fel) {
    dolInnehall();
    return visaSidfel(fel);
  }
  document.querySelector('h1').textContent = insats.name;
  document.title = `${insats.name} – Finsam uppföljning`;
  if (new URLSearchParams(location.search).get('sparad') === 'ny') {
    visaSidinfo('ok', 'Insatsen är sparad. Fyll i uppgifterna för verksamhetsåret nedan.');
  }

  const form = document.getElementById('insats-form');
  document.getElementById('f-kind').addEventListener('change', filtreraInriktningar);
  fyllInsats(insats);
  form.addEventListener('submit', async (h) => {
    h.preventDefault();
    rensaFel(form);
    try {
      const ny = await api('PUT', `/api/v1/forbund/${f}/insatser/${id}`, {
        body: lasInsats(), headers: { 'If-Match': `"${insats.version}"` },
      });
      insats = ny;
      document.querySelector('h1').textContent = insats.name;
      formstatus(form, 'ok', 'Ändringarna är sparade.');
    } catch (fel) {
      visaFormfel(form, fel);
    }
  });

  const arForm = document.getElementById('ar-form');
  const arVal = document.getElementById('f-year');
  const spann = arsspann(insats);
  arVal.replaceChildren(...spann.map((y) => el('option', { value: y, text: String(y) })));
  arVal.value = String(spann.includes(ar) ? ar : spann[spann.length - 1]);
  arVal.addEventListener('change', () => fyllAr(insats));
  document.getElementById('f-ej-foljs').addEventListener('change', vaxlaDeltagare);
  fyllAr(insats);
  arForm.addEventListener('submit', async (h) => {
    h.preventDefault();
    rensaFel(arForm);
    const y = valtAr();
    const rad = insats.years.find((r) => r.year === y);
    try {
      const sparad = await api('PUT', `/api/v1/forbund/${f}/insatser/${id}/years/${y}`, {
        body: lasAr(), headers: rad ? { 'If-Match': `"${rad.version}"` } : {},
      });
      insats.years = insats.years.filter((r) => r.year !== y).concat([sparad]);
      formstatus(arForm, 'ok', `Uppgifterna för ${y} är sparade.`);
    } catch (fel) {
      visaFormfel(arForm, fel);
    }
  });
  aterstallUtkast();
  document.querySelector('main').dataset.klar = 'ja';
}

// ---- history -------------------------------------------------------------------------------

// Parts of a field's name inside a sentence ("Avslut – arbete – kvinnor"): the page's names in lower case.
const DELNAMN = Object.fromEntries(
  [...Object.entries(koder.gender || {}), ...Object.entries(koder.exit_reason || {})]
    .map(([kod, namn]) => [kod, namn.toLocaleLowerCase('sv')]),
);
const META = new Set(['id', 'version', 'created_at', 'updated_at', 'forbund_key', 'years', 'year']);

function platta(objekt, prefix = '', ut = {}) {
  if (objekt === null || typeof objekt !== 'object' || Array.isArray(objekt)) {
    ut[prefix] = objekt;
    return ut;
  }
  for (const [k, v] of Object.entries(objekt)) {
    if (!prefix && META.has(k)) continue;
    platta(v, prefix ? `${prefix}.${k}` : k, ut);
  }
  return ut;
}

function visaVarde(v) {
  if (v === null || v === undefined) return '–';
  if (Array.isArray(v)) return v.length ? v.join(', ') : 'inga';
  return String(v);
}

function faltnamn(nyckel) {
  const [forsta, ...resten] = nyckel.split('.');
  return [FALTNAMN[forsta] || forsta, ...resten.map((d) => DELNAMN[d] || d)].join(' – ');
}

function andringar(handelse) {
  const fore = platta(handelse.before || {});
  const efter = platta(handelse.after || {});
  const nycklar = [...new Set([...Object.keys(fore), ...Object.keys(efter)])];
  const lista = nycklar
    .filter((k) => JSON.stringify(fore[k]) !== JSON.stringify(efter[k]))
    .map((k) => el('li', { text: `${faltnamn(k)}: ${visaVarde(fore[k])} → ${visaVarde(efter[k])}` }));
  return lista.length ? el('ul', {}, lista) : el('span', { text: handelse.reason || '–' });
}

async function historik() {
  if (!kravInloggning()) return dolInnehall();
  const status = document.getElementById('historik-status');
  status.textContent = 'Hämtar historiken …';
  const handelser = [];
  let efter = 0;
  try {
    for (;;) {
      const sida = await api('GET', `/api/v1/forbund/${f}/audit?after_id=${efter}&limit=1000`);
      handelser.push(...sida.filter((e) => (e.entity === 'insats' && e.entity_id === String(id))
        || (e.entity === 'insats_year' && e.entity_id.startsWith(`${id}/`))));
      if (sida.length < 1000) break;
      efter = sida[sida.length - 1].id;
    }
  } catch (fel) {
    dolInnehall();
    return visaSidfel(fel);
  }
  const tbody = document.querySelector('#historik tbody');
  tbody.replaceChildren(...handelser.map((e) => {
    const aret = e.entity === 'insats_year' ? ` ${e.entity_id.split('/')[1]}` : '';
    return el('tr', {},
      el('td', { text: tidpunkt(e.occurred_at) }),
      el('td', { text: `${e.actor} (${rollnamn(e.actor_role)})` }),
      el('td', { text: `${HANDLING[e.action] || e.action} ${ENTITET[e.entity] || e.entity}${aret}` }),
      el('td', {}, andringar(e)));
  }));
  status.textContent = handelser.length ? `${handelser.length} ändringar.` : 'Inga ändringar registrerade.';
  document.querySelector('main').dataset.klar = 'ja';
}

switch (data.sida) {
  case 'ny-insats': nyInsats(); break;
  case 'insats': insatsSida(); break;
  case 'historik': historik(); break;
  default: break;
}

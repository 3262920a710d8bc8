// The state's money and the förbund's equity (admin, analyst): the ledger (table state-funds),
// equity against the recommendation (equity-by-forbund), the administration's share
// (administration-share), and for an admin the year's money settings
// (PUT /api/v1/money-settings/{year}). An empty field is not set (null): nothing is invented.
import {
  ansprak, api, beloppIn, beloppUt, data, dolInnehall, el, formstatus, kravInloggning, kronor, laddaNer, meddelande,
  rensaFel, tabellvarde, tal, visaFormfel, visaSidfel,
} from './finsam.js';

const ar = Number(data.ar);
const form = document.getElementById('ekonomi-form');

/// A percentage from the tables (27.5 → "27,5 %"); "–" when there is none.
function procent(v) {
  return v === null || v === undefined ? '–' : `${tal(v, 1)} %`;
}

/// The table's notes as text under it, so that a missing value says why it is missing.
function visaNoter(sektion, tabell) {
  const noter = Array.isArray(tabell.data_notes) ? tabell.data_notes : [];
  document.getElementById(`noter-${sektion}`).replaceChildren(...noter.map((n) => el('p', {
    class: 'hjalp', 'data-not': n.code, text: n.text_sv || n.code,
  })));
}

function harNot(tabell, kod) {
  return (tabell.data_notes || []).some((n) => n.code === kod);
}

function kategorier(tabell, dimension) {
  const d = tabell.dimensions.find((x) => x.id === dimension);
  return d ? d.categories : [];
}

// ---- the ledger -----------------------------------------------------------------------------

const POSTER = [
  ['frame', 'Ram'],
  ['national_support', 'Nationellt stöd'],
  ['paid_to_forbund', 'Utbetalt till förbunden'],
  ['national_support_spent', 'Använt nationellt stöd'],
  ['spent', 'Använt totalt'],
  ['unspent', 'Inte använt'],
];

/// Why a ledger value is missing, from the table's notes.
function saknas(tabell, matt) {
  if (matt === 'national_support_spent' && harNot(tabell, 'national_support_spent_not_set')) return 'Inte satt';
  if (harNot(tabell, 'allocation_not_decided') && matt !== 'national_support_spent') return 'Fördelningen är inte beslutad';
  if (harNot(tabell, 'national_support_spent_not_set')) return 'Inte satt';
  return '–';
}

function visaStatensMedel(tabell) {
  const rubriker = Object.fromEntries(kategorier(tabell, 'measure').map((c) => [c.code, c.label_sv]));
  document.querySelector('#tabell-statens-medel tbody').replaceChildren(...POSTER.map(([matt, namn]) => {
    const v = tabellvarde(tabell, { year: String(ar), measure: matt });
    return el('tr', { 'data-matt': matt },
      el('th', { scope: 'row', text: rubriker[matt] || namn }),
      el('td', { class: 'tal', 'data-varde': v === null ? '' : String(v), text: v === null ? saknas(tabell, matt) : kronor(v) }));
  }));
  visaNoter('statens-medel', tabell);
}

// ---- equity against the recommendation ------------------------------------------------------

const KOLUMNER = [
  ['contributions', kronor],
  ['allocation', kronor],
  ['closing', kronor],
  ['share_of_contributions', procent],
  ['share_of_allocation', procent],
  ['recommended_max_share', procent],
];

function bedomning(v) {
  if (v === null) return '–';
  return v > 0 ? 'Över' : 'Inom';
}

function egetKapitalRad(tabell, kategori, summa) {
  const v = (matt) => tabellvarde(tabell, { year: String(ar), forbund: kategori.code, measure: matt });
  const over = v('above_recommendation');
  const text = summa ? (over === null ? '–' : `${tal(over)} över`) : bedomning(over);
  return el('tr', { 'data-forbund': kategori.code },
    el('th', { scope: 'row', text: summa ? 'Totalt' : kategori.label_sv }),
    ...KOLUMNER.map(([matt, format]) => el('td', { class: 'tal', 'data-kolumn': matt, text: format(v(matt)) })),
    el('td', { 'data-kolumn': 'above_recommendation', text }));
}

function visaEgetKapital(tabell) {
  const alla = kategorier(tabell, 'forbund');
  const forbund = alla.filter((c) => c.code !== 'total');
  const over = (c) => (tabellvarde(tabell, { year: String(ar), forbund: c.code, measure: 'above_recommendation' }) > 0 ? 0 : 1);
  // Those above the recommendation first, the rest in the table's order.
  const ordnade = forbund.map((c, i) => [c, i]).sort((a, b) => over(a[0]) - over(b[0]) || a[1] - b[1]).map(([c]) => c);
  const tbody = document.querySelector('#tabell-eget-kapital tbody');
  tbody.replaceChildren(...ordnade.map((c) => egetKapitalRad(tabell, c, false)));
  if (ordnade.length === 0) {
    tbody.replaceChildren(el('tr', {}, el('td', { colspan: 8, text: 'Inga förbund har ekonomi registrerad för året.' })));
  }
  const total = alla.find((c) => c.code === 'total');
  document.querySelector('#tabell-eget-kapital tfoot').replaceChildren(...(total ? [egetKapitalRad(tabell, total, true)] : []));
  const ruta = document.getElementById('rekommendation');
  if (harNot(tabell, 'equity_recommendation_not_set')) {
    ruta.replaceChildren(meddelande('varning', `Det finns ingen rekommendation för eget kapital för ${ar}, `
      + 'så inget förbund bedöms mot den.'));
  } else {
    const antal = ordnade.filter((c) => over(c) === 0).length;
    ruta.replaceChildren(el('p', { id: 'antal-over', text: `${antal} av ${ordnade.length} förbund har eget kapital över rekommendationen.` }));
  }
  visaNoter('eget-kapital', tabell);
}

// ---- the administration's share ---------------------------------------------------------------

function visaAdministration(tabell, installningar) {
  const v = (matt) => tabellvarde(tabell, { year: String(ar), measure: matt });
  const rad = (avser, namn, delar) => el('tr', { 'data-avser': avser },
    el('th', { scope: 'row', text: namn }),
    el('td', { class: 'tal', 'data-kolumn': delar[0], text: kronor(v(delar[0])) }),
    el('td', { class: 'tal', 'data-kolumn': delar[1], text: kronor(v(delar[1])) }),
    el('td', { class: 'tal', 'data-kolumn': delar[2], text: procent(v(delar[2])) }));
  document.querySelector('#tabell-administration tbody').replaceChildren(
    rad('budget', 'Budget', ['administration_budget', 'insats_budget', 'share_of_budget']),
    rad('outcome', 'Utfall', ['administration_outcome', 'insats_outcome', 'share_of_outcome']));
  const grans = installningar && installningar.administration_share_limit_percent;
  document.getElementById('administrationsgrans').replaceChildren(el('p', {
    text: grans === null || grans === undefined
      ? `Ingen gräns för administrationens andel är satt för ${ar}.`
      : `Gränsen för administrationens andel är ${procent(grans)}.`,
  }));
  visaNoter('administration', tabell);
}

// ---- reading ------------------------------------------------------------------------------------

let installningar = null;

async function lasTabeller() {
  const [medel, kapital, administration] = await Promise.all(['state-funds', 'equity-by-forbund', 'administration-share']
    .map((t) => api('GET', `/api/v1/tables/${t}?year=${ar}`)));
  visaStatensMedel(medel);
  visaEgetKapital(kapital);
  visaAdministration(administration, installningar);
}

function nedladdningar() {
  document.querySelectorAll('button[data-format]').forEach((knapp) => {
    knapp.addEventListener('click', async () => {
      const { tabell, format } = knapp.dataset;
      const sektion = knapp.closest('section');
      let status = sektion.querySelector('.nedladdad');
      if (!status) {
        status = el('p', { class: 'nedladdad', role: 'status' });
        sektion.append(status);
      }
      knapp.disabled = true;
      try {
        const namn = await laddaNer(`/api/v1/tables/${tabell}?year=${ar}&format=${format}`, `${tabell}-${ar}.${format}`);
        status.replaceChildren(meddelande('ok', `Filen ${namn} är nedladdad.`));
      } catch (fel) {
        status.replaceChildren(meddelande('fel', fel.message));
      } finally {
        knapp.disabled = false;
      }
    });
  });
}

// ---- the settings (admin) -----------------------------------------------------------------------

/// The steps as typed: `{ upp: '5 000 000', hogst: '20' }`; the last has no limit.
let steg = [];

function lasStegFranFormularet() {
  steg = steg.map((s, i) => ({
    upp: document.getElementById(`f-steg-${i}-upp`)?.value ?? '',
    hogst: document.getElementById(`f-steg-${i}-hogst`)?.value ?? s.hogst,
  }));
}

function stegFalt(i, falt, etikett, varde) {
  const id = `f-steg-${i}-${falt === 'contributions_up_to' ? 'upp' : 'hogst'}`;
  return el('div', { class: 'falt', 'data-path': `/equity_recommendation/${i}/${falt}` },
    el('label', { for: id, text: etikett }),
    el('input', { id, type: 'text', inputmode: 'decimal', autocomplete: 'off', value: varde }));
}

function visaSteg() {
  const behallare = document.getElementById('steg');
  const sista = steg.length - 1;
  behallare.replaceChildren(...steg.map((s, i) => el('fieldset', { class: 'falt steg', 'data-path': `/equity_recommendation/${i}` },
    el('legend', { text: `Steg ${i + 1}` }),
    el('div', { class: 'rad' },
      i === sista
        ? el('p', { class: 'hjalp', text: sista === 0 ? 'Alla medlemsbidrag (ingen övre gräns).' : 'Medlemsbidrag över föregående steg (ingen övre gräns).' })
        : stegFalt(i, 'contributions_up_to', 'Medlemsbidrag upp till (kr)', s.upp),
      stegFalt(i, 'max_percent', 'Eget kapital högst (%)', s.hogst),
      el('div', { class: 'knappar' }, el('button', {
        type: 'button', class: 'knapp sekundar liten', 'data-ta-bort': String(i), text: `Ta bort steg ${i + 1}`,
      }))))));
  document.getElementById('inga-steg').hidden = steg.length > 0;
  behallare.querySelectorAll('button[data-ta-bort]').forEach((knapp) => knapp.addEventListener('click', () => {
    lasStegFranFormularet();
    steg.splice(Number(knapp.dataset.taBort), 1);
    if (steg.length > 0) steg[steg.length - 1].upp = '';
    visaSteg();
    document.getElementById('lagg-till-steg').focus();
  }));
}

function laggTillSteg() {
  lasStegFranFormularet();
  // A new step goes before the open-ended last one; the first one is the last.
  if (steg.length === 0) steg.push({ upp: '', hogst: '' });
  else steg.splice(steg.length - 1, 0, { upp: '', hogst: '' });
  visaSteg();
  const ny = Math.max(0, steg.length - 2);
  document.getElementById(steg.length === 1 ? 'f-steg-0-hogst' : `f-steg-${ny}-upp`).focus();
}

function fyllFormular(s) {
  steg = (s.equity_recommendation || []).map((x) => ({ upp: beloppUt(x.contributions_up_to), hogst: beloppUt(x.max_percent) }));
  visaSteg();
  document.getElementById('f-admin-limit').value = beloppUt(s.administration_share_limit_percent);
  document.getElementById('f-national-support-spent').value = beloppUt(s.national_support_spent);
}

/// The form as the API's body: an empty field is null (not set), no steps (or only empty ones) too.
function installningarIFormularet() {
  lasStegFranFormularet();
  const sista = steg.length - 1;
  const ifyllda = steg.some((s) => s.upp.trim() !== '' || s.hogst.trim() !== '');
  return {
    equity_recommendation: ifyllda
      ? steg.map((s, i) => ({ contributions_up_to: i === sista ? null : beloppIn(s.upp), max_percent: beloppIn(s.hogst) }))
      : null,
    administration_share_limit_percent: beloppIn(document.getElementById('f-admin-limit').value),
    national_support_spent: beloppIn(document.getElementById('f-national-support-spent').value),
  };
}

async function spara(h) {
  h.preventDefault();
  rensaFel(form);
  formstatus(form, 'varning', 'Sparar …');
  try {
    installningar = await api('PUT', `/api/v1/money-settings/${ar}`, { body: installningarIFormularet() });
    fyllFormular(installningar);
    await lasTabeller();
    formstatus(form, 'ok', `Inställningarna för ${ar} är sparade (version ${installningar.version}).`);
  } catch (fel) {
    visaFormfel(form, fel);
  }
}

async function sida() {
  if (!kravInloggning()) return dolInnehall();
  try {
    installningar = await api('GET', `/api/v1/money-settings/${ar}`);
    await lasTabeller();
  } catch (fel) {
    dolInnehall();
    return visaSidfel(fel);
  }
  nedladdningar();
  const claims = ansprak();
  if (claims && claims.role === 'admin') {
    fyllFormular(installningar);
    document.getElementById('lagg-till-steg').addEventListener('click', laggTillSteg);
    form.addEventListener('submit', spara);
    form.hidden = false;
  }
  document.querySelector('main').dataset.klar = 'ja';
}

sida();

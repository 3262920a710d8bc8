// The state's allocation of a year (admin, analyst): the decided parameters, a what-if form that
// calls POST /api/v1/allocations/{year}/calculate (stores nothing), the result per förbund with
// each förbund's explanation, and for an admin the decision (PUT /api/v1/allocations/{year}).
import {
  ansprak, api, beloppIn, beloppUt, data, dolInnehall, el, formstatus, kravInloggning, kronor, meddelande, rensaFel,
  tal, tidpunkt, visaFaltfel, visaFormfel, visaSidfel,
} from './finsam.js';

const ar = Number(data.ar);
const form = document.getElementById('fordelning-form');
const BELOPP = [['frame', 'f-frame'], ['national_support', 'f-national-support'], ['base_amount', 'f-base-amount']];
const ANDELAR = [['forsorjningsmatt_weight', 'f-forsorjningsmatt-weight'], ['population_weight', 'f-population-weight']];
const PARAMETRAR = ['frame', 'national_support', 'base_amount', 'forsorjningsmatt_weight', 'population_weight',
  'damping', 'equity_rule', 'statistics_year'];

const REGEL = {
  no_effect: 'Eget kapital påverkar inte skyddet',
  excluded_from_protection: 'Förbund med eget kapital över rekommendationen skyddas inte',
};

let forbundsnamn = {};
let kommunnamn = {};

/// A parameter's Swedish name, as its field's label says it (the form is the one source).
function parameternamn(namn) {
  const falt = form.querySelector(`[data-path="/${namn}"]`);
  const rubrik = falt && falt.querySelector(':scope > label, :scope > legend');
  return rubrik ? rubrik.textContent.trim() : namn;
}

/// A fraction from the API ("0.75") for a text field, Swedish style ("0,75").
function andelUt(v) {
  return v === null || v === undefined ? '' : String(v).replace('.', ',');
}

/// A fraction as percent: 0.0145 → "1,45 %".
function procent(v, decimaler = 1) {
  return v === null || v === undefined ? '–' : `${tal(Number(v) * 100, decimaler)} %`;
}

/// A count or measure: whole ones without decimals, a split municipality's part with one.
function matt(v) {
  return tal(v, Number.isInteger(Number(v)) ? 0 : 1);
}

function dampningstext(damping) {
  if (damping === 'none') return 'Ingen dämpning';
  if (damping && damping.max_fall !== undefined) return `Högst ${procent(damping.max_fall)} minskning mot föregående år`;
  return '–';
}

// ---- the decided parameters ---------------------------------------------------------------

function visaBeslut(beslut) {
  const ruta = document.getElementById('beslut-innehall');
  if (!beslut) {
    ruta.replaceChildren(
      meddelande('varning', `Fördelningen för ${ar} är inte beslutad.`,
        el('p', { text: 'Källorna ger inga standardvärden, så varje parameter måste sättas av en administratör. '
          + 'Inte satta:' }),
        el('ul', { id: 'saknade' }, PARAMETRAR.map((p) => el('li', { 'data-parameter': p, text: parameternamn(p) })))),
    );
    return;
  }
  const p = beslut.parameters;
  const rader = [
    ['frame', kronor(p.frame)],
    ['national_support', kronor(p.national_support)],
    ['base_amount', kronor(p.base_amount)],
    ['forsorjningsmatt_weight', andelUt(p.forsorjningsmatt_weight)],
    ['population_weight', andelUt(p.population_weight)],
    ['damping', dampningstext(p.damping)],
    ['equity_rule', p.equity_rule ? REGEL[p.equity_rule] || p.equity_rule : '–'],
    ['statistics_year', p.statistics_year ?? '–'],
  ];
  ruta.replaceChildren(
    el('dl', { id: 'beslutade' }, rader.flatMap(([namn, varde]) => [
      el('dt', { text: parameternamn(namn) }), el('dd', { 'data-parameter': namn, text: String(varde) })])),
    el('p', { class: 'hjalp', text: `Beslutad ${tidpunkt(beslut.decided_at)} (version ${beslut.version}).` }),
  );
}

function fyllFormular(p) {
  for (const [namn, id] of BELOPP) document.getElementById(id).value = beloppUt(p[namn]);
  for (const [namn, id] of ANDELAR) document.getElementById(id).value = andelUt(p[namn]);
  if (p.damping === 'none') document.getElementById('f-damping-none').checked = true;
  else if (p.damping && p.damping.max_fall !== undefined) {
    document.getElementById('f-damping-max-fall').checked = true;
    document.getElementById('f-max-fall').value = andelUt(p.damping.max_fall);
  }
  document.getElementById('f-equity-rule').value = p.equity_rule || '';
  document.getElementById('f-statistics-year').value = p.statistics_year ?? '';
}

/// The form as the API's body: an empty field is left out (the what-if then takes the decided value).
function parametrarIFormularet() {
  const body = {};
  for (const [namn, id] of [...BELOPP, ...ANDELAR]) {
    const v = beloppIn(document.getElementById(id).value);
    if (v !== null) body[namn] = v;
  }
  const dampning = form.querySelector('input[name="damping"]:checked');
  if (dampning && dampning.value === 'none') body.damping = 'none';
  if (dampning && dampning.value === 'max_fall') body.damping = { max_fall: beloppIn(document.getElementById('f-max-fall').value) };
  const regel = document.getElementById('f-equity-rule').value;
  if (regel) body.equity_rule = regel;
  const statistikar = document.getElementById('f-statistics-year').value.trim();
  if (statistikar) body.statistics_year = /^\d+$/.test(statistikar) ? Number(statistikar) : statistikar;
  return body;
}

// ---- the result ---------------------------------------------------------------------------

const SKYDD = {
  no_damping: () => 'Året har ingen dämpning.',
  no_previous_allocation: () => 'Ingen tilldelning föregående år, så inget golv för dämpningen.',
  excluded_for_equity: () => 'Eget kapital över rekommendationen: förbundet skyddas inte av dämpningen.',
  above_floor: (s) => `Skyddat av dämpningen; tilldelningen ligger över golvet ${kronor(s.floor)}.`,
  held_at_floor: (s) => `Skyddat av dämpningen och hållet vid golvet ${kronor(s.floor)}.`,
};

function forandringProcent(rad) {
  if (rad.change === null || rad.change === undefined || !Number(rad.previous_allocation)) return null;
  return Number(rad.change) / Number(rad.previous_allocation);
}

function forklaring(rad, fordelning) {
  const e = rad.explanation;
  const namn = forbundsnamn[rad.forbund_key] || rad.forbund_key;
  const skydd = (SKYDD[e.damping.status] || (() => e.damping.status))(e.damping);
  const id = `forklaring-${rad.forbund_key}`;
  return el('details', { class: 'forklaring-detaljer', id },
    el('summary', { text: `Så beräknades ${namn}` }),
    el('ul', {},
      el('li', { text: `Grundbelopp: ${kronor(rad.base)}.` }),
      el('li', { 'data-del': 'forsorjningsmatt', text: `Försörjningsmått: ${matt(e.forsorjningsmatt)} tkr, `
        + `${procent(e.forsorjningsmatt_share, 3)} av alla förbunds, av ${kronor(fordelning.by_forsorjningsmatt_total)} `
        + `ger ${kronor(rad.by_forsorjningsmatt)}.` }),
      el('li', { 'data-del': 'befolkning', text: `Invånare 16–64 år: ${matt(e.inhabitants_16_64)}, `
        + `${procent(e.population_share, 3)} av alla förbunds, av ${kronor(fordelning.by_population_total)} `
        + `ger ${kronor(rad.by_population)}.` }),
      el('li', { 'data-del': 'dampning', text: `${skydd} Justering: ${kronor(rad.damping_adjustment)}.` }),
      el('li', { text: `Totalt: ${kronor(rad.total)}.` })),
    el('table', { class: 'kommuner' },
      el('caption', { text: `Medlemskommuner i ${namn}` }),
      el('thead', {}, el('tr', {}, ['Kommun', 'Andel i förbundet', 'Invånare 16–64 år', 'Försörjningsmått (tkr)',
        'Räknade invånare', 'Räknat försörjningsmått (tkr)']
        .map((t, i) => el('th', { scope: 'col', class: i > 0 ? 'tal' : null, text: t })))),
      el('tbody', {}, e.municipalities.map((m) => el('tr', { 'data-kommun': m.municipality_code },
        el('th', { scope: 'row', text: `${kommunnamn[m.municipality_code] || ''} (${m.municipality_code})`.trim() }),
        el('td', { class: 'tal', text: tal(m.share, Number(m.share) === 1 ? 0 : 2) }),
        el('td', { class: 'tal', text: tal(m.inhabitants_16_64) }),
        el('td', { class: 'tal', text: matt(m.forsorjningsmatt) }),
        el('td', { class: 'tal', text: matt(m.counted_inhabitants_16_64) }),
        el('td', { class: 'tal', text: matt(m.counted_forsorjningsmatt) }))))));
}

const KOLUMNER = 10;

function visaResultat(svar, rubrik) {
  const f = svar.allocation;
  const rader = f.forbund;
  const tbody = document.querySelector('#fordelning tbody');
  tbody.replaceChildren(...rader.flatMap((rad) => {
    const namn = forbundsnamn[rad.forbund_key] || rad.forbund_key;
    const cell = (kolumn, text) => el('td', { class: 'tal', 'data-kolumn': kolumn, text });
    return [
      el('tr', { 'data-forbund': rad.forbund_key },
        el('th', { scope: 'row', text: namn }),
        cell('base', kronor(rad.base)),
        cell('by_forsorjningsmatt', kronor(rad.by_forsorjningsmatt)),
        cell('by_population', kronor(rad.by_population)),
        cell('damping_adjustment', kronor(rad.damping_adjustment)),
        cell('total', kronor(rad.total)),
        cell('previous_allocation', kronor(rad.previous_allocation)),
        cell('change', kronor(rad.change)),
        cell('change_percent', procent(forandringProcent(rad))),
        cell('share', procent(rad.share, 2))),
      el('tr', { class: 'forklaring-rad', 'data-forklaring': rad.forbund_key },
        el('td', { colspan: KOLUMNER }, forklaring(rad, f))),
    ];
  }));
  const summa = (falt) => rader.reduce((s, r) => s + Number(r[falt] ?? 0), 0);
  const harForegaende = rader.some((r) => r.previous_allocation !== null && r.previous_allocation !== undefined);
  const foregaende = harForegaende ? summa('previous_allocation') : null;
  const forandring = harForegaende ? summa('change') : null;
  const sum = (kolumn, text) => el('td', { class: 'tal', 'data-kolumn': kolumn, text });
  document.querySelector('#fordelning tfoot').replaceChildren(el('tr', { 'data-summa': 'ja' },
    el('th', { scope: 'row', text: 'Summa' }),
    sum('base', kronor(f.base_total)),
    sum('by_forsorjningsmatt', kronor(f.by_forsorjningsmatt_total)),
    sum('by_population', kronor(f.by_population_total)),
    sum('damping_adjustment', kronor(summa('damping_adjustment'))),
    sum('total', kronor(f.distributed)),
    sum('previous_allocation', kronor(foregaende)),
    sum('change', kronor(forandring)),
    sum('change_percent', procent(foregaende ? forandring / foregaende : null)),
    sum('share', procent(1, 2))));
  document.getElementById('fordelning-rubrik').textContent = rubrik;
  const p = f.parameters;
  const dampning = p.damping === 'none' ? 'ingen dämpning' : p.damping.floor
    ? `dämpning högst ${procent(p.damping.floor.max_fall)} minskning (${REGEL[p.damping.floor.equity_rule].toLowerCase()})`
    : '';
  document.getElementById('resultat-summa').replaceChildren(...[
    el('p', { id: 'fordelat', text: `Ram ${kronor(p.frame)} minus nationellt stöd ${kronor(p.national_support)}: `
      + `${kronor(f.distributed)} fördelas mellan ${rader.length} förbund. Grundbelopp ${kronor(p.base_amount)} per förbund; `
      + `resten ${procent(p.forsorjningsmatt_weight, 0)} efter försörjningsmått och ${procent(p.population_weight, 0)} `
      + `efter befolkning (statistik för ${p.statistics_year}); ${dampning}.` }),
    f.damping_cost && Number(f.damping_cost) > 0
      ? el('p', { text: `Dämpningen flyttade ${kronor(f.damping_cost)} till skyddade förbund.` }) : null,
    harForegaende ? null : el('p', { text: `Ingen fördelning är beslutad för ${ar - 1}: förändringen kan inte visas.` }),
  ].filter(Boolean));
  const sektion = document.getElementById('resultat');
  sektion.hidden = false;
}

// ---- what-if and decision -------------------------------------------------------------------

/// An API error for the form: the parameters' errors beside their fields, anything else as a message.
function visaFel(fel, rubrik) {
  if (fel.faltfel && fel.faltfel.length > 0) {
    visaFaltfel(form, fel.faltfel, rubrik);
    formstatus(form, 'fel', fel.message);
  } else {
    visaFormfel(form, fel);
  }
}

/// Calculates with the form's parameters; `beslutade` when the form holds the decision as read.
async function berakna(beslutade = false) {
  rensaFel(form);
  formstatus(form, 'varning', 'Beräknar …');
  try {
    const svar = await api('POST', `/api/v1/allocations/${ar}/calculate`, { body: parametrarIFormularet() });
    if (beslutade) {
      visaResultat(svar, `Fördelning ${ar} med de beslutade parametrarna`);
      formstatus(form, 'ok', 'Beräknat med årets beslut.');
    } else {
      visaResultat(svar, `Prövad fördelning ${ar} (inte beslutad)`);
      formstatus(form, 'ok', 'Beräknat. Prövningen är inte sparad.');
    }
  } catch (fel) {
    visaFel(fel, 'Rätta följande innan du beräknar');
  }
}

function besluta() {
  const dialog = document.getElementById('bekrafta');
  document.getElementById('text-bekrafta').textContent = `Fördelningen för ${ar} beslutas med parametrarna i `
    + 'formuläret och ersätter ett tidigare beslut. Beslutet loggas.';
  dialog.showModal();
}

async function bekraftaBeslut() {
  const dialog = document.getElementById('bekrafta');
  dialog.close();
  rensaFel(form);
  formstatus(form, 'varning', 'Beslutar …');
  try {
    const svar = await api('PUT', `/api/v1/allocations/${ar}`, { body: parametrarIFormularet() });
    visaBeslut(svar);
    visaResultat(svar, `Beslutad fördelning ${ar}`);
    formstatus(form, 'ok', `Fördelningen för ${ar} är beslutad (version ${svar.version}).`);
  } catch (fel) {
    visaFel(fel, 'Rätta följande innan du beslutar');
  }
}

async function sida() {
  if (!kravInloggning()) return dolInnehall();
  let beslut = null;
  try {
    beslut = await api('GET', `/api/v1/allocations/${ar}`);
  } catch (fel) {
    if (fel.status !== 404) {
      dolInnehall();
      return visaSidfel(fel);
    }
  }
  try {
    const [forbund, kommuner] = await Promise.all([
      api('GET', `/api/v1/forbund?year=${ar}`), api('GET', '/api/v1/municipalities')]);
    forbundsnamn = Object.fromEntries(forbund.map((f) => [f.forbund_key, f.name]));
    kommunnamn = Object.fromEntries(kommuner.map((k) => [k.code, k.name]));
  } catch {
    /* the keys and codes are shown instead of names */
  }
  visaBeslut(beslut);
  if (beslut) fyllFormular(beslut.parameters);
  form.addEventListener('submit', (h) => {
    h.preventDefault();
    berakna();
  });
  const claims = ansprak();
  if (claims && claims.role === 'admin') {
    const knapp = document.getElementById('besluta');
    knapp.hidden = false;
    knapp.addEventListener('click', besluta);
    document.getElementById('bekrafta-ja').addEventListener('click', bekraftaBeslut);
    document.getElementById('bekrafta-nej').addEventListener('click', () => document.getElementById('bekrafta').close());
  }
  if (beslut) await berakna(true);
  document.querySelector('main').dataset.klar = 'ja';
}

sida();

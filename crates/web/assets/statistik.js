// The public statistics page: one open table at a time, from the PxWeb API (/api/v2) only and
// always without a token (the published, disclosure-controlled figures, whoever looks). The
// table list, then the table's metadata (JSON-stat 2.0 without values) for the pickers, then the
// selected cells (json-stat2) for a chart and a table; the same selection as a file to download.
import { el, meddelande, sparaSvar, tal } from './finsam.js';
import { FELTEXT } from './meddelanden.js';
import { staplar } from './diagram.js';

const BAS = '/api/v2';
const SPRAK = 'lang=sv';
const sida = document.querySelector('main');
const form = document.getElementById('urval');
const tabellval = document.getElementById('f-tabell');
const variabler = document.getElementById('variabler');
const statusruta = document.getElementById('statistik-status');
const felruta = document.getElementById('statistik-fel');
const resultat = document.getElementById('resultat');

/// What the page knows of the chosen table: its id, the variables from its metadata, and the
/// selection last shown (for the downloads).
const lage = { tabell: null, variabler: [], visat: null, visningar: 0 };

// ---- the API -----------------------------------------------------------------------------

class StatistikFel extends Error {
  constructor(status, problem) {
    super(feltext(status, problem));
    this.status = status;
    this.problem = problem || {};
  }
}

/// The Swedish sentence for an error of the PxWeb API (problem+json); the service's own words
/// (`detail`) are shown beside it.
function feltext(status, problem) {
  if (problem && problem.code && FELTEXT[problem.code]) return FELTEXT[problem.code];
  if (status === 0) return 'Tjänsten svarar inte. Kontrollera anslutningen och försök igen.';
  if (status === 400) return 'Urvalet gick inte att hämta. Ändra urvalet och försök igen.';
  if (status === 403) return 'Urvalet är för stort. Välj färre år, regioner eller värden och försök igen.';
  if (status === 404) return 'Tabellen eller något av de valda värdena finns inte.';
  if (status === 429) return FELTEXT.rate_limited || 'Tjänsten får för många anrop just nu. Vänta en stund och försök igen.';
  if (status >= 500) return FELTEXT.internal || 'Något gick fel i tjänsten. Försök igen senare.';
  return `Oväntat svar från tjänsten (${status}).`;
}

/// A call to the PxWeb API, with no token and no cookie: the open statistics. JSON back, or
/// the Response itself for a file.
async function anropa(method, path, { body, fil = false } = {}) {
  const headers = { Accept: fil ? '*/*' : 'application/json' };
  let data;
  if (body !== undefined) {
    data = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  let svar;
  try {
    svar = await fetch(path, { method, headers, body: data, credentials: 'omit', cache: 'no-store' });
  } catch {
    throw new StatistikFel(0, null);
  }
  if (!svar.ok) {
    let problem = null;
    try {
      problem = await svar.json();
    } catch {
      /* not JSON */
    }
    throw new StatistikFel(svar.status, problem);
  }
  return fil ? svar : svar.json();
}

function visaFel(fel) {
  const extra = [];
  const problem = fel instanceof StatistikFel ? fel.problem : {};
  if (problem.detail) extra.push(el('p', { class: 'hjalp', text: `Tjänstens svar: ${problem.detail}` }));
  const detaljer = Array.isArray(problem.errors) ? problem.errors.map((e) => e.detail || e.message).filter(Boolean) : [];
  if (detaljer.length) extra.push(el('ul', { class: 'hjalp' }, detaljer.map((d) => el('li', { text: d }))));
  felruta.replaceChildren(meddelande('fel', fel.message || String(fel), ...extra));
  statusruta.replaceChildren();
}

function rensaFel() {
  felruta.replaceChildren();
}

function status(text) {
  statusruta.replaceChildren(el('p', { text }));
}

// ---- JSON-stat 2.0 -----------------------------------------------------------------------

/// A dimension's categories in their order: {kod, namn, enhet}.
function kategorier(dim) {
  const { index, label = {}, unit = {} } = dim.category || {};
  let koder;
  if (Array.isArray(index)) koder = index;
  else if (index) koder = Object.keys(index).sort((a, b) => index[a] - index[b]);
  else koder = Object.keys(label);
  return koder.map((kod) => ({ kod, namn: label[kod] ?? kod, enhet: unit[kod] || null }));
}

/// The variables of a dataset, in its order, each with its role on the page.
function dimensioner(ds) {
  const roll = ds.role || {};
  const tid = (roll.time || ['year'])[0];
  const geo = (roll.geo || ['region'])[0];
  const matt = (roll.metric || ['measure'])[0];
  return ds.id.map((id) => {
    const dim = ds.dimension[id];
    const typ = id === tid ? 'tid' : id === geo ? 'region' : id === matt ? 'matt' : 'egen';
    return { id, namn: dim.label || id, typ, kategorier: kategorier(dim) };
  });
}

function cellvarde(ds, i) {
  const v = Array.isArray(ds.value) ? ds.value[i] : (ds.value || {})[String(i)];
  return v === null || v === undefined ? null : Number(v);
}

function cellstatus(ds, i) {
  const st = ds.status;
  if (!st) return null;
  if (typeof st === 'string') return st;
  if (Array.isArray(st)) return st[i] ?? null;
  return st[String(i)] ?? null;
}

/// The cell of a dataset for one code per dimension: its value and status.
function cell(ds, dims, koder) {
  let index = 0;
  for (const [n, d] of dims.entries()) {
    const pos = d.kategorier.findIndex((k) => k.kod === koder[d.id]);
    if (pos < 0) return { varde: null, status: '..' };
    index = index * ds.size[n] + pos;
  }
  return { varde: cellvarde(ds, index), status: cellstatus(ds, index) };
}

function kombinationer(listor) {
  return listor.reduce((acc, lista) => acc.flatMap((a) => lista.map((x) => [...a, x])), [[]]);
}

/// Swedish numbers: space groups, decimal comma, the unit's decimals; percent and kronor marked.
function formaterare(enhet) {
  const text = `${(enhet && (enhet.label || enhet.base || enhet.symbol)) || ''}`.toLowerCase();
  const suffix = /procent|percent|%/.test(text) ? ' %' : /kronor|sek|kr\b/.test(text) ? ' kr' : '';
  return (v) => {
    const decimaler = enhet && Number.isInteger(enhet.decimals) ? enhet.decimals : (Number.isInteger(v) ? 0 : 2);
    return `${tal(v, decimaler)}${suffix}`;
  };
}

/// What a cell without a value stands for.
function tomtCell(st) {
  if (st === '.') return { tecken: '.', text: 'Värdet är skyddat (röjandekontroll)' };
  return { tecken: '..', text: 'uppgift saknas' };
}

// ---- the pickers -------------------------------------------------------------------------

function regionniva(kod) {
  if (kod === '00') return 'Riket';
  if (/^\d{2}$/.test(kod)) return 'Län';
  return 'Samordningsförbund';
}

function kryssruta(v, k, n, ikryssad) {
  const id = `f-${v.id}-${n}`;
  return el('div', { class: 'kryss' },
    el('input', { type: 'checkbox', id, name: v.id, value: k.kod, checked: ikryssad }),
    el('label', { for: id, text: k.namn }));
}

function kryssgrupp(v, rubrik, ikryssad, hjalp) {
  const hid = `h-${v.id}`;
  return el('fieldset', { class: 'falt', 'data-variabel': v.id, 'aria-describedby': hjalp ? hid : null },
    el('legend', { text: rubrik }),
    hjalp ? el('p', { class: 'hjalp', id: hid, text: hjalp }) : null,
    el('div', { class: 'kryssrutor' }, v.kategorier.map((k, n) => kryssruta(v, k, n, ikryssad(k, n)))));
}

function regionval(v) {
  const grupper = ['Riket', 'Län', 'Samordningsförbund']
    .map((niva) => [niva, v.kategorier.filter((k) => regionniva(k.kod) === niva)])
    .filter(([, lista]) => lista.length);
  const standard = v.kategorier.some((k) => k.kod === '00') ? '00' : v.kategorier[0]?.kod;
  return el('div', { class: 'falt', 'data-variabel': v.id },
    el('label', { for: `f-${v.id}`, text: v.namn }),
    el('p', { class: 'hjalp', id: `h-${v.id}`, text: 'Välj en eller flera: hela riket, län eller samordningsförbund. Håll ned Ctrl (Cmd på Mac) för att välja flera.' }),
    el('select', { id: `f-${v.id}`, name: v.id, multiple: true, size: 10, 'aria-describedby': `h-${v.id}` },
      grupper.map(([niva, lista]) => el('optgroup', { label: niva },
        lista.map((k) => el('option', { value: k.kod, text: k.namn, selected: k.kod === standard }))))));
}

function byggVal(meta) {
  const dims = dimensioner(meta);
  lage.variabler = dims;
  const delar = [];
  for (const v of dims) {
    if (v.typ === 'tid') {
      const sista = v.kategorier.length - 1;
      delar.push(kryssgrupp(v, v.namn, (k, n) => n === sista));
    } else if (v.typ === 'region') {
      delar.push(regionval(v));
    } else if (v.typ === 'egen') {
      delar.push(kryssgrupp(v, v.namn, () => true));
    }
  }
  const matt = dims.find((v) => v.typ === 'matt');
  if (matt) {
    delar.push(kryssgrupp(matt, `${matt.namn} i tabellen`, () => true));
    delar.push(el('div', { class: 'falt', 'data-variabel': `${matt.id}-diagram` },
      el('label', { for: 'f-diagrammatt', text: `${matt.namn} i diagrammet` }),
      el('select', { id: 'f-diagrammatt', name: 'diagrammatt' },
        matt.kategorier.map((k) => el('option', { value: k.kod, text: k.namn })))));
  }
  variabler.replaceChildren(...delar);
}

/// The codes chosen for a variable, in the variable's order (the API judges any it does not know).
function valda(v) {
  const valt = v.typ === 'region'
    ? [...document.getElementById(`f-${v.id}`).selectedOptions].map((o) => o.value)
    : [...form.querySelectorAll(`fieldset[data-variabel="${CSS.escape(v.id)}"] input:checked`)].map((i) => i.value);
  const plats = (kod) => {
    const n = v.kategorier.findIndex((k) => k.kod === kod);
    return n < 0 ? v.kategorier.length : n;
  };
  return valt.sort((a, b) => plats(a) - plats(b));
}

function urval() {
  const diagrammatt = document.getElementById('f-diagrammatt')?.value;
  const saknas = [];
  const selection = lage.variabler.map((v) => {
    let koder = valda(v);
    // The chart's measure is in the table too.
    if (v.typ === 'matt' && diagrammatt && !koder.includes(diagrammatt)) {
      const ruta = form.querySelector(`fieldset[data-variabel="${CSS.escape(v.id)}"] input[value="${CSS.escape(diagrammatt)}"]`);
      if (ruta) ruta.checked = true;
      koder = valda(v);
    }
    if (koder.length === 0) saknas.push(v.namn);
    return { variableCode: v.id, valueCodes: koder };
  });
  return { selection, saknas, diagrammatt };
}

// ---- the chart and the table -------------------------------------------------------------

function radnyckel(dims, rad) {
  return dims.map((d, i) => `${d.id}=${rad[i].kod}`).join(';');
}

function visaTabell(ds, dims, beskrivning) {
  const matt = dims.find((d) => d.typ === 'matt');
  const radDims = dims.filter((d) => d !== matt);
  const rader = kombinationer(radDims.map((d) => d.kategorier));
  const kolumner = matt ? matt.kategorier : [{ kod: null, namn: 'Värde', enhet: null }];
  const format = new Map(kolumner.map((m) => [m.kod, formaterare(m.enhet)]));
  // A column for each variable with more than one value chosen (the others are in the caption).
  const varierar = radDims.filter((d) => d.kategorier.length > 1);
  const visas = varierar.length ? varierar : radDims;
  const huvud = el('tr', {},
    visas.map((d) => el('th', { scope: 'col', text: d.namn })),
    kolumner.map((m) => el('th', { scope: 'col', class: 'tal', text: m.namn })));
  const kropp = rader.map((rad) => {
    const koder = Object.fromEntries(radDims.map((d, i) => [d.id, rad[i].kod]));
    const celler = visas.map((d, i) => {
      const k = rad[radDims.indexOf(d)];
      return el(i === 0 ? 'th' : 'td', i === 0 ? { scope: 'row', text: k.namn } : { text: k.namn });
    });
    const varden = kolumner.map((m) => {
      const c = cell(ds, dims, matt ? { ...koder, [matt.id]: m.kod } : koder);
      if (c.varde === null) {
        const tom = tomtCell(c.status);
        return el('td', { class: 'tal', 'data-matt': m.kod, 'data-varde': '', 'data-status': tom.tecken },
          el('span', { 'aria-hidden': 'true', text: tom.tecken }), el('span', { class: 'visuellt-dold', text: tom.text }));
      }
      return el('td', { class: 'tal', 'data-matt': m.kod, 'data-varde': c.varde, 'data-status': c.status || null, text: format.get(m.kod)(c.varde) });
    });
    return el('tr', { 'data-rad': radnyckel(radDims, rad) }, ...celler, ...varden);
  });
  const tabell = el('table', { id: 'statistiktabell', 'data-tabell': lage.tabell, 'aria-describedby': 'teckenforklaring' },
    el('caption', { text: `${ds.label || lage.tabell}: ${beskrivning}` }),
    el('thead', {}, huvud),
    el('tbody', {}, kropp));
  document.getElementById('tabell').replaceChildren(tabell);
}

function visaDiagram(ds, dims, mattkod, beskrivning) {
  const matt = dims.find((d) => d.typ === 'matt');
  const mattet = matt ? matt.kategorier.find((k) => k.kod === mattkod) || matt.kategorier[0] : null;
  const ovriga = dims.filter((d) => d !== matt);
  const varierar = ovriga.filter((d) => d.kategorier.length > 1);
  // A series per value of the last varying variable when there are few (the chart has four
  // colours), else one series: the measure.
  const sista = varierar[varierar.length - 1];
  const serieDim = varierar.length >= 2 && sista.kategorier.length <= 4 ? sista : null;
  const kategoriDims = varierar.filter((d) => d !== serieDim);
  const serier = serieDim
    ? serieDim.kategorier.map((k) => ({ kod: `${serieDim.id}=${k.kod}`, namn: k.namn, k }))
    : [{ kod: matt ? `${matt.id}=${mattet.kod}` : 'varde', namn: mattet ? mattet.namn : 'Värde', k: null }];
  const fasta = Object.fromEntries(ovriga.filter((d) => d.kategorier.length === 1).map((d) => [d.id, d.kategorier[0].kod]));
  const rader = kategoriDims.length ? kombinationer(kategoriDims.map((d) => d.kategorier)) : [[]];
  const celler = [];
  const kategorier = rader.map((rad, i) => {
    celler[i] = [];
    const koder = { ...fasta, ...Object.fromEntries(kategoriDims.map((d, n) => [d.id, rad[n].kod])) };
    if (matt) koder[matt.id] = mattet.kod;
    return {
      kod: radnyckel(kategoriDims, rad),
      namn: rad.length ? rad.map((k) => k.namn).join(', ') : ovriga.map((d) => d.kategorier[0].namn).join(', '),
      varden: serier.map((sr, j) => {
        const c = cell(ds, dims, sr.k ? { ...koder, [serieDim.id]: sr.k.kod } : koder);
        celler[i][j] = c;
        return c.varde;
      }),
    };
  });
  const format = formaterare(mattet && mattet.enhet);
  const fastText = ovriga.filter((d) => d.kategorier.length === 1).map((d) => d.kategorier[0].namn).join(', ');
  const titel = `${ds.label || lage.tabell}: ${mattet ? mattet.namn.toLowerCase() : 'värde'}${fastText ? `, ${fastText}` : ''}`;
  document.getElementById('diagram-text').textContent =
    `Diagrammet visar ${mattet ? mattet.namn.toLowerCase() : 'värdet'} för ${beskrivning}. Samma värden står i tabellen nedan; `
    + 'en punkt (.) betyder att värdet är skyddat, två punkter (..) att uppgift saknas.';
  staplar(document.getElementById('diagram'), {
    id: lage.tabell,
    titel,
    format,
    serier: serier.map(({ kod, namn }) => ({ kod, namn })),
    kategorier,
    tom: (i, j) => tomtCell(celler[i][j].status),
  });
}

/// The selection in words: each variable with more than its one value shown by name.
function urvalstext(dims) {
  return dims.filter((d) => d.typ !== 'matt').map((d) => {
    const namn = d.kategorier.map((k) => k.namn);
    return namn.length <= 3 ? namn.join(', ') : `${d.namn} (${namn.length} värden)`;
  }).join('; ');
}

async function visa() {
  rensaFel();
  const { selection, saknas, diagrammatt } = urval();
  if (saknas.length) {
    felruta.replaceChildren(meddelande('fel', `Välj minst ett värde för: ${saknas.join(', ')}.`));
    return;
  }
  const knapp = document.getElementById('visa');
  knapp.disabled = true;
  status('Hämtar statistiken …');
  try {
    const body = { selection };
    const ds = await anropa('POST', `${BAS}/tables/${encodeURIComponent(lage.tabell)}/data?${SPRAK}`, { body });
    const dims = dimensioner(ds);
    const beskrivning = urvalstext(dims);
    visaTabell(ds, dims, beskrivning);
    visaDiagram(ds, dims, diagrammatt, beskrivning);
    document.getElementById('resultat-urval').textContent = `Urval: ${beskrivning}.`;
    const skyddade = document.querySelectorAll('#statistiktabell td[data-status="."]').length;
    resultat.hidden = false;
    lage.visat = body;
    lage.visningar += 1;
    sida.dataset.visningar = String(lage.visningar);
    const antal = document.querySelectorAll('#statistiktabell td[data-matt]').length;
    status(`Visar ${antal} ${antal === 1 ? 'värde' : 'värden'}${skyddade ? `, varav ${skyddade} skyddade` : ''}.`);
  } catch (fel) {
    visaFel(fel);
  } finally {
    knapp.disabled = false;
  }
}

// ---- downloads ---------------------------------------------------------------------------

function nedladdningar() {
  resultat.querySelectorAll('button[data-format]').forEach((knapp) => {
    knapp.addEventListener('click', async () => {
      const ruta = document.getElementById('nedladdning-status');
      if (!lage.visat) return;
      const { format, filandelse } = knapp.dataset;
      knapp.disabled = true;
      try {
        const path = `${BAS}/tables/${encodeURIComponent(lage.tabell)}/data?${SPRAK}&outputFormat=${encodeURIComponent(format)}`;
        const svar = await anropa('POST', path, { body: lage.visat, fil: true });
        const namn = await sparaSvar(svar, `${lage.tabell}.${filandelse}`);
        ruta.replaceChildren(meddelande('ok', `Filen ${namn} är nedladdad.`));
      } catch (fel) {
        ruta.replaceChildren();
        visaFel(fel);
      } finally {
        knapp.disabled = false;
      }
    });
  });
}

// ---- the table list ----------------------------------------------------------------------

async function allaTabeller() {
  const tabeller = [];
  for (let sidnr = 1; ; sidnr += 1) {
    const svar = await anropa('GET', `${BAS}/tables?${SPRAK}&pageSize=100&pageNumber=${sidnr}`);
    tabeller.push(...(svar.tables || []));
    const sidor = (svar.page && svar.page.totalPages) || 1;
    if (sidnr >= sidor || sidnr >= 20) return tabeller;
  }
}

function period(t) {
  if (!t.firstPeriod && !t.lastPeriod) return '';
  return t.firstPeriod && t.firstPeriod !== t.lastPeriod ? ` (${t.firstPeriod}–${t.lastPeriod})` : ` (${t.lastPeriod || t.firstPeriod})`;
}

async function valjTabell(id) {
  rensaFel();
  resultat.hidden = true;
  lage.visat = null;
  lage.tabell = id || null;
  document.getElementById('visa').disabled = true;
  variabler.replaceChildren();
  const url = new URL(location.href);
  if (id) url.searchParams.set('tabell', id);
  else url.searchParams.delete('tabell');
  history.replaceState(null, '', url);
  if (!id) return;
  status('Hämtar tabellens variabler …');
  try {
    const meta = await anropa('GET', `${BAS}/tables/${encodeURIComponent(id)}/metadata?${SPRAK}`);
    if (lage.tabell !== id) return;
    byggVal(meta);
    document.getElementById('visa').disabled = false;
    status('Välj år, region och värden, och tryck på Visa.');
  } catch (fel) {
    visaFel(fel);
  }
}

async function start() {
  let tabeller;
  try {
    tabeller = await allaTabeller();
  } catch (fel) {
    tabellval.replaceChildren(el('option', { value: '', text: 'Inga tabeller' }));
    visaFel(fel);
    sida.dataset.klar = 'ja';
    return;
  }
  tabellval.replaceChildren(
    el('option', { value: '', text: tabeller.length ? 'Välj en tabell' : 'Ingen statistik är publicerad ännu' }),
    ...tabeller.map((t) => el('option', { value: t.id, text: `${t.label}${period(t)}` })),
  );
  tabellval.addEventListener('change', () => valjTabell(tabellval.value));
  form.addEventListener('submit', (h) => {
    h.preventDefault();
    if (lage.tabell) visa();
  });
  nedladdningar();
  const onskad = new URLSearchParams(location.search).get('tabell');
  if (onskad && tabeller.some((t) => t.id === onskad)) {
    tabellval.value = onskad;
    await valjTabell(onskad);
  } else {
    status(tabeller.length ? `${tabeller.length} tabeller. Välj en.` : 'Ingen statistik är publicerad ännu.');
  }
  sida.dataset.klar = 'ja';
}

start();

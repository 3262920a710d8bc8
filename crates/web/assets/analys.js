// Analysts' pages: the national dashboard (every table, charts, downloads), completeness and
// data quality, each for a year and optionally a county or a förbund.
import {
  api, data, dolInnehall, el, koder, kravInloggning, laddaNer, meddelande, tabellvarde, tal, tidpunkt, visaSidfel,
} from './finsam.js';
import { KVALITET, LAGE } from './meddelanden.js';
import { staplar } from './diagram.js';

const ar = Number(data.ar);
const sok = new URLSearchParams(location.search);
const urval = { lan: sok.get('lan') || '', forbund: sok.get('forbund') || '' };
let lan = [];
let forbundLista = [];

/// The API's selection: a förbund is narrower than a county and wins.
function urvalParametrar() {
  if (urval.forbund) return `&forbund=${encodeURIComponent(urval.forbund)}`;
  if (urval.lan) return `&county=${encodeURIComponent(urval.lan)}`;
  return '';
}

function iUrvalet(forbundKey) {
  if (urval.forbund) return forbundKey === urval.forbund;
  if (urval.lan) {
    const f = forbundLista.find((x) => x.forbund_key === forbundKey);
    return Boolean(f && f.county_codes.includes(urval.lan));
  }
  return true;
}

function forbundsnamn(key) {
  const f = forbundLista.find((x) => x.forbund_key === key);
  return f ? f.name : key;
}

async function fyllUrval() {
  [lan, forbundLista] = await Promise.all([api('GET', '/api/v1/counties'), api('GET', `/api/v1/forbund?year=${ar}`)]);
  const lanVal = document.getElementById('f-lan');
  lanVal.append(...lan.map((l) => el('option', { value: l.code, text: l.name })));
  lanVal.value = urval.lan;
  const fVal = document.getElementById('f-forbund');
  const fyllForbund = () => {
    const valt = lanVal.value;
    const behall = fVal.value;
    fVal.replaceChildren(el('option', { value: '', text: 'Alla förbund' }),
      ...forbundLista.filter((f) => !valt || f.county_codes.includes(valt))
        .map((f) => el('option', { value: f.forbund_key, text: f.name })));
    fVal.value = [...fVal.options].some((o) => o.value === behall) ? behall : '';
  };
  if (fVal) {
    fVal.value = '';
    fyllForbund();
    fVal.value = [...fVal.options].some((o) => o.value === urval.forbund) ? urval.forbund : '';
    lanVal.addEventListener('change', fyllForbund);
  }
  document.getElementById('urval').addEventListener('submit', (h) => {
    h.preventDefault();
    const y = Number(document.getElementById('f-ar').value) || ar;
    const q = new URLSearchParams();
    if (lanVal.value) q.set('lan', lanVal.value);
    if (fVal && fVal.value) q.set('forbund', fVal.value);
    const del = location.pathname.split('/').slice(3).join('/');
    const query = q.toString();
    location.assign(`/analys/${y}${del ? `/${del}` : ''}${query ? `?${query}` : ''}`);
  });
  const text = urval.forbund ? forbundsnamn(urval.forbund)
    : urval.lan ? (lan.find((l) => l.code === urval.lan) || { name: urval.lan }).name : 'Hela landet';
  document.getElementById('urval-text').textContent = `Visar ${ar}: ${text}.`;
}

// ---- tables -------------------------------------------------------------------------------

function enhet(kategori) {
  return (kategori && kategori.unit) || { label: 'count', decimals: 0 };
}

function formatera(v, u) {
  if (v === null || v === undefined) return '–';
  if (u.label === 'percent') return `${tal(v, 1)} %`;
  if (u.label === 'SEK') return `${tal(v, 0)} kr`;
  return tal(v, u.decimals || 0);
}

function mnkr(v) {
  return `${tal(v / 1e6, 1)} mnkr`;
}

function kombinationer(listor) {
  return listor.reduce((acc, lista) => acc.flatMap((a) => lista.map((x) => [...a, x])), [[]]);
}

/// Any table of the API as an HTML table: a row per combination of the dimensions between year
/// and measure, a column per measure (per year and measure for a series).
function htmlTabell(t) {
  const dims = t.dimensions;
  const arDim = dims[0];
  const matt = dims[dims.length - 1];
  const mitt = dims.slice(1, -1);
  const kolumner = kombinationer([arDim.categories, matt.categories]);
  const flerAr = arDim.categories.length > 1;
  const rader = mitt.length ? kombinationer(mitt.map((d) => d.categories)) : [[]];
  const huvud = [
    ...(mitt.length ? mitt.map((d) => el('th', { scope: 'col', text: d.label_sv })) : [el('th', { scope: 'col', text: 'År' })]),
    ...kolumner.map(([a, m]) => el('th', { scope: 'col', class: 'tal', text: flerAr ? `${a.label_sv} ${m.label_sv}` : m.label_sv })),
  ];
  const kropp = rader.map((rad) => {
    const celler = mitt.length
      ? rad.map((c, i) => el(i === 0 ? 'th' : 'td', i === 0 ? { scope: 'row', text: c.label_sv } : { text: c.label_sv }))
      : [el('th', { scope: 'row', text: arDim.categories.map((c) => c.label_sv).join('–') })];
    const varden = kolumner.map(([a, m]) => {
      const cellkoder = { [arDim.id]: a.code, [matt.id]: m.code };
      mitt.forEach((d, i) => { cellkoder[d.id] = rad[i].code; });
      const v = tabellvarde(t, cellkoder);
      return el('td', { class: 'tal', 'data-varde': v ?? '', text: formatera(v, enhet(m)) });
    });
    return el('tr', {}, ...celler, ...varden);
  });
  return el('table', { 'data-tabell': t.id },
    el('caption', { text: t.title }),
    el('thead', {}, el('tr', {}, huvud)),
    el('tbody', {}, kropp));
}

/// The figures of one chart: categories of one dimension (without totals), a series per code of
/// another, the remaining dimensions fixed.
function diagramdata(t, kategoriDim, serieDim, serieKoder, fast = {}) {
  const dim = (id) => t.dimensions.find((d) => d.id === id);
  const serier = dim(serieDim).categories.filter((c) => serieKoder.includes(c.code));
  const kategorier = dim(kategoriDim).categories.filter((c) => c.code !== 'total');
  return {
    serier: serier.map((c) => ({ kod: c.code, namn: c.label_sv })),
    kategorier: kategorier.map((k) => ({
      kod: k.code,
      namn: k.label_sv,
      varden: serier.map((sr) => tabellvarde(t, { year: String(ar), ...fast, [kategoriDim]: k.code, [serieDim]: sr.code })),
    })),
  };
}

// A series per gender, from the page's code lists.
const KON = Object.keys(koder.gender || {});

const DIAGRAM = {
  'insatser-by-kind': (t) => ({ titel: 'Antal insatser per typ', format: (v) => tal(v), ...diagramdata(t, 'kind', 'measure', ['insatser']) }),
  'individual-insatser': (t) => ({
    titel: 'Antal individinriktade insatser per preciserad inriktning', format: (v) => tal(v),
    ...diagramdata(t, 'orientation', 'measure', ['insatser']),
  }),
  'individual-participants': (t) => ({
    titel: 'Deltagare per inriktning, kvinnor och män', format: (v) => tal(v),
    ...diagramdata(t, 'orientation', 'gender', KON, { measure: 'participants' }),
  }),
  'structural-insatser': (t) => ({
    titel: 'Antal strukturövergripande insatser per preciserad inriktning', format: (v) => tal(v),
    ...diagramdata(t, 'orientation', 'measure', ['insatser']),
  }),
  'target-groups': (t) => ({ titel: 'Individinriktade insatser per målgrupp', format: (v) => tal(v), ...diagramdata(t, 'target_group', 'measure', ['insatser']) }),
  costs: (t) => ({ titel: 'Kostnader: budget och utfall per post', format: mnkr, ...diagramdata(t, 'item', 'measure', ['budget', 'outcome']) }),
  contributions: (t) => ({ titel: 'Medlemsbidrag per part', format: mnkr, ...diagramdata(t, 'party', 'measure', ['amount']) }),
  exits: (t) => ({ titel: 'Avslut per orsak, kvinnor och män', format: (v) => tal(v), ...diagramdata(t, 'reason', 'gender', KON, { measure: 'exits' }) }),
};

async function eqvitetsserie(behallare) {
  const fran = ar - 9;
  const t = await api('GET', `/api/v1/tables/equity?from=${fran}&to=${ar}${urvalParametrar()}`);
  const matt = t.dimensions[t.dimensions.length - 1].categories.filter((c) => c.code === 'closing' || c.code === 'result');
  const aren = t.dimensions[0].categories;
  staplar(behallare, {
    id: 'equity-series',
    titel: `Eget kapital ${fran}–${ar}: utgående eget kapital och årets resultat`,
    format: mnkr,
    serier: matt.map((m) => ({ kod: m.code, namn: m.label_sv })),
    kategorier: aren.map((a) => ({
      kod: a.code, namn: a.label_sv, varden: matt.map((m) => tabellvarde(t, { year: a.code, measure: m.code })),
    })),
  });
}

async function fullstandighetsdiagram(behallare, lank) {
  const rapport = await api('GET', `/api/v1/years/${ar}/completeness`);
  const rader = rapport.forbund.filter((f) => f.expected && iUrvalet(f.forbund_key));
  const lagen = ['submitted', 'in_progress', 'nothing_registered', 'closed'].filter((k) => k !== 'closed' || rapport.state === 'closed');
  staplar(behallare, {
    id: 'completeness-states',
    titel: `Samordningsförbund efter läge för ${ar}`,
    format: (v) => tal(v),
    serier: [{ kod: 'forbund', namn: 'Förbund' }],
    kategorier: lagen.map((k) => ({ kod: k, namn: LAGE[k][0], varden: [rader.filter((f) => f.state === k).length] })),
  });
  if (lank) {
    const saknas = rader.filter((f) => f.state === 'nothing_registered' || f.state === 'in_progress');
    behallare.append(el('p', {}, `${saknas.length} förbund har inte lämnat in. `,
      el('a', { href: `/analys/${ar}/fullstandighet${location.search}`, text: 'Se vilka' })));
  }
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
      const filandelse = format === 'xlsx' ? 'xlsx' : format === 'csv' ? 'csv' : 'json';
      knapp.disabled = true;
      try {
        const namn = await laddaNer(`/api/v1/tables/${tabell}?year=${ar}${urvalParametrar()}&format=${format}`,
          `${tabell}-${ar}${format === 'json-stat2' ? '-jsonstat' : ''}.${filandelse}`);
        status.replaceChildren(meddelande('ok', `Filen ${namn} är nedladdad.`));
      } catch (fel) {
        status.replaceChildren(meddelande('fel', fel.message));
      } finally {
        knapp.disabled = false;
      }
    });
  });
}

/// The year's report, as a file: the same call as the tables' downloads, so the same sign-in.
function rapportnedladdning() {
  document.querySelectorAll('button[data-rapport]').forEach((knapp) => {
    knapp.addEventListener('click', async () => {
      const format = knapp.dataset.rapport;
      const sektion = knapp.closest('section');
      let status = sektion.querySelector('.nedladdad');
      if (!status) {
        status = el('p', { class: 'nedladdad', role: 'status' });
        sektion.append(status);
      }
      knapp.disabled = true;
      try {
        const namn = await laddaNer(`/api/v1/reports/${ar}.${format}`, `finsam-rapport-${ar}.${format}`);
        status.replaceChildren(meddelande('ok', `Filen ${namn} är nedladdad.`));
      } catch (fel) {
        status.replaceChildren(meddelande('fel', fel.message));
      } finally {
        knapp.disabled = false;
      }
    });
  });
}

async function oversikt() {
  if (!kravInloggning()) return dolInnehall();
  try {
    await fyllUrval();
    // The first table decides whether this token may see the selection at all.
    const forsta = await api('GET', `/api/v1/tables/insatser-by-kind?year=${ar}${urvalParametrar()}`);
    await visaTabell('insatser-by-kind', forsta);
  } catch (fel) {
    dolInnehall();
    return visaSidfel(fel);
  }
  nedladdningar();
  rapportnedladdning();
  const ovriga = [...document.querySelectorAll('section[data-tabell]')].map((s) => s.dataset.tabell)
    .filter((id) => id !== 'insatser-by-kind');
  await Promise.all(ovriga.map(async (id) => {
    try {
      await visaTabell(id, await api('GET', `/api/v1/tables/${id}?year=${ar}${urvalParametrar()}`));
    } catch (fel) {
      document.getElementById(`tab-${id}`).replaceChildren(meddelande('fel', fel.message));
    }
  }));
  document.querySelector('main').dataset.klar = 'ja';
}

async function visaTabell(id, t) {
  document.getElementById(`tab-${id}`).replaceChildren(htmlTabell(t));
  const behallare = document.getElementById(`d-${id}`);
  try {
    if (DIAGRAM[id]) staplar(behallare, { id, ...DIAGRAM[id](t) });
    else if (id === 'equity') await eqvitetsserie(behallare);
    else if (id === 'completeness') await fullstandighetsdiagram(behallare, true);
  } catch (fel) {
    behallare.replaceChildren(meddelande('fel', fel.message));
  }
}

// ---- completeness ------------------------------------------------------------------------

async function fullstandighet() {
  if (!kravInloggning()) return dolInnehall();
  let rapport;
  try {
    await fyllUrval();
    rapport = await api('GET', `/api/v1/years/${ar}/completeness`);
  } catch (fel) {
    dolInnehall();
    return visaSidfel(fel);
  }
  const alla = rapport.forbund.filter((f) => iUrvalet(f.forbund_key));
  const forvantade = alla.filter((f) => f.expected);
  const inlamnade = forvantade.filter((f) => f.submitted_at).length;
  const registrerade = forvantade.filter((f) => f.registered).length;
  document.getElementById('fullstandighet-summa').replaceChildren(el('ul', {},
    el('li', { text: `Förbund med medlemmar under ${ar}: ${forvantade.length}` }),
    el('li', { text: `Har registrerat något: ${registrerade}` }),
    el('li', { text: `Har lämnat in året: ${inlamnade}` }),
    el('li', { text: `Verksamhetsåret: ${rapport.state === 'closed' ? 'stängt' : 'öppet'}, sista dag ${rapport.deadline}${rapport.deadline_passed ? ' (passerad)' : ''}` })));
  await fullstandighetsdiagram(document.getElementById('d-fullstandighet'), false);
  const bara = document.getElementById('f-bara-saknas');
  const visa = () => {
    const rader = alla.filter((f) => !bara.checked || (f.expected && (f.state === 'nothing_registered' || f.state === 'in_progress')))
      .sort((a, b) => ['nothing_registered', 'in_progress', 'submitted', 'closed'].indexOf(a.state)
        - ['nothing_registered', 'in_progress', 'submitted', 'closed'].indexOf(b.state) || a.name.localeCompare(b.name, 'sv'));
    document.querySelector('#fullstandighet tbody').replaceChildren(...rader.map((f) => {
      const [text, typ] = LAGE[f.state] || [f.state, 'varning'];
      const saknas = [];
      if (f.missing.finances) saknas.push('ekonomi');
      if (f.missing.insatser_without_figures.length) saknas.push(`årsuppgifter för ${f.missing.insatser_without_figures.length} insatser`);
      return el('tr', { 'data-forbund': f.forbund_key, 'data-lage': f.state },
        el('th', { scope: 'row', text: f.name }),
        el('td', {}, el('span', { class: `etikett ${typ}`, text })),
        el('td', { text: tidpunkt(f.last_change) }),
        el('td', { text: saknas.length ? saknas.join(', ') : '–' }));
    }));
    document.getElementById('antal').textContent = bara.checked
      ? `${rader.length} förbund har inte lämnat in.`
      : `Visar alla ${rader.length} förbund.`;
  };
  bara.addEventListener('change', visa);
  visa();
  document.querySelector('main').dataset.klar = 'ja';
}

// ---- data quality ------------------------------------------------------------------------

async function datakvalitet() {
  if (!kravInloggning()) return dolInnehall();
  let flaggor;
  try {
    await fyllUrval();
    flaggor = await api('GET', `/api/v1/quality?year=${ar}${urvalParametrar()}`);
  } catch (fel) {
    dolInnehall();
    return visaSidfel(fel);
  }
  const perKod = {};
  flaggor.forEach((f) => { perKod[f.code] = (perKod[f.code] || 0) + 1; });
  document.getElementById('kvalitet-summa').replaceChildren(flaggor.length === 0
    ? meddelande('ok', 'Inga flaggor för urvalet.')
    : el('ul', {}, Object.entries(perKod).map(([kod, n]) => el('li', { text: `${KVALITET[kod] || kod}: ${n}` }))));
  document.querySelector('#kvalitet tbody').replaceChildren(...flaggor.map((f) => el('tr', { 'data-kod': f.code },
    el('td', { text: KVALITET[f.code] || f.code }),
    el('td', { text: forbundsnamn(f.forbund_key) }),
    el('td', {}, f.insats_id
      ? el('a', { href: `/forbund/${encodeURIComponent(f.forbund_key)}/insatser/${f.insats_id}?ar=${ar}`, text: `Insats ${f.insats_id}` })
      : '–'),
    el('td', { text: f.detail }))));
  document.querySelector('main').dataset.klar = 'ja';
}

switch (data.sida) {
  case 'oversikt': oversikt(); break;
  case 'fullstandighet': fullstandighet(); break;
  case 'datakvalitet': datakvalitet(); break;
  default: break;
}

// A förbund's pages: its insatser for a year with the year's status and submission, its
// finances, and the import of Excel and CSV files.
import {
  api, ApiFel, aterstallUtkast, beloppIn, beloppUt, data, dolInnehall, el, formstatus, koder, kodnamn, kravInloggning, kronor,
  meddelande, rensaFel, tabellvarde, tal, tidpunkt, visaFaltfel, visaFormfel, visaSidfel,
} from './finsam.js';
import { faltfel, FELTEXT, IMPORTLAGE } from './meddelanden.js';

const forbund = data.forbund;
const f = encodeURIComponent(forbund || '');
const ar = Number(data.ar);

// ---- the list of insatser ----------------------------------------------------------------

const sortering = { kolumn: 'name', riktning: 1 };
let rader = [];

function deltagare(arsrad) {
  if (!arsrad) return null;
  const p = arsrad.participants;
  return p ? p.women + p.men : null;
}

function sorteringsvarde(rad, kolumn) {
  const { insats, arsrad } = rad;
  switch (kolumn) {
    case 'kind': return kodnamn('kind', insats.kind);
    case 'orientation': return kodnamn('orientation', insats.orientation);
    case 'start_date': return insats.start_date;
    case 'participants': return deltagare(arsrad) ?? -1;
    case 'budget': return arsrad ? Number(arsrad.budget) : -1;
    case 'outcome': return arsrad ? Number(arsrad.outcome) : -1;
    case 'status': return arsrad ? 1 : 0;
    default: return insats.name;
  }
}

function jamfor(a, b) {
  const x = sorteringsvarde(a, sortering.kolumn);
  const y = sorteringsvarde(b, sortering.kolumn);
  const r = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'sv');
  return r * sortering.riktning || a.insats.id - b.insats.id;
}

function visaLista() {
  const sok = document.getElementById('f-sok').value.trim().toLowerCase();
  const typ = document.getElementById('f-typ').value;
  const baraSaknar = document.getElementById('f-saknar').checked;
  const synliga = rader
    .filter(({ insats }) => !typ || insats.kind === typ)
    .filter(({ insats }) => !sok || `${insats.name} ${insats.external_ref || ''}`.toLowerCase().includes(sok))
    .filter(({ arsrad }) => !baraSaknar || !arsrad)
    .sort(jamfor);
  const tbody = document.querySelector('#insatser tbody');
  tbody.replaceChildren(...synliga.map(({ insats, arsrad }) => {
    const p = arsrad && arsrad.participants;
    return el('tr', { class: arsrad ? null : 'saknas', 'data-id': insats.id },
      el('td', {},
        el('a', { href: `/forbund/${f}/insatser/${insats.id}?ar=${ar}`, text: insats.name }),
        insats.external_ref ? el('div', { class: 'hjalp', text: `Ref: ${insats.external_ref}` }) : null),
      el('td', { text: kodnamn('kind', insats.kind) }),
      el('td', { text: kodnamn('orientation', insats.orientation) }),
      el('td', {}, el('span', { class: 'datum', text: insats.start_date }), ' – ',
        el('span', { class: 'datum', text: insats.end_date || 'pågår' })),
      el('td', { class: 'tal', text: !arsrad ? '–' : p ? `${tal(p.women)} / ${tal(p.men)}` : 'följs ej' }),
      el('td', { class: 'tal', text: arsrad ? kronor(arsrad.budget) : '–' }),
      el('td', { class: 'tal', text: arsrad ? kronor(arsrad.outcome) : '–' }),
      el('td', {}, arsrad
        ? el('span', { class: 'etikett ok', text: 'Registrerade' })
        : el('span', { class: 'etikett varning', text: 'Saknas' })));
  }));
  document.getElementById('antal').textContent = `Visar ${synliga.length} av ${rader.length} insatser.`;
  document.querySelectorAll('#insatser th').forEach((th) => {
    const knapp = th.querySelector('button');
    const aktiv = knapp && knapp.dataset.sortera === sortering.kolumn;
    th.setAttribute('aria-sort', aktiv ? (sortering.riktning > 0 ? 'ascending' : 'descending') : 'none');
  });
}

async function arsstatus() {
  const ruta = document.getElementById('ar-status');
  const utan = rader.filter((r) => !r.arsrad).length;
  let ekonomi = null;
  try {
    ekonomi = await api('GET', `/api/v1/forbund/${f}/finances/${ar}`);
  } catch (fel) {
    if (fel.status !== 404) ekonomi = undefined;
  }
  let inlamnat = null;
  try {
    const t = await api('GET', `/api/v1/tables/completeness?year=${ar}&forbund=${f}`);
    inlamnat = tabellvarde(t, { year: String(ar), measure: 'forbund_submitted' }) > 0;
  } catch {
    /* shown as unknown */
  }
  const etikett = inlamnat === null
    ? el('span', { class: 'etikett varning', text: 'Okänt' })
    : inlamnat
      ? el('span', { class: 'etikett ok', text: 'Inlämnat' })
      : el('span', { class: 'etikett varning', text: 'Inte inlämnat' });
  ruta.replaceChildren(el('ul', {},
    el('li', {}, 'Läge: ', etikett),
    el('li', { text: `Insatser som pågår under året: ${rader.length}, varav ${utan} utan årsuppgifter.` }),
    el('li', {}, 'Förbundets ekonomi: ',
      ekonomi ? el('span', { class: 'etikett ok', text: 'Registrerad' })
        : ekonomi === null ? el('span', { class: 'etikett varning', text: 'Saknas' }) : '–')));
  ruta.dataset.inlamnat = inlamnat ? 'ja' : 'nej';
}

async function lamnaIn() {
  const status = document.getElementById('lamna-in-status');
  const knapp = document.getElementById('lamna-in');
  knapp.disabled = true;
  try {
    const svar = await api('POST', `/api/v1/forbund/${f}/years/${ar}/submit`);
    status.replaceChildren(meddelande('ok',
      `Verksamhetsår ${ar} är inlämnat ${tidpunkt(svar.submitted_at)}${svar.submitted_by ? ` av ${svar.submitted_by}` : ''}.`));
    await arsstatus();
  } catch (fel) {
    status.replaceChildren(meddelande('fel', fel.message));
  } finally {
    knapp.disabled = false;
  }
}

async function insatser() {
  const fAr = document.getElementById('f-ar');
  const bytAr = () => {
    const y = Number(fAr.value);
    if (y >= 2004 && y <= 2100 && y !== ar) location.assign(`?ar=${y}`);
  };
  fAr.addEventListener('change', bytAr);
  document.getElementById('filter').addEventListener('submit', (h) => {
    h.preventDefault();
    bytAr();
  });
  if (!kravInloggning()) return dolInnehall();
  let lista;
  try {
    lista = await api('GET', `/api/v1/forbund/${f}/insatser?year=${ar}`);
  } catch (fel) {
    dolInnehall();
    return visaSidfel(fel);
  }
  rader = lista.map((insats) => ({ insats, arsrad: insats.years.find((y) => y.year === ar) }));
  for (const id of ['f-sok', 'f-typ', 'f-saknar']) {
    document.getElementById(id).addEventListener('input', visaLista);
  }
  document.querySelectorAll('button.sortera').forEach((knapp) => knapp.addEventListener('click', () => {
    const kolumn = knapp.dataset.sortera;
    sortering.riktning = sortering.kolumn === kolumn ? -sortering.riktning : 1;
    sortering.kolumn = kolumn;
    visaLista();
  }));
  document.getElementById('lamna-in').addEventListener('click', lamnaIn);
  visaLista();
  await arsstatus();
  document.querySelector('main').dataset.klar = 'ja';
}

// ---- the förbund's finances --------------------------------------------------------------

// The parties come with the page (the domain's code list), each with its field `f-<code>`.
const PARTER = Object.keys(koder.party || {});
const EKONOMI = [
  ...PARTER.map((part) => [`/contributions/${part}`, `f-${part}`]), ['/administration/budget', 'f-adm-budget'],
  ['/administration/outcome', 'f-adm-outcome'], ['/equity/opening', 'f-opening'], ['/equity/closing', 'f-closing'],
];

function hamtaPekare(objekt, pekare) {
  return pekare.split('/').slice(1).reduce((o, k) => (o == null ? o : o[k]), objekt);
}

function visaResultat(post) {
  const ruta = document.getElementById('ekonomi-resultat');
  const varningar = (post.warnings || []).map((v) => el('p', { text: FELTEXT[v.code] || VARNINGAR[v.code] || v.message }));
  ruta.replaceChildren(
    meddelande('ok', `Årets resultat (utgående minus ingående eget kapital): ${kronor(post.result)}.`),
    varningar.length ? el('div', { class: 'meddelande varning' }, el('p', { text: 'Observera:' }), ...varningar) : null,
  );
}

const VARNINGAR = {
  contributions_off_2_1_1:
    'Medlemsbidragen avviker från fördelningen 2:1:1 (staten hälften, regioner och kommuner en fjärdedel var). Uppgiften sparas men syns för analytikerna.',
};

async function ekonomi() {
  const fAr = document.getElementById('f-ekonomi-ar');
  const bytAr = (h) => {
    if (h) h.preventDefault();
    const y = Number(fAr.value);
    if (y >= 2004 && y <= 2100 && y !== ar) location.assign(`/forbund/${f}/ekonomi/${y}`);
  };
  fAr.addEventListener('change', () => bytAr());
  document.getElementById('ar-val').addEventListener('submit', bytAr);
  if (!kravInloggning()) return dolInnehall();
  const form = document.getElementById('ekonomi-form');
  let version = null;
  try {
    const post = await api('GET', `/api/v1/forbund/${f}/finances/${ar}`);
    version = post.version;
    for (const [pekare, id] of EKONOMI) document.getElementById(id).value = beloppUt(hamtaPekare(post, pekare));
    visaResultat(post);
  } catch (fel) {
    // 404 is either "no finances yet" (an empty form) or "no such förbund" (the reference says).
    const finnsForbund = fel.status === 404
      && (await api('GET', `/api/v1/forbund/${f}`).then(() => true, () => false));
    if (!finnsForbund) {
      dolInnehall();
      return visaSidfel(fel);
    }
  }
  form.addEventListener('submit', async (h) => {
    h.preventDefault();
    rensaFel(form);
    const varde = (id) => beloppIn(document.getElementById(id).value);
    const body = {
      contributions: Object.fromEntries(PARTER.map((part) => [part, varde(`f-${part}`)])),
      administration: { budget: varde('f-adm-budget'), outcome: varde('f-adm-outcome') },
      equity: { opening: varde('f-opening'), closing: varde('f-closing') },
    };
    const headers = version === null ? {} : { 'If-Match': `"${version}"` };
    try {
      const post = await api('PUT', `/api/v1/forbund/${f}/finances/${ar}`, { body, headers });
      version = post.version;
      formstatus(form, 'ok', `Ekonomin för ${ar} är sparad.`);
      visaResultat(post);
    } catch (fel) {
      visaFormfel(form, fel);
    }
  });
  aterstallUtkast();
  document.querySelector('main').dataset.klar = 'ja';
}

// ---- Excel and CSV import ---------------------------------------------------------------

function sammanfattning(summa) {
  const ruta = document.getElementById('import-sammanfattning');
  const typ = summa.status === 'applied' && summa.rejected === 0 ? 'ok' : summa.status === 'refused' ? 'fel' : 'varning';
  const fel = summa.errors || [];
  ruta.replaceChildren(
    meddelande(typ, IMPORTLAGE[summa.status] || summa.status),
    el('table', { id: 'import-antal' },
      el('caption', { text: `Insatser i filen: ${summa.total}` }),
      el('thead', {}, el('tr', {}, ['Nya', 'Uppdaterade', 'Oförändrade', 'Avvisade'].map((t) => el('th', { scope: 'col', class: 'tal', text: t })))),
      el('tbody', {}, el('tr', {}, [summa.created, summa.updated, summa.unchanged, summa.rejected].map((n) => el('td', { class: 'tal', text: tal(n) }))))),
    fel.length === 0 ? null : el('table', { id: 'import-fel' },
      el('caption', { text: 'Fel per rad' }),
      el('thead', {}, el('tr', {}, ['Rad', 'Kolumn', 'Fel'].map((t) => el('th', { scope: 'col', text: t })))),
      // The column as the file names it (the API's `field` for a file), the line as the file counts it.
      el('tbody', {}, fel.map((e) => el('tr', {},
        el('td', { class: 'tal', text: e.line ?? `insats ${e.index + 1}` }),
        el('td', { text: e.field || '–' }),
        el('td', { text: faltfel(e) }))))),
  );
  const sektion = document.getElementById('import-resultat');
  sektion.hidden = false;
  document.getElementById('rubrik-resultat').focus();
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/// The Content-Type of a chosen file: an Excel workbook by its name or type, else CSV with no
/// charset, so that the API finds the encoding from the bytes.
function filtyp(fil) {
  return /\.xlsx$/i.test(fil.name) || fil.type === XLSX ? XLSX : 'text/csv';
}

async function vantaPaJobb(plats, form) {
  for (let i = 0; i < 600; i += 1) {
    const jobb = await api('GET', plats);
    if (jobb.summary) return jobb.summary;
    if (jobb.state === 'failed') throw new ApiFel(500, { detail: jobb.error || 'importen misslyckades' });
    formstatus(form, 'varning', `Importen körs: ${jobb.rows_done} av ${jobb.rows_total} insatser klara …`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new ApiFel(0, { detail: 'Importen tar lång tid; titta igen senare.' });
}

async function importera() {
  if (!kravInloggning()) return dolInnehall();
  try {
    // Nothing to show yet, but a token for another förbund learns so now, not after choosing a file.
    await api('GET', `/api/v1/tables/completeness?year=${ar}&forbund=${f}`);
  } catch (fel) {
    dolInnehall();
    return visaSidfel(fel);
  }
  const form = document.getElementById('import-form');
  form.addEventListener('submit', async (h) => {
    h.preventDefault();
    rensaFel(form);
    const fil = document.getElementById('f-fil').files[0];
    const text = document.getElementById('f-csv').value;
    if (fil ? fil.size === 0 : !text.trim()) {
      visaFaltfel(form, [{ path: 'file', code: 'no_file', message: 'Välj en Excel- eller CSV-fil eller klistra in innehållet.' }]);
      return;
    }
    // A file goes as its bytes, in whatever encoding it was saved (the API reads Windows-1252
    // too); pasted text is the page's own, UTF-8.
    const body = fil || text;
    const typ = fil ? filtyp(fil) : 'text/csv; charset=utf-8';
    const prov = document.getElementById('f-prov').checked;
    const lage = form.querySelector('input[name="mode"]:checked').value;
    const knapp = form.querySelector('button[type="submit"]');
    knapp.disabled = true;
    formstatus(form, 'varning', prov ? 'Provkör …' : 'Importerar …');
    try {
      const { json, svar } = await api('POST', `/api/v1/forbund/${f}/imports?dry_run=${prov}&mode=${lage}`, {
        body, headers: { 'Content-Type': typ }, medSvar: true,
      });
      const summa = svar.status === 202 ? await vantaPaJobb(svar.headers.get('Location'), form) : json;
      rensaFel(form);
      sammanfattning(summa);
    } catch (fel) {
      visaFormfel(form, fel);
    } finally {
      knapp.disabled = false;
    }
  });
  document.querySelector('main').dataset.klar = 'ja';
}

switch (data.sida) {
  case 'insatser': insatser(); break;
  case 'ekonomi': ekonomi(); break;
  case 'import': importera(); break;
  default: break;
}

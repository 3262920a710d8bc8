// The annual report, audit and discharge: a förbund's registrars enter the year's dates, each
// member's auditors' report and discharge and the auditors' remarks; analysts and admins follow
// every förbund's annual report of a year (received within three months of the year's end,
// late, or missing).
import {
  api, aterstallUtkast, data, dolInnehall, el, formstatus, koder, kodnamn, kravInloggning, meddelande, rensaFel,
  visaFormfel, visaSidfel,
} from './finsam.js';

const ar = Number(data.ar);

const LAGE = { on_time: 'ok', late: 'varning', missing: 'fel' };

// ---- a förbund's annual report ---------------------------------------------------------------

const forbund = data.forbund;
const f = encodeURIComponent(forbund || '');

/// The förbund's members during the year, each with a Swedish name: the state, the regions of
/// the counties its municipalities lie in, the municipalities (as `annual_report` names them).
async function medlemmar() {
  const [post, lan, kommuner] = await Promise.all([
    api('GET', `/api/v1/forbund/${f}?year=${ar}`), api('GET', '/api/v1/counties'), api('GET', '/api/v1/municipalities'),
  ]);
  if (post.municipality_codes.length === 0) return [];
  const lanNamn = (kod) => (lan.find((l) => l.code === kod) || { name_short: kod }).name_short;
  const kommunNamn = (kod) => (kommuner.find((k) => k.code === kod) || { name: kod }).name;
  return [
    { member: 'state', namn: 'Staten (Försäkringskassan)' },
    ...[...post.county_codes].sort().map((kod) => ({ member: `region:${kod}`, namn: `Region ${lanNamn(kod)}` })),
    ...[...post.municipality_codes].sort().map((kod) => ({ member: `municipality:${kod}`, namn: kommunNamn(kod) })),
  ];
}

function datumfalt(pekare, id, etikett) {
  return el('div', { class: 'falt', 'data-path': pekare },
    el('label', { for: id, text: etikett }),
    el('input', { id, name: pekare, type: 'text', inputmode: 'numeric', autocomplete: 'off', placeholder: 'ÅÅÅÅ-MM-DD' }));
}

function medlemsrad(medlem, i) {
  const bas = `/members/${i}`;
  const status = el('select', { id: `f-m${i}-status`, name: `${bas}/discharge/status` },
    Object.entries(koder.discharge_status || {}).map(([kod, namn]) => el('option', { value: kod, text: namn })));
  status.value = 'pending';
  return el('fieldset', { class: 'falt medlem', 'data-path': bas, 'data-member': medlem.member },
    el('legend', { text: medlem.namn }),
    el('div', { class: 'rad' },
      datumfalt(`${bas}/auditors_report_received_on`, `f-m${i}-revision`, 'Revisionsberättelsen inkom'),
      el('div', { class: 'falt', 'data-path': `${bas}/discharge/status` },
        el('label', { for: `f-m${i}-status`, text: 'Ansvarsfrihet' }), status),
      datumfalt(`${bas}/discharge/decided_on`, `f-m${i}-beslut`, 'Beslutsdatum'),
      el('div', { class: 'falt', 'data-path': `${bas}/discharge/diary_number` },
        el('label', { for: `f-m${i}-dnr`, text: 'Diarienummer' }),
        el('input', { id: `f-m${i}-dnr`, name: `${bas}/discharge/diary_number`, type: 'text', autocomplete: 'off' }))));
}

let andra = 0;

function annanAnmarkning(text = '') {
  andra += 1;
  const id = `f-annan-${andra}`;
  const falt = el('div', { class: 'falt annan' },
    el('label', { for: id, text: `Annan anmärkning ${andra}` }),
    el('textarea', { id, name: `annan-${andra}`, rows: '3', 'aria-describedby': 'h-andra' }));
  falt.querySelector('textarea').value = text;
  document.getElementById('andra-anmarkningar').append(falt);
  return falt;
}

function text(id) {
  const v = document.getElementById(id).value.trim();
  return v === '' ? null : v;
}

function fyll(post, lista) {
  document.getElementById('f-adopted_on').value = post.adopted_on || '';
  document.getElementById('f-received_on').value = post.received_on || '';
  lista.forEach((medlem, i) => {
    const m = post.members.find((x) => x.member === medlem.member);
    if (!m) return;
    document.getElementById(`f-m${i}-revision`).value = m.auditors_report_received_on || '';
    document.getElementById(`f-m${i}-status`).value = m.discharge.status;
    document.getElementById(`f-m${i}-beslut`).value = m.discharge.decided_on || '';
    document.getElementById(`f-m${i}-dnr`).value = m.discharge.diary_number || '';
  });
  for (const r of post.remarks) {
    if (r.category === 'other') annanAnmarkning(r.text || '');
    else {
      const ruta = document.getElementById(`f-anm-${r.category}`);
      if (ruta) {
        ruta.checked = true;
        if (r.text) ruta.dataset.text = r.text;
      }
    }
  }
}

function visaLage(post) {
  const typ = post.timeliness === 'on_time' ? 'ok' : 'varning';
  const text = post.timeliness === 'missing'
    ? `Årsredovisningen har inte kommit in. Sista dag för att vara i tid: ${post.deadline}.`
    : `Årsredovisningen: ${kodnamn('annual_report_timeliness', post.timeliness).toLowerCase()} (sista dag ${post.deadline}).`;
  document.getElementById('arsredovisning-resultat').replaceChildren(meddelande(typ, text));
}

/// The body as the API takes it; the wrappers of the remarks get the pointers they are sent at.
function innehall(lista) {
  const members = lista.map((medlem, i) => {
    const status = document.getElementById(`f-m${i}-status`).value;
    return {
      member: medlem.member,
      auditors_report_received_on: text(`f-m${i}-revision`),
      discharge: { status, decided_on: text(`f-m${i}-beslut`), diary_number: text(`f-m${i}-dnr`) },
    };
  });
  const remarks = [];
  document.querySelectorAll('#arsredovisning-form input[name="/remarks"]:checked').forEach((ruta) => {
    remarks.push({ category: ruta.value, text: ruta.dataset.text || null });
  });
  document.querySelectorAll('#andra-anmarkningar .annan').forEach((falt) => {
    const v = falt.querySelector('textarea').value.trim();
    if (v === '') {
      delete falt.dataset.path;
      return;
    }
    falt.dataset.path = `/remarks/${remarks.length}/text`;
    remarks.push({ category: 'other', text: v });
  });
  return { adopted_on: text('f-adopted_on'), received_on: text('f-received_on'), members, remarks };
}

async function arsredovisning() {
  const fAr = document.getElementById('f-arsredovisning-ar');
  const bytAr = (h) => {
    if (h) h.preventDefault();
    const y = Number(fAr.value);
    if (y >= 2004 && y <= 2100 && y !== ar) location.assign(`/forbund/${f}/arsredovisning/${y}`);
  };
  fAr.addEventListener('change', () => bytAr());
  document.getElementById('ar-val').addEventListener('submit', bytAr);
  if (!kravInloggning()) return dolInnehall();
  const form = document.getElementById('arsredovisning-form');
  let version = null;
  let post = null;
  let lista;
  try {
    post = await api('GET', `/api/v1/forbund/${f}/annual-reports/${ar}`);
    version = post.version;
  } catch (fel) {
    // 404 is "nothing entered yet" when the förbund exists; the reference below says.
    if (fel.status !== 404) {
      dolInnehall();
      return visaSidfel(fel);
    }
  }
  try {
    lista = await medlemmar();
  } catch (fel) {
    dolInnehall();
    return visaSidfel(fel);
  }
  const ruta = document.getElementById('medlemmar');
  ruta.replaceChildren(...(lista.length === 0
    ? [meddelande('varning', `Förbundet hade inga medlemskommuner under ${ar}.`)]
    : lista.map(medlemsrad)));
  if (post) {
    fyll(post, lista);
    visaLage(post);
  }
  if (!document.querySelector('#andra-anmarkningar .annan')) annanAnmarkning();
  document.getElementById('ny-anmarkning').addEventListener('click', () => annanAnmarkning().querySelector('textarea').focus());
  form.addEventListener('submit', async (h) => {
    h.preventDefault();
    rensaFel(form);
    const body = innehall(lista);
    const headers = version === null ? {} : { 'If-Match': `"${version}"` };
    try {
      const sparad = await api('PUT', `/api/v1/forbund/${f}/annual-reports/${ar}`, { body, headers });
      version = sparad.version;
      formstatus(form, 'ok', `Årsredovisningen för ${ar} är sparad.`);
      visaLage(sparad);
    } catch (fel) {
      visaFormfel(form, fel);
    }
  });
  aterstallUtkast();
  document.querySelector('main').dataset.klar = 'ja';
}

// ---- the national follow-up ------------------------------------------------------------------

function datum(d) {
  return d || '–';
}

async function arsredovisningar() {
  document.getElementById('urval').addEventListener('submit', (h) => {
    h.preventDefault();
    const y = Number(document.getElementById('f-ar').value) || ar;
    location.assign(`/analys/${y}/arsredovisningar`);
  });
  if (!kravInloggning()) return dolInnehall();
  let lista;
  try {
    lista = await api('GET', `/api/v1/annual-reports/${ar}`);
  } catch (fel) {
    dolInnehall();
    return visaSidfel(fel);
  }
  const t = lista.totals;
  document.getElementById('arsredovisningar-summa').replaceChildren(el('ul', {},
    el('li', { text: `Förbund med medlemmar under ${ar}: ${t.forbund}` }),
    el('li', { text: `Inkommen i tid (senast ${lista.deadline}): ${t.on_time}` }),
    el('li', { text: `Inkommen sent: ${t.late}` }),
    el('li', { text: `Inte inkommen: ${t.missing}` })));
  const bara = document.getElementById('f-bara-ej-i-tid');
  const ordning = ['missing', 'late', 'on_time'];
  const visa = () => {
    const rader = lista.forbund.filter((r) => !bara.checked || r.timeliness !== 'on_time')
      .sort((a, b) => ordning.indexOf(a.timeliness) - ordning.indexOf(b.timeliness) || a.name.localeCompare(b.name, 'sv'));
    document.querySelector('#arsredovisningar tbody').replaceChildren(...rader.map((r) => el('tr',
      { 'data-forbund': r.forbund_key, 'data-lage': r.timeliness },
      el('th', { scope: 'row', text: r.name }),
      el('td', {}, el('span', { class: `etikett ${LAGE[r.timeliness] || 'varning'}`,
        text: kodnamn('annual_report_timeliness', r.timeliness) })),
      el('td', { class: 'datum', text: datum(r.adopted_on) }),
      el('td', { class: 'datum', text: datum(r.received_on) }),
      el('td', { class: 'tal', text: `${r.auditors_reports_received} av ${r.members}` }),
      el('td', { text: `Beviljad ${r.discharge.granted}, vägrad ${r.discharge.refused}, ej beslutad ${r.discharge.pending}` }),
      el('td', { text: r.remarks.length ? r.remarks.map((k) => kodnamn('remark_category', k)).join('; ') : '–' }))));
    document.getElementById('antal').textContent = bara.checked
      ? `${rader.length} förbund har inte skickat in årsredovisningen i tid.`
      : `Visar alla ${rader.length} förbund.`;
  };
  bara.addEventListener('change', visa);
  visa();
  document.querySelector('main').dataset.klar = 'ja';
}

switch (data.sida) {
  case 'arsredovisning': arsredovisning(); break;
  case 'arsredovisningar': arsredovisningar(); break;
  default: break;
}

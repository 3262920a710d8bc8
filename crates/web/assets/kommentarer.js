// The analysts' commentary on a year's report: one form per section, each saved or removed on
// its own (PUT/DELETE /api/v1/reports/{year}/commentary/{section}). The text goes as typed: the
// API trims it and refuses what it may not hold, and its errors land at the field (/text).
import {
  api, data, dolInnehall, formstatus, kravInloggning, rensaFel, tidpunkt, visaFormfel, visaSidfel,
} from './finsam.js';

const ar = Number(data.ar);

function fyll(form, avsnitt) {
  form.querySelector('textarea').value = avsnitt.text ?? '';
  form.querySelector('.senast').textContent = avsnitt.text === null
    ? 'Ingen kommentar är skriven.'
    : `Senast ändrad ${tidpunkt(avsnitt.updated_at)} av ${avsnitt.updated_by}.`;
}

async function spara(form, h) {
  h.preventDefault();
  rensaFel(form);
  formstatus(form, 'varning', 'Sparar …');
  const kod = form.dataset.avsnitt;
  try {
    const text = form.querySelector('textarea').value;
    fyll(form, await api('PUT', `/api/v1/reports/${ar}/commentary/${kod}`, { body: { text } }));
    formstatus(form, 'ok', 'Kommentaren är sparad.');
  } catch (fel) {
    visaFormfel(form, fel);
  }
}

async function taBort(form) {
  rensaFel(form);
  const kod = form.dataset.avsnitt;
  try {
    await api('DELETE', `/api/v1/reports/${ar}/commentary/${kod}`);
    fyll(form, { text: null });
    formstatus(form, 'ok', 'Kommentaren är borttagen.');
  } catch (fel) {
    visaFormfel(form, fel);
  }
}

async function sida() {
  if (!kravInloggning()) return dolInnehall();
  let avsnitt;
  try {
    avsnitt = await api('GET', `/api/v1/reports/${ar}/commentary`);
  } catch (fel) {
    dolInnehall();
    return visaSidfel(fel);
  }
  avsnitt.forEach((a) => {
    const form = document.getElementById(`kommentar-${a.section}`);
    if (!form) return;
    fyll(form, a);
    form.addEventListener('submit', (h) => spara(form, h));
    form.querySelector('button[data-ta-bort]').addEventListener('click', () => taBort(form));
  });
  document.querySelector('main').dataset.klar = 'ja';
}

sida();

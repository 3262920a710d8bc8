// The start page and sign-in.
import {
  aktarForForbund, ansprak, api, data, el, glomToken, hamtaToken, rensaFel, rollnamn, sakerRetur, sparaToken, startsida, visaFaltfel,
} from './finsam.js';

const ar = Number(data.ar);

async function loggaIn(form, token) {
  const claims = ansprak(token);
  if (!claims || !claims.role) {
    visaFaltfel(form, [{
      path: 'token',
      code: 'not_a_token',
      message: 'Det här ser inte ut som en token (JWT). Kopiera hela raden från finsam token.',
    }]);
    return;
  }
  try {
    // Any valid token may read a reporting year: a cheap check that the API accepts it.
    await api('GET', `/api/v1/years/${ar}`, { token });
  } catch (fel) {
    glomToken();
    const detalj = fel.problem && fel.problem.detail ? ` (${fel.problem.detail})` : '';
    visaFaltfel(form, [{ path: 'token', code: 'token_refused', message: `${fel.message}${detalj}` }]);
    return;
  }
  sparaToken(token);
  const tillbaka = sakerRetur(new URLSearchParams(location.search).get('tillbaka'));
  location.assign(tillbaka || startsida(claims, ar));
}

function inloggning() {
  const form = document.getElementById('inloggning');
  form.addEventListener('submit', (h) => {
    h.preventDefault();
    rensaFel(form);
    const token = form.elements.token.value.trim();
    if (!token) {
      visaFaltfel(form, [{ path: 'token', code: 'required', message: 'Klistra in din token.' }]);
      return;
    }
    loggaIn(form, token);
  });
  if (hamtaToken()) {
    form.elements.token.value = '';
  }
}

function start() {
  const claims = ansprak();
  if (!claims) return;
  const ruta = document.getElementById('mina-sidor');
  const lankar = [];
  if (aktarForForbund(claims.role) && claims.forbund) {
    const f = encodeURIComponent(claims.forbund);
    lankar.push(['Insatser', `/forbund/${f}/insatser?ar=${ar}`], ['Ny insats', `/forbund/${f}/insatser/ny?ar=${ar}`],
      ['Ekonomi', `/forbund/${f}/ekonomi/${ar}`], ['Import', `/forbund/${f}/import`]);
  } else {
    lankar.push(['Nationell översikt', `/analys/${ar}`], ['Fullständighet', `/analys/${ar}/fullstandighet`],
      ['Datakvalitet', `/analys/${ar}/datakvalitet`]);
  }
  ruta.replaceChildren(
    el('p', { text: `Du är inloggad som ${rollnamn(claims.role)}${claims.forbund ? ` för ${claims.forbund}` : ''}.` }),
    el('ul', {}, lankar.map(([text, href]) => el('li', {}, el('a', { href, text })))),
  );
}

if (data.sida === 'logga-in') inloggning();
else start();

// The Swedish text of every error code the API gives (a problem's code or a field error's) comes
// from the server with the page (<script id="felkoder">): the codes and their texts are defined
// once, in the domain crate. A code without a text falls back to the API's own message.
export const FELTEXT = lasJson('felkoder');

/// A JSON block the server put in the page (`<script type="application/json" id>`), or {}.
export function lasJson(id) {
  const block = document.getElementById(id);
  try {
    return block ? JSON.parse(block.textContent) : {};
  } catch {
    return {};
  }
}

export const HANDLING = { create: 'Skapade', replace: 'Ändrade', delete: 'Tog bort', submit: 'Lämnade in' };

export const ENTITET = { insats: 'insatsen', insats_year: 'årsuppgifter', finances: 'ekonomi', forbund_year: 'verksamhetsåret' };

export const FALTNAMN = {
  external_ref: 'Referens',
  name: 'Namn',
  description: 'Beskrivning',
  kind: 'Typ',
  orientation: 'Inriktning',
  target_groups: 'Målgrupper',
  start_date: 'Startdatum',
  end_date: 'Slutdatum',
  participants: 'Deltagare',
  budget: 'Budget',
  outcome: 'Utfall',
  exits: 'Avslut',
  year: 'År',
};

export const LAGE = {
  nothing_registered: ['Inget registrerat', 'fel'],
  in_progress: ['Påbörjat', 'varning'],
  submitted: ['Inlämnat', 'ok'],
  closed: ['Stängt', 'ok'],
};

export const KVALITET = {
  contributions_off_2_1_1: 'Medlemsbidragen avviker från fördelningen 2:1:1',
  individual_zero_participants: 'Individinriktad insats utan deltagare',
  missing_year_figures: 'Årsuppgifter saknas',
  equity_above_recommendation: 'Eget kapital över rekommendationen',
  administration_share_above_limit: 'Administrationens andel över gränsen',
  closing_equity_pending: 'Utgående eget kapital saknas ännu',
  no_registration: 'Förbundet har inte registrerat något',
};

export const IMPORTLAGE = {
  applied: 'Importen är genomförd.',
  refused: 'Inget sparades: minst en rad har fel (allt eller inget).',
  dry_run: 'Provkörning: inget har sparats.',
};

/// The Swedish text for a field error, falling back to the API's message.
export function faltfel(error) {
  return FELTEXT[error.code] || error.message || error.detail || error.code;
}

/// The Swedish text for a whole problem response.
export function problemtext(status, problem) {
  if (problem && problem.code && FELTEXT[problem.code]) return FELTEXT[problem.code];
  if (status === 401) return FELTEXT.unauthorized;
  if (status === 403) return FELTEXT.forbidden;
  if (status === 404) return FELTEXT.not_found;
  if (status === 429) return FELTEXT.rate_limited;
  if (status >= 500) return FELTEXT.internal;
  return (problem && problem.detail) || `Oväntat svar från tjänsten (${status}).`;
}

// Swedish texts for the API's stable codes. A code without a text here falls back to the API's
// own message, so a new rule in the API is still shown, in English, rather than hidden.

export const FALTFEL = {
  required: 'Fältet måste fyllas i.',
  blank: 'Fältet får inte vara tomt.',
  too_long: 'Texten är för lång.',
  control_characters: 'Texten innehåller otillåtna tecken.',
  personal_identity_number:
    'Får inte innehålla ett personnummer eller samordningsnummer – tjänsten lagrar inga personer.',
  not_a_string: 'Ange en text.',
  not_a_date: 'Ange ett datum som ÅÅÅÅ-MM-DD, till exempel 2023-01-31.',
  date_out_of_range: 'Datumet ligger utanför det tillåtna intervallet.',
  end_before_start: 'Slutdatum får inte vara före startdatum.',
  unknown_code: 'Välj ett av alternativen.',
  orientation_not_of_kind: 'Inriktningen hör inte till den valda typen av insats.',
  not_an_array: 'Välj bland alternativen.',
  duplicate: 'Samma målgrupp är vald mer än en gång.',
  contradictory_target_groups: '”Endast kvinnor” och ”Endast män” kan inte väljas samtidigt.',
  not_a_count: 'Ange ett heltal, till exempel 12.',
  negative_count: 'Antalet får inte vara negativt.',
  count_too_large: 'Antalet är orimligt stort.',
  not_an_amount: 'Ange ett belopp i kronor, till exempel 250000 eller 250000,50.',
  too_many_decimals: 'Beloppet får ha högst två decimaler (ören).',
  negative_amount: 'Beloppet får inte vara negativt.',
  amount_too_large: 'Beloppet är för stort.',
  participants_required:
    'En individinriktad insats ska ha antal deltagare: ange kvinnor och män (0 om inga).',
  exits_exceed_participants: 'Fler avslut än deltagare under året.',
  exits_without_participants: 'Avslut kan bara anges när deltagarna räknas.',
  year_outside_insats: 'Året ligger utanför insatsens period.',
  not_a_year: 'Ange ett årtal.',
  unknown_field: 'Fältet är okänt för tjänsten.',
  not_an_object: 'Uppgiften har fel form.',
  not_a_version: 'Felaktig version.',
  external_ref_taken: 'Referensen används redan av en annan insats i förbundet.',
  years_outside_span: 'Insatsen har årsuppgifter utanför den nya perioden. Ta bort dem först.',
  untracked_years_for_individual:
    'Insatsen har år där deltagare inte följs upp; det går inte för en individinriktad insats.',
  year_closed: 'Verksamhetsåret är stängt: uppgifterna kan inte längre ändras.',
  deadline_passed: 'Sista dagen för att registrera verksamhetsåret har passerat.',
  bad_csv: 'Filen kunde inte läsas som CSV.',
  unknown_column: 'Okänd kolumn i filen.',
  not_utf8: 'Filen måste vara sparad som UTF-8.',
  too_many_rows: 'Filen har för många rader.',
  duplicate_in_batch: 'Samma insats förekommer flera gånger i filen.',
  duplicate_year: 'Samma år förekommer flera gånger för insatsen.',
  conflicting_lines: 'Raderna för insatsen har olika uppgifter om själva insatsen.',
  not_a_boolean: 'Ange ja eller nej.',
};

export const PROBLEM = {
  unauthorized: 'Du är inte inloggad, eller så har inloggningen gått ut. Logga in igen.',
  forbidden: 'Du har inte behörighet till de här uppgifterna. Din inloggning gäller ett annat samordningsförbund eller en annan roll.',
  not_found: 'Uppgifterna finns inte.',
  validation_failed: 'Uppgifterna kunde inte sparas. Rätta det som är markerat.',
  invalid_request: 'Begäran kunde inte tolkas.',
  version_conflict: 'Någon annan har ändrat uppgifterna sedan du läste dem. Ladda om sidan och gör ändringen igen.',
  precondition_failed: 'Någon annan har ändrat uppgifterna sedan du läste dem. Ladda om sidan och gör ändringen igen.',
  version_required: 'Uppgifterna finns redan. Ladda om sidan och gör ändringen igen.',
  database_unavailable: 'Tjänsten kan inte nå databasen just nu. Försök igen om en stund.',
  overloaded: 'Tjänsten är hårt belastad just nu. Försök igen om en stund.',
  internal: 'Ett internt fel inträffade. Det har loggats.',
  body_too_large: 'Filen är för stor.',
  payload_too_large: 'Filen är för stor.',
  too_many_requests: 'För många importer på kort tid. Vänta en minut och försök igen.',
  rate_limited: 'För många importer på kort tid. Vänta en minut och försök igen.',
  idempotency_key_reused: 'Importen har redan skickats med annat innehåll.',
  unsupported_media_type: 'Fel filtyp.',
  bad_request: 'Begäran kunde inte tolkas.',
};

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
  equity_above_contributions: 'Eget kapital över föregående års medlemsbidrag',
  no_registration: 'Förbundet har inte registrerat något',
};

export const IMPORTLAGE = {
  applied: 'Importen är genomförd.',
  refused: 'Inget sparades: minst en rad har fel (allt eller inget).',
  dry_run: 'Provkörning: inget har sparats.',
};

/// The Swedish text for a field error, falling back to the API's message.
export function faltfel(error) {
  return FALTFEL[error.code] || error.message || error.detail || error.code;
}

/// The Swedish text for a whole problem response.
export function problemtext(status, problem) {
  if (problem && problem.code && FALTFEL[problem.code]) return FALTFEL[problem.code];
  if (problem && problem.code && PROBLEM[problem.code]) return PROBLEM[problem.code];
  if (status === 401) return PROBLEM.unauthorized;
  if (status === 403) return PROBLEM.forbidden;
  if (status === 404) return PROBLEM.not_found;
  if (status === 429) return PROBLEM.too_many_requests;
  if (status >= 500) return PROBLEM.internal;
  return (problem && problem.detail) || `Oväntat svar från tjänsten (${status}).`;
}

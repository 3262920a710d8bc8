//! Every error code a client can get, as a problem's `code` or a field error's: the only list of
//! them. Each has its meaning (in the OpenAPI document) and its Swedish text (for the pages,
//! which get the texts from the server as JSON, `<script id="felkoder">`). The macro asks for
//! both, so a code without a text does not compile; a unit test keeps the texts well-formed.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// `Variant = "code", "meaning in English", "Swedish text";`
macro_rules! error_codes {
    ($($variant:ident = $code:literal, $meaning:literal, $sv:literal;)+) => {
        /// A stable code on the wire: what clients (and the pages) act on.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode { $($variant,)+ }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)+];

            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $code,)+ }
            }

            /// What the code means, for client developers.
            pub fn meaning(self) -> &'static str {
                match self { $(ErrorCode::$variant => $meaning,)+ }
            }

            /// The sentence the pages show for it.
            pub fn text_sv(self) -> &'static str {
                match self { $(ErrorCode::$variant => $sv,)+ }
            }
        }
    };
}

error_codes! {
    // Problems: the response as a whole.
    Unauthorized = "unauthorized", "no usable bearer token: missing, expired, or not signed by a trusted key",
        "Du är inte inloggad, eller så har inloggningen gått ut. Logga in igen.";
    Forbidden = "forbidden", "the token's role or förbund may not do this",
        "Du har inte behörighet till de här uppgifterna. Din inloggning gäller ett annat samordningsförbund eller en annan roll.";
    NotFound = "not_found", "nothing by that key; the detail names what is missing",
        "Uppgifterna finns inte.";
    MethodNotAllowed = "method_not_allowed", "the path exists, the method does not (see Allow)",
        "Begäran är inte tillåten här.";
    ValidationFailed = "validation_failed", "the payload breaks the domain's rules; `errors` lists every problem with its field",
        "Uppgifterna kunde inte sparas. Rätta det som är markerat.";
    InvalidRequest = "invalid_request", "a parameter, header or body cannot be read as meant; `errors` names it",
        "Begäran kunde inte tolkas.";
    BadRequest = "bad_request", "the request could not be understood at all",
        "Begäran kunde inte tolkas.";
    VersionConflict = "version_conflict", "the `version` in the body is not the current one: read again and reapply",
        "Någon annan har ändrat uppgifterna sedan du läste dem. Ladda om sidan och gör ändringen igen.";
    PreconditionFailed = "precondition_failed", "`If-Match` names a version that is not the current one",
        "Någon annan har ändrat uppgifterna sedan du läste dem. Ladda om sidan och gör ändringen igen.";
    VersionRequired = "version_required", "replacing needs the version last read (`If-Match` or `version`)",
        "Uppgifterna finns redan. Ladda om sidan och gör ändringen igen.";
    VersionMismatch = "version_mismatch", "`If-Match` and the body's `version` differ",
        "Begäran har två olika versioner. Ladda om sidan och gör ändringen igen.";
    YearClosed = "year_closed", "the reporting year is closed: only an admin may change its data",
        "Verksamhetsåret är stängt: uppgifterna kan inte längre ändras.";
    DeadlinePassed = "deadline_passed", "the reporting year's deadline has passed for registrars and integrations",
        "Sista dagen för att registrera verksamhetsåret har passerat.";
    YearNotClosed = "year_not_closed", "the year must be closed first",
        "Verksamhetsåret måste stängas först.";
    NotPublished = "not_published", "no open release of that year (or release number) has been published",
        "Statistiken för året är inte publicerad.";
    DatabaseUnavailable = "database_unavailable", "the database cannot be reached; retry after `Retry-After` seconds",
        "Tjänsten kan inte nå databasen just nu. Försök igen om en stund.";
    DatabaseTimeout = "database_timeout", "the database did not answer in time; retry after `Retry-After` seconds",
        "Databasen svarade inte i tid. Försök igen om en stund.";
    Overloaded = "overloaded", "the server is shutting down or overloaded",
        "Tjänsten är hårt belastad just nu. Försök igen om en stund.";
    Internal = "internal", "an error of the service; it has been logged",
        "Ett internt fel inträffade. Det har loggats.";
    BodyTooLarge = "body_too_large", "the request body is larger than this endpoint accepts",
        "Filen är för stor.";
    PayloadTooLarge = "payload_too_large", "the body is larger than this endpoint accepts",
        "Filen är för stor.";
    RateLimited = "rate_limited", "too many requests of this kind; retry after `Retry-After` seconds",
        "För många importer på kort tid. Vänta en minut och försök igen.";
    IdempotencyKeyReused = "idempotency_key_reused", "the `Idempotency-Key` was used before with another body",
        "Importen har redan skickats med annat innehåll.";
    BadEntityTag = "bad_entity_tag", "`If-None-Match` is not entity tags in printable ASCII",
        "Versionen i If-None-Match kunde inte läsas.";
    BadIdempotencyKey = "bad_idempotency_key", "the `Idempotency-Key` header is not a short printable token",
        "Importens nyckel har fel form.";
    SignInFailed = "sign_in_failed", "the sign-in through the identity provider could not be finished; start it again",
        "Inloggningen kunde inte slutföras. Försök logga in igen.";
    CsrfFailed = "csrf_failed", "a state-changing request with the session cookie lacks the session's X-CSRF-Token",
        "Begäran saknar sidans skydd mot förfalskade anrop. Ladda om sidan och försök igen.";
    UnsupportedMediaType = "unsupported_media_type", "the body's Content-Type is not one this endpoint reads",
        "Fel filtyp.";

    // Field errors: one field (a JSON pointer, a parameter, a column) and the rule it breaks.
    Required = "required", "the field must be given", "Fältet måste fyllas i.";
    Blank = "blank", "the text must not be empty or only spaces", "Fältet får inte vara tomt.";
    TooLong = "too_long", "the text is longer than allowed", "Texten är för lång.";
    ControlCharacters = "control_characters", "the text holds control characters",
        "Texten innehåller otillåtna tecken.";
    PersonalIdentityNumber = "personal_identity_number", "the text holds a personal or coordination number: no person is stored",
        "Får inte innehålla ett personnummer eller samordningsnummer – tjänsten lagrar inga personer.";
    NotAString = "not_a_string", "must be a string", "Ange en text.";
    NotADate = "not_a_date", "must be a date as YYYY-MM-DD",
        "Ange ett datum som ÅÅÅÅ-MM-DD, till exempel 2023-01-31.";
    DateOutOfRange = "date_out_of_range", "the date is outside the years the follow-up covers",
        "Datumet ligger utanför det tillåtna intervallet.";
    EndBeforeStart = "end_before_start", "end_date is before start_date", "Slutdatum får inte vara före startdatum.";
    UnknownCode = "unknown_code", "not one of the code list's values", "Välj ett av alternativen.";
    OrientationNotOfKind = "orientation_not_of_kind", "the orientation belongs to the other kind of insats",
        "Inriktningen hör inte till den valda typen av insats.";
    TargetGroupsIndividualOnly = "target_groups_individual_only", "only individual insatser have target groups",
        "Bara individinriktade insatser har målgrupper.";
    NotAnArray = "not_an_array", "must be an array", "Välj bland alternativen.";
    Duplicate = "duplicate", "the same value is given twice", "Samma målgrupp är vald mer än en gång.";
    ContradictoryTargetGroups = "contradictory_target_groups", "only women and only men together",
        "”Endast kvinnor” och ”Endast män” kan inte väljas samtidigt.";
    NotACount = "not_a_count", "must be a whole number", "Ange ett heltal, till exempel 12.";
    NegativeCount = "negative_count", "a count must not be negative", "Antalet får inte vara negativt.";
    CountTooLarge = "count_too_large", "the count is beyond any förbund's", "Antalet är orimligt stort.";
    NotAnAmount = "not_an_amount", "must be an amount in SEK as a decimal string",
        "Ange ett belopp i kronor, till exempel 250000 eller 250000,50.";
    TooManyDecimals = "too_many_decimals", "an amount has at most two decimals (öre)",
        "Beloppet får ha högst två decimaler (ören).";
    NegativeAmount = "negative_amount", "the amount must not be negative", "Beloppet får inte vara negativt.";
    AmountTooLarge = "amount_too_large", "the amount is larger than the field holds", "Beloppet är för stort.";
    ParticipantsRequired = "participants_required", "an individual insats counts its participants",
        "En individinriktad insats ska ha antal deltagare: ange kvinnor och män (0 om inga).";
    ExitsExceedParticipants = "exits_exceed_participants", "more exits than participants in the year",
        "Fler avslut än deltagare under året.";
    ExitsWithoutParticipants = "exits_without_participants", "exits are given only where participants are counted",
        "Avslut kan bara anges när deltagarna räknas.";
    YearOutsideInsats = "year_outside_insats", "the year is outside the insats' period", "Året ligger utanför insatsens period.";
    NotAYear = "not_a_year", "must be a year", "Ange ett årtal.";
    YearOutOfRange = "year_out_of_range", "the year is outside the years the follow-up covers",
        "Året ligger utanför de år som följs upp.";
    YearOrSeries = "year_or_series", "give either year or years, not both", "Ange antingen ett år eller en serie år.";
    BadSeries = "bad_series", "years must be a range like 2021-2023 or a list like 2021,2023",
        "Serien av år har fel form.";
    CountyOrForbund = "county_or_forbund", "give either county or forbund, not both", "Välj antingen län eller förbund.";
    UnknownCounty = "unknown_county", "no county by that code", "Länet finns inte.";
    UnknownForbund = "unknown_forbund", "no förbund by that key", "Förbundet finns inte.";
    UnknownLang = "unknown_lang", "lang must be sv or en", "Språket finns inte.";
    UnknownFormat = "unknown_format", "not one of the formats offered", "Formatet finns inte.";
    UnknownSeparator = "unknown_separator", "not one of the separators offered", "Avgränsaren finns inte.";
    SeparatorNeedsCsv = "separator_needs_csv", "a CSV separator is given only with format=csv",
        "Avgränsare anges bara för CSV.";
    UnknownParameter = "unknown_parameter", "the endpoint takes no parameter by that name", "Okänd parameter.";
    UnknownField = "unknown_field", "the object has no field by that name", "Fältet är okänt för tjänsten.";
    NotAnObject = "not_an_object", "must be a JSON object", "Uppgiften har fel form.";
    NotJson = "not_json", "the body is not JSON", "Innehållet kunde inte läsas som JSON.";
    MalformedJson = "malformed_json", "the body is not well-formed JSON", "Innehållet kunde inte läsas som JSON.";
    BadBody = "bad_body", "the body cannot be read", "Innehållet kunde inte läsas.";
    NotAVersion = "not_a_version", "a version is a whole number from 1", "Felaktig version.";
    NotABoolean = "not_a_boolean", "must be true or false", "Ange ja eller nej.";
    OutOfRange = "out_of_range", "the number is outside the range allowed", "Talet ligger utanför det tillåtna intervallet.";
    ReleaseNeedsYear = "release_needs_year", "a release number is given only with a year", "Ange året för utgåvan.";
    DeadlineBeforeYear = "deadline_before_year", "a deadline falls after its year ends", "Sista dagen måste ligga efter årets slut.";
    DeadlineTooLate = "deadline_too_late", "a deadline at most ten years after its year", "Sista dagen ligger för långt fram.";
    ExternalRefTaken = "external_ref_taken", "another insats of the förbund has this external_ref",
        "Referensen används redan av en annan insats i förbundet.";
    YearsOutsideSpan = "years_outside_span", "the insats has year figures outside its new period",
        "Insatsen har årsuppgifter utanför den nya perioden. Ta bort dem först.";
    UntrackedYearsForIndividual = "untracked_years_for_individual", "an individual insats must count participants every year",
        "Insatsen har år där deltagare inte följs upp; det går inte för en individinriktad insats.";

    // Field errors of the annual report, audit and discharge (annual_report.rs).
    BeforeYearEnd = "before_year_end", "the date is within or before the year reported on; it must come after the year's end",
        "Datumet måste ligga efter verksamhetsårets slut.";
    DateInFuture = "date_in_future", "the date has not come yet", "Datumet har inte kommit än.";
    DatesOutOfOrder = "dates_out_of_order", "the date is before a date that must come first (e.g. received before adopted)",
        "Datumet ligger före ett datum som måste komma först, till exempel inkommen före fastställd.";
    NotAMember = "not_a_member", "the party is not a member of the förbund during the year",
        "Parten är inte medlem i förbundet under året.";
    DuplicateMember = "duplicate_member", "the same member twice", "Samma medlem förekommer flera gånger.";
    DecidedOnWhilePending = "decided_on_while_pending", "a pending discharge has no decision date",
        "Ett beslut som inte är fattat har inget datum. Välj beviljad eller vägrad, eller ta bort datumet.";
    AuditorsReportMissing = "auditors_report_missing", "discharge is decided only once the auditors' report is in (for the state: every member's)",
        "Ansvarsfrihet beslutas först när revisionsberättelsen har kommit in (för staten: alla medlemmars).";

    // Field errors of imports: a column, a line or a row of the batch.
    BadCsv = "bad_csv", "the file cannot be read as CSV", "Filen kunde inte läsas som CSV.";
    UnknownColumn = "unknown_column", "the header has a column the import does not know", "Okänd kolumn i filen.";
    NotUtf8 = "not_utf8", "the file is not UTF-8 (and must be, or is said to be)", "Filen är inte sparad som UTF-8.";
    BadXlsx = "bad_xlsx", "the file cannot be read as an XLSX workbook",
        "Filen kunde inte läsas som en Excel-arbetsbok (XLSX).";
    UnknownSheet = "unknown_sheet", "the workbook has no sheet of that name", "Arbetsboken har inget blad med det namnet.";
    DecimalSeparator = "decimal_separator", "an amount's decimal mark is not its file's: a comma where fields are separated by ; or tab (and in XLSX text cells), a point where they are separated by ,",
        "Fel decimaltecken: i en fil med semikolon eller tabb mellan fälten (och i Excel) skrivs decimaler med komma, i en fil med kommatecken mellan fälten med punkt.";
    DigitGrouping = "digit_grouping", "a number's thousands are grouped by spaces other than in threes",
        "Tusental skiljs åt med mellanslag i grupper om tre siffror, till exempel 250 000,50.";
    TooManyRows = "too_many_rows", "the batch has more rows than an import takes", "Filen har för många rader.";
    DuplicateInBatch = "duplicate_in_batch", "the same external_ref twice in one batch",
        "Samma insats förekommer flera gånger i filen.";
    DuplicateYear = "duplicate_year", "the same year twice for one insats", "Samma år förekommer flera gånger för insatsen.";
    ConflictingLines = "conflicting_lines", "the lines of one insats disagree on the insats itself",
        "Raderna för insatsen har olika uppgifter om själva insatsen.";

    // Field errors of the state's allocation model (allocation/): its parameters and inputs.
    NotWholeKronor = "not_whole_kronor", "the allocation distributes whole kronor: the amount must have no öre",
        "Beloppet ska anges i hela kronor.";
    WeightsNotOne = "weights_not_one", "the weights of försörjningsmått and population must sum to 1",
        "Vikterna för försörjningsmått och befolkning ska tillsammans vara 1 (100 %).";
    NationalSupportTooLarge = "national_support_too_large", "the national support must be less than the frame",
        "Det nationella stödet måste vara mindre än ramen.";
    BaseAmountsTooLarge = "base_amounts_too_large", "the base amounts of all förbund exceed the amount distributed",
        "Grundtilldelningen till alla förbund är större än det belopp som fördelas.";
    StatisticsYearMismatch = "statistics_year_mismatch", "the statistics are of another year than the parameters name",
        "Statistiken gäller ett annat år än det som valts för fördelningen.";
    DuplicateMunicipality = "duplicate_municipality", "the same municipality twice in the statistics",
        "Samma kommun förekommer flera gånger i statistiken.";
    DuplicateForbund = "duplicate_forbund", "the same förbund twice", "Samma förbund förekommer flera gånger.";
    DuplicateMembership = "duplicate_membership", "the same municipality twice in one förbund's membership",
        "Kommunen är medlem i samma förbund flera gånger.";
    StatisticsMissing = "statistics_missing", "a member municipality has no statistics for the year",
        "Kommunen saknar statistik för året.";
    SharesExceedOne = "shares_exceed_one", "a municipality's shares in the förbund sum to more than 1",
        "Kommunens andelar i förbunden är tillsammans mer än 1 (100 %).";
    NoMemberMunicipalities = "no_member_municipalities", "the förbund has no member municipality",
        "Förbundet har inga medlemskommuner.";
    EquityAssessmentMissing = "equity_assessment_missing", "the equity rule needs to know whether the förbund's equity is above the recommendation",
        "Det saknas uppgift om förbundets eget kapital är större än rekommendationen.";
    KeyTotalZero = "key_total_zero", "no member municipality has any of the key's measure, so its part cannot be distributed",
        "Ingen medlemskommun har något värde för fördelningsnyckeln, så den delen kan inte fördelas.";
    DampingInfeasible = "damping_infeasible", "the damping floors of the protected förbund exceed the amount distributed",
        "Dämpningen går inte att uppfylla: de skyddade förbundens golv är större än det belopp som fördelas.";
    StepsOutOfOrder = "steps_out_of_order", "the recommendation's steps must rise in contributions, with only the last one open-ended, and their percentages must not rise",
        "Trappans steg ska stiga i medlemsbidrag, bara det sista steget får sakna övre gräns, och procentsatserna får inte öka.";
    // PxWeb API 2 selections (`/api/v2/tables/{id}/data`).
    UnknownVariable = "unknown_variable", "the table has no variable by that code (see its metadata)",
        "Tabellen har ingen sådan variabel.";
    UnknownValue = "unknown_value", "the variable has no value by that code, or the expression selects none",
        "Variabeln har inget sådant värde.";
    MandatoryVariable = "mandatory_variable", "the variable cannot be eliminated: select at least one of its values",
        "Välj minst ett värde för variabeln.";
    BadExpression = "bad_expression", "not a value code nor a selection expression (*, ?, top(n), bottom(n), from(x), to(x), range(a,b))",
        "Urvalet går inte att tolka.";
    TooManyCells = "too_many_cells", "the selection has more cells than maxDataCells (see /api/v2/config)",
        "Urvalet är för stort. Välj färre värden.";
    UnknownCodelist = "unknown_codelist", "no codelist by that id for the variable",
        "Värdeförrådet finns inte.";
    BadOutputFormatParams = "bad_output_format_params", "an outputFormatParams entry that is unknown, contradicts another or does not apply to the format",
        "Formatinställningarna går inte ihop.";
}

impl ErrorCode {
    pub fn from_code(code: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.iter().copied().find(|c| c.as_str() == code)
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Import summaries are stored and read back: a code no longer listed fails to read, loudly.
impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        ErrorCode::from_code(&code).ok_or_else(|| serde::de::Error::custom(format!("unknown error code {code:?}")))
    }
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;
    use std::collections::HashSet;

    #[test]
    fn every_code_is_distinct_and_has_its_meaning_and_a_swedish_sentence() {
        let mut seen = HashSet::new();
        for code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "{code} twice");
            assert_eq!(ErrorCode::from_code(code.as_str()), Some(*code));
            assert!(code.as_str().bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'), "{code}");
            assert!(!code.meaning().is_empty() && !code.meaning().ends_with('.'), "{code}: {}", code.meaning());
            let text = code.text_sv();
            assert!(
                text.ends_with('.') && text.chars().next().is_some_and(|c| c.is_uppercase() || c == '”'),
                "{code}: {text}"
            );
        }
    }
}

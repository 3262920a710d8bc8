-- Reference data: counties, municipalities, förbund and their membership over time.
-- btree_gist lets one exclusion constraint say "a municipality belongs to at most one förbund
-- at any date"; it is a trusted extension, so a database owner may create it.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE counties (
    code       TEXT PRIMARY KEY CHECK (code ~ '^[0-9]{2}$'),
    name       TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
    name_short TEXT NOT NULL CHECK (length(name_short) BETWEEN 1 AND 100)
);

CREATE TABLE municipalities (
    code        TEXT PRIMARY KEY CHECK (code ~ '^[0-9]{4}$'),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    name_short  TEXT NOT NULL CHECK (length(name_short) BETWEEN 1 AND 100),
    county_code TEXT NOT NULL REFERENCES counties (code)
);
CREATE INDEX municipalities_county_idx ON municipalities (county_code);

CREATE TABLE forbund (
    forbund_key TEXT PRIMARY KEY CHECK (forbund_key ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(forbund_key) <= 100),
    name        TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200)
);

-- valid_to is exclusive; NULL means "still valid".
CREATE TABLE memberships (
    forbund_key       TEXT NOT NULL REFERENCES forbund (forbund_key),
    municipality_code TEXT NOT NULL REFERENCES municipalities (code),
    valid_from        DATE NOT NULL,
    valid_to          DATE,
    PRIMARY KEY (forbund_key, municipality_code, valid_from),
    CHECK (valid_to IS NULL OR valid_to > valid_from),
    EXCLUDE USING gist (
        municipality_code WITH =,
        daterange(valid_from, valid_to, '[)') WITH &&
    )
);
CREATE INDEX memberships_municipality_idx ON memberships (municipality_code);

-- Code lists. An orientation belongs to exactly one kind; (code, kind) is referenced by insatser
-- so that the database itself refuses an orientation of the other kind.
CREATE TABLE insats_kinds (
    code    TEXT PRIMARY KEY,
    name_sv TEXT NOT NULL
);
INSERT INTO insats_kinds (code, name_sv) VALUES
    ('individual', 'Individinriktad insats'),
    ('structural', 'Strukturövergripande insats');

CREATE TABLE orientations (
    code    TEXT PRIMARY KEY,
    kind    TEXT NOT NULL REFERENCES insats_kinds (code),
    name_sv TEXT NOT NULL,
    UNIQUE (code, kind)
);
INSERT INTO orientations (code, kind, name_sv) VALUES
    ('work_oriented',       'individual', 'Arbetslivsinriktad'),
    ('preparatory',         'individual', 'Förberedande'),
    ('identify_needs',      'individual', 'Identifiera individens behov'),
    ('preventive',          'individual', 'Förebyggande'),
    ('develop_cooperation', 'structural', 'Utveckla samverkan'),
    ('competence_raising',  'structural', 'Kompetenshöjande'),
    ('needs_analysis',      'structural', 'Behovsanalys');

CREATE TABLE target_groups (
    code    TEXT PRIMARY KEY,
    name_sv TEXT NOT NULL
);
INSERT INTO target_groups (code, name_sv) VALUES
    ('women_only',                       'Endast kvinnor'),
    ('men_only',                         'Endast män'),
    ('young',                            'Unga'),
    ('young_with_disability',            'Unga med funktionsnedsättning'),
    ('young_with_activity_compensation', 'Unga med aktivitetsersättning'),
    ('long_term_sick_listed',            'Långtidssjukskrivna');

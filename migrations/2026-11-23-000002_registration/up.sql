-- Registration: what a förbund finances, its yearly figures and its finances.
-- No person is stored anywhere: participants and exits are counts.

CREATE TABLE insatser (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    forbund_key  TEXT NOT NULL REFERENCES forbund (forbund_key),
    external_ref TEXT CHECK (length(external_ref) BETWEEN 1 AND 100),
    name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description  TEXT CHECK (length(description) <= 4000),
    kind         TEXT NOT NULL REFERENCES insats_kinds (code),
    orientation  TEXT NOT NULL,
    start_date   DATE NOT NULL CHECK (start_date >= DATE '2004-01-01'),
    end_date     DATE CHECK (end_date IS NULL OR end_date >= start_date),
    version      INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at   TIMESTAMPTZ,
    FOREIGN KEY (orientation, kind) REFERENCES orientations (code, kind),
    -- referenced by the tables below so that they can check rules that depend on the kind
    UNIQUE (id, kind)
);
-- external_ref identifies an insats in the förbund's own case system; a deleted insats frees it.
CREATE UNIQUE INDEX insatser_external_ref_key ON insatser (forbund_key, external_ref)
    WHERE deleted_at IS NULL AND external_ref IS NOT NULL;
CREATE INDEX insatser_forbund_idx ON insatser (forbund_key);

-- Target groups only for individual insatser: the row repeats the kind and may only say
-- 'individual'; ON UPDATE CASCADE turns a change of kind on an insats with groups into a violation.
CREATE TABLE insats_target_groups (
    insats_id    BIGINT NOT NULL,
    kind         TEXT NOT NULL DEFAULT 'individual' CHECK (kind = 'individual'),
    target_group TEXT NOT NULL REFERENCES target_groups (code),
    PRIMARY KEY (insats_id, target_group),
    FOREIGN KEY (insats_id, kind) REFERENCES insatser (id, kind) ON UPDATE CASCADE ON DELETE CASCADE
);

-- One insats' figures for one year. Participants NULL = not tracked (structural only).
-- Exits are optional as a whole; when given, each gender's exits never exceed its participants.
CREATE TABLE insats_years (
    insats_id                BIGINT NOT NULL,
    kind                     TEXT NOT NULL,
    year                     INTEGER NOT NULL CHECK (year BETWEEN 2004 AND 2100),
    participants_women       INTEGER CHECK (participants_women >= 0),
    participants_men         INTEGER CHECK (participants_men >= 0),
    budget                   NUMERIC(16, 2) NOT NULL CHECK (budget >= 0),
    outcome                  NUMERIC(16, 2) CHECK (outcome >= 0),
    exits_work_women         INTEGER CHECK (exits_work_women >= 0),
    exits_work_men           INTEGER CHECK (exits_work_men >= 0),
    exits_studies_women      INTEGER CHECK (exits_studies_women >= 0),
    exits_studies_men        INTEGER CHECK (exits_studies_men >= 0),
    exits_job_seeking_women  INTEGER CHECK (exits_job_seeking_women >= 0),
    exits_job_seeking_men    INTEGER CHECK (exits_job_seeking_men >= 0),
    exits_other_women        INTEGER CHECK (exits_other_women >= 0),
    exits_other_men          INTEGER CHECK (exits_other_men >= 0),
    version                  INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    updated_at               TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (insats_id, year),
    FOREIGN KEY (insats_id, kind) REFERENCES insatser (id, kind) ON UPDATE CASCADE ON DELETE CASCADE,
    CONSTRAINT participants_both_or_neither
        CHECK ((participants_women IS NULL) = (participants_men IS NULL)),
    CONSTRAINT individual_tracks_participants
        CHECK (kind = 'structural' OR participants_women IS NOT NULL),
    CONSTRAINT exits_all_or_none CHECK (
        num_nulls(exits_work_women, exits_work_men, exits_studies_women, exits_studies_men,
                  exits_job_seeking_women, exits_job_seeking_men, exits_other_women, exits_other_men)
        IN (0, 8)),
    CONSTRAINT exits_need_participants
        CHECK (exits_work_women IS NULL OR participants_women IS NOT NULL),
    CONSTRAINT exits_within_participants CHECK (
        exits_work_women IS NULL OR (
            exits_work_women + exits_studies_women + exits_job_seeking_women + exits_other_women
                <= participants_women
            AND exits_work_men + exits_studies_men + exits_job_seeking_men + exits_other_men
                <= participants_men))
);
CREATE INDEX insats_years_year_idx ON insats_years (year);

-- A förbund's finances for one year. Contributions off 2:1:1 are allowed (flagged, not refused).
CREATE TABLE forbund_finances (
    forbund_key                  TEXT NOT NULL REFERENCES forbund (forbund_key),
    year                         INTEGER NOT NULL CHECK (year BETWEEN 2004 AND 2100),
    contributions_state          NUMERIC(16, 2) NOT NULL CHECK (contributions_state >= 0),
    contributions_regions        NUMERIC(16, 2) NOT NULL CHECK (contributions_regions >= 0),
    contributions_municipalities NUMERIC(16, 2) NOT NULL CHECK (contributions_municipalities >= 0),
    administration_budget        NUMERIC(16, 2) NOT NULL CHECK (administration_budget >= 0),
    administration_outcome       NUMERIC(16, 2) CHECK (administration_outcome >= 0),
    -- equity can be negative: a förbund may run a deficit beyond its capital
    equity_opening               NUMERIC(16, 2) NOT NULL,
    equity_closing               NUMERIC(16, 2) NOT NULL,
    result                       NUMERIC(16, 2) GENERATED ALWAYS AS (equity_closing - equity_opening) STORED,
    version                      INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    updated_at                   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (forbund_key, year)
);

-- The national reporting year: open until an admin closes (locks) it.
CREATE TABLE reporting_years (
    year      INTEGER PRIMARY KEY CHECK (year BETWEEN 2004 AND 2100),
    deadline  DATE NOT NULL,
    closed_at TIMESTAMPTZ,
    closed_by TEXT,
    CHECK ((closed_at IS NULL) = (closed_by IS NULL))
);

-- Each förbund's own state for a year: open until it submits (declares the year complete).
CREATE TABLE forbund_years (
    forbund_key  TEXT NOT NULL REFERENCES forbund (forbund_key),
    year         INTEGER NOT NULL CHECK (year BETWEEN 2004 AND 2100),
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'submitted')),
    submitted_at TIMESTAMPTZ,
    submitted_by TEXT,
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (forbund_key, year),
    CHECK ((status = 'submitted') = (submitted_at IS NOT NULL AND submitted_by IS NOT NULL))
);

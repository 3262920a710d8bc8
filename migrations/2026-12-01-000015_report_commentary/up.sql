-- The analysts' own commentary on each section of a year's report (issue 19), printed verbatim
-- beside the generated text. Sections are domain::report_section's codes; the domain checks the
-- text (length, control characters, identity numbers), the CHECKs what a row alone can say.
CREATE TABLE report_commentary (
    year       INTEGER NOT NULL CHECK (year BETWEEN 2004 AND 2100),
    section    TEXT NOT NULL CHECK (section ~ '^[a-z_]{1,40}$'),
    text       TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 10000),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- the token's subject of whoever wrote it last; the audit log has every change
    updated_by TEXT NOT NULL,
    PRIMARY KEY (year, section)
);

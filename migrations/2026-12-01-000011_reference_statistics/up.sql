-- The statistics the state's allocation model keys on, per municipality and year, as an admin
-- imports them: inhabitants aged 16–64 and försörjningsmått (SEK thousands), each with where it
-- came from, the age band it counts (sources say 16–64 or 16–65) and when it was extracted.
CREATE TABLE reference_statistics (
    year                 INTEGER NOT NULL CHECK (year BETWEEN 2004 AND 2100),
    municipality_code    TEXT NOT NULL REFERENCES municipalities (code),
    inhabitants_16_64    BIGINT NOT NULL CHECK (inhabitants_16_64 >= 0),
    forsorjningsmatt_tkr NUMERIC(16, 2) NOT NULL CHECK (forsorjningsmatt_tkr >= 0),
    source               TEXT NOT NULL CHECK (length(source) BETWEEN 1 AND 200),
    age_band             TEXT NOT NULL CHECK (length(age_band) BETWEEN 1 AND 20),
    extract_date         DATE NOT NULL,
    imported_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (year, municipality_code)
);

-- The part of a municipality's statistics counted for the förbund (1 unless split). The
-- exclusion constraint of the reference migration still lets a municipality belong to one
-- förbund at a time, so with this CHECK a municipality's shares never exceed 1; splitting a
-- municipality between förbund needs that constraint replaced by a sum-of-shares rule.
ALTER TABLE memberships
    ADD COLUMN share NUMERIC(5, 4) NOT NULL DEFAULT 1 CHECK (share > 0 AND share <= 1);

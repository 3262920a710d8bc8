-- The parts of each förbund's decided allocation, so that the `allocation` table shows how the
-- total came about as it was decided, even after the statistics or memberships change. A decision
-- stored before this migration kept only its total: its parts stay NULL (unknown), never invented.
ALTER TABLE allocation_results
    ADD COLUMN base                NUMERIC(16, 0) CHECK (base >= 0),
    ADD COLUMN by_forsorjningsmatt NUMERIC(16, 0) CHECK (by_forsorjningsmatt >= 0),
    ADD COLUMN by_population       NUMERIC(16, 0) CHECK (by_population >= 0),
    ADD COLUMN damping_adjustment  NUMERIC(16, 0),
    ADD COLUMN previous_allocation NUMERIC(16, 0) CHECK (previous_allocation >= 0),
    -- the domain's Explanation: municipalities with shares and figures, key shares, damping
    ADD COLUMN explanation         JSONB CHECK (jsonb_typeof(explanation) = 'object'),
    ADD CONSTRAINT allocation_parts_all_or_none CHECK (
        (base IS NULL) = (by_forsorjningsmatt IS NULL)
        AND (base IS NULL) = (by_population IS NULL)
        AND (base IS NULL) = (damping_adjustment IS NULL)
    ),
    ADD CONSTRAINT allocation_parts_sum_to_total CHECK (
        base IS NULL OR base + by_forsorjningsmatt + by_population + damping_adjustment = total
    );

-- What an admin sets for a year's money follow-up (domain::money_settings): no source gives these
-- numbers, so each is NULL until set.
CREATE TABLE money_settings (
    year                               INTEGER PRIMARY KEY CHECK (year BETWEEN 2004 AND 2100),
    -- [{"contributions_up_to": "15000000" | null, "max_percent": "20"}, …], checked by the domain
    equity_recommendation              JSONB CHECK (jsonb_typeof(equity_recommendation) = 'array'),
    administration_share_limit_percent NUMERIC(5, 2)
        CHECK (administration_share_limit_percent BETWEEN 0 AND 100),
    national_support_spent             NUMERIC(16, 2) CHECK (national_support_spent >= 0),
    version                            INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    updated_at                         TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A municipality may be split between förbund, each membership with its share. The rule that
-- replaces one-förbund-at-a-time, that its shares never sum to more than 1 on any day, is the
-- domain's (finsam_domain::membership), checked by the use case with the municipality's row
-- locked; the share's own range stays a CHECK.
DO $$
DECLARE excl text;
BEGIN
    SELECT conname INTO excl FROM pg_constraint
     WHERE conrelid = 'memberships'::regclass AND contype = 'x';
    EXECUTE format('ALTER TABLE memberships DROP CONSTRAINT %I', excl);
END $$;

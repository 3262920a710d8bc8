-- The state's allocation per allocation year as an admin decided it: the parameters (as the
-- domain's AllocationParameters, every one set) and what they gave each förbund, so that the next
-- year's damping knows the previous allocation.
CREATE TABLE allocation_decisions (
    year       INTEGER PRIMARY KEY CHECK (year BETWEEN 2004 AND 2100),
    parameters JSONB NOT NULL CHECK (jsonb_typeof(parameters) = 'object'),
    version    INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    decided_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE allocation_results (
    year        INTEGER NOT NULL REFERENCES allocation_decisions (year) ON DELETE CASCADE,
    forbund_key TEXT NOT NULL REFERENCES forbund (forbund_key),
    -- whole kronor
    total       NUMERIC(16, 0) NOT NULL CHECK (total >= 0),
    PRIMARY KEY (year, forbund_key)
);

-- A förbund's annual report for a year, its audit and discharge (issue 17): when the board
-- adopted the annual report and Försäkringskassan received it; per member (`state`,
-- `region:<county code>`, `municipality:<code>`) when its auditors' report came in and its
-- decision on discharge; the auditors' remarks by category. The domain's annual_report module
-- holds the rules that need the membership or today's date; these hold what a row alone can say.
CREATE TABLE annual_reports (
    forbund_key TEXT NOT NULL REFERENCES forbund (forbund_key),
    year        INTEGER NOT NULL CHECK (year BETWEEN 2004 AND 2100),
    adopted_on  DATE CHECK (adopted_on > make_date(year, 12, 31)),
    received_on DATE CHECK (received_on > make_date(year, 12, 31)),
    version     INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (forbund_key, year),
    CHECK (received_on >= adopted_on)
);
CREATE INDEX annual_reports_year_idx ON annual_reports (year);

CREATE TABLE annual_report_members (
    forbund_key                 TEXT NOT NULL,
    year                        INTEGER NOT NULL,
    position                    INTEGER NOT NULL CHECK (position >= 0),
    member                      TEXT NOT NULL CHECK (member ~ '^(state|region:[0-9]{2}|municipality:[0-9]{4})$'),
    auditors_report_received_on DATE CHECK (auditors_report_received_on > make_date(year, 12, 31)),
    discharge                   TEXT NOT NULL CHECK (discharge IN ('granted', 'refused', 'pending')),
    discharge_decided_on        DATE CHECK (discharge_decided_on > make_date(year, 12, 31)),
    diary_number                TEXT CHECK (length(diary_number) BETWEEN 1 AND 100),
    PRIMARY KEY (forbund_key, year, position),
    UNIQUE (forbund_key, year, member),
    FOREIGN KEY (forbund_key, year) REFERENCES annual_reports (forbund_key, year) ON DELETE CASCADE,
    -- A decision has its date and follows the member's auditors' report; pending has neither.
    CHECK ((discharge = 'pending') = (discharge_decided_on IS NULL)),
    CHECK (discharge = 'pending' OR auditors_report_received_on IS NOT NULL),
    CHECK (discharge_decided_on >= auditors_report_received_on)
);

CREATE TABLE annual_report_remarks (
    forbund_key TEXT NOT NULL,
    year        INTEGER NOT NULL,
    position    INTEGER NOT NULL CHECK (position >= 0),
    category    TEXT NOT NULL CHECK (category IN ('goals_unclear', 'result_not_consistent_with_equity_goal', 'other')),
    text        TEXT CHECK (length(text) BETWEEN 1 AND 2000),
    PRIMARY KEY (forbund_key, year, position),
    FOREIGN KEY (forbund_key, year) REFERENCES annual_reports (forbund_key, year) ON DELETE CASCADE,
    CHECK (category <> 'other' OR text IS NOT NULL)
);

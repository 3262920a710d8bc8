-- Open statistics are releases: nothing is public for a year until an admin publishes a release
-- of it, and a release never changes. It freezes the protected tables of the year at every level
-- (nation, counties, förbund) as they were published, with the exact tables they were protected
-- from: those are never served, but a later release of the year must be protected together with
-- every earlier one, which needs to know which true values changed in between.
CREATE TABLE open_releases (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    year         INTEGER NOT NULL,
    release      INTEGER NOT NULL CHECK (release >= 1),
    published_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_by TEXT NOT NULL CHECK (length(published_by) BETWEEN 1 AND 200),
    -- The data it was made from: the data version, and when the last change it includes was made.
    data_version BIGINT NOT NULL,
    data_as_of   TIMESTAMPTZ,
    threshold    BIGINT NOT NULL CHECK (threshold >= 1),
    note         TEXT NOT NULL CHECK (length(note) BETWEEN 1 AND 2000),
    UNIQUE (year, release)
);

CREATE TABLE open_release_tables (
    release_id BIGINT NOT NULL REFERENCES open_releases (id),
    table_id   TEXT NOT NULL,
    -- The selection's place in the release: the nation first, then the counties, then the förbund.
    position   INTEGER NOT NULL CHECK (position >= 0),
    level      TEXT NOT NULL CHECK (level IN ('national', 'county', 'forbund')),
    code       TEXT,
    published  JSONB NOT NULL,
    exact      JSONB NOT NULL,
    PRIMARY KEY (release_id, table_id, position),
    CHECK ((level = 'national') = (code IS NULL))
);

-- Immutable like the audit log: no role, the application's included, may rewrite a release.
CREATE FUNCTION open_releases_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is immutable: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER open_releases_no_update_delete
    BEFORE UPDATE OR DELETE ON open_releases
    FOR EACH ROW EXECUTE FUNCTION open_releases_immutable();
CREATE TRIGGER open_releases_no_truncate
    BEFORE TRUNCATE ON open_releases
    FOR EACH STATEMENT EXECUTE FUNCTION open_releases_immutable();
CREATE TRIGGER open_release_tables_no_update_delete
    BEFORE UPDATE OR DELETE ON open_release_tables
    FOR EACH ROW EXECUTE FUNCTION open_releases_immutable();
CREATE TRIGGER open_release_tables_no_truncate
    BEFORE TRUNCATE ON open_release_tables
    FOR EACH STATEMENT EXECUTE FUNCTION open_releases_immutable();

REVOKE UPDATE, DELETE, TRUNCATE ON open_releases, open_release_tables FROM PUBLIC;

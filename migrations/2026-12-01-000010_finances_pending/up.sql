-- Closing equity is known only from the förbund's annual report (drawn up within three months of
-- the year's end): it may be left pending (NULL) until then; the generated result is then NULL too.
ALTER TABLE forbund_finances ALTER COLUMN equity_closing DROP NOT NULL;

-- Pending closing equity cannot be kept: such rows are removed before the column is required again.
DELETE FROM forbund_finances WHERE equity_closing IS NULL;
ALTER TABLE forbund_finances ALTER COLUMN equity_closing SET NOT NULL;

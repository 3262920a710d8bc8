ALTER TABLE memberships DROP COLUMN share;
DROP TABLE reference_statistics;

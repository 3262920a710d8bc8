DROP TABLE open_release_tables;
DROP TABLE open_releases;
DROP FUNCTION open_releases_immutable();

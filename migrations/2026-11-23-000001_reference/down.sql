DROP TABLE target_groups;
DROP TABLE orientations;
DROP TABLE insats_kinds;
DROP TABLE memberships;
DROP TABLE forbund;
DROP TABLE municipalities;
DROP TABLE counties;
DROP EXTENSION IF EXISTS btree_gist;

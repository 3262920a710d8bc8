DROP TABLE forbund_years;
DROP TABLE reporting_years;
DROP TABLE forbund_finances;
DROP TABLE insats_years;
DROP TABLE insats_target_groups;
DROP TABLE insatser;

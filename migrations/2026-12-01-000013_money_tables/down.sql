ALTER TABLE memberships ADD EXCLUDE USING gist (
    municipality_code WITH =,
    daterange(valid_from, valid_to, '[)') WITH &&
);
DROP TABLE money_settings;
ALTER TABLE allocation_results
    DROP CONSTRAINT allocation_parts_sum_to_total,
    DROP CONSTRAINT allocation_parts_all_or_none,
    DROP COLUMN explanation,
    DROP COLUMN previous_allocation,
    DROP COLUMN damping_adjustment,
    DROP COLUMN by_population,
    DROP COLUMN by_forsorjningsmatt,
    DROP COLUMN base;

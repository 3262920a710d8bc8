DROP TABLE allocation_results;
DROP TABLE allocation_decisions;

DROP TABLE report_commentary;

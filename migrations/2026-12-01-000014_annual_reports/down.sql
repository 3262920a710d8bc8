DROP TABLE annual_report_remarks;
DROP TABLE annual_report_members;
DROP TABLE annual_reports;

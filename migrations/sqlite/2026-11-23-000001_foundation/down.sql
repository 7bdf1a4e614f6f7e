DROP TABLE stage_changes;
DROP TABLE attestations;
DROP TABLE answers;
DROP TABLE applications;
DROP TABLE applicants;
DROP TABLE postings;

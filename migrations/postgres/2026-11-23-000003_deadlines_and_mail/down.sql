DROP TABLE calendar_feeds;
DROP INDEX applications_certified;
DROP INDEX applications_stage;
DROP TABLE outbox;
DROP TABLE alerts_sent;
DROP TABLE upkeep_entries;
DROP TABLE deadline_extensions;

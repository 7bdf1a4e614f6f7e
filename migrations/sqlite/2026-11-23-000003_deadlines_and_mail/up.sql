-- Hires: the provisional CIPSS deadline's extensions, certification upkeep, the alerts already
-- sent, and the outbox every email goes through.

-- Each extension moves the due date; the newest one counts. Audited separately.
CREATE TABLE deadline_extensions (
    id INTEGER PRIMARY KEY NOT NULL,
    application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    new_due_date DATE NOT NULL,
    reason TEXT NOT NULL,
    actor_id INTEGER REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX deadline_extensions_application ON deadline_extensions (application_id, id);

-- What a certified peer support specialist did to keep the certification.
CREATE TABLE upkeep_entries (
    id INTEGER PRIMARY KEY NOT NULL,
    application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    done_on DATE NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('continuing_education', 'skill_building', 'review')),
    hours DOUBLE PRECISION NOT NULL,
    note TEXT,
    actor_id INTEGER REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX upkeep_entries_application ON upkeep_entries (application_id, done_on);

-- One row per alert ever queued: the unique key makes "exactly once" hold across restarts and
-- instances. `alert` is e.g. 'due-60', 'due-0', 'overdue-2', 'upkeep-2027-30'.
CREATE TABLE alerts_sent (
    application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    alert TEXT NOT NULL,
    sent_on DATE NOT NULL,
    PRIMARY KEY (application_id, alert)
);

-- Every email, written in the transaction of the event that causes it, sent by the worker.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    -- The candidate the message is about, so erasing the candidate erases their emails too.
    application_id INTEGER REFERENCES applications (id) ON DELETE CASCADE,
    to_address TEXT NOT NULL,
    cc_address TEXT,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    -- A claimed message belongs to one worker until the lease ends; a worker that dies leaves
    -- it to be claimed again after that.
    lease_until TIMESTAMP,
    sent_at TIMESTAMP,
    failed_at TIMESTAMP,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox (sent_at, failed_at, next_attempt_at);
CREATE INDEX outbox_application ON outbox (application_id);

-- Deadline scans walk hires by stage through an index, not the whole table.
CREATE INDEX applications_stage ON applications (stage, hire_date);
-- Upkeep scans read certified hires by the date of their certification.
CREATE INDEX applications_certified ON applications (stage, certified_on);

-- A manager's calendar feed: the secret link's digest (the link itself is shown once).
CREATE TABLE calendar_feeds (
    user_id INTEGER PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_digest TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);

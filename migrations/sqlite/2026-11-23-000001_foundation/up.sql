-- The pipeline's core: postings mirrored from forms/, applicants' contact details, their
-- applications with answers and self-attestations, and every stage change.
-- Timestamps are UTC, written by the application.

CREATE TABLE postings (
    id INTEGER PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Contact details live apart from the application so retention can erase them and keep the
-- pipeline's history.
CREATE TABLE applicants (
    id INTEGER PRIMARY KEY NOT NULL,
    full_name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE applications (
    id INTEGER PRIMARY KEY NOT NULL,
    reference TEXT NOT NULL UNIQUE,
    posting_id INTEGER NOT NULL REFERENCES postings (id),
    applicant_id INTEGER REFERENCES applicants (id) ON DELETE SET NULL,
    stage TEXT NOT NULL,
    -- Optimistic concurrency: every change bumps it; a stale writer gets a conflict.
    version INTEGER NOT NULL DEFAULT 1,
    -- A digest of the posting, email and answers: a double submission finds the first one.
    fingerprint TEXT UNIQUE,
    submitted_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    erased_at TIMESTAMP
);
CREATE INDEX applications_posting_stage ON applications (posting_id, stage);
CREATE INDEX applications_submitted_at ON applications (submitted_at);
CREATE INDEX applications_applicant ON applications (applicant_id);

-- One row per question: q1..q5 and the optional comment under q1 (`q1_comment`).
CREATE TABLE answers (
    application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (application_id, question_id)
);

-- What the applicant says about the KSAs the form lets them answer; HR verifies.
CREATE TABLE attestations (
    application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (application_id, field)
);

CREATE TABLE stage_changes (
    id INTEGER PRIMARY KEY NOT NULL,
    application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    from_stage TEXT,
    to_stage TEXT NOT NULL,
    reason TEXT,
    actor TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX stage_changes_application ON stage_changes (application_id);

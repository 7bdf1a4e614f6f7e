-- HR: users and their sessions and API tokens, sign-in attempts for throttling, the one-time
-- link that creates the first admin, the KSA review of each candidate, hires, and the audit trail.

CREATE TABLE users (
    id SERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'hr', 'manager')),
    password_hash TEXT NOT NULL,
    disabled_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);

-- Server-side sessions, so signing out or disabling a user ends them on every instance.
-- Only a SHA-256 digest of the cookie's token is stored.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id SERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);

-- Failed and successful sign-ins, for throttling per account and per address.
CREATE TABLE signin_attempts (
    id SERIAL PRIMARY KEY,
    email TEXT NOT NULL,
    address TEXT NOT NULL,
    succeeded BOOLEAN NOT NULL,
    attempted_at TIMESTAMP NOT NULL
);
CREATE INDEX signin_attempts_email ON signin_attempts (email, attempted_at);
CREATE INDEX signin_attempts_address ON signin_attempts (address, attempted_at);

CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);

-- One row per reviewed KSA item; an item without a row is not reviewed.
CREATE TABLE ksa_reviews (
    application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    ksa_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('not_reviewed', 'met', 'not_met', 'follow_up')),
    note TEXT,
    reviewer_id INTEGER REFERENCES users (id),
    reviewed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (application_id, ksa_id)
);

ALTER TABLE applications ADD COLUMN hire_date DATE;
ALTER TABLE applications ADD COLUMN hiring_manager_id INTEGER REFERENCES users (id);
ALTER TABLE applications ADD COLUMN provisional_certified_on DATE;
ALTER TABLE applications ADD COLUMN certified_on DATE;
-- When the application reached withdrawn or not_selected: retention counts from here.
ALTER TABLE applications ADD COLUMN closed_at TIMESTAMP;
CREATE INDEX applications_closed_at ON applications (closed_at);
CREATE INDEX applications_hiring_manager ON applications (hiring_manager_id);

ALTER TABLE stage_changes ADD COLUMN actor_id INTEGER REFERENCES users (id);

-- Append-only: the application never updates or deletes a row. No answer text is written here.
CREATE TABLE audit_log (
    id SERIAL PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    actor_id INTEGER REFERENCES users (id),
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT,
    detail TEXT,
    address TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_action ON audit_log (action, at);
CREATE INDEX audit_log_subject ON audit_log (subject, at);

// @generated automatically by Diesel CLI.

diesel::table! {
    alerts_sent (application_id, alert) {
        application_id -> Integer,
        alert -> Text,
        sent_on -> Date,
    }
}

diesel::table! {
    answers (application_id, question_id) {
        application_id -> Integer,
        question_id -> Text,
        value -> Text,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Integer,
        user_id -> Integer,
        token_hash -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    applicants (id) {
        id -> Integer,
        full_name -> Text,
        email -> Text,
        phone -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    applications (id) {
        id -> Integer,
        reference -> Text,
        posting_id -> Integer,
        applicant_id -> Nullable<Integer>,
        stage -> Text,
        version -> Integer,
        fingerprint -> Nullable<Text>,
        submitted_at -> Timestamp,
        updated_at -> Timestamp,
        erased_at -> Nullable<Timestamp>,
        hire_date -> Nullable<Date>,
        hiring_manager_id -> Nullable<Integer>,
        provisional_certified_on -> Nullable<Date>,
        certified_on -> Nullable<Date>,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    attestations (application_id, field) {
        application_id -> Integer,
        field -> Text,
        value -> Text,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Integer,
        at -> Timestamp,
        actor_id -> Nullable<Integer>,
        actor -> Text,
        action -> Text,
        subject -> Nullable<Text>,
        detail -> Nullable<Text>,
        address -> Nullable<Text>,
    }
}

diesel::table! {
    calendar_feeds (user_id) {
        user_id -> Integer,
        token_digest -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    deadline_extensions (id) {
        id -> Integer,
        application_id -> Integer,
        new_due_date -> Date,
        reason -> Text,
        actor_id -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    ksa_reviews (application_id, ksa_id) {
        application_id -> Integer,
        ksa_id -> Text,
        status -> Text,
        note -> Nullable<Text>,
        reviewer_id -> Nullable<Integer>,
        reviewed_at -> Timestamp,
    }
}

diesel::table! {
    outbox (id) {
        id -> Integer,
        kind -> Text,
        application_id -> Nullable<Integer>,
        to_address -> Text,
        cc_address -> Nullable<Text>,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        created_at -> Timestamp,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        lease_until -> Nullable<Timestamp>,
        sent_at -> Nullable<Timestamp>,
        failed_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    postings (id) {
        id -> Integer,
        slug -> Text,
        title -> Text,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sessions (token_hash) {
        token_hash -> Text,
        user_id -> Integer,
        csrf_token -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    setup_tokens (token_hash) {
        token_hash -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    signin_attempts (id) {
        id -> Integer,
        email -> Text,
        address -> Text,
        succeeded -> Bool,
        attempted_at -> Timestamp,
    }
}

diesel::table! {
    stage_changes (id) {
        id -> Integer,
        application_id -> Integer,
        from_stage -> Nullable<Text>,
        to_stage -> Text,
        reason -> Nullable<Text>,
        actor -> Nullable<Text>,
        created_at -> Timestamp,
        actor_id -> Nullable<Integer>,
    }
}

diesel::table! {
    upkeep_entries (id) {
        id -> Integer,
        application_id -> Integer,
        done_on -> Date,
        kind -> Text,
        hours -> Double,
        note -> Nullable<Text>,
        actor_id -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> Integer,
        email -> Text,
        full_name -> Text,
        role -> Text,
        password_hash -> Text,
        disabled_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(alerts_sent -> applications (application_id));
diesel::joinable!(answers -> applications (application_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(applications -> applicants (applicant_id));
diesel::joinable!(applications -> postings (posting_id));
diesel::joinable!(applications -> users (hiring_manager_id));
diesel::joinable!(attestations -> applications (application_id));
diesel::joinable!(outbox -> applications (application_id));
diesel::joinable!(audit_log -> users (actor_id));
diesel::joinable!(calendar_feeds -> users (user_id));
diesel::joinable!(deadline_extensions -> applications (application_id));
diesel::joinable!(deadline_extensions -> users (actor_id));
diesel::joinable!(ksa_reviews -> applications (application_id));
diesel::joinable!(ksa_reviews -> users (reviewer_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(stage_changes -> applications (application_id));
diesel::joinable!(stage_changes -> users (actor_id));
diesel::joinable!(upkeep_entries -> applications (application_id));
diesel::joinable!(upkeep_entries -> users (actor_id));

diesel::allow_tables_to_appear_in_same_query!(
    alerts_sent,
    answers,
    api_tokens,
    applicants,
    applications,
    attestations,
    audit_log,
    calendar_feeds,
    deadline_extensions,
    ksa_reviews,
    outbox,
    postings,
    sessions,
    setup_tokens,
    signin_attempts,
    stage_changes,
    upkeep_entries,
    users,
);

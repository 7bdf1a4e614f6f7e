// @generated automatically by Diesel CLI.

diesel::table! {
    answers (application_id, question_id) {
        application_id -> Integer,
        question_id -> Text,
        value -> Text,
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
    stage_changes (id) {
        id -> Integer,
        application_id -> Integer,
        from_stage -> Nullable<Text>,
        to_stage -> Text,
        reason -> Nullable<Text>,
        actor -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(answers -> applications (application_id));
diesel::joinable!(applications -> applicants (applicant_id));
diesel::joinable!(applications -> postings (posting_id));
diesel::joinable!(attestations -> applications (application_id));
diesel::joinable!(stage_changes -> applications (application_id));

diesel::allow_tables_to_appear_in_same_query!(
    answers,
    applicants,
    applications,
    attestations,
    postings,
    stage_changes,
);

//! Searching every stored text, for the privacy tests and for an operator who must prove that
//! a word is nowhere in the database.

use diesel::prelude::*;

use super::schema::{
    answers, applicants, applications, attestations, deadline_extensions, outbox, postings,
    stage_changes, upkeep_entries,
};
use super::{DbConnection, StorageResult};

/// Whether any text column of any table contains `needle` (case-sensitive).
pub fn contains_text(conn: &mut DbConnection, needle: &str) -> StorageResult<bool> {
    let pattern = format!(
        "%{}%",
        needle
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let like = |n: i64| n > 0;
    let hits = [
        answers::table
            .filter(answers::value.like(&pattern).escape('\\'))
            .count()
            .get_result::<i64>(conn)?,
        applicants::table
            .filter(
                applicants::full_name
                    .like(&pattern)
                    .escape('\\')
                    .or(applicants::email.like(&pattern).escape('\\'))
                    .or(applicants::phone.like(&pattern).escape('\\')),
            )
            .count()
            .get_result::<i64>(conn)?,
        attestations::table
            .filter(attestations::value.like(&pattern).escape('\\'))
            .count()
            .get_result::<i64>(conn)?,
        applications::table
            .filter(applications::reference.like(&pattern).escape('\\'))
            .count()
            .get_result::<i64>(conn)?,
        postings::table
            .filter(postings::title.like(&pattern).escape('\\'))
            .count()
            .get_result::<i64>(conn)?,
        stage_changes::table
            .filter(stage_changes::reason.like(&pattern).escape('\\'))
            .count()
            .get_result::<i64>(conn)?,
        outbox::table
            .filter(
                outbox::to_address
                    .like(&pattern)
                    .escape('\\')
                    .or(outbox::subject.like(&pattern).escape('\\'))
                    .or(outbox::text_body.like(&pattern).escape('\\'))
                    .or(outbox::html_body.like(&pattern).escape('\\')),
            )
            .count()
            .get_result::<i64>(conn)?,
        deadline_extensions::table
            .filter(deadline_extensions::reason.like(&pattern).escape('\\'))
            .count()
            .get_result::<i64>(conn)?,
        upkeep_entries::table
            .filter(upkeep_entries::note.like(&pattern).escape('\\'))
            .count()
            .get_result::<i64>(conn)?,
    ];
    Ok(hits.into_iter().any(like))
}

//! The `postings` table mirrors forms/: applications reference a row, and a posting removed
//! from forms/ is closed rather than deleted, so its applications keep their history.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::postings;
use super::{DbConnection, StorageResult};
use crate::domain::Posting;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = postings)]
pub struct PostingRow {
    pub id: i32,
    pub slug: String,
    pub title: String,
    pub status: String,
}

#[derive(Insertable)]
#[diesel(table_name = postings)]
struct NewPosting<'a> {
    slug: &'a str,
    title: &'a str,
    status: &'a str,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// Makes the table agree with forms/: inserts new postings, updates titles and status, and
/// closes postings that are no longer in forms/. One transaction.
pub fn sync(conn: &mut DbConnection, forms: &[&Posting], now: NaiveDateTime) -> StorageResult<()> {
    conn.transaction(|conn| {
        let existing: Vec<PostingRow> =
            postings::table.select(PostingRow::as_select()).load(conn)?;
        for posting in forms {
            let slug = posting.slug.as_str();
            let status = posting.status.as_str();
            match existing.iter().find(|row| row.slug == slug) {
                Some(row) if row.title == posting.title && row.status == status => {}
                Some(row) => {
                    diesel::update(postings::table.find(row.id))
                        .set((
                            postings::title.eq(&posting.title),
                            postings::status.eq(status),
                            postings::updated_at.eq(now),
                        ))
                        .execute(conn)?;
                }
                None => {
                    diesel::insert_into(postings::table)
                        .values(NewPosting {
                            slug,
                            title: &posting.title,
                            status,
                            created_at: now,
                            updated_at: now,
                        })
                        .execute(conn)?;
                }
            }
        }
        let kept: Vec<&str> = forms.iter().map(|p| p.slug.as_str()).collect();
        diesel::update(
            postings::table
                .filter(postings::slug.ne_all(kept))
                .filter(postings::status.eq("open")),
        )
        .set((postings::status.eq("closed"), postings::updated_at.eq(now)))
        .execute(conn)?;
        Ok(())
    })
}

pub fn find_by_slug(conn: &mut DbConnection, slug: &str) -> StorageResult<Option<PostingRow>> {
    Ok(postings::table
        .filter(postings::slug.eq(slug))
        .select(PostingRow::as_select())
        .first(conn)
        .optional()?)
}

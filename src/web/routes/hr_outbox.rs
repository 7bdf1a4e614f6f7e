//! Administration of email: the messages not sent yet — waiting for a retry or given up on —
//! with the server's last answer, and a button that puts a failed one back in the queue.

use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::Utc;
use serde::Deserialize;

use crate::domain::Role;
use crate::storage::audit;
use crate::storage::outbox::{self, OutboxRow};
use crate::web::auth::{SignedIn, Viewer};
use crate::web::render::page;
use crate::web::{AppState, PageError};

#[derive(Template)]
#[template(path = "hr/outbox.html")]
struct OutboxPage<'a> {
    viewer: &'a Viewer,
    rows: Vec<OutboxRow>,
    mail: String,
}

/// `GET /hr/outbox`
pub async fn get_outbox(
    state: web::Data<AppState>,
    SignedIn(viewer): SignedIn,
) -> Result<HttpResponse, PageError> {
    viewer.require(Role::administers)?;
    let rows = state.db.read(|conn| outbox::unsent(conn, 200)).await?;
    let mail = crate::mail::Mailer::from_settings(&state.settings).describe_for_people();
    page(
        StatusCode::OK,
        &OutboxPage {
            viewer: &viewer,
            rows,
            mail,
        },
    )
}

#[derive(Deserialize)]
pub struct RetryForm {
    #[serde(default)]
    csrf_token: String,
}

/// `POST /hr/outbox/{id}/retry`: a failed message is due again now; audited.
pub async fn post_retry(
    state: web::Data<AppState>,
    SignedIn(viewer): SignedIn,
    id: web::Path<i32>,
    form: web::Form<RetryForm>,
) -> Result<HttpResponse, PageError> {
    viewer.check_csrf(&form.csrf_token)?;
    viewer.require(Role::administers)?;
    let (id, actor) = (id.into_inner(), viewer.actor());
    let retried = state
        .db
        .write(move |conn| {
            let now = Utc::now().naive_utc();
            let retried = outbox::retry(conn, id, now)?;
            if retried {
                audit::record(
                    conn,
                    &actor,
                    "mail.retry",
                    None,
                    Some(&format!("message={id}")),
                    now,
                )?;
            }
            Ok(retried)
        })
        .await?;
    if !retried {
        return Err(PageError::NotFound);
    }
    Ok(HttpResponse::SeeOther()
        .insert_header((LOCATION, "/hr/outbox"))
        .finish())
}

//! Administration: users (add, disable) and the audit trail.

use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::Utc;
use serde::Deserialize;

use crate::domain::{EmailAddress, FieldErrors, NewPassword, PersonName, Role};
use crate::security::hash_password;
use crate::storage::StorageError;
use crate::storage::audit::{self, AuditFilter, AuditRow};
use crate::storage::users::{self, UserRow};
use crate::web::auth::{SignedIn, Viewer};
use crate::web::render::page;
use crate::web::{AppState, PageError};

#[derive(Template)]
#[template(path = "hr/users.html")]
struct UsersPage<'a> {
    viewer: &'a Viewer,
    users: Vec<UserRow>,
    errors: FieldErrors,
    form: AddUserForm,
    roles: Vec<(&'static str, &'static str)>,
}

#[derive(Deserialize, Default, Clone)]
pub struct AddUserForm {
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf_token: String,
}

fn roles() -> Vec<(&'static str, &'static str)> {
    Role::ALL.iter().map(|r| (r.as_str(), r.label())).collect()
}

async fn users_page(
    state: &AppState,
    viewer: &Viewer,
    status: StatusCode,
    errors: FieldErrors,
    mut form: AddUserForm,
) -> Result<HttpResponse, PageError> {
    form.password.clear();
    let users = state.db.read(users::list).await?;
    page(
        status,
        &UsersPage {
            viewer,
            users,
            errors,
            form,
            roles: roles(),
        },
    )
}

/// `GET /hr/users`
pub async fn get_users(
    state: web::Data<AppState>,
    SignedIn(viewer): SignedIn,
) -> Result<HttpResponse, PageError> {
    viewer.require(Role::administers)?;
    users_page(
        &state,
        &viewer,
        StatusCode::OK,
        FieldErrors::new(),
        AddUserForm {
            role: "hr".into(),
            ..Default::default()
        },
    )
    .await
}

/// `POST /hr/users`: adds a user with a first password the admin passes on.
pub async fn post_users(
    state: web::Data<AppState>,
    SignedIn(viewer): SignedIn,
    form: web::Form<AddUserForm>,
) -> Result<HttpResponse, PageError> {
    viewer.check_csrf(&form.csrf_token)?;
    viewer.require(Role::administers)?;
    let form = form.into_inner();
    let mut errors = FieldErrors::new();
    let name = PersonName::parse(&form.full_name)
        .map_err(|e| errors.insert("full_name".into(), e))
        .ok();
    let email = EmailAddress::parse(&form.email)
        .map_err(|e| errors.insert("email".into(), e))
        .ok();
    let role = Role::parse(&form.role);
    if role.is_none() {
        errors.insert("role".into(), "Please choose a role.".into());
    }
    let password = NewPassword::parse(&form.password)
        .map_err(|e| errors.insert("password".into(), e))
        .ok();
    let (Some(name), Some(email), Some(role), Some(password)) = (name, email, role, password)
    else {
        return users_page(
            &state,
            &viewer,
            StatusCode::UNPROCESSABLE_ENTITY,
            errors,
            form,
        )
        .await;
    };
    let hash = web::block(move || hash_password(password.expose()))
        .await
        .map_err(|e| PageError::Internal(e.to_string()))?
        .map_err(PageError::Internal)?;
    let actor = viewer.actor();
    let created = state
        .db
        .write(move |conn| {
            use diesel::Connection;
            conn.transaction(|conn| {
                let now = Utc::now().naive_utc();
                let user = users::create(conn, email.as_str(), name.as_str(), role, &hash, now)?;
                audit::record(
                    conn,
                    &actor,
                    "user.add",
                    Some(&user.email),
                    Some(&format!("role={}", role.as_str())),
                    now,
                )?;
                Ok(())
            })
        })
        .await;
    match created {
        Ok(()) => Ok(HttpResponse::SeeOther()
            .insert_header((LOCATION, "/hr/users"))
            .finish()),
        Err(StorageError::Conflict(message)) => {
            errors.insert("email".into(), format!("{message}."));
            users_page(&state, &viewer, StatusCode::CONFLICT, errors, form).await
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf_token: String,
}

/// `POST /hr/users/{id}/disable`: ends their sessions and tokens at once.
pub async fn post_disable_user(
    state: web::Data<AppState>,
    SignedIn(viewer): SignedIn,
    id: web::Path<i32>,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, PageError> {
    viewer.check_csrf(&form.csrf_token)?;
    viewer.require(Role::administers)?;
    let id = id.into_inner();
    if id == viewer.id {
        let mut errors = FieldErrors::new();
        errors.insert(
            "users".into(),
            "You cannot disable your own account.".into(),
        );
        return users_page(
            &state,
            &viewer,
            StatusCode::CONFLICT,
            errors,
            AddUserForm::default(),
        )
        .await;
    }
    let actor = viewer.actor();
    state
        .db
        .write(move |conn| {
            use diesel::Connection;
            conn.transaction(|conn| {
                let now = Utc::now().naive_utc();
                let user = users::find(conn, id)?.ok_or(StorageError::NotFound)?;
                users::disable(conn, id, now)?;
                audit::record(conn, &actor, "user.disable", Some(&user.email), None, now)
            })
        })
        .await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((LOCATION, "/hr/users"))
        .finish())
}

#[derive(Template)]
#[template(path = "hr/audit.html")]
struct AuditPage<'a> {
    viewer: &'a Viewer,
    query: AuditQuery,
    rows: Vec<AuditRow>,
    total: i64,
    page: i64,
    pages: i64,
}

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    actor: Option<String>,
    action: Option<String>,
    subject: Option<String>,
    page: Option<i64>,
}

impl AuditQuery {
    fn link(&self, page: i64) -> String {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("actor", &self.actor),
            ("action", &self.action),
            ("subject", &self.subject),
        ] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                s.append_pair(k, v);
            }
        }
        s.append_pair("page", &page.to_string());
        s.finish()
    }
}

const AUDIT_PER_PAGE: i64 = 50;

/// `GET /hr/audit`: the trail, newest first, filtered by actor, action or subject.
pub async fn get_audit(
    state: web::Data<AppState>,
    SignedIn(viewer): SignedIn,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, PageError> {
    viewer.require(Role::administers)?;
    let query = query.into_inner();
    let clean = |v: &Option<String>| v.clone().filter(|v| !v.trim().is_empty());
    let filter = AuditFilter {
        actor: clean(&query.actor),
        action: clean(&query.action),
        subject: clean(&query.subject),
    };
    let page_no = query.page.unwrap_or(0).max(0);
    let (rows, total) = state
        .db
        .read(move |conn| audit::list(conn, &filter, page_no, AUDIT_PER_PAGE))
        .await?;
    let pages = (total + AUDIT_PER_PAGE - 1) / AUDIT_PER_PAGE;
    page(
        StatusCode::OK,
        &AuditPage {
            viewer: &viewer,
            query,
            rows,
            total,
            page: page_no,
            pages,
        },
    )
}

//! Sign-in, sign-out, and the one-time link that creates the first administrator.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{Duration, Utc};
use serde::Deserialize;

use crate::domain::{EmailAddress, FieldErrors, NewPassword, PersonName, Role};
use crate::security::{Token, constant_time_eq, decoy_hash, hash_password, verify_password};
use crate::storage::audit::{self, Actor};
use crate::storage::{StorageError, users};
use crate::web::auth::{
    SESSION_COOKIE, SESSION_MAX, SignedIn, client_address, expired_session_cookie, session_cookie,
};
use crate::web::render::page;
use crate::web::{AppState, PageError};

/// The cookie that carries the sign-in form's CSRF token before there is a session.
const SIGNIN_COOKIE: &str = "peerhire_signin";
/// Failed sign-ins allowed in the window, per account and per address.
const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
const MAX_FAILURES_PER_ADDRESS: i64 = 20;
const THROTTLE_WINDOW: Duration = Duration::minutes(15);

fn secure(state: &AppState) -> bool {
    state
        .settings
        .base_url
        .as_ref()
        .is_some_and(|u| u.scheme() == "https")
}

/// Only a path on this site: never `//elsewhere` or `https://elsewhere`.
fn safe_next(next: &str) -> Option<&str> {
    (next.starts_with('/') && !next.starts_with("//") && !next.contains('\\')).then_some(next)
}

fn home_for(role: Role) -> &'static str {
    match role {
        Role::Admin | Role::Hr => "/hr/candidates",
        Role::Manager => "/manager",
    }
}

#[derive(Template)]
#[template(path = "signin.html")]
struct SignInPage {
    csrf: String,
    next: String,
    email: String,
    failed: bool,
    signed_out: bool,
}

#[derive(Deserialize)]
pub struct SignInQuery {
    next: Option<String>,
    signed_out: Option<String>,
}

fn signin_page(
    status: StatusCode,
    next: &str,
    email: &str,
    failed: bool,
    signed_out: bool,
    secure: bool,
) -> Result<HttpResponse, PageError> {
    let csrf = Token::generate().expose().to_owned();
    let mut res = page(
        status,
        &SignInPage {
            csrf: csrf.clone(),
            next: next.to_owned(),
            email: email.to_owned(),
            failed,
            signed_out,
        },
    )?;
    let cookie = Cookie::build(SIGNIN_COOKIE, csrf)
        .path("/signin")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .finish();
    res.add_cookie(&cookie)
        .map_err(|e| PageError::Internal(e.to_string()))?;
    Ok(res)
}

/// `GET /signin`
pub async fn get_signin(
    state: web::Data<AppState>,
    query: web::Query<SignInQuery>,
) -> Result<HttpResponse, PageError> {
    let next = query.next.as_deref().and_then(safe_next).unwrap_or("");
    signin_page(
        StatusCode::OK,
        next,
        "",
        false,
        query.signed_out.is_some(),
        secure(&state),
    )
}

#[derive(Deserialize)]
pub struct SignInForm {
    email: String,
    password: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    csrf_token: String,
}

/// `POST /signin`: one generic message for any failure; throttled per account and per address.
pub async fn post_signin(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<SignInForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let expected = req
        .cookie(SIGNIN_COOKIE)
        .map(|c| c.value().to_owned())
        .unwrap_or_default();
    if expected.is_empty() || !constant_time_eq(&expected, &form.csrf_token) {
        return Err(PageError::Forbidden);
    }
    let address = client_address(&req);
    let email = form.email.trim().to_lowercase();
    // Read, then verify off the database threads (Argon2 is deliberately slow and must not hold
    // the single SQLite writer), then write the attempt and the session.
    let (lookup_email, lookup_address) = (email.clone(), address.clone());
    let (throttled, user) = state
        .db
        .read(move |conn| {
            let since = Utc::now().naive_utc() - THROTTLE_WINDOW;
            let (by_account, by_address) =
                users::recent_failures(conn, &lookup_email, &lookup_address, since)?;
            let throttled =
                by_account >= MAX_FAILURES_PER_ACCOUNT || by_address >= MAX_FAILURES_PER_ADDRESS;
            Ok((throttled, users::find_by_email(conn, &lookup_email)?))
        })
        .await?;
    let stored = user
        .as_ref()
        .map_or_else(|| decoy_hash().to_owned(), |u| u.password_hash.clone());
    let password = form.password;
    // Verified even when throttled or unknown, so timing tells nothing.
    let matches = web::block(move || verify_password(&password, &stored))
        .await
        .map_err(|e| PageError::Internal(e.to_string()))?;
    let signed_in = match user {
        Some(u) if matches && !throttled && u.is_active() && u.role().is_some() => Some(u),
        _ => None,
    };
    let (attempt_email, attempt_address) = (email.clone(), address.clone());
    let outcome = state
        .db
        .write(move |conn| {
            let now = Utc::now().naive_utc();
            users::record_attempt(
                conn,
                &attempt_email,
                &attempt_address,
                signed_in.is_some(),
                now,
            )?;
            let actor = Actor {
                id: signed_in.as_ref().map(|u| u.id),
                label: attempt_email.clone(),
                address: Some(attempt_address.clone()),
            };
            let Some(user) = signed_in else {
                let why = if throttled {
                    "throttled"
                } else {
                    "bad credentials or disabled"
                };
                audit::record(conn, &actor, "signin.failure", None, Some(why), now)?;
                return Ok(None);
            };
            let token = Token::generate();
            let csrf = Token::generate();
            users::create_session(
                conn,
                &token.digest(),
                user.id,
                csrf.expose(),
                now,
                SESSION_MAX,
            )?;
            audit::record(conn, &actor, "signin.success", None, None, now)?;
            Ok(Some((token, user)))
        })
        .await?;
    let Some((token, user)) = outcome else {
        tracing::info!(address = %address, "sign-in failed");
        return signin_page(
            StatusCode::UNAUTHORIZED,
            safe_next(&form.next).unwrap_or(""),
            &email,
            true,
            false,
            secure(&state),
        );
    };
    let role = user.role().unwrap_or(Role::Manager);
    let to = safe_next(&form.next).unwrap_or(home_for(role)).to_owned();
    let mut res = HttpResponse::SeeOther()
        .insert_header((LOCATION, to))
        .finish();
    res.add_cookie(&session_cookie(token.expose(), secure(&state)))
        .map_err(|e| PageError::Internal(e.to_string()))?;
    let mut clear = Cookie::build(SIGNIN_COOKIE, "").path("/signin").finish();
    clear.make_removal();
    res.add_cookie(&clear)
        .map_err(|e| PageError::Internal(e.to_string()))?;
    Ok(res)
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf_token: String,
}

/// `POST /signout`: ends the session everywhere (it lives in the database).
pub async fn post_signout(
    state: web::Data<AppState>,
    req: HttpRequest,
    SignedIn(viewer): SignedIn,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    viewer.check_csrf(&form.csrf_token)?;
    let hash = req
        .cookie(SESSION_COOKIE)
        .map(|c| Token::from_presented(c.value()).digest())
        .unwrap_or_default();
    let actor = viewer.actor();
    state
        .db
        .write(move |conn| {
            users::end_session(conn, &hash)?;
            audit::record(conn, &actor, "signout", None, None, Utc::now().naive_utc())
        })
        .await?;
    let mut res = HttpResponse::SeeOther()
        .insert_header((LOCATION, "/signin?signed_out=1"))
        .finish();
    res.add_cookie(&expired_session_cookie(secure(&state)))
        .map_err(|e| PageError::Internal(e.to_string()))?;
    Ok(res)
}

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage {
    token: String,
    full_name: String,
    email: String,
    errors: FieldErrors,
}

async fn setup_usable(state: &AppState, token: &str) -> Result<bool, PageError> {
    let hash = Token::from_presented(token).digest();
    Ok(state
        .db
        .read(move |conn| {
            Ok(users::count(conn)? == 0
                && users::setup_token_valid(conn, &hash, Utc::now().naive_utc())?)
        })
        .await?)
}

/// `GET /setup/{token}`: the first administrator's form, while no user exists.
pub async fn get_setup(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    if !setup_usable(&state, &token).await? {
        return Err(PageError::NotFound);
    }
    page(
        StatusCode::OK,
        &SetupPage {
            token: token.into_inner(),
            full_name: String::new(),
            email: String::new(),
            errors: FieldErrors::new(),
        },
    )
}

#[derive(Deserialize)]
pub struct SetupForm {
    full_name: String,
    email: String,
    password: String,
}

/// `POST /setup/{token}`: creates the administrator, uses up the link, signs them in.
pub async fn post_setup(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
    form: web::Form<SetupForm>,
) -> Result<HttpResponse, PageError> {
    let token = token.into_inner();
    if !setup_usable(&state, &token).await? {
        return Err(PageError::NotFound);
    }
    let form = form.into_inner();
    let mut errors = FieldErrors::new();
    let name = PersonName::parse(&form.full_name)
        .map_err(|e| errors.insert("full_name".into(), e))
        .ok();
    let email = EmailAddress::parse(&form.email)
        .map_err(|e| errors.insert("email".into(), e))
        .ok();
    let password = NewPassword::parse(&form.password)
        .map_err(|e| errors.insert("password".into(), e))
        .ok();
    let (Some(name), Some(email), Some(password)) = (name, email, password) else {
        return page(
            StatusCode::UNPROCESSABLE_ENTITY,
            &SetupPage {
                token,
                full_name: form.full_name,
                email: form.email,
                errors,
            },
        );
    };
    let hash = web::block(move || hash_password(password.expose()))
        .await
        .map_err(|e| PageError::Internal(e.to_string()))?
        .map_err(PageError::Internal)?;
    let token_hash = Token::from_presented(&token).digest();
    let address = client_address(&req);
    let session = Token::generate();
    let session_hash = session.digest();
    let created = state
        .db
        .write(move |conn| {
            use diesel::Connection;
            conn.transaction(|conn| {
                let now = Utc::now().naive_utc();
                if users::count(conn)? != 0 || !users::consume_setup_token(conn, &token_hash, now)?
                {
                    return Err(StorageError::NotFound);
                }
                let user =
                    users::create(conn, email.as_str(), name.as_str(), Role::Admin, &hash, now)?;
                let actor = Actor {
                    id: Some(user.id),
                    label: user.email.clone(),
                    address: Some(address),
                };
                audit::record(
                    conn,
                    &actor,
                    "user.add",
                    Some(&user.email),
                    Some("role=admin via first-run setup"),
                    now,
                )?;
                users::create_session(
                    conn,
                    &session_hash,
                    user.id,
                    Token::generate().expose(),
                    now,
                    SESSION_MAX,
                )?;
                Ok(())
            })
        })
        .await;
    match created {
        Ok(()) => {
            let mut res = HttpResponse::SeeOther()
                .insert_header((LOCATION, "/hr/users"))
                .finish();
            res.add_cookie(&session_cookie(session.expose(), secure(&state)))
                .map_err(|e| PageError::Internal(e.to_string()))?;
            Ok(res)
        }
        Err(StorageError::NotFound) => Err(PageError::NotFound),
        Err(other) => Err(other.into()),
    }
}

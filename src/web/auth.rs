//! Who is asking: the signed-in person behind a session cookie or an API token, and the checks
//! every HR page and API call makes (signed in, the right role, the CSRF token).

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use chrono::{Duration, Utc};

use super::{ApiError, AppState, PageError};
use crate::domain::Role;
use crate::security::{Token, constant_time_eq};
use crate::storage::audit::Actor;
use crate::storage::users;

pub const SESSION_COOKIE: &str = "peerhire_session";
/// A session ends after this long without a request…
pub const SESSION_IDLE: Duration = Duration::hours(2);
/// …and after this long in any case.
pub const SESSION_MAX: Duration = Duration::hours(12);

/// A signed-in person.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub id: i32,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// The session's CSRF token (empty for API tokens, which carry no cookie to forge).
    pub csrf: String,
    pub address: String,
}

impl Viewer {
    pub fn actor(&self) -> Actor {
        Actor {
            id: Some(self.id),
            label: self.email.clone(),
            address: Some(self.address.clone()),
        }
    }

    /// 403 unless the role allows it.
    pub fn require(&self, allowed: fn(Role) -> bool) -> Result<(), PageError> {
        if allowed(self.role) {
            Ok(())
        } else {
            Err(PageError::Forbidden)
        }
    }

    pub fn require_api(&self, allowed: fn(Role) -> bool) -> Result<(), ApiError> {
        if allowed(self.role) {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }

    /// 403 unless the form carries this session's CSRF token.
    pub fn check_csrf(&self, presented: &str) -> Result<(), PageError> {
        if !self.csrf.is_empty() && constant_time_eq(&self.csrf, presented) {
            Ok(())
        } else {
            Err(PageError::Forbidden)
        }
    }
}

/// The peer's address, for throttling and the audit trail (not a forwarded header, which anyone
/// can write).
pub fn client_address(req: &HttpRequest) -> String {
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// The live session behind the request's cookie, if any.
async fn viewer_from_session(
    state: &AppState,
    req: &HttpRequest,
) -> Result<Option<Viewer>, crate::storage::StorageError> {
    let Some(cookie) = req.cookie(SESSION_COOKIE) else {
        return Ok(None);
    };
    let hash = Token::from_presented(cookie.value()).digest();
    let address = client_address(req);
    state
        .db
        .read(move |conn| {
            let now = Utc::now().naive_utc();
            Ok(users::live_session(conn, &hash, now, SESSION_IDLE)?
                .map(|(session, user)| (session, user, now)))
        })
        .await?
        .map(|(session, user, now)| {
            let db = state.db.clone();
            let touched = session.clone();
            // Recording activity is a write; it goes to the writer and must not fail the read.
            actix_web::rt::spawn(async move {
                let _ = db
                    .write(move |conn| users::touch_session(conn, &touched, now))
                    .await;
            });
            Ok(user.role().map(|role| Viewer {
                id: user.id,
                email: user.email,
                name: user.full_name,
                role,
                csrf: session.csrf_token,
                address: address.clone(),
            }))
        })
        .transpose()
        .map(Option::flatten)
}

/// Extractor for HR pages: a signed-in person, or a redirect to the sign-in page.
pub struct SignedIn(pub Viewer);

impl FromRequest for SignedIn {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or_else(|| PageError::Internal("no state".into()))?;
            match viewer_from_session(state, &req).await? {
                Some(viewer) => Ok(Self(viewer)),
                None => {
                    let path = req
                        .uri()
                        .path_and_query()
                        .map(|p| p.as_str().to_owned())
                        .unwrap_or_default();
                    Err(PageError::SignInRequired(path))
                }
            }
        })
    }
}

/// Extractor for the API: a personal token (`Authorization: Bearer …`) or a session; else 401.
pub struct ApiUser(pub Viewer);

impl FromRequest for ApiUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or_else(|| ApiError::Internal("no state".into()))?;
            let bearer = req
                .headers()
                .get(actix_web::http::header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(|t| Token::from_presented(t).digest());
            if let Some(hash) = bearer {
                let address = client_address(&req);
                let user = state
                    .db
                    .write(move |conn| {
                        users::user_by_api_token(conn, &hash, Utc::now().naive_utc())
                    })
                    .await?;
                let viewer = user.and_then(|u| {
                    u.role().map(|role| Viewer {
                        id: u.id,
                        email: u.email,
                        name: u.full_name,
                        role,
                        csrf: String::new(),
                        address,
                    })
                });
                return viewer.map(Self).ok_or(ApiError::Unauthorized);
            }
            match viewer_from_session(state, &req).await? {
                Some(viewer) => Ok(Self(viewer)),
                None => Err(ApiError::Unauthorized),
            }
        })
    }
}

/// The session cookie: HttpOnly, SameSite=Lax, Secure when the service is reached over https.
pub fn session_cookie(token: &str, secure: bool) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, token.to_owned())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(time::Duration::seconds(SESSION_MAX.num_seconds()))
        .finish()
}

/// A cookie that deletes the session cookie.
pub fn expired_session_cookie(secure: bool) -> Cookie<'static> {
    let mut cookie = session_cookie("", secure);
    cookie.make_removal();
    cookie
}

/// Extractor for the API's HR operations: like [`ApiUser`], and 403 for a role that does not
/// screen candidates — decided before the body is read, so a manager is told "forbidden", not
/// "your JSON is malformed".
pub struct ApiScreener(pub Viewer);

impl FromRequest for ApiScreener {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let user = ApiUser::from_request(req, payload);
        Box::pin(async move {
            let ApiUser(viewer) = user.await?;
            viewer.require_api(Role::screens_candidates)?;
            Ok(Self(viewer))
        })
    }
}

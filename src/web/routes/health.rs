use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::web::AppState;

/// `GET /healthz`: 200 when the database answers, 503 when it does not.
pub async fn get_healthz(state: web::Data<AppState>) -> HttpResponse {
    match state.db.ping().await {
        Ok(()) => HttpResponse::Ok().json(json!({ "status": "ok", "database": "ok" })),
        Err(err) => {
            tracing::warn!(error = %err, "health check: database unavailable");
            HttpResponse::ServiceUnavailable()
                .json(json!({ "status": "unavailable", "database": "unavailable" }))
        }
    }
}

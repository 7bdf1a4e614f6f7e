use std::sync::Arc;

use crate::config::Settings;
use crate::forms::Forms;
use crate::storage::Db;

/// What every handler may use; one typed value in `web::Data`.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub forms: Arc<Forms>,
    pub settings: Arc<Settings>,
}

use std::sync::Arc;

use url::Url;

use crate::config::Settings;
use crate::forms::Forms;
use crate::storage::Db;

/// What every handler may use; one typed value in `web::Data`.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub forms: Arc<Forms>,
    pub settings: Arc<Settings>,
    /// The address people use (from the settings, or derived from the bound port), for links
    /// that leave the browser: emails and calendar feeds.
    pub base_url: Url,
}

impl AppState {
    pub fn base_url(&self) -> &Url {
        &self.base_url
    }
}

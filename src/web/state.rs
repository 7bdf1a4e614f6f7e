use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use actix_web::web::Bytes;

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
    /// The empty application form of each posting, rendered on first use.
    pub blank_forms: Arc<BlankForms>,
}

/// The empty form of each posting, rendered once: it is the same for every visitor and holds
/// nothing of anyone's, and it is the most visited page (rendering it was most of a GET's cost).
/// Postings are read at start, so a slug's page never goes stale.
pub struct BlankForms(HashMap<String, OnceLock<Bytes>>);

impl BlankForms {
    pub fn new(forms: &Forms) -> Self {
        Self(
            forms
                .postings()
                .map(|p| (p.slug.to_string(), OnceLock::new()))
                .collect(),
        )
    }

    /// The page for `slug`, rendered by `render` the first time.
    pub fn get_or_render<E>(
        &self,
        slug: &str,
        render: impl FnOnce() -> Result<String, E>,
    ) -> Result<Bytes, E> {
        let Some(cell) = self.0.get(slug) else {
            return render().map(Bytes::from);
        };
        if let Some(page) = cell.get() {
            return Ok(page.clone());
        }
        let page = Bytes::from(render()?);
        Ok(cell.get_or_init(|| page).clone())
    }
}

impl AppState {
    pub fn base_url(&self) -> &Url {
        &self.base_url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_form_is_rendered_once_and_an_unknown_slug_every_time() {
        let pages = BlankForms(HashMap::from([("peer".to_owned(), OnceLock::new())]));
        let mut renders = 0;
        for _ in 0..3 {
            let page = pages.get_or_render("peer", || {
                renders += 1;
                Ok::<_, ()>("<form>".to_owned())
            });
            assert_eq!(page.unwrap(), Bytes::from("<form>"));
        }
        assert_eq!(renders, 1);
        let failed = pages.get_or_render("other", || Err::<String, _>("no such posting"));
        assert_eq!(failed, Err("no such posting"));
        // A failed render is not kept: the next visit tries again.
        let pages = BlankForms(HashMap::from([("peer".to_owned(), OnceLock::new())]));
        assert!(
            pages
                .get_or_render("peer", || Err::<String, _>(()))
                .is_err()
        );
        assert!(
            pages
                .get_or_render("peer", || Ok::<_, ()>("ok".into()))
                .is_ok()
        );
    }
}

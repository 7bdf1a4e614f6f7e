//! axe-core (from npm, installed by .ci/run into target/axe) injected into the page through the
//! driver: every page a journey visits must have no violation of the WCAG 2.1 A and AA rules.

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::browser::Browser;

/// The axe-core script, or `None` (said once) when it is not installed and not required.
fn script() -> Option<&'static str> {
    static SCRIPT: OnceLock<Option<String>> = OnceLock::new();
    SCRIPT
        .get_or_init(|| {
            let path = std::env::var_os("PEERHIRE_AXE_JS").map(PathBuf::from).unwrap_or_else(|| {
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/axe/node_modules/axe-core/axe.min.js")
            });
            match std::fs::read_to_string(&path) {
                Ok(source) => Some(source),
                Err(e) => {
                    let required = std::env::var("PEERHIRE_TEST_BROWSER").is_ok_and(|v| v == "1");
                    assert!(!required, "PEERHIRE_TEST_BROWSER=1 but axe-core is missing at {}: {e}", path.display());
                    eprintln!(
                        "SKIPPED accessibility checks: axe-core is not at {} (npm install --prefix target/axe axe-core@4)",
                        path.display()
                    );
                    None
                }
            }
        })
        .as_deref()
}

/// Runs axe on the current page and fails with every violation listed.
pub async fn assert_accessible(b: &Browser, page: &str) {
    let Some(source) = script() else { return };
    b.client
        .execute(source, vec![])
        .await
        .expect("axe-core loads in the page");
    let run = r#"
        const done = arguments[arguments.length - 1];
        axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
          .then(r => done(r.violations.map(v => ({
              id: v.id, impact: v.impact, help: v.help,
              nodes: v.nodes.map(n => n.target.join(' ') + ' — ' + n.failureSummary) }))))
          .catch(e => done([{ id: 'axe-error', help: String(e), nodes: [] }]));
    "#;
    let violations = b.client.execute_async(run, vec![]).await.expect("axe runs");
    let list = violations.as_array().cloned().unwrap_or_default();
    assert!(
        list.is_empty(),
        "{page}: {} WCAG 2.1 A/AA violation(s):\n{}",
        list.len(),
        serde_json::to_string_pretty(&violations).unwrap_or_default()
    );
}

use crate::helpers::TestApp;

async fn the_index_lists_the_open_posting(app: &TestApp) {
    let res = app.get("/").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("<html lang=\"en\">"));
    assert!(
        html.contains("href=\"/jobs/peer-support-specialist\""),
        "{html}"
    );
    assert!(html.contains("Peer Support Specialist"));
    assert!(html.contains("Rockland, ME, USA"));
}

async fn a_posting_shows_its_description_questions_and_ksas(app: &TestApp) {
    let res = app.get("/jobs/peer-support-specialist").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    // The description is rendered from Markdown.
    assert!(
        html.contains("<h2>Your story can open a door for someone else</h2>"),
        "{html}"
    );
    // The employer's questions, word for word (HTML-escaped by the template).
    assert!(html.contains("Have you struggled with challenges maintaining mental health, recovery from substance use or both?"));
    assert!(html.contains("How will you explain the benefit of learning together instead of simply trying to fix the other person’s problems?"));
    // All twelve KSAs.
    assert_eq!(html.matches("<li class=\"ksa\">").count(), 12, "{html}");
    assert!(
        html.contains(
            "Provisional CIPSS Certification may be required within 9 months of hire date."
        )
    );
    assert!(html.contains("/static/style.css"));
}

async fn an_unknown_posting_is_a_404_page(app: &TestApp) {
    let res = app.get("/jobs/dog-walker").await;
    assert_eq!(res.status(), 404);
    let html = res.text().await.unwrap();
    assert!(html.contains("Page not found"));
    assert!(html.contains("href=\"/\""));
}

async fn the_stylesheet_is_served_from_the_binary(app: &TestApp) {
    let res = app.get("/static/style.css").await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    assert!(res.text().await.unwrap().contains("--accent"));
}

backend_tests!(
    the_index_lists_the_open_posting,
    a_posting_shows_its_description_questions_and_ksas,
    an_unknown_posting_is_a_404_page,
    the_stylesheet_is_served_from_the_binary,
);

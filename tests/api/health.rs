use crate::helpers::TestApp;

async fn healthz_says_ok_when_the_database_answers(app: &TestApp) {
    let res = app.get("/healthz").await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body, serde_json::json!({"status": "ok", "database": "ok"}));
}

async fn every_response_carries_security_headers_and_a_request_id(app: &TestApp) {
    for path in [
        "/",
        "/healthz",
        "/jobs/peer-support-specialist",
        "/no-such-page",
    ] {
        let res = app.get(path).await;
        let h = res.headers();
        let csp = h.get("content-security-policy").unwrap().to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert_eq!(
            h.get("x-content-type-options").unwrap(),
            "nosniff",
            "{path}"
        );
        assert_eq!(h.get("referrer-policy").unwrap(), "same-origin", "{path}");
        assert!(
            h.get("x-request-id").is_some_and(|v| v.len() == 12),
            "{path}"
        );
    }
}

async fn unknown_api_paths_answer_json_and_pages_answer_html(app: &TestApp) {
    let res = app.get("/api/v1/nothing-here").await;
    assert_eq!(res.status(), 404);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"], "not_found");

    let res = app.get("/nothing-here").await;
    assert_eq!(res.status(), 404);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(res.text().await.unwrap().contains("Page not found"));
}

backend_tests!(
    healthz_says_ok_when_the_database_answers,
    every_response_carries_security_headers_and_a_request_id,
    unknown_api_paths_answer_json_and_pages_answer_html,
);

/// PostgreSQL only: the test can take the database away from under the running server.
#[actix_web::test]
async fn healthz_says_503_when_the_database_is_gone() {
    let Some(app) = crate::helpers::spawn_app(crate::helpers::Backend::Postgres).await else {
        return;
    };
    assert_eq!(app.get("/healthz").await.status(), 200);
    app.drop_database_now();
    let res = app.get("/healthz").await;
    assert_eq!(res.status(), 503);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        body,
        serde_json::json!({"status": "unavailable", "database": "unavailable"})
    );
    // An applicant gets a clear "try again shortly" page with every word still in the form.
    let words = "Hope came back for me slowly, and I'd share that.";
    let res = app
        .post_form(
            "/jobs/peer-support-specialist/apply",
            &[
                ("name", "Dana Down"),
                ("email", "dana@example.org"),
                ("q1", "both"),
                ("q2", "yes"),
                ("q3", words),
                ("q4", "We agree together."),
                ("q5", "We both learn."),
            ],
        )
        .await;
    assert_eq!(res.status(), 503);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("try again shortly") || page.contains("Please try again shortly"),
        "{page}"
    );
    assert!(
        page.contains("Hope came back for me slowly, and I&#x27;d share that.")
            || page.contains("Hope came back for me slowly, and I&#39;d share that.")
            || page.contains(words),
        "the answer is kept in the form"
    );
    assert!(page.contains("Dana Down"));
    // The JSON API says so too, with a 503 and the shared error envelope.
    let res = app
        .post_json(
            "/api/v1/jobs/peer-support-specialist/applications",
            &serde_json::json!({"name": "Dana Down", "email": "dana@example.org",
                "answers": {"q1": "both", "q2": "yes", "q3": words, "q4": "We agree.", "q5": "We learn."}}),
        )
        .await;
    assert_eq!(res.status(), 503);
    app.shutdown().await;
}

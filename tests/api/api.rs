//! The JSON API and its OpenAPI document.

use serde_json::{Value, json};

use crate::helpers::TestApp;

const APPLICATIONS: &str = "/api/v1/jobs/peer-support-specialist/applications";

fn body() -> Value {
    json!({
        "name": "Ana Souza",
        "email": "ana@example.org",
        "answers": {
            "q1": "mental_health",
            "q2": "yes",
            "q3": "I'll ask what they hope for.",
            "q4": "We set the agenda together.",
            "q5": "We both learn; nobody fixes."
        },
        "attestations": { "driving": "yes", "cipss_status": "none" }
    })
}

async fn an_application_is_created_once(app: &TestApp) {
    let res = app.post_json(APPLICATIONS, &body()).await;
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.unwrap();
    let reference = created["reference"].as_str().unwrap().to_owned();
    assert_eq!(reference.len(), 14);

    let again = app.post_json(APPLICATIONS, &body()).await;
    assert_eq!(again.status(), 200);
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["reference"], reference.as_str());
    assert_eq!(again["already_received"], true);
    assert_eq!(app.application_count().await, 1);
}

async fn screening_findings_carry_field_category_phrase_and_offsets(app: &TestApp) {
    let mut b = body();
    b["answers"]["q4"] = json!("Zoë here: my P.T.S.D. is old news.");
    b["answers"]["q5"] = json!("I was on probation and learned to listen.");
    let res = app.post_json(APPLICATIONS, &b).await;
    assert_eq!(res.status(), 422);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["error"], "screening");
    assert_eq!(
        v["findings"],
        json!([
            {"field": "q4", "category": "diagnosis", "phrase": "P.T.S.D", "start": 13, "end": 20},
            {"field": "q5", "category": "criminal_history", "phrase": "on probation", "start": 6, "end": 18},
        ])
    );
    assert_eq!(app.application_count().await, 0);
}

async fn validation_errors_name_the_field(app: &TestApp) {
    let mut b = body();
    b["answers"]["q3"] = json!("One. Two. Three. Four.");
    b["answers"]["q1"] = json!("sometimes");
    b["email"] = json!("not-an-email");
    let res = app.post_json(APPLICATIONS, &b).await;
    assert_eq!(res.status(), 400);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["error"], "validation");
    assert_eq!(
        v["fields"]["q3"],
        "Your answer to question 3 has 4 sentences; the limit is 3."
    );
    assert!(v["fields"]["q1"].is_string());
    assert!(v["fields"]["email"].is_string());

    let missing = app.post_json(APPLICATIONS, &json!({"name": "x"})).await;
    assert_eq!(missing.status(), 400);
    let v: Value = missing.json().await.unwrap();
    assert!(
        v["fields"]["body"].as_str().unwrap().contains("email"),
        "{v}"
    );

    let mut extra = body();
    extra["answers"]["q9"] = json!("hello");
    let v: Value = app
        .post_json(APPLICATIONS, &extra)
        .await
        .json()
        .await
        .unwrap();
    assert!(v["fields"]["answers.q9"].is_string(), "{v}");
    assert_eq!(app.application_count().await, 0);
}

async fn wrong_type_size_and_posting_are_415_413_404(app: &TestApp) {
    let res = app
        .client
        .post(app.url(APPLICATIONS))
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 415);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["error"], "unsupported_media_type");

    let mut big = body();
    big["answers"]["q3"] = json!("a".repeat(65 * 1024));
    let res = app.post_json(APPLICATIONS, &big).await;
    assert_eq!(res.status(), 413);

    let res = app
        .post_json("/api/v1/jobs/no-such-job/applications", &body())
        .await;
    assert_eq!(res.status(), 404);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["error"], "not_found");

    let res = app
        .client
        .post(app.url(APPLICATIONS))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(app.application_count().await, 0);
}

async fn the_screen_endpoint_gives_a_verdict(app: &TestApp) {
    let v: Value = app
        .post_json(
            "/api/v1/screen",
            &json!({"text": "I have a track record in recovery."}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v, json!({"allowed": true, "findings": []}));
    let v: Value = app
        .post_json("/api/v1/screen", &json!({"text": "My OCD and my PO."}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["allowed"], false);
    assert_eq!(v["findings"][0]["field"], "text");
    assert_eq!(v["findings"].as_array().unwrap().len(), 2);
}

/// Every path of the document answers (not 404/405), and the document lists every API route.
async fn the_openapi_document_matches_the_routes(app: &TestApp) {
    let res = app.get("/api/v1/openapi.json").await;
    assert_eq!(res.status(), 200);
    let doc: Value = res.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let mut documented = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.push(format!("{} {path}", method.to_uppercase()));
            let concrete = path
                .replace("{slug}", "peer-support-specialist")
                .replace("{reference}", "K7QM-3XPA-9HDT")
                .replace("{ksa_id}", "education");
            let res = match method.as_str() {
                "get" => app.get(&concrete).await,
                "post" => app.post_json(&concrete, &json!({})).await,
                "put" => app
                    .client
                    .put(app.url(&concrete))
                    .json(&json!({}))
                    .send()
                    .await
                    .unwrap(),
                other => panic!("unexpected method {other}"),
            };
            assert!(
                ![404, 405].contains(&res.status().as_u16()),
                "{method} {path} → {}",
                res.status()
            );
        }
    }
    documented.sort();
    assert_eq!(
        documented,
        [
            "GET /api/v1/candidates",
            "GET /api/v1/candidates/{reference}",
            "GET /api/v1/openapi.json",
            "GET /healthz",
            "POST /api/v1/candidates/{reference}/stage",
            "POST /api/v1/jobs/{slug}/applications",
            "POST /api/v1/screen",
            "PUT /api/v1/candidates/{reference}/ksa/{ksa_id}",
        ]
    );
}

backend_tests!(
    an_application_is_created_once,
    screening_findings_carry_field_category_phrase_and_offsets,
    validation_errors_name_the_field,
    wrong_type_size_and_posting_are_415_413_404,
    the_screen_endpoint_gives_a_verdict,
    the_openapi_document_matches_the_routes,
);

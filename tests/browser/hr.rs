//! HR in a browser: signs in, finds the candidate, reviews the checklist, and moves them through
//! to hired with a hire date and a manager.

use peerhire::domain::Role;

use crate::browser;
use crate::helpers::{Backend, PASSWORD, spawn_app};

pub const KSAS: [&str; 12] = [
    "education",
    "certification",
    "driving",
    "experience",
    "lived_experience",
    "strengths_based",
    "peer_support_nature",
    "communication",
    "continual_learning",
    "flexible_schedule",
    "computer",
    "working_relationships",
];

#[actix_web::test]
async fn hr_reviews_the_checklist_and_hires_with_a_date_and_a_manager() {
    let Some(b) = browser::start(1280, 800).await else {
        return;
    };
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    app.add_user("hana@example.org", "Hana Reyes", Role::Hr)
        .await;
    let manager = app
        .add_user("morgan@example.org", "Morgan Lee", Role::Manager)
        .await;
    let reference = app
        .submit_application("Jordan Blake", "I'll share what gave me hope, then listen.")
        .await;

    b.client.goto(&app.url("/hr/candidates")).await.unwrap();
    assert!(
        b.client
            .current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/signin"),
        "an anonymous visitor is sent to sign in"
    );
    b.fill("#email", "hana@example.org").await;
    b.fill("#password", PASSWORD).await;
    b.click_and_load("#signin").await;
    assert_eq!(
        b.client.current_url().await.unwrap().path(),
        "/hr/candidates"
    );
    b.fill("#q", &reference).await;
    b.click_and_load("form[role=search] button").await;
    b.screenshot("hr-1-candidates-1280").await;
    b.click_and_load(&format!("a[href='/hr/candidates/{reference}']"))
        .await;
    let attested = b
        .css("#ksa-education .badge.attested")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(attested, "Applicant says yes — verify");

    for ksa in KSAS {
        b.css(&format!("#ksa-status-{ksa}"))
            .await
            .select_by_value("met")
            .await
            .unwrap();
        b.click_and_load(&format!("#ksa-save-{ksa}")).await;
        assert_eq!(
            b.css(&format!("#status-{ksa}")).await.text().await.unwrap(),
            "Met",
            "{ksa}"
        );
    }
    for to in ["screening", "interview", "offer"] {
        b.css("#to").await.select_by_value(to).await.unwrap();
        b.click_and_load("#move").await;
        assert_eq!(
            b.css("#current-stage")
                .await
                .text()
                .await
                .unwrap()
                .to_lowercase(),
            to
        );
    }
    b.css("#to").await.select_by_value("hired").await.unwrap();
    b.css("#hiring_manager")
        .await
        .select_by_value(&manager.to_string())
        .await
        .unwrap();
    b.click_and_load("#move").await;
    assert_eq!(b.css("#current-stage").await.text().await.unwrap(), "Hired");
    assert!(b.client.source().await.unwrap().contains("Morgan Lee"));
    b.full_page_screenshot("hr-2-candidate-hired-1280", 1280)
        .await;

    b.close().await;
    app.shutdown().await;
}

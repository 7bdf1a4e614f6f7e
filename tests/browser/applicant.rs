//! The applicant: reads the posting, is refused for a diagnosis phrase with every word kept,
//! rephrases, and reaches the confirmation — on a phone-sized screen, and by keyboard alone.

use fantoccini::key::Key;

use crate::browser;
use crate::helpers::{Backend, spawn_app};

const Q3_REFUSED: &str =
    "Living with bipolar taught me that hope comes back. I'll share that with a peer.";
const Q3_REPHRASED: &str =
    "Living through my own hard years taught me that hope comes back. I'll share that with a peer.";

#[actix_web::test]
async fn an_applicant_on_a_phone_is_refused_rephrases_and_is_received() {
    let Some(b) = browser::start(390, 844).await else {
        return;
    };
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    assert_eq!(b.viewport_width().await, 390);

    b.client.goto(&app.url("/")).await.unwrap();
    b.click_and_load("a[href='/jobs/peer-support-specialist']")
        .await;
    b.screenshot("applicant-1-posting-390").await;
    assert!(
        !b.scrolls_sideways().await,
        "no sideways scrolling on the posting at 390 px"
    );
    b.click("a.button[href='/jobs/peer-support-specialist/apply']")
        .await;

    b.screenshot("applicant-2-form-top-390").await;
    b.fill("#name", "Jordan Blake").await;
    b.fill("#email", "jordan@example.org").await;
    b.click("#q1-both").await;
    b.click("#q2-yes").await;
    b.fill("#q3", Q3_REFUSED).await;
    b.fill(
        "#q4",
        "We'll agree together how we meet, and check in each time.",
    )
    .await;
    b.fill("#q5", "Nobody is the expert; we both learn.").await;
    b.click("#cipss_status-none").await;
    b.screenshot("applicant-2-form-390").await;
    b.click_and_load("button[type=submit]").await;

    // Refused: the phrase is marked, the reason is in words, and every answer is still there.
    let marked = b.css("#q3-refusal ul mark").await.text().await.unwrap();
    assert_eq!(marked, "bipolar");
    let refusal = b.css("#q3-refusal").await.text().await.unwrap();
    assert!(refusal.contains("names a diagnosis"), "{refusal}");
    assert!(
        b.css("#problem")
            .await
            .text()
            .await
            .unwrap()
            .contains("Question 3")
    );
    assert_eq!(b.value("#q3").await, Q3_REFUSED);
    assert_eq!(b.value("#name").await, "Jordan Blake");
    assert_eq!(b.value("#q5").await, "Nobody is the expert; we both learn.");
    assert!(
        b.css("#q1-both")
            .await
            .prop("checked")
            .await
            .unwrap()
            .as_deref()
            == Some("true")
    );
    assert!(!b.scrolls_sideways().await);
    b.screenshot("applicant-3-refused-summary-390").await;
    b.screenshot_at("label[for=q3]", "applicant-3-refused-q3-390")
        .await;
    b.full_page_screenshot("applicant-3-refused-390", 390).await;
    assert_eq!(app.application_count().await, 0);

    b.fill("#q3", Q3_REPHRASED).await;
    b.click_and_load("button[type=submit]").await;
    let reference = b.css("#reference").await.text().await.unwrap();
    assert_eq!(reference.len(), 14, "{reference}");
    b.screenshot("applicant-4-received-390").await;
    assert_eq!(app.application_count().await, 1);

    b.close().await;
    app.shutdown().await;
}

#[actix_web::test]
async fn the_form_works_by_keyboard_alone_and_fits_320_px() {
    let Some(b) = browser::start(1280, 800).await else {
        return;
    };
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    b.client
        .goto(&app.url("/jobs/peer-support-specialist/apply"))
        .await
        .unwrap();
    b.screenshot("applicant-form-1280").await;

    let press_tab_until = |id: &'static str| {
        let b = &b;
        async move {
            for _ in 0..60 {
                b.client
                    .active_element()
                    .await
                    .unwrap()
                    .send_keys(&Key::Tab.to_string())
                    .await
                    .unwrap();
                if b.active_id().await == id {
                    return;
                }
            }
            panic!("Tab never reached #{id}");
        }
    };
    let type_here = |text: String| {
        let b = &b;
        async move {
            b.client
                .active_element()
                .await
                .unwrap()
                .send_keys(&text)
                .await
                .unwrap()
        }
    };
    press_tab_until("name").await;
    type_here("Kim Tran".into()).await;
    press_tab_until("email").await;
    type_here("kim@example.org".into()).await;
    // A radio group takes one Tab stop; the arrow keys choose within it.
    press_tab_until("q1-mental_health").await;
    type_here(Key::Down.to_string()).await;
    assert_eq!(b.active_id().await, "q1-substance_use");
    press_tab_until("q2-yes").await;
    type_here(Key::Space.to_string()).await;
    press_tab_until("q3").await;
    type_here("I'll ask what they hope for.".into()).await;
    press_tab_until("q4").await;
    type_here("We set the agenda together.".into()).await;
    press_tab_until("q5").await;
    type_here("We both learn.".into()).await;
    press_tab_until("submit").await;
    type_here(Key::Enter.to_string()).await;
    let reference = b.css("#reference").await.text().await.unwrap();
    assert_eq!(reference.len(), 14);
    assert_eq!(app.application_count().await, 1);

    b.set_viewport(320, 700).await;
    b.client
        .goto(&app.url("/jobs/peer-support-specialist/apply"))
        .await
        .unwrap();
    assert!(
        !b.scrolls_sideways().await,
        "the form must not scroll sideways at 320 px"
    );

    b.close().await;
    app.shutdown().await;
}

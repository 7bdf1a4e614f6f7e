use std::path::PathBuf;

use super::*;
use crate::forms::Forms;

fn posting() -> std::sync::Arc<Posting> {
    let forms = Forms::load(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("forms")).unwrap();
    forms.posting("peer-support-specialist").unwrap().clone()
}

fn input() -> ApplicationInput {
    let mut answers = BTreeMap::new();
    answers.insert("q1".into(), "both".into());
    answers.insert("q2".into(), "yes".into());
    answers.insert(
        "q3".into(),
        "I'll share what gave me hope. Then I'll listen.".into(),
    );
    answers.insert("q4".into(), "We agree together on how we meet.".into());
    answers.insert("q5".into(), "Nobody is the expert; we both learn.".into());
    ApplicationInput {
        name: "Sam Rivera".into(),
        email: "sam@example.org".into(),
        phone: None,
        answers,
        attestations: BTreeMap::new(),
    }
}

#[test]
fn a_complete_application_parses() {
    let app = Application::parse(&posting(), &input()).unwrap();
    assert_eq!(app.name.as_str(), "Sam Rivera");
    assert_eq!(app.answers.len(), 5);
    assert!(app.flagged_ksas.is_empty());
}

#[test]
fn neither_and_no_are_accepted_and_flag_the_lived_experience_ksa() {
    let mut i = input();
    i.answers.insert("q1".into(), "neither".into());
    i.answers.insert("q2".into(), "no".into());
    let app = Application::parse(&posting(), &i).unwrap();
    assert_eq!(
        app.flagged_ksas
            .iter()
            .map(Slug::as_str)
            .collect::<Vec<_>>(),
        ["lived_experience"]
    );
}

#[test]
fn every_problem_is_reported_against_its_field() {
    let mut i = input();
    i.name = " ".into();
    i.email = "nope".into();
    i.phone = Some("12".into());
    i.answers.insert("q1".into(), "maybe".into());
    i.answers.remove("q2");
    i.answers
        .insert("q3".into(), "One. Two. Three. Four.".into());
    i.answers.insert("q4".into(), "   ".into());
    i.answers.insert("q5".into(), "x".repeat(1001));
    i.attestations
        .insert("cipss_status".into(), "expert".into());
    let errors = Application::parse(&posting(), &i).unwrap_err();
    assert_eq!(
        errors.keys().map(String::as_str).collect::<Vec<_>>(),
        [
            "cipss_status",
            "email",
            "name",
            "phone",
            "q1",
            "q2",
            "q3",
            "q4",
            "q5"
        ]
    );
    assert_eq!(
        errors["q3"],
        "Your answer to question 3 has 4 sentences; the limit is 3."
    );
    assert_eq!(
        errors["q4"],
        "Question 4 is blank: please answer in 1 to 3 sentences."
    );
    assert_eq!(
        errors["q5"],
        "Your answer to question 5 is 1001 characters long; the limit is 1000."
    );
    assert_eq!(errors["q2"], "Please choose an answer to question 2.");
}

#[test]
fn the_optional_comment_and_attestations_are_kept_when_given() {
    let mut i = input();
    i.answers
        .insert("q1_comment".into(), "Both, for a long time.".into());
    i.attestations.insert("diploma".into(), "yes".into());
    i.attestations
        .insert("cipss_status".into(), "in_training".into());
    i.attestations.insert("driving".into(), "".into());
    let app = Application::parse(&posting(), &i).unwrap();
    assert!(
        app.answers
            .contains(&("q1_comment".into(), "Both, for a long time.".into()))
    );
    assert_eq!(
        app.attestations,
        vec![
            ("diploma".into(), "yes".into()),
            ("cipss_status".into(), "in_training".into())
        ]
    );
}

#[test]
fn free_texts_are_the_short_answers_and_the_comment() {
    let mut i = input();
    i.answers.insert("q1_comment".into(), "a note".into());
    let fields: Vec<String> = i
        .free_texts(&posting())
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    assert_eq!(fields, ["q1_comment", "q3", "q4", "q5"]);
}

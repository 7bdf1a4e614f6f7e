//! Loading the real forms/, and each kind of mistake HR could make in a copy of it.

use std::path::{Path, PathBuf};

use super::*;
use crate::domain::{AttestationKind, QuestionKind, Requirement};

fn repo_forms() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("forms")
}

const SEED: &str = "postings/peer-support-specialist/posting.toml";

/// A copy of forms/ with `edit` applied to the seed posting's TOML.
fn forms_with(edit: impl FnOnce(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo_forms(), dir.path());
    let file = dir.path().join(SEED);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, edit(text)).unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn load_err(edit: impl FnOnce(String) -> String) -> FormsError {
    let dir = forms_with(edit);
    Forms::load(dir.path()).unwrap_err()
}

#[test]
fn the_seed_posting_loads_with_its_five_questions_and_twelve_ksas() {
    let forms = Forms::load(&repo_forms()).unwrap();
    let posting = forms.posting("peer-support-specialist").unwrap();
    assert!(posting.is_open());
    assert_eq!(posting.title, "Peer Support Specialist");
    assert_eq!(posting.employer, "MaineHealth");
    assert_eq!(posting.location, "Rockland, ME, USA");
    assert_eq!(posting.questions.len(), 5);
    assert_eq!(posting.ksas.len(), 12);
    assert!(
        matches!(&posting.question("q1").unwrap().kind, QuestionKind::Choice { choices, comment: Some(_) }
        if choices.iter().map(|c| c.value.as_str()).collect::<Vec<_>>() == ["mental_health", "substance_use", "both", "neither"])
    );
    assert!(matches!(
        posting.question("q2").unwrap().kind,
        QuestionKind::YesNo
    ));
    for id in ["q3", "q4", "q5"] {
        assert!(matches!(
            posting.question(id).unwrap().kind,
            QuestionKind::ShortAnswer {
                min_sentences: 1,
                max_sentences: 3,
                max_chars: 1000
            }
        ));
    }
    assert!(posting.question("q1").unwrap().is_flagged("neither"));
    assert!(posting.question("q2").unwrap().is_flagged("no"));
    assert_eq!(
        posting
            .question("q2")
            .unwrap()
            .flag
            .as_ref()
            .unwrap()
            .ksa
            .as_str(),
        "lived_experience"
    );
    let fields: Vec<_> = posting
        .attestations()
        .map(|(_, a)| a.field.as_str())
        .collect();
    assert_eq!(
        fields,
        [
            "diploma",
            "cipss_status",
            "driving",
            "facilitation_experience",
            "evenings_weekends",
            "computer_skills"
        ]
    );
    let (_, cipss) = posting
        .attestations()
        .find(|(_, a)| a.field.as_str() == "cipss_status")
        .unwrap();
    assert!(matches!(&cipss.kind, AttestationKind::Choice(c) if c.len() == 4));
    assert_eq!(
        posting.ksa("experience").unwrap().requirement,
        Requirement::Preferred
    );
    assert_eq!(
        posting
            .ksas
            .iter()
            .filter(|k| k.requirement == Requirement::Required)
            .count(),
        11
    );
    assert_eq!(
        posting.ksas.iter().map(|k| k.number).collect::<Vec<_>>(),
        (1..=12).collect::<Vec<_>>()
    );
}

#[test]
fn the_questions_are_the_employers_words() {
    let seed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/seeds/003_629949cf101bd5ad.txt"
    ));
    let Ok(seed) = seed else { return }; // the seeds live beside the repository on developers' machines only
    let forms = Forms::load(&repo_forms()).unwrap();
    let posting = forms.posting("peer-support-specialist").unwrap();
    for q in &posting.questions {
        assert!(
            seed.contains(&q.text),
            "question {} differs from the posting: {}",
            q.id,
            q.text
        );
    }
    for k in &posting.ksas {
        assert!(
            seed.contains(&k.text),
            "KSA {} differs from the posting: {}",
            k.id,
            k.text
        );
    }
}

#[test]
fn a_syntax_error_names_the_file_line_and_column() {
    let err = load_err(|t| {
        t.replace(
            "title = \"Peer Support Specialist\"",
            "title = \"Peer Support Specialist",
        )
    });
    assert!(err.file.ends_with(SEED), "{err}");
    assert!(
        err.place
            .as_deref()
            .is_some_and(|p| p.starts_with("line 8,")),
        "{err}"
    );
}

#[test]
fn an_unknown_key_is_refused_not_ignored() {
    let err = load_err(|t| t.replace("status = \"open\"", "status = \"open\"\ncolour = \"blue\""));
    assert!(err.to_string().contains("colour"), "{err}");
}

#[test]
fn a_missing_field_is_named() {
    let err = load_err(|t| t.replace("employer = \"MaineHealth\"\n", ""));
    assert!(err.to_string().contains("employer"), "{err}");
}

#[test]
fn a_slug_that_differs_from_its_folder_is_refused() {
    let err = load_err(|t| {
        t.replace(
            "slug = \"peer-support-specialist\"",
            "slug = \"peer-support\"",
        )
    });
    assert_eq!(err.place.as_deref(), Some("slug"));
    assert!(err.problem.contains("folder"), "{err}");
}

#[test]
fn questions_must_be_q1_to_q5() {
    let err = load_err(|t| t.replacen("id = \"q4\"", "id = \"q9\"", 1));
    assert_eq!(err.place.as_deref(), Some("questions"), "{err}");
}

#[test]
fn an_impossible_sentence_range_is_refused() {
    let err = load_err(|t| {
        t.replacen(
            "min_sentences = 1\nmax_sentences = 3",
            "min_sentences = 4\nmax_sentences = 3",
            1,
        )
    });
    assert!(
        err.place.as_deref().unwrap().contains("questions[2] (q3)"),
        "{err}"
    );
}

#[test]
fn a_flag_must_point_to_a_real_ksa_and_a_real_answer() {
    let err = load_err(|t| {
        t.replacen(
            "flags_ksa = \"lived_experience\"",
            "flags_ksa = \"nope\"",
            1,
        )
    });
    assert!(err.problem.contains("nope"), "{err}");
    let err = load_err(|t| t.replacen("flag_values = [\"no\"]", "flag_values = [\"maybe\"]", 1));
    assert!(err.problem.contains("maybe"), "{err}");
}

#[test]
fn duplicate_ksa_ids_and_reserved_field_names_are_refused() {
    let err = load_err(|t| t.replacen("id = \"driving\"", "id = \"education\"", 1));
    assert!(err.problem.contains("education"), "{err}");
    let err = load_err(|t| t.replacen("field = \"diploma\"", "field = \"email\"", 1));
    assert!(err.problem.contains("already uses"), "{err}");
}

#[test]
fn a_missing_description_file_is_named() {
    let err = load_err(|t| {
        t.replace(
            "description_file = \"description.md\"",
            "description_file = \"nope.md\"",
        )
    });
    assert_eq!(err.place.as_deref(), Some("description_file"));
}

#[test]
fn an_empty_forms_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("postings")).unwrap();
    assert!(
        Forms::load(dir.path())
            .unwrap_err()
            .problem
            .contains("no posting")
    );
    let missing = Forms::load(&dir.path().join("absent")).unwrap_err();
    assert!(missing.problem.contains("cannot read"), "{missing}");
}

#[test]
fn several_postings_can_be_open_at_once() {
    let dir = forms_with(|t| t);
    let second = dir.path().join("postings/peer-support-specialist-bangor");
    copy_dir(
        &dir.path().join("postings/peer-support-specialist"),
        &second,
    );
    let file = second.join("posting.toml");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace(
            "slug = \"peer-support-specialist\"",
            "slug = \"peer-support-specialist-bangor\"",
        )
        .replace("Rockland, ME, USA", "Bangor, ME, USA")
        .replace("posted_on = 2021-01-05", "posted_on = 2021-02-01");
    std::fs::write(&file, text).unwrap();
    let forms = Forms::load(dir.path()).unwrap();
    let open: Vec<_> = forms
        .open_postings()
        .iter()
        .map(|p| p.slug.to_string())
        .collect();
    assert_eq!(
        open,
        ["peer-support-specialist-bangor", "peer-support-specialist"]
    );
}

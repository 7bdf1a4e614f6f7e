//! The policy's own examples, one assertion each; the labelled corpus (tests/screening_corpus.rs)
//! measures the rest.

use std::path::PathBuf;
use std::sync::OnceLock;

use super::*;

fn screener() -> &'static Screener {
    static SCREENER: OnceLock<Screener> = OnceLock::new();
    SCREENER.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("forms/screening");
        Screener::load(&dir).expect("the repository's lexicon loads")
    })
}

fn categories(text: &str) -> Vec<Category> {
    let mut c: Vec<Category> = screener()
        .screen("q3", text)
        .into_iter()
        .map(|f| f.category)
        .collect();
    c.sort();
    c.dedup();
    c
}

#[track_caller]
fn refused_as(text: &str, expected: &[Category]) {
    assert_eq!(
        categories(text),
        expected,
        "{text:?} → {:?}",
        screener().screen("q3", text)
    );
}

#[track_caller]
fn accepted(text: &str) {
    assert_eq!(
        screener().screen("q3", text),
        Vec::new(),
        "{text:?} should be accepted"
    );
}

use Category::{CriminalHistory as C, Diagnosis as D};

#[test]
fn codes_are_refused() {
    for text in [
        "Dx F43.10 years ago",
        "my F1020 is in remission",
        "code F60.3 on my chart",
        "E11.9 too",
    ] {
        refused_as(text, &[D]);
    }
}

#[test]
fn named_diagnoses_in_every_usual_form_are_refused() {
    for text in [
        "I live with my bipolar every day.",
        "I have bi polar 1.",
        "It was schizo-affective.",
        "My P.T.S.D. flares in crowds.",
        "I have C-PTSD.",
        "My OCD and ADHD both show up.",
        "I'm on the spectrum.",
        "I have borderline personality.",
        "I am in recovery from cannabis use disorder.",
        "I have alcohol dependence.",
        "My OUD is in remission.",
        "I have a dual diagnosis.",
        "I had an eating disorder.",
        "I had a psychotic break.",
        "I had a manic episode.",
        "My epilepsy is controlled.",
        "I beat hep C.",
        "I manage type 2 diabetes.",
        "I was bipolar2 for years.",
        "ＢＩＰＯＬＡＲ was my label.",
    ] {
        refused_as(text, &[D]);
    }
}

#[test]
fn clinical_framing_and_suspected_labels_are_refused() {
    for text in [
        "I was clinically depressed.",
        "Major depression since my teens.",
        "I had generalized anxiety.",
        "I have an anxiety disorder.",
        "I had postpartum depression.",
        "I probably have undiagnosed autism.",
        "They first said schizophrenia, it turned out bipolar.",
        "I'm a little OCD about lists.",
        "I was diagnosed with depression in 2009.",
        "dx'd with BPD at 19.",
    ] {
        refused_as(text, &[D]);
    }
}

#[test]
fn justice_involvement_is_refused() {
    for text in [
        "I was arrested in 2015.",
        "I did a bid in Warren.",
        "I was locked up for a year.",
        "When I was inside I learned a lot.",
        "I did time in the county.",
        "My PO helped me.",
        "I went through drug court.",
        "I was on probation for two years.",
        "A background check will show some things.",
        "As a felon I was told I'd never work.",
        "I had an OUI in 2016.",
        "I was charged with theft.",
        "I was charged but it was dismissed.",
        "No arrests since 2016.",
        "My record got sealed.",
        "I do have a record.",
        "I'd prefer to discuss my legal history in person.",
        "My mom did time when I was little.",
    ] {
        refused_as(text, &[C]);
    }
}

#[test]
fn both_categories_are_reported() {
    refused_as("My PTSD got worse after prison.", &[D, C]);
}

#[test]
fn lived_experience_care_and_feelings_are_accepted() {
    for text in [
        "I'm a person in long-term recovery.",
        "I relapsed three times and drank heavily.",
        "I spent a week on a psychiatric unit at Spring Harbor.",
        "Therapy, DBT and Suboxone helped me.",
        "I was put on an involuntary hold once.",
        "Years of depression and anxiety.",
        "I hear voices and have racing thoughts.",
        "My heroin addiction taught me a lot; I'm a recovering alcoholic.",
        "I got a diagnosis in my twenties.",
        "I live with a mental illness.",
        "I've never been diagnosed with anything.",
    ] {
        accepted(text);
    }
}

#[test]
fn generic_figurative_and_everyday_senses_are_accepted() {
    for text in [
        "People with substance use disorders deserve respect.",
        "I took a training on trauma and PTSD.",
        "The DSM cannot describe hope.",
        "The weather here is bipolar.",
        "It was a manic morning.",
        "My desk is in total disorder.",
        "I have a track record of showing up and a clean driving record.",
        "Answer in 1–3 sentences.",
        "I was in charge of a team, free of charge.",
        "I charged my phone in the food court.",
        "It is my conviction that people change.",
        "I finished a 90-day probationary period at work.",
        "I served on a board and served in the Navy.",
        "Learning together released me from old beliefs.",
        "Shame felt like a life sentence.",
        "Meet me in Room F12, I drive an F-250 pickup.",
        "I volunteered at a prison and worked in jail diversion.",
        "I support people leaving incarceration.",
        "I live in Warren near the prison fields.",
        "I was a juror once and got a speeding ticket.",
        "I lied to everyone and was hustling to keep using.",
        "I survived an overdose and a suicide attempt.",
        "I have never been arrested.",
    ] {
        accepted(text);
    }
}

#[test]
fn findings_carry_the_exact_phrase_and_character_offsets() {
    let text = "Zoë here — my P.T.S.D. and a stint in jail.";
    let findings = screener().screen("q4", text);
    assert_eq!(findings.len(), 2, "{findings:?}");
    let chars: Vec<char> = text.chars().collect();
    for f in &findings {
        assert_eq!(f.field, "q4");
        assert_eq!(chars[f.start..f.end].iter().collect::<String>(), f.phrase);
    }
    assert_eq!(findings[0].phrase, "P.T.S.D");
    assert_eq!(findings[0].category, Category::Diagnosis);
    assert_eq!(findings[1].phrase, "a stint in jail");
    assert_eq!(findings[1].category, Category::CriminalHistory);
}

#[test]
fn a_broken_lexicon_names_the_entry() {
    let rules = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/forms/screening/rules.toml"
    ))
    .unwrap();
    let bad =
        "[[terms]]\ncategory = \"diagnosis\"\nkind = \"name\"\nphrases = [\"ok\", \"bad (\"]\n";
    let err = Screener::from_sources(bad, &rules).err().unwrap();
    assert!(err.place.contains("terms[0].phrases[1]"), "{err}");
    let unknown = "[[terms]]\ncategory = \"diagnosis\"\nkind = \"nope\"\nphrases = [\"x\"]\n";
    assert!(
        Screener::from_sources(unknown, &rules)
            .err()
            .unwrap()
            .place
            .starts_with("lexicon.toml: line")
    );
}

/// The context mechanisms the tenth development round called for, each with the accepted case
/// it must not break.
#[test]
fn context_ties_a_term_to_the_writer_through_lists_articles_and_storytelling() {
    // A list marker does not make the writer's own list generic…
    refused_as(
        "I've dealt with a lot, including PTSD and panic attacks.",
        &[D],
    );
    accepted("We had a training on many conditions, including PTSD.");
    // …nor does "out of work for" name a workplace.
    refused_as("I was out of work for a year with schizophrenia.", &[D]);
    // "the PTSD" is someone's; bare "PTSD" in a general statement is no one's.
    refused_as("The PTSD is not as bad as it was.", &[D]);
    accepted("PTSD is not a weakness.");
    // An offence told as trouble, or with a determiner before it, is still tied to the writer.
    refused_as("I got in trouble for burglary when I was 20.", &[C]);
    refused_as("They picked me up for the burglary in 2015.", &[C]);
    accepted("I was the victim of a burglary in 2014.");
    // An offence only an offender has, owned, is the owner's whatever group stands before it.
    refused_as("I paid back everyone hurt by my check fraud.", &[C]);
    accepted("The keys were in my possession the whole time.");
    // A term naming a place or an event of the writer's work.
    accepted("The PTSD clinic where I volunteer taught me to listen.");
    refused_as("The PTSD I live with taught me to listen.", &[D]);
    // Offenders in general are generic; the group the writer tells is not the owner.
    accepted("People charged with possession deserve treatment, not punishment.");
    refused_as(
        "When I tell peers about the OUI that made me get sober, they relax.",
        &[C],
    );
    // "I coach" is a verb, so the detention center is the writer's workplace.
    accepted("I coach basketball at the youth detention center.");
    // Parents and sponsors are groups, as people are.
    accepted("Plenty of sponsors have criminal records, and newcomers trust them.");
    refused_as("My sponsor has a criminal record.", &[C]);
}

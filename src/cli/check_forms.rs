use super::{Failure, GlobalArgs, settings};
use crate::domain::Requirement;
use crate::forms::Forms;

/// `peerhire check-forms`: load and validate forms/ exactly as `serve` does, and summarise it.
pub fn run(global: &GlobalArgs) -> Result<(), Failure> {
    let settings = settings(global.raw_settings())?;
    let forms = Forms::load(&settings.forms_dir).map_err(Failure::usage)?;
    let postings: Vec<_> = forms.postings().collect();
    println!(
        "{}: valid, {} posting(s)",
        settings.forms_dir.display(),
        postings.len()
    );
    for posting in postings {
        let required = posting
            .ksas
            .iter()
            .filter(|k| k.requirement == Requirement::Required)
            .count();
        println!(
            "  {} ({}): {} — {} questions, {} KSAs ({} required, {} preferred, {} answered by the applicant)",
            posting.slug,
            posting.status.as_str(),
            posting.title,
            posting.questions.len(),
            posting.ksas.len(),
            required,
            posting.ksas.len() - required,
            posting.attestations().count(),
        );
    }
    Ok(())
}

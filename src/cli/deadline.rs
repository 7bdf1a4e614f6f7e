use chrono::NaiveDate;
use clap::Args;

use super::{Failure, GlobalArgs, settings};
use crate::domain::deadline::provisional_due;

#[derive(Debug, Args)]
#[command(after_help = "Example:\n  peerhire deadline --hired 2023-05-31   # prints 2024-02-29")]
pub struct DeadlineArgs {
    /// The hire date, YYYY-MM-DD
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub hired: String,
}

/// `peerhire deadline --hired DATE`: the provisional CIPSS due date, in ISO form. The months
/// come from PEERHIRE_CIPSS_MONTHS (default 9).
pub fn run(global: &GlobalArgs, args: &DeadlineArgs) -> Result<(), Failure> {
    let settings = settings(global.raw_settings())?;
    let hired = parse_date(&args.hired).map_err(Failure::usage)?;
    let months = settings.deadlines.cipss_months;
    let due = provisional_due(hired, months).ok_or_else(|| {
        Failure::usage(format!(
            "{hired} plus {months} months is past the calendar's end"
        ))
    })?;
    println!("{due}");
    Ok(())
}

/// A calendar date written YYYY-MM-DD; anything else, or a day that does not exist, is refused
/// with the reason.
pub fn parse_date(raw: &str) -> Result<NaiveDate, String> {
    let raw = raw.trim();
    let shaped = raw.len() == 10
        && raw.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shaped {
        return Err(format!("`{raw}` is not a date written YYYY-MM-DD"));
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| format!("`{raw}` is not a day of the calendar"))
}

#[cfg(test)]
mod tests {
    use super::parse_date;

    #[test]
    fn dates_are_iso_and_real() {
        assert_eq!(parse_date("2024-02-29").unwrap().to_string(), "2024-02-29");
        assert!(parse_date("2023-02-29").unwrap_err().contains("not a day"));
        assert!(parse_date("2023-13-01").unwrap_err().contains("not a day"));
        assert!(parse_date("2023-2-1").unwrap_err().contains("YYYY-MM-DD"));
        assert!(parse_date("yesterday").is_err());
    }
}

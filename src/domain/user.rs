//! People who sign in, and what each role may do.

use std::fmt;

/// What a signed-in person may do. HR screeners decide who moves on; admins also manage users,
/// postings, the audit trail and retention; managers see their own hires and deadlines — never
/// an applicant's answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Admin,
    Hr,
    Manager,
}

impl Role {
    pub const ALL: [Role; 3] = [Self::Admin, Self::Hr, Self::Manager];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Hr => "hr",
            Self::Manager => "manager",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Admin => "Administrator",
            Self::Hr => "HR screener",
            Self::Manager => "Hiring manager",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == raw.trim().to_lowercase())
    }

    /// Candidates, their checklist and stages, exports.
    pub fn screens_candidates(self) -> bool {
        matches!(self, Self::Admin | Self::Hr)
    }

    /// The applicant's answers (q1–q5). Managers never see them.
    pub fn reads_answers(self) -> bool {
        matches!(self, Self::Admin | Self::Hr)
    }

    /// Users, the audit trail, retention.
    pub fn administers(self) -> bool {
        self == Self::Admin
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A password as typed when set: long enough to resist guessing, short enough to hash quickly.
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN_CHARS: usize = 12;
    pub const MAX_CHARS: usize = 256;

    pub fn parse(raw: &str) -> Result<Self, String> {
        let chars = raw.chars().count();
        if chars < Self::MIN_CHARS {
            return Err(format!(
                "The password must be at least {} characters long.",
                Self::MIN_CHARS
            ));
        }
        if chars > Self::MAX_CHARS {
            return Err(format!(
                "The password may be at most {} characters long.",
                Self::MAX_CHARS
            ));
        }
        if raw.trim().is_empty() {
            return Err("The password must not be only spaces.".into());
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_and_their_rights() {
        assert_eq!(Role::parse("HR"), Some(Role::Hr));
        assert_eq!(Role::parse("boss"), None);
        assert!(
            Role::Admin.reads_answers()
                && Role::Hr.reads_answers()
                && !Role::Manager.reads_answers()
        );
        assert!(!Role::Manager.screens_candidates());
        assert!(Role::Admin.administers() && !Role::Hr.administers());
    }

    #[test]
    fn passwords() {
        assert!(NewPassword::parse("short").is_err());
        assert!(NewPassword::parse("            ").is_err());
        assert!(NewPassword::parse("correct horse battery").is_ok());
        assert!(
            !format!("{:?}", NewPassword::parse("correct horse battery").unwrap())
                .contains("horse")
        );
    }
}

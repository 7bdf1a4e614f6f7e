use std::fmt;

/// A URL-safe identifier: lowercase ASCII letters, digits and single hyphens, 1–80 long.
///
/// Used for posting slugs (`/jobs/{slug}`) and for the ids of questions and KSAs, so they can be
/// put in URLs and form field names without escaping.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slug(String);

impl Slug {
    pub const MAX_LEN: usize = 80;

    /// `allow_underscore` admits `_` too, for ids that become HTML field names (`cipss_status`).
    pub fn parse_with(raw: &str, allow_underscore: bool) -> Result<Self, String> {
        if raw.is_empty() {
            return Err("must not be empty".into());
        }
        if raw.len() > Self::MAX_LEN {
            return Err(format!(
                "is {} characters; the limit is {}",
                raw.len(),
                Self::MAX_LEN
            ));
        }
        let ok_char = |c: char| {
            c.is_ascii_lowercase()
                || c.is_ascii_digit()
                || c == '-'
                || (allow_underscore && c == '_')
        };
        if let Some(bad) = raw.chars().find(|c| !ok_char(*c)) {
            return Err(format!(
                "contains {bad:?}; use lowercase letters, digits and hyphens{}",
                if allow_underscore {
                    " or underscores"
                } else {
                    ""
                }
            ));
        }
        if raw.starts_with('-') || raw.ends_with('-') || raw.contains("--") {
            return Err("must not start or end with a hyphen or contain two in a row".into());
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::parse_with(raw, false)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_seed_slug() {
        assert_eq!(
            Slug::parse("peer-support-specialist").unwrap().as_str(),
            "peer-support-specialist"
        );
    }

    #[test]
    fn refuses_bad_slugs_with_a_reason() {
        for bad in [
            "",
            "Peer",
            "peer support",
            "-peer",
            "peer-",
            "a--b",
            "a/b",
            "é",
        ] {
            assert!(Slug::parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert!(
            Slug::parse(&"a".repeat(81))
                .unwrap_err()
                .contains("limit is 80")
        );
    }

    #[test]
    fn underscores_only_where_allowed() {
        assert!(Slug::parse("cipss_status").is_err());
        assert!(Slug::parse_with("cipss_status", true).is_ok());
    }
}

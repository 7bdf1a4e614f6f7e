//! The applicant's contact details, each a type that can only hold a usable value.

use std::fmt;

use validator::ValidateEmail;

/// A full name as the person writes it: 1–200 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(raw: &str) -> Result<Self, String> {
        let name = raw.trim();
        if name.is_empty() {
            return Err("Please tell us your full name.".into());
        }
        let chars = name.chars().count();
        if chars > Self::MAX_CHARS {
            return Err(format!(
                "Your name is {chars} characters long; the limit is {}.",
                Self::MAX_CHARS
            ));
        }
        if name.chars().any(char::is_control) {
            return Err("Your name contains a control character; please type it again.".into());
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An email address we can write to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub const MAX_CHARS: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, String> {
        let email = raw.trim();
        if email.is_empty() {
            return Err("Please give an email address, so we can send you a receipt.".into());
        }
        if email.chars().count() > Self::MAX_CHARS || !email.validate_email() {
            let shown: String = email.chars().take(60).collect();
            return Err(format!(
                "“{shown}” is not an email address we can write to (for example name@example.org)."
            ));
        }
        Ok(Self(email.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A phone number as written, with 7 to 15 digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let phone = raw.trim();
        let allowed = |c: char| c.is_ascii_digit() || " +-().x".contains(c);
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        if !phone.chars().all(allowed) || !(7..=15).contains(&digits) {
            let shown: String = phone.chars().take(40).collect();
            return Err(format!(
                "“{shown}” does not look like a phone number: use 7 to 15 digits, with spaces, + - ( ) if you like."
            ));
        }
        Ok(Self(phone.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            PersonName::parse("  Zoë O’Brien ").unwrap().as_str(),
            "Zoë O’Brien"
        );
        assert!(PersonName::parse("   ").unwrap_err().contains("full name"));
        assert!(
            PersonName::parse(&"a".repeat(201))
                .unwrap_err()
                .contains("201 characters")
        );
        assert!(
            PersonName::parse(&"é".repeat(200)).is_ok(),
            "the limit counts characters, not bytes"
        );
        assert!(PersonName::parse("a\u{0}b").is_err());
    }

    #[test]
    fn emails() {
        assert!(EmailAddress::parse("sam@example.org").is_ok());
        assert!(EmailAddress::parse("").unwrap_err().contains("Please give"));
        assert!(EmailAddress::parse("sam@").unwrap_err().contains("“sam@”"));
        assert!(EmailAddress::parse("two words@example.org").is_err());
    }

    #[test]
    fn phones() {
        assert!(PhoneNumber::parse("(207) 555-0142").is_ok());
        assert!(PhoneNumber::parse("+1 207 555 0142").is_ok());
        assert!(PhoneNumber::parse("555").is_err());
        assert!(PhoneNumber::parse("call me maybe").is_err());
    }
}

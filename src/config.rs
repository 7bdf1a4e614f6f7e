//! Typed settings, read from flags and the environment, each documented where it is read.
//!
//! [`RawSettings`] holds the strings as given (so the rules can be tested without touching the
//! process environment); [`Settings::parse`] turns them into checked values or one error line
//! that names the variable and what is wrong.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use chrono::NaiveTime;
use secrecy::{ExposeSecret, SecretString};
use url::Url;

use crate::domain::deadline::{AlertPlan, UpkeepRequirement};
use crate::storage::DatabaseUrl;

/// The values as given on the command line or in the environment; `None` means unset.
#[derive(Debug, Clone, Default)]
pub struct RawSettings {
    pub database_url: Option<String>,
    pub bind: Option<String>,
    pub forms_dir: Option<String>,
    pub base_url: Option<String>,
    pub secret_key: Option<String>,
    pub smtp_url: Option<String>,
    pub mail_from: Option<String>,
    pub workers: Option<String>,
    pub retention_days: Option<String>,
    pub cipss_months: Option<String>,
    pub alert_days: Option<String>,
    pub overdue_every_days: Option<String>,
    pub upkeep_alert_days: Option<String>,
    pub alert_time: Option<String>,
    pub mail_give_up_hours: Option<String>,
    pub upkeep_education_hours: Option<String>,
    pub upkeep_skill_hours: Option<String>,
    pub upkeep_reviews: Option<String>,
}

/// A setting that could not be used: which one, and why. Displays as one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub variable: &'static str,
    pub problem: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.variable, self.problem)
    }
}

impl std::error::Error for ConfigError {}

fn bad(variable: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        variable,
        problem: problem.into(),
    }
}

pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_FORMS_DIR: &str = "forms";
pub const DEFAULT_MAIL_FROM: &str = "peerhire <peerhire@localhost>";
pub const DEFAULT_RETENTION_DAYS: u32 = 365;

/// Checked settings for the whole service.
#[derive(Debug, Clone)]
pub struct Settings {
    pub database: DatabaseUrl,
    pub bind: SocketAddr,
    pub forms_dir: PathBuf,
    /// The address people use to reach the service, for links in emails and the start message.
    /// `None`: derived from the address actually bound (see [`Settings::effective_base_url`]).
    pub base_url: Option<Url>,
    /// Unset: generated and kept beside the SQLite file (see [`SecretKey::resolve`]).
    pub secret_key: Option<SecretKey>,
    pub smtp_url: Option<SecretString>,
    pub mail_from: String,
    /// HTTP worker threads; defaults to the number of cores.
    pub workers: usize,
    /// Candidates who withdrew or were not selected are erased this many days after.
    pub retention_days: u32,
    pub deadlines: DeadlineSettings,
    /// When `serve` runs the daily scan, in UTC.
    pub alert_time: NaiveTime,
    /// How long a message the SMTP server refuses outright (5xx) is retried before it is marked
    /// failed for an admin to look at.
    pub mail_give_up: chrono::Duration,
}

/// The provisional CIPSS deadline and the alerts around it; all configurable.
#[derive(Debug, Clone)]
pub struct DeadlineSettings {
    pub cipss_months: u32,
    pub alerts: AlertPlan,
    /// Days before the certification year closes when a shortfall is reported.
    pub upkeep_alert_days: Vec<i64>,
    pub upkeep: UpkeepRequirement,
}

impl Default for DeadlineSettings {
    fn default() -> Self {
        Self {
            cipss_months: DEFAULT_CIPSS_MONTHS,
            alerts: AlertPlan::default(),
            upkeep_alert_days: vec![60, 30],
            upkeep: UpkeepRequirement::default(),
        }
    }
}

pub const DEFAULT_CIPSS_MONTHS: u32 = 9;

fn number<T>(
    var: &'static str,
    raw: Option<&str>,
    default: T,
    range: std::ops::RangeInclusive<T>,
) -> Result<T, ConfigError>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display,
{
    match raw {
        None => Ok(default),
        Some(value) => match value.trim().parse::<T>() {
            Ok(n) if range.contains(&n) => Ok(n),
            _ => Err(bad(
                var,
                format!(
                    "`{value}` is not a number from {} to {}",
                    range.start(),
                    range.end()
                ),
            )),
        },
    }
}

fn day_list(
    var: &'static str,
    raw: Option<&str>,
    default: &[i64],
) -> Result<Vec<i64>, ConfigError> {
    let Some(value) = raw else {
        return Ok(default.to_vec());
    };
    let days: Result<Vec<i64>, _> = value.split(',').map(|d| d.trim().parse::<i64>()).collect();
    match days {
        Ok(days) if !days.is_empty() && days.iter().all(|d| (0..=3650).contains(d)) => Ok(days),
        _ => Err(bad(
            var,
            format!("`{value}` is not a comma-separated list of days such as 60,30,14,7,1,0"),
        )),
    }
}

impl Settings {
    pub fn parse(raw: RawSettings) -> Result<Self, ConfigError> {
        let database = match raw.database_url.as_deref() {
            None => DatabaseUrl::default(),
            Some(value) => {
                DatabaseUrl::parse(value).map_err(|p| bad("PEERHIRE_DATABASE_URL", p))?
            }
        };
        let bind_text = raw.bind.as_deref().unwrap_or(DEFAULT_BIND).trim();
        let bind: SocketAddr = bind_text.parse().map_err(|_| {
            bad(
                "PEERHIRE_BIND",
                format!("`{bind_text}` is not an address and port such as 127.0.0.1:8080"),
            )
        })?;
        let forms_dir = PathBuf::from(raw.forms_dir.as_deref().unwrap_or(DEFAULT_FORMS_DIR));
        let base_url = match raw.base_url.as_deref() {
            None => None,
            Some(value) => Some(parse_base_url(value)?),
        };
        let secret_key = match raw.secret_key {
            Some(value) => {
                Some(SecretKey::parse(&value).map_err(|p| bad("PEERHIRE_SECRET_KEY", p))?)
            }
            None if database.is_postgres() => {
                return Err(bad(
                    "PEERHIRE_SECRET_KEY",
                    "is required with PostgreSQL, so that every instance signs alike (32 or more characters)",
                ));
            }
            None => None,
        };
        let smtp_url = match raw.smtp_url {
            Some(value) => Some(parse_smtp_url(value)?),
            None => None,
        };
        let mail_from = raw
            .mail_from
            .unwrap_or_else(|| DEFAULT_MAIL_FROM.to_owned());
        check_mailbox(&mail_from).map_err(|p| bad("PEERHIRE_MAIL_FROM", p))?;
        let workers = match raw.workers.as_deref() {
            None => std::thread::available_parallelism().map_or(2, usize::from),
            Some(value) => match value.trim().parse::<usize>() {
                Ok(n @ 1..=64) => n,
                _ => {
                    return Err(bad(
                        "PEERHIRE_WORKERS",
                        format!("`{value}` is not a number from 1 to 64"),
                    ));
                }
            },
        };
        let retention_days = match raw.retention_days.as_deref() {
            None => DEFAULT_RETENTION_DAYS,
            Some(value) => match value.trim().parse::<u32>() {
                Ok(n @ 1..=36500) => n,
                _ => {
                    return Err(bad(
                        "PEERHIRE_RETENTION_DAYS",
                        format!("`{value}` is not a number of days from 1 to 36500"),
                    ));
                }
            },
        };
        let deadlines = DeadlineSettings {
            cipss_months: number(
                "PEERHIRE_CIPSS_MONTHS",
                raw.cipss_months.as_deref(),
                DEFAULT_CIPSS_MONTHS,
                1..=36,
            )?,
            alerts: AlertPlan {
                before: day_list(
                    "PEERHIRE_ALERT_DAYS",
                    raw.alert_days.as_deref(),
                    &[60, 30, 14, 7, 1, 0],
                )?,
                overdue_every_days: number(
                    "PEERHIRE_OVERDUE_EVERY_DAYS",
                    raw.overdue_every_days.as_deref(),
                    7,
                    1..=365,
                )?,
            },
            upkeep_alert_days: day_list(
                "PEERHIRE_UPKEEP_ALERT_DAYS",
                raw.upkeep_alert_days.as_deref(),
                &[60, 30],
            )?,
            upkeep: UpkeepRequirement {
                continuing_education_hours: f64::from(number(
                    "PEERHIRE_UPKEEP_EDUCATION_HOURS",
                    raw.upkeep_education_hours.as_deref(),
                    8,
                    0..=200,
                )?),
                skill_building_hours: f64::from(number(
                    "PEERHIRE_UPKEEP_SKILL_HOURS",
                    raw.upkeep_skill_hours.as_deref(),
                    12,
                    0..=200,
                )?),
                reviews: number(
                    "PEERHIRE_UPKEEP_REVIEWS",
                    raw.upkeep_reviews.as_deref(),
                    2,
                    0..=12,
                )?,
            },
        };
        let alert_time = match raw.alert_time.as_deref() {
            None => NaiveTime::from_hms_opt(7, 0, 0).unwrap_or_default(),
            Some(value) => NaiveTime::parse_from_str(value.trim(), "%H:%M").map_err(|_| {
                bad(
                    "PEERHIRE_ALERT_TIME",
                    format!("`{value}` is not a time such as 07:00 (UTC)"),
                )
            })?,
        };
        let mail_give_up = chrono::Duration::hours(number(
            "PEERHIRE_MAIL_GIVE_UP_HOURS",
            raw.mail_give_up_hours.as_deref(),
            24,
            1..=720,
        )?);
        Ok(Self {
            database,
            bind,
            forms_dir,
            base_url,
            secret_key,
            smtp_url,
            mail_from,
            workers,
            retention_days,
            deadlines,
            alert_time,
            mail_give_up,
        })
    }
}

impl Settings {
    /// The configured base URL, or `http://HOST:PORT/` of the address the server really bound
    /// (which differs from `bind` when the port is 0, as in tests).
    pub fn effective_base_url(&self, bound: SocketAddr) -> Url {
        self.base_url
            .clone()
            .unwrap_or_else(|| default_base_url(bound))
    }
}

fn default_base_url(bind: SocketAddr) -> Url {
    let host = if bind.ip().is_unspecified() {
        "localhost".to_owned()
    } else {
        bind.ip().to_string()
    };
    let host = if bind.is_ipv6() && host != "localhost" {
        format!("[{host}]")
    } else {
        host
    };
    Url::parse(&format!("http://{host}:{}/", bind.port())).unwrap_or_else(|_| {
        // Every SocketAddr formats to a valid authority; this arm only keeps the type total.
        Url::parse("http://localhost/").expect("a constant URL parses")
    })
}

fn parse_base_url(value: &str) -> Result<Url, ConfigError> {
    let var = "PEERHIRE_BASE_URL";
    let url = Url::parse(value.trim()).map_err(|e| {
        bad(
            var,
            format!("`{value}` is not an absolute URL such as https://jobs.example.org ({e})"),
        )
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad(
            var,
            format!(
                "must start with http:// or https://, not {}://",
                url.scheme()
            ),
        ));
    }
    if url.host_str().is_none() {
        return Err(bad(var, "names no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad(var, "must not have a query or fragment"));
    }
    Ok(url)
}

fn parse_smtp_url(value: String) -> Result<SecretString, ConfigError> {
    let var = "PEERHIRE_SMTP_URL";
    let url = Url::parse(value.trim()).map_err(|_| {
        bad(
            var,
            "is not a URL such as smtp://mail.example.org:587 or smtps://user:password@host",
        )
    })?;
    if !matches!(url.scheme(), "smtp" | "smtps") {
        return Err(bad(
            var,
            format!(
                "must start with smtp:// or smtps://, not {}://",
                url.scheme()
            ),
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad(var, "names no host"));
    }
    Ok(SecretString::from(value))
}

/// Accepts `addr@host` or `Display Name <addr@host>`.
fn check_mailbox(value: &str) -> Result<(), String> {
    let value = value.trim();
    let address = match (value.find('<'), value.rfind('>')) {
        (Some(open), Some(close)) if open < close && close == value.len() - 1 => {
            &value[open + 1..close]
        }
        (None, None) => value,
        _ => {
            return Err(format!(
                "`{value}` is not an address such as `peerhire <hiring@example.org>`"
            ));
        }
    };
    match address.split_once('@') {
        Some((local, domain))
            if !local.is_empty()
                && !domain.is_empty()
                && !address.contains(char::is_whitespace) =>
        {
            Ok(())
        }
        _ => Err(format!("`{address}` is not an email address")),
    }
}

/// The key that signs sessions, CSRF tokens and feed links.
#[derive(Clone)]
pub struct SecretKey(SecretString);

impl SecretKey {
    pub const MIN_LEN: usize = 32;

    pub fn parse(value: &str) -> Result<Self, String> {
        let value = value.trim();
        if value.chars().count() < Self::MIN_LEN {
            return Err(format!(
                "is too short: use {} or more random characters",
                Self::MIN_LEN
            ));
        }
        Ok(Self(SecretString::from(value.to_owned())))
    }

    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// The file that keeps a generated key beside a SQLite database.
    pub fn file_beside(database: &Path) -> PathBuf {
        let mut name = database
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_else(|| "peerhire.db".into());
        name.push(".secret");
        database.with_file_name(name)
    }

    /// The configured key, or for SQLite the one kept beside the database file, generated on
    /// first use. Returns the key and, when it was just generated, the file it was written to.
    pub fn resolve(settings: &Settings) -> std::io::Result<(Self, Option<PathBuf>)> {
        if let Some(key) = &settings.secret_key {
            return Ok((key.clone(), None));
        }
        let DatabaseUrl::Sqlite(db) = &settings.database else {
            return Err(std::io::Error::other(
                "PEERHIRE_SECRET_KEY is required with PostgreSQL",
            ));
        };
        let file = Self::file_beside(db);
        if let Ok(existing) = std::fs::read_to_string(&file) {
            return Self::parse(&existing).map(|k| (k, None)).map_err(|p| {
                std::io::Error::other(format!("{}: the kept secret key {p}", file.display()))
            });
        }
        let key = random_token(48);
        write_private(&file, &key)?;
        Ok((Self(SecretString::from(key)), Some(file)))
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

/// A random string of URL-safe letters and digits, from the operating system's generator.
pub fn random_token(len: usize) -> String {
    use rand::Rng;
    use rand::distr::Alphanumeric;
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(f: impl FnOnce(&mut RawSettings)) -> Result<Settings, ConfigError> {
        let mut raw = RawSettings::default();
        f(&mut raw);
        Settings::parse(raw)
    }

    #[test]
    fn defaults_make_a_fresh_clone_work() {
        let s = parse(|_| {}).unwrap();
        assert!(matches!(&s.database, DatabaseUrl::Sqlite(p) if p == Path::new("peerhire.db")));
        assert_eq!(s.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(s.forms_dir, PathBuf::from("forms"));
        assert_eq!(
            s.effective_base_url(s.bind).as_str(),
            "http://127.0.0.1:8080/"
        );
        assert!(s.secret_key.is_none());
        assert!(s.smtp_url.is_none());
        assert!(s.workers >= 1);
    }

    #[test]
    fn a_wrong_value_names_the_variable() {
        type Case = (&'static str, fn(&mut RawSettings));
        let cases: [Case; 8] = [
            ("PEERHIRE_BIND", |r| r.bind = Some("localhost".into())),
            ("PEERHIRE_DATABASE_URL", |r| {
                r.database_url = Some("mysql://x".into())
            }),
            ("PEERHIRE_BASE_URL", |r| r.base_url = Some("ftp://x".into())),
            ("PEERHIRE_BASE_URL", |r| {
                r.base_url = Some("not a url".into())
            }),
            ("PEERHIRE_SECRET_KEY", |r| {
                r.secret_key = Some("short".into())
            }),
            ("PEERHIRE_SMTP_URL", |r| {
                r.smtp_url = Some("http://mail".into())
            }),
            ("PEERHIRE_MAIL_FROM", |r| {
                r.mail_from = Some("nobody".into())
            }),
            ("PEERHIRE_WORKERS", |r| r.workers = Some("0".into())),
        ];
        for (variable, set) in cases {
            let err = parse(set).unwrap_err();
            assert_eq!(err.variable, variable, "{err}");
            let line = err.to_string();
            assert!(line.starts_with(variable) && !line.contains('\n'), "{line}");
        }
    }

    #[test]
    fn postgres_requires_a_secret_key() {
        let err = parse(|r| r.database_url = Some("postgres://postgres@127.0.0.1/test".into()))
            .unwrap_err();
        assert_eq!(err.variable, "PEERHIRE_SECRET_KEY");
        let ok = parse(|r| {
            r.database_url = Some("postgres://postgres@127.0.0.1/test".into());
            r.secret_key = Some("x".repeat(40));
        });
        assert!(ok.is_ok());
    }

    #[test]
    fn base_url_follows_bind_and_accepts_https() {
        let s = parse(|r| r.bind = Some("0.0.0.0:9000".into())).unwrap();
        assert_eq!(
            s.effective_base_url(s.bind).as_str(),
            "http://localhost:9000/"
        );
        let s = parse(|r| r.base_url = Some("https://jobs.example.org".into())).unwrap();
        assert_eq!(
            s.effective_base_url(s.bind).as_str(),
            "https://jobs.example.org/"
        );
    }

    #[test]
    fn mailboxes_with_and_without_display_names() {
        assert!(check_mailbox("hr@example.org").is_ok());
        assert!(check_mailbox("Hiring Team <hr@example.org>").is_ok());
        assert!(check_mailbox("Hiring Team <hr@example.org").is_err());
        assert!(check_mailbox("@example.org").is_err());
    }

    #[test]
    fn a_generated_key_is_kept_beside_the_database_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("p.db");
        let settings =
            parse(|r| r.database_url = Some(format!("sqlite://{}", db.display()))).unwrap();
        let (first, written) = SecretKey::resolve(&settings).unwrap();
        assert_eq!(
            written.as_deref(),
            Some(dir.path().join("p.db.secret").as_path())
        );
        let (second, written_again) = SecretKey::resolve(&settings).unwrap();
        assert!(written_again.is_none());
        assert_eq!(first.expose(), second.expose());
        assert!(first.expose().len() >= SecretKey::MIN_LEN);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("p.db.secret"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}

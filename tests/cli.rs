#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the failure report
//! The `peerhire` binary as a person runs it: help, settings errors, forms checks, migrations.

use std::process::{Command, Output};

fn peerhire(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_peerhire"));
    cmd.args(args).current_dir(env!("CARGO_MANIFEST_DIR"));
    for var in [
        "PEERHIRE_DATABASE_URL",
        "PEERHIRE_BIND",
        "PEERHIRE_FORMS_DIR",
        "PEERHIRE_BASE_URL",
        "PEERHIRE_SECRET_KEY",
        "PEERHIRE_SMTP_URL",
        "PEERHIRE_MAIL_FROM",
        "PEERHIRE_WORKERS",
        "PEERHIRE_CIPSS_MONTHS",
    ] {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied());
    cmd.output().expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn help_lists_every_subcommand_and_setting() {
    let out = peerhire(&["--help"], &[]);
    assert!(out.status.success());
    let help = text(&out.stdout);
    for word in [
        "serve",
        "migrate",
        "check-forms",
        "PEERHIRE_DATABASE_URL",
        "PEERHIRE_FORMS_DIR",
    ] {
        assert!(help.contains(word), "--help lacks {word}:\n{help}");
    }
    let out = peerhire(&["serve", "--help"], &[]);
    let help = text(&out.stdout);
    for word in [
        "PEERHIRE_BIND",
        "PEERHIRE_BASE_URL",
        "PEERHIRE_MAIL_FROM",
        "PEERHIRE_SECRET_KEY",
        "PEERHIRE_SMTP_URL",
        "127.0.0.1:8080",
    ] {
        assert!(help.contains(word), "serve --help lacks {word}:\n{help}");
    }
}

#[test]
fn a_wrong_setting_stops_with_one_line_naming_the_variable() {
    let out = peerhire(&["serve"], &[("PEERHIRE_BIND", "not-an-address")]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("PEERHIRE_BIND") && err.contains("not-an-address"),
        "{err}"
    );

    let out = peerhire(
        &["migrate"],
        &[("PEERHIRE_DATABASE_URL", "mysql://root@localhost/x")],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("PEERHIRE_DATABASE_URL"));
}

#[test]
fn check_forms_summarises_the_seed_posting() {
    let out = peerhire(&["check-forms"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let summary = text(&out.stdout);
    assert!(summary.contains("peer-support-specialist (open): Peer Support Specialist — 5 questions, 12 KSAs (11 required, 1 preferred, 6 answered by the applicant)"), "{summary}");
}

#[test]
fn a_bad_forms_file_stops_serve_with_the_file_place_and_problem() {
    let dir = tempfile::tempdir().unwrap();
    let posting = dir.path().join("postings/broken");
    std::fs::create_dir_all(&posting).unwrap();
    std::fs::write(
        posting.join("posting.toml"),
        "slug = \"broken\"\ntitle = 3\n",
    )
    .unwrap();
    let forms = dir.path().display().to_string();
    let db = format!("sqlite://{}", dir.path().join("x.db").display());
    for args in [vec!["check-forms"], vec!["serve", "--bind", "127.0.0.1:0"]] {
        let out = peerhire(
            &args,
            &[
                ("PEERHIRE_FORMS_DIR", &forms),
                ("PEERHIRE_DATABASE_URL", &db),
            ],
        );
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        assert!(
            err.contains("postings/broken/posting.toml: line 2, column 9:"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn migrate_creates_and_then_leaves_an_up_to_date_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("m.db").display());
    let first = peerhire(&["migrate"], &[("PEERHIRE_DATABASE_URL", &db)]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let applied = text(&first.stdout);
    assert!(
        applied.contains(" migration(s) applied") && !applied.contains(": 0 migration(s)"),
        "{applied}"
    );
    let again = peerhire(&["migrate"], &[("PEERHIRE_DATABASE_URL", &db)]);
    assert!(text(&again.stdout).contains("0 migration(s) applied"));
}

fn peerhire_with_stdin(args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_peerhire"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("PEERHIRE_FORMS_DIR")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn screen_prints_the_verdict_for_stdin() {
    let out = peerhire_with_stdin(&["screen"], "My PTSD taught me patience.\n".as_bytes());
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["allowed"], false);
    assert_eq!(v["findings"][0]["phrase"], "PTSD");
    assert_eq!(v["findings"][0]["start"], 3);

    let out = peerhire_with_stdin(&["screen"], b"I have a track record of showing up.");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v, serde_json::json!({"allowed": true, "findings": []}));
}

#[test]
fn screen_jsonl_echoes_other_keys_and_names_the_bad_line() {
    let input = "{\"id\": 7, \"text\": \"I was on parole.\"}\n\n{\"id\": \"b\", \"text\": \"Hope grows.\"}\n";
    let out = peerhire_with_stdin(&["screen", "--jsonl"], input.as_bytes());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], 7);
    assert_eq!(lines[0]["allowed"], false);
    assert_eq!(lines[0]["findings"][0]["category"], "criminal_history");
    assert_eq!(lines[1]["id"], "b");
    assert_eq!(lines[1]["allowed"], true);

    let out = peerhire_with_stdin(&["screen", "--jsonl"], b"{\"text\": \"ok\"}\nnot json\n");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("line 2"),
        "{}",
        text(&out.stderr)
    );

    let out = peerhire_with_stdin(&["screen", "--jsonl"], b"{\"id\": 1}\n");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("line 1") && text(&out.stderr).contains("\"text\""));

    let out = peerhire_with_stdin(&["screen"], b"\xff\xfe bad");
    assert_eq!(out.status.code(), Some(2));
}

fn peerhire_in(db: &str, args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_peerhire"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("PEERHIRE_DATABASE_URL", db)
        .env_remove("PEERHIRE_FORMS_DIR")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn user_commands_add_list_token_and_disable() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("u.db").display());
    let add = peerhire_in(
        &db,
        &[
            "user",
            "add",
            "--email",
            "Hana@Example.org",
            "--name",
            "Hana Reyes",
            "--role",
            "hr",
        ],
        b"correct horse battery\n",
    );
    assert!(add.status.success(), "{}", text(&add.stderr));
    assert!(text(&add.stdout).contains("hana@example.org"));
    let short = peerhire_in(
        &db,
        &[
            "user",
            "add",
            "--email",
            "x@example.org",
            "--name",
            "X",
            "--role",
            "hr",
        ],
        b"short\n",
    );
    assert_eq!(short.status.code(), Some(2));
    assert!(text(&short.stderr).contains("at least 12 characters"));
    let again = peerhire_in(
        &db,
        &[
            "user",
            "add",
            "--email",
            "hana@example.org",
            "--name",
            "H",
            "--role",
            "admin",
        ],
        b"correct horse battery\n",
    );
    assert_eq!(
        again.status.code(),
        Some(2),
        "a second account with the same email is refused"
    );
    let bad_role = peerhire_in(
        &db,
        &[
            "user",
            "add",
            "--email",
            "y@example.org",
            "--name",
            "Y",
            "--role",
            "boss",
        ],
        b"correct horse battery\n",
    );
    assert_eq!(bad_role.status.code(), Some(2));

    let list = text(&peerhire_in(&db, &["user", "list"], b"").stdout);
    assert!(
        list.contains("hana@example.org\thr\tactive\tHana Reyes"),
        "{list}"
    );

    let token = peerhire_in(&db, &["user", "token", "--email", "hana@example.org"], b"");
    assert!(token.status.success());
    assert_eq!(text(&token.stdout).trim().len(), 43);
    let revoke = peerhire_in(
        &db,
        &["user", "token", "--email", "hana@example.org", "--revoke"],
        b"",
    );
    assert!(text(&revoke.stdout).contains("Revoked 1 token(s)."));

    let disable = peerhire_in(
        &db,
        &["user", "disable", "--email", "hana@example.org"],
        b"",
    );
    assert!(disable.status.success(), "{}", text(&disable.stderr));
    assert!(text(&peerhire_in(&db, &["user", "list"], b"").stdout).contains("\tdisabled\t"));
    let missing = peerhire_in(
        &db,
        &["user", "disable", "--email", "nobody@example.org"],
        b"",
    );
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn purge_dry_run_lists_and_erases_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("p.db").display());
    let out = peerhire_in(&db, &["purge", "--dry-run"], b"");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("would erase 0 candidate(s) closed more than 365 days ago"));
}

#[test]
fn deadline_prints_nine_calendar_months_later_clamped_to_the_month_end() {
    for (hired, due) in [
        ("2021-01-05", "2021-10-05"),
        ("2023-05-31", "2024-02-29"),
        ("2022-12-31", "2023-09-30"),
        ("2023-05-29", "2024-02-29"),
        ("2024-02-29", "2024-11-29"),
        ("2023-06-30", "2024-03-30"),
    ] {
        let out = peerhire(&["deadline", "--hired", hired], &[]);
        assert!(out.status.success(), "{hired}: {}", text(&out.stderr));
        assert_eq!(text(&out.stdout).trim(), due, "{hired}");
    }
    let out = peerhire(
        &["deadline", "--hired", "2024-01-31"],
        &[("PEERHIRE_CIPSS_MONTHS", "1")],
    );
    assert_eq!(
        text(&out.stdout).trim(),
        "2024-02-29",
        "the months are configuration"
    );
}

#[test]
fn deadline_refuses_an_impossible_date_with_exit_2() {
    for bad in ["2023-02-29", "2023-13-01", "05/31/2023", "tomorrow"] {
        let out = peerhire(&["deadline", "--hired", bad], &[]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = text(&out.stderr);
        assert!(
            err.contains(bad) && err.lines().count() == 1,
            "{bad}: {err}"
        );
    }
}

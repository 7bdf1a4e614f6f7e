use std::io::{BufRead, IsTerminal};

use chrono::Utc;
use clap::{Args, Subcommand};

use super::{Failure, GlobalArgs, settings};
use crate::domain::{EmailAddress, NewPassword, PersonName, Role};
use crate::security::{Token, hash_password};
use crate::startup;
use crate::storage::audit::{self, Actor};
use crate::storage::users;

#[derive(Debug, Args)]
pub struct UserArgs {
    #[command(subcommand)]
    pub command: UserCommand,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user. The password is read from stdin (one line) or asked for at a prompt — never
    /// taken from the command line, where `ps` and shell history would keep it
    Add {
        /// The email address they sign in with
        #[arg(long)]
        email: String,
        /// Their full name
        #[arg(long)]
        name: String,
        /// admin (users, audit, retention), hr (candidates, checklist, stages, exports) or
        /// manager (their own hires and deadlines)
        #[arg(long)]
        role: String,
    },
    /// List every user with their role and whether they are active
    List,
    /// Disable a user: their sessions end and their API tokens stop working at once
    Disable {
        #[arg(long)]
        email: String,
    },
    /// Create a personal API token (printed once; stored only as a digest), or revoke them all
    Token {
        #[arg(long)]
        email: String,
        /// Revoke every token of this user instead of creating one
        #[arg(long)]
        revoke: bool,
    },
}

fn cli_actor() -> Actor {
    Actor::system("cli")
}

/// Reads the password: a prompt without echo on a terminal, else the first line of stdin.
fn read_password() -> Result<NewPassword, Failure> {
    let raw = if std::io::stdin().is_terminal() {
        rpassword::prompt_password("Password (12 or more characters): ")
            .map_err(|e| Failure::usage(format!("cannot read the password: {e}")))?
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| Failure::usage(format!("cannot read the password: {e}")))?;
        line.trim_end_matches(['\n', '\r']).to_owned()
    };
    NewPassword::parse(&raw).map_err(Failure::usage)
}

/// `peerhire user …`
pub fn run(global: &GlobalArgs, args: &UserArgs) -> Result<(), Failure> {
    let settings = settings(global.raw_settings())?;
    actix_web::rt::System::new().block_on(async move {
        let db = startup::connect(&settings)
            .await
            .map_err(Failure::runtime)?;
        db.migrate().await.map_err(Failure::runtime)?;
        let now = Utc::now().naive_utc();
        match &args.command {
            UserCommand::Add { email, name, role } => {
                let email = EmailAddress::parse(email)
                    .map_err(|e| Failure::usage(format!("--email: {e}")))?;
                let name =
                    PersonName::parse(name).map_err(|e| Failure::usage(format!("--name: {e}")))?;
                let role = Role::parse(role)
                    .ok_or_else(|| Failure::usage("--role: use admin, hr or manager"))?;
                let password = read_password()?;
                let hash = hash_password(password.expose()).map_err(Failure::runtime)?;
                let user = db
                    .write(move |conn| {
                        use diesel::Connection;
                        conn.transaction(|conn| {
                            let user = users::create(
                                conn,
                                email.as_str(),
                                name.as_str(),
                                role,
                                &hash,
                                now,
                            )?;
                            audit::record(
                                conn,
                                &cli_actor(),
                                "user.add",
                                Some(&user.email),
                                Some(&format!("role={}", role.as_str())),
                                now,
                            )?;
                            Ok(user)
                        })
                    })
                    .await
                    .map_err(|e| match e {
                        crate::storage::StorageError::Conflict(m) => Failure::usage(m),
                        other => Failure::runtime(other),
                    })?;
                println!(
                    "Added {} ({}) as {}.",
                    user.email, user.full_name, user.role
                );
            }
            UserCommand::List => {
                let all = db.read(users::list).await.map_err(Failure::runtime)?;
                for u in all {
                    let status = if u.is_active() { "active" } else { "disabled" };
                    println!("{}\t{}\t{}\t{}", u.email, u.role, status, u.full_name);
                }
            }
            UserCommand::Disable { email } => {
                let email = email.clone();
                db.write(move |conn| {
                    use diesel::Connection;
                    conn.transaction(|conn| {
                        let user = users::find_by_email(conn, &email)?
                            .ok_or(crate::storage::StorageError::NotFound)?;
                        users::disable(conn, user.id, now)?;
                        audit::record(
                            conn,
                            &cli_actor(),
                            "user.disable",
                            Some(&user.email),
                            None,
                            now,
                        )
                    })
                })
                .await
                .map_err(|e| match e {
                    crate::storage::StorageError::NotFound => {
                        Failure::usage("no active user has that email")
                    }
                    other => Failure::runtime(other),
                })?;
                println!(
                    "Disabled {}: their sessions and API tokens no longer work.",
                    args_email(&args.command)
                );
            }
            UserCommand::Token { email, revoke } => {
                let (email, revoke) = (email.clone(), *revoke);
                let token = Token::generate();
                let digest = token.digest();
                let outcome = db
                    .write(move |conn| {
                        use diesel::Connection;
                        conn.transaction(|conn| {
                            let user = users::find_by_email(conn, &email)?
                                .filter(|u| u.is_active())
                                .ok_or(crate::storage::StorageError::NotFound)?;
                            if revoke {
                                let n = users::revoke_api_tokens(conn, user.id, now)?;
                                audit::record(
                                    conn,
                                    &cli_actor(),
                                    "token.revoke",
                                    Some(&user.email),
                                    Some(&format!("count={n}")),
                                    now,
                                )?;
                                Ok(Err(n))
                            } else {
                                let id = users::create_api_token(conn, user.id, &digest, now)?;
                                audit::record(
                                    conn,
                                    &cli_actor(),
                                    "token.create",
                                    Some(&user.email),
                                    Some(&format!("id={id}")),
                                    now,
                                )?;
                                Ok(Ok(id))
                            }
                        })
                    })
                    .await
                    .map_err(|e| match e {
                        crate::storage::StorageError::NotFound => {
                            Failure::usage("no active user has that email")
                        }
                        other => Failure::runtime(other),
                    })?;
                match outcome {
                    Ok(_) => println!("{}", token.expose()),
                    Err(n) => println!("Revoked {n} token(s)."),
                }
            }
        }
        Ok(())
    })
}

fn args_email(command: &UserCommand) -> &str {
    match command {
        UserCommand::Add { email, .. }
        | UserCommand::Disable { email }
        | UserCommand::Token { email, .. } => email,
        UserCommand::List => "",
    }
}

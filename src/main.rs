use std::process::ExitCode;

fn main() -> ExitCode {
    peerhire::cli::run()
}

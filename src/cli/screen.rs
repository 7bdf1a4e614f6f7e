use std::io::{BufRead, Read, Write};

use clap::Args;
use serde_json::{Map, Value, json};

use super::{Failure, GlobalArgs, settings};
use crate::screening::{Finding, Screener};

#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: 0 whatever the verdict; 2 when the input cannot be read \
    (with the line number for --jsonl).\n\nExamples:\n  \
    echo 'My PTSD taught me patience.' | peerhire screen\n  \
    peerhire screen --jsonl < answers.jsonl > verdicts.jsonl"
)]
pub struct ScreenArgs {
    /// Read one JSON object per line with a "text" key; other keys (such as "id") are echoed
    /// back beside the verdict, one verdict per line
    #[arg(long)]
    pub jsonl: bool,
}

fn verdict(findings: &[Finding]) -> Value {
    json!({ "allowed": findings.is_empty(), "findings": findings })
}

/// `peerhire screen`: the same verdict as `POST /api/v1/screen`, for text on stdin.
pub fn run(global: &GlobalArgs, args: &ScreenArgs) -> Result<(), Failure> {
    let settings = settings(global.raw_settings())?;
    let screener = Screener::load(&settings.forms_dir.join("screening")).map_err(Failure::usage)?;
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    let write_failed =
        |e: std::io::Error| Failure::runtime(format!("cannot write the verdict: {e}"));
    if !args.jsonl {
        let mut bytes = Vec::new();
        stdin
            .lock()
            .read_to_end(&mut bytes)
            .map_err(|e| Failure::usage(format!("cannot read stdin: {e}")))?;
        let text =
            String::from_utf8(bytes).map_err(|_| Failure::usage("stdin is not UTF-8 text"))?;
        let findings = screener.screen("text", text.trim_end_matches(['\n', '\r']));
        return writeln!(out, "{}", verdict(&findings)).map_err(write_failed);
    }
    for (index, line) in stdin.lock().split(b'\n').enumerate() {
        let number = index + 1;
        let line = line.map_err(|e| Failure::usage(format!("line {number}: cannot read: {e}")))?;
        let line = String::from_utf8(line)
            .map_err(|_| Failure::usage(format!("line {number}: not UTF-8 text")))?;
        if line.trim().is_empty() {
            continue;
        }
        let mut object: Map<String, Value> = serde_json::from_str(&line)
            .map_err(|e| Failure::usage(format!("line {number}: not a JSON object: {e}")))?;
        let Some(Value::String(text)) = object.remove("text") else {
            return Err(Failure::usage(format!(
                "line {number}: needs a \"text\" key holding a string"
            )));
        };
        let findings = screener.screen("text", &text);
        if let Value::Object(v) = verdict(&findings) {
            object.extend(v);
        }
        writeln!(out, "{}", Value::Object(object)).map_err(write_failed)?;
    }
    Ok(())
}

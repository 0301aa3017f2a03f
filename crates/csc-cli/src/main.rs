//! The `csc-measures` command: [`csc_cli::run`] over the process's arguments.

use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(csc_cli::run(std::env::args_os()))
}

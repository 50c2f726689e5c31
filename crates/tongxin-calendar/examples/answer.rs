//! Answers calendar queries read from stdin, one per line, in the CLI syntax
//! (`add-workdays 2024-02-05 5`); prints one answer per line, followed by a tab and the
//! warnings when there are any, or `error: …` for a line that cannot be answered.
//!
//! ```text
//! cargo run --release -p tongxin-calendar --example answer [-- --ningxia] < queries.txt > answers.txt
//! ```
//!
//! Used by `benches/calendar-python/` to compare answers with the `chinese-calendar` package;
//! prints the time spent answering (excluding reading stdin) to stderr.

use std::io::{self, BufWriter, Read, Write};
use std::time::Instant;

use tongxin_calendar::{Calendar, Computed, Query, RegionalOverlay};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ningxia = std::env::args().any(|a| a == "--ningxia");
    let national = Calendar::national()?;
    let cal = if ningxia {
        national.with_overlay(&RegionalOverlay::ningxia_builtin()?)
    } else {
        national
    };
    let mut input = String::new();
    io::stdin().lock().read_to_string(&mut input)?;
    let mut out = BufWriter::new(io::stdout().lock());
    let started = Instant::now();
    let mut count = 0u64;
    for line in input.lines() {
        if line.trim().is_empty() {
            continue;
        }
        count += 1;
        match line.parse::<Query>() {
            Err(e) => writeln!(out, "error: {e}")?,
            Ok(q) => match cal.answer(&q) {
                Err(e) => writeln!(out, "error: {e}")?,
                Ok(Computed { value, warnings }) if warnings.is_empty() => {
                    writeln!(out, "{value}")?
                }
                Ok(Computed { value, warnings }) => writeln!(out, "{value}\t{warnings}")?,
            },
        }
    }
    out.flush()?;
    let elapsed = started.elapsed();
    eprintln!(
        "answered {count} queries in {:.3} ms ({:.1} ns/query, parsing and formatting included)",
        elapsed.as_secs_f64() * 1e3,
        elapsed.as_secs_f64() * 1e9 / count.max(1) as f64
    );
    Ok(())
}

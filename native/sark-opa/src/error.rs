//! Typed errors. Parse and compile errors carry the file:line:col regorus reports, so
//! callers (CLI, N-API binding) can point at the offending policy line.

use std::fmt;
use std::path::PathBuf;

/// A position in a policy source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: u32,
    pub col: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.col)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// The module text is not valid Rego (in the selected v0/v1 dialect).
    #[error("parse error at {location}: {message}")]
    Parse { location: Location, message: String },

    /// The modules parse but cannot be compiled together (unsafe vars, recursion,
    /// conflicting data, unknown imports...). `location` is absent when regorus gives none.
    #[error("compile error{}: {message}", fmt_loc(.location))]
    Compile {
        location: Option<Location>,
        message: String,
    },

    /// Evaluation failed at run time (conflicting rule outputs, builtin errors...).
    #[error("evaluation error for {query}{}: {message}", fmt_loc(.location))]
    Evaluation {
        query: String,
        location: Option<Location>,
        message: String,
    },

    /// The input document is not acceptable JSON.
    #[error("invalid input: {message}")]
    Input { message: String },

    /// A data document is not acceptable JSON or conflicts with another.
    #[error("invalid data document {name}: {message}")]
    Data { name: String, message: String },

    #[error("cannot read {}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("no module named {0}")]
    UnknownModule(String),
}

fn fmt_loc(loc: &Option<Location>) -> String {
    loc.as_ref().map(|l| format!(" at {l}")).unwrap_or_default()
}

impl PolicyError {
    /// Location of the error in a policy file, when known.
    pub fn location(&self) -> Option<&Location> {
        match self {
            PolicyError::Parse { location, .. } => Some(location),
            PolicyError::Compile { location, .. } | PolicyError::Evaluation { location, .. } => {
                location.as_ref()
            }
            _ => None,
        }
    }
}

/// Splits a regorus error, whose text looks like
/// `\n--> file:line:col\n  |\n3 | src\n  |   ^\nerror: message`, into a location and the
/// trailing message. Errors raised without a span come back with `None`.
pub(crate) fn split_regorus_error(err: &anyhow::Error) -> (Option<Location>, String) {
    let text = format!("{err:#}");
    let location = text.lines().find_map(|line| {
        let rest = line.trim_start().strip_prefix("--> ")?;
        // File names may contain ':' (Windows drives), so parse from the right.
        let mut parts = rest.rsplitn(3, ':');
        let col = parts.next()?.trim().parse().ok()?;
        let line = parts.next()?.trim().parse().ok()?;
        let file = parts.next()?.to_string();
        Some(Location { file, line, col })
    });
    let message = match location {
        Some(_) => text
            .lines()
            .rev()
            .find_map(|l| l.strip_prefix("error: "))
            .unwrap_or(text.trim())
            .trim()
            .to_string(),
        None => text.trim().to_string(),
    };
    (location, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_location_and_message() {
        let err = anyhow::anyhow!(
            "\n--> policies/a.rego:3:7\n  |\n3 | allow {{\n  |       ^\nerror: expecting `if`"
        );
        let (loc, msg) = split_regorus_error(&err);
        assert_eq!(
            loc,
            Some(Location {
                file: "policies/a.rego".into(),
                line: 3,
                col: 7
            })
        );
        assert_eq!(msg, "expecting `if`");
    }

    #[test]
    fn keeps_message_without_location() {
        let (loc, msg) = split_regorus_error(&anyhow::anyhow!("rule conflict"));
        assert_eq!(loc, None);
        assert_eq!(msg, "rule conflict");
    }
}

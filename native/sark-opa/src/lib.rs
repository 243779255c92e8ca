//! Embedded Rego policy engine for SARK, built on regorus.
//!
//! ```
//! use sark_opa::{PolicySet, Evaluation};
//! let set = PolicySet::new();
//! set.load_module("authz.rego", r#"
//!     package authz
//!     default allow := false
//!     allow if input.role == "admin"
//!     reason := "admin" if allow
//! "#).unwrap();
//! let input = serde_json::json!({"role": "viewer"});
//! assert_eq!(set.evaluate("data.authz.allow", &input).unwrap().as_bool(), Some(false));
//! assert_eq!(set.evaluate("data.authz.reason", &input).unwrap(), Evaluation::Undefined);
//! ```

mod dispatch;
mod engines;
mod error;
mod evaluation;
mod policy_set;
#[cfg(feature = "server")]
pub mod server;
mod snapshot;
mod sources;

pub use error::{Location, PolicyError};
pub use evaluation::Evaluation;
pub use policy_set::PolicySet;
pub use snapshot::Options;

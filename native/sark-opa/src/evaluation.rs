//! Values crossing the crate boundary: JSON input into regorus values, regorus results out
//! as an [`Evaluation`], and OPA's `{"result": [...]}` shape for queries.

use regorus::Value;
use serde::Deserialize;

use crate::error::PolicyError;

/// Result of evaluating a rule or query: a JSON value, or undefined (no rule body matched
/// and no default applies). Undefined is never folded into `false`.
#[derive(Debug, Clone, PartialEq)]
pub enum Evaluation {
    Defined(serde_json::Value),
    Undefined,
}

impl Evaluation {
    pub fn is_undefined(&self) -> bool {
        matches!(self, Evaluation::Undefined)
    }

    pub fn value(&self) -> Option<&serde_json::Value> {
        match self {
            Evaluation::Defined(v) => Some(v),
            Evaluation::Undefined => None,
        }
    }

    pub fn into_value(self) -> Option<serde_json::Value> {
        match self {
            Evaluation::Defined(v) => Some(v),
            Evaluation::Undefined => None,
        }
    }

    /// `Some(b)` only when the result is the JSON boolean `b`; authorization callers should
    /// treat `None` (undefined or non-boolean) as deny.
    pub fn as_bool(&self) -> Option<bool> {
        self.value().and_then(serde_json::Value::as_bool)
    }

    /// OPA's result shape for a rule reference `query`, as `opa eval --format json` prints
    /// it: one expression whose text is the query, or `{}` when undefined.
    pub(crate) fn into_opa_result(self, query: &str) -> serde_json::Value {
        match self {
            Evaluation::Defined(value) => serde_json::json!({"result": [{
                "expressions": [{
                    "value": value,
                    "text": query,
                    "location": {"row": 1, "col": 1},
                }],
            }]}),
            Evaluation::Undefined => serde_json::json!({}),
        }
    }
}

pub(crate) fn from_regorus(query: &str, value: &Value) -> Result<Evaluation, PolicyError> {
    if value == &Value::Undefined {
        return Ok(Evaluation::Undefined);
    }
    serde_json::to_value(value)
        .map(Evaluation::Defined)
        .map_err(|e| PolicyError::Evaluation {
            query: query.to_string(),
            location: None,
            message: format!("result is not representable as JSON: {e}"),
        })
}

pub(crate) fn to_regorus(json: &serde_json::Value) -> Result<Value, PolicyError> {
    Value::deserialize(json).map_err(|e| PolicyError::Input {
        message: e.to_string(),
    })
}

/// `None` leaves `input` undefined (OPA's GET /v1/data), which is not an empty object.
pub(crate) fn input_to_regorus(input: Option<&serde_json::Value>) -> Result<Value, PolicyError> {
    input.map_or(Ok(Value::Undefined), to_regorus)
}

pub(crate) fn input_from_json_text(text: &str) -> Result<Value, PolicyError> {
    Value::from_json_str(text).map_err(|e| PolicyError::Input {
        message: format!("{e:#}"),
    })
}

//! Values crossing the crate boundary: JSON input into regorus values, regorus results out
//! as an [`Evaluation`], and OPA's `{"result": [...]}` shape for queries.

use std::collections::BTreeMap;

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

/// JSON input as a regorus value, walked directly: the same value regorus's own
/// `Deserialize` builds (tested against it), without serde's visitor round trip and the
/// extra `String` per string it allocates (8% of the main decision's instructions).
pub(crate) fn to_regorus(json: &serde_json::Value) -> Result<Value, PolicyError> {
    use serde_json::Value as J;
    Ok(match json {
        J::Null => Value::Null,
        J::Bool(b) => Value::from(*b),
        J::String(s) => Value::from(s.as_str()),
        J::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Value::from(u),
            (None, Some(i)) => Value::from(i),
            // Floats and (with serde_json's arbitrary_precision) big numbers: regorus's own
            // conversion, so precision and errors stay exactly its.
            _ => deserialize(json)?,
        },
        J::Array(items) => Value::from(
            items
                .iter()
                .map(to_regorus)
                .collect::<Result<Vec<_>, _>>()?,
        ),
        J::Object(map) => {
            // regorus reads an object whose first key is serde_json's private number marker
            // as a number; leave that (and its error) to regorus too.
            if map
                .keys()
                .next()
                .is_some_and(|k| k == "$serde_json::private::Number")
            {
                return deserialize(json);
            }
            let mut object = BTreeMap::new();
            for (k, v) in map {
                object.insert(Value::from(k.as_str()), to_regorus(v)?);
            }
            Value::from(object)
        }
    })
}

fn deserialize(json: &serde_json::Value) -> Result<Value, PolicyError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The direct walk must build exactly what regorus's `Deserialize` builds.
    #[test]
    fn input_conversion_matches_regorus_deserialize() {
        let inputs = [
            serde_json::json!(null),
            serde_json::json!({
                "user": {"id": "alice", "roles": ["developer", "admin"], "mfa": {"verified": true, "age_seconds": 120}},
                "n": [0, 1, -1, u64::MAX, i64::MIN, 1.5, -0.0, 1e300, 12345678901234567890u64],
                "empty": {}, "list": [], "nested": [[{"a": null}]], "": "", "é": "ü",
            }),
            serde_json::json!({"$serde_json::private::Number": "12"}),
            serde_json::json!({"$serde_json::private::Number": 12, "b": 1}),
            serde_json::json!([true, false, "x", 3]),
        ];
        for input in &inputs {
            let ours = to_regorus(input).unwrap();
            let theirs = Value::deserialize(input).unwrap();
            assert_eq!(ours, theirs, "{input}");
            assert_eq!(format!("{ours:?}"), format!("{theirs:?}"), "{input}");
        }
    }
}

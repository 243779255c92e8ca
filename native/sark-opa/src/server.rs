//! The subset of OPA's REST Data API that SARK uses, over HTTP/1.1 with keep-alive.
//!
//! Routing and response shaping live in [`respond`], a pure function of the request parts, so
//! they are tested without sockets; [`serve`] is the thin hyper/tokio shell around it.

use std::convert::Infallible;
use std::sync::Arc;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::net::TcpListener;

use crate::{Evaluation, PolicySet};

/// Request bodies above this are refused rather than buffered.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// A response before it is put on the wire.
#[derive(Debug, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
}

fn error(status: u16, code: &str, message: impl Into<String>) -> Reply {
    Reply {
        status,
        body: json!({ "code": code, "message": message.into() }),
    }
}

/// Routes one request. `body` is the raw request body (empty when none was sent).
pub fn respond(set: &PolicySet, method: &Method, path: &str, body: &[u8]) -> Reply {
    let path = path.split('?').next().unwrap_or(path);
    if path == "/health" {
        return match *method {
            Method::GET => Reply {
                status: 200,
                body: json!({}),
            },
            _ => error(405, "method_not_allowed", "use GET /health"),
        };
    }
    let Some(data_path) = path
        .strip_prefix("/v1/data")
        .filter(|rest| rest.is_empty() || rest.starts_with('/'))
    else {
        return error(404, "resource_not_found", format!("no route for {path}"));
    };
    let query = match data_ref(data_path) {
        Ok(q) => q,
        Err(message) => return error(400, "invalid_parameter", message),
    };
    let input = match *method {
        Method::GET => None,
        Method::POST => match parse_input(body) {
            Ok(input) => input,
            Err(message) => return error(400, "invalid_parameter", message),
        },
        _ => return error(405, "method_not_allowed", "use GET or POST on /v1/data"),
    };
    match set.evaluate_opt(&query, input.as_ref()) {
        Ok(Evaluation::Defined(v)) => Reply {
            status: 200,
            body: json!({ "result": v }),
        },
        // OPA omits `result` entirely when the document is undefined.
        Ok(Evaluation::Undefined) => Reply {
            status: 200,
            body: json!({}),
        },
        Err(e) => error(500, "internal_error", e.to_string()),
    }
}

/// `{"input": ...}` gives the input; an empty body or one without `input` leaves it undefined.
fn parse_input(body: &[u8]) -> Result<Option<Value>, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(mut obj)) => Ok(obj.remove("input")),
        Ok(_) => Err("body must be a JSON object like {\"input\": ...}".to_string()),
        Err(e) => Err(format!("body contains malformed JSON: {e}")),
    }
}

/// `/sark/authz/allow` -> `data.sark.authz.allow`; segments that are not identifiers are
/// bracket-quoted so any document key stays addressable.
fn data_ref(path: &str) -> Result<String, String> {
    let mut query = String::from("data");
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        let seg = percent_decode(seg)?;
        let ident = seg
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && seg.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if ident {
            query.push('.');
            query.push_str(&seg);
        } else {
            query.push('[');
            query.push_str(&Value::String(seg).to_string());
            query.push(']');
        }
    }
    Ok(query)
}

fn percent_decode(seg: &str) -> Result<String, String> {
    let bytes = seg.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = seg
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| format!("bad percent escape in path segment {seg}"))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| format!("path segment {seg} is not UTF-8"))
}

async fn handle(set: Arc<PolicySet>, req: Request<Incoming>) -> Response<Full<Bytes>> {
    let (parts, body) = req.into_parts();
    let reply = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => respond(
            &set,
            &parts.method,
            parts.uri.path_and_query().map_or("/", |p| p.as_str()),
            &collected.to_bytes(),
        ),
        Err(e) => error(400, "invalid_parameter", format!("cannot read body: {e}")),
    };
    Response::builder()
        .status(StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(reply.body.to_string())))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::from_static(b"{}"))))
}

/// Accepts connections until the listener fails. Each connection is served on its own task
/// with keep-alive; evaluation runs inline because it takes microseconds.
pub async fn serve(listener: TcpListener, set: Arc<PolicySet>) -> std::io::Result<()> {
    loop {
        let (stream, _) = listener.accept().await?;
        // Small JSON replies on a keep-alive connection must not wait for Nagle.
        let _ = stream.set_nodelay(true);
        let set = Arc::clone(&set);
        tokio::spawn(async move {
            let service = service_fn(move |req| {
                let set = Arc::clone(&set);
                async move { Ok::<_, Infallible>(handle(set, req).await) }
            });
            // Client resets are routine for a server; nothing to report.
            let _ = http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> PolicySet {
        let set = PolicySet::new();
        set.load_module(
            "p.rego",
            "package p\ndefault allow := false\nallow if input.user == \"alice\"\nmaybe if input.x\n",
        )
        .unwrap();
        set.load_data("d", json!({"cfg": {"a-b": 1}})).unwrap();
        set
    }

    #[test]
    fn post_with_input_returns_result() {
        let r = respond(
            &set(),
            &Method::POST,
            "/v1/data/p/allow",
            br#"{"input":{"user":"alice"}}"#,
        );
        assert_eq!(
            r,
            Reply {
                status: 200,
                body: json!({"result": true})
            }
        );
    }

    #[test]
    fn undefined_has_no_result_key() {
        let r = respond(
            &set(),
            &Method::POST,
            "/v1/data/p/maybe",
            br#"{"input":{}}"#,
        );
        assert_eq!(
            r,
            Reply {
                status: 200,
                body: json!({})
            }
        );
    }

    #[test]
    fn get_reads_data_and_quotes_odd_keys() {
        let r = respond(&set(), &Method::GET, "/v1/data/cfg/a-b", b"");
        assert_eq!(r.body, json!({"result": 1}));
        let r = respond(&set(), &Method::GET, "/v1/data/p/allow?pretty=true", b"");
        assert_eq!(r.body, json!({"result": false}));
    }

    #[test]
    fn malformed_json_is_400_with_opa_error_body() {
        let r = respond(&set(), &Method::POST, "/v1/data/p/allow", b"{\"input\": ");
        assert_eq!(r.status, 400);
        assert_eq!(r.body["code"], "invalid_parameter");
        assert!(r.body["message"]
            .as_str()
            .unwrap()
            .contains("malformed JSON"));
    }

    #[test]
    fn health_and_unknown_routes() {
        assert_eq!(respond(&set(), &Method::GET, "/health", b"").status, 200);
        assert_eq!(respond(&set(), &Method::GET, "/v1/datax", b"").status, 404);
        assert_eq!(
            respond(&set(), &Method::DELETE, "/v1/data/p", b"").status,
            405
        );
    }
}

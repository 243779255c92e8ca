//! The HTTP server over real sockets: keep-alive, many concurrent clients, error bodies.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;

use sark_opa::PolicySet;
use serde_json::{json, Value};

fn start() -> SocketAddr {
    let set = PolicySet::new();
    set.load_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/policies"))
        .unwrap();
    let set = Arc::new(set);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            sark_opa::server::serve(listener, set).await.unwrap();
        });
    });
    rx.recv().unwrap()
}

/// One request on an open connection; returns status and JSON body. Panics if the server
/// closes the connection, which would break keep-alive.
fn request(conn: &mut BufReader<TcpStream>, method: &str, path: &str, body: &str) -> (u16, Value) {
    write!(
        conn.get_mut(),
        "{method} {path} HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut status_line = String::new();
    conn.read_line(&mut status_line).unwrap();
    let status: u16 = status_line.split(' ').nth(1).unwrap().parse().unwrap();
    let mut length = 0;
    loop {
        let mut line = String::new();
        conn.read_line(&mut line).unwrap();
        if line == "\r\n" {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap();
        }
    }
    let mut buf = vec![0; length];
    conn.read_exact(&mut buf).unwrap();
    (status, serde_json::from_slice(&buf).unwrap())
}

fn connect(addr: SocketAddr) -> BufReader<TcpStream> {
    BufReader::new(TcpStream::connect(addr).unwrap())
}

#[test]
fn many_keep_alive_clients_get_correct_decisions() {
    let addr = start();
    let admin = json!({"input": {"user": {"roles": ["admin"]}, "action": "server:delete"}});
    let viewer = json!({"input": {"user": {"roles": ["viewer"]}, "action": "tool:invoke"}});
    let clients: Vec<_> = (0..32)
        .map(|i| {
            let (admin, viewer) = (admin.to_string(), viewer.to_string());
            std::thread::spawn(move || {
                let mut conn = connect(addr);
                for j in 0..25 {
                    let (body, expected) = if (i + j) % 2 == 0 {
                        (&admin, true)
                    } else {
                        (&viewer, false)
                    };
                    let (status, reply) =
                        request(&mut conn, "POST", "/v1/data/sark/simple/allow", body);
                    assert_eq!((status, reply), (200, json!({"result": expected})));
                }
            })
        })
        .collect();
    for c in clients {
        c.join().unwrap();
    }
}

#[test]
fn opa_shapes_for_undefined_get_health_and_bad_json() {
    let addr = start();
    let mut conn = connect(addr);
    assert_eq!(request(&mut conn, "GET", "/health", ""), (200, json!({})));
    // Undefined: no `result` key at all.
    let (status, body) = request(
        &mut conn,
        "POST",
        "/v1/data/sark/team/owner_manager",
        r#"{"input": {}}"#,
    );
    assert_eq!((status, body), (200, json!({})));
    let (status, body) = request(&mut conn, "GET", "/v1/data/sark_config/mfa", "");
    assert_eq!(
        (status, body),
        (200, json!({"result": {"max_age_seconds": 3600}}))
    );
    let (status, body) = request(
        &mut conn,
        "POST",
        "/v1/data/sark/authz/allow",
        "{\"input\": [",
    );
    assert_eq!(status, 400);
    assert_eq!(body["code"], "invalid_parameter");
    // The connection survives an error reply.
    let (status, body) = request(
        &mut conn,
        "POST",
        "/v1/data/sark/authz/decision",
        r#"{"input": {}}"#,
    );
    assert_eq!(status, 200);
    assert_eq!(body["result"]["allow"], json!(false));
}

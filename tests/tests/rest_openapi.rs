//! The OpenAPI document at `/openapi.json` (issue 5, part 2): it parses as OpenAPI 3.1 with the `oas3` crate, every
//! `$ref` in it resolves, every operation declares its path parameters and a success response, it lists exactly the
//! routes the issue asks for, and every route it lists is served (no 404 "no route", no 405).

mod rest_common;

use std::collections::BTreeSet;

use rest_common::start;
use serde_json::Value;

/// Every route of the shim: the old API, the v1 API, and the service routes.
const ROUTES: &[(&str, &str)] = &[
    ("POST", "/acd"),
    ("POST", "/contact"),
    ("GET", "/contact/{key}"),
    ("PATCH", "/contact/{key}"),
    ("POST", "/agent/{key}"),
    ("DELETE", "/agent/{key}"),
    ("PATCH", "/agent/{key}"),
    ("PATCH", "/agent/{key}/state"),
    ("PATCH", "/agent/{key}/skill"),
    ("DELETE", "/agent/{key}/skill/{skill}"),
    ("DELETE", "/skill/{skill}"),
    ("GET", "/v1/centers/{center}/agents"),
    ("POST", "/v1/centers/{center}/agents"),
    ("GET", "/v1/centers/{center}/agents/{agent}"),
    ("DELETE", "/v1/centers/{center}/agents/{agent}"),
    ("PUT", "/v1/centers/{center}/agents/{agent}/meta"),
    ("POST", "/v1/centers/{center}/agents/{agent}/skills"),
    (
        "DELETE",
        "/v1/centers/{center}/agents/{agent}/skills/{skill}",
    ),
    ("POST", "/v1/centers/{center}/agents/{agent}/ready"),
    ("POST", "/v1/centers/{center}/agents/{agent}/notready"),
    ("GET", "/v1/centers/{center}/agents/{agent}/events"),
    ("DELETE", "/v1/centers/{center}/skills/{skill}"),
    ("POST", "/v1/centers/{center}/contacts"),
    ("GET", "/v1/centers/{center}/contacts/{contact}"),
    ("POST", "/v1/centers/{center}/contacts/{contact}/complete"),
    ("POST", "/v1/centers/{center}/contacts/{contact}/accept"),
    ("POST", "/v1/centers/{center}/contacts/{contact}/reject"),
    ("GET", "/v1/centers/{center}/queue"),
    ("POST", "/v1/centers/{center}/dispatch"),
    ("GET", "/v1/centers/{center}/stats"),
    ("GET", "/v1/centers/{center}/config"),
    ("GET", "/v1/centers/{center}/config/{param}"),
    ("PUT", "/v1/centers/{center}/config/{param}"),
    ("POST", "/v1/centers/{center}/open"),
    ("POST", "/v1/centers/{center}/close"),
    ("GET", "/v1/centers/{center}/check"),
    ("POST", "/v1/centers/{center}/estimate"),
    ("GET", "/v1/centers/{center}/events"),
    ("GET", "/health"),
    ("GET", "/openapi.json"),
    ("GET", "/wallboard"),
];

/// Every `$ref` string anywhere in `value`.
fn refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

fn fetch_document(api: &rest_common::Api) -> (String, Value) {
    let reply = api.get("/openapi.json");
    assert_eq!(reply.content_type, "application/json");
    let body = reply.expect(200);
    (body.to_string(), body)
}

#[test]
fn the_document_parses_and_every_reference_resolves() {
    let (_redis, _rest, api) = start();
    let (text, document) = fetch_document(&api);
    let spec = oas3::from_json(&text).expect("a valid OpenAPI 3.1 document");
    let version = spec
        .validate_version()
        .expect("a supported OpenAPI version");
    assert_eq!(version.major, 3);

    let mut all = Vec::new();
    refs(&document, &mut all);
    assert!(
        all.len() > 50,
        "the document shares its schemas: {} refs",
        all.len()
    );
    for reference in all {
        let pointer = reference
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("{reference} is not local"));
        assert!(
            document
                .pointer(pointer)
                .is_some_and(|target| !target.is_null()),
            "{reference} does not resolve"
        );
    }

    let mut ids = BTreeSet::new();
    for (path, method, operation) in spec.operations() {
        let what = format!("{method} {path}");
        let parameters = operation
            .parameters(&spec)
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        operation
            .request_body(&spec)
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        let declared: BTreeSet<String> = parameters
            .iter()
            .filter(|p| p.location == oas3::spec::ParameterIn::Path)
            .map(|p| p.name.clone())
            .collect();
        let in_path: BTreeSet<String> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(str::to_owned)
            .collect();
        assert_eq!(declared, in_path, "{what}: path parameters");
        let responses = operation.responses(&spec);
        let raw = &document["paths"][&path][method.as_str().to_lowercase()]["responses"];
        assert_eq!(
            responses.len(),
            raw.as_object().map_or(0, |o| o.len()),
            "{what}: every response resolves"
        );
        assert!(
            responses.keys().any(|s| s.starts_with('2')),
            "{what}: a success response"
        );
        assert!(!operation.tags.is_empty(), "{what}: a tag");
        let id = operation.operation_id.clone().unwrap_or_default();
        assert!(
            ids.insert(id.clone()),
            "{what}: operation id {id:?} is not unique"
        );
    }
}

#[test]
fn the_document_lists_every_route_and_every_listed_route_is_served() {
    let (_redis, rest, api) = start();
    let (_, document) = fetch_document(&api);
    let mut listed = BTreeSet::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("a path item").keys() {
            listed.insert((method.to_uppercase(), path.clone()));
        }
    }
    let expected: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(listed, expected, "the documented routes");

    let http = reqwest::blocking::Client::new();
    for (method, path) in listed {
        let concrete = path
            .replace("{center}", "probe")
            .replace("{param}", "mode")
            .replace(['{', '}'], "");
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
        let response = http
            .request(method.clone(), rest.url(&concrete))
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .unwrap_or_else(|e| panic!("{method} {concrete}: {e}"));
        let status = response.status().as_u16();
        let streaming = response
            .headers()
            .get("content-type")
            .is_some_and(|v| v.as_bytes() == b"text/event-stream");
        // Event streams never end: their headers are the answer.
        let body = if streaming {
            String::new()
        } else {
            response.text().unwrap_or_default()
        };
        assert_ne!(status, 405, "{method} {concrete}: method not allowed");
        assert!(
            !body.contains("no route for"),
            "{method} {concrete}: not routed ({status} {body})"
        );
        assert!(status < 500, "{method} {concrete}: {status} {body}");
    }
}

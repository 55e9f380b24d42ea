//! `acd-rest`: the HTTP front of the ACD module (old API, v1 API, OpenAPI, live events,
//! wallboard). Configured by environment; see `client/src/rest/mod.rs`.

#[path = "../rest/mod.rs"]
mod rest;

fn main() -> std::process::ExitCode {
    rest::main()
}

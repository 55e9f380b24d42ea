//! The `acd-sim` binary without a server: help, flag errors (exit 2) and an unreachable server (exit 1). The
//! runs against a real server are in the workspace's `tests/tests/simulator.rs`.

use std::net::TcpListener;
use std::process::{Command, Output};

fn acd_sim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_acd-sim"))
        .args(args)
        .output()
        .expect("run acd-sim")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn help_lists_every_flag() {
    let out = acd_sim(&["--help"]);
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--redis",
        "--center",
        "--agents",
        "--contacts",
        "--arrival-ms",
        "--handle-ms",
        "--patience-ms",
        "--speed",
        "--seed",
        "--json",
    ] {
        assert!(help.contains(flag), "{flag} missing from\n{help}");
    }
}

#[test]
fn bad_flags_exit_2() {
    for args in [
        &["--speed", "0"][..],
        &["--handle-ms", "3000..1000"],
        &["--patience-ms", "soon"],
        &["--agents", "many"],
        &["--unknown"],
    ] {
        let out = acd_sim(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).is_empty(), "{args:?} says why");
    }
}

#[test]
fn an_unreachable_server_exits_1_naming_it() {
    // A port that was free a moment ago: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let url = format!("redis://127.0.0.1:{port}");
    let out = acd_sim(&["--redis", &url, "--speed", "100"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("cannot connect to {url}")),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty(), "no report on failure");
}

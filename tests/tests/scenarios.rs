//! The shared scenarios build the state their documentation promises (the persistence and error tests rely on
//! it), and the fixture behaves as documented: defaults can be overridden, a restart keeps port and directory.

use acd_tests::scenario::{populate_auto, populate_manual_closed};
use acd_tests::{t, RedisServer, Stop};
use serde_json::json;

#[test]
fn populate_auto_builds_the_documented_center() {
    let server = RedisServer::start();
    let mut c = server.conn();
    populate_auto(&mut c, "center");
    assert_eq!(c.strings("ACD.AGENTS center STATE busy"), ["a1", "a3"]);
    assert_eq!(c.strings("ACD.AGENTS center STATE ready"), ["a2"]);
    assert_eq!(c.strings("ACD.AGENTS center STATE notready"), ["a4", "a5"]);
    assert_eq!(c.strings("ACD.QUEUE center"), ["c2", "c7", "c4"]);
    assert_eq!(c.json("ACD.AGENT.GET center a1")["contact"], json!("c1"));
    assert_eq!(c.json("ACD.AGENT.GET center a3")["contact"], json!("c5"));
    assert_eq!(c.json("ACD.AGENT.GET center a4")["reason"], json!("lunch"));
    assert_eq!(c.json("ACD.AGENT.GET center a2")["since"], json!(t(30)));
    assert_eq!(
        c.json("ACD.CONTACT.GET center c3")["state"],
        json!("completed")
    );
    assert_eq!(
        c.json("ACD.CONTACT.GET center c6")["state"],
        json!("abandoned")
    );
    assert_eq!(c.int("ACD.CONFIG center GET retention"), 100_000);
}

#[test]
fn populate_manual_closed_builds_the_documented_center() {
    let server = RedisServer::start();
    let mut c = server.conn();
    populate_manual_closed(&mut c, "center");
    assert_eq!(c.strings("ACD.AGENTS center STATE busy"), ["a1"]);
    assert_eq!(c.strings("ACD.AGENTS center STATE notready"), ["a2", "a3"]);
    assert_eq!(c.json("ACD.AGENT.GET center a2")["reason"], json!("closed"));
    assert_eq!(c.strings("ACD.QUEUE center"), ["c2", "c4", "c5"]);
    assert_eq!(
        c.json("ACD.CONTACT.GET center c3")["state"],
        json!("abandoned")
    );
    assert_eq!(
        c.bulk("ACD.CONFIG center GET mode").as_deref(),
        Some("manual")
    );
    assert_eq!(
        c.err("ACD.ENQUEUE center n1 SKILLS 0"),
        "CLOSED center is closed"
    );
}

#[test]
fn builder_arguments_override_the_defaults() {
    let server = RedisServer::builder()
        .arg("--appendonly", "yes")
        .arg("maxmemory-policy", "noeviction")
        .start();
    let mut c = server.conn();
    assert_eq!(c.strings("CONFIG GET appendonly"), ["appendonly", "yes"]);
    assert_eq!(c.strings("CONFIG GET save"), ["save", ""]);
    assert_eq!(
        c.strings("CONFIG GET enable-debug-command"),
        ["enable-debug-command", "yes"]
    );
    assert_eq!(
        c.strings("CONFIG GET maxmemory-policy"),
        ["maxmemory-policy", "noeviction"]
    );
}

#[test]
fn restart_keeps_port_directory_and_saved_data() {
    let mut server = RedisServer::start();
    let (port, dir) = (server.port(), server.dir().to_path_buf());
    server.conn().ok("SET k v");
    server.shutdown_and_restart();
    assert_eq!((server.port(), server.dir()), (port, dir.as_path()));
    assert_eq!(server.conn().bulk("GET k").as_deref(), Some("v"));
    server.restart(Stop::NoSave);
    server.conn().ok("SET k w");
    server.restart(Stop::Kill);
    assert_eq!(
        server.conn().bulk("GET k").as_deref(),
        Some("v"),
        "nothing saved since the SAVE"
    );
    assert!(
        dir.join("libacd.so").is_file(),
        "the module copy lives in the server directory"
    );
}

#[test]
fn the_directory_is_removed_on_drop() {
    let server = RedisServer::start();
    let dir = server.dir().to_path_buf();
    drop(server);
    assert!(!dir.exists());
}

//! The shared scenarios build the state their documentation promises (the persistence and error tests rely on
//! it), and the fixture behaves as documented: defaults can be overridden, a restart keeps port and directory.

use acd_tests::scenario::{populate_auto, populate_behaviours, populate_manual_closed};
use acd_tests::{t, Event, RedisServer, Stop};
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
fn populate_behaviours_builds_the_documented_center() {
    let server = RedisServer::start();
    let mut c = server.conn();
    populate_behaviours(&mut c, "center");
    assert_eq!(c.strings("ACD.AGENTS center STATE wrapup"), ["a1"]);
    assert_eq!(c.strings("ACD.AGENTS center STATE offered"), ["a2", "a3"]);
    assert_eq!(c.strings("ACD.AGENTS center STATE notready"), ["a4", "a5"]);
    assert_eq!(
        c.strings("ACD.AGENTS center STATE ready"),
        Vec::<String>::new()
    );
    assert_eq!(c.json("ACD.AGENT.GET center a2")["contact"], json!("c2"));
    assert_eq!(c.json("ACD.AGENT.GET center a3")["contact"], json!("c3"));
    assert_eq!(
        c.json("ACD.AGENT.GET center a4")["reason"],
        json!("training")
    );
    assert_eq!(c.strings("ACD.QUEUE center"), ["c5", "c4"]);
    let c6 = c.json("ACD.CONTACT.GET center c6");
    assert_eq!(
        (&c6["state"], &c6["ended_at"]),
        (&json!("timeout"), &json!(t(5)))
    );
    assert_eq!(
        c.json("ACD.CONTACT.GET center c1")["state"],
        json!("completed")
    );
    assert_eq!(
        c.json("ACD.CONTACT.GET center c2")["state"],
        json!("offered")
    );
    for (param, value) in [
        ("offer-timeout", 500),
        ("wrapup", 1000),
        ("max-no-answer", 2),
        ("max-wait", 60_000),
        ("max-queue", 10),
        ("sla-threshold", 5000),
        ("events-max", 30),
        ("retention", 100_000),
    ] {
        assert_eq!(
            c.int(format!("ACD.CONFIG center GET {param}")),
            value,
            "{param}"
        );
    }
    let events = c.events("ACD.EVENTS center COUNT 1000");
    let ids: Vec<u64> = events.iter().map(|e| e.id).collect();
    assert_eq!(
        ids,
        (6..=35).collect::<Vec<_>>(),
        "the log keeps the last 30"
    );
    assert_eq!(
        events[0],
        Event::new(
            6,
            t(0),
            "acd.config",
            None,
            None,
            Some("sla-threshold=5000")
        )
    );
    assert_eq!(
        events[8],
        Event::new(14, t(5), "acd.timeout", None, Some("c6"), None)
    );
    assert_eq!(c.status("ACD.CHECK center"), "OK");
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

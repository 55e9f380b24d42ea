//! The ACL rules the README gives (section "ACL"), applied as written to a real server: the application user runs
//! the routing commands but not the ones the server sends itself (`ACD.TICK`, `ACD.STATE.LOAD`), and the wallboard
//! user reads everything it needs, the configuration included (`ACD.CONFIG.GET`), and changes nothing.

use acd_tests::{Conn, RedisServer};

/// The `ACL SETUSER` lines of the README, in order.
fn readme_rules() -> Vec<String> {
    let readme = include_str!("../../README.md");
    let rules: Vec<String> = readme
        .lines()
        .filter(|line| line.starts_with("ACL SETUSER "))
        .map(str::to_owned)
        .collect();
    assert_eq!(
        rules.len(),
        2,
        "the README's application and wallboard users"
    );
    rules
}

/// A connection authenticated as `user`.
fn login(server: &RedisServer, user: &str, password: &str) -> Conn {
    let mut c = server.conn();
    c.ok(["AUTH", user, password]);
    c
}

fn refused(c: &mut Conn, command: &str) {
    let error = c.err(command);
    assert!(error.starts_with("NOPERM"), "{command}: {error}");
}

#[test]
fn the_readme_users_can_do_what_it_says_and_no_more() {
    let server = RedisServer::start();
    let mut admin = server.conn();
    for rule in readme_rules() {
        let words: Vec<&str> = rule.split_whitespace().collect();
        admin.ok(words.as_slice());
    }

    let mut app = login(&server, "acd-app", "app-secret");
    app.ok("ACD.AGENT.ADD center:eu ana SKILLS 1 english");
    assert_eq!(app.bulk("ACD.READY center:eu ana"), None);
    assert_eq!(
        app.bulk("ACD.ENQUEUE center:eu c1 SKILLS 1 english")
            .as_deref(),
        Some("ana")
    );
    app.ok("ACD.CONFIG center:eu SET wrapup 1000");
    assert_eq!(app.int("ACD.CONFIG center:eu GET wrapup"), 1000);
    assert_eq!(app.int("ACD.CONFIG.GET center:eu wrapup"), 1000);
    refused(&mut app, "ACD.TICK center:eu");
    refused(&mut app, "ACD.STATE.LOAD center:eu payload");
    refused(&mut app, "ACD.STATS other");

    let mut board = login(&server, "acd-wallboard", "board-secret");
    assert_eq!(board.strings("ACD.AGENTS center:eu"), ["ana"]);
    assert_eq!(board.stats("ACD.STATS center:eu").int("assigned_total"), 1);
    assert_eq!(board.int("ACD.CONFIG.GET center:eu wrapup"), 1000);
    assert_eq!(board.map("ACD.CONFIG.GET center:eu").len(), 14);
    assert!(!board.events("ACD.EVENTS center:eu").is_empty());
    refused(&mut board, "ACD.CONFIG center:eu GET wrapup");
    refused(&mut board, "ACD.CONFIG center:eu SET wrapup 0");
    refused(&mut board, "ACD.ENQUEUE center:eu c2 SKILLS 0");
    refused(&mut board, "ACD.COMPLETE center:eu c1");
    assert_eq!(app.strings("ACD.QUEUE center:eu"), Vec::<String>::new());
}

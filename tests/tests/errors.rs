//! Every error reply of the contract, with its exact text: wrong arity, syntax, bad values, domain errors and
//! WRONGTYPE. After each rejected command the server must still answer PING, a missing key must still be
//! missing, and a populated center must read exactly as before (a failed command changes nothing).
//!
//! Each test runs a table of cases and reports every mismatch at the end, so one run lists all deviations.

use acd_tests::scenario::{populate_auto, populate_behaviours, populate_manual_closed, Snapshot};
use acd_tests::{Conn, RedisServer};

const LEVEL: &str = "ERR level must be an integer from 1 to 10";
const NAME: &str = "ERR skill name must be non-empty and must not contain '='";
const SKILL_COUNT: &str = "ERR skill count must be a non-negative integer";
const PRIORITY: &str = "ERR priority must be an integer";
const AT: &str = "ERR AT must be a non-negative integer (Unix ms)";
const COUNT: &str = "ERR COUNT must be a positive integer";
const META: &str = "ERR meta must be a JSON object";
const ID: &str = "ERR id must be non-empty";
const STATE: &str = "ERR state must be ready, notready, busy, offered or wrapup";
const MODE: &str = "ERR mode must be auto or manual";
const RETENTION: &str = "ERR retention must be a non-negative integer (seconds)";
const UTF8: &str = "ERR arguments must be valid UTF-8";
const SINCE: &str = "ERR SINCE must be a non-negative integer (event id)";
const BLOCK: &str = "ERR BLOCK must be a non-negative integer (ms)";
const SYNTAX: &str = "ERR syntax error";
const CLOSED: &str = "CLOSED center is closed";
const WRONGTYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";

/// Splits a case on whitespace; `{k}` is the key, `''` an empty argument.
fn args(template: &str, key: &str) -> Vec<String> {
    template
        .split_whitespace()
        .map(|w| match w {
            "{k}" => key.to_string(),
            "''" => String::new(),
            w => w.to_string(),
        })
        .collect()
}

fn arity_error(template: &str) -> String {
    let name = template
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_lowercase();
    format!("ERR wrong number of arguments for '{name}' command")
}

/// Sends each case to `key`, checks the error text (any of `accepted`; any error at all when it is empty), that
/// the server answers PING, and that the key is unchanged: still missing, or reading exactly as before the case.
/// Returns a line per mismatch.
fn check(c: &mut Conn, key: &str, cases: &[(String, Vec<String>)]) -> Vec<String> {
    let commands: Vec<(Vec<Vec<u8>>, Vec<String>)> = cases
        .iter()
        .map(|(template, accepted)| {
            let command = args(template, key).into_iter().map(String::into_bytes);
            (command.collect(), accepted.clone())
        })
        .collect();
    check_commands(c, key, &commands)
}

/// [`check`] for commands given as raw arguments (already holding `key`).
fn check_commands(c: &mut Conn, key: &str, cases: &[(Vec<Vec<u8>>, Vec<String>)]) -> Vec<String> {
    let mut failures = Vec::new();
    for (command, accepted) in cases {
        let shown = acd_tests::show(command);
        let before = c.exists(key).then(|| Snapshot::take(c, key));
        let reply = c.call(command);
        match acd_tests::error_text(&reply) {
            Some(got) => {
                if !accepted.is_empty() && !accepted.contains(&got) {
                    failures.push(format!("`{shown}`: expected {accepted:?}, got {got:?}"));
                }
            }
            None => failures.push(format!(
                "`{shown}`: expected {accepted:?}, got reply {reply:?}"
            )),
        }
        c.ping();
        match before {
            None if c.exists(key) => {
                failures.push(format!("`{shown}`: created the key"));
                c.call(["DEL", key]);
            }
            Some(before) if before != Snapshot::take(c, key) => {
                failures.push(format!("`{shown}`: changed the center"));
            }
            _ => {}
        }
    }
    failures
}

fn cases(list: &[(&str, &str)]) -> Vec<(String, Vec<String>)> {
    list.iter()
        .map(|(t, e)| (t.to_string(), vec![e.to_string()]))
        .collect()
}

fn assert_no_failures(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Too few arguments (and too many for the commands without optional arguments).
const WRONG_ARITY: &[&str] = &[
    "ACD.AGENT.ADD",
    "ACD.AGENT.ADD {k}",
    "ACD.AGENT.DEL",
    "ACD.AGENT.DEL {k}",
    "ACD.AGENT.GET",
    "ACD.AGENT.GET {k}",
    "ACD.AGENT.GET {k} a1 extra",
    "ACD.AGENT.META",
    "ACD.AGENT.META {k}",
    "ACD.AGENT.META {k} a1",
    "ACD.AGENT.GRANT",
    "ACD.AGENT.GRANT {k}",
    "ACD.AGENT.GRANT {k} a1",
    "ACD.AGENT.REVOKE",
    "ACD.AGENT.REVOKE {k}",
    "ACD.AGENT.REVOKE {k} a1",
    "ACD.SKILL.DEL",
    "ACD.SKILL.DEL {k}",
    "ACD.READY",
    "ACD.READY {k}",
    "ACD.NOTREADY",
    "ACD.NOTREADY {k}",
    "ACD.ENQUEUE",
    "ACD.ENQUEUE {k}",
    "ACD.DISPATCH",
    "ACD.COMPLETE",
    "ACD.COMPLETE {k}",
    "ACD.CONTACT.GET",
    "ACD.CONTACT.GET {k}",
    "ACD.CONTACT.GET {k} c1 extra",
    "ACD.QUEUE",
    "ACD.AGENTS",
    "ACD.OPEN",
    "ACD.CLOSE",
    "ACD.STATS",
    "ACD.CONFIG",
    "ACD.CONFIG {k}",
    "ACD.CONFIG {k} GET",
    "ACD.CONFIG {k} SET mode",
    "ACD.CONFIG.GET",
    "ACD.STATE.LOAD",
    "ACD.STATE.LOAD {k}",
    "ACD.ACCEPT",
    "ACD.ACCEPT {k}",
    "ACD.REJECT",
    "ACD.REJECT {k}",
    "ACD.TICK",
    "ACD.EVENTS",
    "ACD.CHECK",
    "ACD.CHECK {k} extra",
    "ACD.ESTIMATE",
    "ACD.CONFIG {k} SET offer-timeout",
];

/// Missing required keyword parts: the contract allows reading these as wrong arity or as a syntax error.
const ARITY_OR_SYNTAX: &[&str] = &[
    "ACD.AGENT.ADD {k} n1",
    "ACD.AGENT.ADD {k} n1 SKILLS",
    "ACD.ENQUEUE {k} n1",
    "ACD.ENQUEUE {k} n1 SKILLS",
    "ACD.CONFIG {k} GET mode extra",
    "ACD.ESTIMATE {k}",
    "ACD.ESTIMATE {k} SKILLS",
];

const SYNTAX_ERRORS: &[&str] = &[
    "ACD.AGENT.ADD {k} n1 SKILLS 2 english",
    "ACD.AGENT.ADD {k} n1 SKILLS 1 english billing",
    "ACD.AGENT.ADD {k} n1 SKILLS 0 FOO bar",
    "ACD.AGENT.ADD {k} n1 SKILLS 0 META {} META {}",
    "ACD.AGENT.ADD {k} n1 SKILLS 0 SKILLS 0",
    "ACD.AGENT.ADD {k} n1 SKILLS 0 AT 1 AT 2",
    "ACD.AGENT.ADD {k} n1 SKILLS 0 at 1 At 2",
    "ACD.AGENT.ADD {k} n1 SKILLS 0 PRIORITY 1",
    "ACD.AGENT.ADD {k} n1 SKILLS 0 META",
    "ACD.AGENT.ADD {k} n1 SKILLS 0 AT",
    "ACD.AGENT.ADD {k} n1 NOTSKILLS 0",
    "ACD.AGENT.DEL {k} a1 extra",
    "ACD.AGENT.DEL {k} a1 AT 5 extra",
    "ACD.AGENT.META {k} a1 {} extra",
    "ACD.SKILL.DEL {k} english extra",
    "ACD.READY {k} a1 AT",
    "ACD.READY {k} a1 extra",
    "ACD.READY {k} a1 AT 5 extra",
    "ACD.READY {k} a1 REASON x",
    "ACD.NOTREADY {k} a1 REASON",
    "ACD.NOTREADY {k} a1 REASON x REASON y",
    "ACD.NOTREADY {k} a1 AT 1 extra",
    "ACD.ENQUEUE {k} n1 SKILLS 0 PRIORITY 1 PRIORITY 2",
    "ACD.ENQUEUE {k} n1 SKILLS 0 META {} meta {}",
    "ACD.ENQUEUE {k} n1 SKILLS 0 COUNT 1",
    "ACD.ENQUEUE {k} n1 SKILLS 0 PRIORITY",
    "ACD.ENQUEUE {k} n1 SKILLS 0 extra",
    "ACD.ENQUEUE {k} n1 SKILLS 3 a b",
    "ACD.DISPATCH {k} COUNT 1 COUNT 2",
    "ACD.DISPATCH {k} COUNT",
    "ACD.DISPATCH {k} extra",
    "ACD.COMPLETE {k} c1 extra",
    "ACD.QUEUE {k} COUNT",
    "ACD.QUEUE {k} extra",
    "ACD.QUEUE {k} COUNT 1 COUNT 1",
    "ACD.QUEUE {k} AT 5",
    "ACD.AGENTS {k} STATE",
    "ACD.AGENTS {k} STATE ready STATE busy",
    "ACD.AGENTS {k} ready",
    "ACD.OPEN {k} extra",
    "ACD.CLOSE {k} AT 1 extra",
    "ACD.STATS {k} extra",
    "ACD.STATS {k} AT 1 AT 1",
    "ACD.CONFIG {k} FOO mode",
    "ACD.CONFIG {k} SET mode auto extra",
    "ACD.CONFIG {k} SET wrapup 5 extra",
    "ACD.CONFIG.GET {k} mode extra",
    "ACD.ACCEPT {k} c1 extra",
    "ACD.ACCEPT {k} c1 AT",
    "ACD.REJECT {k} c1 AT 5 extra",
    "ACD.REJECT {k} c1 REASON x",
    "ACD.TICK {k} extra",
    "ACD.TICK {k} AT 1 AT 2",
    "ACD.EVENTS {k} SINCE",
    "ACD.EVENTS {k} SINCE 1 SINCE 2",
    "ACD.EVENTS {k} COUNT 1 count 1",
    "ACD.EVENTS {k} BLOCK 1 BLOCK 1",
    "ACD.EVENTS {k} BLOCK",
    "ACD.EVENTS {k} AT 5",
    "ACD.EVENTS {k} extra",
    "ACD.ESTIMATE {k} SKILLS 0 extra",
    "ACD.ESTIMATE {k} SKILLS 0 META {}",
    "ACD.ESTIMATE {k} SKILLS 0 PRIORITY 1 PRIORITY 2",
    "ACD.ESTIMATE {k} SKILLS 2 english",
];

/// Bad values that do not depend on any agent or contact existing.
const BAD_VALUES: &[(&str, &str)] = &[
    ("ACD.AGENT.ADD {k} n1 SKILLS 1 english=0", LEVEL),
    ("ACD.AGENT.ADD {k} n1 SKILLS 1 english=11", LEVEL),
    ("ACD.AGENT.ADD {k} n1 SKILLS 1 english=x", LEVEL),
    ("ACD.AGENT.ADD {k} n1 SKILLS 1 english=", LEVEL),
    ("ACD.AGENT.ADD {k} n1 SKILLS 1 english=1.5", LEVEL),
    ("ACD.AGENT.ADD {k} n1 SKILLS 1 english=-1", LEVEL),
    (
        "ACD.AGENT.ADD {k} n1 SKILLS 2 billing english=99999999999999999999",
        LEVEL,
    ),
    ("ACD.ENQUEUE {k} n1 SKILLS 1 english=0", LEVEL),
    ("ACD.ENQUEUE {k} n1 SKILLS 1 english=11", LEVEL),
    ("ACD.AGENT.ADD {k} n1 SKILLS 1 ''", NAME),
    ("ACD.AGENT.ADD {k} n1 SKILLS 1 =3", NAME),
    ("ACD.ENQUEUE {k} n1 SKILLS 1 ''", NAME),
    ("ACD.SKILL.DEL {k} a=b", NAME),
    ("ACD.SKILL.DEL {k} english=2", NAME),
    ("ACD.SKILL.DEL {k} ''", NAME),
    (
        "ACD.AGENT.ADD {k} n1 SKILLS 2 english english=3",
        "ERR duplicate skill 'english'",
    ),
    (
        "ACD.ENQUEUE {k} n1 SKILLS 3 a b a",
        "ERR duplicate skill 'a'",
    ),
    ("ACD.AGENT.ADD {k} n1 SKILLS x", SKILL_COUNT),
    ("ACD.AGENT.ADD {k} n1 SKILLS -1", SKILL_COUNT),
    ("ACD.AGENT.ADD {k} n1 SKILLS 1.0 a", SKILL_COUNT),
    (
        "ACD.ENQUEUE {k} n1 SKILLS 99999999999999999999999",
        SKILL_COUNT,
    ),
    ("ACD.ENQUEUE {k} n1 SKILLS ''", SKILL_COUNT),
    ("ACD.ENQUEUE {k} n1 SKILLS 0 PRIORITY x", PRIORITY),
    ("ACD.ENQUEUE {k} n1 SKILLS 0 PRIORITY 1.5", PRIORITY),
    (
        "ACD.ENQUEUE {k} n1 SKILLS 0 PRIORITY 9223372036854775808",
        PRIORITY,
    ),
    (
        "ACD.ENQUEUE {k} n1 SKILLS 0 PRIORITY -9223372036854775809",
        PRIORITY,
    ),
    ("ACD.ENQUEUE {k} n1 SKILLS 0 PRIORITY ''", PRIORITY),
    ("ACD.AGENT.ADD {k} n1 SKILLS 0 AT -1", AT),
    (
        "ACD.AGENT.ADD {k} n1 SKILLS 0 AT 99999999999999999999999",
        AT,
    ),
    ("ACD.ENQUEUE {k} n1 SKILLS 0 AT x", AT),
    ("ACD.ENQUEUE {k} n1 SKILLS 0 AT 1.5", AT),
    ("ACD.ENQUEUE {k} n1 SKILLS 0 AT ''", AT),
    ("ACD.DISPATCH {k} AT -5", AT),
    ("ACD.OPEN {k} AT x", AT),
    ("ACD.CLOSE {k} AT -1", AT),
    ("ACD.STATS {k} AT x", AT),
    ("ACD.CONFIG {k} SET mode auto AT -1", AT),
    ("ACD.CONFIG {k} SET retention 5 AT x", AT),
    ("ACD.DISPATCH {k} COUNT 0", COUNT),
    ("ACD.DISPATCH {k} COUNT -1", COUNT),
    ("ACD.DISPATCH {k} COUNT x", COUNT),
    ("ACD.QUEUE {k} COUNT 0", COUNT),
    ("ACD.QUEUE {k} COUNT -3", COUNT),
    ("ACD.QUEUE {k} COUNT x", COUNT),
    ("ACD.AGENT.ADD {k} n1 SKILLS 0 META [1]", META),
    ("ACD.AGENT.ADD {k} n1 SKILLS 0 META notjson", META),
    ("ACD.AGENT.ADD {k} n1 SKILLS 0 META \"s\"", META),
    ("ACD.AGENT.ADD {k} n1 SKILLS 0 META 1", META),
    ("ACD.AGENT.ADD {k} n1 SKILLS 0 META null", META),
    ("ACD.AGENT.ADD {k} n1 SKILLS 0 META {\"a\":1}x", META),
    ("ACD.AGENT.ADD {k} n1 SKILLS 0 META {", META),
    ("ACD.AGENT.ADD {k} n1 SKILLS 0 META ''", META),
    ("ACD.ENQUEUE {k} n1 SKILLS 0 META [1]", META),
    ("ACD.ENQUEUE {k} n1 SKILLS 0 META {\"a\":}", META),
    ("ACD.AGENT.ADD {k} '' SKILLS 0", ID),
    ("ACD.ENQUEUE {k} '' SKILLS 0", ID),
    ("ACD.AGENTS {k} STATE foo", STATE),
    ("ACD.AGENTS {k} STATE ''", STATE),
    ("ACD.CONFIG {k} SET mode fast", MODE),
    ("ACD.CONFIG {k} SET mode ''", MODE),
    ("ACD.CONFIG {k} SET retention -1", RETENTION),
    ("ACD.CONFIG {k} SET retention x", RETENTION),
    ("ACD.CONFIG {k} SET retention 1.5", RETENTION),
    (
        "ACD.CONFIG {k} GET foo",
        "ERR unknown config parameter 'foo'",
    ),
    (
        "ACD.CONFIG.GET {k} foo",
        "ERR unknown config parameter 'foo'",
    ),
    (
        "ACD.CONFIG {k} SET foo 1",
        "ERR unknown config parameter 'foo'",
    ),
    (
        "ACD.CONFIG {k} SET offer-timeout -1",
        "ERR offer-timeout must be a non-negative integer (ms)",
    ),
    (
        "ACD.CONFIG {k} SET offer-timeout 1.5",
        "ERR offer-timeout must be a non-negative integer (ms)",
    ),
    (
        "ACD.CONFIG {k} SET wrapup x",
        "ERR wrapup must be a non-negative integer (ms)",
    ),
    (
        "ACD.CONFIG {k} SET max-wait -5",
        "ERR max-wait must be a non-negative integer (ms)",
    ),
    (
        "ACD.CONFIG {k} SET sla-threshold ''",
        "ERR sla-threshold must be a non-negative integer (ms)",
    ),
    (
        "ACD.CONFIG {k} SET max-no-answer -1",
        "ERR max-no-answer must be a non-negative integer",
    ),
    (
        "ACD.CONFIG {k} SET max-queue x",
        "ERR max-queue must be a non-negative integer",
    ),
    (
        "ACD.CONFIG {k} SET events-max 2.5",
        "ERR events-max must be a non-negative integer",
    ),
    (
        "ACD.CONFIG {k} SET clock wall",
        "ERR clock must be server or client",
    ),
    (
        "ACD.CONFIG {k} SET clock ''",
        "ERR clock must be server or client",
    ),
    ("ACD.CONFIG {k} SET offer-timeout 5 AT x", AT),
    ("ACD.ACCEPT {k} '' ", ID),
    ("ACD.REJECT {k} ''", ID),
    ("ACD.ACCEPT {k} c1 AT -1", AT),
    ("ACD.REJECT {k} c1 AT x", AT),
    ("ACD.TICK {k} AT -1", AT),
    ("ACD.TICK {k} AT x", AT),
    ("ACD.EVENTS {k} SINCE -1", SINCE),
    ("ACD.EVENTS {k} SINCE x", SINCE),
    ("ACD.EVENTS {k} SINCE ''", SINCE),
    ("ACD.EVENTS {k} BLOCK -1", BLOCK),
    ("ACD.EVENTS {k} BLOCK 1.5", BLOCK),
    ("ACD.EVENTS {k} COUNT 0", COUNT),
    ("ACD.EVENTS {k} COUNT x", COUNT),
    ("ACD.ESTIMATE {k} SKILLS 1 english=11", LEVEL),
    ("ACD.ESTIMATE {k} SKILLS 1 ''", NAME),
    ("ACD.ESTIMATE {k} SKILLS x", SKILL_COUNT),
    ("ACD.ESTIMATE {k} SKILLS 0 PRIORITY x", PRIORITY),
    ("ACD.ESTIMATE {k} SKILLS 0 AT -1", AT),
    ("ACD.AGENTS {k} STATE busyish", STATE),
];

/// Bad values in commands on agent a4 or contact c2 of [`populate_auto`].
const BAD_VALUES_ON_ENTITIES: &[(&str, &str)] = &[
    ("ACD.AGENT.GRANT {k} a4 english=11", LEVEL),
    ("ACD.AGENT.GRANT {k} a4 english=0", LEVEL),
    ("ACD.AGENT.GRANT {k} a4 ''", NAME),
    ("ACD.AGENT.GRANT {k} a4 =2", NAME),
    (
        "ACD.AGENT.GRANT {k} a4 billing billing=2",
        "ERR duplicate skill 'billing'",
    ),
    ("ACD.AGENT.REVOKE {k} a4 english=2", NAME),
    ("ACD.AGENT.REVOKE {k} a4 ''", NAME),
    ("ACD.AGENT.META {k} a4 [1]", META),
    ("ACD.AGENT.META {k} a4 nope", META),
    ("ACD.AGENT.META {k} a4 ''", META),
    ("ACD.AGENT.META {k} a4 {} AT -1", AT),
    ("ACD.AGENT.DEL {k} a4 AT x", AT),
    ("ACD.READY {k} a4 AT -1", AT),
    ("ACD.NOTREADY {k} a4 AT x", AT),
    ("ACD.NOTREADY {k} a4 REASON x AT -1", AT),
    ("ACD.COMPLETE {k} c2 AT -1", AT),
    ("ACD.SKILL.DEL {k} english AT x", AT),
];

/// Domain errors on a center built by [`populate_auto`].
const DOMAIN_ERRORS: &[(&str, &str)] = &[
    ("ACD.AGENT.GET {k} nobody", "NOAGENT no such agent 'nobody'"),
    ("ACD.AGENT.DEL {k} nobody", "NOAGENT no such agent 'nobody'"),
    (
        "ACD.AGENT.META {k} nobody {}",
        "NOAGENT no such agent 'nobody'",
    ),
    (
        "ACD.AGENT.GRANT {k} nobody x",
        "NOAGENT no such agent 'nobody'",
    ),
    (
        "ACD.AGENT.REVOKE {k} nobody x",
        "NOAGENT no such agent 'nobody'",
    ),
    ("ACD.READY {k} nobody", "NOAGENT no such agent 'nobody'"),
    (
        "ACD.NOTREADY {k} nobody REASON x",
        "NOAGENT no such agent 'nobody'",
    ),
    ("ACD.AGENT.GET {k} A1", "NOAGENT no such agent 'A1'"),
    (
        "ACD.CONTACT.GET {k} nothing",
        "NOCONTACT no such contact 'nothing'",
    ),
    (
        "ACD.COMPLETE {k} nothing",
        "NOCONTACT no such contact 'nothing'",
    ),
    (
        "ACD.AGENT.ADD {k} a1 SKILLS 0",
        "EXISTS agent 'a1' already exists",
    ),
    (
        "ACD.AGENT.ADD {k} a4 SKILLS 1 x",
        "EXISTS agent 'a4' already exists",
    ),
    (
        "ACD.ENQUEUE {k} c2 SKILLS 0 AT 1700000000200",
        "EXISTS contact 'c2' already exists",
    ),
    (
        "ACD.ENQUEUE {k} c1 SKILLS 0 AT 1700000000200",
        "EXISTS contact 'c1' already exists",
    ),
    (
        "ACD.ENQUEUE {k} c3 SKILLS 0 AT 1700000000200",
        "EXISTS contact 'c3' already exists",
    ),
    (
        "ACD.ENQUEUE {k} c6 SKILLS 0 AT 1700000000200",
        "EXISTS contact 'c6' already exists",
    ),
    (
        "ACD.ACCEPT {k} c2",
        "NOTOFFERED contact 'c2' is queued, not offered",
    ),
    (
        "ACD.REJECT {k} c1",
        "NOTOFFERED contact 'c1' is assigned, not offered",
    ),
    (
        "ACD.ACCEPT {k} c3",
        "NOTOFFERED contact 'c3' is completed, not offered",
    ),
    (
        "ACD.REJECT {k} c6",
        "NOTOFFERED contact 'c6' is abandoned, not offered",
    ),
    (
        "ACD.ACCEPT {k} nothing",
        "NOCONTACT no such contact 'nothing'",
    ),
    (
        "ACD.REJECT {k} nothing",
        "NOCONTACT no such contact 'nothing'",
    ),
];

/// Domain errors on a center built by [`populate_behaviours`]: offered agents are busy for READY and
/// NOTREADY, only offered contacts can be accepted or rejected.
const BEHAVIOUR_ERRORS: &[(&str, &str)] = &[
    (
        "ACD.READY {k} a2",
        "BUSYAGENT agent 'a2' is handling contact 'c2'",
    ),
    (
        "ACD.NOTREADY {k} a3 REASON x",
        "BUSYAGENT agent 'a3' is handling contact 'c3'",
    ),
    (
        "ACD.NOTREADY {k} a2",
        "BUSYAGENT agent 'a2' is handling contact 'c2'",
    ),
    (
        "ACD.ACCEPT {k} c4",
        "NOTOFFERED contact 'c4' is queued, not offered",
    ),
    (
        "ACD.REJECT {k} c6",
        "NOTOFFERED contact 'c6' is timeout, not offered",
    ),
    (
        "ACD.ACCEPT {k} c1",
        "NOTOFFERED contact 'c1' is completed, not offered",
    ),
    (
        "ACD.ENQUEUE {k} c6 SKILLS 0",
        "EXISTS contact 'c6' already exists",
    ),
    ("ACD.AGENTS {k} STATE wrapped", STATE),
];

/// Lookups on a missing key: they fail without creating it.
const MISSING_KEY_LOOKUPS: &[(&str, &str)] = &[
    ("ACD.AGENT.GET {k} a1", "NOAGENT no such agent 'a1'"),
    ("ACD.AGENT.DEL {k} a1", "NOAGENT no such agent 'a1'"),
    ("ACD.AGENT.META {k} a1 {}", "NOAGENT no such agent 'a1'"),
    ("ACD.AGENT.GRANT {k} a1 x", "NOAGENT no such agent 'a1'"),
    ("ACD.AGENT.REVOKE {k} a1 x", "NOAGENT no such agent 'a1'"),
    ("ACD.READY {k} a1", "NOAGENT no such agent 'a1'"),
    ("ACD.NOTREADY {k} a1", "NOAGENT no such agent 'a1'"),
    ("ACD.CONTACT.GET {k} c1", "NOCONTACT no such contact 'c1'"),
    ("ACD.COMPLETE {k} c1", "NOCONTACT no such contact 'c1'"),
    ("ACD.ACCEPT {k} c1", "NOCONTACT no such contact 'c1'"),
    ("ACD.REJECT {k} c1", "NOCONTACT no such contact 'c1'"),
];

/// Every command, well-formed, on the plain string key `{k}`.
const ON_A_STRING_KEY: &[&str] = &[
    "ACD.AGENT.ADD {k} a1 SKILLS 0",
    "ACD.AGENT.DEL {k} a1",
    "ACD.AGENT.GET {k} a1",
    "ACD.AGENT.META {k} a1 {}",
    "ACD.AGENT.GRANT {k} a1 x",
    "ACD.AGENT.REVOKE {k} a1 x",
    "ACD.SKILL.DEL {k} x",
    "ACD.READY {k} a1",
    "ACD.NOTREADY {k} a1",
    "ACD.ENQUEUE {k} c1 SKILLS 0 AT 1700000000200",
    "ACD.DISPATCH {k}",
    "ACD.COMPLETE {k} c1",
    "ACD.CONTACT.GET {k} c1",
    "ACD.QUEUE {k}",
    "ACD.AGENTS {k}",
    "ACD.OPEN {k}",
    "ACD.CLOSE {k}",
    "ACD.STATS {k}",
    "ACD.CONFIG {k} GET mode",
    "ACD.CONFIG.GET {k} mode",
    "ACD.CONFIG.GET {k}",
    "ACD.CONFIG {k} SET mode manual",
    "ACD.CONFIG {k} SET offer-timeout 5",
    "ACD.ACCEPT {k} c1",
    "ACD.REJECT {k} c1",
    "ACD.TICK {k}",
    "ACD.EVENTS {k}",
    "ACD.EVENTS {k} BLOCK 10",
    "ACD.CHECK {k}",
    "ACD.ESTIMATE {k} SKILLS 0",
];

#[test]
fn wrong_number_of_arguments_for_every_command() {
    let server = RedisServer::start();
    let mut c = server.conn();
    let cases: Vec<(String, Vec<String>)> = WRONG_ARITY
        .iter()
        .map(|t| (t.to_string(), vec![arity_error(t)]))
        .collect();
    let mut failures = check(&mut c, "fresh", &cases);
    populate_auto(&mut c, "center");
    failures.extend(check(&mut c, "center", &cases));
    assert_no_failures(failures);
}

#[test]
fn missing_keyword_parts_are_arity_or_syntax_errors() {
    let server = RedisServer::start();
    let mut c = server.conn();
    let cases: Vec<(String, Vec<String>)> = ARITY_OR_SYNTAX
        .iter()
        .map(|t| (t.to_string(), vec![arity_error(t), SYNTAX.to_string()]))
        .collect();
    let mut failures = check(&mut c, "fresh", &cases);
    populate_auto(&mut c, "center");
    failures.extend(check(&mut c, "center", &cases));
    assert_no_failures(failures);
}

#[test]
fn syntax_errors() {
    let server = RedisServer::start();
    let mut c = server.conn();
    let cases: Vec<(String, Vec<String>)> = SYNTAX_ERRORS
        .iter()
        .map(|t| (t.to_string(), vec![SYNTAX.to_string()]))
        .collect();
    let mut failures = check(&mut c, "fresh", &cases);
    populate_auto(&mut c, "center");
    failures.extend(check(&mut c, "center", &cases));
    assert_no_failures(failures);
}

#[test]
fn bad_values_have_exact_messages() {
    let server = RedisServer::start();
    let mut c = server.conn();
    let mut failures = check(&mut c, "fresh", &cases(BAD_VALUES));
    populate_auto(&mut c, "center");
    failures.extend(check(&mut c, "center", &cases(BAD_VALUES)));
    failures.extend(check(&mut c, "center", &cases(BAD_VALUES_ON_ENTITIES)));
    assert_no_failures(failures);
}

#[test]
fn domain_errors_have_exact_messages_and_change_nothing() {
    let server = RedisServer::start();
    let mut c = server.conn();
    populate_auto(&mut c, "center");
    let mut failures = check(&mut c, "center", &cases(DOMAIN_ERRORS));
    failures.extend(check(&mut c, "fresh", &cases(MISSING_KEY_LOOKUPS)));
    populate_behaviours(&mut c, "behaviours");
    failures.extend(check(&mut c, "behaviours", &cases(BEHAVIOUR_ERRORS)));
    assert_no_failures(failures);
}

/// `max-queue n`: with n contacts waiting, an ENQUEUE that cannot be assigned at once (a1 is ready but has
/// only english=1) answers QUEUEFULL and changes nothing; in manual mode no ENQUEUE is assigned at once, so
/// even one that a1 could serve is refused.
#[test]
fn a_full_queue_refuses_enqueue() {
    let server = RedisServer::start();
    let mut c = server.conn();
    for key in ["full", "full:manual"] {
        c.ok(format!("ACD.CONFIG {key} SET max-queue 2"));
        c.ok(format!("ACD.AGENT.ADD {key} a1 SKILLS 1 english"));
        c.bulk(format!("ACD.READY {key} a1"));
        c.bulk(format!("ACD.ENQUEUE {key} c1 SKILLS 1 german"));
        c.bulk(format!("ACD.ENQUEUE {key} c2 SKILLS 1 french PRIORITY 5"));
    }
    c.ok("ACD.CONFIG full:manual SET mode manual");
    let full = "QUEUEFULL queue is full (2 contacts waiting)";
    let mut failures = check(
        &mut c,
        "full",
        &cases(&[
            ("ACD.ENQUEUE {k} n1 SKILLS 1 german", full),
            ("ACD.ENQUEUE {k} n1 SKILLS 1 english=2 PRIORITY 9", full),
        ]),
    );
    failures.extend(check(
        &mut c,
        "full:manual",
        &cases(&[
            ("ACD.ENQUEUE {k} n1 SKILLS 1 german", full),
            ("ACD.ENQUEUE {k} n1 SKILLS 0", full),
        ]),
    ));
    assert_no_failures(failures);
}

#[test]
fn a_closed_center_refuses_ready_and_enqueue() {
    let server = RedisServer::start();
    let mut c = server.conn();
    populate_manual_closed(&mut c, "closed");
    let failures = check(
        &mut c,
        "closed",
        &cases(&[
            ("ACD.READY {k} a3", CLOSED),
            ("ACD.READY {k} a2 AT 1700000000999", CLOSED),
            ("ACD.ENQUEUE {k} n1 SKILLS 0", CLOSED),
            (
                "ACD.ENQUEUE {k} n1 SKILLS 1 english PRIORITY 3 META {}",
                CLOSED,
            ),
        ]),
    );
    assert_no_failures(failures);
}

#[test]
fn every_command_on_a_string_key_is_wrongtype() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok("SET plain x");
    let mut failures = Vec::new();
    for template in ON_A_STRING_KEY {
        let command = args(template, "plain");
        let got = c.call(&command);
        if acd_tests::error_text(&got).as_deref() != Some(WRONGTYPE) {
            failures.push(format!("`{template}`: expected {WRONGTYPE:?}, got {got:?}"));
        }
        c.ping();
        if c.bulk("GET plain").as_deref() != Some("x") {
            failures.push(format!("`{template}`: changed the string key"));
            c.ok("SET plain x");
        }
    }
    assert_no_failures(failures);
}

#[test]
fn hostile_inputs_leave_the_server_answering() {
    let server = RedisServer::start();
    let mut c = server.conn();
    let deep_object = format!("{}1{}", "{\"a\":".repeat(100_000), "}".repeat(100_000));
    let deep_array = format!("{{\"a\":{}{}}}", "[".repeat(200_000), "]".repeat(200_000));
    let long_id = "x".repeat(1 << 20);
    let many_skills: Vec<String> = (0..10_000).map(|i| format!("s{i}=3")).collect();
    let mut with_many = vec![
        "ACD.AGENT.ADD".to_string(),
        "center".into(),
        "many".into(),
        "SKILLS".into(),
    ];
    with_many.push(many_skills.len().to_string());
    with_many.extend(many_skills);
    let mut enqueue_many = with_many.clone();
    enqueue_many[0] = "ACD.ENQUEUE".into();
    enqueue_many[2] = "many-contact".into();

    let inputs: Vec<Vec<Vec<u8>>> = vec![
        vec![
            b"ACD.AGENT.ADD".to_vec(),
            b"center".to_vec(),
            b"deep".to_vec(),
            b"SKILLS".to_vec(),
            b"0".to_vec(),
            b"META".to_vec(),
            deep_object.clone().into_bytes(),
        ],
        vec![
            b"ACD.ENQUEUE".to_vec(),
            b"center".to_vec(),
            b"deep".to_vec(),
            b"SKILLS".to_vec(),
            b"0".to_vec(),
            b"META".to_vec(),
            deep_array.into_bytes(),
        ],
        vec![
            b"ACD.AGENT.ADD".to_vec(),
            b"center".to_vec(),
            long_id.clone().into_bytes(),
            b"SKILLS".to_vec(),
            b"0".to_vec(),
        ],
        vec![
            b"ACD.AGENT.GET".to_vec(),
            b"center".to_vec(),
            long_id.into_bytes(),
        ],
        with_many.iter().map(|a| a.as_bytes().to_vec()).collect(),
        enqueue_many.iter().map(|a| a.as_bytes().to_vec()).collect(),
        vec![
            b"ACD.AGENT.ADD".to_vec(),
            b"center".to_vec(),
            b"nul\0id".to_vec(),
            b"SKILLS".to_vec(),
            b"1".to_vec(),
            b"s\0kill".to_vec(),
        ],
        vec![
            b"ACD.AGENT.GET".to_vec(),
            b"center".to_vec(),
            b"nul\0id".to_vec(),
        ],
        vec![
            b"ACD.AGENT.ADD".to_vec(),
            b"center".to_vec(),
            b"\xff\xfe".to_vec(),
            b"SKILLS".to_vec(),
            b"0".to_vec(),
        ],
        vec![
            b"ACD.AGENT.GET".to_vec(),
            b"center".to_vec(),
            b"\xff\xfe".to_vec(),
        ],
        vec![b"ACD.AGENTS".to_vec(), b"center".to_vec()],
        vec![
            b"ACD.AGENT.ADD".to_vec(),
            b"center".to_vec(),
            b"n1".to_vec(),
            b"SKILLS".to_vec(),
            b"4294967297".to_vec(),
            b"a".to_vec(),
        ],
        vec![
            b"ACD.AGENT.ADD".to_vec(),
            b"center".to_vec(),
            b"n1".to_vec(),
            b"SKILLS".to_vec(),
            b"18446744073709551615".to_vec(),
        ],
        vec![
            b"ACD.ENQUEUE".to_vec(),
            b"center".to_vec(),
            b"n2".to_vec(),
            b"SKILLS".to_vec(),
            b"1".to_vec(),
            b"a=18446744073709551617".to_vec(),
        ],
        vec![
            b"ACD.DISPATCH".to_vec(),
            b"center".to_vec(),
            b"COUNT".to_vec(),
            b"18446744073709551615".to_vec(),
        ],
        vec![
            b"ACD.QUEUE".to_vec(),
            b"center".to_vec(),
            b"COUNT".to_vec(),
            b"9223372036854775807".to_vec(),
        ],
        vec![
            b"ACD.STATS".to_vec(),
            b"center".to_vec(),
            b"AT".to_vec(),
            b"0".to_vec(),
        ],
        vec![
            b"ACD.STATS".to_vec(),
            b"center".to_vec(),
            b"AT".to_vec(),
            b"18446744073709551615".to_vec(),
        ],
        vec![
            b"ACD.CONFIG".to_vec(),
            b"center".to_vec(),
            b"SET".to_vec(),
            b"retention".to_vec(),
            b"18446744073709551615".to_vec(),
        ],
        vec![
            b"ACD.STATE.LOAD".to_vec(),
            b"center".to_vec(),
            b"\x00\x01garbage".to_vec(),
        ],
    ];
    for input in &inputs {
        c.call(input);
        c.ping();
    }
    // Ids and skill names are binary-safe: NUL bytes round-trip through the JSON reply.
    let agent = c.json([&b"ACD.AGENT.GET"[..], b"center", b"nul\0id"]);
    assert_eq!(agent["id"], serde_json::json!("nul\0id"));
    assert_eq!(agent["skills"], serde_json::json!({"s\0kill": 1}));
    c.ping();
}

#[test]
fn meta_that_is_not_utf8_is_a_meta_error() {
    let server = RedisServer::start();
    let mut c = server.conn();
    let add = [
        &b"ACD.AGENT.ADD"[..],
        b"center",
        b"a1",
        b"SKILLS",
        b"0",
        b"META",
        b"{\"a\":\"\xff\"}",
    ];
    assert_eq!(c.err(add), META);
    let enqueue = [
        &b"ACD.ENQUEUE"[..],
        b"center",
        b"c1",
        b"SKILLS",
        b"0",
        b"META",
        b"{\"a\":\"\xff\"}",
    ];
    assert_eq!(c.err(enqueue), META);
    assert!(!c.exists("center"));
}

/// Ids, skill names and the other text arguments must be valid UTF-8 (issue 6 changed this from binary-safe):
/// bytes that are not answer `ERR arguments must be valid UTF-8`, change nothing and create no key.
#[test]
fn arguments_that_are_not_utf8_are_rejected() {
    let server = RedisServer::start();
    let mut c = server.conn();
    let bad: &[u8] = b"bad-\xff\xfe";
    let utf8_cases = |key: &str| -> Vec<(Vec<Vec<u8>>, Vec<String>)> {
        let key = key.as_bytes();
        let commands: Vec<Vec<&[u8]>> = vec![
            vec![b"ACD.AGENT.ADD", key, bad, b"SKILLS", b"0"],
            vec![b"ACD.AGENT.ADD", key, b"n1", b"SKILLS", b"1", bad],
            vec![b"ACD.AGENT.ADD", key, b"n1", b"SKILLS", b"1", b"s\x80=2"],
            vec![b"ACD.AGENT.GET", key, bad],
            vec![b"ACD.AGENT.DEL", key, bad],
            vec![b"ACD.AGENT.META", key, bad, b"{}"],
            vec![b"ACD.AGENT.GRANT", key, b"a4", bad],
            vec![b"ACD.AGENT.GRANT", key, bad, b"english"],
            vec![b"ACD.AGENT.REVOKE", key, b"a4", bad],
            vec![b"ACD.SKILL.DEL", key, bad],
            vec![b"ACD.READY", key, bad],
            vec![b"ACD.NOTREADY", key, bad],
            vec![b"ACD.NOTREADY", key, b"a4", b"REASON", bad],
            vec![b"ACD.ENQUEUE", key, bad, b"SKILLS", b"0"],
            vec![b"ACD.ENQUEUE", key, b"n1", b"SKILLS", b"1", bad],
            vec![b"ACD.COMPLETE", key, bad],
            vec![b"ACD.CONTACT.GET", key, bad],
            vec![b"ACD.ACCEPT", key, bad],
            vec![b"ACD.REJECT", key, bad],
            vec![b"ACD.ESTIMATE", key, b"SKILLS", b"1", bad],
        ];
        commands
            .into_iter()
            .map(|cmd| {
                (
                    cmd.into_iter().map(<[u8]>::to_vec).collect(),
                    vec![UTF8.to_string()],
                )
            })
            .collect()
    };
    let mut failures = check_commands(&mut c, "fresh", &utf8_cases("fresh"));
    populate_auto(&mut c, "center");
    failures.extend(check_commands(&mut c, "center", &utf8_cases("center")));
    assert_no_failures(failures);
    // Valid UTF-8, control characters and NUL included, is still accepted (see also the hostile inputs).
    c.ok(["ACD.AGENT.ADD", "center", "ü\u{1}", "SKILLS", "1", "é=2"]);
    assert_eq!(
        c.json(["ACD.AGENT.GET", "center", "ü\u{1}"])["skills"],
        serde_json::json!({"é": 2})
    );
}

#[test]
fn state_load_rejects_a_bad_payload() {
    let server = RedisServer::start();
    let mut c = server.conn();
    for payload in ["", "garbage", "{}", "\u{0}\u{1}\u{2}"] {
        let got = c.call(["ACD.STATE.LOAD", "fresh", payload]);
        assert!(
            acd_tests::error_text(&got).is_some_and(|e| e.starts_with("ERR ")),
            "ACD.STATE.LOAD fresh {payload:?}: expected an ERR reply, got {got:?}"
        );
        c.ping();
        assert!(
            !c.exists("fresh"),
            "ACD.STATE.LOAD with {payload:?} created the key"
        );
    }
    populate_auto(&mut c, "center");
    let cases = vec![("ACD.STATE.LOAD {k} garbage".to_string(), vec![])];
    assert_no_failures(check(&mut c, "center", &cases));
}

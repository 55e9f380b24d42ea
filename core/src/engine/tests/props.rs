//! Property tests: random operation sequences run on the engine and on the naive reference
//! model must give the same reply to every command and the same observable state after every
//! step, and the engine's invariant audit must stay clean. The encoding must round-trip.
//!
//! Two operation mixes: [`op`] covers every command and setting; [`routing_op`] keeps many
//! agents ready with overlapping skills and levels 1..=5, and contact ids turning over, so
//! that most contacts have several eligible agents and each strategy's pick is exercised.

use proptest::prelude::*;

use super::reference::{Model, Res, Setting};
use super::{render, run};
use crate::state::Strategy as Routing;
use crate::{Center, Command, Mode, Reply};

const AGENTS: &[&str] = &["a0", "a1", "a2", "a3", "a4", "a5"];
const CONTACTS: &[&str] = &["c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9"];
const SKILLS: &[&str] = &["en", "fr", "billing", "tech"];

type Skills = Vec<(String, u8)>;
/// Relaxation steps: (ms after enqueue, requirement), times increasing.
type Steps = Vec<(i64, Skills)>;

#[derive(Debug, Clone)]
enum Op {
    Add(usize, Skills),
    Del(usize),
    Grant(usize, Skills),
    Revoke(usize, Vec<String>),
    SkillDel(usize),
    Ready(usize),
    NotReady(usize, Option<&'static str>),
    Enqueue(usize, Skills, Steps, i64),
    /// Enqueue under the first id the center does not hold.
    EnqueueNew(Skills, Steps, i64),
    Dispatch(Option<usize>),
    Complete(usize),
    /// Complete the k-th (modulo their number) contact an agent holds.
    CompleteHeld(usize),
    Open,
    Close,
    SetMode(Mode),
    Configure(Setting),
    Accept(usize),
    Reject(usize),
}

fn skills(max: usize) -> impl Strategy<Value = Skills> {
    skills_from(SKILLS, max, 3)
}

/// Up to `max` of `names`, each at a level from 1 to `top`.
fn skills_from(
    names: &'static [&'static str],
    max: usize,
    top: u8,
) -> impl Strategy<Value = Skills> {
    prop::sample::subsequence(names, 0..=max).prop_flat_map(move |names| {
        let n = names.len();
        (Just(names), prop::collection::vec(1u8..=top, n)).prop_map(|(names, levels)| {
            names
                .into_iter()
                .map(str::to_owned)
                .zip(levels)
                .collect::<Vec<_>>()
        })
    })
}

/// Up to two relaxation steps, each needing at most one of `names`.
fn steps(names: &'static [&'static str]) -> impl Strategy<Value = Steps> {
    prop::sample::subsequence(vec![300i64, 700, 1500, 2500], 0..=2).prop_flat_map(move |times| {
        let n = times.len();
        (
            Just(times),
            prop::collection::vec(skills_from(names, 1, 3), n),
        )
            .prop_map(|(times, reqs)| times.into_iter().zip(reqs).collect())
    })
}

fn op() -> impl Strategy<Value = Op> {
    let agent = 0..AGENTS.len();
    let contact = 0..CONTACTS.len();
    prop_oneof![
        3 => (agent.clone(), skills(3)).prop_map(|(a, s)| Op::Add(a, s)),
        1 => agent.clone().prop_map(Op::Del),
        1 => (agent.clone(), skills(2).prop_filter("non-empty", |s| !s.is_empty()))
            .prop_map(|(a, s)| Op::Grant(a, s)),
        1 => (agent.clone(), prop::sample::subsequence(SKILLS, 1..=2))
            .prop_map(|(a, s)| Op::Revoke(a, s.into_iter().map(str::to_owned).collect())),
        1 => (0..SKILLS.len()).prop_map(Op::SkillDel),
        6 => agent.clone().prop_map(Op::Ready),
        2 => (agent, prop::option::of(prop::sample::select(vec!["lunch", "training"])))
            .prop_map(|(a, r)| Op::NotReady(a, r)),
        7 => (contact.clone(), skills(2), steps(SKILLS), -1i64..=2)
            .prop_map(|(c, s, t, p)| Op::Enqueue(c, s, t, p)),
        2 => prop::option::of(1usize..=3).prop_map(Op::Dispatch),
        5 => contact.prop_map(Op::Complete),
        1 => Just(Op::Open),
        1 => Just(Op::Close),
        1 => prop::sample::select(vec![Mode::Auto, Mode::Manual]).prop_map(Op::SetMode),
        1 => (0i64..=2).prop_map(|s| Op::Configure(Setting::Retention(s))),
        1 => prop::sample::select(vec![0i64, 700]).prop_map(|ms| Op::Configure(Setting::OfferTimeout(ms))),
        1 => prop::sample::select(vec![0i64, 500]).prop_map(|ms| Op::Configure(Setting::Wrapup(ms))),
        1 => prop::sample::select(vec![0i64, 1500]).prop_map(|ms| Op::Configure(Setting::MaxWait(ms))),
        1 => (0u64..=2).prop_map(|n| Op::Configure(Setting::MaxNoAnswer(n))),
        1 => prop::sample::select(vec![0i64, 400, 1500]).prop_map(|ms| Op::Configure(Setting::PriorityAge(ms))),
        2 => prop::sample::select(Routing::ALL.to_vec()).prop_map(|s| Op::Configure(Setting::Strategy(s))),
        1 => prop::sample::select(vec![0i64, 1000, 4000, 3_600_000])
            .prop_map(|ms| Op::Configure(Setting::OccupancyWindow(ms))),
        3 => (0..CONTACTS.len()).prop_map(Op::Accept),
        2 => (0..CONTACTS.len()).prop_map(Op::Reject),
    ]
}

fn routing_op() -> impl Strategy<Value = Op> {
    let agent = 0..AGENTS.len();
    let contact = 0..CONTACTS.len();
    let two = &SKILLS[..2];
    prop_oneof![
        1 => (agent.clone(), skills_from(two, 2, 5)).prop_map(|(a, s)| Op::Add(a, s)),
        1 => agent.clone().prop_map(Op::Del),
        1 => (agent.clone(), skills_from(two, 1, 5).prop_filter("non-empty", |s| !s.is_empty()))
            .prop_map(|(a, s)| Op::Grant(a, s)),
        4 => agent.clone().prop_map(Op::Ready),
        2 => agent.prop_map(|a| Op::NotReady(a, None)),
        1 => (contact.clone(), skills_from(two, 2, 3), steps(two), -1i64..=1)
            .prop_map(|(c, s, t, p)| Op::Enqueue(c, s, t, p)),
        8 => (skills_from(two, 2, 3), steps(two), -1i64..=1)
            .prop_map(|(s, t, p)| Op::EnqueueNew(s, t, p)),
        1 => contact.clone().prop_map(Op::Complete),
        6 => (0..AGENTS.len()).prop_map(Op::CompleteHeld),
        3 => prop::option::of(1usize..=3).prop_map(Op::Dispatch),
        2 => prop::sample::select(vec![Mode::Auto, Mode::Manual]).prop_map(Op::SetMode),
        2 => prop::sample::select(Routing::ALL.to_vec()).prop_map(|s| Op::Configure(Setting::Strategy(s))),
        1 => prop::sample::select(vec![0i64, 1000, 4000])
            .prop_map(|ms| Op::Configure(Setting::OccupancyWindow(ms))),
        1 => prop::sample::select(vec![0i64, 400]).prop_map(|ms| Op::Configure(Setting::PriorityAge(ms))),
        1 => prop::sample::select(vec![0i64, 700]).prop_map(|ms| Op::Configure(Setting::OfferTimeout(ms))),
        2 => contact.clone().prop_map(Op::Accept),
        1 => contact.prop_map(Op::Reject),
    ]
}

fn tokens(skills: &Skills) -> String {
    skills
        .iter()
        .map(|(s, l)| format!("{s}={l}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The command line for the engine, and the same operation on the model.
fn apply(op: &Op, model: &mut Model, now: i64) -> (String, Res) {
    model.settle(now);
    let (line, res) = apply_op(op, model, now);
    if res.is_ok() {
        // Like the engine: deadlines the command set in the past take effect now.
        model.settle_from(now, now);
    }
    (line, res)
}

fn apply_op(op: &Op, model: &mut Model, now: i64) -> (String, Res) {
    match op {
        Op::Add(a, s) => (
            format!(
                "ACD.AGENT.ADD {} SKILLS {} {}",
                AGENTS[*a],
                s.len(),
                tokens(s)
            ),
            model.add(AGENTS[*a], s, now),
        ),
        Op::Del(a) => (
            format!("ACD.AGENT.DEL {}", AGENTS[*a]),
            model.del(AGENTS[*a], now),
        ),
        Op::Grant(a, s) => (
            format!("ACD.AGENT.GRANT {} {}", AGENTS[*a], tokens(s)),
            model.grant(AGENTS[*a], s, now),
        ),
        Op::Revoke(a, s) => (
            format!("ACD.AGENT.REVOKE {} {}", AGENTS[*a], s.join(" ")),
            model.revoke(AGENTS[*a], s),
        ),
        Op::SkillDel(s) => (
            format!("ACD.SKILL.DEL {}", SKILLS[*s]),
            model.skill_del(SKILLS[*s]),
        ),
        Op::Ready(a) => (
            format!("ACD.READY {}", AGENTS[*a]),
            model.ready(AGENTS[*a], now),
        ),
        Op::NotReady(a, r) => (
            match r {
                Some(r) => format!("ACD.NOTREADY {} REASON {r}", AGENTS[*a]),
                None => format!("ACD.NOTREADY {}", AGENTS[*a]),
            },
            model.not_ready(AGENTS[*a], *r, now),
        ),
        Op::Enqueue(c, s, t, p) => (
            format!(
                "ACD.ENQUEUE {} SKILLS {} {}{} PRIORITY {p}",
                CONTACTS[*c],
                s.len(),
                tokens(s),
                t.iter()
                    .map(|(ms, s)| format!(" THEN {ms} SKILLS {} {}", s.len(), tokens(s)))
                    .collect::<String>()
            ),
            model.enqueue(CONTACTS[*c], s, t, *p, now),
        ),
        Op::Dispatch(n) => (
            match n {
                Some(n) => format!("ACD.DISPATCH COUNT {n}"),
                None => "ACD.DISPATCH".to_owned(),
            },
            model.dispatch(n.unwrap_or(usize::MAX), now),
        ),
        Op::Complete(c) => (
            format!("ACD.COMPLETE {}", CONTACTS[*c]),
            model.complete(CONTACTS[*c], now),
        ),
        Op::EnqueueNew(s, t, p) => {
            let c = (0..CONTACTS.len())
                .find(|&c| !model.has_contact(CONTACTS[c]))
                .unwrap_or(0);
            apply(&Op::Enqueue(c, s.clone(), t.clone(), *p), model, now)
        }
        Op::CompleteHeld(k) => {
            let held = model.snapshot().0;
            let c = held
                .get(k % held.len().max(1))
                .and_then(|(_, c)| CONTACTS.iter().position(|id| id == c))
                .unwrap_or(0);
            apply(&Op::Complete(c), model, now)
        }
        Op::Open => ("ACD.OPEN".to_owned(), model.open(now)),
        Op::Close => ("ACD.CLOSE".to_owned(), model.close(now)),
        Op::SetMode(m) => (
            format!("ACD.CONFIG SET mode {}", m.as_str()),
            model.set_mode(*m, now),
        ),
        Op::Configure(setting) => (
            match setting {
                Setting::Retention(v) => format!("ACD.CONFIG SET retention {v}"),
                Setting::OfferTimeout(v) => format!("ACD.CONFIG SET offer-timeout {v}"),
                Setting::Wrapup(v) => format!("ACD.CONFIG SET wrapup {v}"),
                Setting::MaxWait(v) => format!("ACD.CONFIG SET max-wait {v}"),
                Setting::MaxNoAnswer(v) => format!("ACD.CONFIG SET max-no-answer {v}"),
                Setting::PriorityAge(v) => format!("ACD.CONFIG SET priority-age {v}"),
                Setting::Strategy(s) => format!("ACD.CONFIG SET strategy {}", s.as_str()),
                Setting::OccupancyWindow(v) => format!("ACD.CONFIG SET occupancy-window {v}"),
            },
            model.configure(*setting, now),
        ),
        Op::Accept(c) => (
            format!("ACD.ACCEPT {}", CONTACTS[*c]),
            model.accept(CONTACTS[*c], now),
        ),
        Op::Reject(c) => (
            format!("ACD.REJECT {}", CONTACTS[*c]),
            model.reject(CONTACTS[*c], now),
        ),
    }
}

fn expected(res: &Res) -> String {
    match res {
        Ok(reply) => render(reply),
        Err(code) => (*code).to_owned(),
    }
}

fn actual(center: &mut Center, line: &str, now: i64) -> String {
    let got = run(center, line, now);
    // Errors compare by code: the reference model does not phrase messages.
    match got.split_once(' ') {
        Some((code, _)) if code.chars().all(|c| c.is_ascii_uppercase()) => code.to_owned(),
        _ => got,
    }
}

fn ids(reply: Reply) -> Vec<String> {
    match reply {
        Reply::Array(items) => items
            .into_iter()
            .map(|r| match r {
                Reply::Bulk(s) => s,
                other => panic!("not an id: {other:?}"),
            })
            .collect(),
        other => panic!("not an array: {other:?}"),
    }
}

/// The `at` of every event in the log, oldest first.
fn event_times(center: &Center) -> Vec<i64> {
    let Reply::Array(entries) = query(center, "ACD.EVENTS COUNT 100000") else {
        panic!("events reply");
    };
    entries
        .into_iter()
        .map(|entry| match entry {
            Reply::Map(fields) => match fields.get(1) {
                Some((name, Reply::Int(at))) if name == "at" => *at,
                other => panic!("event without at: {other:?}"),
            },
            other => panic!("event entry: {other:?}"),
        })
        .collect()
}

fn query(center: &Center, line: &str) -> Reply {
    let mut words = line.split_whitespace();
    let name = words.next().unwrap();
    let args: Vec<&[u8]> = words.map(str::as_bytes).collect();
    center
        .query(&Command::parse(name, &args).unwrap(), 0)
        .unwrap()
}

fn held_pairs(center: &Center) -> Vec<(String, String)> {
    let mut held = ids(query(center, "ACD.AGENTS STATE busy"));
    held.extend(ids(query(center, "ACD.AGENTS STATE offered")));
    held.sort();
    held.into_iter()
        .map(|a| {
            let Reply::Bulk(json) = query(center, &format!("ACD.AGENT.GET {a}")) else {
                panic!("agent json");
            };
            let view: crate::AgentView = serde_json::from_str(&json).unwrap();
            (a, view.contact.unwrap())
        })
        .collect()
}

fn contact_states(
    center: &Center,
) -> Vec<(String, &'static str, std::collections::BTreeMap<String, u8>)> {
    CONTACTS
        .iter()
        .filter_map(|c| {
            match center.query(
                &Command::parse("ACD.CONTACT.GET", &[c.as_bytes()]).unwrap(),
                0,
            ) {
                Ok(Reply::Bulk(json)) => {
                    let view: crate::ContactView = serde_json::from_str(&json).unwrap();
                    Some(((*c).to_owned(), view.state.as_str(), view.skills))
                }
                _ => None,
            }
        })
        .collect()
}

/// Runs `prelude` then `steps` on a fresh engine and model, comparing every reply and the
/// observable state after each step; then checks that the encoding round-trips.
fn compare(prelude: &[Op], steps: &[(i64, Op)]) -> Result<(), TestCaseError> {
    let mut center = Center::new();
    let mut model = Model::new();
    let mut now = 1_000;
    let steps = prelude
        .iter()
        .map(|op| (0, op))
        .chain(steps.iter().map(|(dt, op)| (*dt, op)));
    for (i, (dt, op)) in steps.enumerate() {
        now += dt * 400;
        let (line, want) = apply(op, &mut model, now);
        prop_assert_eq!(
            actual(&mut center, &line, now),
            expected(&want),
            "step {} {}",
            i,
            line
        );
        prop_assert_eq!(center.check(), Vec::<String>::new(), "step {} {}", i, line);
        // Time only moves forward here, so the event log must too.
        let times = event_times(&center);
        prop_assert!(
            times.windows(2).all(|w| w[0] <= w[1]),
            "event times go back after {}: {:?}",
            line,
            times
        );
        prop_assert_eq!(
            ids(query(&center, "ACD.QUEUE")),
            model.queue(),
            "queue after {}",
            line
        );
        prop_assert_eq!(
            ids(query(&center, "ACD.AGENTS STATE ready")),
            model.ready_line(),
            "ready after {}",
            line
        );
        let (busy, contacts) = model.snapshot();
        prop_assert_eq!(held_pairs(&center), busy, "held after {}", line);
        prop_assert_eq!(contact_states(&center), contacts, "contacts after {}", line);
        let stats = center.stats(now);
        prop_assert_eq!(
            (
                stats.enqueued_total,
                stats.assigned_total,
                stats.completed_total,
                stats.abandoned_total,
                stats.timeout_total,
                stats.avg_wait_ms
            ),
            (
                model.enqueued,
                model.assigned,
                model.completed,
                model.abandoned,
                model.timeout,
                model.avg_wait()
            )
        );
    }
    let bytes = center.encode();
    let copy = Center::decode(&bytes).unwrap();
    prop_assert_eq!(copy.encode(), bytes);
    prop_assert_eq!(copy.check(), Vec::<String>::new());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn engine_matches_reference_model(steps in prop::collection::vec((0i64..=3, op()), 1..120)) {
        compare(&[], &steps)?;
    }

    #[test]
    fn strategies_match_reference_model(
        staff in prop::collection::vec(skills_from(&SKILLS[..2], 2, 5), AGENTS.len()),
        steps in prop::collection::vec((0i64..=3, routing_op()), 1..120),
    ) {
        // Every agent added and ready; retention 0, so ended contacts are purged at the next
        // write and contact ids turn over.
        let mut prelude = vec![Op::Configure(Setting::Retention(0))];
        for (a, skills) in staff.into_iter().enumerate() {
            prelude.extend([Op::Add(a, skills), Op::Ready(a)]);
        }
        compare(&prelude, &steps)?;
    }
}

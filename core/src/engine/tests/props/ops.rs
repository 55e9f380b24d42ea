//! The operations the property tests generate, in three mixes, and how each one becomes a
//! command line for the engine and a call on the reference model.
//!
//! [`op`] covers every command and setting, with capacities and channels now and then;
//! [`routing_op`] keeps many voice-only agents ready with overlapping skills and levels 1..=5,
//! and contact ids turning over, so that most contacts have several eligible agents and each
//! strategy's pick is exercised; [`channel_op`] gives agents capacity on several channels and
//! spreads contacts over them, so that agents hold several contacts at once, fill again after
//! each one ends, and `voice-blocks` matters; every strategy, least-occupied included, meets
//! agents holding several contacts.

use proptest::prelude::*;

use super::super::reference::{Model, Res, Setting};
use crate::state::Strategy as Routing;
use crate::Mode;

pub(super) const AGENTS: &[&str] = &["a0", "a1", "a2", "a3", "a4", "a5"];
/// Short ids, and ids around and past the length a contact keeps inline (22 bytes; see the
/// engine's `compact_id.rs`), so both forms are routed, logged, audited and encoded.
pub(super) const CONTACTS: &[&str] = &[
    "c0",
    "c1",
    "c2",
    "c3",
    "c4",
    "c5",
    "c6-inline-22-bytes-ok!",
    "c7-shared-23-bytes-long",
    "c8-0b6c1f0e-8d7a-4c39-9d4e-2f7b8a6c5e41",
    "c9",
];
pub(super) const SKILLS: &[&str] = &["en", "fr", "billing", "tech"];
const CHANNELS: &[&str] = &["voice", "chat", "email"];

pub(super) type Skills = Vec<(String, u8)>;
/// Relaxation steps: (ms after enqueue, requirement), times increasing.
type Steps = Vec<(i64, Skills)>;
/// `CAPACITY channel=n ...` entries, in the order given.
pub(super) type Capacity = Vec<(String, u32)>;
/// `CHANNEL name`; `None`: left out (voice).
type Channel = Option<&'static str>;

#[derive(Debug, Clone)]
pub(super) enum Op {
    /// `None`: without `CAPACITY` (voice=1).
    Add(usize, Skills, Option<Capacity>),
    Del(usize),
    Grant(usize, Skills),
    Revoke(usize, Vec<String>),
    SkillDel(usize),
    Ready(usize),
    NotReady(usize, Option<&'static str>),
    Enqueue(usize, Skills, Steps, Channel, i64),
    /// Enqueue under the first id the center does not hold.
    EnqueueNew(Skills, Steps, Channel, i64),
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
pub(super) fn skills_from(
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

/// One to three channels in any order, each with a capacity from 0 to `top`, `total` at most
/// in all.
pub(super) fn capacity(top: u32, total: u32) -> impl Strategy<Value = Capacity> {
    prop::sample::subsequence(CHANNELS, 1..=CHANNELS.len())
        .prop_shuffle()
        .prop_flat_map(move |names| {
            let n = names.len();
            (Just(names), prop::collection::vec(0..=top, n))
        })
        .prop_filter("total capacity", move |(_, slots)| {
            slots.iter().sum::<u32>() <= total
        })
        .prop_map(|(names, slots)| names.into_iter().map(str::to_owned).zip(slots).collect())
}

/// A channel with probability `p`, else none (voice).
fn channel(p: f64) -> impl Strategy<Value = Channel> {
    prop::option::weighted(p, prop::sample::select(CHANNELS))
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

pub(super) fn op() -> impl Strategy<Value = Op> {
    let agent = 0..AGENTS.len();
    let contact = 0..CONTACTS.len();
    prop_oneof![
        3 => (agent.clone(), skills(3), prop::option::weighted(0.3, capacity(3, 6)))
            .prop_map(|(a, s, k)| Op::Add(a, s, k)),
        1 => agent.clone().prop_map(Op::Del),
        1 => (agent.clone(), skills(2).prop_filter("non-empty", |s| !s.is_empty()))
            .prop_map(|(a, s)| Op::Grant(a, s)),
        1 => (agent.clone(), prop::sample::subsequence(SKILLS, 1..=2))
            .prop_map(|(a, s)| Op::Revoke(a, s.into_iter().map(str::to_owned).collect())),
        1 => (0..SKILLS.len()).prop_map(Op::SkillDel),
        6 => agent.clone().prop_map(Op::Ready),
        2 => (agent, prop::option::of(prop::sample::select(vec!["lunch", "training"])))
            .prop_map(|(a, r)| Op::NotReady(a, r)),
        7 => (contact.clone(), skills(2), steps(SKILLS), channel(0.3), -1i64..=2)
            .prop_map(|(c, s, t, ch, p)| Op::Enqueue(c, s, t, ch, p)),
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
        1 => any::<bool>().prop_map(|on| Op::Configure(Setting::VoiceBlocks(on))),
        3 => (0..CONTACTS.len()).prop_map(Op::Accept),
        2 => (0..CONTACTS.len()).prop_map(Op::Reject),
    ]
}

pub(super) fn routing_op() -> impl Strategy<Value = Op> {
    let agent = 0..AGENTS.len();
    let contact = 0..CONTACTS.len();
    let two = &SKILLS[..2];
    prop_oneof![
        1 => (agent.clone(), skills_from(two, 2, 5)).prop_map(|(a, s)| Op::Add(a, s, None)),
        1 => agent.clone().prop_map(Op::Del),
        1 => (agent.clone(), skills_from(two, 1, 5).prop_filter("non-empty", |s| !s.is_empty()))
            .prop_map(|(a, s)| Op::Grant(a, s)),
        4 => agent.clone().prop_map(Op::Ready),
        2 => agent.prop_map(|a| Op::NotReady(a, None)),
        1 => (contact.clone(), skills_from(two, 2, 3), steps(two), -1i64..=1)
            .prop_map(|(c, s, t, p)| Op::Enqueue(c, s, t, None, p)),
        8 => (skills_from(two, 2, 3), steps(two), -1i64..=1)
            .prop_map(|(s, t, p)| Op::EnqueueNew(s, t, None, p)),
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

pub(super) fn channel_op() -> impl Strategy<Value = Op> {
    let agent = 0..AGENTS.len();
    let contact = 0..CONTACTS.len();
    let two = &SKILLS[..2];
    prop_oneof![
        1 => (agent.clone(), skills_from(two, 2, 3), prop::option::weighted(0.8, capacity(3, 9)))
            .prop_map(|(a, s, k)| Op::Add(a, s, k)),
        1 => agent.clone().prop_map(Op::Del),
        1 => (agent.clone(), skills_from(two, 1, 3).prop_filter("non-empty", |s| !s.is_empty()))
            .prop_map(|(a, s)| Op::Grant(a, s)),
        5 => agent.clone().prop_map(Op::Ready),
        1 => (agent, prop::option::of(prop::sample::select(vec!["lunch", "training"])))
            .prop_map(|(a, r)| Op::NotReady(a, r)),
        1 => (contact.clone(), skills_from(two, 1, 2), steps(two), channel(0.8), -1i64..=1)
            .prop_map(|(c, s, t, ch, p)| Op::Enqueue(c, s, t, ch, p)),
        8 => (skills_from(two, 1, 2), steps(two), channel(0.8), -1i64..=1)
            .prop_map(|(s, t, ch, p)| Op::EnqueueNew(s, t, ch, p)),
        1 => contact.clone().prop_map(Op::Complete),
        7 => (0..AGENTS.len() * 3).prop_map(Op::CompleteHeld),
        2 => prop::option::of(1usize..=3).prop_map(Op::Dispatch),
        1 => prop::sample::select(vec![Mode::Auto, Mode::Manual]).prop_map(Op::SetMode),
        1 => prop::sample::select(Routing::ALL.to_vec()).prop_map(|s| Op::Configure(Setting::Strategy(s))),
        1 => prop::sample::select(vec![0i64, 1000, 4000])
            .prop_map(|ms| Op::Configure(Setting::OccupancyWindow(ms))),
        2 => any::<bool>().prop_map(|on| Op::Configure(Setting::VoiceBlocks(on))),
        1 => prop::sample::select(vec![0i64, 700]).prop_map(|ms| Op::Configure(Setting::OfferTimeout(ms))),
        1 => prop::sample::select(vec![0i64, 500]).prop_map(|ms| Op::Configure(Setting::Wrapup(ms))),
        1 => (0u64..=2).prop_map(|n| Op::Configure(Setting::MaxNoAnswer(n))),
        2 => Just(Op::Open),
        1 => Just(Op::Close),
        3 => contact.clone().prop_map(Op::Accept),
        1 => contact.prop_map(Op::Reject),
    ]
}

fn tokens<T: std::fmt::Display>(entries: &[(String, T)]) -> String {
    entries
        .iter()
        .map(|(name, n)| format!("{name}={n}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The command line for the engine, and the same operation on the model.
pub(super) fn apply(op: &Op, model: &mut Model, now: i64) -> (String, Res) {
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
        Op::Add(a, s, k) => (
            format!(
                "ACD.AGENT.ADD {} SKILLS {} {}{}",
                AGENTS[*a],
                s.len(),
                tokens(s),
                k.as_ref()
                    .map_or(String::new(), |k| format!(" CAPACITY {}", tokens(k)))
            ),
            model.add(AGENTS[*a], s, k.as_deref(), now),
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
        Op::Enqueue(c, s, t, ch, p) => (
            format!(
                "ACD.ENQUEUE {} SKILLS {} {}{}{} PRIORITY {p}",
                CONTACTS[*c],
                s.len(),
                tokens(s),
                t.iter()
                    .map(|(ms, s)| format!(" THEN {ms} SKILLS {} {}", s.len(), tokens(s)))
                    .collect::<String>(),
                ch.map_or(String::new(), |ch| format!(" CHANNEL {ch}"))
            ),
            model.enqueue(CONTACTS[*c], s, t, *ch, *p, now),
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
        Op::EnqueueNew(s, t, ch, p) => {
            let c = (0..CONTACTS.len())
                .find(|&c| !model.has_contact(CONTACTS[c]))
                .unwrap_or(0);
            apply(&Op::Enqueue(c, s.clone(), t.clone(), *ch, *p), model, now)
        }
        Op::CompleteHeld(k) => {
            let held = model.held();
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
                Setting::VoiceBlocks(on) => {
                    format!(
                        "ACD.CONFIG SET voice-blocks {}",
                        if *on { "yes" } else { "no" }
                    )
                }
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

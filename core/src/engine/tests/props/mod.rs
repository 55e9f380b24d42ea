//! Property tests: random operation sequences run on the engine and on the naive reference
//! model must give the same reply to every command, the same agent-state and hand-over events,
//! and the same observable state after every step (agents and contacts as `GET` shows them,
//! the queue and the ready listing in order, the counters and per-channel maps of `STATS`);
//! the engine's invariant audit must stay clean, and the encoding must round-trip.
//!
//! `ops.rs` generates the operations (three mixes, see there) and applies them to the model;
//! `observe.rs` reads the same things from the engine.

mod observe;
mod ops;

use proptest::prelude::*;

use super::reference::{Model, Setting};
use crate::Center;
use observe::{actual, agent_rows, contact_rows, expected, ids, kept_stats, log, query};
use ops::{apply, capacity, channel_op, op, routing_op, skills_from, Op, AGENTS, SKILLS};

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
        let (got, events) = actual(&mut center, &line, now);
        prop_assert_eq!(got, expected(&want), "step {} {}", i, line);
        prop_assert_eq!(events, model.take_events(), "events of step {} {}", i, line);
        prop_assert_eq!(center.check(), Vec::<String>::new(), "step {} {}", i, line);
        // Time only moves forward here, so the event log must too.
        let times: Vec<i64> = log(&center, 0).into_iter().map(|e| e.4).collect();
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
        prop_assert_eq!(
            agent_rows(&center),
            model.agent_rows(),
            "agents after {}",
            line
        );
        prop_assert_eq!(
            contact_rows(&center),
            model.contact_rows(),
            "contacts after {}",
            line
        );
        prop_assert_eq!(
            kept_stats(center.stats(now)),
            model.stats(),
            "stats after {}",
            line
        );
    }
    let bytes = center.encode();
    let copy = Center::decode(&bytes).unwrap();
    prop_assert_eq!(copy.encode(), bytes);
    prop_assert_eq!(copy.check(), Vec::<String>::new());
    Ok(())
}

/// 256 cases per test, or `PROPTEST_CASES` when set (for longer runs).
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok());
    ProptestConfig::with_cases(cases.unwrap_or(256))
}

proptest! {
    #![proptest_config(config())]

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
            prelude.extend([Op::Add(a, skills, None), Op::Ready(a)]);
        }
        compare(&prelude, &steps)?;
    }

    #[test]
    fn channels_match_reference_model(
        voice_blocks in any::<bool>(),
        staff in prop::collection::vec(
            (skills_from(&SKILLS[..2], 2, 3), capacity(3, 9)),
            AGENTS.len(),
        ),
        steps in prop::collection::vec((0i64..=3, channel_op()), 1..120),
    ) {
        // Every agent added with capacity on some channels and ready; contact ids turn over.
        let mut prelude = vec![
            Op::Configure(Setting::Retention(0)),
            Op::Configure(Setting::VoiceBlocks(voice_blocks)),
        ];
        for (a, (skills, capacity)) in staff.into_iter().enumerate() {
            prelude.extend([Op::Add(a, skills, Some(capacity)), Op::Ready(a)]);
        }
        compare(&prelude, &steps)?;
    }
}

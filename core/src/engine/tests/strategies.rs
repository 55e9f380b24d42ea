//! Scenarios for the routing strategies (`ACD.CONFIG SET strategy ...`): which eligible ready
//! agent each one picks, its tie-breaks, and how it reacts to skill changes, agent churn and
//! the passing of time.

use super::{play, reloaded, run};

#[test]
fn most_skilled_picks_the_highest_total_then_the_longest_available() {
    play(&[
        (0, "ACD.CONFIG GET strategy", "longest-available"),
        (0, "ACD.CONFIG SET strategy most-skilled", "OK"),
        (0, "ACD.AGENT.ADD a1 SKILLS 2 en=1 fr=4", "OK"),
        (0, "ACD.AGENT.ADD a2 SKILLS 2 en=5 fr=3", "OK"),
        (0, "ACD.AGENT.ADD a3 SKILLS 2 en=6 fr=2", "OK"),
        (0, "ACD.AGENT.ADD a4 SKILLS 1 en=9", "OK"),
        (1, "ACD.READY a1", "nil"),
        (2, "ACD.READY a2", "nil"),
        (3, "ACD.READY a3", "nil"),
        (4, "ACD.READY a4", "nil"),
        // fr is the rarer skill; a1 leads its line (fr=4) but totals 5; a2 and a3 total 8,
        // and a2 has been ready longer.
        (5, "ACD.ENQUEUE c1 SKILLS 2 en fr", "a2"),
        (5, "ACD.ENQUEUE c2 SKILLS 2 en fr", "a3"),
        (5, "ACD.ENQUEUE c3 SKILLS 1 en=2", "a4"),
        (5, "ACD.ENQUEUE c4 SKILLS 2 en fr", "a1"),
        (6, "ACD.COMPLETE c1", "completed"),
        (6, "ACD.COMPLETE c4", "completed"),
        // No required skill: every total is 0, so the longest available.
        (7, "ACD.ENQUEUE c5 SKILLS 0", "a2"),
        (8, "ACD.COMPLETE c5", "completed"),
        // A level change re-ranks a ready agent.
        (8, "ACD.AGENT.GRANT a1 fr=2", "OK"),
        (8, "ACD.AGENT.GRANT a2 fr=5", "OK"),
        (9, "ACD.ENQUEUE c6 SKILLS 1 fr", "a2"),
    ]);
}

#[test]
fn round_robin_takes_turns_in_registration_order() {
    play(&[
        (0, "ACD.CONFIG SET strategy round-robin", "OK"),
        (0, "ACD.AGENT.ADD a1 SKILLS 0", "OK"),
        (0, "ACD.AGENT.ADD a2 SKILLS 1 x", "OK"),
        (0, "ACD.AGENT.ADD a3 SKILLS 0", "OK"),
        (1, "ACD.READY a3", "nil"),
        (2, "ACD.READY a2", "nil"),
        (3, "ACD.READY a1", "nil"),
        // Nobody assigned yet: the cycle starts at the first registered agent.
        (4, "ACD.ENQUEUE c1 SKILLS 0", "a1"),
        (5, "ACD.COMPLETE c1", "completed"),
        (6, "ACD.ENQUEUE c2 SKILLS 0", "a2"),
        (6, "ACD.ENQUEUE c3 SKILLS 0", "a3"),
        (7, "ACD.COMPLETE c2", "completed"),
        (7, "ACD.COMPLETE c3", "completed"),
        // After a3 the cycle wraps around to a1.
        (8, "ACD.ENQUEUE c4 SKILLS 0", "a1"),
        (9, "ACD.ENQUEUE c5 SKILLS 1 x", "a2"),
        (10, "ACD.COMPLETE c5", "completed"),
        // a3 lacks x and a1 is busy: the turn comes round to a2 again.
        (11, "ACD.ENQUEUE c6 SKILLS 1 x", "a2"),
        (12, "ACD.ENQUEUE c7 SKILLS 0", "a3"),
        (13, "ACD.COMPLETE c4", "completed"),
        (13, "ACD.COMPLETE c6", "completed"),
        (13, "ACD.COMPLETE c7", "completed"),
        // An agent added again joins the end of the cycle.
        (14, "ACD.AGENT.DEL a1", "OK"),
        (14, "ACD.AGENT.ADD a1 SKILLS 0", "OK"),
        (14, "ACD.READY a1", "nil"),
        (15, "ACD.ENQUEUE c8 SKILLS 0", "a1"),
        (15, "ACD.ENQUEUE c9 SKILLS 0", "a2"),
        (15, "ACD.ENQUEUE c10 SKILLS 0", "a3"),
    ]);
}

#[test]
fn least_occupied_compares_busy_time_in_the_window() {
    play(&[
        (0, "ACD.CONFIG GET occupancy-window", "3600000"),
        (0, "ACD.CONFIG SET strategy least-occupied", "OK"),
        // One-minute window: 60 buckets of one second.
        (0, "ACD.CONFIG SET occupancy-window 60000", "OK"),
        (0, "ACD.AGENT.ADD a1 SKILLS 0", "OK"),
        (0, "ACD.AGENT.ADD a2 SKILLS 0", "OK"),
        (0, "ACD.READY a1", "nil"),
        (0, "ACD.READY a2", "nil"),
        (0, "ACD.ENQUEUE c1 SKILLS 0", "a1"),
        (5000, "ACD.COMPLETE c1", "completed"),
        // a1 was busy 5 s, a2 not at all.
        (5000, "ACD.ENQUEUE c2 SKILLS 0", "a2"),
        (6000, "ACD.COMPLETE c2", "completed"),
        // a2 busy 1 s < a1 5 s, although a1 has been ready longer.
        (7000, "ACD.ENQUEUE c3 SKILLS 0", "a2"),
        (7000, "ACD.COMPLETE c3", "completed"),
        // At 62 s, a1's first two seconds have left the window: 3 s against a2's 1 s.
        (62000, "ACD.ENQUEUE c4 SKILLS 0", "a2"),
        (62000, "ACD.COMPLETE c4", "completed"),
        // At 64 s all of a1's busy time has left it.
        (64000, "ACD.ENQUEUE c5 SKILLS 0", "a1"),
        (64000, "ACD.COMPLETE c5", "completed"),
        // A new window discards the history: longest available decides.
        (64000, "ACD.CONFIG SET occupancy-window 0", "OK"),
        (64000, "ACD.ENQUEUE c6 SKILLS 0", "a2"),
    ]);
}

#[test]
fn a_deleted_agents_busy_time_is_not_charged_to_the_next_agent() {
    let center = play(&[
        (0, "ACD.CONFIG SET strategy least-occupied", "OK"),
        (0, "ACD.CONFIG SET occupancy-window 60000", "OK"),
        (0, "ACD.AGENT.ADD a1 SKILLS 0", "OK"),
        (0, "ACD.AGENT.ADD a2 SKILLS 0", "OK"),
        (0, "ACD.READY a1", "nil"),
        (0, "ACD.READY a2", "nil"),
        (0, "ACD.ENQUEUE c1 SKILLS 0", "a1"),
        (5000, "ACD.COMPLETE c1", "completed"),
        // a1's 5 s stay in the window until they expire; a3, registered meanwhile, must not
        // be given a1's handle (its entries name it) nor its busy time.
        (5000, "ACD.AGENT.DEL a1", "OK"),
        (5000, "ACD.AGENT.ADD a3 SKILLS 0", "OK"),
        (5000, "ACD.READY a3", "nil"),
        (5000, "ACD.ENQUEUE c2 SKILLS 0", "a2"),
        (7000, "ACD.COMPLETE c2", "completed"),
        (7000, "ACD.ENQUEUE c3 SKILLS 0", "a3"),
        (8000, "ACD.COMPLETE c3", "completed"),
    ]);
    // A reload keeps no trace of a1 (its entries are not written), and ranks the same.
    let copy = reloaded(&center);
    for mut center in [center, copy] {
        // At 65 s a1's busy time and a2's first second have left: 1 s each, and a2 has been
        // ready longer. Charged a1's 5 s, a3 would rank first.
        let line = "ACD.ENQUEUE c4 SKILLS 0";
        assert_eq!(run(&mut center, line, 65000), "a2");
        assert_eq!(center.check(), Vec::<String>::new());
    }
}

#[test]
fn busy_time_of_contacts_handled_side_by_side_adds_up_and_survives_a_reload() {
    let center = play(&[
        (0, "ACD.CONFIG SET strategy least-occupied", "OK"),
        (0, "ACD.CONFIG SET occupancy-window 60000", "OK"),
        (0, "ACD.AGENT.ADD a1 SKILLS 0 CAPACITY chat=2", "OK"),
        (0, "ACD.READY a1", "nil"),
        (0, "ACD.ENQUEUE k1 SKILLS 0 CHANNEL chat", "a1"),
        (2500, "ACD.ENQUEUE k2 SKILLS 0 CHANNEL chat", "a1"),
        // k2 records 2.5-3.2 s; k1, ending later, records 0-3.5 s, seconds 2 and 3 again.
        (3200, "ACD.COMPLETE k2", "completed"),
        (3500, "ACD.COMPLETE k1", "completed"),
        (3500, "ACD.AGENT.ADD a2 SKILLS 0 CAPACITY chat=1", "OK"),
        (3500, "ACD.READY a2", "nil"),
        (3500, "ACD.ENQUEUE k3 SKILLS 0 CHANNEL chat", "a2"),
        (7600, "ACD.COMPLETE k3", "completed"),
    ]);
    let mut copy = reloaded(&center);
    for (now, line, want) in [
        // a2's 4.1 s against a1's 0.7 + 3.5 s.
        (7600, "ACD.ENQUEUE k4 SKILLS 0 CHANNEL chat", "a2"),
        (7600, "ACD.COMPLETE k4", "completed"),
        // At 62.5 s seconds 0-2 have left the window: a1 keeps 0.7 s, a2 all its 4.1 s.
        (62500, "ACD.ENQUEUE k5 SKILLS 0 CHANNEL chat", "a1"),
    ] {
        assert_eq!(run(&mut copy, line, now), want, "{line}");
        assert_eq!(copy.check(), Vec::<String>::new(), "{line}");
    }
}

#[test]
fn switching_strategy_reranks_the_ready_agents() {
    play(&[
        (0, "ACD.AGENT.ADD a1 SKILLS 1 en=1", "OK"),
        (0, "ACD.AGENT.ADD a2 SKILLS 1 en=9", "OK"),
        (1, "ACD.READY a2", "nil"),
        (2, "ACD.READY a1", "nil"),
        (3, "ACD.CONFIG SET strategy most-skilled", "OK"),
        (3, "ACD.CONFIG SET strategy round-robin", "OK"),
        (3, "ACD.CONFIG SET strategy longest-available", "OK"),
        (4, "ACD.CONFIG SET strategy round-robin", "OK"),
        (4, "ACD.ENQUEUE c1 SKILLS 1 en", "a1"),
        (5, "ACD.CONFIG SET strategy longest-available", "OK"),
        (5, "ACD.COMPLETE c1", "completed"),
        (6, "ACD.ENQUEUE c2 SKILLS 1 en", "a2"),
        (7, "ACD.COMPLETE c2", "completed"),
        (8, "ACD.CONFIG SET strategy most-skilled", "OK"),
        (8, "ACD.ENQUEUE c3 SKILLS 1 en", "a2"),
        (8, "ACD.AGENTS STATE ready", "[a1]"),
    ]);
}

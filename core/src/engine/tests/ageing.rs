//! Scenarios for priority ageing (`ACD.CONFIG SET priority-age ms`): the queue order by
//! effective priority `priority + wait / age`, its rebuild when the setting changes, and
//! `ACD.ESTIMATE` counting the contacts ahead under the same order.

use super::play;

#[test]
fn long_waiters_overtake_higher_priorities() {
    play(&[
        (0, "ACD.CONFIG SET mode manual", "OK"),
        (0, "ACD.AGENT.ADD a1 SKILLS 0", "OK"),
        (0, "ACD.ENQUEUE c1 SKILLS 0", "nil"),
        (3000, "ACD.ENQUEUE c2 SKILLS 0 PRIORITY 1", "nil"),
        (3000, "ACD.ENQUEUE c3 SKILLS 0 PRIORITY 2", "nil"),
        (5000, "ACD.ENQUEUE c4 SKILLS 0 PRIORITY 2", "nil"),
        (6000, "ACD.QUEUE", "[c3 c4 c2 c1]"),
        // One point per 2 s of waiting. At any instant (say 6000): c1 0 + 3 = 3,
        // c2 1 + 1.5 = 2.5, c3 2 + 1.5 = 3.5, c4 2 + 0.5 = 2.5; c2 and c4 tie, c2 came first.
        (6000, "ACD.CONFIG SET priority-age 2000", "OK"),
        (6000, "ACD.CONFIG GET priority-age", "2000"),
        (6000, "ACD.QUEUE", "[c3 c1 c2 c4]"),
        // The order holds as time passes (no re-sorting needed), and new contacts slot in.
        (9000, "ACD.ENQUEUE c5 SKILLS 0 PRIORITY 5", "nil"),
        (9000, "ACD.QUEUE", "[c3 c5 c1 c2 c4]"),
        (9000, "ACD.READY a1", "nil"),
        (9000, "ACD.DISPATCH", "[[c3 a1]]"),
        // Turning ageing off restores plain priority order.
        (9000, "ACD.CONFIG SET priority-age 0", "OK"),
        (9000, "ACD.QUEUE", "[c5 c4 c2 c1]"),
    ]);
}

#[test]
fn an_agent_takes_the_first_contact_in_aged_order() {
    play(&[
        (0, "ACD.CONFIG SET priority-age 1000", "OK"),
        (0, "ACD.AGENT.ADD a1 SKILLS 1 en", "OK"),
        (0, "ACD.ENQUEUE c1 SKILLS 1 en", "nil"),
        (2500, "ACD.ENQUEUE c2 SKILLS 1 en PRIORITY 2", "nil"),
        (2500, "ACD.ENQUEUE c3 SKILLS 0 PRIORITY 3", "nil"),
        // Ranks: c1 0, c2 2500 - 2000 = 500, c3 2500 - 3000 = -500.
        (2600, "ACD.QUEUE", "[c3 c1 c2]"),
        (2600, "ACD.READY a1", "c3"),
        (2700, "ACD.COMPLETE c3", "completed"),
        (
            2700,
            "ACD.AGENT.GET a1",
            r#"{"id":"a1","skills":{"en":1},"state":"busy","since":2700,"reason":null,"contact":"c1","contacts":["c1"],"capacity":{"voice":1},"meta":null}"#,
        ),
    ]);
}

#[test]
fn estimate_counts_the_contacts_ahead_in_aged_order() {
    play(&[
        (0, "ACD.AGENT.ADD a1 SKILLS 0", "OK"),
        (0, "ACD.READY a1", "nil"),
        (0, "ACD.ENQUEUE c0 SKILLS 0", "a1"),
        (100, "ACD.COMPLETE c0", "completed"),
        (100, "ACD.ENQUEUE c9 SKILLS 0", "a1"),
        (200, "ACD.ENQUEUE c1 SKILLS 0", "nil"),
        (300, "ACD.ENQUEUE c2 SKILLS 0 PRIORITY 1", "nil"),
        // One busy agent, 100 ms handle time: (ahead + 1) × 100.
        (1500, "ACD.ESTIMATE SKILLS 0 PRIORITY 1", "200"),
        (1500, "ACD.ESTIMATE SKILLS 0", "300"),
        (1500, "ACD.CONFIG SET priority-age 1000", "OK"),
        // Now a priority-1 contact arriving at 1500 ranks 500: behind c2 (-700) and c1 (200).
        (1500, "ACD.ESTIMATE SKILLS 0 PRIORITY 1", "300"),
        (1500, "ACD.ESTIMATE SKILLS 0 PRIORITY 2", "200"),
        (1500, "ACD.ESTIMATE SKILLS 0 PRIORITY 3", "100"),
    ]);
}

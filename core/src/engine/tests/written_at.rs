//! The time of the last write that took effect ([`Center::written_at`]), against which the
//! module replicates writes sent without `AT`: successful writes and failed ones that applied
//! deadlines set it; reads and failures that changed nothing do not; a loaded center keeps
//! the one it was saved with.

use super::run;
use crate::command::StateLoad;
use crate::{Center, Command};

#[test]
fn successful_writes_set_it_and_reads_and_plain_failures_do_not() {
    let mut center = Center::new();
    assert_eq!(center.written_at(), None);
    assert_eq!(run(&mut center, "ACD.AGENT.ADD a1 SKILLS 0", 5), "OK");
    assert_eq!(center.written_at(), Some(5));
    run(&mut center, "ACD.STATS", 9);
    assert_eq!(center.written_at(), Some(5), "a read");
    assert_eq!(
        run(&mut center, "ACD.READY nobody", 7),
        "NOAGENT no such agent 'nobody'"
    );
    assert_eq!(
        center.written_at(),
        Some(5),
        "a failure that changed nothing"
    );
    assert_eq!(run(&mut center, "ACD.READY a1 AT 3", 9), "nil");
    assert_eq!(
        center.written_at(),
        Some(3),
        "the command's own AT, even backwards"
    );
}

#[test]
fn a_failed_write_that_applied_deadlines_sets_it() {
    let mut center = Center::new();
    run(&mut center, "ACD.CONFIG SET max-wait 100", 0);
    assert_eq!(run(&mut center, "ACD.ENQUEUE c1 SKILLS 1 de", 0), "nil");
    assert!(run(&mut center, "ACD.READY nobody", 200).starts_with("NOAGENT"));
    assert_eq!(center.written_at(), Some(200));
}

#[test]
fn a_loaded_center_keeps_its_own() {
    let mut source = Center::new();
    run(&mut source, "ACD.AGENT.ADD a1 SKILLS 0", 42);
    let payload = source.encode();
    let copy = Center::decode(&payload).expect("decodes");
    assert_eq!(copy.written_at(), Some(42));
    let mut center = Center::new();
    run(&mut center, "ACD.AGENT.ADD b1 SKILLS 0", 7);
    let load = Command::StateLoad(StateLoad { payload });
    assert!(center.execute(&load, 99).reply.is_ok());
    assert_eq!(center.written_at(), Some(42));
}

#[test]
fn a_write_that_leaves_nothing_is_still_blank() {
    let mut center = Center::new();
    assert!(center.is_blank());
    assert_eq!(run(&mut center, "ACD.DISPATCH", 7), "[]");
    assert_eq!(center.written_at(), Some(7));
    assert!(
        center.is_blank(),
        "only its clocks differ from a new center"
    );
    run(&mut center, "ACD.AGENT.ADD a1 SKILLS 0", 8);
    assert!(!center.is_blank());
}

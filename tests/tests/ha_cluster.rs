//! Redis Cluster with the module: 3 primaries + 3 replicas, 30 centers spread over the slots and populated with
//! every kind of state (the shared scenarios). One center's slot is moved to another primary the way
//! `redis-cli --cluster reshard` moves a slot (SETSLOT IMPORTING/MIGRATING, MIGRATE, SETSLOT NODE); the center
//! keeps everything a client can read, its `DEBUG DIGEST-VALUE` included. Then that primary is SIGKILLed: its
//! replica takes over with every center it held. A `redis` cluster client routes ACD.* commands by their key
//! throughout, following ASK during the move and MOVED after the failover.

use std::time::{Duration, Instant};

use acd_tests::ha::{poll, report, Cluster};
use acd_tests::scenario::{Snapshot, SCENARIOS};
use acd_tests::{error_text, Conn};
use redis::Value;

const CENTERS: usize = 30;
const NODE_TIMEOUT_MS: u64 = 1000;
const FAILOVER_LIMIT: Duration = Duration::from_secs(10);

fn center(i: usize) -> String {
    format!("center:{i}")
}

/// One command through the cluster client.
fn routed(con: &mut redis::cluster::ClusterConnection, args: &[&str]) -> Value {
    let mut cmd = redis::Cmd::new();
    for a in args {
        cmd.arg(*a);
    }
    match cmd.query::<Value>(con) {
        Ok(v) => v,
        Err(e) => panic!("`{}` through the cluster client: {e}", args.join(" ")),
    }
}

fn assert_check_ok(reply: Value, key: &str, how: &str) {
    assert!(
        matches!(&reply, Value::Okay) || matches!(&reply, Value::SimpleString(s) if s == "OK"),
        "ACD.CHECK {key} {how}: {reply:?}"
    );
}

#[test]
fn cluster_centers_survive_a_slot_move_and_a_primary_failover() {
    let started = Instant::now();
    let mut cluster = Cluster::start(3, 1, NODE_TIMEOUT_MS);
    eprintln!("cluster of 6 created and synced in {:?}", started.elapsed());

    // 30 centers, each on the primary that owns its slot.
    let keys: Vec<String> = (0..CENTERS).map(center).collect();
    let owners: Vec<usize> = keys
        .iter()
        .map(|k| cluster.owner(cluster.slot_of(k)))
        .collect();
    let mut used: Vec<usize> = owners.clone();
    used.sort_unstable();
    used.dedup();
    assert_eq!(used.len(), 3, "the centers spread over all three primaries");
    for (i, key) in keys.iter().enumerate() {
        let mut con = cluster.conn(owners[i]);
        (SCENARIOS[i % SCENARIOS.len()].populate)(&mut con, key);
    }
    for p in cluster.primaries() {
        assert_eq!(cluster.conn(p).int("WAIT 1 5000"), 1, "node {p}'s replica");
    }
    let before: Vec<Snapshot> = keys
        .iter()
        .zip(&owners)
        .map(|(key, &owner)| Snapshot::take(&mut cluster.conn(owner), key))
        .collect();

    // The cluster client routes every center to its owner.
    let mut routed_con = cluster
        .client()
        .get_connection()
        .expect("cluster connection");
    for key in &keys {
        assert_check_ok(routed(&mut routed_con, &["ACD.CHECK", key]), key, "routed");
    }

    // Move the slot of center:0 to another primary.
    let moved = &keys[0];
    let slot = cluster.slot_of(moved);
    let from = owners[0];
    let to = *cluster
        .primaries()
        .iter()
        .find(|&&p| p != from)
        .expect("another primary");
    let move_started = Instant::now();
    cluster.move_slot(slot, from, to, || {
        // The key has left the source but the slot is still the source's: clients are sent on with ASK.
        let reply = cluster.conn(from).call(["ACD.CHECK", moved]);
        let redirect = error_text(&reply).unwrap_or_default();
        assert!(
            redirect.starts_with("ASK"),
            "source during the move: {reply:?}"
        );
        assert_check_ok(
            routed(&mut routed_con, &["ACD.CHECK", moved]),
            moved,
            "routed during the move (ASK)",
        );
    });
    report(&format!(
        "ha_cluster: slot {slot} of {moved} moved from node {from} to node {to} in {:?}",
        move_started.elapsed()
    ));
    assert_eq!(
        cluster
            .conn(from)
            .int(["CLUSTER", "COUNTKEYSINSLOT", &slot.to_string()]),
        0
    );
    let mut target = cluster.conn(to);
    target.ok(["ACD.CHECK", moved]);
    Snapshot::take(&mut target, moved).assert_same(&before[0], "after the slot move");
    assert_check_ok(
        routed(&mut routed_con, &["ACD.CHECK", moved]),
        moved,
        "routed after the move (MOVED)",
    );
    assert_eq!(
        target.int("WAIT 1 5000"),
        1,
        "the target's replica has the moved center"
    );

    // Kill the primary that now holds center:0; its replica must take over with every center it held.
    let victim = to;
    let replica = cluster.replica_of(victim);
    let held: Vec<usize> = (0..CENTERS)
        .filter(|&i| i == 0 || owners[i] == victim)
        .collect();
    let probe = format!("{{{moved}}}:probe");
    let mut replica_con: Conn = cluster.conn(replica);
    cluster.kill(victim);
    let killed = Instant::now();
    let promoted = poll(FAILOVER_LIMIT, || {
        matches!(replica_con.call(["SET", probe.as_str(), "1"]), Value::Okay).then(Instant::now)
    });
    let Some(promoted) = promoted else {
        panic!(
            "node {replica} did not accept writes within {FAILOVER_LIMIT:?} of killing its primary {victim}"
        );
    };
    report(&format!(
        "ha_cluster: primary {victim} killed: its replica {replica} accepted writes after {:?}",
        promoted - killed
    ));
    cluster.wait_until_ok(Duration::from_secs(10));
    for &i in &held {
        let mut con = cluster.conn(replica);
        con.ok(["ACD.CHECK", keys[i].as_str()]);
        Snapshot::take(&mut con, &keys[i]).assert_same(&before[i], "on the promoted replica");
    }
    eprintln!(
        "{} centers held by the killed primary are intact on its replica",
        held.len()
    );

    // A fresh cluster client finds every center, and writes to the moved one.
    let mut con = cluster
        .client()
        .get_connection()
        .expect("cluster connection");
    for key in &keys {
        assert_check_ok(
            routed(&mut con, &["ACD.CHECK", key]),
            key,
            "routed after the failover",
        );
    }
    let reply = routed(
        &mut con,
        &["ACD.ENQUEUE", moved, "after-failover", "SKILLS", "0"],
    );
    assert!(
        error_text(&reply).is_none(),
        "ENQUEUE after the failover: {reply:?}"
    );
    let contact = routed(&mut con, &["ACD.CONTACT.GET", moved, "after-failover"]);
    assert!(matches!(contact, Value::BulkString(_)), "{contact:?}");
    assert_check_ok(
        routed(&mut con, &["ACD.CHECK", moved]),
        moved,
        "after a write",
    );
    eprintln!("cluster test took {:?}", started.elapsed());
}

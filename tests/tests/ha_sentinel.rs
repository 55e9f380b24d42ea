//! Sentinel failover behind HAProxy: a primary and a replica with the module, three Sentinels
//! (`down-after-milliseconds 1000`), and `haproxy/haproxy-loopback.cfg` in front, whose check (AUTH, PING,
//! `INFO replication` expecting `role:master`) sends clients only to the primary. A client writes
//! ACD.ENQUEUE/ACD.COMPLETE through HAProxy, each followed by `WAIT 1 100`; the primary is SIGKILLed. Writes must
//! succeed again through HAProxy within 5 s, and every write that WAIT acknowledged must be on the new primary,
//! which must pass ACD.CHECK.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use acd_tests::ha::{poll, report, Backends, HaProxy, SentinelConfig, Sentinels};
use acd_tests::{Conn, RedisServer, Stop};
use redis::Value;

const PASSWORD: &str = "acd-ha-secret";
const CENTER: &str = "center:ha";
const AGENTS: usize = 5;
const DOWN_AFTER_MS: u64 = 1000;
/// Acknowledged writes to have before the kill.
const ACKED_BEFORE_KILL: usize = 200;
/// Successful writes to see after recovery before stopping the client.
const WRITES_AFTER_RECOVERY: usize = 10;
const OUTAGE_LIMIT: Duration = Duration::from_secs(5);

/// One ACD write the client sent.
#[derive(Debug, Clone)]
struct Write {
    contact: String,
    complete: bool,
    started: Instant,
    /// When the write's reply arrived (before its WAIT).
    finished: Instant,
    succeeded: bool,
    /// WAIT 1 100 answered 1: the replica has it.
    acknowledged: bool,
}

/// What the client loop shares with the test.
#[derive(Default)]
struct Log {
    writes: Mutex<Vec<Write>>,
    stop: AtomicBool,
}

impl Log {
    fn acked(&self) -> usize {
        self.writes
            .lock()
            .unwrap()
            .iter()
            .filter(|w| w.acknowledged)
            .count()
    }

    /// The first successful write started after `t`, and how many succeeded after it.
    fn recovery_after(&self, t: Instant) -> Option<(Write, usize)> {
        let writes = self.writes.lock().unwrap();
        let mut after = writes.iter().filter(|w| w.started > t && w.succeeded);
        let first = after.next()?.clone();
        Some((first, after.count()))
    }
}

fn url(port: u16) -> String {
    format!("redis://:{PASSWORD}@127.0.0.1:{port}/")
}

/// ENQUEUE then COMPLETE, contact after contact, each followed by `WAIT 1 100`, through HAProxy. A failed write
/// drops the connection and moves to the next contact id (so no id is ever written twice).
fn client_loop(haproxy_port: u16, log: Arc<Log>) {
    let client = redis::Client::open(url(haproxy_port)).expect("valid URL");
    let mut con: Option<redis::Connection> = None;
    let mut n = 0u64;
    while !log.stop.load(Ordering::Relaxed) {
        let Some(c) = con.as_mut() else {
            match client.get_connection_with_timeout(Duration::from_millis(200)) {
                Ok(c) => {
                    c.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
                    con = Some(c);
                }
                // No server behind HAProxy: it closes the connection; retry shortly.
                Err(_) => thread::sleep(Duration::from_millis(10)),
            }
            continue;
        };
        n += 1;
        let contact = format!("c{n}");
        for complete in [false, true] {
            let started = Instant::now();
            let mut command = if complete {
                redis::cmd("ACD.COMPLETE")
            } else {
                let mut enqueue = redis::cmd("ACD.ENQUEUE");
                enqueue.arg(CENTER).arg(&contact).arg("SKILLS").arg(0);
                enqueue
            };
            if complete {
                command.arg(CENTER).arg(&contact);
            }
            let succeeded = command.query::<Value>(c).is_ok();
            let finished = Instant::now();
            let acknowledged = succeeded
                && redis::cmd("WAIT")
                    .arg(1)
                    .arg(100)
                    .query::<i64>(c)
                    .is_ok_and(|replicas| replicas >= 1);
            log.writes.lock().unwrap().push(Write {
                contact: contact.clone(),
                complete,
                started,
                finished,
                succeeded,
                acknowledged,
            });
            if !succeeded {
                con = None;
                break;
            }
        }
    }
}

fn set_password(server: &RedisServer) {
    let mut c = server.conn();
    c.ok(["CONFIG", "SET", "masterauth", PASSWORD]);
    c.ok(["CONFIG", "SET", "requirepass", PASSWORD]);
}

#[test]
fn sentinel_failover_behind_haproxy_loses_no_acknowledged_write() {
    let t_setup = Instant::now();
    let mut primary = RedisServer::start();
    let replica = RedisServer::builder().replica_of(primary.port()).start();
    replica.wait_for_master_link();
    // The fixture's readiness check has no password, so the password is set once both servers run; the
    // replication link, already authenticated, stays up.
    set_password(&replica);
    set_password(&primary);

    let sentinels = Sentinels::start(
        3,
        SentinelConfig {
            master_name: "acd".into(),
            primary_port: primary.port(),
            quorum: 2,
            down_after_ms: DOWN_AFTER_MS,
            auth_pass: Some(PASSWORD.into()),
        },
    );
    let haproxy = HaProxy::start_loopback(
        "lb-test",
        &Backends {
            redis: [primary.port(), replica.port()].map(|p| format!("127.0.0.1:{p}")),
            // No REST servers in this test: their checks fail, which the Redis side ignores.
            rest: ["127.0.0.1:9".into(), "127.0.0.1:9".into()],
            redis_password: Some(PASSWORD.into()),
        },
    );

    let mut setup = Conn::open(&url(primary.port()));
    for a in 1..=AGENTS {
        setup.ok(format!("ACD.AGENT.ADD {CENTER} a{a} SKILLS 0"));
    }
    setup.ok(format!("ACD.OPEN {CENTER}"));
    sentinels.wait_until_ready(1, Duration::from_secs(15));
    eprintln!("setup took {:?}", t_setup.elapsed());

    let log = Arc::new(Log::default());
    let writer = {
        let log = Arc::clone(&log);
        let port = haproxy.redis.port();
        thread::spawn(move || client_loop(port, log))
    };
    // A panic below must still stop the client thread.
    struct StopOnDrop(Arc<Log>);
    impl Drop for StopOnDrop {
        fn drop(&mut self) {
            self.0.stop.store(true, Ordering::Relaxed);
        }
    }
    let _stop = StopOnDrop(Arc::clone(&log));

    let enough = poll(Duration::from_secs(20), || {
        (log.acked() >= ACKED_BEFORE_KILL).then_some(())
    });
    assert!(
        enough.is_some(),
        "only {} writes acknowledged through HAProxy\n{}",
        log.acked(),
        haproxy.log_tail(20)
    );

    primary.stop(Stop::Kill);
    let killed = Instant::now();

    let recovered = poll(Duration::from_secs(15), || {
        log.recovery_after(killed)
            .filter(|(_, more)| *more >= WRITES_AFTER_RECOVERY)
    });
    log.stop.store(true, Ordering::Relaxed);
    writer.join().expect("client thread");
    let Some((first, _)) = recovered else {
        panic!(
            "no write succeeded through HAProxy within 15 s of the kill\n{}\n{}",
            haproxy.log_tail(30),
            sentinels.log_tails(15)
        );
    };
    let outage = first.finished - killed;

    let writes = log.writes.lock().unwrap().clone();
    let acked: Vec<&Write> = writes.iter().filter(|w| w.acknowledged).collect();
    let failed = writes.iter().filter(|w| !w.succeeded).count();
    report(&format!(
        "ha_sentinel: writes: {} sent, {} failed, {} acknowledged by WAIT 1; outage after SIGKILL of the primary: \
         {outage:?} (first write through HAProxy that succeeded was sent {:?} after the kill)",
        writes.len(),
        failed,
        acked.len(),
        first.started - killed
    ));
    assert!(
        outage < OUTAGE_LIMIT,
        "writes through HAProxy resumed only after {outage:?}\n{}",
        sentinels.log_tails(15)
    );

    // Sentinel promoted the replica; every acknowledged write is there.
    let promoted = poll(Duration::from_secs(5), || sentinels.primary_port());
    assert_eq!(promoted, Some(replica.port()), "Sentinel's primary");
    let mut new_primary = Conn::open(&url(replica.port()));
    assert_eq!(
        new_primary.info_field("replication", "role").as_deref(),
        Some("master")
    );
    for write in &acked {
        let contact = new_primary.json(["ACD.CONTACT.GET", CENTER, &write.contact]);
        if write.complete {
            assert_eq!(
                contact["state"], "completed",
                "acknowledged COMPLETE of {} is missing: {contact}",
                write.contact
            );
        }
    }
    new_primary.ok(["ACD.CHECK", CENTER]);
    let agents = new_primary.strings(["ACD.AGENTS", CENTER]);
    assert_eq!(agents.len(), AGENTS, "agents on the new primary");
}

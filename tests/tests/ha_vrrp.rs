//! The HAProxy pair under keepalived: two load-balancer namespaces run `haproxy/haproxy-loopback.cfg` and
//! `haproxy/keepalived.conf` unchanged (config ids `lb-a` and `lb-b`), sharing the VIP; a backend namespace serves
//! `/health` on the two REST ports; a client namespace requests `http://VIP:8000/health`, a new connection each
//! time. The MASTER's HAProxy is SIGKILLed: its track script fails, it goes to FAULT and drops the VIP, the
//! BACKUP takes it, and the client is served by the other HAProxy (the `X-ACD-LB` header says which).
//!
//! Every address lives only inside namespaces this test creates; they are deleted when it ends, also on
//! failure. Where the kernel or the permissions refuse network namespaces, the test prints why and passes as
//! skipped.

use std::fs;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use acd_tests::ha::{
    poll, report, require_tool, Backends, Daemon, HaProxy, Keepalived, Lan, LB_A, LB_B,
    SUBNET_BITS, VIP,
};

const BACKEND: &str = "172.29.10.20";
const CLIENT: &str = "172.29.10.30";
const GAP_LIMIT: Duration = Duration::from_secs(5);
/// The prober stops by itself after this long, whatever happens to the test.
const PROBE_BUDGET: Duration = Duration::from_secs(30);

/// A stand-in for the two acd-rest servers: answers `GET /health` with 200 on ports 8000 and 8001.
const BACKEND_CFG: &str = "\
defaults
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 5s
frontend rest
    bind :8000
    bind :8001
    http-request return status 200 content-type text/plain string ok
";

/// One request from the client namespace through the VIP.
#[derive(Debug, Clone)]
struct Probe {
    sent: Instant,
    answered: Instant,
    /// Which load balancer served a 200 (`X-ACD-LB`); None when the request failed.
    lb: Option<String>,
}

#[test]
fn vip_moves_to_the_backup_haproxy_when_the_master_haproxy_dies() {
    for (tool, package) in [
        ("haproxy", "haproxy"),
        ("keepalived", "keepalived"),
        ("curl", "curl"),
    ] {
        require_tool(tool, package);
    }
    let cidr = |addr: &str| format!("{addr}/{SUBNET_BITS}");
    let lan = match Lan::create(&[
        ("lba", &cidr(LB_A)),
        ("lbb", &cidr(LB_B)),
        ("be", &cidr(BACKEND)),
        ("cl", &cidr(CLIENT)),
    ]) {
        Ok(lan) => lan,
        Err(reason) => {
            report(&format!(
                "SKIPPED vip_moves_to_the_backup_haproxy_when_the_master_haproxy_dies: {reason}"
            ));
            return;
        }
    };
    let started = Instant::now();

    let stub_dir = tempfile::tempdir().expect("temporary directory");
    fs::write(stub_dir.path().join("backend.cfg"), BACKEND_CFG).expect("write backend.cfg");
    let mut stub = lan.command("be", "haproxy");
    stub.arg("-db")
        .arg("-f")
        .arg(stub_dir.path().join("backend.cfg"));
    let _backend = Daemon::spawn("backend stub", stub, &stub_dir.path().join("backend.log"));
    let backend_up = poll(Duration::from_secs(10), || {
        lan.curl("be", "http://127.0.0.1:8000/health", 1.0)
    });
    assert!(backend_up.is_some(), "the backend stub did not start");

    let backends = Backends {
        // No Redis in this test: those checks fail, which the HTTP side ignores.
        redis: ["127.0.0.1:1".into(), "127.0.0.1:2".into()],
        rest: [format!("{BACKEND}:8000"), format!("{BACKEND}:8001")],
        redis_password: None,
    };
    let mut haproxies = [
        HaProxy::start_in(&lan, "lba", "lb-a", &backends),
        HaProxy::start_in(&lan, "lbb", "lb-b", &backends),
    ];
    // Each HAProxy must see its REST servers UP before the measurement, or the gap would include that.
    for (node, addr, name) in [("lba", LB_A, "lb-a"), ("lbb", LB_B, "lb-b")] {
        let served = poll(Duration::from_secs(10), || {
            lan.curl("cl", &format!("http://{addr}:8000/health"), 0.5)
                .filter(|r| r.status == 200 && r.header("x-acd-lb") == Some(name))
        });
        assert!(
            served.is_some(),
            "{node}'s HAProxy does not serve the REST backends"
        );
    }

    let keepalived = [
        Keepalived::start(&lan, "lba", "lb-a"),
        Keepalived::start(&lan, "lbb", "lb-b"),
    ];
    let logs = || {
        keepalived
            .iter()
            .map(|k| k.log_tail(25))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let vip_holder = || match (lan.has_address("lba", VIP), lan.has_address("lbb", VIP)) {
        (true, false) => Some(0),
        (false, true) => Some(1),
        _ => None,
    };
    let Some(master) = poll(Duration::from_secs(15), vip_holder) else {
        panic!("no single node took the VIP\n{}", logs());
    };
    let backup = 1 - master;
    let names = ["lb-a", "lb-b"];
    let nodes = ["lba", "lbb"];
    let vip_url = format!("http://{VIP}:8000/health");
    let through_vip = poll(Duration::from_secs(10), || {
        lan.curl("cl", &vip_url, 0.5)
            .filter(|r| r.header("x-acd-lb") == Some(names[master]))
    });
    assert!(
        through_vip.is_some(),
        "the client cannot reach {} through the VIP",
        names[master]
    );
    eprintln!(
        "VIP {VIP} on {} (setup {:?})",
        names[master],
        started.elapsed()
    );

    let probes = Mutex::new(Vec::<Probe>::new());
    let stop = AtomicBool::new(false);
    let killed = thread::scope(|scope| {
        scope.spawn(|| {
            let begin = Instant::now();
            while !stop.load(Ordering::Relaxed) && begin.elapsed() < PROBE_BUDGET {
                let sent = Instant::now();
                let lb = lan
                    .curl("cl", &vip_url, 0.3)
                    .filter(|r| r.status == 200)
                    .and_then(|r| r.header("x-acd-lb").map(str::to_string));
                probes.lock().unwrap().push(Probe {
                    sent,
                    answered: Instant::now(),
                    lb,
                });
            }
        });
        // However the code below ends, the prober stops.
        struct Stop<'a>(&'a AtomicBool);
        impl Drop for Stop<'_> {
            fn drop(&mut self) {
                self.0.store(true, Ordering::Relaxed);
            }
        }
        let _stop = Stop(&stop);

        let served_before = poll(Duration::from_secs(5), || {
            (probes
                .lock()
                .unwrap()
                .iter()
                .filter(|p| p.lb.is_some())
                .count()
                >= 5)
                .then_some(())
        });
        assert!(
            served_before.is_some(),
            "the prober was not served before the kill"
        );
        haproxies[master].kill();
        let killed = Instant::now();
        let moved = poll(Duration::from_secs(15), || {
            let probes = probes.lock().unwrap();
            let after: Vec<&Probe> = probes.iter().filter(|p| p.sent > killed).collect();
            let by_backup = after
                .iter()
                .filter(|p| p.lb.as_deref() == Some(names[backup]))
                .count();
            (by_backup >= 5).then_some(())
        });
        assert!(
            moved.is_some(),
            "the client was not served by {} after the kill\n{}",
            names[backup],
            logs()
        );
        killed
    });

    let probes = probes.into_inner().unwrap();
    let first_backup = probes
        .iter()
        .find(|p| p.sent > killed && p.lb.as_deref() == Some(names[backup]))
        .expect("a probe served by the backup");
    let last_master = probes
        .iter()
        .filter(|p| p.lb.as_deref() == Some(names[master]))
        .map(|p| p.answered)
        .max()
        .expect("a probe served by the master");
    let failed = probes
        .iter()
        .filter(|p| p.sent > killed && p.lb.is_none())
        .count();
    let gap = first_backup.answered - killed;
    report(&format!(
        "ha_vrrp: HAProxy {} killed: client served by {} after {gap:?} (last answer from {} {:?} before the kill; \
         {failed} requests failed in between; {} requests in all)",
        names[master],
        names[backup],
        names[master],
        killed.saturating_duration_since(last_master),
        probes.len()
    ));
    assert!(
        probes
            .iter()
            .filter(|p| p.sent > killed)
            .all(|p| p.lb.as_deref() != Some(names[master])),
        "the killed HAProxy still answered"
    );
    assert!(gap < GAP_LIMIT, "the VIP took {gap:?} to move\n{}", logs());
    assert!(
        lan.has_address(nodes[backup], VIP),
        "the backup holds the VIP"
    );
    let released = poll(Duration::from_secs(5), || {
        (!lan.has_address(nodes[master], VIP)).then_some(())
    });
    assert!(
        released.is_some(),
        "the failed node still holds the VIP\n{}",
        logs()
    );
    eprintln!("VRRP test took {:?}", started.elapsed());
}

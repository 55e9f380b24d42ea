//! [`Sentinels`]: a group of Redis Sentinels on free loopback ports watching one primary, each started from a
//! writable config file of its own (Sentinel rewrites it), stopped on drop.

use std::fmt::Write as _;
use std::fs;
use std::process::Command;
use std::time::Duration;

use redis::Value;

use super::daemon::{free_port, poll, Daemon};
use crate::{error_text, Conn};

/// The redis-server binary; `--sentinel` makes it a Sentinel.
const REDIS_SERVER: &str = "/usr/bin/redis-server";
/// How long a Sentinel may take to answer PING.
const START_DEADLINE: Duration = Duration::from_secs(10);
/// How many fresh ports to try when one was taken between probing and binding.
const PORT_ATTEMPTS: usize = 5;

/// What the Sentinels watch and how quickly they act.
#[derive(Debug, Clone)]
pub struct SentinelConfig {
    /// The monitored group's name (`sentinel monitor <name> ...`).
    pub master_name: String,
    /// The primary's loopback port.
    pub primary_port: u16,
    /// How many Sentinels must agree the primary is down.
    pub quorum: usize,
    /// `down-after-milliseconds`: silence before a Sentinel considers the primary down.
    pub down_after_ms: u64,
    /// `auth-pass`: the password of the monitored servers, if they have one.
    pub auth_pass: Option<String>,
}

/// One Sentinel process.
#[derive(Debug)]
struct Sentinel {
    port: u16,
    daemon: Daemon,
    _dir: tempfile::TempDir,
}

/// Several Sentinels watching the same primary.
#[derive(Debug)]
pub struct Sentinels {
    config: SentinelConfig,
    sentinels: Vec<Sentinel>,
}

impl Sentinels {
    /// Starts `count` Sentinels and waits until each answers PING.
    pub fn start(count: usize, config: SentinelConfig) -> Sentinels {
        let sentinels = (0..count).map(|i| start_one(i, &config)).collect();
        Sentinels { config, sentinels }
    }

    /// Waits until every Sentinel knows all the others and `replicas` replicas, so a failover can get its
    /// quorum and has a replica to promote (Sentinels find each other through hello messages every 2 s).
    pub fn wait_until_ready(&self, replicas: usize, timeout: Duration) {
        let others = self.sentinels.len() - 1;
        for sentinel in &self.sentinels {
            let mut con = Conn::open(&format!("redis://127.0.0.1:{}/", sentinel.port));
            let ready = poll(timeout, || {
                let fields = master_fields(&mut con, &self.config.master_name)?;
                let field = |name: &str| {
                    fields
                        .iter()
                        .find(|(k, _)| k == name)
                        .map(|(_, v)| v.as_str())
                };
                (field("num-other-sentinels") == Some(&others.to_string())
                    && field("num-slaves") == Some(&replicas.to_string()))
                .then_some(())
            });
            assert!(
                ready.is_some(),
                "Sentinel on port {} did not see {others} other Sentinels and {replicas} replicas within \
                 {timeout:?}: {:?}\n{}",
                sentinel.port,
                master_fields(&mut con, &self.config.master_name),
                sentinel.daemon.log_tail(20)
            );
        }
    }

    /// The primary's port as `SENTINEL get-master-addr-by-name` reports it, if every Sentinel agrees.
    pub fn primary_port(&self) -> Option<u16> {
        let ports: Vec<Option<u16>> = self
            .sentinels
            .iter()
            .map(|s| {
                let mut con = Conn::open(&format!("redis://127.0.0.1:{}/", s.port));
                let addr = con.call([
                    "SENTINEL",
                    "get-master-addr-by-name",
                    &self.config.master_name,
                ]);
                match addr {
                    Value::Array(parts) if parts.len() == 2 => match &parts[1] {
                        Value::BulkString(port) => String::from_utf8_lossy(port).parse().ok(),
                        _ => None,
                    },
                    _ => None,
                }
            })
            .collect();
        let first = *ports.first()?;
        ports.iter().all(|p| *p == first).then_some(first).flatten()
    }

    /// The last lines of every Sentinel's log (`+sdown`, `+odown`, `+switch-master` ...).
    pub fn log_tails(&self, lines: usize) -> String {
        self.sentinels
            .iter()
            .map(|s| s.daemon.log_tail(lines))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// `SENTINEL MASTER <name>` as name/value pairs; None on an error reply.
fn master_fields(con: &mut Conn, name: &str) -> Option<Vec<(String, String)>> {
    let reply = con.call(["SENTINEL", "MASTER", name]);
    if error_text(&reply).is_some() {
        return None;
    }
    let Value::Array(flat) = reply else {
        return None;
    };
    let text = |v: &Value| match v {
        Value::BulkString(b) => Some(String::from_utf8_lossy(b).into_owned()),
        _ => None,
    };
    flat.chunks(2)
        .map(|kv| Some((text(&kv[0])?, text(kv.get(1)?)?)))
        .collect()
}

fn start_one(index: usize, config: &SentinelConfig) -> Sentinel {
    let mut last_log = String::new();
    for _ in 0..PORT_ATTEMPTS {
        let dir = tempfile::Builder::new()
            .prefix("acd-sentinel-")
            .tempdir()
            .expect("create a temporary directory for a Sentinel");
        let port = free_port();
        let conf = dir.path().join("sentinel.conf");
        fs::write(&conf, sentinel_conf(port, dir.path(), config)).expect("write sentinel.conf");
        let mut command = Command::new(REDIS_SERVER);
        command.arg(&conf).arg("--sentinel");
        let mut daemon = Daemon::spawn(
            &format!("sentinel {index}"),
            command,
            &dir.path().join("sentinel.log"),
        );
        let url = format!("redis://127.0.0.1:{port}/");
        let up = poll(START_DEADLINE, || {
            if daemon.exited().is_some() {
                return Some(false);
            }
            ping(&url).then_some(true)
        });
        if up == Some(true) {
            return Sentinel {
                port,
                daemon,
                _dir: dir,
            };
        }
        last_log = daemon.log_tail(20);
        if !last_log.contains("Address already in use") {
            panic!("Sentinel did not start\n{last_log}");
        }
    }
    panic!("Sentinel found no free port in {PORT_ATTEMPTS} attempts\n{last_log}");
}

/// A Sentinel config. Redis config files allow no trailing comments, so there are none.
fn sentinel_conf(port: u16, dir: &std::path::Path, config: &SentinelConfig) -> String {
    let name = &config.master_name;
    let mut conf = String::new();
    let _ = writeln!(conf, "port {port}");
    let _ = writeln!(conf, "bind 127.0.0.1");
    let _ = writeln!(conf, "daemonize no");
    let _ = writeln!(conf, "dir {}", dir.display());
    let _ = writeln!(
        conf,
        "sentinel monitor {name} 127.0.0.1 {} {}",
        config.primary_port, config.quorum
    );
    let _ = writeln!(
        conf,
        "sentinel down-after-milliseconds {name} {}",
        config.down_after_ms
    );
    let _ = writeln!(conf, "sentinel failover-timeout {name} 10000");
    let _ = writeln!(conf, "sentinel parallel-syncs {name} 1");
    if let Some(password) = &config.auth_pass {
        let _ = writeln!(conf, "sentinel auth-pass {name} {password}");
    }
    conf
}

fn ping(url: &str) -> bool {
    let Ok(client) = redis::Client::open(url) else {
        return false;
    };
    let Ok(mut con) = client.get_connection_with_timeout(Duration::from_millis(500)) else {
        return false;
    };
    matches!(redis::cmd("PING").query::<String>(&mut con), Ok(pong) if pong == "PONG")
}

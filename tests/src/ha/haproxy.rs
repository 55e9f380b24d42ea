//! [`HaProxy`]: the repository's `haproxy/haproxy-loopback.cfg`, run unchanged with its addresses in the
//! environment, either on free loopback ports or inside a network namespace of a [`Lan`].

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Command;
use std::time::Duration;

use super::daemon::{free_port, haproxy_dir, poll, require_tool, Daemon};
use super::netns::Lan;

/// How long HAProxy may take to answer its own health endpoint after starting.
const START_DEADLINE: Duration = Duration::from_secs(10);
/// How many sets of fresh ports to try when one was taken between probing and binding.
const PORT_ATTEMPTS: usize = 5;

/// The backends one HAProxy sends traffic to.
#[derive(Debug, Clone)]
pub struct Backends {
    /// The two Redis servers (`host:port`); the check sends clients to whichever is the primary.
    pub redis: [String; 2],
    /// The two REST servers (`host:port`), checked with `GET /health`.
    pub rest: [String; 2],
    /// `REDIS_PASSWORD`: when set, the Redis check authenticates first.
    pub redis_password: Option<String>,
}

/// A running HAProxy and the addresses of its frontends.
#[derive(Debug)]
pub struct HaProxy {
    daemon: Daemon,
    _dir: tempfile::TempDir,
    /// The Redis frontend.
    pub redis: SocketAddr,
    /// The REST (HTTP) frontend.
    pub rest: SocketAddr,
    /// The stats page (`/stats`).
    pub stats: SocketAddr,
    /// HAProxy's own health endpoint (`/health`), which keepalived polls.
    pub monitor: SocketAddr,
}

impl HaProxy {
    /// Starts HAProxy on free loopback ports and waits until its health endpoint answers.
    pub fn start_loopback(name: &str, backends: &Backends) -> HaProxy {
        require_tool("haproxy", "haproxy");
        let mut last_log = String::new();
        for _ in 0..PORT_ATTEMPTS {
            let [redis, rest, stats, monitor] =
                [(); 4].map(|_| SocketAddr::from(([127, 0, 0, 1], free_port())));
            let dir = temp_dir();
            let command = haproxy_command(
                Command::new("haproxy"),
                name,
                backends,
                &[redis, rest, stats, monitor],
            );
            let mut daemon = Daemon::spawn(name, command, &dir.path().join("haproxy.log"));
            let started = poll(START_DEADLINE, || {
                if daemon.exited().is_some() {
                    return Some(false);
                }
                (http_get(monitor, "/health").map(|r| r.status) == Some(200)).then_some(true)
            });
            match started {
                Some(true) => {
                    return HaProxy {
                        daemon,
                        _dir: dir,
                        redis,
                        rest,
                        stats,
                        monitor,
                    }
                }
                _ => {
                    last_log = daemon.log_tail(20);
                    if !last_log.contains("cannot bind")
                        && !last_log.contains("Address already in use")
                    {
                        panic!("haproxy did not start\n{last_log}");
                    }
                }
            }
        }
        panic!("haproxy found no free ports in {PORT_ATTEMPTS} attempts\n{last_log}");
    }

    /// Starts HAProxy inside `node` of `lan` on the production ports: REST on every address (so it serves the
    /// VIP wherever keepalived puts it) port 8000, Redis 127.0.0.1:12000, stats 127.0.0.1:8404 and the health
    /// endpoint 127.0.0.1:8405 that `haproxy/keepalived.conf` polls.
    pub fn start_in(lan: &Lan, node: &str, name: &str, backends: &Backends) -> HaProxy {
        require_tool("haproxy", "haproxy");
        let binds = [
            SocketAddr::from(([127, 0, 0, 1], 12000)),
            SocketAddr::from(([0, 0, 0, 0], 8000)),
            SocketAddr::from(([127, 0, 0, 1], 8404)),
            SocketAddr::from(([127, 0, 0, 1], 8405)),
        ];
        let dir = temp_dir();
        let command = haproxy_command(lan.command(node, "haproxy"), name, backends, &binds);
        let mut daemon = Daemon::spawn(name, command, &dir.path().join("haproxy.log"));
        let started = poll(START_DEADLINE, || {
            if daemon.exited().is_some() {
                return Some(false);
            }
            lan.curl(node, "http://127.0.0.1:8405/health", 1.0)
                .is_some()
                .then_some(true)
        });
        assert_eq!(
            started,
            Some(true),
            "haproxy did not start in {node}\n{}",
            daemon.log_tail(20)
        );
        let [redis, rest, stats, monitor] = binds;
        HaProxy {
            daemon,
            _dir: dir,
            redis,
            rest,
            stats,
            monitor,
        }
    }

    /// SIGKILL: the failure the tests inject.
    pub fn kill(&mut self) {
        self.daemon.kill();
    }

    /// The last lines of HAProxy's log (it logs every connection and server state change).
    pub fn log_tail(&self, lines: usize) -> String {
        self.daemon.log_tail(lines)
    }
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("acd-haproxy-")
        .tempdir()
        .expect("create a temporary directory for haproxy")
}

/// `haproxy -db -f haproxy-loopback.cfg` with the environment the config reads.
fn haproxy_command(
    mut command: Command,
    name: &str,
    backends: &Backends,
    binds: &[SocketAddr; 4],
) -> Command {
    let [redis, rest, stats, monitor] = binds.map(|a| a.to_string());
    command
        .arg("-db")
        .arg("-f")
        .arg(haproxy_dir().join("haproxy-loopback.cfg"))
        .env("ACD_LB_NAME", name)
        .env("ACD_REDIS_BIND", redis)
        .env("ACD_REST_BIND", rest)
        .env("ACD_STATS_BIND", stats)
        .env("ACD_MONITOR_BIND", monitor)
        .env("ACD_REDIS1_ADDR", &backends.redis[0])
        .env("ACD_REDIS2_ADDR", &backends.redis[1])
        .env("ACD_REST1_ADDR", &backends.rest[0])
        .env("ACD_REST2_ADDR", &backends.rest[1]);
    match &backends.redis_password {
        Some(password) => command.env("REDIS_PASSWORD", password),
        None => command.env_remove("REDIS_PASSWORD"),
    };
    command
}

/// An HTTP response: status code and raw header block.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// The header lines, as received.
    pub headers: String,
}

impl HttpResponse {
    /// Parses the status line and headers of a response (`curl -D -` output or a raw HTTP/1.x reply).
    pub fn parse(text: &str) -> Option<HttpResponse> {
        let head = text.split("\r\n\r\n").next()?;
        let (status_line, headers) = head.split_once("\r\n").unwrap_or((head, ""));
        let status = status_line.split_whitespace().nth(1)?.parse().ok()?;
        Some(HttpResponse {
            status,
            headers: headers.to_string(),
        })
    }

    /// The value of header `name` (case-insensitive), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then_some(value.trim())
        })
    }
}

/// A one-shot `GET path` over HTTP/1.0 with a 1 s budget; None on any failure.
pub fn http_get(addr: SocketAddr, path: &str) -> Option<HttpResponse> {
    let timeout = Duration::from_secs(1);
    let mut stream = TcpStream::connect_timeout(&addr, timeout).ok()?;
    stream.set_read_timeout(Some(timeout)).ok()?;
    stream.set_write_timeout(Some(timeout)).ok()?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").ok()?;
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).ok()?;
    HttpResponse::parse(&String::from_utf8_lossy(&reply))
}

//! [`RedisServer`]: a real `redis-server` with the ACD module loaded, on a free loopback port, in its own
//! temporary directory.
//!
//! Start with [`RedisServer::start`] (default settings) or [`RedisServer::builder`] (extra `--option value`
//! arguments, replicas). The server is killed and its directory removed when the value is dropped; when the
//! drop happens during a panic, the tail of the server log is printed first so the failing test shows it.
//! [`RedisServer::restart`] stops the process and starts it again with the same arguments, directory and port,
//! which is how the restart-from-RDB and restart-from-AOF tests work.

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::conn::Conn;
use crate::wait::wait_for;

/// The redis-server binary the tests run.
const REDIS_SERVER: &str = "/usr/bin/redis-server";
/// How long a server may take to answer its first PING.
const CONNECT_DEADLINE: Duration = Duration::from_secs(10);
/// How long a stopped server may take to exit.
const EXIT_DEADLINE: Duration = Duration::from_secs(10);
/// How many fresh ports to try when the chosen one is taken between probing and binding.
const PORT_ATTEMPTS: usize = 5;

/// Settings every test server starts with; a caller's argument of the same name replaces the default.
const DEFAULT_ARGS: &[(&str, &[&str])] = &[
    ("--enable-debug-command", &["yes"]),
    ("--save", &[""]),
    ("--appendonly", &["no"]),
    ("--repl-diskless-sync-delay", &["0"]),
    ("--daemonize", &["no"]),
];

/// How [`RedisServer::stop`] ends the process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// `SHUTDOWN SAVE`: write an RDB snapshot (and flush the AOF), then exit.
    Save,
    /// `SHUTDOWN NOSAVE`: no RDB snapshot; the AOF, if enabled, is still flushed.
    NoSave,
    /// SIGKILL: whatever reached the kernel (RDB files, AOF writes) survives, nothing else.
    Kill,
}

/// Collects the arguments of a [`RedisServer`] before starting it.
#[derive(Debug, Clone)]
pub struct ServerBuilder {
    /// `--option` followed by its values, in order; at most one entry per option.
    options: Vec<(String, Vec<String>)>,
}

impl ServerBuilder {
    /// Sets `--name value` (the leading `--` is optional), replacing a default or earlier value of that option.
    pub fn arg(self, name: &str, value: &str) -> Self {
        self.arg_values(name, &[value])
    }

    /// Sets an option that takes several values, e.g. `("--replicaof", &["127.0.0.1", "6379"])`.
    pub fn arg_values(mut self, name: &str, values: &[&str]) -> Self {
        let name = format!("--{}", name.trim_start_matches('-'));
        let values = values.iter().map(|v| v.to_string()).collect();
        match self
            .options
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case(&name))
        {
            Some(entry) => entry.1 = values,
            None => self.options.push((name, values)),
        }
        self
    }

    /// Makes the server a replica of the server on `127.0.0.1:port`.
    pub fn replica_of(self, port: u16) -> Self {
        self.arg_values("--replicaof", &["127.0.0.1", &port.to_string()])
    }

    /// Starts the server and waits until it answers PING.
    pub fn start(self) -> RedisServer {
        let dir = tempfile::Builder::new()
            .prefix("acd-test-")
            .tempdir()
            .expect("create a temporary directory for redis-server");
        let module = dir.path().join("libacd.so");
        let source = module_path();
        fs::copy(&source, &module).unwrap_or_else(|e| {
            panic!(
                "copy the module {} into {}: {e}",
                source.display(),
                dir.path().display()
            )
        });
        let mut server = RedisServer {
            dir,
            module,
            options: self.options,
            port: 0,
            child: None,
        };
        server.spawn_on_free_port();
        server
    }
}

/// A running (or stopped, between [`RedisServer::stop`] and [`RedisServer::start_again`]) redis-server.
#[derive(Debug)]
pub struct RedisServer {
    dir: tempfile::TempDir,
    module: PathBuf,
    options: Vec<(String, Vec<String>)>,
    port: u16,
    child: Option<Child>,
}

impl RedisServer {
    /// Starts a server with the default settings.
    pub fn start() -> Self {
        Self::builder().start()
    }

    /// A builder with the default settings, to add arguments to.
    pub fn builder() -> ServerBuilder {
        let builder = ServerBuilder {
            options: Vec::new(),
        };
        DEFAULT_ARGS
            .iter()
            .fold(builder, |b, (name, values)| b.arg_values(name, values))
    }

    /// The loopback port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The server's working directory (RDB, AOF, log and module copy live here).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// A new RESP2 connection.
    pub fn conn(&self) -> Conn {
        Conn::open(&format!("redis://127.0.0.1:{}/", self.port))
    }

    /// A new RESP3 connection.
    pub fn conn_resp3(&self) -> Conn {
        Conn::open(&format!("redis://127.0.0.1:{}/?protocol=resp3", self.port))
    }

    /// A raw `redis` client (for Pub/Sub connections and the like).
    pub fn client(&self) -> redis::Client {
        redis::Client::open(format!("redis://127.0.0.1:{}/", self.port)).expect("valid redis URL")
    }

    /// Waits until this replica reports `master_link_status:up` (initial sync done).
    pub fn wait_for_master_link(&self) {
        let mut con = self.conn();
        wait_for(Duration::from_secs(10), "the replica's master link", || {
            con.info_field("replication", "master_link_status")
                .as_deref()
                == Some("up")
        });
    }

    /// Stops the server; it can be started again with [`RedisServer::start_again`].
    pub fn stop(&mut self, how: Stop) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        match how {
            Stop::Kill => {
                // The process may already be gone; waiting below is what matters.
                let _ = child.kill();
            }
            Stop::Save | Stop::NoSave => {
                let word = if how == Stop::Save { "SAVE" } else { "NOSAVE" };
                // A shutdown that succeeds closes the connection without a reply; any reply is a refusal.
                let mut shutdown = redis::cmd("SHUTDOWN");
                shutdown.arg(word);
                let reply = self
                    .client()
                    .get_connection()
                    .and_then(|mut c| redis::ConnectionLike::req_command(&mut c, &shutdown));
                if let Ok(refusal) = reply {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!(
                        "SHUTDOWN {word} was refused: {refusal:?}\n{}",
                        self.log_tail(30)
                    );
                }
            }
        }
        let deadline = Instant::now() + EXIT_DEADLINE;
        loop {
            match child.try_wait().expect("wait for redis-server") {
                Some(_) => return,
                None if Instant::now() > deadline => {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!(
                        "redis-server did not exit after {how:?}\n{}",
                        self.log_tail(30)
                    );
                }
                None => std::thread::sleep(Duration::from_millis(10)),
            }
        }
    }

    /// Starts a stopped server again with the same arguments, directory and port.
    pub fn start_again(&mut self) {
        assert!(self.child.is_none(), "start_again on a running server");
        if let Err(log) = self.spawn(self.port) {
            panic!(
                "redis-server did not come back on port {}\n{log}",
                self.port
            );
        }
    }

    /// [`RedisServer::stop`] then [`RedisServer::start_again`].
    pub fn restart(&mut self, how: Stop) {
        self.stop(how);
        self.start_again();
    }

    /// `SHUTDOWN SAVE` and start again: the restart-from-RDB path.
    pub fn shutdown_and_restart(&mut self) {
        self.restart(Stop::Save);
    }

    /// The last `lines` lines of the server log and of its stderr.
    pub fn log_tail(&self, lines: usize) -> String {
        let tail = |name: &str| {
            let text = fs::read_to_string(self.dir().join(name)).unwrap_or_default();
            let all: Vec<&str> = text.lines().collect();
            all[all.len().saturating_sub(lines)..].join("\n")
        };
        format!(
            "--- redis.log (tail) ---\n{}\n--- stderr ---\n{}",
            tail("redis.log"),
            tail("stderr.log")
        )
    }

    /// The commands in the incremental AOF files (`appendonlydir/*.incr.aof`), oldest first, each as its
    /// arguments (lossy UTF-8): what was propagated since the last rewrite.
    pub fn aof_commands(&self) -> Vec<Vec<String>> {
        let dir = self.dir().join("appendonlydir");
        let mut files: Vec<_> = fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
            .map(|entry| entry.expect("directory entry").path())
            .filter(|p| p.to_string_lossy().ends_with(".incr.aof"))
            .collect();
        files.sort();
        let mut commands = Vec::new();
        for file in files {
            let bytes = fs::read(&file).expect("read the AOF");
            let mut rest = &bytes[..];
            let line = |rest: &mut &[u8]| {
                let end = rest
                    .windows(2)
                    .position(|w| w == b"\r\n")
                    .expect("CRLF in the AOF");
                let text = String::from_utf8_lossy(&rest[..end]).into_owned();
                *rest = &rest[end + 2..];
                text
            };
            while !rest.is_empty() {
                let count: usize = line(&mut rest)[1..].parse().expect("array length");
                let command = (0..count)
                    .map(|_| {
                        let len: usize = line(&mut rest)[1..].parse().expect("bulk length");
                        let arg = String::from_utf8_lossy(&rest[..len]).into_owned();
                        rest = &rest[len + 2..];
                        arg
                    })
                    .collect();
                commands.push(command);
            }
        }
        commands
    }

    fn spawn_on_free_port(&mut self) {
        let mut last_log = String::new();
        for _ in 0..PORT_ATTEMPTS {
            let port = free_port();
            match self.spawn(port) {
                Ok(()) => return,
                Err(log) if log.contains("Address already in use") => last_log = log,
                Err(log) => panic!("redis-server did not start\n{log}"),
            }
        }
        panic!("redis-server found no free port in {PORT_ATTEMPTS} attempts\n{last_log}");
    }

    /// Runs redis-server on `port` and waits for PING; on failure returns the log tail.
    fn spawn(&mut self, port: u16) -> Result<(), String> {
        let dir = self.dir.path();
        let stderr = fs::File::create(dir.join("stderr.log")).expect("create stderr.log");
        let mut command = Command::new(REDIS_SERVER);
        command
            .current_dir(dir)
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .arg("--dir")
            .arg(dir)
            .arg("--logfile")
            .arg(dir.join("redis.log"))
            .arg("--loadmodule")
            .arg(&self.module);
        for (name, values) in &self.options {
            command.arg(name).args(values);
        }
        let child = command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|e| panic!("run {REDIS_SERVER}: {e}"));
        let pid = child.id();
        self.port = port;
        self.child = Some(child);

        let url = format!("redis://127.0.0.1:{port}/");
        let deadline = Instant::now() + CONNECT_DEADLINE;
        loop {
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                self.child = None;
                return Err(format!(
                    "redis-server exited with {status}\n{}",
                    self.log_tail(30)
                ));
            }
            if is_ours(&url, pid) {
                return Ok(());
            }
            if Instant::now() > deadline {
                self.kill();
                return Err(format!(
                    "redis-server did not answer PING within {CONNECT_DEADLINE:?}\n{}",
                    self.log_tail(30)
                ));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("redis-server on port {}:\n{}", self.port, self.log_tail(40));
        }
        self.kill();
    }
}

/// A started server and a connection to it.
pub fn server_and_conn() -> (RedisServer, Conn) {
    let server = RedisServer::start();
    let c = server.conn();
    (server, c)
}

/// Where the module .so is: `$ACD_MODULE`, else `<workspace>/target/debug/libacd.so`.
pub fn module_path() -> PathBuf {
    let path = match std::env::var_os("ACD_MODULE") {
        Some(path) => PathBuf::from(path),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/debug/libacd.so"),
    };
    assert!(
        path.is_file(),
        "module not found at {}: build the module first: cargo build -p acd-module (or set ACD_MODULE)",
        path.display()
    );
    path
}

/// A port nobody listened on a moment ago.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("bind an ephemeral loopback port")
        .port()
}

/// True when the server at `url` answers PING with PONG (not LOADING or an error) and is process `pid`: when
/// the port was taken between probing and binding, our redis-server exits, and the one that answers belongs to
/// another test.
fn is_ours(url: &str, pid: u32) -> bool {
    let Ok(client) = redis::Client::open(url) else {
        return false;
    };
    let Ok(mut con) = client.get_connection_with_timeout(Duration::from_millis(500)) else {
        return false;
    };
    if !matches!(redis::cmd("PING").query::<String>(&mut con), Ok(pong) if pong == "PONG") {
        return false;
    }
    let info: String = redis::cmd("INFO")
        .arg("server")
        .query(&mut con)
        .unwrap_or_default();
    info.lines()
        .any(|line| line.trim_end() == format!("process_id:{pid}"))
}

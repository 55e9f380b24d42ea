//! [`RestServer`]: the `acd-rest` binary on a free loopback port, pointed at a [`RedisServer`], killed on drop.
//!
//! The binary is `$ACD_REST_BIN`, or else `acd-rest` in the target directory of the running test (a workspace
//! build, `cargo build --workspace --all-targets`, puts it there). [`RestServer::start`] waits until `GET /health`
//! answers 200, so Redis and the module are reachable through it. Its log (JSON lines) is kept in a temporary
//! file and printed when the server is dropped during a panic.

use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use crate::server::RedisServer;

/// How long the shim may take to answer its first health check.
const START_DEADLINE: Duration = Duration::from_secs(15);
/// How long a terminated shim may take to exit.
const EXIT_DEADLINE: Duration = Duration::from_secs(15);

/// A running `acd-rest`.
#[derive(Debug)]
pub struct RestServer {
    child: Option<Child>,
    port: u16,
    dir: tempfile::TempDir,
}

impl RestServer {
    /// Starts the shim against `redis` with `center` as its default center, and waits until it is healthy.
    pub fn start(redis: &RedisServer, center: &str) -> RestServer {
        let dir = tempfile::Builder::new()
            .prefix("acd-rest-")
            .tempdir()
            .expect("create a temporary directory for acd-rest");
        let port = free_port();
        let log = fs::File::create(dir.path().join("rest.log")).expect("create rest.log");
        let stderr = log.try_clone().expect("clone the log handle");
        let child = Command::new(rest_binary())
            .env("REDIS_URL", format!("redis://127.0.0.1:{}/", redis.port()))
            .env("ACD_CENTER", center)
            .env("ACD_BIND", format!("127.0.0.1:{port}"))
            .env("ACD_LOG_FORMAT", "json")
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|e| panic!("run {}: {e}", rest_binary().display()));
        let mut server = RestServer {
            child: Some(child),
            port,
            dir,
        };
        server.wait_healthy();
        server
    }

    /// The loopback port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:<port><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Everything it logged so far.
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.path().join("rest.log")).unwrap_or_default()
    }

    /// Sends SIGTERM and waits for the process to exit; answers its exit status.
    pub fn terminate(&mut self) -> ExitStatus {
        let mut child = self.child.take().expect("acd-rest is running");
        // The shell's built-in kill: no procps needed.
        let status = Command::new("sh")
            .args(["-c", &format!("kill -TERM {}", child.id())])
            .status()
            .expect("run sh");
        assert!(status.success(), "kill -TERM failed");
        let deadline = Instant::now() + EXIT_DEADLINE;
        loop {
            if let Some(status) = child.try_wait().expect("wait for acd-rest") {
                return status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "acd-rest did not exit within {EXIT_DEADLINE:?} of SIGTERM\n{}",
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn wait_healthy(&mut self) {
        let deadline = Instant::now() + START_DEADLINE;
        loop {
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                self.child = None;
                panic!("acd-rest exited with {status}\n{}", self.log());
            }
            if health_status(self.port) == Some(200) {
                return;
            }
            if Instant::now() > deadline {
                panic!(
                    "acd-rest was not healthy within {START_DEADLINE:?}\n{}",
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for RestServer {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("acd-rest on port {}:\n{}", self.port, self.log());
        }
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The `acd-rest` binary: `$ACD_REST_BIN`, else next to the test executable's `deps/` directory.
pub fn rest_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("ACD_REST_BIN") {
        return PathBuf::from(path);
    }
    let exe = std::env::current_exe().expect("the test executable's path");
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("the test executable lives in <target>/<profile>/deps");
    let path = profile_dir.join("acd-rest");
    assert!(
        path.is_file(),
        "acd-rest not found at {}: build it first (cargo build -p acd-client --bin acd-rest) or set ACD_REST_BIN",
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

/// The status of `GET /health`, or `None` when nothing answers (a plain HTTP/1.1 exchange, so the fixture needs no
/// HTTP client).
fn health_status(port: u16) -> Option<u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    stream
        .write_all(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .ok()?;
    let mut reply = String::new();
    stream.read_to_string(&mut reply).ok()?;
    reply.split_whitespace().nth(1)?.parse().ok()
}

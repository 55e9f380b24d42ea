//! The server under test: the one at `--redis URL`, or a redis-server this process starts on a
//! free loopback port with a copy of the module loaded (stopped and cleaned up on drop).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use redis::Client;

use super::error::{BenchError, Result};

/// How long a started server has to answer `PING`.
const START_DEADLINE: Duration = Duration::from_secs(15);

/// A server to benchmark; owns the process when this bench started it.
pub(crate) struct Server {
    pub(crate) client: Client,
    pub(crate) url: String,
    child: Option<Child>,
    dir: Option<PathBuf>,
}

impl Server {
    /// Uses a running server; it must have the `acd` module loaded.
    pub(crate) fn connect(url: &str) -> Result<Server> {
        let server = Server {
            client: Client::open(url)?,
            url: url.to_owned(),
            child: None,
            dir: None,
        };
        server.require_module()?;
        Ok(server)
    }

    /// Starts `redis_server` on a free port with a copy of `module` loaded, without
    /// persistence, and waits until it answers.
    pub(crate) fn start(redis_server: &Path, module: &Path) -> Result<Server> {
        if !module.is_file() {
            return Err(BenchError::Server(format!(
                "module {} not found: build it with `cargo build --release -p acd-module` or pass --module",
                module.display()
            )));
        }
        let dir = std::env::temp_dir().join(format!("acd-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let copy = dir.join("libacd.so");
        std::fs::copy(module, &copy)?;
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let log = std::fs::File::create(dir.join("redis.log"))?;
        let child = Command::new(redis_server)
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
            .arg("--dir")
            .arg(&dir)
            .arg("--loadmodule")
            .arg(&copy)
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .map_err(|e| {
                BenchError::Server(format!("cannot run {}: {e}", redis_server.display()))
            })?;
        let url = format!("redis://127.0.0.1:{port}/");
        let mut server = Server {
            client: Client::open(url.as_str())?,
            url,
            child: Some(child),
            dir: Some(dir),
        };
        server.wait_ready()?;
        server.require_module()?;
        Ok(server)
    }

    fn wait_ready(&mut self) -> Result<()> {
        let deadline = Instant::now() + START_DEADLINE;
        loop {
            let answered = self
                .client
                .get_connection_with_timeout(Duration::from_millis(500))
                .and_then(|mut con| redis::cmd("PING").query::<String>(&mut con));
            if answered.is_ok() {
                return Ok(());
            }
            let exited = match self.child.as_mut() {
                Some(child) => child.try_wait()?.is_some(),
                None => false,
            };
            if exited || Instant::now() > deadline {
                return Err(BenchError::Server(format!(
                    "redis-server did not start; its log:\n{}",
                    self.log()
                )));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn log(&self) -> String {
        self.dir
            .as_ref()
            .and_then(|dir| std::fs::read_to_string(dir.join("redis.log")).ok())
            .unwrap_or_default()
    }

    fn require_module(&self) -> Result<()> {
        let mut con = self
            .client
            .get_connection_with_timeout(Duration::from_secs(5))?;
        let modules: redis::Value = redis::cmd("MODULE").arg("LIST").query(&mut con)?;
        if !mentions(&modules, b"acd") {
            return Err(BenchError::Server(format!(
                "the acd module is not loaded in {}",
                self.url
            )));
        }
        Ok(())
    }

    /// `redis_version` from `INFO server`.
    pub(crate) fn version(&self) -> Result<String> {
        let mut con = self
            .client
            .get_connection_with_timeout(Duration::from_secs(5))?;
        let info: String = redis::cmd("INFO").arg("server").query(&mut con)?;
        Ok(info
            .lines()
            .find_map(|line| line.strip_prefix("redis_version:"))
            .unwrap_or("unknown")
            .trim()
            .to_owned())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Whether any string inside `value` equals `word`.
fn mentions(value: &redis::Value, word: &[u8]) -> bool {
    match value {
        redis::Value::BulkString(bytes) => bytes == word,
        redis::Value::SimpleString(text) => text.as_bytes() == word,
        redis::Value::Array(items) | redis::Value::Set(items) => {
            items.iter().any(|item| mentions(item, word))
        }
        redis::Value::Map(pairs) => pairs
            .iter()
            .any(|(k, v)| mentions(k, word) || mentions(v, word)),
        _ => false,
    }
}

/// The module next to this executable (`target/<profile>/libacd.so` for a cargo build).
pub(crate) fn default_module() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("libacd.so")))
        .unwrap_or_else(|| PathBuf::from("libacd.so"))
}

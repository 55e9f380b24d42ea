//! [`Lan`]: a private Ethernet segment made of network namespaces that the test creates: one namespace per node,
//! each with an `eth0` veth plugged into a bridge that lives in a namespace of its own. Addresses exist only
//! inside these namespaces, and every namespace is deleted when the `Lan` is dropped (including after a panic).
//! Namespaces left by a test process that was SIGKILLed are deleted by the next [`Lan::create`].

use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::daemon::require_tool;
use super::haproxy::HttpResponse;

/// Every namespace name starts with this, then the creating process id: `acdha<pid>-<lan>-<node>`.
const NAME_PREFIX: &str = "acdha";
/// Numbers the `Lan`s of one test process.
static NEXT_LAN: AtomicUsize = AtomicUsize::new(0);

/// Network namespaces on one bridge. Create with [`Lan::create`].
#[derive(Debug)]
pub struct Lan {
    /// `acdha<pid>-<n>`: the namespace of node `x` is `<prefix>-x`, the bridge's is `<prefix>-sw`.
    prefix: String,
    /// Namespaces created so far, deleted in reverse order on drop.
    namespaces: Vec<String>,
}

impl Lan {
    /// Creates a namespace per `(node, address/prefix-length)` on one bridge. Returns `Err(reason)` when the
    /// kernel or the permissions refuse network namespaces, so the caller can skip; panics on later failures.
    pub fn create(nodes: &[(&str, &str)]) -> Result<Lan, String> {
        require_tool("ip", "iproute2");
        remove_stale_namespaces();
        let prefix = format!(
            "{NAME_PREFIX}{}-{}",
            std::process::id(),
            NEXT_LAN.fetch_add(1, Ordering::Relaxed)
        );
        let mut lan = Lan {
            prefix,
            namespaces: Vec::new(),
        };
        let switch = lan.namespace("sw");
        let added = ip(&["netns", "add", &switch]);
        if !added.status.success() {
            return Err(format!(
                "`ip netns add` was refused: {}",
                String::from_utf8_lossy(&added.stderr).trim()
            ));
        }
        lan.namespaces.push(switch.clone());
        let entered = ip(&["netns", "exec", &switch, "true"]);
        if !entered.status.success() {
            return Err(format!(
                "`ip netns exec` was refused: {}",
                String::from_utf8_lossy(&entered.stderr).trim()
            ));
        }
        ip_ok(&["-n", &switch, "link", "add", "br0", "type", "bridge"]);
        ip_ok(&["-n", &switch, "link", "set", "br0", "up"]);
        for (node, address) in nodes {
            lan.add_node(node, address);
        }
        Ok(lan)
    }

    fn add_node(&mut self, node: &str, address: &str) {
        let (ns, switch) = (self.namespace(node), self.namespace("sw"));
        ip_ok(&["netns", "add", &ns]);
        self.namespaces.push(ns.clone());
        ip_ok(&["-n", &ns, "link", "set", "lo", "up"]);
        // Created straight into both namespaces: nothing ever appears in the host's namespace.
        ip_ok(&[
            "link", "add", "eth0", "netns", &ns, "type", "veth", "peer", "name", node, "netns",
            &switch,
        ]);
        ip_ok(&["-n", &switch, "link", "set", node, "master", "br0", "up"]);
        ip_ok(&["-n", &ns, "addr", "add", address, "dev", "eth0"]);
        ip_ok(&["-n", &ns, "link", "set", "eth0", "up"]);
    }

    /// The namespace name of `node`.
    pub fn namespace(&self, node: &str) -> String {
        format!("{}-{node}", self.prefix)
    }

    /// A command that runs `program` inside `node`'s namespace.
    pub fn command(&self, node: &str, program: &str) -> Command {
        let mut command = Command::new("ip");
        command.args(["netns", "exec", &self.namespace(node), program]);
        command
    }

    /// True when `node`'s `eth0` holds `address` (without prefix length).
    pub fn has_address(&self, node: &str, address: &str) -> bool {
        let out = ip(&[
            "-n",
            &self.namespace(node),
            "-o",
            "addr",
            "show",
            "dev",
            "eth0",
        ]);
        String::from_utf8_lossy(&out.stdout).contains(&format!(" {address}/"))
    }

    /// `curl` from inside `node`: a new connection per call, `max_time` seconds at most. Returns the response
    /// head, or None when the request failed.
    pub fn curl(&self, node: &str, url: &str, max_time: f64) -> Option<HttpResponse> {
        let out = self
            .command(node, "curl")
            .args([
                "-s",
                "-o",
                "/dev/null",
                "-D",
                "-",
                "--noproxy",
                "*",
                "--max-time",
            ])
            .arg(max_time.to_string())
            .arg(url)
            .output()
            .ok()?;
        if !out.status.success() {
            return None;
        }
        HttpResponse::parse(&String::from_utf8_lossy(&out.stdout))
    }
}

impl Drop for Lan {
    fn drop(&mut self) {
        for ns in self.namespaces.iter().rev() {
            let out = ip(&["netns", "del", ns]);
            if !out.status.success() {
                eprintln!(
                    "could not delete network namespace {ns}: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                );
            }
        }
    }
}

fn ip(args: &[&str]) -> Output {
    Command::new("ip")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run ip {}: {e}", args.join(" ")))
}

fn ip_ok(args: &[&str]) {
    let out = ip(args);
    assert!(
        out.status.success(),
        "ip {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr).trim()
    );
}

/// Deletes `acdha<pid>-…` namespaces whose creating process no longer exists.
fn remove_stale_namespaces() {
    let list = ip(&["netns", "list"]);
    for line in String::from_utf8_lossy(&list.stdout).lines() {
        let Some(name) = line.split_whitespace().next() else {
            continue;
        };
        let Some(pid) = name
            .strip_prefix(NAME_PREFIX)
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if !std::path::Path::new(&format!("/proc/{pid}")).exists() {
            let _ = ip(&["netns", "del", name]);
        }
    }
}

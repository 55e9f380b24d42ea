//! [`Keepalived`]: the repository's `haproxy/keepalived.conf`, run unchanged inside a node of a [`Lan`] with
//! its config id (`lb-a` or `lb-b`) selecting that node's lines.

use std::process::Command;

use super::daemon::{haproxy_dir, require_tool, Daemon};
use super::netns::Lan;

/// The subnet `haproxy/keepalived.conf` and the compose network use, with its prefix length.
pub const SUBNET_BITS: u8 = 24;
/// The VIP in `haproxy/keepalived.conf`.
pub const VIP: &str = "172.29.10.100";
/// The address of the node running config id `lb-a` (compose service haproxy-a).
pub const LB_A: &str = "172.29.10.11";
/// The address of the node running config id `lb-b` (compose service haproxy-b).
pub const LB_B: &str = "172.29.10.12";

/// A keepalived process (parent and VRRP child) in one namespace; SIGTERMed on drop, which makes it drop
/// the VIP if it holds it.
#[derive(Debug)]
pub struct Keepalived {
    daemon: Daemon,
    _dir: tempfile::TempDir,
}

impl Keepalived {
    /// Starts keepalived in `node` with config id `config_id`, VRRP only, logging to a file.
    pub fn start(lan: &Lan, node: &str, config_id: &str) -> Keepalived {
        require_tool("keepalived", "keepalived");
        require_tool("curl", "curl");
        let dir = tempfile::Builder::new()
            .prefix("acd-keepalived-")
            .tempdir()
            .expect("create a temporary directory for keepalived");
        let pid = |name: &str| dir.path().join(name);
        let mut command: Command = lan.command(node, "keepalived");
        command
            .args([
                "--dont-fork",
                "--log-console",
                "--log-detail",
                "--no-syslog",
                "--vrrp",
            ])
            .arg("--use-file")
            .arg(haproxy_dir().join("keepalived.conf"))
            .args(["--config-id", config_id])
            // Own pid files: the defaults under /run would make the second instance think it is already running.
            .arg("--pid")
            .arg(pid("keepalived.pid"))
            .arg("--vrrp_pid")
            .arg(pid("vrrp.pid"))
            .arg("--checkers_pid")
            .arg(pid("checkers.pid"));
        let daemon = Daemon::spawn(
            &format!("keepalived {config_id}"),
            command,
            &dir.path().join("keepalived.log"),
        );
        Keepalived { daemon, _dir: dir }
    }

    /// The last lines of its log (state transitions, script results).
    pub fn log_tail(&self, lines: usize) -> String {
        self.daemon.log_tail(lines)
    }
}

//! [`Cluster`]: a Redis Cluster of [`RedisServer`]s with the module, created by `redis-cli --cluster create`
//! (the same tool the compose `cluster-create` job runs), plus the operations the HA tests need: who owns a
//! slot, moving one exact slot between primaries, killing a node.

use std::process::Command;
use std::time::Duration;

use super::daemon::{free_port, poll, require_tool};
use crate::{Conn, RedisServer, ServerBuilder, Stop};

/// How long the cluster may take to reach `cluster_state:ok` everywhere after creation.
const CONVERGE_DEADLINE: Duration = Duration::from_secs(20);

/// One node's place in the cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeInfo {
    /// `CLUSTER MYID`.
    pub id: String,
    /// The node index (as in [`Cluster::conn`]) of the primary it replicates, or None for a primary.
    pub primary: Option<usize>,
}

/// A running cluster. Node indexes are stable; a killed node stays in the list, stopped.
#[derive(Debug)]
pub struct Cluster {
    nodes: Vec<RedisServer>,
    ids: Vec<String>,
    alive: Vec<bool>,
}

impl Cluster {
    /// Starts `primaries * (1 + replicas)` nodes with `cluster-node-timeout node_timeout_ms`, creates the
    /// cluster, and waits until every node reports `cluster_state:ok` and every replica has synced.
    pub fn start(primaries: usize, replicas: usize, node_timeout_ms: u64) -> Cluster {
        require_tool("redis-cli", "redis-tools");
        let nodes: Vec<RedisServer> = (0..primaries * (1 + replicas))
            .map(|_| node_builder(node_timeout_ms).start())
            .collect();
        let mut create = Command::new("redis-cli");
        create.arg("--cluster").arg("create");
        for node in &nodes {
            create.arg(format!("127.0.0.1:{}", node.port()));
        }
        let out = create
            .args(["--cluster-replicas", &replicas.to_string(), "--cluster-yes"])
            .output()
            .expect("run redis-cli --cluster create");
        assert!(
            out.status.success(),
            "redis-cli --cluster create failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let ids = nodes
            .iter()
            .map(|n| {
                n.conn()
                    .bulk("CLUSTER MYID")
                    .expect("CLUSTER MYID answers an id")
            })
            .collect();
        let alive = vec![true; nodes.len()];
        let cluster = Cluster { nodes, ids, alive };
        cluster.wait_until_ok(CONVERGE_DEADLINE);
        for i in 0..cluster.nodes.len() {
            if cluster.info(i).primary.is_some() {
                cluster.nodes[i].wait_for_master_link();
            }
        }
        cluster
    }

    /// A plain connection to node `i` (commands for keys it does not serve answer MOVED).
    pub fn conn(&self, i: usize) -> Conn {
        self.nodes[i].conn()
    }

    /// Node `i`'s id and role, as node `i` itself reports them.
    pub fn info(&self, i: usize) -> NodeInfo {
        let mut con = self.conn(i);
        let primary = match con.info_field("replication", "role").as_deref() {
            Some("slave") => {
                let port: u16 = con
                    .info_field("replication", "master_port")
                    .and_then(|p| p.parse().ok())
                    .expect("a replica reports master_port");
                Some(
                    self.nodes
                        .iter()
                        .position(|n| n.port() == port)
                        .expect("the primary is one of the cluster's nodes"),
                )
            }
            _ => None,
        };
        NodeInfo {
            id: self.ids[i].clone(),
            primary,
        }
    }

    /// The live primaries, by index.
    pub fn primaries(&self) -> Vec<usize> {
        (0..self.nodes.len())
            .filter(|&i| self.alive[i] && self.info(i).primary.is_none())
            .collect()
    }

    /// The live replica of primary `p`.
    pub fn replica_of(&self, p: usize) -> usize {
        (0..self.nodes.len())
            .find(|&i| self.alive[i] && self.info(i).primary == Some(p))
            .unwrap_or_else(|| panic!("node {p} has no live replica"))
    }

    /// The hash slot of `key` (`CLUSTER KEYSLOT`).
    pub fn slot_of(&self, key: &str) -> u16 {
        let i = self.any_alive();
        self.conn(i)
            .int(["CLUSTER", "KEYSLOT", key])
            .try_into()
            .expect("a slot fits in u16")
    }

    /// The node that serves `slot` according to node `asked`'s `CLUSTER NODES`.
    fn owner_per(&self, asked: usize, slot: u16) -> Option<usize> {
        let nodes = self.conn(asked).bulk("CLUSTER NODES")?;
        nodes.lines().find_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let serves = fields.iter().skip(8).any(|range| {
                // Ranges are `a-b` or `a`; `[slot->-id]` entries are migrations in progress.
                if range.starts_with('[') {
                    return false;
                }
                let (a, b) = range.split_once('-').unwrap_or((range, range));
                matches!((a.parse::<u16>(), b.parse::<u16>()), (Ok(a), Ok(b)) if (a..=b).contains(&slot))
            });
            serves.then(|| self.ids.iter().position(|id| id == fields[0]))?
        })
    }

    /// The node that serves `slot`, once every live node agrees on it.
    pub fn owner(&self, slot: u16) -> usize {
        let agreed = poll(CONVERGE_DEADLINE, || {
            let owners: Vec<Option<usize>> = (0..self.nodes.len())
                .filter(|&i| self.alive[i])
                .map(|i| self.owner_per(i, slot))
                .collect();
            let first = owners[0]?;
            owners.iter().all(|o| *o == Some(first)).then_some(first)
        });
        agreed.unwrap_or_else(|| panic!("the nodes do not agree on the owner of slot {slot}"))
    }

    /// Moves one exact slot from primary `from` to primary `to`, the way `redis-cli --cluster reshard` moves
    /// each slot: SETSLOT IMPORTING on the target, MIGRATING on the source, MIGRATE of every key (the module's
    /// type goes over as DUMP/RESTORE), then SETSLOT NODE on the target, the source and the other primaries.
    /// `between` runs after the keys moved and before ownership changes, when clients get ASK redirections.
    pub fn move_slot(&self, slot: u16, from: usize, to: usize, between: impl FnOnce()) {
        let slot_arg = slot.to_string();
        let (from_id, to_id) = (self.ids[from].clone(), self.ids[to].clone());
        self.conn(to)
            .ok(["CLUSTER", "SETSLOT", &slot_arg, "IMPORTING", &from_id]);
        self.conn(from)
            .ok(["CLUSTER", "SETSLOT", &slot_arg, "MIGRATING", &to_id]);
        let mut source = self.conn(from);
        loop {
            let keys = source.strings(["CLUSTER", "GETKEYSINSLOT", &slot_arg, "100"]);
            if keys.is_empty() {
                break;
            }
            let port = self.nodes[to].port().to_string();
            let mut migrate = vec!["MIGRATE", "127.0.0.1", &port, "", "0", "5000", "KEYS"];
            migrate.extend(keys.iter().map(String::as_str));
            source.ok(migrate);
        }
        between();
        let mut order = vec![to, from];
        order.extend(
            self.primaries()
                .into_iter()
                .filter(|i| *i != to && *i != from),
        );
        for i in order {
            self.conn(i)
                .ok(["CLUSTER", "SETSLOT", &slot_arg, "NODE", &to_id]);
        }
        assert_eq!(self.owner(slot), to, "slot {slot} did not move");
    }

    /// SIGKILLs node `i`.
    pub fn kill(&mut self, i: usize) {
        self.nodes[i].stop(Stop::Kill);
        self.alive[i] = false;
    }

    /// Waits until every live node reports `cluster_state:ok`.
    pub fn wait_until_ok(&self, timeout: Duration) {
        for i in (0..self.nodes.len()).filter(|&i| self.alive[i]) {
            let mut con = self.conn(i);
            let ok = poll(timeout, || {
                let info = con.bulk("CLUSTER INFO").unwrap_or_default();
                info.lines()
                    .any(|l| l.trim() == "cluster_state:ok")
                    .then_some(())
            });
            assert!(
                ok.is_some(),
                "node {i} did not reach cluster_state:ok within {timeout:?}:\n{}",
                con.bulk("CLUSTER INFO").unwrap_or_default()
            );
        }
    }

    /// A `redis` cluster client seeded with the live nodes: it routes each ACD.* command by its first
    /// argument (the center key) and follows MOVED and ASK.
    pub fn client(&self) -> redis::cluster::ClusterClient {
        let seeds: Vec<String> = (0..self.nodes.len())
            .filter(|&i| self.alive[i])
            .map(|i| format!("redis://127.0.0.1:{}/", self.nodes[i].port()))
            .collect();
        redis::cluster::ClusterClient::new(seeds).expect("a cluster client")
    }

    fn any_alive(&self) -> usize {
        self.alive
            .iter()
            .position(|a| *a)
            .expect("at least one node is alive")
    }
}

/// A cluster node: the default test server plus cluster mode. The bus port is chosen explicitly because
/// the default (port + 10000) can overflow for ephemeral ports.
fn node_builder(node_timeout_ms: u64) -> ServerBuilder {
    RedisServer::builder()
        .arg("cluster-enabled", "yes")
        .arg("cluster-config-file", "nodes.conf")
        .arg("cluster-node-timeout", &node_timeout_ms.to_string())
        .arg("cluster-port", &free_port().to_string())
}

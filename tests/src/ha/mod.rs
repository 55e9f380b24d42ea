//! High-availability fixtures: the processes around the Redis servers that the deployment in `docker/` and
//! `haproxy/` runs, started here as local processes so the failover tests (`tests/tests/ha_*.rs`) exercise the
//! same configs.
//!
//! Start here: [`Sentinels`] (a Sentinel group watching a [`crate::RedisServer`] primary), [`HaProxy`]
//! (`haproxy/haproxy-loopback.cfg` on free loopback ports or in a namespace), [`Cluster`] (a Redis Cluster of
//! module servers, created with `redis-cli --cluster create`), [`Lan`] and [`Keepalived`] (network namespaces on
//! a bridge, and `haproxy/keepalived.conf` inside them). Every fixture stops what it started when dropped,
//! also when the test panics; [`Daemon`] is the guard they share.

mod cluster;
mod daemon;
mod haproxy;
mod keepalived;
mod netns;
mod sentinel;

pub use cluster::{Cluster, NodeInfo};
pub use daemon::{free_port, haproxy_dir, poll, report, require_tool, Daemon};
pub use haproxy::{http_get, Backends, HaProxy, HttpResponse};
pub use keepalived::{Keepalived, LB_A, LB_B, SUBNET_BITS, VIP};
pub use netns::Lan;
pub use sentinel::{SentinelConfig, Sentinels};

//! [`Client`]: one connection to a single server or to a Redis Cluster, shared by every
//! [`Center`] handle made from it.
//!
//! Single server: one multiplexed connection (calls from many tasks are pipelined on it).
//! Cluster: the `redis` crate's async cluster connection, which routes each `ACD.*` command
//! by its first argument (the center key, which every command declares as its only key),
//! follows `MOVED`/`ASK` and retries `TRYAGAIN` itself.

use redis::aio::{ConnectionLike, MultiplexedConnection};
use redis::cluster::ClusterClient;
use redis::cluster_async::ClusterConnection;
use redis::{Cmd, Pipeline, RedisFuture, Value};

use crate::center::Center;
use crate::error::AcdClientError;

/// A connection to a server or cluster running the ACD module. Cheap to clone: clones share
/// the connection.
#[derive(Clone)]
pub struct Client {
    connection: Connection,
    opener: Opener,
}

/// How to open another connection to the same deployment.
#[derive(Clone)]
enum Opener {
    Single(redis::Client),
    Cluster(ClusterClient),
}

impl Client {
    /// Connects to one server, e.g. `redis://127.0.0.1:6379` (add `?protocol=resp3` for
    /// RESP3; both protocols are understood).
    pub async fn connect(url: &str) -> Result<Client, AcdClientError> {
        let opener = Opener::Single(redis::Client::open(url)?);
        Ok(Client {
            connection: opener.open().await?,
            opener,
        })
    }

    /// Connects to a Redis Cluster through any of its nodes (`redis://host:port` each).
    pub async fn connect_cluster<I, S>(nodes: I) -> Result<Client, AcdClientError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let nodes: Vec<String> = nodes.into_iter().map(|n| n.as_ref().to_owned()).collect();
        let opener = Opener::Cluster(ClusterClient::new(nodes)?);
        Ok(Client {
            connection: opener.open().await?,
            opener,
        })
    }

    /// A handle on the center stored at `key`.
    pub fn center(&self, key: impl Into<String>) -> Center {
        Center::new(self.connection.clone(), key.into())
    }

    /// A client with its own new connection to the same deployment. Use one for a blocking
    /// `ACD.EVENTS ... BLOCK`, which holds its connection until it answers: on the shared
    /// connection it would delay every other call behind it.
    pub async fn dedicated(&self) -> Result<Client, AcdClientError> {
        Ok(Client {
            connection: self.opener.open().await?,
            opener: self.opener.clone(),
        })
    }

    /// The shared connection, for commands other than `ACD.*` (it implements the `redis`
    /// crate's [`ConnectionLike`], so `redis::cmd(..).query_async(&mut conn)` works).
    pub fn connection(&self) -> Connection {
        self.connection.clone()
    }
}

impl Opener {
    async fn open(&self) -> Result<Connection, AcdClientError> {
        Ok(Connection(match self {
            Opener::Single(client) => {
                Inner::Single(client.get_multiplexed_async_connection().await?)
            }
            Opener::Cluster(client) => Inner::Cluster(client.get_async_connection().await?),
        }))
    }
}

/// A connection to a single server or to a cluster; clones share it.
#[derive(Clone)]
pub struct Connection(Inner);

#[derive(Clone)]
enum Inner {
    Single(MultiplexedConnection),
    Cluster(ClusterConnection),
}

impl ConnectionLike for Connection {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        match &mut self.0 {
            Inner::Single(c) => c.req_packed_command(cmd),
            Inner::Cluster(c) => c.req_packed_command(cmd),
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        cmd: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        match &mut self.0 {
            Inner::Single(c) => c.req_packed_commands(cmd, offset, count),
            Inner::Cluster(c) => c.req_packed_commands(cmd, offset, count),
        }
    }

    fn get_db(&self) -> i64 {
        match &self.0 {
            Inner::Single(c) => c.get_db(),
            Inner::Cluster(c) => c.get_db(),
        }
    }
}

//! Reference measurements that put the throughput figures in context: the latency of one
//! non-pipelined `ACD.ENQUEUE` against a plain `PING` round trip, and the harness ceiling
//! (pipelined `PING`s per second with the same connections and depth).

use std::time::{Duration, Instant};

use redis::{Client, Connection};

use super::error::{BenchError, Result};
use super::module::{complete, enqueue, load_agents};
use super::runner::{clean, connect};
use super::workload::Workload;

/// Percentiles of one non-pipelined command, in microseconds.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub(crate) struct Percentiles {
    pub(crate) p50_us: f64,
    pub(crate) p99_us: f64,
}

/// `ACD.ENQUEUE` (assigned at once) against `PING`, measured alternately on one connection.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub(crate) struct Latency {
    pub(crate) samples: usize,
    pub(crate) enqueue: Percentiles,
    pub(crate) ping: Percentiles,
    /// `enqueue.p99_us / ping.p99_us`.
    pub(crate) p99_ratio: f64,
}

/// Measures [`Latency`] on a center loaded with `workload`'s agents; each ENQUEUE is followed
/// by an untimed COMPLETE so the pool stays full.
pub(crate) fn latency(client: &Client, workload: &Workload, samples: usize) -> Result<Latency> {
    let mut con = connect(client)?;
    clean(&mut con)?;
    load_agents(&mut con, workload)?;
    let (mut enqueues, mut pings) = (Vec::with_capacity(samples), Vec::with_capacity(samples));
    let warmup = samples / 10;
    for (n, contact) in workload.contacts(0).take(warmup + samples).enumerate() {
        let ping = timed(|| redis::cmd("PING").exec(&mut con))?;
        let cmd = enqueue(workload, &contact);
        let start = Instant::now();
        let agent: Option<String> = cmd.query(&mut con)?;
        let took = start.elapsed();
        if agent.is_none() {
            return Err(BenchError::Check(format!(
                "latency: contact {} was not assigned",
                contact.id
            )));
        }
        complete(&contact.id).exec(&mut con)?;
        if n >= warmup {
            pings.push(ping);
            enqueues.push(took);
        }
    }
    clean(&mut con)?;
    let (enqueue, ping) = (percentiles(&mut enqueues), percentiles(&mut pings));
    Ok(Latency {
        samples,
        enqueue,
        ping,
        p99_ratio: enqueue.p99_us / ping.p99_us.max(1e-3),
    })
}

fn timed(f: impl FnOnce() -> redis::RedisResult<()>) -> Result<Duration> {
    let start = Instant::now();
    f()?;
    Ok(start.elapsed())
}

fn percentiles(times: &mut [Duration]) -> Percentiles {
    times.sort_unstable();
    let at = |q: f64| {
        let i = ((times.len() as f64 * q).ceil() as usize).clamp(1, times.len().max(1)) - 1;
        times.get(i).map_or(0.0, |d| d.as_secs_f64() * 1e6)
    };
    Percentiles {
        p50_us: at(0.50),
        p99_us: at(0.99),
    }
}

/// Pipelined `PING`s per second over `connections` connections, `depth` per round trip, for
/// `seconds`: what this client can drive at all.
pub(crate) fn ceiling(
    client: &Client,
    connections: usize,
    depth: usize,
    seconds: f64,
) -> Result<f64> {
    let mut cons = (0..connections)
        .map(|_| connect(client))
        .collect::<Result<Vec<Connection>>>()?;
    let start = Instant::now();
    let deadline = start + Duration::from_secs_f64(seconds);
    let counts = std::thread::scope(|scope| {
        let handles: Vec<_> = cons
            .iter_mut()
            .map(|con| {
                scope.spawn(move || -> Result<u64> {
                    let mut pipe = redis::pipe();
                    for _ in 0..depth {
                        pipe.cmd("PING");
                    }
                    let mut sent = 0;
                    while Instant::now() < deadline {
                        pipe.exec(con)?;
                        sent += depth as u64;
                    }
                    Ok(sent)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| BenchError::Check("a connection thread panicked".into()))?
            })
            .collect::<Result<Vec<u64>>>()
    })?;
    Ok(counts.iter().sum::<u64>() as f64 / start.elapsed().as_secs_f64())
}

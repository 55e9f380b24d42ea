//! Runs one variant once: clean its keys, load the agents, start every connection at once,
//! count assignments until the contacts or the time run out, check the end state, clean up.

use std::sync::Barrier;
use std::time::{Duration, Instant};

use redis::{Client, Connection};

use super::error::{BenchError, Result};
use super::workload::Workload;

/// Every key the bench writes starts with this, so cleaning up never touches anything else.
pub(crate) const NAMESPACE: &str = "acd-bench:";

/// `drain`: a fixed number of contacts against a full agent pool. `steady`: every completed
/// contact frees its agent at once and a new contact arrives, for a fixed time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Mode {
    /// N contacts against a full agent pool.
    Drain,
    /// Arrivals and completions in balance for `--seconds`.
    Steady,
}

impl Mode {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Mode::Drain => "drain",
            Mode::Steady => "steady",
        }
    }
}

/// What one connection is asked to do.
pub(crate) struct Job<'a> {
    pub(crate) workload: &'a Workload,
    pub(crate) mode: Mode,
    /// Connection number: selects its contact stream.
    pub(crate) worker: usize,
    /// Drain: the contacts this connection sends (when the variant sends them itself).
    pub(crate) share: usize,
    /// Assignments per round trip.
    pub(crate) pipeline: usize,
    /// Stop sending after this.
    pub(crate) deadline: Instant,
}

/// What one connection did.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Progress {
    pub(crate) assignments: u64,
    /// When the last assignment was confirmed (drain ends there, not at an idle wait).
    pub(crate) last: Instant,
}

/// One way of routing contacts to agents.
pub(crate) trait Variant: Sync {
    /// Name in tables and JSON (`module`, `lua`, `client-side`).
    fn name(&self) -> &'static str;
    /// Loads the agents, all ready, and for drain any backlog the variant routes from a queue.
    fn setup(
        &self,
        con: &mut Connection,
        workload: &Workload,
        mode: Mode,
        contacts: usize,
    ) -> Result<()>;
    /// One connection's load loop.
    fn work(&self, con: &mut Connection, job: &Job) -> Result<Progress>;
    /// Checks the end state against the assignments counted.
    fn verify(&self, _con: &mut Connection, _assignments: u64) -> Result<()> {
        Ok(())
    }
}

/// How a run is driven.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Drive {
    pub(crate) mode: Mode,
    pub(crate) seconds: f64,
    pub(crate) pipeline: usize,
    pub(crate) connections: usize,
    /// Drain: contacts in the run.
    pub(crate) contacts: usize,
}

/// One measured run.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub(crate) struct Sample {
    pub(crate) assignments: u64,
    pub(crate) seconds: f64,
    pub(crate) assignments_per_s: f64,
    /// CPU time the server process spent during the run (user + system, from `INFO cpu`).
    pub(crate) server_cpu_s: f64,
    /// Server CPU time per assignment: what the server's work costs. The rate times it is how
    /// busy the server was (near 1: the rate measured is the server's, not the client's).
    pub(crate) server_us_per_assignment: f64,
}

/// Opens a connection that gives up on a silent server instead of hanging a CI job.
pub(crate) fn connect(client: &Client) -> Result<Connection> {
    let con = client.get_connection_with_timeout(Duration::from_secs(10))?;
    con.set_read_timeout(Some(Duration::from_secs(60)))?;
    con.set_write_timeout(Some(Duration::from_secs(60)))?;
    Ok(con)
}

/// Runs `variant` once on a clean namespace and measures it.
pub(crate) fn run_once(
    client: &Client,
    variant: &dyn Variant,
    workload: &Workload,
    drive: Drive,
) -> Result<Sample> {
    let mut control = connect(client)?;
    clean(&mut control)?;
    variant.setup(&mut control, workload, drive.mode, drive.contacts)?;
    let mut cons = (0..drive.connections)
        .map(|_| connect(client))
        .collect::<Result<Vec<_>>>()?;
    let cpu_before = server_cpu_s(&mut control)?;
    let barrier = Barrier::new(drive.connections);
    let shares = split(drive.contacts, drive.connections);
    let start_and_results = std::thread::scope(|scope| {
        let handles: Vec<_> = cons
            .iter_mut()
            .enumerate()
            .map(|(worker, con)| {
                let barrier = &barrier;
                let share = shares[worker];
                scope.spawn(move || {
                    barrier.wait();
                    let start = Instant::now();
                    let job = Job {
                        workload,
                        mode: drive.mode,
                        worker,
                        share,
                        pipeline: drive.pipeline,
                        deadline: start + Duration::from_secs_f64(drive.seconds),
                    };
                    variant.work(con, &job).map(|p| (start, p))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| BenchError::Check("a connection thread panicked".into()))?
            })
            .collect::<Result<Vec<_>>>()
    })?;
    let start = start_and_results
        .iter()
        .map(|(s, _)| *s)
        .min()
        .unwrap_or_else(Instant::now);
    let end = start_and_results
        .iter()
        .map(|(_, p)| p.last)
        .max()
        .unwrap_or(start);
    let assignments: u64 = start_and_results.iter().map(|(_, p)| p.assignments).sum();
    let seconds = end.duration_since(start).as_secs_f64().max(1e-9);
    let server_cpu_s = server_cpu_s(&mut control)? - cpu_before;
    if assignments == 0 {
        return Err(BenchError::Check(format!(
            "{}: no contact was assigned",
            variant.name()
        )));
    }
    if server_cpu_s <= 0.0 {
        return Err(BenchError::Check(format!(
            "{}: the server's INFO cpu did not advance during the run",
            variant.name()
        )));
    }
    variant.verify(&mut control, assignments)?;
    clean(&mut control)?;
    Ok(Sample {
        assignments,
        seconds,
        assignments_per_s: assignments as f64 / seconds,
        server_cpu_s,
        server_us_per_assignment: server_cpu_s * 1e6 / assignments as f64,
    })
}

/// CPU seconds the server process has used.
fn server_cpu_s(con: &mut Connection) -> Result<f64> {
    let info: String = redis::cmd("INFO").arg("cpu").query(con)?;
    cpu_seconds(&info)
}

/// `used_cpu_user` + `used_cpu_sys` of an `INFO cpu` reply (the process's, not its children's
/// or its main thread's alone).
fn cpu_seconds(info: &str) -> Result<f64> {
    let field = |name: &str| {
        info.lines()
            .find_map(|line| line.strip_prefix(name)?.strip_prefix(':'))
            .and_then(|value| value.trim().parse::<f64>().ok())
            .ok_or_else(|| BenchError::Check(format!("INFO cpu has no {name}")))
    };
    Ok(field("used_cpu_user")? + field("used_cpu_sys")?)
}

/// `total` split into `parts` nearly equal shares.
fn split(total: usize, parts: usize) -> Vec<usize> {
    (0..parts)
        .map(|i| total / parts + usize::from(i < total % parts))
        .collect()
}

/// Deletes every key of the bench namespace.
pub(crate) fn clean(con: &mut Connection) -> Result<()> {
    let mut cursor: u64 = 0;
    loop {
        let (next, keys): (u64, Vec<Vec<u8>>) = redis::cmd("SCAN")
            .arg(cursor)
            .arg("MATCH")
            .arg(format!("{NAMESPACE}*"))
            .arg("COUNT")
            .arg(10_000)
            .query(con)?;
        if !keys.is_empty() {
            redis::cmd("UNLINK").arg(keys).exec(con)?;
        }
        if next == 0 {
            return Ok(());
        }
        cursor = next;
    }
}

/// Median of one figure of the runs (mean of the middle two for an even count).
pub(crate) fn median(samples: &[Sample], figure: impl Fn(&Sample) -> f64) -> f64 {
    let mut values: Vec<f64> = samples.iter().map(figure).collect();
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => 0.0,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// Sends a pipeline in chunks of `chunk` commands, for setup loads.
pub(crate) fn load(
    con: &mut Connection,
    commands: impl Iterator<Item = redis::Cmd>,
    chunk: usize,
) -> Result<()> {
    let mut pipe = redis::pipe();
    let mut queued = 0;
    for cmd in commands {
        pipe.add_command(cmd).ignore();
        queued += 1;
        if queued == chunk {
            pipe.exec(con)?;
            pipe.clear();
            queued = 0;
        }
    }
    if queued > 0 {
        pipe.exec(con)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::cpu_seconds;

    #[test]
    fn cpu_time_is_the_processs_user_plus_system_time() {
        let info = "# CPU\r\nused_cpu_sys:1.250000\r\nused_cpu_user:2.500000\r\n\
            used_cpu_sys_children:7.000000\r\nused_cpu_user_children:9.000000\r\n\
            used_cpu_sys_main_thread:1.000000\r\nused_cpu_user_main_thread:2.000000\r\n";
        assert_eq!(cpu_seconds(info).unwrap(), 3.75);
        let err = cpu_seconds("# CPU\r\nused_cpu_user_children:1.0\r\n").unwrap_err();
        assert!(err.to_string().contains("used_cpu_user"), "{err}");
    }
}

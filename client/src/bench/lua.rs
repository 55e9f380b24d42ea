//! The `lua` baseline: the old ZINTER-min-score algorithm as one Lua script per contact
//! (`lua/route.lua`), what a user would write instead of a module, with the same pipelining.
//!
//! Data: one availability sorted set per skill (agent -> ready sequence number), a hash of
//! agent skills, a queue sorted set (contact -> arrival ms) and a hash per contact.
//! Steady: a contact arrives (`HSET` + `ZADD`) and `route.lua` routes it, in one pipeline;
//! contacts assigned in one round trip are completed (`complete.lua`) in the next. Drain: the
//! backlog is loaded before the clock starts, and only `route.lua` calls are timed.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use redis::{Connection, Script, Value};

use super::error::{BenchError, Result};
use super::runner::{load, Job, Mode, Progress, Variant};
use super::workload::{Contact, Workload};

const PREFIX: &str = "acd-bench:{lua}:";

pub(crate) struct Lua {
    route: Script,
    complete: Script,
}

impl Lua {
    pub(crate) fn new() -> Lua {
        Lua {
            route: Script::new(include_str!("lua/route.lua")),
            complete: Script::new(include_str!("lua/complete.lua")),
        }
    }
}

fn key(name: &str) -> String {
    format!("{PREFIX}{name}")
}

/// Milliseconds since the Unix epoch, the old system's queue score.
pub(crate) fn unix_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// `HSET` of the contact's skills and `ZADD` to the queue at `arrival`.
fn arrive(pipe: &mut redis::Pipeline, workload: &Workload, contact: &Contact, arrival: f64) {
    pipe.cmd("HSET")
        .arg(key(&format!("contact:{}", contact.id)))
        .arg("skills")
        .arg(workload.joined(&contact.skills))
        .ignore();
    pipe.cmd("ZADD")
        .arg(key("queue"))
        .arg(arrival)
        .arg(&contact.id)
        .ignore();
}

impl Lua {
    fn route(&self, pipe: &mut redis::Pipeline) {
        pipe.cmd("EVALSHA")
            .arg(self.route.get_hash())
            .arg(2)
            .arg(key("queue"))
            .arg(key("agents"))
            .arg(PREFIX);
    }

    fn complete(&self, pipe: &mut redis::Pipeline, contact: &str) {
        pipe.cmd("EVALSHA")
            .arg(self.complete.get_hash())
            .arg(3)
            .arg(key("queue"))
            .arg(key("agents"))
            .arg(key("seq"))
            .arg(PREFIX)
            .arg(contact)
            .ignore();
    }
}

/// What one `route.lua` call did.
enum Routed {
    Assigned(String),
    Unmatched,
    Empty,
}

fn routed(reply: &Value) -> Result<Routed> {
    match reply {
        Value::Array(pair) => match pair.as_slice() {
            [Value::BulkString(contact), Value::BulkString(_)] => Ok(Routed::Assigned(
                String::from_utf8_lossy(contact).into_owned(),
            )),
            _ => Err(BenchError::Check(format!("route.lua answered {reply:?}"))),
        },
        Value::Int(0) => Ok(Routed::Unmatched),
        Value::Nil => Ok(Routed::Empty),
        other => Err(BenchError::Check(format!("route.lua answered {other:?}"))),
    }
}

impl Variant for Lua {
    fn name(&self) -> &'static str {
        "lua"
    }

    fn setup(&self, con: &mut Connection, w: &Workload, mode: Mode, contacts: usize) -> Result<()> {
        for script in [&self.route, &self.complete] {
            script.prepare_invoke().load(con)?;
        }
        let agents = w.agents.iter().enumerate().flat_map(|(i, own)| {
            let agent = Workload::agent_id(i);
            let mut cmds = vec![redis::cmd("HSET")
                .arg(key("agents"))
                .arg(&agent)
                .arg(w.joined(own))
                .to_owned()];
            cmds.extend(own.iter().map(|&s| {
                redis::cmd("ZADD")
                    .arg(key(&format!("avail:{}", w.skills[s])))
                    .arg(i)
                    .arg(&agent)
                    .to_owned()
            }));
            cmds
        });
        load(con, agents, 5_000)?;
        redis::cmd("SET")
            .arg(key("seq"))
            .arg(w.agents.len())
            .exec(con)?;
        if mode == Mode::Drain {
            let mut pipe = redis::pipe();
            for (n, contact) in w.contacts(0).take(contacts).enumerate() {
                arrive(&mut pipe, w, &contact, n as f64);
                if n % 2_000 == 1_999 {
                    pipe.exec(con)?;
                    pipe.clear();
                }
            }
            pipe.exec(con)?;
        }
        Ok(())
    }

    fn work(&self, con: &mut Connection, job: &Job) -> Result<Progress> {
        let mut progress = Progress {
            assignments: 0,
            last: Instant::now(),
        };
        let mut contacts = job.workload.contacts(job.worker);
        let mut assigned: Vec<String> = Vec::new();
        while Instant::now() < job.deadline {
            let mut pipe = redis::pipe();
            for contact in assigned.drain(..) {
                self.complete(&mut pipe, &contact);
            }
            for _ in 0..job.pipeline {
                if job.mode == Mode::Steady {
                    if let Some(contact) = contacts.next() {
                        arrive(&mut pipe, job.workload, &contact, unix_ms());
                    }
                }
                self.route(&mut pipe);
            }
            let replies: Vec<Value> = pipe.query(con)?;
            let (mut drained, before) = (false, progress.assignments);
            for reply in &replies {
                match routed(reply)? {
                    Routed::Assigned(contact) => {
                        progress.assignments += 1;
                        if job.mode == Mode::Steady {
                            assigned.push(contact);
                        }
                    }
                    Routed::Unmatched => {}
                    Routed::Empty => drained = true,
                }
            }
            if job.mode == Mode::Steady || progress.assignments > before {
                progress.last = Instant::now();
            }
            if job.mode == Mode::Drain && drained {
                break;
            }
        }
        if !assigned.is_empty() {
            let mut pipe = redis::pipe();
            for contact in assigned.drain(..) {
                self.complete(&mut pipe, &contact);
            }
            pipe.exec(con)?;
        }
        Ok(progress)
    }
}

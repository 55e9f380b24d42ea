//! The `client-side` baseline: the old dispatcher's algorithm run from the client, one round
//! trip per step, as the old system did: `BZPOPMIN` the oldest contact, read its skills,
//! `ZINTER` the skills' availability sets, take the first agent whose per-agent lock
//! (`SET NX PX`) it wins, mark the assignment (`MULTI`: contact state, agent out of its sets),
//! and re-queue an unmatched contact with its score +1000 ms.
//!
//! Each connection is one dispatcher. Steady: the dispatcher completes each contact at once
//! (agent back into its sets, lock released) and a new contact arrives in the same round trip.
//! Drain: the backlog is loaded before the clock starts. The dispatcher knows each agent's
//! skills from the workload rather than reading them, which only favours this baseline.

use std::time::Instant;

use redis::{Connection, Value};

use super::error::{BenchError, Result};
use super::lua::unix_ms;
use super::runner::{load, Job, Mode, Progress, Variant};
use super::workload::{Contact, Workload};

const PREFIX: &str = "acd-bench:{client}:";
/// How long a dispatcher holds an agent's lock if it dies before releasing it.
const LOCK_MS: u64 = 30_000;
/// The old system's re-queue penalty for a contact nobody could take.
const REQUEUE_MS: f64 = 1_000.0;
/// How long one `BZPOPMIN` waits for a contact.
const POP_TIMEOUT_S: f64 = 0.05;

pub(crate) struct ClientSide;

fn key(name: &str) -> String {
    format!("{PREFIX}{name}")
}

fn contact_key(id: &str) -> String {
    key(&format!("contact:{id}"))
}

fn avail_key(w: &Workload, skill: usize) -> String {
    key(&format!("avail:{}", w.skills[skill]))
}

fn arrive(pipe: &mut redis::Pipeline, w: &Workload, contact: &Contact, arrival: f64) {
    pipe.cmd("HSET")
        .arg(contact_key(&contact.id))
        .arg("skills")
        .arg(w.joined(&contact.skills))
        .ignore();
    pipe.cmd("ZADD")
        .arg(key("queue"))
        .arg(arrival)
        .arg(&contact.id)
        .ignore();
}

/// The dispatcher's view of one popped contact.
struct Popped {
    contact: String,
    score: f64,
}

fn pop(con: &mut Connection) -> Result<Option<Popped>> {
    let reply: Value = redis::cmd("BZPOPMIN")
        .arg(key("queue"))
        .arg(POP_TIMEOUT_S)
        .query(con)?;
    match reply {
        Value::Nil => Ok(None),
        Value::Array(items) => match items.as_slice() {
            [_, Value::BulkString(contact), score] => Ok(Some(Popped {
                contact: String::from_utf8_lossy(contact).into_owned(),
                score: redis::from_redis_value(score)?,
            })),
            _ => Err(BenchError::Check(format!("BZPOPMIN answered {items:?}"))),
        },
        other => Err(BenchError::Check(format!("BZPOPMIN answered {other:?}"))),
    }
}

/// Routes one popped contact; returns the agent it got.
fn route(con: &mut Connection, w: &Workload, popped: &Popped, me: &str) -> Result<Option<String>> {
    let skills: Option<String> = redis::cmd("HGET")
        .arg(contact_key(&popped.contact))
        .arg("skills")
        .query(con)?;
    let sets: Vec<String> = skills
        .unwrap_or_default()
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| key(&format!("avail:{s}")))
        .collect();
    let candidates: Vec<String> = redis::cmd("ZINTER")
        .arg(sets.len())
        .arg(&sets)
        .arg("AGGREGATE")
        .arg("MIN")
        .query(con)?;
    for agent in candidates {
        let won: Option<String> = redis::cmd("SET")
            .arg(key(&format!("lock:{agent}")))
            .arg(me)
            .arg("NX")
            .arg("PX")
            .arg(LOCK_MS)
            .query(con)?;
        if won.is_some() {
            let number = Workload::agent_number(&agent)
                .filter(|&n| n < w.agents.len())
                .ok_or_else(|| BenchError::Check(format!("unknown agent {agent:?}")))?;
            let mut mark = redis::pipe();
            mark.atomic();
            mark.cmd("HSET")
                .arg(contact_key(&popped.contact))
                .arg("state")
                .arg("assigned")
                .arg("agent")
                .arg(&agent)
                .ignore();
            for &s in &w.agents[number] {
                mark.cmd("ZREM").arg(avail_key(w, s)).arg(&agent).ignore();
            }
            mark.exec(con)?;
            return Ok(Some(agent));
        }
    }
    redis::cmd("ZADD")
        .arg(key("queue"))
        .arg(popped.score + REQUEUE_MS)
        .arg(&popped.contact)
        .exec(con)?;
    Ok(None)
}

impl Variant for ClientSide {
    fn name(&self) -> &'static str {
        "client-side"
    }

    fn setup(&self, con: &mut Connection, w: &Workload, mode: Mode, contacts: usize) -> Result<()> {
        let agents = w.agents.iter().enumerate().flat_map(|(i, own)| {
            let agent = Workload::agent_id(i);
            own.iter()
                .map(|&s| {
                    redis::cmd("ZADD")
                        .arg(avail_key(w, s))
                        .arg(i)
                        .arg(&agent)
                        .to_owned()
                })
                .collect::<Vec<_>>()
        });
        load(con, agents, 5_000)?;
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
        let w = job.workload;
        let me = format!("dispatcher-{}", job.worker);
        let mut progress = Progress {
            assignments: 0,
            last: Instant::now(),
        };
        let mut contacts = w.contacts(job.worker);
        if job.mode == Mode::Steady {
            let mut pipe = redis::pipe();
            if let Some(first) = contacts.next() {
                arrive(&mut pipe, w, &first, unix_ms());
            }
            pipe.exec(con)?;
        }
        while Instant::now() < job.deadline {
            let Some(popped) = pop(con)? else {
                if job.mode == Mode::Drain {
                    break;
                }
                continue;
            };
            let Some(agent) = route(con, w, &popped, &me)? else {
                continue;
            };
            progress.assignments += 1;
            progress.last = Instant::now();
            if job.mode == Mode::Steady {
                let number = Workload::agent_number(&agent).unwrap_or_default();
                let mut pipe = redis::pipe();
                let now = unix_ms();
                for &s in &w.agents[number] {
                    pipe.cmd("ZADD")
                        .arg(avail_key(w, s))
                        .arg(now)
                        .arg(&agent)
                        .ignore();
                }
                pipe.cmd("DEL").arg(key(&format!("lock:{agent}"))).ignore();
                pipe.cmd("DEL").arg(contact_key(&popped.contact)).ignore();
                if let Some(next) = contacts.next() {
                    arrive(&mut pipe, w, &next, now);
                }
                pipe.exec(con)?;
            }
        }
        Ok(progress)
    }
}

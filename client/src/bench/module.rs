//! The `module` variant: `ACD.*` commands, pipelined, on one center key.
//!
//! Steady: each assignment is `ACD.ENQUEUE` (routed at once) followed by `ACD.COMPLETE` of the
//! same contact (its agent goes back to the end of the ready line). Drain: `ACD.ENQUEUE` only.
//! Commands are built with [`acd_core::Command::encode`], so their syntax is the module's own.
//! The center keeps ended contacts 1 s (`retention 1`) so that memory stays flat at hundreds
//! of thousands of contacts per second; purging them is part of the measured cost.

use std::time::Instant;

use acd_core::command::{
    AgentAdd, AgentAt, Complete, Config, ConfigParam, ConfigValue, ContactAt, Enqueue, Ready,
};
use acd_core::{Command, Skill};
use redis::{Connection, Value};

use super::error::{BenchError, Result};
use super::runner::{load, Job, Mode, Progress, Variant, NAMESPACE};
use super::workload::{Contact, Workload};

/// The center key.
pub(crate) const KEY: &str = "acd-bench:{module}:center";

pub(crate) struct Module;

/// `cmd` on the bench center, as a redis command.
pub(crate) fn acd(cmd: &Command) -> redis::Cmd {
    let mut out = redis::cmd(cmd.name());
    out.arg(KEY);
    for arg in cmd.encode() {
        out.arg(arg);
    }
    out
}

fn skills(workload: &Workload, numbers: &[usize]) -> Vec<Skill> {
    numbers
        .iter()
        .map(|&s| Skill::new(workload.skills[s].clone(), 1))
        .collect()
}

pub(crate) fn enqueue(workload: &Workload, contact: &Contact) -> redis::Cmd {
    acd(&Command::Enqueue(Enqueue {
        contact: contact.id.clone(),
        skills: skills(workload, &contact.skills),
        priority: None,
        meta: None,
        at: None,
        relax: Vec::new(),
        channel: None,
    }))
}

pub(crate) fn complete(contact: &str) -> redis::Cmd {
    acd(&Command::Complete(Complete(ContactAt {
        contact: contact.to_owned(),
        at: None,
    })))
}

/// Loads every agent of `workload`, ready in agent order, into the bench center.
pub(crate) fn load_agents(con: &mut Connection, workload: &Workload) -> Result<()> {
    debug_assert!(KEY.starts_with(NAMESPACE));
    let retention = Command::Config(Config::Set {
        value: ConfigValue::Number(ConfigParam::Retention, 1),
        at: None,
    });
    acd(&retention).exec(con)?;
    let commands = workload.agents.iter().enumerate().flat_map(|(i, own)| {
        let agent = Workload::agent_id(i);
        [
            acd(&Command::AgentAdd(AgentAdd {
                agent: agent.clone(),
                skills: skills(workload, own),
                capacity: None,
                meta: None,
                at: None,
            })),
            acd(&Command::Ready(Ready(AgentAt { agent, at: None }))),
        ]
    });
    load(con, commands, 2_000)
}

impl Variant for Module {
    fn name(&self) -> &'static str {
        "module"
    }

    fn setup(&self, con: &mut Connection, workload: &Workload, _: Mode, _: usize) -> Result<()> {
        load_agents(con, workload)
    }

    fn work(&self, con: &mut Connection, job: &Job) -> Result<Progress> {
        let mut contacts = job.workload.contacts(job.worker);
        let mut progress = Progress {
            assignments: 0,
            last: Instant::now(),
        };
        let mut left = job.share;
        loop {
            let batch = match job.mode {
                Mode::Steady => job.pipeline,
                Mode::Drain => job.pipeline.min(left),
            };
            if batch == 0 || Instant::now() >= job.deadline {
                return Ok(progress);
            }
            left = left.saturating_sub(batch);
            let mut pipe = redis::pipe();
            for contact in contacts.by_ref().take(batch) {
                pipe.add_command(enqueue(job.workload, &contact));
                if job.mode == Mode::Steady {
                    pipe.add_command(complete(&contact.id));
                }
            }
            let replies: Vec<Value> = pipe.query(con)?;
            let step = if job.mode == Mode::Steady { 2 } else { 1 };
            for reply in replies.iter().step_by(step) {
                match reply {
                    Value::BulkString(_) => progress.assignments += 1,
                    Value::Nil => {}
                    other => {
                        return Err(BenchError::Check(format!("ACD.ENQUEUE answered {other:?}")))
                    }
                }
            }
            progress.last = Instant::now();
        }
    }

    /// The center's own counters agree with the replies, and its invariant audit passes.
    fn verify(&self, con: &mut Connection, assignments: u64) -> Result<()> {
        let stats: Value = redis::cmd("ACD.STATS").arg(KEY).query(con)?;
        let assigned = stat(&stats, "assigned_total")?;
        if assigned != assignments as i64 {
            return Err(BenchError::Check(format!(
                "ACD.STATS assigned_total is {assigned}, the replies counted {assignments}"
            )));
        }
        let check: Value = redis::cmd("ACD.CHECK").arg(KEY).query(con)?;
        if !matches!(check, Value::Okay) {
            return Err(BenchError::Check(format!("ACD.CHECK answered {check:?}")));
        }
        Ok(())
    }
}

/// A field of the `ACD.STATS` reply (a flat array under RESP2).
fn stat(stats: &Value, field: &str) -> Result<i64> {
    let Value::Array(items) = stats else {
        return Err(BenchError::Check(format!("ACD.STATS answered {stats:?}")));
    };
    items
        .chunks(2)
        .find_map(|pair| match pair {
            [Value::BulkString(name), Value::Int(v)] if name == field.as_bytes() => Some(*v),
            _ => None,
        })
        .ok_or_else(|| BenchError::Check(format!("ACD.STATS has no integer {field}")))
}

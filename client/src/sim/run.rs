//! [`run`]: one simulation against a server, start to finish.
//!
//! Set-up: the center must not exist (or `--reset` deletes it); with simulated time its
//! clock is set to `client`; its event log is made long enough for the largest burst
//! (opening makes every agent ready at once); the agents are added and the center opened.
//! Then the [`Agenda`] drives the run: each action waits for its time, sends its command,
//! and reads the new entries of the center's event log into the [`Ledger`], which says
//! what to schedule next (a contact's give-up time once it is enqueued, its finish time
//! once it is assigned). When every contact has ended the center is closed and
//! `ACD.STATS` read, to check the report against it.
//!
//! Commands go one at a time, each after the previous one's reply and its events, so the
//! server sees them in agenda order; with simulated time each carries its agenda time as
//! `AT`, and a seed always produces the same sequence of commands and the same report.

use std::collections::HashMap;
use std::time::Instant;

use acd_core::command::{ConfigParam, ConfigValue, Events};
use acd_core::{Clock, ContactState, Event, VOICE};
use serde_json::json;
use thiserror::Error;

use super::agenda::{Action, Agenda};
use super::cli::Config;
use super::clock::SimClock;
use super::ledger::{Ledger, Notice};
use super::population::{Plan, CHAT};
use super::progress::Progress;
use super::report::{Report, RunSummary};
use crate::{AcdClientError, Call, Center, Client, Request, Stamped, Stats};

/// Event log entries read per `ACD.EVENTS` call.
const EVENTS_BATCH: usize = 1000;
/// The event log length a center gets by default (`events-max`).
const DEFAULT_EVENTS_MAX: u64 = 10_000;

/// Why a run stopped.
#[derive(Debug, Error)]
pub enum SimError {
    /// The server could not be reached.
    #[error("cannot connect to {url}: {source}")]
    Connect {
        /// The `--redis` URL.
        url: String,
        /// Why.
        source: AcdClientError,
    },
    /// A command failed (connection, refusal, unexpected reply).
    #[error(transparent)]
    Client(#[from] AcdClientError),
    /// The center key is already there.
    #[error("center '{0}' already exists: pick another --center, or pass --reset to delete it")]
    CenterExists(String),
    /// Entries of the event log were trimmed before they were read (another client wrote to
    /// the center heavily).
    #[error("event log entries were lost: expected entry {expected}, read {found}")]
    EventsLost {
        /// The entry id that should have come next.
        expected: u64,
        /// The one that came.
        found: u64,
    },
    /// Contacts are still open but nothing is scheduled (the center did something the
    /// simulator did not ask for, such as an offer nobody accepts).
    #[error("{0} contacts are still open but nothing is left to do")]
    Stalled(u64),
}

/// A finished run: the report, and what the center says about itself at the end.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The simulator's report.
    pub report: Report,
    /// `ACD.STATS` read after the center closed.
    pub stats: Stats,
    /// Where the report and the stats disagree (empty when they agree).
    pub disagreements: Vec<String>,
    /// What the text report says about the run.
    pub summary: RunSummary,
}

/// Runs the simulation `config` describes, showing `progress`.
pub async fn run(config: &Config, progress: &Progress) -> Result<Outcome, SimError> {
    let started = Instant::now();
    let client = Client::connect(&config.redis)
        .await
        .map_err(|source| SimError::Connect {
            url: config.redis.clone(),
            source,
        })?;
    prepare_key(&client, config).await?;
    let center = client.center(config.center.as_str());
    let sla_ms = sla_threshold(&center).await?;
    let plan = Plan::generate(config);
    let mut sim = Simulation {
        center,
        clock: SimClock::new(config.speed),
        index: plan
            .contacts
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect(),
        plan,
        chat_capacity: (config.chat_share > 0.0).then_some(config.chat_capacity),
        ledger: Ledger::new(sla_ms),
        agenda: Agenda::default(),
        read_events: 0,
        opened_at: 0,
        closed_at: None,
        progress,
    };
    sim.set_up().await?;
    let last = sim.play().await?;
    let (stats, closed_at) = sim.close(last).await?;
    let report = sim.ledger.report(closed_at);
    Ok(Outcome {
        disagreements: report.disagreements(&stats),
        report,
        stats,
        summary: RunSummary {
            center: config.center.clone(),
            agents: config.agents,
            seed: config.seed,
            speed: config.speed,
            sla_ms,
            simulated_ms: closed_at - sim.opened_at,
            elapsed: started.elapsed(),
        },
    })
}

/// The center's service-level threshold (ms), which the report's service level uses.
async fn sla_threshold(center: &Center) -> Result<i64, SimError> {
    match center.config_get(ConfigParam::SlaThreshold).await? {
        ConfigValue::Number(_, ms) => Ok(ms as i64),
        other => Err(AcdClientError::UnexpectedReply {
            command: "ACD.CONFIG",
            detail: format!("sla-threshold is {other:?}"),
        }
        .into()),
    }
}

/// Refuses to run on an existing center, or deletes it when asked to.
async fn prepare_key(client: &Client, config: &Config) -> Result<(), SimError> {
    let mut connection = client.connection();
    let key = config.center.as_str();
    if config.reset {
        redis::cmd("DEL")
            .arg(key)
            .query_async::<i64>(&mut connection)
            .await
            .map_err(AcdClientError::from_redis)?;
        return Ok(());
    }
    let exists = redis::cmd("EXISTS")
        .arg(key)
        .query_async::<i64>(&mut connection)
        .await
        .map_err(AcdClientError::from_redis)?;
    if exists > 0 {
        return Err(SimError::CenterExists(key.to_owned()));
    }
    Ok(())
}

struct Simulation<'p> {
    center: Center,
    clock: SimClock,
    plan: Plan,
    /// Contact id to its index in the plan.
    index: HashMap<String, usize>,
    /// Chats an agent takes at once, when the run has chats (agents then take one call or
    /// this many chats; without chats they keep the default capacity, one call).
    chat_capacity: Option<u32>,
    ledger: Ledger,
    agenda: Agenda,
    /// Id of the last event log entry read.
    read_events: u64,
    opened_at: i64,
    closed_at: Option<i64>,
    progress: &'p Progress,
}

impl Simulation<'_> {
    /// Stamps a write with its agenda time when the run is on simulated time.
    fn at<C: Stamped>(&self, request: Request<C>, at_ms: i64) -> Request<C> {
        match self.clock.stamp(at_ms) {
            Some(at) => request.at(at),
            None => request,
        }
    }

    /// Configures the center, adds the agents, opens it and schedules the arrivals.
    async fn set_up(&mut self) -> Result<(), SimError> {
        let start = self.clock.now_ms();
        if self.clock.is_simulated() {
            let client_clock = self.center.config_set(ConfigValue::Clock(Clock::Client));
            self.send(self.at(client_clock, start)).await?;
        }
        // Opening makes every agent ready in one command: the log must hold that burst.
        let events_max = DEFAULT_EVENTS_MAX.max(2 * self.plan.agents.len() as u64 + 64);
        let log = self
            .center
            .config_set(ConfigValue::Number(ConfigParam::EventsMax, events_max));
        self.send(self.at(log, start)).await?;
        for i in 0..self.plan.agents.len() {
            let agent = &self.plan.agents[i];
            let meta = json!({"first_name": agent.first_name, "last_name": agent.last_name});
            let mut add = self
                .center
                .agent_add(agent.id.as_str(), agent.skills.clone())
                .meta(&meta);
            if let Some(chats) = self.chat_capacity {
                add = add.capacity(VOICE, 1).capacity(CHAT, chats);
            }
            self.send(self.at(add, start)).await?;
        }
        self.send(self.at(self.center.open(), start)).await?;
        for (i, contact) in self.plan.contacts.iter().enumerate() {
            self.agenda.push(
                self.opened_at + contact.arrives_ms as i64,
                Action::Arrive(i),
            );
        }
        Ok(())
    }

    /// Takes agenda actions until every contact has ended; answers the last action's time.
    async fn play(&mut self) -> Result<i64, SimError> {
        let total = self.plan.contacts.len() as u64;
        let mut last = self.opened_at;
        while self.ledger.ended() < total {
            let Some((at, action)) = self.agenda.pop() else {
                return Err(SimError::Stalled(total - self.ledger.ended()));
            };
            self.clock.sleep_until(at).await;
            last = at;
            match action {
                Action::Arrive(i) => {
                    let contact = &self.plan.contacts[i];
                    let mut enqueue = self
                        .center
                        .enqueue(contact.id.as_str(), contact.skills.clone());
                    if contact.channel != VOICE {
                        enqueue = enqueue.channel(contact.channel);
                    }
                    self.send(self.at(enqueue, at)).await?;
                }
                Action::GiveUp(i) => {
                    let id = self.plan.contacts[i].id.as_str();
                    // Assigned meanwhile: the give-up is moot.
                    if !self.ledger.is_waiting(id) {
                        continue;
                    }
                    let complete = self.center.complete(id);
                    self.send(self.at(complete, at)).await?;
                }
                Action::Finish(i) => {
                    let id = self.plan.contacts[i].id.clone();
                    let complete = self.center.complete(id.as_str());
                    let state = self.send(self.at(complete, at)).await?;
                    if state != ContactState::Completed {
                        return Err(unexpected_end(&id, state));
                    }
                }
            }
            self.progress
                .update(&self.ledger, self.plan.agents.len(), at - self.opened_at);
        }
        Ok(last)
    }

    /// Closes the center after the last action; answers the stats and the closing time.
    async fn close(&mut self, last: i64) -> Result<(Stats, i64), SimError> {
        self.send(self.at(self.center.close(), last)).await?;
        let closed_at = self.closed_at.unwrap_or(last);
        let stats = self.at(self.center.stats(), closed_at).await?;
        Ok((stats, closed_at))
    }

    /// Sends a command and, in the same round trip, reads the event log entries it (and
    /// anything before it) wrote into the ledger; schedules what they call for.
    async fn send<C: Call>(&mut self, request: Request<C>) -> Result<C::Output, SimError> {
        let events = self.events_after_last_read();
        let (output, mut batch) = request.send_with(events).await?;
        while self.take_events(batch)? {
            batch = self.events_after_last_read().await?;
        }
        Ok(output)
    }

    fn events_after_last_read(&self) -> Request<Events> {
        self.center
            .events()
            .since(self.read_events)
            .count(EVENTS_BATCH)
    }

    /// Accounts for a batch of entries; answers whether it was full (more may follow).
    fn take_events(&mut self, batch: Vec<Event>) -> Result<bool, SimError> {
        let full = batch.len() == EVENTS_BATCH;
        for event in batch {
            if event.id != self.read_events + 1 {
                return Err(SimError::EventsLost {
                    expected: self.read_events + 1,
                    found: event.id,
                });
            }
            self.read_events = event.id;
            if let Some(notice) = self.ledger.apply(&event) {
                self.react(notice);
            }
        }
        Ok(full)
    }

    fn react(&mut self, notice: Notice) {
        match notice {
            Notice::Opened { at } => self.opened_at = at,
            Notice::Closed { at } => self.closed_at = Some(at),
            Notice::Enqueued { contact, at } => {
                if let Some(&i) = self.index.get(&contact) {
                    let patience = self.plan.contacts[i].patience_ms as i64;
                    self.agenda.push(at + patience, Action::GiveUp(i));
                }
            }
            Notice::Assigned { contact, at } => {
                if let Some(&i) = self.index.get(&contact) {
                    let handle = self.plan.contacts[i].handle_ms as i64;
                    self.agenda.push(at + handle, Action::Finish(i));
                }
            }
        }
    }
}

fn unexpected_end(contact: &str, state: ContactState) -> SimError {
    SimError::Client(AcdClientError::UnexpectedReply {
        command: "ACD.COMPLETE",
        detail: format!(
            "contact '{contact}' being handled ended as {}",
            state.as_str()
        ),
    })
}

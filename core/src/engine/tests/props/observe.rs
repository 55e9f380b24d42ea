//! What the property tests observe of the engine, in the reference model's terms: replies
//! (errors by code), the agent-state and hand-over events of one command, and the records
//! `ACD.AGENT.GET`, `ACD.CONTACT.GET`, `ACD.AGENTS`, `ACD.QUEUE` and `ACD.STATS` show.

use super::super::reference::{AgentRow, ContactRow, Event, Res};
use super::super::render;
use super::ops::{AGENTS, CONTACTS};
use crate::{AgentView, Center, Command, ContactView, EventKind, Reply, StatsView};

/// The events the model keeps: agent states and hand-overs.
const KINDS: [EventKind; 5] = [
    EventKind::Ready,
    EventKind::NotReady,
    EventKind::Offered,
    EventKind::Assigned,
    EventKind::WrapUp,
];

pub(super) fn expected(res: &Res) -> String {
    match res {
        Ok(reply) => render(reply),
        Err(code) => (*code).to_owned(),
    }
}

/// Runs a command line at `now`: the reply (errors by code: the model does not phrase
/// messages) and the events it logged of the kinds the model keeps.
pub(super) fn actual(center: &mut Center, line: &str, now: i64) -> (String, Vec<Event>) {
    let mut words = line.split_whitespace();
    let name = words.next().expect("command name");
    let args: Vec<&[u8]> = words.map(str::as_bytes).collect();
    let cmd = Command::parse(name, &args).unwrap();
    let before = center.last_event_id();
    let reply = match center.execute(&cmd, now).reply {
        Ok(reply) => render(&reply),
        Err(e) => e
            .reply_text()
            .split(' ')
            .next()
            .unwrap_or_default()
            .to_owned(),
    };
    let events = log(center, before)
        .into_iter()
        .filter(|e| KINDS.contains(&e.0))
        .collect();
    (reply, events)
}

/// Every logged event with an id above `since`, oldest first; the agent is empty when none.
pub(super) fn log(center: &Center, since: u64) -> Vec<Event> {
    let Reply::Array(entries) = query(center, &format!("ACD.EVENTS SINCE {since} COUNT 100000"))
    else {
        panic!("events reply");
    };
    let text = |reply: &Reply| match reply {
        Reply::Bulk(s) => Some(s.clone()),
        _ => None,
    };
    entries
        .into_iter()
        .map(|entry| match &entry {
            Reply::Map(fields) => match &fields[..] {
                [(_, _), (_, Reply::Int(at)), (_, Reply::Bulk(name)), (_, agent), (_, contact), (_, reason)] => (
                    EventKind::parse(name).expect("event name"),
                    text(agent).unwrap_or_default(),
                    text(contact),
                    text(reason),
                    *at,
                ),
                _ => panic!("event entry: {entry:?}"),
            },
            other => panic!("event entry: {other:?}"),
        })
        .collect()
}

pub(super) fn query(center: &Center, line: &str) -> Reply {
    let mut words = line.split_whitespace();
    let name = words.next().unwrap();
    let args: Vec<&[u8]> = words.map(str::as_bytes).collect();
    center
        .query(&Command::parse(name, &args).unwrap(), 0)
        .unwrap()
}

pub(super) fn ids(reply: Reply) -> Vec<String> {
    match reply {
        Reply::Array(items) => items
            .into_iter()
            .map(|r| match r {
                Reply::Bulk(s) => s,
                other => panic!("not an id: {other:?}"),
            })
            .collect(),
        other => panic!("not an array: {other:?}"),
    }
}

/// The JSON a `GET` answers for `id`, if it exists.
fn get(center: &Center, name: &str, id: &str) -> Option<String> {
    let cmd = Command::parse(name, &[id.as_bytes()]).unwrap();
    match center.query(&cmd, 0) {
        Ok(Reply::Bulk(json)) => Some(json),
        _ => None,
    }
}

/// Every agent, by id, as `ACD.AGENT.GET` shows it.
pub(super) fn agent_rows(center: &Center) -> Vec<AgentRow> {
    AGENTS
        .iter()
        .filter_map(|a| get(center, "ACD.AGENT.GET", a))
        .map(|json| {
            let view: AgentView = serde_json::from_str(&json).unwrap();
            AgentRow {
                id: view.id,
                state: view.state,
                since: view.since,
                reason: view.reason,
                contact: view.contact,
                contacts: view.contacts,
                capacity: view.capacity,
                skills: view.skills,
            }
        })
        .collect()
}

/// Every contact, by id, as `ACD.CONTACT.GET` shows it.
pub(super) fn contact_rows(center: &Center) -> Vec<ContactRow> {
    CONTACTS
        .iter()
        .filter_map(|c| get(center, "ACD.CONTACT.GET", c))
        .map(|json| {
            let view: ContactView = serde_json::from_str(&json).unwrap();
            (view.id, view.state, view.skills, view.channel)
        })
        .collect()
}

/// The `ACD.STATS` fields the model keeps, the others at their defaults.
pub(super) fn kept_stats(stats: StatsView) -> StatsView {
    StatsView {
        agents_ready: stats.agents_ready,
        agents_notready: stats.agents_notready,
        agents_busy: stats.agents_busy,
        agents_offered: stats.agents_offered,
        agents_wrapup: stats.agents_wrapup,
        queued: stats.queued,
        enqueued_total: stats.enqueued_total,
        assigned_total: stats.assigned_total,
        completed_total: stats.completed_total,
        abandoned_total: stats.abandoned_total,
        timeout_total: stats.timeout_total,
        avg_wait_ms: stats.avg_wait_ms,
        queued_by_channel: stats.queued_by_channel,
        agents_free_by_channel: stats.agents_free_by_channel,
        handling_by_channel: stats.handling_by_channel,
        assigned_by_channel: stats.assigned_by_channel,
        ..StatsView::default()
    }
}

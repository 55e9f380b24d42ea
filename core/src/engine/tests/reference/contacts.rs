//! Contacts in the reference model: the queue in routing order, the strategies' picks among
//! the agents eligible on a contact's channel (by scanning them all), hand-overs (offer,
//! assignment, misses, wrap-up) and the contact commands.
//!
//! Two directions of routing: a contact that arrives or returns to the queue goes to the
//! strategy's pick (`route`); an agent that may have gained room takes queued contacts in
//! routing order while it can (`fill`).

use std::cmp::Reverse;
use std::collections::BTreeMap;

use crate::{ContactState, EventKind, Mode, Reply, Strategy};

use super::agents::{Agent, Held, Hold, Presence};
use super::{bulk, Model, Res};

type Reqs = BTreeMap<String, u8>;

#[derive(Clone, Debug)]
pub(super) struct Contact {
    pub(super) reqs: Reqs,
    /// Relaxation steps still to come: (ms after enqueue, requirement).
    pub(super) steps: Vec<(i64, Reqs)>,
    pub(super) channel: String,
    priority: i64,
    pub(super) st: ContactState,
    agent: Option<String>,
    pub(super) enq: i64,
    pub(super) seq: u64,
    pub(super) ended: Option<i64>,
}

/// `ceil(a / b)` for positive numbers.
fn div_ceil(a: i64, b: i64) -> i64 {
    (a + b - 1) / b
}

impl Model {
    pub(super) fn queued_in_order(&self) -> Vec<String> {
        let mut q: Vec<(&String, &Contact)> = self
            .contacts
            .iter()
            .filter(|(_, c)| c.st == ContactState::Queued)
            .collect();
        // With ageing, the effective priority p + wait / age, compared at any one instant
        // (scaled by age, instant dropped); ties: earlier enqueue, then earlier sequence.
        let age = i128::from(self.priority_age);
        q.sort_by_key(|(_, c)| {
            let effective = match age {
                0 => i128::from(c.priority),
                _ => i128::from(c.priority) * age - i128::from(c.enq),
            };
            (Reverse(effective), c.enq, c.seq)
        });
        q.into_iter().map(|(id, _)| id.clone()).collect()
    }

    /// Handle time of an agent in the window: buckets of `ceil(window / 60)` ms, the last
    /// `ceil(window / width)` of them up to the clock's.
    fn busy_in_window(&self, a: &Agent) -> i64 {
        if self.occupancy_window == 0 {
            return 0;
        }
        let width = div_ceil(self.occupancy_window, 60);
        let count = div_ceil(self.occupancy_window, width);
        let start = (self.clock.div_euclid(width) - count + 1) * width;
        a.stays
            .iter()
            .map(|&(from, to)| (to - from.max(start)).max(0))
            .sum()
    }

    /// The agent eligible on `c`'s channel, with its skills, that the strategy picks, by
    /// scanning them all; ties and longest-available use the place in the channel's line.
    fn pick(&mut self, c: &str, now: i64) -> Option<String> {
        self.clock = self.clock.max(now);
        let Contact { channel, reqs, .. } = &self.contacts[c];
        let candidates = self
            .agents
            .iter()
            .filter(|(_, a)| a.eligible(channel, self.voice_blocks) && a.serves(reqs));
        let laa = |a: &Agent| a.lines[channel];
        let chosen = match self.strategy {
            Strategy::LongestAvailable => candidates.min_by_key(|(_, a)| laa(a)),
            Strategy::MostSkilled => candidates.min_by_key(|(_, a)| {
                let total: i64 = reqs.keys().map(|s| i64::from(a.skills[s])).sum();
                (Reverse(total), laa(a))
            }),
            Strategy::RoundRobin => {
                let last = self.last_assigned;
                candidates.min_by_key(|(_, a)| (last.is_some_and(|l| a.order <= l), a.order))
            }
            Strategy::LeastOccupied => {
                candidates.min_by_key(|(_, a)| (self.busy_in_window(a), laa(a)))
            }
        };
        chosen.map(|(id, _)| id.clone())
    }

    /// Offers `c` to `a`, or assigns it without an offer timeout.
    fn assign(&mut self, c: &str, a: &str, now: i64) {
        self.last_assigned = Some(self.agents[a].order);
        if self.offer_timeout == 0 {
            return self.connect(c, a, now);
        }
        let contact = self.contacts.get_mut(c).unwrap();
        contact.st = ContactState::Offered;
        contact.agent = Some(a.to_owned());
        let held = Held {
            contact: c.to_owned(),
            channel: contact.channel.clone(),
            hold: Hold::Offered(now + self.offer_timeout),
        };
        self.agents.get_mut(a).unwrap().holds.push(held);
        self.event(EventKind::Offered, a, c, now);
        self.touch(a, now);
    }

    /// Assigns `c` to `a`: an accepted offer keeps its place among the holds.
    fn connect(&mut self, c: &str, a: &str, now: i64) {
        let contact = self.contacts.get_mut(c).unwrap();
        contact.st = ContactState::Assigned;
        contact.agent = Some(a.to_owned());
        self.wait += (now - contact.enq).max(0);
        self.assigned += 1;
        let channel = contact.channel.clone();
        *self.assigned_by_channel.entry(channel.clone()).or_default() += 1;
        let agent = self.agents.get_mut(a).unwrap();
        agent.misses = 0;
        match agent.holds.iter_mut().find(|h| h.handles(c)) {
            Some(offered) => offered.hold = Hold::Assigned(now),
            None => agent.holds.push(Held {
                contact: c.to_owned(),
                channel,
                hold: Hold::Assigned(now),
            }),
        }
        self.event(EventKind::Assigned, a, c, now);
        self.touch(a, now);
    }

    fn event(&mut self, kind: EventKind, a: &str, c: &str, now: i64) {
        self.events
            .push((kind, a.to_owned(), Some(c.to_owned()), None, now));
    }

    /// Gives `c` to the strategy's pick in auto mode; the agent, if any.
    pub(super) fn route(&mut self, c: &str, now: i64) -> Option<String> {
        if self.mode != Mode::Auto {
            return None;
        }
        let a = self.pick(c, now)?;
        self.assign(c, &a, now);
        Some(a)
    }

    /// In auto mode, `a` takes queued contacts it can serve, in routing order, while it can,
    /// then announces its reported state; the first contact it took, if any.
    pub(super) fn fill(&mut self, a: &str, now: i64) -> Option<String> {
        let mut first = None;
        while self.mode == Mode::Auto {
            let agent = &self.agents[a];
            let next = self.queued_in_order().into_iter().find(|c| {
                let contact = &self.contacts[c];
                agent.eligible(&contact.channel, self.voice_blocks) && agent.serves(&contact.reqs)
            });
            let Some(c) = next else { break };
            self.assign(&c, a, now);
            first.get_or_insert(c);
        }
        self.announce(a, now);
        first
    }

    pub(super) fn requeue(&mut self, c: &str, now: i64) {
        let contact = self.contacts.get_mut(c).unwrap();
        contact.st = ContactState::Queued;
        contact.agent = None;
        self.route(c, now);
    }

    /// A missed offer: the agent drops it and goes not ready, the contact is requeued, then
    /// below `max-no-answer` the agent is ready again (closed while the center is) and fills.
    pub(super) fn missed(&mut self, c: &str, a: &str, reason: &str, now: i64) {
        let agent = self.agents.get_mut(a).unwrap();
        agent.misses += 1;
        agent.holds.retain(|h| !h.handles(c));
        self.set_presence(a, Presence::NotReady(Some(reason.to_owned())), now);
        self.requeue(c, now);
        let misses = self.agents[a].misses;
        if self.max_no_answer != 0 && misses >= self.max_no_answer {
            return;
        }
        if self.open {
            self.set_presence(a, Presence::Ready, now);
            self.fill(a, now);
        } else {
            self.set_presence(a, Presence::NotReady(Some("closed".into())), now);
        }
    }

    pub(in crate::engine::tests) fn enqueue(
        &mut self,
        c: &str,
        reqs: &[(String, u8)],
        steps: &[(i64, Vec<(String, u8)>)],
        channel: Option<&str>,
        prio: i64,
        now: i64,
    ) -> Res {
        if self.contacts.contains_key(c) {
            return Err("EXISTS");
        }
        if !self.open {
            return Err("CLOSED");
        }
        let seq = self.next_seq();
        let contact = Contact {
            reqs: reqs.iter().cloned().collect(),
            steps: steps
                .iter()
                .map(|(after, reqs)| (*after, reqs.iter().cloned().collect()))
                .collect(),
            channel: channel.unwrap_or(crate::VOICE).to_owned(),
            priority: prio,
            st: ContactState::Queued,
            agent: None,
            enq: now,
            seq,
            ended: None,
        };
        self.contacts.insert(c.to_owned(), contact);
        self.enqueued += 1;
        Ok(self.route(c, now).map_or(Reply::Nil, |a| bulk(&a)))
    }

    pub(in crate::engine::tests) fn dispatch(&mut self, limit: usize, now: i64) -> Res {
        Ok(Reply::Array(self.dispatch_pairs(limit, now)))
    }

    /// Up to `limit` queued contacts, in routing order, each to the pick on its channel.
    pub(super) fn dispatch_pairs(&mut self, limit: usize, now: i64) -> Vec<Reply> {
        self.clock = self.clock.max(now);
        let mut made = Vec::new();
        for c in self.queued_in_order() {
            if made.len() == limit {
                break;
            }
            if let Some(a) = self.pick(&c, now) {
                self.assign(&c, &a, now);
                made.push(Reply::Array(vec![bulk(&c), bulk(&a)]));
            }
        }
        made
    }

    pub(in crate::engine::tests) fn complete(&mut self, c: &str, now: i64) -> Res {
        let contact = self.contacts.get(c).ok_or("NOCONTACT")?.clone();
        let end = |m: &mut Model, st| {
            let contact = m.contacts.get_mut(c).unwrap();
            contact.st = st;
            contact.ended = Some(now);
            contact.steps.clear();
            contact.agent.take()
        };
        match contact.st {
            ContactState::Queued => {
                end(self, ContactState::Abandoned);
                self.abandoned += 1;
            }
            ContactState::Offered => {
                let a = end(self, ContactState::Abandoned).unwrap();
                self.abandoned += 1;
                self.drop_hold(&a, c, now);
                self.fill(&a, now);
            }
            ContactState::Assigned => {
                let a = end(self, ContactState::Completed).unwrap();
                self.completed += 1;
                self.clock = self.clock.max(now);
                let wrapup = (self.wrapup > 0).then(|| (now + self.wrapup, self.next_seq()));
                let agent = self.agents.get_mut(&a).unwrap();
                let held = agent.holds.iter_mut().find(|h| h.handles(c)).unwrap();
                let Hold::Assigned(from) = held.hold else {
                    unreachable!("an assigned contact has an assigned hold")
                };
                agent.stays.push((from, now));
                match wrapup {
                    Some((until, seq)) => {
                        held.hold = Hold::WrapUp(until, seq);
                        // The wrap-up event names the agent and the contact it completed.
                        self.events.push((
                            EventKind::WrapUp,
                            a.clone(),
                            Some(c.to_owned()),
                            None,
                            now,
                        ));
                        self.touch(&a, now);
                    }
                    None => {
                        self.drop_hold(&a, c, now);
                        self.fill(&a, now);
                    }
                }
            }
            _ => {}
        }
        Ok(Reply::Status(self.contacts[c].st.as_str()))
    }

    fn offered(&self, c: &str) -> Result<String, &'static str> {
        let contact = self.contacts.get(c).ok_or("NOCONTACT")?;
        match (&contact.st, &contact.agent) {
            (ContactState::Offered, Some(a)) => Ok(a.clone()),
            _ => Err("NOTOFFERED"),
        }
    }

    pub(in crate::engine::tests) fn accept(&mut self, c: &str, now: i64) -> Res {
        let a = self.offered(c)?;
        self.connect(c, &a, now);
        Ok(Reply::Ok)
    }

    pub(in crate::engine::tests) fn reject(&mut self, c: &str, now: i64) -> Res {
        let a = self.offered(c)?;
        self.missed(c, &a, "rejected", now);
        Ok(Reply::Ok)
    }
}

//! [`Ledger`]: the simulator's own account of the run, kept from the center's event log
//! (`ACD.EVENTS`), which carries the time of every change: when each contact was enqueued,
//! assigned and ended, and how long each agent spent in each state. The [`Report`] comes
//! from here, and the simulator learns from here when a contact it waits for was assigned
//! (also when the assignment happened inside another command, such as the COMPLETE that
//! freed the agent).

use std::collections::HashMap;

use acd_core::{AgentState, Event, EventKind};

use super::report::Report;

/// What the simulator must react to after an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Notice {
    /// The center opened at `at`.
    Opened { at: i64 },
    /// The center closed at `at`.
    Closed { at: i64 },
    /// A contact was enqueued at `at`.
    Enqueued { contact: String, at: i64 },
    /// A contact was assigned at `at`.
    Assigned { contact: String, at: i64 },
}

#[derive(Debug, Clone, Copy)]
struct ContactLog {
    enqueued_at: i64,
    /// Waiting for an agent (queued, or offered: not yet answered).
    waiting: bool,
}

#[derive(Debug, Clone, Copy)]
struct Stay {
    state: AgentState,
    since: i64,
}

/// Counts and times of one run, as the event log tells them.
#[derive(Debug, Clone)]
pub(crate) struct Ledger {
    /// Waits up to this long count toward the service level (the center's `sla-threshold`).
    sla_ms: i64,
    contacts: HashMap<String, ContactLog>,
    agents: HashMap<String, Stay>,
    enqueued: u64,
    assigned: u64,
    completed: u64,
    abandoned: u64,
    timeouts: u64,
    within_sla: u64,
    wait_ms: i128,
    max_wait_ms: i64,
    /// Contacts waiting now.
    waiting: usize,
    /// Agents busy now.
    busy: usize,
    /// Time agents spent busy or in wrap-up, in stays that ended.
    worked_ms: i128,
    /// Time agents spent ready, offered, busy or in wrap-up, in stays that ended.
    staffed_ms: i128,
}

impl Ledger {
    pub(crate) fn new(sla_ms: i64) -> Ledger {
        Ledger {
            sla_ms,
            contacts: HashMap::new(),
            agents: HashMap::new(),
            enqueued: 0,
            assigned: 0,
            completed: 0,
            abandoned: 0,
            timeouts: 0,
            within_sla: 0,
            wait_ms: 0,
            max_wait_ms: 0,
            waiting: 0,
            busy: 0,
            worked_ms: 0,
            staffed_ms: 0,
        }
    }

    /// Accounts for one event; says what the simulator must react to.
    pub(crate) fn apply(&mut self, event: &Event) -> Option<Notice> {
        let at = event.at;
        if let Some(agent) = &event.agent {
            self.agent_event(agent, event.kind, at);
        }
        let contact = event.contact.clone();
        match (event.kind, contact) {
            (EventKind::Opened, _) => Some(Notice::Opened { at }),
            (EventKind::Closed, _) => Some(Notice::Closed { at }),
            (EventKind::Enqueued, Some(contact)) => {
                self.enqueued += 1;
                self.waiting += 1;
                self.contacts.insert(
                    contact.clone(),
                    ContactLog {
                        enqueued_at: at,
                        waiting: true,
                    },
                );
                Some(Notice::Enqueued { contact, at })
            }
            (EventKind::Requeued, Some(contact)) => {
                let log = self.contacts.get_mut(&contact)?;
                self.waiting += usize::from(!log.waiting);
                log.waiting = true;
                None
            }
            (EventKind::Assigned, Some(contact)) => {
                let log = self.contacts.get_mut(&contact)?;
                self.waiting -= usize::from(log.waiting);
                log.waiting = false;
                // As the center counts it: never negative, within the threshold inclusive.
                let wait = (at - log.enqueued_at).max(0);
                self.assigned += 1;
                self.wait_ms += i128::from(wait);
                self.within_sla += u64::from(wait <= self.sla_ms);
                self.max_wait_ms = self.max_wait_ms.max(wait);
                Some(Notice::Assigned { contact, at })
            }
            (EventKind::Completed | EventKind::Abandoned | EventKind::Timeout, Some(contact)) => {
                let log = self.contacts.get_mut(&contact)?;
                if log.waiting {
                    self.max_wait_ms = self.max_wait_ms.max(at - log.enqueued_at);
                    self.waiting -= 1;
                }
                log.waiting = false;
                match event.kind {
                    EventKind::Completed => self.completed += 1,
                    EventKind::Abandoned => self.abandoned += 1,
                    _ => self.timeouts += 1,
                }
                None
            }
            _ => None,
        }
    }

    /// An agent's state changes with the events that name it.
    fn agent_event(&mut self, agent: &str, kind: EventKind, at: i64) {
        let next = match kind {
            EventKind::AgentAdded | EventKind::NotReady => AgentState::NotReady,
            EventKind::Ready => AgentState::Ready,
            EventKind::Offered => AgentState::Offered,
            EventKind::Assigned => AgentState::Busy,
            EventKind::WrapUp => AgentState::WrapUp,
            EventKind::AgentDeleted => {
                if let Some(stay) = self.agents.remove(agent) {
                    self.close(stay, at);
                }
                return;
            }
            _ => return,
        };
        let stay = Stay {
            state: next,
            since: at,
        };
        self.busy += usize::from(next == AgentState::Busy);
        if let Some(previous) = self.agents.insert(agent.to_owned(), stay) {
            self.close(previous, at);
        }
    }

    fn close(&mut self, stay: Stay, at: i64) {
        self.busy -= usize::from(stay.state == AgentState::Busy);
        let (worked, staffed) = stay_time(stay, at);
        self.worked_ms += worked;
        self.staffed_ms += staffed;
    }

    /// Contacts ended so far.
    pub(crate) fn ended(&self) -> u64 {
        self.completed + self.abandoned + self.timeouts
    }

    /// Contacts handled so far.
    pub(crate) fn handled(&self) -> u64 {
        self.completed
    }

    /// Contacts abandoned so far.
    pub(crate) fn abandoned(&self) -> u64 {
        self.abandoned
    }

    /// Whether `contact` is waiting for an agent now.
    pub(crate) fn is_waiting(&self, contact: &str) -> bool {
        self.contacts.get(contact).is_some_and(|c| c.waiting)
    }

    /// Contacts waiting now.
    pub(crate) fn waiting(&self) -> usize {
        self.waiting
    }

    /// Agents busy now.
    pub(crate) fn busy(&self) -> usize {
        self.busy
    }

    /// The report as of `now_ms` (agents' current stays count up to then).
    pub(crate) fn report(&self, now_ms: i64) -> Report {
        let (mut worked, mut staffed) = (self.worked_ms, self.staffed_ms);
        for stay in self.agents.values() {
            let (w, s) = stay_time(*stay, now_ms);
            worked += w;
            staffed += s;
        }
        let mut max_wait_ms = self.max_wait_ms;
        for log in self.contacts.values().filter(|c| c.waiting) {
            max_wait_ms = max_wait_ms.max(now_ms - log.enqueued_at);
        }
        let decided = i128::from(self.assigned + self.abandoned + self.timeouts);
        Report {
            offered: self.enqueued,
            handled: self.completed,
            abandoned: self.abandoned,
            asa_ms: if self.assigned == 0 {
                0
            } else {
                self.wait_ms.div_euclid(i128::from(self.assigned)) as i64
            },
            max_wait_ms,
            service_level: ratio(i128::from(self.within_sla), decided),
            occupancy: ratio(worked, staffed),
        }
    }
}

/// (worked, staffed) ms of a stay ending at `at`.
fn stay_time(stay: Stay, at: i64) -> (i128, i128) {
    let ms = i128::from((at - stay.since).max(0));
    match stay.state {
        AgentState::Busy | AgentState::WrapUp => (ms, ms),
        AgentState::Ready | AgentState::Offered => (0, ms),
        AgentState::NotReady => (0, 0),
    }
}

/// `num / den` in 0..=1 (0 when there is nothing to divide), as ACD.STATS computes ratios.
fn ratio(num: i128, den: i128) -> f64 {
    if den <= 0 {
        0.0
    } else {
        (num as f64 / den as f64).clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(at: i64, kind: EventKind, agent: Option<&str>, contact: Option<&str>) -> Event {
        Event {
            id: 0,
            at,
            kind,
            agent: agent.map(str::to_owned),
            contact: contact.map(str::to_owned),
            reason: None,
        }
    }

    fn play(ledger: &mut Ledger, events: &[Event]) -> Vec<Notice> {
        events.iter().filter_map(|e| ledger.apply(e)).collect()
    }

    #[test]
    fn a_handled_and_an_abandoned_contact() {
        use EventKind::*;
        let mut ledger = Ledger::new(20_000);
        let notices = play(
            &mut ledger,
            &[
                event(0, AgentAdded, Some("a1"), None),
                event(0, Opened, None, None),
                event(0, Ready, Some("a1"), None),
                event(100, Enqueued, None, Some("c1")),
                event(100, Assigned, Some("a1"), Some("c1")),
                event(200, Enqueued, None, Some("c2")),
                event(1_100, Completed, Some("a1"), Some("c1")),
                // Freed by the COMPLETE, the agent takes the waiting contact at once.
                event(1_100, Assigned, Some("a1"), Some("c2")),
                event(1_600, Completed, Some("a1"), Some("c2")),
                event(1_600, Ready, Some("a1"), None),
                event(1_700, Enqueued, None, Some("c3")),
                event(1_700, Assigned, Some("a1"), Some("c3")),
                event(1_700, Enqueued, None, Some("c4")),
                event(22_000, Abandoned, None, Some("c4")),
                event(22_000, Completed, Some("a1"), Some("c3")),
                event(22_000, Ready, Some("a1"), None),
                event(22_000, Closed, None, None),
                event(22_000, NotReady, Some("a1"), None),
            ],
        );
        assert!(notices.contains(&Notice::Assigned {
            contact: "c2".into(),
            at: 1_100
        }));
        assert_eq!(notices.last(), Some(&Notice::Closed { at: 22_000 }));
        let report = ledger.report(30_000);
        assert_eq!(report.offered, 4);
        assert_eq!(report.handled, 3);
        assert_eq!(report.abandoned, 1);
        // Waits 0, 900 and 0 ms.
        assert_eq!(report.asa_ms, 300);
        // c4 waited 20.3 s and gave up.
        assert_eq!(report.max_wait_ms, 20_300);
        // Three answered within 20 s of four decided.
        assert_eq!(report.service_level, 0.75);
        // Busy 100..1600 and 1700..22000 of 0..22000 staffed; not-ready time is not staffed.
        assert_eq!(report.occupancy, 21_800.0 / 22_000.0);
        assert_eq!(ledger.ended(), 4);
        assert_eq!(ledger.waiting(), 0);
    }

    #[test]
    fn open_stays_count_up_to_the_report_time() {
        use EventKind::*;
        let mut ledger = Ledger::new(20_000);
        play(
            &mut ledger,
            &[
                event(0, AgentAdded, Some("a1"), None),
                event(0, Ready, Some("a1"), None),
                event(0, AgentAdded, Some("a2"), None),
                event(0, Ready, Some("a2"), None),
                event(50, Enqueued, None, Some("c1")),
                event(50, Assigned, Some("a1"), Some("c1")),
                event(60, Enqueued, None, Some("c2")),
            ],
        );
        assert_eq!(ledger.busy(), 1);
        assert!(ledger.is_waiting("c2"));
        let report = ledger.report(100);
        assert_eq!(report.occupancy, 50.0 / 200.0);
        assert_eq!(report.max_wait_ms, 40);
        assert_eq!(report.service_level, 1.0);
    }

    #[test]
    fn nothing_to_divide_is_zero() {
        let report = Ledger::new(20_000).report(0);
        assert_eq!(report.asa_ms, 0);
        assert_eq!(report.service_level, 0.0);
        assert_eq!(report.occupancy, 0.0);
    }
}

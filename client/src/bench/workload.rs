//! The workloads: who the agents are and what the contacts need, from a seed, so that every
//! variant sees exactly the same agents and the same contact sequence.
//!
//! - `small`: 1,000 agents; skills are 2 languages × 3 expertise areas; each agent has one of
//!   each, and each contact needs one of each.
//! - `large` (and the scaling sweep): 20 skills, 4 per agent, each contact needs 2, all drawn
//!   uniformly.
//!
//! Skill levels are all 1: the baselines have no notion of level.

use rand::rngs::StdRng;
use rand::seq::index::sample;
use rand::{Rng, SeedableRng};

/// What a workload's skills look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// One language and one expertise each.
    Small,
    /// 4 of 20 skills per agent, 2 per contact.
    Large,
}

const LANGUAGES: [&str; 2] = ["english", "spanish"];
const EXPERTISE: [&str; 3] = ["billing", "technical", "sales"];
const LARGE_SKILLS: usize = 20;
const LARGE_PER_AGENT: usize = 4;
const LARGE_PER_CONTACT: usize = 2;

/// A set of agents and the rule that draws contacts.
#[derive(Debug, Clone)]
pub(crate) struct Workload {
    /// `small`, `large` or `sweep`.
    pub(crate) name: &'static str,
    shape: Shape,
    /// Skill names, indexed by skill number.
    pub(crate) skills: Vec<String>,
    /// Each agent's skill numbers; agent `i` is called `a{i}`.
    pub(crate) agents: Vec<Vec<usize>>,
    seed: u64,
}

impl Workload {
    /// The `small` workload.
    pub(crate) fn small(seed: u64) -> Workload {
        let skills = LANGUAGES
            .iter()
            .chain(&EXPERTISE)
            .map(|s| s.to_string())
            .collect();
        Workload::build("small", Shape::Small, skills, 1_000, seed)
    }

    /// The `large` workload with `agents` agents (10,000 for `large` itself).
    pub(crate) fn large(name: &'static str, agents: usize, seed: u64) -> Workload {
        let skills = (0..LARGE_SKILLS).map(|s| format!("s{s:02}")).collect();
        Workload::build(name, Shape::Large, skills, agents, seed)
    }

    fn build(
        name: &'static str,
        shape: Shape,
        skills: Vec<String>,
        agents: usize,
        seed: u64,
    ) -> Workload {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut w = Workload {
            name,
            shape,
            skills,
            agents: Vec::new(),
            seed,
        };
        w.agents = (0..agents).map(|_| w.draw(&mut rng, Side::Agent)).collect();
        w
    }

    fn draw(&self, rng: &mut StdRng, side: Side) -> Vec<usize> {
        let mut drawn = match self.shape {
            Shape::Small => vec![
                rng.gen_range(0..LANGUAGES.len()),
                LANGUAGES.len() + rng.gen_range(0..EXPERTISE.len()),
            ],
            Shape::Large => {
                let count = match side {
                    Side::Agent => LARGE_PER_AGENT,
                    Side::Contact => LARGE_PER_CONTACT,
                };
                sample(rng, LARGE_SKILLS, count).into_vec()
            }
        };
        drawn.sort_unstable();
        drawn
    }

    /// Agent `i`'s id.
    pub(crate) fn agent_id(i: usize) -> String {
        format!("a{i}")
    }

    /// The number of agent `id` (`a{i}`), if it is one of ours.
    pub(crate) fn agent_number(id: &str) -> Option<usize> {
        id.strip_prefix('a')?.parse().ok()
    }

    /// Skill names of a skill-number list, joined with `,` (the baselines' storage format).
    pub(crate) fn joined(&self, skills: &[usize]) -> String {
        let names: Vec<&str> = skills.iter().map(|&s| self.skills[s].as_str()).collect();
        names.join(",")
    }

    /// The contacts of one connection (`worker`): the same sequence for every variant.
    pub(crate) fn contacts(&self, worker: usize) -> Contacts<'_> {
        Contacts {
            workload: self,
            rng: StdRng::seed_from_u64(self.seed ^ (0x9E37_79B9 * (worker as u64 + 1))),
            worker,
            next: 0,
        }
    }

    /// One line describing the workload.
    pub(crate) fn describe(&self) -> String {
        format!(
            "{} ({} agents, {} skills, {} per agent, {} per contact)",
            self.name,
            self.agents.len(),
            self.skills.len(),
            self.agents.first().map_or(0, Vec::len),
            match self.shape {
                Shape::Small => 2,
                Shape::Large => LARGE_PER_CONTACT,
            }
        )
    }
}

#[derive(Debug, Clone, Copy)]
enum Side {
    Agent,
    Contact,
}

/// A new contact: its id and the skill numbers it needs.
#[derive(Debug, Clone)]
pub(crate) struct Contact {
    pub(crate) id: String,
    pub(crate) skills: Vec<usize>,
}

/// An endless, seeded stream of contacts for one connection; ids are `w{worker}-{n}`.
pub(crate) struct Contacts<'a> {
    workload: &'a Workload,
    rng: StdRng,
    worker: usize,
    next: u64,
}

impl Iterator for Contacts<'_> {
    type Item = Contact;

    fn next(&mut self) -> Option<Contact> {
        self.next += 1;
        Some(Contact {
            id: format!("w{}-{}", self.worker, self.next),
            skills: self.workload.draw(&mut self.rng, Side::Contact),
        })
    }
}

//! The engine benches' workload, shared by the criterion benches (`routing.rs`) and the
//! counted routing loop (`examples/route_counts.rs`): a center of agents holding 2–4 of S
//! skills at levels 1–10, contacts needing 1–3 skills of one random agent at levels up to
//! that agent's (so every contact is routable), all from a seeded RNG, and a fake clock that
//! advances one millisecond per command.

use acd_core::command::{
    AgentAdd, AgentAt, Complete, Config, ConfigParam, ConfigValue, ContactAt, Enqueue, Ready,
};
use acd_core::{Capacity, Center, Command, Mode, Reply, Skill};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

/// Distinct pre-built `enqueue` commands, cycled; far more than can be retained at once.
pub(crate) const RING: usize = 4_096;
/// Fewest untimed passes over the ring before an `enqueue` path is measured.
const WARM_PASSES: usize = 4;
/// Untimed routes per agent before an `enqueue` path is measured (when more than
/// [`WARM_PASSES`] passes): the skips that pay for a skill set's line add up to the holders
/// of its rarest skill, a share of the agents, so the routes a center takes to learn its sets
/// grow with the agent count. Counted under callgrind at 20 skills, the instructions per route
/// settle after about 10 routes per agent at 10k agents and 6 at 100k.
const WARM_ROUTES_PER_AGENT: usize = 10;
const SEED: u64 = 0xACD;

/// A center under test, its clock, and the staff it was built from.
pub(crate) struct Bench {
    pub(crate) center: Center,
    pub(crate) now: i64,
    /// Each agent's skills, by agent number (`a{n}`).
    pub(crate) staff: Vec<Vec<Skill>>,
    pub(crate) rng: StdRng,
    contacts: u64,
}

impl Bench {
    /// `agents` agents over `skills` skill names, all not ready, in `mode`, retention 0.
    pub(crate) fn new(agents: usize, skills: usize, mode: Mode) -> Bench {
        Bench::with_capacity(agents, skills, mode, None)
    }

    /// Like [`Bench::new`], every agent with this capacity (`None`: the default, `voice=1`).
    pub(crate) fn with_capacity(
        agents: usize,
        skills: usize,
        mode: Mode,
        capacity: Option<Vec<Capacity>>,
    ) -> Bench {
        let mut rng = StdRng::seed_from_u64(SEED);
        let staff = (0..agents).map(|_| profile(skills, &mut rng)).collect();
        let mut bench = Bench {
            center: Center::new(),
            now: 1_700_000_000_000,
            staff,
            rng,
            contacts: 0,
        };
        bench.config(ConfigValue::Mode(mode));
        bench.config(ConfigValue::Number(ConfigParam::Retention, 0));
        for n in 0..agents {
            let cmd = Command::AgentAdd(AgentAdd {
                agent: agent_id(n),
                skills: bench.staff[n].clone(),
                capacity: capacity.clone(),
                meta: None,
                at: None,
            });
            bench.run(&cmd);
        }
        bench
    }

    pub(crate) fn config(&mut self, value: ConfigValue) {
        self.run(&Command::Config(Config::Set { value, at: None }));
    }

    /// Runs a command one millisecond after the previous one; benches only send valid ones.
    pub(crate) fn run(&mut self, cmd: &Command) -> Reply {
        self.now += 1;
        match self.center.execute(cmd, self.now).reply {
            Ok(reply) => reply,
            Err(e) => panic!("{} failed: {e}", cmd.name()),
        }
    }

    pub(crate) fn ready_all(&mut self) {
        for n in 0..self.staff.len() {
            self.run(&ready(n));
        }
    }

    /// A new contact needing some skills of agent `n`.
    pub(crate) fn contact_for(&mut self, n: usize) -> Command {
        self.contacts += 1;
        let skills = need(&self.staff[n], &mut self.rng);
        enqueue(format!("c{}", self.contacts), skills, None)
    }

    /// A new contact needing some skills of a random agent.
    pub(crate) fn any_contact(&mut self) -> Command {
        let n = self.rng.gen_range(0..self.staff.len());
        self.contact_for(n)
    }

    /// Every agent ready, and [`RING`] pairs of an `ACD.ENQUEUE` (on `channel`, default
    /// voice) of a contact needing some skills of a random agent and its `ACD.COMPLETE`.
    pub(crate) fn enqueue_ring(&mut self, channel: Option<&str>) -> Vec<(Command, Command)> {
        self.ready_all();
        (0..RING)
            .map(|i| {
                let Command::Enqueue(e) = self.any_contact() else {
                    unreachable!("any_contact builds an ENQUEUE")
                };
                let id = format!("r{i}");
                (enqueue(id.clone(), e.skills, channel), complete(&id))
            })
            .collect()
    }

    /// Untimed passes over the ring until the center is in its steady state: it has learned
    /// the ring's hot skill sets (see the engine's `skill_sets.rs`: a set's line is built once
    /// its walks have skipped as many agents as its rarest skill has holders).
    pub(crate) fn warm(&mut self, ring: &[(Command, Command)]) {
        let passes = WARM_PASSES.max(self.staff.len() * WARM_ROUTES_PER_AGENT / ring.len());
        for _ in 0..passes {
            for (enq, done) in ring {
                self.run(enq);
                self.run(done);
            }
        }
    }
}

pub(crate) fn agent_id(n: usize) -> String {
    format!("a{n}")
}

/// 2–4 distinct skills out of `skills`, at levels 1–10.
fn profile(skills: usize, rng: &mut StdRng) -> Vec<Skill> {
    let count = rng.gen_range(2..=4).min(skills);
    rand::seq::index::sample(rng, skills, count)
        .into_iter()
        .map(|s| Skill::new(format!("s{s}"), rng.gen_range(1..=10)))
        .collect()
}

/// 1–3 of an agent's skills, each at a level the agent meets.
fn need(profile: &[Skill], rng: &mut StdRng) -> Vec<Skill> {
    let count = rng.gen_range(1..=3).min(profile.len());
    profile
        .choose_multiple(rng, count)
        .map(|s| Skill::new(s.name.clone(), rng.gen_range(1..=s.level)))
        .collect()
}

pub(crate) fn enqueue(contact: String, skills: Vec<Skill>, channel: Option<&str>) -> Command {
    Command::Enqueue(Enqueue {
        contact,
        skills,
        relax: Vec::new(),
        channel: channel.map(str::to_owned),
        priority: None,
        meta: None,
        at: None,
    })
}

pub(crate) fn complete(contact: &str) -> Command {
    Command::Complete(Complete(ContactAt {
        contact: contact.to_owned(),
        at: None,
    }))
}

pub(crate) fn ready(n: usize) -> Command {
    Command::Ready(Ready(AgentAt {
        agent: agent_id(n),
        at: None,
    }))
}

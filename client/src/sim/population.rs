//! The seeded cast of a run ([`Plan`]): agents with random first and last names, one
//! language and one expertise each; contacts with arrival times, the language and
//! expertise they need, their channel (a call, or a chat with `--chat-share`), their patience
//! and their handle time. Everything random is drawn here, up front, in a fixed order, so a
//! seed fixes the whole workload (and a run without chats draws no channels, so its workload
//! is the one it always was).

use acd_core::{Skill, VOICE};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use super::cli::{Config, Span};

/// The languages an agent speaks and a contact needs (one each).
pub const LANGUAGES: [&str; 2] = ["english", "spanish"];
/// The expertise an agent has and a contact needs (one each).
pub const EXPERTISE: [&str; 3] = ["support", "disputes", "billing"];
/// The channel of chats (calls are on [`VOICE`]).
pub const CHAT: &str = "chat";

const FIRST_NAMES: [&str; 20] = [
    "Ana", "Bruno", "Carmen", "David", "Elena", "Farah", "Gabriel", "Hana", "Ivan", "Julia",
    "Kofi", "Lucia", "Mateo", "Nadia", "Omar", "Paula", "Quentin", "Rosa", "Samuel", "Teresa",
];
const LAST_NAMES: [&str; 20] = [
    "Alvarez",
    "Brown",
    "Castro",
    "Diaz",
    "Evans",
    "Fernandez",
    "Garcia",
    "Hughes",
    "Ibarra",
    "Jones",
    "Kim",
    "Lopez",
    "Martin",
    "Nguyen",
    "Ortiz",
    "Perez",
    "Quinn",
    "Reyes",
    "Smith",
    "Torres",
];

/// One simulated agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentPlan {
    /// Agent id (`agent-007`).
    pub id: String,
    /// Random first name (kept in the agent's meta).
    pub first_name: &'static str,
    /// Random last name (kept in the agent's meta).
    pub last_name: &'static str,
    /// The two skills: a language and an expertise.
    pub skills: [Skill; 2],
}

/// One simulated contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactPlan {
    /// Contact id (`contact-0042`).
    pub id: String,
    /// Arrival, in ms after the center opens.
    pub arrives_ms: u64,
    /// The two skills it needs: a language and an expertise.
    pub skills: [Skill; 2],
    /// Its channel: [`VOICE`] or [`CHAT`].
    pub channel: &'static str,
    /// How long it waits for an agent before abandoning.
    pub patience_ms: u64,
    /// How long its agent handles it.
    pub handle_ms: u64,
}

/// The whole workload of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The agents, in id order.
    pub agents: Vec<AgentPlan>,
    /// The contacts, in arrival order.
    pub contacts: Vec<ContactPlan>,
}

impl Plan {
    /// Draws the workload of `config` from its seed.
    pub fn generate(config: &Config) -> Plan {
        let mut rng = StdRng::seed_from_u64(config.seed);
        let agents = (0..config.agents)
            .map(|i| AgentPlan {
                id: numbered("agent", i, config.agents),
                first_name: pick(&mut rng, &FIRST_NAMES),
                last_name: pick(&mut rng, &LAST_NAMES),
                skills: two_skills(&mut rng),
            })
            .collect();
        let mut arrives_ms = 0;
        let contacts = (0..config.contacts)
            .map(|i| {
                if i > 0 {
                    arrives_ms += draw(&mut rng, config.arrival_ms);
                }
                ContactPlan {
                    id: numbered("contact", i, config.contacts),
                    arrives_ms,
                    skills: two_skills(&mut rng),
                    patience_ms: draw(&mut rng, config.patience_ms),
                    handle_ms: draw(&mut rng, config.handle_ms),
                    channel: if config.chat_share > 0.0 && rng.gen_bool(config.chat_share) {
                        CHAT
                    } else {
                        VOICE
                    },
                }
            })
            .collect();
        Plan { agents, contacts }
    }
}

/// `prefix-0042`, zero-padded to the width of the largest number, so ids sort in order.
fn numbered(prefix: &str, i: usize, count: usize) -> String {
    let width = count.max(1).to_string().len();
    format!("{prefix}-{:0width$}", i + 1)
}

fn pick(rng: &mut StdRng, items: &[&'static str]) -> &'static str {
    items.choose(rng).copied().unwrap_or_default()
}

fn two_skills(rng: &mut StdRng) -> [Skill; 2] {
    [
        Skill::new(pick(rng, &LANGUAGES), 1),
        Skill::new(pick(rng, &EXPERTISE), 1),
    ]
}

fn draw(rng: &mut StdRng, span: Span) -> u64 {
    rng.gen_range(span.min..=span.max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(seed: u64) -> Config {
        Config {
            redis: String::new(),
            center: String::new(),
            agents: 12,
            contacts: 30,
            arrival_ms: Span { min: 400, max: 600 },
            handle_ms: Span {
                min: 1000,
                max: 3000,
            },
            patience_ms: Span { min: 10, max: 10 },
            chat_share: 0.0,
            chat_capacity: 3,
            speed: Some(10.0),
            seed,
            reset: false,
        }
    }

    #[test]
    fn a_seed_fixes_the_workload() {
        assert_eq!(Plan::generate(&config(7)), Plan::generate(&config(7)));
        assert_ne!(Plan::generate(&config(7)), Plan::generate(&config(8)));
    }

    #[test]
    fn draws_stay_in_their_ranges() {
        let plan = Plan::generate(&config(1));
        assert_eq!(plan.agents.len(), 12);
        assert_eq!(plan.agents[0].id, "agent-01");
        assert_eq!(plan.contacts[29].id, "contact-30");
        assert_eq!(plan.contacts[0].arrives_ms, 0);
        for pair in plan.contacts.windows(2) {
            let gap = pair[1].arrives_ms - pair[0].arrives_ms;
            assert!((400..=600).contains(&gap), "gap {gap}");
        }
        for c in &plan.contacts {
            assert!((1000..=3000).contains(&c.handle_ms));
            assert_eq!(c.patience_ms, 10);
            assert!(LANGUAGES.contains(&c.skills[0].name.as_str()));
            assert!(EXPERTISE.contains(&c.skills[1].name.as_str()));
            assert_eq!(c.channel, VOICE, "no chats without --chat-share");
        }
    }

    #[test]
    fn a_chat_share_mixes_chats_into_the_same_arrivals() {
        let calls = Plan::generate(&config(3));
        let mixed = Plan::generate(&Config {
            chat_share: 0.5,
            contacts: 200,
            ..config(3)
        });
        let chats = mixed.contacts.iter().filter(|c| c.channel == CHAT).count();
        assert!((60..=140).contains(&chats), "{chats} chats of 200");
        assert_eq!(mixed.agents, calls.agents, "agents are drawn first");
        let all_chats = Plan::generate(&Config {
            chat_share: 1.0,
            ..config(3)
        });
        assert!(all_chats.contacts.iter().all(|c| c.channel == CHAT));
    }

    #[test]
    fn ids_are_padded_to_sort_in_order() {
        assert_eq!(numbered("agent", 0, 1), "agent-1");
        assert_eq!(numbered("agent", 0, 10), "agent-01");
        assert_eq!(numbered("agent", 9, 10), "agent-10");
        assert_eq!(numbered("agent", 0, 11), "agent-01");
        assert_eq!(numbered("contact", 99, 100), "contact-100");
    }
}

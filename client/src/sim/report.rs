//! [`Report`]: the numbers a run ends with, as text for a person or as one JSON object,
//! and their comparison with `ACD.STATS` on the same center.

use std::fmt::Write as _;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::Stats;

/// The outcome of a run. Serialized (`--json`) with exactly these keys; `service_level` and
/// `occupancy` are shares in 0..=1, as ACD.STATS gives them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Contacts enqueued.
    pub offered: u64,
    /// Contacts an agent handled to completion.
    pub handled: u64,
    /// Contacts that gave up waiting.
    pub abandoned: u64,
    /// Average speed of answer: mean wait of answered contacts, ms, rounded down.
    pub asa_ms: i64,
    /// Longest wait of any contact, answered or not, ms.
    pub max_wait_ms: i64,
    /// Share of contacts (answered or abandoned) answered within the center's
    /// `sla-threshold` (20 s by default).
    pub service_level: f64,
    /// Share of the agents' staffed time (ready, offered, busy, wrap-up) spent busy or in
    /// wrap-up.
    pub occupancy: f64,
}

/// Ratios this close count as equal (they are computed from the same integers).
const RATIO_TOLERANCE: f64 = 1e-9;

impl Report {
    /// The fields that differ from `stats` (read at the end of the run), described; empty
    /// when the report agrees with the center.
    pub fn disagreements(&self, stats: &Stats) -> Vec<String> {
        let mut found = Vec::new();
        let mut count = |name: &str, ours: i64, theirs: i64, field: &str| {
            if ours != theirs {
                found.push(format!("{name} is {ours}, ACD.STATS {field} is {theirs}"));
            }
        };
        count(
            "offered",
            self.offered as i64,
            stats.enqueued_total,
            "enqueued_total",
        );
        count(
            "handled",
            self.handled as i64,
            stats.completed_total,
            "completed_total",
        );
        count(
            "abandoned",
            self.abandoned as i64,
            stats.abandoned_total,
            "abandoned_total",
        );
        count("asa_ms", self.asa_ms, stats.avg_wait_ms, "avg_wait_ms");
        for (name, ours, theirs) in [
            ("service_level", self.service_level, stats.service_level),
            ("occupancy", self.occupancy, stats.occupancy),
        ] {
            if (ours - theirs).abs() > RATIO_TOLERANCE {
                found.push(format!("{name} is {ours}, ACD.STATS {name} is {theirs}"));
            }
        }
        found
    }

    /// The report for a person: one labelled line per number.
    pub fn to_text(&self, run: &RunSummary) -> String {
        let mut text = String::new();
        let mut line = |label: &str, value: String| {
            let _ = writeln!(text, "  {label:<26}{value:>12}");
        };
        line("offered", self.offered.to_string());
        line("handled", self.handled.to_string());
        line("abandoned", self.abandoned.to_string());
        line("average speed of answer", format!("{} ms", self.asa_ms));
        line("longest wait", format!("{} ms", self.max_wait_ms));
        line(
            &format!("service level ({} s)", run.sla_ms / 1000),
            format!("{:.1} %", self.service_level * 100.0),
        );
        line(
            "agent occupancy",
            format!("{:.1} %", self.occupancy * 100.0),
        );
        format!(
            "acd-sim: center '{}', {} agents, seed {}, {}\n{text}  simulated {} in {:.1} s\n",
            run.center,
            run.agents,
            run.seed,
            match run.speed {
                Some(speed) => format!("simulated time at {speed}x"),
                None => "real time".to_owned(),
            },
            clock(run.simulated_ms),
            run.elapsed.as_secs_f64(),
        )
    }
}

/// What the text report says about the run besides its numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct RunSummary {
    /// Center key.
    pub center: String,
    /// Number of agents.
    pub agents: usize,
    /// Seed.
    pub seed: u64,
    /// Speed, or `None` for real time.
    pub speed: Option<f64>,
    /// The center's service-level threshold.
    pub sla_ms: i64,
    /// Center time from opening to closing.
    pub simulated_ms: i64,
    /// Real time the run took.
    pub elapsed: Duration,
}

/// `h:mm:ss` of a duration in ms.
fn clock(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Report {
        Report {
            offered: 10,
            handled: 8,
            abandoned: 2,
            asa_ms: 120,
            max_wait_ms: 900,
            service_level: 0.8,
            occupancy: 0.25,
        }
    }

    #[test]
    fn json_has_exactly_the_report_keys() {
        let json = serde_json::to_value(report()).expect("serializable");
        let mut keys: Vec<&str> = json
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        let mut want = vec![
            "offered",
            "handled",
            "abandoned",
            "asa_ms",
            "max_wait_ms",
            "service_level",
            "occupancy",
        ];
        want.sort_unstable();
        assert_eq!(keys, want);
    }

    #[test]
    fn agrees_with_matching_stats_and_names_each_difference() {
        let mut stats = Stats {
            enqueued_total: 10,
            completed_total: 8,
            abandoned_total: 2,
            avg_wait_ms: 120,
            service_level: 0.8,
            occupancy: 0.25,
            ..Stats::default()
        };
        assert!(report().disagreements(&stats).is_empty());
        stats.completed_total = 7;
        stats.occupancy = 0.5;
        let found = report().disagreements(&stats);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].starts_with("handled is 8"));
        assert!(found[1].starts_with("occupancy is 0.25"));
    }

    #[test]
    fn text_names_every_number() {
        let text = report().to_text(&RunSummary {
            center: "c".into(),
            agents: 4,
            seed: 1,
            speed: Some(100.0),
            sla_ms: 20_000,
            simulated_ms: 3_723_000,
            elapsed: Duration::from_millis(1500),
        });
        for needle in [
            "offered", "80.0 %", "25.0 %", "120 ms", "900 ms", "1:02:03", "100x",
        ] {
            assert!(text.contains(needle), "{needle} in\n{text}");
        }
    }
}

//! The results: what was measured, as a table or one JSON object, and the targets of issue 4
//! checked against them.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::reference::Latency;
use super::runner::Sample;

/// One variant's runs and their median.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct VariantResult {
    /// Median of the runs.
    pub(crate) assignments_per_s: f64,
    /// Median of the runs' server CPU time per assignment.
    pub(crate) server_us_per_assignment: f64,
    pub(crate) runs: Vec<Sample>,
}

/// The variants side by side on one workload.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Comparison {
    pub(crate) workload: String,
    pub(crate) description: String,
    pub(crate) agents: usize,
    /// By JSON name: `module`, `lua`, `client_side`.
    pub(crate) variants: BTreeMap<String, VariantResult>,
    /// `module/lua` and `module/client_side`, for the variants that ran.
    pub(crate) ratios: BTreeMap<String, f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) latency: Option<Latency>,
}

impl Comparison {
    pub(crate) fn rate(&self, variant: &str) -> Option<f64> {
        self.variants.get(variant).map(|v| v.assignments_per_s)
    }

    /// Fills in the ratios of `module` to each baseline that ran.
    pub(crate) fn compute_ratios(&mut self) {
        let Some(module) = self.rate("module") else {
            return;
        };
        for base in ["lua", "client_side"] {
            if let Some(rate) = self.rate(base).filter(|r| *r > 0.0) {
                self.ratios.insert(format!("module/{base}"), module / rate);
            }
        }
    }
}

/// The scaling sweep: module and lua at each agent count.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Sweep {
    pub(crate) points: Vec<Comparison>,
    /// Each variant's rate at the largest agent count over its rate at the smallest.
    pub(crate) scaling: BTreeMap<String, f64>,
}

impl Sweep {
    pub(crate) fn new(points: Vec<Comparison>) -> Sweep {
        let mut scaling = BTreeMap::new();
        if let (Some(first), Some(last)) = (points.first(), points.last()) {
            for variant in ["module", "lua"] {
                if let (Some(a), Some(b)) = (first.rate(variant), last.rate(variant)) {
                    let name = format!("{variant} {}/{}", last.agents, first.agents);
                    scaling.insert(name, b / a);
                }
            }
        }
        Sweep { points, scaling }
    }

    fn module_scaling(&self) -> Option<(usize, usize, f64)> {
        let (first, last) = (self.points.first()?, self.points.last()?);
        Some((
            first.agents,
            last.agents,
            last.rate("module")? / first.rate("module")?,
        ))
    }
}

/// Where and how the figures were measured.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Setting {
    pub(crate) unix_time: u64,
    pub(crate) nproc: usize,
    pub(crate) cpu: String,
    pub(crate) redis_version: String,
    pub(crate) mode: &'static str,
    pub(crate) seconds: f64,
    pub(crate) repeat: usize,
    pub(crate) pipeline: usize,
    pub(crate) connections: usize,
    /// Pipelined PINGs per second this client drives with the same connections and depth.
    pub(crate) ceiling_pings_per_s: f64,
}

/// One target of issue 4 and whether this run met it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Target {
    pub(crate) name: &'static str,
    pub(crate) want: String,
    pub(crate) got: String,
    pub(crate) met: bool,
}

/// Everything one invocation measured.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Report {
    pub(crate) workload: &'static str,
    pub(crate) setting: Setting,
    /// `small` and/or `large`, in run order.
    pub(crate) comparisons: Vec<Comparison>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) sweep: Option<Sweep>,
    pub(crate) targets: Vec<Target>,
}

impl Report {
    /// Checks the targets this run measured (the throughput ones need steady mode).
    pub(crate) fn check_targets(&mut self) {
        let steady = self.setting.mode == "steady";
        let mut targets = Vec::new();
        let large = self.comparisons.iter().find(|c| c.workload == "large");
        if let Some(large) = large.filter(|_| steady) {
            if let Some(rate) = large.rate("module") {
                targets.push(target(
                    "module steady large",
                    ">= 250,000 assignments/s",
                    format!("{} assignments/s", thousands(rate)),
                    rate >= 250_000.0,
                ));
            }
            for (name, want) in [("module/lua", 50.0), ("module/client_side", 500.0)] {
                if let Some(&ratio) = large.ratios.get(name) {
                    targets.push(target(
                        name,
                        format!(">= {want}x (large, 10k agents)"),
                        format!("{ratio:.0}x"),
                        ratio >= want,
                    ));
                }
            }
        }
        if let Some((low, high, ratio)) = self.sweep.as_ref().and_then(Sweep::module_scaling) {
            if steady {
                targets.push(target(
                    "module scaling",
                    format!(">= 0.7 x rate at {low} agents, at {high}"),
                    format!("{ratio:.2}x"),
                    ratio >= 0.7,
                ));
            }
        }
        for c in &self.comparisons {
            if let Some(l) = &c.latency {
                targets.push(target(
                    "ENQUEUE p99 latency",
                    format!("<= 2x PING p99 ({})", c.workload),
                    format!(
                        "{:.1} us vs {:.1} us = {:.2}x",
                        l.enqueue.p99_us, l.ping.p99_us, l.p99_ratio
                    ),
                    l.p99_ratio <= 2.0,
                ));
            }
        }
        self.targets = targets;
    }

    pub(crate) fn missed(&self) -> bool {
        self.targets.iter().any(|t| !t.met)
    }

    /// The human-readable form.
    pub(crate) fn table(&self) -> String {
        let s = &self.setting;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "redis {} on {} x {}; mode {}, {} s x {} runs (median), pipeline {}, {} connections",
            s.redis_version, s.nproc, s.cpu, s.mode, s.seconds, s.repeat, s.pipeline, s.connections
        );
        let _ = writeln!(
            out,
            "harness ceiling: {} pipelined PINGs/s\n",
            thousands(s.ceiling_pings_per_s)
        );
        for c in &self.comparisons {
            comparison_table(&mut out, c);
        }
        if let Some(sweep) = &self.sweep {
            let _ = writeln!(out, "scaling sweep (large skills)");
            let _ = writeln!(
                out,
                "  {:>8}  {:>14}  {:>14}  {:>10}",
                "agents", "module /s", "lua /s", "module/lua"
            );
            for p in &sweep.points {
                let rate = |v| p.rate(v).map_or("-".to_owned(), thousands);
                let ratio = p
                    .ratios
                    .get("module/lua")
                    .map_or("-".to_owned(), |r| format!("{r:.0}x"));
                let _ = writeln!(
                    out,
                    "  {:>8}  {:>14}  {:>14}  {:>10}",
                    p.agents,
                    rate("module"),
                    rate("lua"),
                    ratio
                );
            }
            for (name, ratio) in &sweep.scaling {
                let _ = writeln!(out, "  {name} agents: {ratio:.2}x");
            }
            out.push('\n');
        }
        if !self.targets.is_empty() {
            let _ = writeln!(out, "targets (issue 4)");
            for t in &self.targets {
                let mark = if t.met { "met   " } else { "MISSED" };
                let _ = writeln!(
                    out,
                    "  {mark} {:<22} want {:<34} got {}",
                    t.name, t.want, t.got
                );
            }
        }
        out
    }
}

fn comparison_table(out: &mut String, c: &Comparison) {
    let _ = writeln!(out, "{}", c.description);
    let _ = writeln!(
        out,
        "  {:<12} {:>16} {:>14}  runs",
        "variant", "assignments/s", "server us/a"
    );
    let order = ["module", "lua", "client_side"];
    for (name, v) in order
        .iter()
        .filter_map(|n| c.variants.get(*n).map(|v| (n, v)))
    {
        let runs: Vec<String> = v
            .runs
            .iter()
            .map(|r| thousands(r.assignments_per_s))
            .collect();
        let _ = writeln!(
            out,
            "  {:<12} {:>16} {:>14.2}  {}",
            name.replace('_', "-"),
            thousands(v.assignments_per_s),
            v.server_us_per_assignment,
            runs.join(" ")
        );
    }
    for (name, ratio) in &c.ratios {
        let _ = writeln!(out, "  {name}: {ratio:.0}x");
    }
    if let Some(l) = &c.latency {
        let _ = writeln!(
            out,
            "  latency, {} non-pipelined round trips: ENQUEUE p50 {:.1} us p99 {:.1} us; PING p50 {:.1} us p99 {:.1} us; p99 ratio {:.2}x",
            l.samples, l.enqueue.p50_us, l.enqueue.p99_us, l.ping.p50_us, l.ping.p99_us, l.p99_ratio
        );
    }
    out.push('\n');
}

fn target(name: &'static str, want: impl Into<String>, got: String, met: bool) -> Target {
    Target {
        name,
        want: want.into(),
        got,
        met,
    }
}

/// `1234567.8` as `1,234,568`.
pub(crate) fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value.max(0.0));
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

//! `acd-bench`: end-to-end assignments per second on a real redis-server, the ACD module side
//! by side with the baselines a user would pick instead, on the same server process and the
//! same seeded workload.
//!
//! Start at [`main`]. Parts: [`cli`] (flags), [`server`] (the server under test, started here
//! unless `--redis` is given), [`workload`] (agents and contact streams), [`runner`] (one
//! measured run of a [`runner::Variant`]), the variants [`module`], [`lua`] and
//! [`client_side`], [`reference`] (latency and the harness ceiling) and [`report`] (table,
//! JSON, targets).
//!
//! Exit status: 0 on success, 1 when a run fails (server, command error, a reply or end state
//! that correct routing cannot produce), 2 on bad flags, 3 with `--check-targets` when a
//! target of issue 4 is missed.

mod cli;
mod client_side;
mod error;
mod lua;
mod module;
mod reference;
mod report;
mod runner;
mod server;
mod workload;

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::Parser;

use cli::{Cli, VariantName, WorkloadName};
use error::{BenchError, Result};
use report::{Comparison, Report, Setting, Sweep, VariantResult};
use runner::{median, run_once, Drive, Variant};
use server::Server;
use workload::Workload;

/// Seconds of pipelined PINGs for the harness ceiling.
const CEILING_SECONDS: f64 = 1.0;

pub(crate) fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(report) => {
            if cli.json {
                match serde_json::to_string_pretty(&report) {
                    Ok(text) => println!("{text}"),
                    Err(e) => {
                        eprintln!("acd-bench: {e}");
                        return ExitCode::FAILURE;
                    }
                }
            } else {
                print!("{}", report.table());
            }
            if cli.check_targets && report.missed() {
                eprintln!("acd-bench: a target was missed");
                return ExitCode::from(3);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("acd-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: &Cli) -> Result<Report> {
    if cli.seconds <= 0.0 || cli.repeat == 0 || cli.pipeline == 0 || cli.connections == 0 {
        return Err(BenchError::Check(
            "--seconds, --repeat, --pipeline and --connections must be positive".into(),
        ));
    }
    let server = match &cli.redis {
        Some(url) => Server::connect(url)?,
        None => {
            let module = cli.module.clone().unwrap_or_else(server::default_module);
            Server::start(&cli.redis_server, &module)?
        }
    };
    eprintln!("acd-bench: server {}", server.url);
    let setting = Setting {
        unix_time: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        nproc: std::thread::available_parallelism().map_or(1, |n| n.get()),
        cpu: cpu_model(),
        redis_version: server.version()?,
        mode: cli.mode.as_str(),
        seconds: cli.seconds,
        repeat: cli.repeat,
        pipeline: cli.pipeline,
        connections: cli.connections,
        ceiling_pings_per_s: reference::ceiling(
            &server.client,
            cli.connections,
            cli.pipeline * 2,
            CEILING_SECONDS.min(cli.seconds),
        )?,
    };
    let all = variants(&cli.variants);
    let (mut comparisons, mut sweep) = (Vec::new(), None);
    let wanted = |w| cli.workload == w || cli.workload == WorkloadName::All;
    if wanted(WorkloadName::Small) {
        comparisons.push(compare(
            &server,
            cli,
            &Workload::small(cli.seed),
            &all,
            true,
        )?);
    }
    if wanted(WorkloadName::Large) {
        let large = Workload::large("large", 10_000, cli.seed);
        comparisons.push(compare(&server, cli, &large, &all, true)?);
    }
    if wanted(WorkloadName::Sweep) {
        let pair: Vec<&dyn Variant> = all
            .iter()
            .copied()
            .filter(|v| matches!(v.name(), "module" | "lua"))
            .collect();
        let points = cli
            .sweep
            .iter()
            .map(|&agents| {
                let w = Workload::large("sweep", agents, cli.seed);
                compare(&server, cli, &w, &pair, false)
            })
            .collect::<Result<Vec<_>>>()?;
        sweep = Some(Sweep::new(points));
    }
    let mut report = Report {
        workload: match cli.workload {
            WorkloadName::Small => "small",
            WorkloadName::Large => "large",
            WorkloadName::Sweep => "sweep",
            WorkloadName::All => "all",
        },
        setting,
        comparisons,
        sweep,
        targets: Vec::new(),
    };
    report.check_targets();
    Ok(report)
}

fn variants(names: &[VariantName]) -> Vec<&'static dyn Variant> {
    static MODULE: module::Module = module::Module;
    static CLIENT_SIDE: client_side::ClientSide = client_side::ClientSide;
    static LUA: std::sync::OnceLock<lua::Lua> = std::sync::OnceLock::new();
    let mut out: Vec<&'static dyn Variant> = Vec::new();
    for name in [
        VariantName::Module,
        VariantName::Lua,
        VariantName::ClientSide,
    ] {
        if names.contains(&name) {
            out.push(match name {
                VariantName::Module => &MODULE,
                VariantName::Lua => LUA.get_or_init(lua::Lua::new),
                VariantName::ClientSide => &CLIENT_SIDE,
            });
        }
    }
    out
}

/// Runs each variant `--repeat` times on `workload`, alternating variants run by run.
fn compare(
    server: &Server,
    cli: &Cli,
    workload: &Workload,
    variants: &[&dyn Variant],
    with_latency: bool,
) -> Result<Comparison> {
    let drive = Drive {
        mode: cli.mode,
        seconds: cli.seconds,
        pipeline: cli.pipeline,
        connections: cli.connections,
        contacts: cli.contacts.unwrap_or(workload.agents.len() / 2).max(1),
    };
    let mut runs: BTreeMap<String, Vec<runner::Sample>> = BTreeMap::new();
    for round in 1..=cli.repeat {
        for &variant in variants {
            let sample = run_once(&server.client, variant, workload, drive)?;
            eprintln!(
                "acd-bench: {} {} agents {} run {round}/{}: {} assignments in {:.2} s = {}/s, server {:.2} us/assignment",
                workload.name,
                workload.agents.len(),
                variant.name(),
                cli.repeat,
                sample.assignments,
                sample.seconds,
                report::thousands(sample.assignments_per_s),
                sample.server_us_per_assignment
            );
            runs.entry(variant.name().replace('-', "_"))
                .or_default()
                .push(sample);
        }
    }
    let latency = match (with_latency, cli.latency_samples) {
        (true, samples) if samples > 0 && variants.iter().any(|v| v.name() == "module") => {
            Some(reference::latency(&server.client, workload, samples)?)
        }
        _ => None,
    };
    let mut comparison = Comparison {
        workload: workload.name.to_owned(),
        description: format!("{}, {} mode", workload.describe(), cli.mode.as_str()),
        agents: workload.agents.len(),
        variants: runs
            .into_iter()
            .map(|(name, runs)| {
                let result = VariantResult {
                    assignments_per_s: median(&runs, |s| s.assignments_per_s),
                    server_us_per_assignment: median(&runs, |s| s.server_us_per_assignment),
                    runs,
                };
                (name, result)
            })
            .collect(),
        ratios: BTreeMap::new(),
        latency,
    };
    comparison.compute_ratios();
    Ok(comparison)
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .and_then(|rest| rest.split_once(':'))
                .map(|(_, model)| model.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned())
}

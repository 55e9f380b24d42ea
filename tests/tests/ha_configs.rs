//! The deployment configs in `haproxy/` are valid (`haproxy -c`, `keepalived -t`), and the loopback variant of
//! haproxy.cfg, which the failover tests run, checks servers exactly like the one the compose stack runs.

use std::fs;
use std::process::Command;

use acd_tests::ha::{haproxy_dir, require_tool, LB_A, LB_B, VIP};

/// The environment `haproxy-loopback.cfg` needs to parse.
const LOOPBACK_ENV: &[(&str, &str)] = &[
    ("ACD_REST_BIND", "127.0.0.1:8000"),
    ("ACD_REST1_ADDR", "127.0.0.1:8101"),
    ("ACD_REST2_ADDR", "127.0.0.1:8102"),
    ("ACD_REDIS_BIND", "127.0.0.1:12000"),
    ("ACD_REDIS1_ADDR", "127.0.0.1:6379"),
    ("ACD_REDIS2_ADDR", "127.0.0.1:6380"),
];

fn haproxy_check(file: &str, env: &[(&str, &str)]) -> String {
    let mut command = Command::new("haproxy");
    command.arg("-c").arg("-f").arg(haproxy_dir().join(file));
    for (k, v) in env {
        command.env(k, v);
    }
    let out = command.output().expect("run haproxy -c");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "haproxy -c -f {file} {env:?}:\n{text}"
    );
    text
}

#[test]
fn haproxy_configs_are_valid_with_and_without_a_redis_password() {
    require_tool("haproxy", "haproxy");
    let password = [("REDIS_PASSWORD", "secret")];
    for env in [&[][..], &password[..]] {
        haproxy_check("haproxy.cfg", env);
        let mut loopback = LOOPBACK_ENV.to_vec();
        loopback.extend_from_slice(env);
        let text = haproxy_check("haproxy-loopback.cfg", &loopback);
        assert!(
            !text.contains("WARNING"),
            "loopback config warnings:\n{text}"
        );
    }
}

/// The settings of `section` (e.g. `backend redis_primary`), without comments, `server` and `bind` lines:
/// what decides how servers are checked. Section headers are the lines that start at column 0.
fn check_settings(config: &str, section: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut inside = false;
    for raw in config.lines() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if !raw.starts_with(char::is_whitespace) && !line.starts_with('.') {
            inside = line == section;
        } else if inside && !line.starts_with("server") && !line.starts_with("bind") {
            lines.push(line.to_string());
        }
    }
    lines
}

#[test]
fn loopback_config_checks_like_the_compose_config() {
    let read = |f: &str| fs::read_to_string(haproxy_dir().join(f)).expect("read a haproxy config");
    let (compose, loopback) = (read("haproxy.cfg"), read("haproxy-loopback.cfg"));
    for section in ["defaults", "backend rest", "backend redis_primary"] {
        let (a, b) = (
            check_settings(&compose, section),
            check_settings(&loopback, section),
        );
        assert!(a.len() > 2, "{section} not found in haproxy.cfg");
        assert_eq!(
            a, b,
            "`{section}` differs between haproxy.cfg and haproxy-loopback.cfg"
        );
    }
}

#[test]
fn keepalived_config_is_valid_for_both_nodes() {
    require_tool("keepalived", "keepalived");
    let conf = haproxy_dir().join("keepalived.conf");
    for id in ["lb-a", "lb-b"] {
        let out = Command::new("keepalived")
            .arg("--config-test")
            .arg("--use-file")
            .arg(&conf)
            .args(["--config-id", id])
            .output()
            .expect("run keepalived -t");
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "keepalived -t -i {id}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // The namespace test builds this subnet; the compose file pins the same addresses.
    let text = fs::read_to_string(&conf).expect("read keepalived.conf");
    assert!(
        text.contains(&format!("{VIP}/")),
        "VIP {VIP} in keepalived.conf"
    );
    let compose =
        fs::read_to_string(haproxy_dir().join("../docker/compose.yml")).expect("read compose.yml");
    for addr in [VIP, LB_A, LB_B] {
        assert!(compose.contains(addr), "{addr} in docker/compose.yml");
    }
}

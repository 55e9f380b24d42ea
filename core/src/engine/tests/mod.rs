//! Engine tests: scenario tables (`scenarios.rs` for the base rules; `ageing.rs`,
//! `relaxation.rs` and `strategies.rs` for priority ageing, requirement relaxation and the
//! routing strategies; `channels.rs` for channels and agents holding several contacts;
//! `written_at.rs` for the time of the last write), and random
//! operation sequences checked against a naive reference model (`reference/`, `props/`).

mod ageing;
mod channels;
mod props;
mod reference;
mod relaxation;
mod scenarios;
mod strategies;
mod written_at;

use crate::{Center, Command, Reply};

/// Renders a reply compactly: `OK`, `nil`, `a1`, `[c1 a1]`, `{queued=1 ...}`.
pub(super) fn render(reply: &Reply) -> String {
    match reply {
        Reply::Ok => "OK".into(),
        Reply::Nil => "nil".into(),
        Reply::Status(s) => (*s).into(),
        Reply::Bulk(s) => s.clone(),
        Reply::Int(n) => n.to_string(),
        Reply::Double(x) => format!("{x:.3}"),
        Reply::Array(items) => format!(
            "[{}]",
            items.iter().map(render).collect::<Vec<_>>().join(" ")
        ),
        Reply::Map(fields) => format!(
            "{{{}}}",
            fields
                .iter()
                .map(|(k, v)| format!("{k}={}", render(v)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    }
}

/// Plays `(time, command, expected reply)` steps on a new center, auditing after each.
pub(super) fn play(steps: &[(i64, &str, &str)]) -> Center {
    let mut center = Center::new();
    for (i, &(now, line, want)) in steps.iter().enumerate() {
        let got = run(&mut center, line, now);
        assert_eq!(got, want, "step {i}: {line}");
        assert_eq!(center.check(), Vec::<String>::new(), "step {i}: {line}");
    }
    center
}

/// A copy of `center` through its encoding, checked to encode to the same bytes and to pass
/// the audit.
pub(super) fn reloaded(center: &Center) -> Center {
    let bytes = center.encode();
    let copy = Center::decode(&bytes).expect("decodes");
    assert_eq!(copy.encode(), bytes, "the copy encodes differently");
    assert_eq!(
        copy.check(),
        Vec::<String>::new(),
        "the copy fails the audit"
    );
    copy
}

/// Runs one command line (without the key) at `now`; replies and errors as text.
pub(super) fn run(center: &mut Center, line: &str, now: i64) -> String {
    let mut words = line.split_whitespace();
    let name = words.next().expect("command name");
    let args: Vec<&[u8]> = words.map(str::as_bytes).collect();
    let result = Command::parse(name, &args).and_then(|cmd| center.execute(&cmd, now).reply);
    match result {
        Ok(reply) => render(&reply),
        Err(e) => e.reply_text(),
    }
}

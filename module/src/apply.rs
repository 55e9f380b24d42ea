//! Running a write on a center: the path shared by client commands and deadline timers.
//!
//! The center is created only if the command succeeds. After the engine ran, the change is
//! replicated with its event time explicit (`AT`), so replicas and AOF replay never read their
//! own clock; a failed command that still applied due deadlines replicates `ACD.TICK` instead.
//! Events become `acd.*` keyspace notifications, wake blocked `ACD.EVENTS` readers, and the
//! center's next deadline is handed to the timer registry.

use std::ffi::{c_longlong, CString};

use acd_core::command::Tick;
use acd_core::{AcdError, Center, Command, Reply};
use redis_module::{raw, Context, RedisString};

use crate::center_type::CENTER_TYPE;
use crate::deadlines;
use crate::notify;

const WRONGTYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";

/// Why a command failed: an engine error, or a key of another type.
pub(crate) enum Failure {
    Acd(AcdError),
    WrongType,
}

impl Failure {
    pub(crate) fn reply_text(&self) -> String {
        match self {
            Failure::Acd(e) => e.reply_text(),
            Failure::WrongType => WRONGTYPE.to_owned(),
        }
    }
}

/// Runs a write command at `now` on the center at `key_name`. `sent` is the client's
/// argument vector (command name, key, arguments), replicated as it came plus the event time;
/// without it (the timer's ticks) the command is encoded.
pub(crate) fn apply(
    ctx: &Context,
    key_name: &RedisString,
    mut cmd: Command,
    now: i64,
    sent: Option<&[RedisString]>,
) -> Result<Reply, Failure> {
    let client_at = cmd.at();
    let now = client_at.unwrap_or(now);
    // Every write but `ACD.STATE.LOAD` takes `AT`: add the time when the client left it out.
    let add_at = (client_at.is_none() && cmd.at_mut().is_some()).then_some(now);
    let key = ctx.open_key_writable(key_name);
    let mut created = None;
    let center: &mut Center = match key.get_value::<Center>(&CENTER_TYPE) {
        Err(_) => return Err(Failure::WrongType),
        Ok(Some(center)) => center,
        Ok(None) => created.insert(Center::new()),
    };
    let done = center.execute(&cmd, now);
    let next_deadline = center.wakeup();
    // Like Redis's own commands, a write that leaves nothing behind (DISPATCH or TICK on a
    // missing key) does not create the key.
    let keep_created = created
        .as_ref()
        .is_some_and(|c| c.encode() != Center::new().encode());
    if done.reply.is_ok() && keep_created {
        if let Some(center) = created {
            key.set_value(&CENTER_TYPE, center)
                .map_err(|_| Failure::WrongType)?;
        }
    }
    drop(key);

    let changed = match (&done.reply, sent) {
        (Ok(_), Some(args)) => {
            replicate_sent(ctx, cmd.name(), args, add_at);
            true
        }
        (Ok(_), None) => {
            replicate_encoded(ctx, key_name, &cmd);
            true
        }
        (Err(_), _) if done.settled > 0 => {
            replicate_encoded(ctx, key_name, &Command::Tick(Tick { at: Some(now) }));
            true
        }
        (Err(_), _) => false,
    };
    if changed {
        deadlines::track(ctx, key_name.as_slice(), next_deadline);
    }
    notify::notify(ctx, &done.events, key_name);
    if !done.events.is_empty() {
        // SAFETY: ctx and key_name are live for this call; SignalKeyAsReady copies the name.
        unsafe {
            if let Some(signal) = raw::RedisModule_SignalKeyAsReady {
                signal(ctx.get_raw(), key_name.inner);
            }
        }
    }
    done.reply.map_err(Failure::Acd)
}

/// Replicates the client's own arguments, with `AT now` appended when `add_at` says so
/// (a trailing `AT` parses for every write), or verbatim. The client's argument strings are
/// passed on as they are (`v`), not copied.
fn replicate_sent(ctx: &Context, name: &str, sent: &[RedisString], add_at: Option<i64>) {
    let Some(now) = add_at else {
        ctx.replicate_verbatim();
        return;
    };
    let args: Vec<*mut raw::RedisModuleString> = sent[1..].iter().map(|a| a.inner).collect();
    let Ok(name) = CString::new(name) else {
        return;
    };
    // SAFETY: ctx is live for this command; `args` holds the live argument strings of this
    // call (Redis takes its own references); the format "vcl" matches the arguments that
    // follow it: a RedisModuleString* array and its length, a C string, a long long.
    unsafe {
        if let Some(replicate) = raw::RedisModule_Replicate {
            replicate(
                ctx.get_raw(),
                name.as_ptr(),
                c"vcl".as_ptr(),
                args.as_ptr(),
                args.len(),
                c"AT".as_ptr(),
                c_longlong::from(now),
            );
        }
    }
}

/// Replicates a command built here (timer ticks, the `ACD.TICK` of a failed write).
fn replicate_encoded(ctx: &Context, key_name: &RedisString, cmd: &Command) {
    let mut args: Vec<Vec<u8>> = vec![key_name.as_slice().to_vec()];
    args.extend(cmd.encode());
    let refs: Vec<&[u8]> = args.iter().map(Vec::as_slice).collect();
    ctx.replicate(cmd.name(), refs.as_slice());
}

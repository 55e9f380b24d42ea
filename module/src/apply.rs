//! Running a write on a center: the path shared by client commands and deadline timers.
//!
//! The center is created only if the command succeeds. After the engine ran, the change is
//! replicated so that replicas and AOF replay never read their own clock: a write the client
//! sent with `AT`, or without it but running at the center's [`Center::written_at`] (the time
//! of its previous write, as most writes under load do), goes out as it came, and a replica or
//! the AOF replay runs a write without `AT` at that same recorded time; any other write goes
//! out with `AT` added. A failed command that still applied due deadlines replicates
//! `ACD.TICK` instead.
//! Events become `acd.*` keyspace notifications, wake blocked `ACD.EVENTS` readers, and the
//! center's next deadline is handed to the timer registry.

use std::ffi::{c_longlong, CStr, CString};
use std::sync::OnceLock;

use foldhash::HashMap;

use acd_core::command::Tick;
use acd_core::{AcdError, Center, Command, Reply, COMMANDS};
use redis_module::{raw, Context, ContextFlags, RedisString};

use crate::argv::Argv;
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

/// Runs a write command on the center at `key_name`, at `now` (the server's clock) unless the
/// command carries `AT` or is replayed (see the module docs). `sent` is the client's argument
/// vector (command name, key, arguments), replicated as it came, with `AT` added when needed;
/// without it (the timer's ticks) the command is encoded.
pub(crate) fn apply(
    ctx: &Context,
    key_name: &RedisString,
    mut cmd: Command,
    now: i64,
    sent: Option<Argv>,
) -> Result<Reply, Failure> {
    let key = ctx.open_key_writable(key_name);
    let mut created = None;
    let center: &mut Center = match key.get_value::<Center>(&CENTER_TYPE) {
        Err(_) => return Err(Failure::WrongType),
        Ok(Some(center)) => center,
        Ok(None) => created.insert(Center::new()),
    };
    let client_at = cmd.at();
    let last = center.written_at();
    let now = match (client_at, last) {
        (Some(at), _) => at,
        (None, Some(last)) if replayed(ctx) => last,
        (None, _) => now,
    };
    // Every write but `ACD.STATE.LOAD` takes `AT`: add the time when the client left it out
    // and a replay could not tell it from the center.
    let add_at =
        (client_at.is_none() && cmd.at_mut().is_some() && last != Some(now)).then_some(now);
    let done = center.execute(&cmd, now);
    let next_deadline = center.wakeup();
    // Like Redis's own commands, a write that leaves nothing behind (DISPATCH or TICK on a
    // missing key) does not create the key.
    let keep_created = created.as_ref().is_some_and(|c| !c.is_blank());
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

/// Whether this write comes from the primary or from the AOF being loaded, not from a client.
fn replayed(ctx: &Context) -> bool {
    ctx.get_flags()
        .intersects(ContextFlags::REPLICATED | ContextFlags::LOADING)
}

/// Replicates the client's own arguments, with `AT now` appended when `add_at` says so
/// (a trailing `AT` parses for every write), or verbatim. The client's argument strings are
/// passed on as they are (`v`), not copied.
fn replicate_sent(ctx: &Context, name: &str, sent: Argv, add_at: Option<i64>) {
    let Some(now) = add_at else {
        ctx.replicate_verbatim();
        return;
    };
    let Some(name) = c_name(name) else {
        return;
    };
    let args = sent.raw_from(1);
    // SAFETY: ctx is live for this command; `args` holds the live argument strings of this
    // call (Redis only reads the array and takes its own references); the format "vcl"
    // matches the arguments that follow it: a RedisModuleString* array and its length, a C
    // string, a long long.
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

/// A command's name as a C string, made once per command.
fn c_name(name: &str) -> Option<&'static CStr> {
    static NAMES: OnceLock<HashMap<&'static str, CString>> = OnceLock::new();
    NAMES
        .get_or_init(|| {
            COMMANDS
                .iter()
                .filter_map(|&(name, _)| Some((name, CString::new(name).ok()?)))
                .collect()
        })
        .get(name)
        .map(CString::as_c_str)
}

/// Replicates a command built here (timer ticks, the `ACD.TICK` of a failed write).
fn replicate_encoded(ctx: &Context, key_name: &RedisString, cmd: &Command) {
    let mut args: Vec<Vec<u8>> = vec![key_name.as_slice().to_vec()];
    args.extend(cmd.encode());
    let refs: Vec<&[u8]> = args.iter().map(Vec::as_slice).collect();
    ctx.replicate(cmd.name(), refs.as_slice());
}

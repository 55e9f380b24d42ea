//! Running a write on a center: the path shared by client commands and deadline timers.
//!
//! The center is created only if the command succeeds. After the engine ran, the change is
//! replicated with its event time explicit (`AT`), so replicas and AOF replay never read their
//! own clock; a failed command that still applied due deadlines replicates `ACD.TICK` instead.
//! Events become `acd.*` keyspace notifications, wake blocked `ACD.EVENTS` readers, and the
//! center's next deadline is handed to the timer registry.

use acd_core::command::Tick;
use acd_core::{AcdError, Center, Command, Reply};
use redis_module::{raw, Context, NotifyEvent, RedisString};

use crate::center_type::CENTER_TYPE;
use crate::deadlines;

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

/// Runs a write command at `now` on the center at `key_name`.
pub(crate) fn apply(
    ctx: &Context,
    key_name: &RedisString,
    mut cmd: Command,
    now: i64,
) -> Result<Reply, Failure> {
    let now = cmd.at().unwrap_or(now);
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

    let replicated = match (&done.reply, cmd.at_mut()) {
        (Ok(_), Some(at)) => {
            at.get_or_insert(now);
            Some(cmd)
        }
        (Ok(_), None) => Some(cmd),
        (Err(_), _) if done.settled > 0 => Some(Command::Tick(Tick { at: Some(now) })),
        (Err(_), _) => None,
    };
    if let Some(cmd) = replicated {
        let mut args: Vec<Vec<u8>> = vec![key_name.as_slice().to_vec()];
        args.extend(cmd.encode());
        let refs: Vec<&[u8]> = args.iter().map(Vec::as_slice).collect();
        ctx.replicate(cmd.name(), refs.as_slice());
        deadlines::track(ctx, key_name.as_slice(), next_deadline);
    }
    for event in &done.events {
        ctx.notify_keyspace_event(NotifyEvent::MODULE, event.name(), key_name);
    }
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

//! The one command handler behind every `ACD.*` command.
//!
//! Reads: parse, look at the center (an empty one for a missing key), reply.
//! Writes: parse, run on the center (created only if the command succeeds), reply, then
//! replicate the command with its event time explicit (`AT`), so replicas and AOF replay never
//! read their own clock, and notify `acd.*` keyspace events on the center key.

use acd_core::{AcdError, Center, Command, Reply};
use redis_module::{raw, Context, NotifyEvent, RedisResult, RedisString, RedisValue};

use crate::center_type::CENTER_TYPE;
use crate::guard::no_panic;
use crate::resp::{send, send_error};

const WRONGTYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";

/// Entry point registered for every command; replies itself.
pub(crate) fn handle(ctx: &Context, args: Vec<RedisString>) -> RedisResult {
    if let Err(panic) = no_panic(|| run(ctx, &args)) {
        ctx.log_warning(&format!("acd: command panicked: {panic}"));
        send_error(ctx, &format!("ERR internal error: {panic}"));
    }
    Ok(RedisValue::NoReply)
}

/// Why a command failed: an engine error, or a key of another type.
enum Failure {
    Acd(AcdError),
    WrongType,
}

fn run(ctx: &Context, args: &[RedisString]) {
    let name = args
        .first()
        .map(|a| a.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let outcome = match args.get(1) {
        None => Err(Failure::Acd(AcdError::WrongArity(name.clone()))),
        Some(key) => {
            let rest: Vec<&[u8]> = args[2..].iter().map(RedisString::as_slice).collect();
            match Command::parse(&name, &rest) {
                Err(e) => Err(Failure::Acd(e)),
                Ok(cmd) if cmd.is_write() => write(ctx, key, cmd),
                Ok(cmd) => read(ctx, key, &cmd),
            }
        }
    };
    match outcome {
        Ok(reply) => send(ctx, &reply),
        Err(Failure::Acd(e)) => send_error(ctx, &e.reply_text()),
        Err(Failure::WrongType) => send_error(ctx, WRONGTYPE),
    }
}

fn clock_ms() -> i64 {
    // SAFETY: RedisModule_Milliseconds exists in every Redis with modules and takes no arguments.
    unsafe { raw::RedisModule_Milliseconds.map_or(0, |now| now()) }
}

fn read(ctx: &Context, key: &RedisString, cmd: &Command) -> Result<Reply, Failure> {
    let key = ctx.open_key(key);
    let now = clock_ms();
    match key.get_value::<Center>(&CENTER_TYPE) {
        Err(_) => Err(Failure::WrongType),
        Ok(Some(center)) => center.query(cmd, now).map_err(Failure::Acd),
        Ok(None) => Center::new().query(cmd, now).map_err(Failure::Acd),
    }
}

fn write(ctx: &Context, key_name: &RedisString, mut cmd: Command) -> Result<Reply, Failure> {
    let now = cmd.at().unwrap_or_else(clock_ms);
    let key = ctx.open_key_writable(key_name);
    let (reply, events) = match key.get_value::<Center>(&CENTER_TYPE) {
        Err(_) => return Err(Failure::WrongType),
        Ok(Some(center)) => center.execute(&cmd, now).map_err(Failure::Acd)?,
        Ok(None) => {
            let mut center = Center::new();
            let done = center.execute(&cmd, now).map_err(Failure::Acd)?;
            if key.set_value(&CENTER_TYPE, center).is_err() {
                return Err(Failure::WrongType);
            }
            done
        }
    };
    if let Some(at) = cmd.at_mut() {
        at.get_or_insert(now);
    }
    let mut replicated: Vec<Vec<u8>> = vec![key_name.as_slice().to_vec()];
    replicated.extend(cmd.encode());
    let refs: Vec<&[u8]> = replicated.iter().map(Vec::as_slice).collect();
    ctx.replicate(cmd.name(), refs.as_slice());
    for event in &events {
        ctx.notify_keyspace_event(NotifyEvent::MODULE, event.name(), key_name);
    }
    Ok(reply)
}

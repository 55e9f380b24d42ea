//! The one command handler behind every `ACD.*` command: parses with the core grammar, then
//! reads ([`read`]), writes ([`crate::apply`]) or reads the event log, possibly blocking
//! ([`crate::blocking`]), and replies.

use acd_core::{AcdError, Center, Command, Reply};
use redis_module::{raw, Context, RedisResult, RedisString, RedisValue};

use crate::apply::{apply, Failure};
use crate::blocking;
use crate::center_type::CENTER_TYPE;
use crate::guard::no_panic;
use crate::resp::{send, send_error};

/// Entry point registered for every command; replies itself.
pub(crate) fn handle(ctx: &Context, args: Vec<RedisString>) -> RedisResult {
    if let Err(panic) = no_panic(|| run(ctx, &args)) {
        ctx.log_warning(&format!("acd: command panicked: {panic}"));
        send_error(ctx, &format!("ERR internal error: {panic}"));
    }
    Ok(RedisValue::NoReply)
}

/// The parsed form of a full argument vector (command name, key, arguments).
pub(crate) fn parse(args: &[RedisString]) -> Result<Command, AcdError> {
    // Redis only calls this for a registered name, which is ASCII; borrowed, not copied.
    let name = args
        .first()
        .and_then(|name| std::str::from_utf8(name.as_slice()).ok())
        .unwrap_or_default();
    if args.len() < 2 {
        return Err(AcdError::WrongArity(name.to_ascii_lowercase()));
    }
    // The arguments after the key, on the stack for the usual short commands.
    const ON_STACK: usize = 16;
    let rest = &args[2..];
    if rest.len() <= ON_STACK {
        let mut slices: [&[u8]; ON_STACK] = [&[]; ON_STACK];
        for (slot, arg) in slices.iter_mut().zip(rest) {
            *slot = arg.as_slice();
        }
        Command::parse(name, &slices[..rest.len()])
    } else {
        let slices: Vec<&[u8]> = rest.iter().map(RedisString::as_slice).collect();
        Command::parse(name, &slices)
    }
}

fn run(ctx: &Context, args: &[RedisString]) {
    let outcome = match parse(args) {
        Err(e) => Err(Failure::Acd(e)),
        Ok(Command::Events(events)) if events.block.is_some() => {
            match blocking::events_or_block(ctx, &args[1], &events) {
                Some(result) => result,
                None => return,
            }
        }
        Ok(cmd) if cmd.is_write() => apply(ctx, &args[1], cmd, clock_ms(), Some(args)),
        Ok(cmd) => read(ctx, &args[1], &cmd),
    };
    reply(ctx, outcome);
}

pub(crate) fn reply(ctx: &Context, outcome: Result<Reply, Failure>) {
    match outcome {
        Ok(reply) => send(ctx, &reply),
        Err(failure) => send_error(ctx, &failure.reply_text()),
    }
}

/// The server's clock in Unix ms (writes replayed on replicas or from the AOF run at the time
/// recorded in the center instead, see `apply.rs`).
pub(crate) fn clock_ms() -> i64 {
    // SAFETY: RedisModule_Milliseconds takes no arguments and exists in every Redis version
    // with modules; a missing pointer falls back to 0 rather than aborting.
    unsafe { raw::RedisModule_Milliseconds.map_or(0, |now| now()) }
}

pub(crate) fn read(ctx: &Context, key: &RedisString, cmd: &Command) -> Result<Reply, Failure> {
    let key = ctx.open_key(key);
    let now = clock_ms();
    match key.get_value::<Center>(&CENTER_TYPE) {
        Err(_) => Err(Failure::WrongType),
        Ok(Some(center)) => center.query(cmd, now).map_err(Failure::Acd),
        Ok(None) => Center::new().query(cmd, now).map_err(Failure::Acd),
    }
}

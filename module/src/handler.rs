//! The one command handler behind every `ACD.*` command: parses with the core grammar, then
//! reads ([`read`]), writes ([`crate::apply`]) or reads the event log, possibly blocking
//! ([`crate::blocking`]), and replies.

use std::os::raw::c_int;

use acd_core::{AcdError, Center, Command, Reply};
use redis_module::{raw, Context, RedisString};

use crate::apply::{apply, Failure};
use crate::argv::Argv;
use crate::blocking;
use crate::center_type::CENTER_TYPE;
use crate::guard::no_panic;
use crate::resp::{send, send_error};

/// Entry point registered for every command (see `lib.rs`); replies itself.
pub(crate) extern "C" fn on_command(
    ctx: *mut raw::RedisModuleCtx,
    argv: *mut *mut raw::RedisModuleString,
    argc: c_int,
) -> c_int {
    let ctx = Context::new(ctx);
    // SAFETY: Redis passes `argc` argument strings that live for the whole callback.
    let argv = unsafe { Argv::new(argv, argc) };
    if let Err(panic) = no_panic(|| run(&ctx, argv)) {
        ctx.log_warning(&format!("acd: command panicked: {panic}"));
        send_error(&ctx, &format!("ERR internal error: {panic}"));
    }
    raw::Status::Ok as c_int
}

/// The parsed form of a full argument vector (command name, key, arguments).
pub(crate) fn parse(argv: Argv) -> Result<Command, AcdError> {
    // Redis only calls this for a registered name, which is ASCII; borrowed, not copied.
    let name = std::str::from_utf8(argv.bytes(0)).unwrap_or_default();
    if argv.len() < 2 {
        return Err(AcdError::WrongArity(name.to_ascii_lowercase()));
    }
    // The arguments after the key, on the stack for the usual short commands.
    const ON_STACK: usize = 16;
    let rest = argv.len() - 2;
    if rest <= ON_STACK {
        let mut slices: [&[u8]; ON_STACK] = [&[]; ON_STACK];
        for (i, slot) in slices.iter_mut().take(rest).enumerate() {
            *slot = argv.bytes(i + 2);
        }
        Command::parse(name, &slices[..rest])
    } else {
        let slices: Vec<&[u8]> = (2..argv.len()).map(|i| argv.bytes(i)).collect();
        Command::parse(name, &slices)
    }
}

fn run(ctx: &Context, argv: Argv) {
    let cmd = match parse(argv) {
        Ok(cmd) => cmd,
        Err(e) => return reply(ctx, Err(Failure::Acd(e))),
    };
    // A command parses only with a key, so there is one.
    let Some(key) = argv.string(ctx, 1) else {
        return reply(ctx, Err(Failure::Acd(AcdError::Syntax)));
    };
    let outcome = match cmd {
        Command::Events(events) if events.block.is_some() => {
            match blocking::events_or_block(ctx, &key, &events) {
                Some(result) => result,
                None => return,
            }
        }
        cmd if cmd.is_write() => apply(ctx, &key, cmd, clock_ms(), Some(argv)),
        cmd => read(ctx, &key, &cmd),
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

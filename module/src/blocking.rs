//! `ACD.EVENTS ... BLOCK ms`: answer at once when the log has entries after `SINCE`, otherwise
//! block the client on the center key until a write signals it (or the timeout passes).
//! Inside MULTI, Lua or anywhere blocking is denied, it answers at once like a non-blocking read.

use std::os::raw::c_int;
use std::ptr::null_mut;

use acd_core::command::Events;
use acd_core::{Command, Reply};
use redis_module::{raw, Context, ContextFlags, RedisString};

use crate::apply::Failure;
use crate::argv::Argv;
use crate::guard::no_panic;
use crate::handler::{parse, read, reply};
use crate::resp::send;

/// The reply if there is one now; `None` when the client was blocked (the reply comes later).
pub(crate) fn events_or_block(
    ctx: &Context,
    key: &RedisString,
    events: &Events,
) -> Option<Result<Reply, Failure>> {
    let now = read(ctx, key, &Command::Events(events.clone()));
    let empty = matches!(&now, Ok(Reply::Array(items)) if items.is_empty());
    let cannot_block = ctx
        .get_flags()
        .intersects(ContextFlags::MULTI | ContextFlags::LUA | ContextFlags::DENY_BLOCKING);
    if !empty || cannot_block {
        return Some(now);
    }
    let timeout = events.block.unwrap_or(0) as i64;
    let mut keys = [key.inner];
    // SAFETY: ctx is the live command context; `keys` holds one live key name that Redis
    // copies; no private data is passed, so nothing needs freeing.
    let blocked = unsafe {
        raw::RedisModule_BlockClientOnKeys.map(|block| {
            block(
                ctx.get_raw(),
                Some(on_ready),
                Some(on_timeout),
                None,
                timeout,
                keys.as_mut_ptr(),
                1,
                null_mut(),
            )
        })
    };
    match blocked {
        Some(_) => None,
        None => Some(now),
    }
}

/// The key was signalled: answer if the log now has entries, else keep waiting.
extern "C" fn on_ready(
    ctx: *mut raw::RedisModuleCtx,
    args: *mut *mut raw::RedisModuleString,
    argc: c_int,
) -> c_int {
    let ctx = Context::new(ctx);
    // SAFETY: Redis passes the blocked command's `argc` strings, live for this callback.
    let argv = unsafe { Argv::new(args, argc) };
    let answered = no_panic(|| {
        let (Ok(cmd @ Command::Events(_)), Some(key)) = (parse(argv), argv.string(&ctx, 1)) else {
            return false;
        };
        match read(&ctx, &key, &cmd) {
            Ok(Reply::Array(items)) if items.is_empty() => false,
            outcome => {
                reply(&ctx, outcome);
                true
            }
        }
    });
    if answered.unwrap_or(false) {
        raw::Status::Ok as c_int
    } else {
        raw::Status::Err as c_int
    }
}

/// BLOCK ran out with nothing new: a null reply, like XREAD.
extern "C" fn on_timeout(
    ctx: *mut raw::RedisModuleCtx,
    _args: *mut *mut raw::RedisModuleString,
    _argc: c_int,
) -> c_int {
    send(&Context::new(ctx), &Reply::Nil);
    raw::Status::Ok as c_int
}

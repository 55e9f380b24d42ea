//! `acd`: the Redis module that exposes the routing engine of `acd-core` as `ACD.*` commands.
//!
//! Thin glue only: [`handler`] parses a command with the core grammar and reads, or hands a
//! write to [`apply`], which runs it on the center stored at the key, replicates it with its
//! event time made explicit, notifies keyspace events and wakes [`blocking`] `ACD.EVENTS`
//! readers; [`deadlines`] wakes centers whose deadlines passed; [`center_type`] persists a
//! center (RDB, AOF rewrite, DUMP/RESTORE, digest, copy, memory usage); [`resp`] writes
//! replies; [`guard`] keeps a panic from reaching Redis; [`argv`] reads a command's arguments in
//! place. Registration is below: `fast` only where the command is O(k log n) at worst
//! (commands that may route or scan are not fast).

mod apply;
mod argv;
mod blocking;
mod center_type;
mod deadlines;
mod guard;
mod handler;
mod notify;
mod resp;

use std::ffi::CStr;
use std::os::raw::c_int;

use redis_module::{raw, redis_module, Context, NotifyEvent, RedisString, Status};

use center_type::CENTER_TYPE;

/// Every command with its flags; the key is always the first argument.
const COMMANDS: [(&CStr, &CStr); 27] = [
    (c"acd.agent.add", c"write deny-oom fast"),
    (c"acd.agent.del", c"write"),
    (c"acd.agent.get", c"readonly fast"),
    (c"acd.agent.meta", c"write deny-oom fast"),
    (c"acd.agent.grant", c"write deny-oom"),
    (c"acd.agent.revoke", c"write fast"),
    (c"acd.skill.del", c"write"),
    (c"acd.ready", c"write deny-oom"),
    (c"acd.notready", c"write fast"),
    (c"acd.agents", c"readonly"),
    (c"acd.enqueue", c"write deny-oom"),
    (c"acd.dispatch", c"write"),
    (c"acd.complete", c"write"),
    (c"acd.accept", c"write fast"),
    (c"acd.reject", c"write"),
    (c"acd.contact.get", c"readonly fast"),
    (c"acd.queue", c"readonly"),
    (c"acd.open", c"write deny-oom"),
    (c"acd.close", c"write"),
    (c"acd.stats", c"readonly"),
    (c"acd.config", c"write deny-oom"),
    (c"acd.config.get", c"readonly fast"),
    (c"acd.tick", c"write"),
    (c"acd.events", c"readonly blocking"),
    (c"acd.check", c"readonly"),
    (c"acd.estimate", c"readonly"),
    (c"acd.state.load", c"write deny-oom"),
];

/// Registers [`COMMANDS`], all handled by [`handler::on_command`] (registered directly rather
/// than through the `redis-module` wrapper, which copies every argument vector; see
/// `argv.rs`).
fn register_commands(ctx: &Context) -> Status {
    for (name, flags) in COMMANDS {
        // SAFETY: ctx is the module-load context; name and flags are static C strings, and
        // the handler has the signature of RedisModuleCmdFunc.
        let created = unsafe {
            raw::RedisModule_CreateCommand.map_or(raw::Status::Err as c_int, |create| {
                create(
                    ctx.get_raw(),
                    name.as_ptr(),
                    Some(handler::on_command),
                    flags.as_ptr(),
                    1,
                    1,
                    1,
                )
            })
        };
        if created != raw::Status::Ok as c_int {
            ctx.log_warning(&format!("acd: could not register {name:?}"));
            return Status::Err;
        }
    }
    Status::Ok
}

fn init(ctx: &Context, _args: &[RedisString]) -> Status {
    if register_commands(ctx) == Status::Err {
        return Status::Err;
    }
    deadlines::start(ctx);
    Status::Ok
}

/// Keys that arrive holding a center without an `ACD.*` write: keep their deadlines tracked.
fn on_generic_event(ctx: &Context, _event: NotifyEvent, name: &str, key: &[u8]) {
    if matches!(name, "rename_to" | "move_to" | "copy_to" | "restore") {
        let _ = guard::no_panic(|| deadlines::on_key_event(ctx, key));
    }
}

redis_module! {
    name: "acd",
    version: 1,
    allocator: (redis_module::alloc::RedisAlloc, redis_module::alloc::RedisAlloc),
    data_types: [CENTER_TYPE],
    init: init,
    event_handlers: [
        [@GENERIC: on_generic_event],
    ],
}

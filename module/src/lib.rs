//! `acd`: the Redis module that exposes the routing engine of `acd-core` as `ACD.*` commands.
//!
//! Thin glue only: [`handler`] parses a command with the core grammar and reads, or hands a
//! write to [`apply`], which runs it on the center stored at the key, replicates it with its
//! event time made explicit, notifies keyspace events and wakes [`blocking`] `ACD.EVENTS`
//! readers; [`deadlines`] wakes centers whose deadlines passed; [`center_type`] persists a
//! center (RDB, AOF rewrite, DUMP/RESTORE, digest, copy, memory usage); [`resp`] writes
//! replies; [`guard`] keeps a panic from reaching Redis. Registration is below: `fast` only
//! where the command is O(k log n) at worst (commands that may route or scan are not fast).

mod apply;
mod blocking;
mod center_type;
mod deadlines;
mod guard;
mod handler;
mod notify;
mod resp;

use redis_module::{redis_module, Context, NotifyEvent, RedisString, Status};

use center_type::CENTER_TYPE;
use handler::handle;

fn init(ctx: &Context, _args: &[RedisString]) -> Status {
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
    commands: [
        ["acd.agent.add", handle, "write deny-oom fast", 1, 1, 1, ""],
        ["acd.agent.del", handle, "write", 1, 1, 1, ""],
        ["acd.agent.get", handle, "readonly fast", 1, 1, 1, ""],
        ["acd.agent.meta", handle, "write deny-oom fast", 1, 1, 1, ""],
        ["acd.agent.grant", handle, "write deny-oom", 1, 1, 1, ""],
        ["acd.agent.revoke", handle, "write fast", 1, 1, 1, ""],
        ["acd.skill.del", handle, "write", 1, 1, 1, ""],
        ["acd.ready", handle, "write deny-oom", 1, 1, 1, ""],
        ["acd.notready", handle, "write fast", 1, 1, 1, ""],
        ["acd.agents", handle, "readonly", 1, 1, 1, ""],
        ["acd.enqueue", handle, "write deny-oom", 1, 1, 1, ""],
        ["acd.dispatch", handle, "write", 1, 1, 1, ""],
        ["acd.complete", handle, "write", 1, 1, 1, ""],
        ["acd.accept", handle, "write fast", 1, 1, 1, ""],
        ["acd.reject", handle, "write", 1, 1, 1, ""],
        ["acd.contact.get", handle, "readonly fast", 1, 1, 1, ""],
        ["acd.queue", handle, "readonly", 1, 1, 1, ""],
        ["acd.open", handle, "write deny-oom", 1, 1, 1, ""],
        ["acd.close", handle, "write", 1, 1, 1, ""],
        ["acd.stats", handle, "readonly", 1, 1, 1, ""],
        ["acd.config", handle, "write deny-oom", 1, 1, 1, ""],
        ["acd.tick", handle, "write", 1, 1, 1, ""],
        ["acd.events", handle, "readonly blocking", 1, 1, 1, ""],
        ["acd.check", handle, "readonly", 1, 1, 1, ""],
        ["acd.estimate", handle, "readonly", 1, 1, 1, ""],
        ["acd.state.load", handle, "write deny-oom", 1, 1, 1, ""],
    ],
    event_handlers: [
        [@GENERIC: on_generic_event],
    ],
}

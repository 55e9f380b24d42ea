//! `acd`: the Redis module that exposes the routing engine of `acd-core` as `ACD.*` commands.
//!
//! Thin glue only: [`handler`] parses a command with the core grammar, runs it on the center
//! stored at the key, replies, replicates it with its event time made explicit, and sends
//! keyspace notifications; [`center_type`] persists a center (RDB, AOF rewrite, DUMP/RESTORE,
//! digest, copy, memory usage); [`resp`] writes replies; [`guard`] keeps a panic from
//! reaching Redis. Registration is below.

mod center_type;
mod guard;
mod handler;
mod resp;

use redis_module::redis_module;

use center_type::CENTER_TYPE;
use handler::handle;

redis_module! {
    name: "acd",
    version: 1,
    allocator: (redis_module::alloc::RedisAlloc, redis_module::alloc::RedisAlloc),
    data_types: [CENTER_TYPE],
    commands: [
        ["acd.agent.add", handle, "write deny-oom fast", 1, 1, 1, ""],
        ["acd.agent.del", handle, "write fast", 1, 1, 1, ""],
        ["acd.agent.get", handle, "readonly fast", 1, 1, 1, ""],
        ["acd.agent.meta", handle, "write deny-oom fast", 1, 1, 1, ""],
        ["acd.agent.grant", handle, "write deny-oom fast", 1, 1, 1, ""],
        ["acd.agent.revoke", handle, "write fast", 1, 1, 1, ""],
        ["acd.skill.del", handle, "write", 1, 1, 1, ""],
        ["acd.ready", handle, "write deny-oom fast", 1, 1, 1, ""],
        ["acd.notready", handle, "write fast", 1, 1, 1, ""],
        ["acd.agents", handle, "readonly", 1, 1, 1, ""],
        ["acd.enqueue", handle, "write deny-oom fast", 1, 1, 1, ""],
        ["acd.dispatch", handle, "write", 1, 1, 1, ""],
        ["acd.complete", handle, "write fast", 1, 1, 1, ""],
        ["acd.contact.get", handle, "readonly fast", 1, 1, 1, ""],
        ["acd.queue", handle, "readonly", 1, 1, 1, ""],
        ["acd.open", handle, "write deny-oom", 1, 1, 1, ""],
        ["acd.close", handle, "write", 1, 1, 1, ""],
        ["acd.stats", handle, "readonly fast", 1, 1, 1, ""],
        ["acd.config", handle, "write deny-oom fast", 1, 1, 1, ""],
        ["acd.state.load", handle, "write deny-oom", 1, 1, 1, ""],
    ],
}

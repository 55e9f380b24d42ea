//! Wake-ups for centers with deadlines (offer timeouts, wrap-up ends, queue timeouts,
//! retention).
//!
//! Every write hands the center's next deadline to [`track`]; loading a center from RDB,
//! RESTORE, COPY, RENAME and MOVE do too. A 10 ms timer runs on every node, but acts only on a
//! primary that is not loading: it sends `ACD.TICK key AT now` through the normal write path
//! for each center whose deadline has passed, so the effects are replicated as explicit
//! commands. A replica keeps its registry current from the replicated writes, so after a
//! promotion it starts acting at its next tick. `SWAPDB` swaps the database numbers of the
//! entries. Entries for keys that were deleted are dropped when they come due.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use foldhash::HashMap;

use acd_core::command::Tick;
use acd_core::{Center, Command};
use redis_module::{raw, Context, ContextFlags, RedisString};

use crate::apply::apply;
use crate::center_type::CENTER_TYPE;
use crate::guard::no_panic;
use crate::handler::clock_ms;

const PERIOD: Duration = Duration::from_millis(10);

/// A center's key name, shared by the registry's two indexes.
type KeyName = Arc<[u8]>;

/// A center key: database number and key name.
type KeyId = (i32, KeyName);

/// Each tracked center's next deadline, by database then key (so a write can look its own up
/// without building a key), and the same entries in time order. A database's map stays when
/// it empties, and a key's name is made once while it stays tracked: moving a deadline, as
/// most writes do, allocates nothing.
#[derive(Default)]
struct Registry {
    next: HashMap<i32, HashMap<KeyName, i64>>,
    due: BTreeSet<(i64, KeyId)>,
}

impl Registry {
    /// Stops tracking a key; returns its name as the registry held it.
    fn remove(&mut self, db: i32, key: &[u8]) -> Option<KeyName> {
        let (name, at) = self.next.get_mut(&db)?.remove_entry(key)?;
        self.due.remove(&(at, (db, name.clone())));
        Some(name)
    }

    fn insert(&mut self, db: i32, key: KeyName, at: i64) {
        self.next.entry(db).or_default().insert(key.clone(), at);
        self.due.insert((at, (db, key)));
    }
}

static REGISTRY: Mutex<Option<Registry>> = Mutex::new(None);

fn registry() -> MutexGuard<'static, Option<Registry>> {
    // Only the Redis main thread touches it; a poisoned lock still holds consistent data
    // because every update below is a pair of infallible collection operations.
    REGISTRY.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Sets a center's next deadline; nothing changes (and nothing is allocated) when it is the
/// one already recorded, as it is after most writes.
fn set(db: i32, key: &[u8], next: Option<i64>) {
    let mut guard = registry();
    let reg = guard.get_or_insert_with(Registry::default);
    let current = reg.next.get(&db).and_then(|keys| keys.get(key)).copied();
    if current == next {
        return;
    }
    let name = reg.remove(db, key);
    if let Some(at) = next {
        reg.insert(db, name.unwrap_or_else(|| Arc::from(key)), at);
    }
}

fn selected_db(ctx: &Context) -> i32 {
    // SAFETY: ctx is live; GetSelectedDb only reads the client's db index.
    unsafe { raw::RedisModule_GetSelectedDb.map_or(0, |f| f(ctx.get_raw())) }
}

/// Records when the center at `key` (in the context's database) next needs a tick.
pub(crate) fn track(ctx: &Context, key: &[u8], next: Option<i64>) {
    set(selected_db(ctx), key, next);
}

/// Records a center just loaded from an RDB or a RESTORE payload.
pub(crate) fn track_loaded(io: *mut raw::RedisModuleIO, center: &Center) {
    // SAFETY: io is the live loading context Redis passed to rdb_load; both functions only
    // read from it, and are checked for presence before the call.
    let (name, db) = unsafe {
        let name = raw::RedisModule_GetKeyNameFromIO.map_or(std::ptr::null(), |f| f(io));
        let db = raw::RedisModule_GetDbIdFromIO.map_or(0, |f| f(io));
        (name, db)
    };
    if name.is_null() {
        return;
    }
    let mut len = 0;
    // SAFETY: name is a live RedisModuleString owned by the loader.
    let bytes = unsafe {
        let ptr = raw::RedisModule_StringPtrLen.map_or(std::ptr::null(), |f| f(name, &mut len));
        if ptr.is_null() {
            return;
        }
        std::slice::from_raw_parts(ptr.cast::<u8>(), len)
    };
    set(db, bytes, center.wakeup());
}

/// A key was renamed, moved, copied or restored: look at what it holds now.
pub(crate) fn on_key_event(ctx: &Context, key: &[u8]) {
    let name = ctx.create_string(key);
    let next = match ctx.open_key(&name).get_value::<Center>(&CENTER_TYPE) {
        Ok(Some(center)) => center.wakeup(),
        _ => return,
    };
    track(ctx, key, next);
}

/// Starts the periodic wake-up and follows `SWAPDB` (called once at module load).
pub(crate) fn start(ctx: &Context) {
    ctx.create_timer(PERIOD, on_timer, ());
    // SAFETY: ctx is the module-load context; the event id and data version are those of
    // REDISMODULE_EVENT_SWAPDB in redismodule.h, and the callback matches its signature.
    unsafe {
        if let Some(subscribe) = raw::RedisModule_SubscribeToServerEvent {
            let swapdb = raw::RedisModuleEvent {
                id: raw::REDISMODULE_EVENT_SWAPDB,
                dataver: 1,
            };
            subscribe(ctx.get_raw(), swapdb, Some(on_swapdb));
        }
    }
}

/// `SWAPDB a b`: centers tracked in a now live in b, and the other way round.
extern "C" fn on_swapdb(
    _ctx: *mut raw::RedisModuleCtx,
    _event: raw::RedisModuleEvent,
    _subevent: u64,
    data: *mut std::os::raw::c_void,
) {
    if data.is_null() {
        return;
    }
    // SAFETY: for REDISMODULE_EVENT_SWAPDB, Redis passes a RedisModuleSwapDbInfo.
    let info = unsafe { &*data.cast::<raw::RedisModuleSwapDbInfo>() };
    let (a, b) = (info.dbnum_first, info.dbnum_second);
    let _ = no_panic(|| {
        let mut guard = registry();
        let Some(reg) = guard.as_mut() else {
            return;
        };
        let swap = |db: i32| match db {
            d if d == a => b,
            d if d == b => a,
            d => d,
        };
        let entries: Vec<(i64, KeyId)> = std::mem::take(&mut reg.due).into_iter().collect();
        reg.next.clear();
        for (at, (db, key)) in entries {
            reg.insert(swap(db), key, at);
        }
    });
}

fn on_timer(ctx: &Context, (): ()) {
    if let Err(panic) = no_panic(|| tick_due(ctx)) {
        ctx.log_warning(&format!("acd: deadline timer panicked: {panic}"));
    }
    ctx.create_timer(PERIOD, on_timer, ());
}

fn tick_due(ctx: &Context) {
    let flags = ctx.get_flags();
    if !flags.contains(ContextFlags::MASTER) || flags.contains(ContextFlags::LOADING) {
        return;
    }
    let now = clock_ms();
    loop {
        let next = {
            let mut guard = registry();
            let Some(reg) = guard.as_mut() else {
                return;
            };
            match reg.due.first().cloned() {
                Some((at, (db, key))) if at <= now => {
                    reg.remove(db, &key);
                    (db, key)
                }
                _ => return,
            }
        };
        tick(ctx, next, now);
    }
}

fn tick(ctx: &Context, (db, key): KeyId, now: i64) {
    // SAFETY: ctx is the timer's live context; selecting a database only changes which
    // keyspace the following key operations use.
    let selected = unsafe { raw::RedisModule_SelectDb.map_or(1, |f| f(ctx.get_raw(), db)) };
    if selected != raw::Status::Ok as i32 {
        return;
    }
    let name: RedisString = ctx.create_string(&key[..]);
    let is_center = matches!(
        ctx.open_key(&name).get_value::<Center>(&CENTER_TYPE),
        Ok(Some(_))
    );
    if is_center {
        let _ = apply(ctx, &name, Command::Tick(Tick { at: Some(now) }), now, None);
    }
}

//! Keyspace notifications of a write's events: `acd.*` on the center key, class `d`
//! (module). Each event name is made a C string once, not at every notification.

use std::ffi::CString;
use std::sync::OnceLock;

use acd_core::{EventKind, Events};
use redis_module::{raw, Context, NotifyEvent, RedisString};

/// The names of [`EventKind::ALL`], in that order, as C strings.
fn c_names() -> &'static [CString] {
    static NAMES: OnceLock<Vec<CString>> = OnceLock::new();
    NAMES.get_or_init(|| {
        EventKind::ALL
            .iter()
            .map(|kind| CString::new(kind.name()).unwrap_or_default())
            .collect()
    })
}

/// Sends one notification per event, in order.
pub(crate) fn notify(ctx: &Context, events: &Events, key: &RedisString) {
    // SAFETY: Redis fills the API table when it loads the module and never changes it.
    let Some(send) = (unsafe { raw::RedisModule_NotifyKeyspaceEvent }) else {
        return;
    };
    let names = c_names();
    for kind in events.iter() {
        let Some(name) = names.get(usize::from(kind.code())) else {
            continue;
        };
        // SAFETY: ctx and key are live for this call; Redis copies what it keeps.
        unsafe {
            send(
                ctx.get_raw(),
                NotifyEvent::MODULE.bits(),
                name.as_ptr(),
                key.inner,
            );
        }
    }
}

//! A command's argument vector as Redis passed it, read in place. The `redis-module` command
//! wrapper copied it into a new `Vec` of retained strings for every command (and released
//! them after): about 3 % of the server's instructions per assignment under callgrind. Here
//! the arguments are borrowed for the call, and only the key is made a [`RedisString`] (for
//! the key APIs).

use std::os::raw::c_int;
use std::ptr::NonNull;

use redis_module::{raw, Context, RedisString};

/// The arguments of one call: command name, key, then the command's own arguments.
#[derive(Clone, Copy)]
pub(crate) struct Argv<'a> {
    items: &'a [*mut raw::RedisModuleString],
}

impl<'a> Argv<'a> {
    /// # Safety
    /// `argv` must point to `argc` strings that stay alive for `'a` (as Redis guarantees for
    /// the duration of a command callback), or be null.
    pub(crate) unsafe fn new(argv: *mut *mut raw::RedisModuleString, argc: c_int) -> Argv<'a> {
        let items = match usize::try_from(argc) {
            Ok(len) if !argv.is_null() => {
                // SAFETY: the caller guarantees `argc` live strings at `argv` for 'a.
                unsafe { std::slice::from_raw_parts(argv, len) }
            }
            _ => &[],
        };
        Argv { items }
    }

    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    /// The bytes of argument `i` (empty past the end).
    pub(crate) fn bytes(&self, i: usize) -> &'a [u8] {
        let Some(&item) = self.items.get(i) else {
            return &[];
        };
        let mut len = 0;
        // SAFETY: `item` is a live string of this call; StringPtrLen only reads it, and the
        // bytes stay valid while the string does, i.e. for 'a.
        unsafe {
            let ptr = raw::RedisModule_StringPtrLen.map_or(std::ptr::null(), |f| f(item, &mut len));
            if ptr.is_null() {
                return &[];
            }
            std::slice::from_raw_parts(ptr.cast::<u8>(), len)
        }
    }

    /// The raw strings from argument `from` on (for replication, which takes its own
    /// references).
    pub(crate) fn raw_from(&self, from: usize) -> &'a [*mut raw::RedisModuleString] {
        self.items.get(from..).unwrap_or_default()
    }

    /// Argument `i` as a retained [`RedisString`] (the key APIs take one).
    pub(crate) fn string(&self, ctx: &Context, i: usize) -> Option<RedisString> {
        let &item = self.items.get(i)?;
        Some(RedisString::new(NonNull::new(ctx.get_raw()), item))
    }
}

//! The `acdcenter` Redis data type: a [`Center`] per key, and its persistence callbacks.
//!
//! Every callback uses the core's canonical encoding ([`Center::encode`]): RDB and
//! DUMP/RESTORE store it as one string, AOF rewrite emits `ACD.STATE.LOAD key <bytes>`, and
//! the digest hashes it, so equal logical states give equal `DEBUG DIGEST-VALUE`. The type's
//! encoding version (`encver`) is [`TYPE_VERSION`]; the payload carries its own version and
//! `Center::decode` reads every older one.

use std::ffi::CString;
use std::os::raw::{c_char, c_int, c_void};
use std::ptr::null_mut;

use acd_core::Center;
use redis_module::native_types::RedisType;
use redis_module::raw;

use crate::deadlines;
use crate::guard::no_panic;

/// RDB type encoding version.
const TYPE_VERSION: i32 = 1;

pub(crate) static CENTER_TYPE: RedisType = RedisType::new(
    "acdcenter",
    TYPE_VERSION,
    raw::RedisModuleTypeMethods {
        version: raw::REDISMODULE_TYPE_METHOD_VERSION as u64,
        rdb_load: Some(rdb_load),
        rdb_save: Some(rdb_save),
        aof_rewrite: Some(aof_rewrite),
        mem_usage: Some(mem_usage),
        digest: Some(digest),
        free: Some(free),
        aux_load: None,
        aux_save: None,
        aux_save2: None,
        aux_save_triggers: 0,
        free_effort: None,
        unlink: None,
        copy: Some(copy),
        defrag: None,
        copy2: None,
        free_effort2: None,
        mem_usage2: None,
        unlink2: None,
    },
);

/// # Safety
/// `value` is a live `Center` created by this module.
unsafe fn center<'a>(value: *const c_void) -> &'a Center {
    &*value.cast::<Center>()
}

unsafe extern "C" fn rdb_load(rdb: *mut raw::RedisModuleIO, encver: c_int) -> *mut c_void {
    if encver > TYPE_VERSION {
        return null_mut();
    }
    let Ok(buffer) = raw::load_string_buffer(rdb) else {
        return null_mut();
    };
    match no_panic(|| Center::decode(buffer.as_ref())) {
        Ok(Ok(center)) => {
            deadlines::track_loaded(rdb, &center);
            Box::into_raw(Box::new(center)).cast::<c_void>()
        }
        _ => null_mut(),
    }
}

unsafe extern "C" fn rdb_save(rdb: *mut raw::RedisModuleIO, value: *mut c_void) {
    // SAFETY: Redis passes a value of this type.
    let bytes = center(value).encode();
    raw::save_slice(rdb, &bytes);
}

unsafe extern "C" fn aof_rewrite(
    aof: *mut raw::RedisModuleIO,
    key: *mut raw::RedisModuleString,
    value: *mut c_void,
) {
    // SAFETY: Redis passes a value of this type; EmitAOF's "sb" takes a RedisModuleString
    // followed by a buffer pointer and its length.
    let bytes = center(value).encode();
    let (Ok(name), Ok(fmt)) = (CString::new("ACD.STATE.LOAD"), CString::new("sb")) else {
        return;
    };
    if let Some(emit) = raw::RedisModule_EmitAOF {
        emit(
            aof,
            name.as_ptr(),
            fmt.as_ptr(),
            key,
            bytes.as_ptr().cast::<c_char>(),
            bytes.len(),
        );
    }
}

unsafe extern "C" fn mem_usage(value: *const c_void) -> usize {
    // SAFETY: Redis passes a value of this type.
    std::mem::size_of::<Center>() + center(value).memory_usage()
}

unsafe extern "C" fn digest(md: *mut raw::RedisModuleDigest, value: *mut c_void) {
    // SAFETY: Redis passes a value of this type and a live digest context.
    let bytes = center(value).encode();
    if let (Some(add), Some(end)) = (
        raw::RedisModule_DigestAddStringBuffer,
        raw::RedisModule_DigestEndSequence,
    ) {
        add(md, bytes.as_ptr().cast::<c_char>(), bytes.len());
        end(md);
    }
}

unsafe extern "C" fn free(value: *mut c_void) {
    // SAFETY: the value was created by Box::into_raw of a Center (set_value or rdb_load/copy).
    drop(Box::from_raw(value.cast::<Center>()));
}

unsafe extern "C" fn copy(
    _from: *mut raw::RedisModuleString,
    _to: *mut raw::RedisModuleString,
    value: *const c_void,
) -> *mut c_void {
    // SAFETY: Redis passes a value of this type; the copy is owned by the new key.
    Box::into_raw(Box::new(center(value).clone())).cast::<c_void>()
}

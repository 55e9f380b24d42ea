//! Writes engine replies and errors to the client: the one place that maps
//! [`acd_core::Reply`] to RESP (maps keep their field order: a RESP3 map, or a flat array
//! under RESP2) and [`acd_core::AcdError`] to an error line with its code.

use std::ffi::CString;
use std::os::raw::{c_char, c_long};

use acd_core::Reply;
use redis_module::{raw, Context};

/// Calls `f` with `text` as a C string: copied to the stack when short (status words, most
/// error lines), else into a new `CString`. Ids may contain NUL bytes, which a C string
/// cannot: they are written `\0`.
fn with_c_text(text: &str, f: impl FnOnce(*const c_char)) {
    const ON_STACK: usize = 128;
    let bytes = text.as_bytes();
    if bytes.len() < ON_STACK && !bytes.contains(&0) {
        let mut buf = [0u8; ON_STACK];
        buf[..bytes.len()].copy_from_slice(bytes);
        f(buf.as_ptr().cast());
    } else {
        let owned = CString::new(text.replace('\0', "\\0")).unwrap_or_default();
        f(owned.as_ptr());
    }
}

/// Sends `reply` to the calling client.
pub(crate) fn send(ctx: &Context, reply: &Reply) {
    let c = ctx.get_raw();
    match reply {
        Reply::Ok => {
            raw::reply_with_simple_string(c, c"OK".as_ptr());
        }
        Reply::Nil => {
            raw::reply_with_null(c);
        }
        Reply::Status(word) => {
            with_c_text(word, |text| {
                raw::reply_with_simple_string(c, text);
            });
        }
        Reply::Bulk(text) => {
            raw::reply_with_string_buffer(c, text.as_ptr().cast::<c_char>(), text.len());
        }
        Reply::Int(n) => {
            raw::reply_with_long_long(c, *n);
        }
        Reply::Double(x) => {
            raw::reply_with_double(c, *x);
        }
        Reply::Array(items) => {
            raw::reply_with_array(c, items.len() as c_long);
            for item in items {
                send(ctx, item);
            }
        }
        Reply::Map(fields) => {
            raw::reply_with_map(c, fields.len() as c_long);
            for (name, value) in fields {
                raw::reply_with_string_buffer(c, name.as_ptr().cast::<c_char>(), name.len());
                send(ctx, value);
            }
        }
    }
}

/// Sends an error line such as `NOAGENT no such agent 'a1'`.
pub(crate) fn send_error(ctx: &Context, line: &str) {
    with_c_text(line, |text| {
        raw::reply_with_error(ctx.get_raw(), text);
    });
}

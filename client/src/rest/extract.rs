//! Request extractors whose rejections speak each API's error format: a malformed JSON body or
//! query string is a 400 problem on the v1 API ([`Body`], [`Params`]) and a 400 `{"detail"}` on
//! the old one ([`LegacyBody`]).

use axum::extract::FromRequest;
use axum::extract::FromRequestParts;

use super::problem::{ApiError, LegacyError};

/// A JSON body for the v1 API.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub(crate) struct Body<T>(pub(crate) T);

/// A query string for the v1 API.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub(crate) struct Params<T>(pub(crate) T);

/// A JSON body for the old API.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(LegacyError))]
pub(crate) struct LegacyBody<T>(pub(crate) T);

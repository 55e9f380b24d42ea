//! `acd-client`: typed async client for the `ACD.*` commands (work in progress).

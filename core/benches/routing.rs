//! Placeholder; the engine benches are being written.
fn main() {}

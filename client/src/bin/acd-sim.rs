//! `acd-sim`: simulates a contact center against the ACD module and reports on it. Run
//! `acd-sim --help` for the flags; the simulator lives in [`acd_client::sim`].

fn main() -> std::process::ExitCode {
    acd_client::sim::main()
}

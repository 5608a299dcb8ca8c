//! What the CLI tests share.

/// Under `./x harness` (GREENROOM_HARNESS=1) a PulseAudio with virtual devices is running.
/// Without it a test prints why it is skipped; under `./x test`
/// (GREENROOM_REQUIRE_TEST_BED) a missing test bed is a failure, not a skip.
pub fn harness() -> bool {
    if std::env::var_os("GREENROOM_HARNESS").is_none() {
        assert!(
            std::env::var_os("GREENROOM_REQUIRE_TEST_BED").is_none(),
            "the test bed (PulseAudio harness, Whisper models) is required but missing"
        );
        eprintln!("skipped: needs the PulseAudio of ./x harness");
        return false;
    }
    true
}

//! Speech in a recording, as pure arithmetic on 16 kHz samples: where the voice is and where
//! to cut it for Whisper ([`stretch`]), and word timings that match the voice ([`timing`]).
//! The engine runs Whisper; what it does with the audio before and the words after is here.

pub mod stretch;
pub mod timing;

/// The sample rate Whisper models take.
pub const WHISPER_RATE: u32 = 16_000;

/// Milliseconds of `n` samples at 16 kHz.
pub fn samples_to_ms(n: usize) -> u64 {
    n as u64 * 1000 / u64::from(WHISPER_RATE)
}

/// The sample index of `ms` at 16 kHz.
pub fn ms_to_samples(ms: u64) -> usize {
    (ms.saturating_mul(u64::from(WHISPER_RATE)) / 1000) as usize
}

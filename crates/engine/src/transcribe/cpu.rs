//! Which x86-64 level the speech engine was compiled for, and whether this CPU has it.
//!
//! whisper.cpp is built for one fixed level (vendor/whisper-rs-sys, `GREENROOM_WHISPER_CPU`),
//! not for the build machine: a binary that travels must not use AVX-512 because the build
//! machine had it. On a CPU below that level whisper.cpp would die of an illegal
//! instruction, so transcription checks first and says why; everything else (checks,
//! practice, review of earlier takes) runs on any x86-64 CPU.

use crate::EngineError;

/// The level whisper.cpp was compiled for: `GREENROOM_WHISPER_CPU` when this crate was
/// built, with vendor/whisper-rs-sys/build.rs's default (rustc records the variable, so
/// cargo rebuilds this crate when it changes).
pub const WHISPER_CPU: &str = match option_env!("GREENROOM_WHISPER_CPU") {
    Some(level) => level,
    None => "x86-64-v3",
};

/// What a level needs beyond baseline x86-64, as `is_x86_feature_detected!` names it.
/// x86-64-v2: SSE3..SSE4.2, POPCNT; x86-64-v3 adds AVX, AVX2, BMI1/2, F16C, FMA, LZCNT,
/// MOVBE (Intel Haswell, 2013, and AMD Excavator, 2015, onwards).
const V2: &[&str] = &["sse3", "ssse3", "sse4.1", "sse4.2", "popcnt"];
const V3: &[&str] = &[
    "avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "lzcnt", "movbe",
];

/// The features `level` needs that `has` says are missing. `native` (built on and for
/// this machine) and non-x86 levels need nothing checked.
pub fn missing_features(level: &str, has: impl Fn(&str) -> bool) -> Vec<&'static str> {
    let needed: Vec<&'static str> = match level {
        "x86-64-v2" => V2.to_vec(),
        "x86-64-v3" => V2.iter().chain(V3).copied().collect(),
        _ => Vec::new(),
    };
    needed.into_iter().filter(|f| !has(f)).collect()
}

/// Whether this CPU has `feature` (one of the names in [`V2`] / [`V3`]). The detection
/// macro takes only literals, hence the list.
#[cfg(target_arch = "x86_64")]
fn cpu_has(feature: &str) -> bool {
    macro_rules! detected {
        ($($name:tt),*) => {
            match feature {
                $($name => is_x86_feature_detected!($name),)*
                _ => false,
            }
        };
    }
    detected!(
        "sse3", "ssse3", "sse4.1", "sse4.2", "popcnt", "avx", "avx2", "bmi1", "bmi2", "f16c",
        "fma", "lzcnt", "movbe"
    )
}

/// Other architectures build ggml for their own baseline (e.g. NEON on Apple silicon).
#[cfg(not(target_arch = "x86_64"))]
fn cpu_has(_feature: &str) -> bool {
    true
}

/// The speech engine's CPU requirement and what this CPU lacks of it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct SpeechCpu {
    /// The level whisper.cpp was built for (`x86-64-v3`, `x86-64-v2` or `native`).
    pub built_for: String,
    /// Instruction set extensions it needs that this CPU does not have; empty: supported.
    pub missing: Vec<String>,
}

pub fn speech_cpu() -> SpeechCpu {
    SpeechCpu {
        built_for: WHISPER_CPU.to_owned(),
        missing: missing_features(WHISPER_CPU, cpu_has)
            .into_iter()
            .map(str::to_owned)
            .collect(),
    }
}

/// `Err(CpuUnsupported)` when this CPU cannot run the speech engine; called before
/// whisper.cpp runs any code.
pub fn require_speech_cpu() -> Result<(), EngineError> {
    let cpu = speech_cpu();
    if cpu.missing.is_empty() {
        Ok(())
    } else {
        Err(EngineError::CpuUnsupported {
            built_for: cpu.built_for,
            missing: cpu.missing,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 2008-2012 CPU (Nehalem to Ivy Bridge class): SSE4.2 and POPCNT, no AVX2.
    fn nehalem(f: &str) -> bool {
        V2.contains(&f)
    }

    #[test]
    fn a_v3_build_names_what_an_older_cpu_lacks() {
        assert_eq!(
            missing_features("x86-64-v3", nehalem),
            ["avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "lzcnt", "movbe"]
        );
        assert!(missing_features("x86-64-v2", nehalem).is_empty());
        assert_eq!(missing_features("x86-64-v2", |_| false), V2);
        assert!(missing_features("native", |_| false).is_empty());
    }

    #[test]
    fn this_machine_runs_the_speech_engine_it_built() {
        // Every transcription test on this machine runs whisper.cpp, so it must have the
        // level the build chose; the check must agree.
        assert_eq!(speech_cpu().missing, Vec::<String>::new());
        assert!(require_speech_cpu().is_ok());
    }
}

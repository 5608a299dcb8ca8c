//! Greenroom on a CPU older than this machine's. The build machine has AVX-512; users'
//! laptops may not, and some have no AVX2 either. Two checks:
//! - the binaries contain no AVX-512 or AMX instruction at all (a disassembly, so every code
//!   path counts), so they run on any AVX2 CPU (x86-64-v3, whisper.cpp's build level);
//! - on a CPU without AVX (Debian's qemu-user, `qemu-x86_64 -cpu Nehalem`) the CLI runs, and
//!   transcription, the one part built for AVX2, refuses with a sentence instead of dying of
//!   an illegal instruction.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const QEMU: &str = "qemu-x86_64";
/// Intel Nehalem (2008): SSE4.2 and POPCNT, no AVX, AVX2, FMA or F16C.
const OLD_CPU: &str = "Nehalem";

fn cli() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_greenroom"))
}

/// The tools these tests need, or a skip (a failure under ./x test).
fn tools(names: &[&str]) -> bool {
    let missing: Vec<&str> = names
        .iter()
        .copied()
        .filter(|t| Command::new(t).arg("--version").output().is_err())
        .collect();
    if missing.is_empty() {
        return true;
    }
    assert!(
        std::env::var_os("GREENROOM_REQUIRE_TEST_BED").is_none(),
        "needed for the older-CPU tests: {missing:?} (./x setup installs qemu-user and binutils)"
    );
    eprintln!("skipped: {missing:?} not installed");
    false
}

fn on_old_cpu(home: &Path, args: &[&str]) -> Output {
    Command::new(QEMU)
        .args(["-cpu", OLD_CPU])
        .arg(cli())
        .args(args)
        .env("GREENROOM_HOME", home)
        .output()
        .expect("qemu-x86_64 runs")
}

#[test]
fn the_binaries_hold_no_avx512_or_amx_instruction() {
    if !tools(&["objdump"]) {
        return;
    }
    let desktop = cli().with_file_name("greenroom-desktop");
    let mut binaries = vec![cli()];
    // Built with the workspace (`cargo test --workspace`, as ./x test runs it); alone, this
    // package's tests do not build it.
    if desktop.is_file() {
        binaries.push(desktop);
    } else {
        assert!(
            std::env::var_os("GREENROOM_REQUIRE_TEST_BED").is_none(),
            "{} is missing: run the workspace's tests",
            desktop.display()
        );
        eprintln!("not scanned: {} (not built)", desktop.display());
    }
    for bin in binaries {
        let found = greenroom_testbed::avx512_instructions("objdump", &bin);
        assert!(
            found.is_empty(),
            "{} has AVX-512/AMX code: {found:#?}",
            bin.display()
        );
    }
}

#[test]
fn a_cpu_without_avx_runs_the_cli_and_refuses_only_transcription() {
    if !tools(&[QEMU]) {
        return;
    }
    // What the refusal is about: a build for x86-64-v3 (the default; GREENROOM_WHISPER_CPU
    // can choose another level, and then a Nehalem has what the build needs).
    if greenroom_engine::transcribe::cpu::WHISPER_CPU != "x86-64-v3" {
        eprintln!(
            "skipped: whisper.cpp is built for {}",
            greenroom_engine::transcribe::cpu::WHISPER_CPU
        );
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let version = on_old_cpu(home.path(), &["--version"]);
    assert!(version.status.success(), "{version:?}");
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("greenroom {}", env!("CARGO_PKG_VERSION"))
    );

    let about = on_old_cpu(home.path(), &["about", "--json"]);
    assert!(about.status.success(), "{about:?}");
    let about: serde_json::Value = serde_json::from_slice(&about.stdout).unwrap();
    assert_eq!(
        about["speech_cpu"]["built_for"],
        greenroom_engine::transcribe::cpu::WHISPER_CPU
    );
    let missing = about["speech_cpu"]["missing"].as_array().unwrap();
    for f in ["avx", "avx2", "fma", "f16c"] {
        assert!(
            missing.iter().any(|m| m == f),
            "{f} not reported missing: {missing:?}"
        );
    }
    // The same binary on this CPU has all of it.
    let here = Command::new(cli())
        .args(["about", "--json"])
        .output()
        .unwrap();
    let here: serde_json::Value = serde_json::from_slice(&here.stdout).unwrap();
    assert_eq!(here["speech_cpu"]["missing"], serde_json::json!([]));

    // A real model and a real WAV, so the refusal is the CPU's and nothing else's.
    let Some(models) = std::env::var_os("GREENROOM_TEST_MODELS").map(PathBuf::from) else {
        assert!(
            std::env::var_os("GREENROOM_REQUIRE_TEST_BED").is_none(),
            "GREENROOM_TEST_MODELS is required"
        );
        return;
    };
    let import = Command::new(cli())
        .args(["models", "import"])
        .arg(models.join("tiny.en.ggml"))
        .env("GREENROOM_HOME", home.path())
        .output()
        .unwrap();
    assert!(import.status.success(), "{import:?}");
    let wav = home.path().join("tone.wav");
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(&wav, spec).unwrap();
    for s in greenroom_testbed::good_speech(16_000) {
        w.write_sample((s * 32767.0) as i16).unwrap();
    }
    w.finalize().unwrap();
    let out = on_old_cpu(
        home.path(),
        &["transcribe", wav.to_str().unwrap(), "--lang", "en"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The CLI's error exit code, not a signal: SIGILL would leave code() None.
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert!(
        stderr.contains("lacks avx, avx2") && stderr.contains("transcription does not"),
        "{stderr}"
    );
}

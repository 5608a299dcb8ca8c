//! `greenroom devices` against real audio servers: the harness's PulseAudio, and none.

mod common;

use std::process::Command;

use common::harness;

fn greenroom() -> Command {
    Command::new(env!("CARGO_BIN_EXE_greenroom"))
}

#[test]
fn lists_the_harness_virtual_devices_as_json() {
    if !harness() {
        return;
    }
    let out = greenroom().args(["devices", "--json"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["audio"]["preferred_host"], "pulseaudio");
    let pulse = v["audio"]["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == "pulseaudio")
        .unwrap();
    let names = |key: &str| -> Vec<String> {
        pulse[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let inputs = names("inputs");
    assert!(inputs.contains(&"VirtualMic".to_owned()), "{inputs:?}");
    assert!(inputs.contains(&"SineMic".to_owned()), "{inputs:?}");
    assert!(names("outputs").contains(&"VirtualSpeaker".to_owned()));
    let sine = pulse["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "SineMic")
        .unwrap();
    assert_eq!(sine["id"], "pulseaudio:sinemic");
    assert_eq!(sine["native"]["sample_rate"], 48000);
    assert_eq!(sine["native"]["channels"], 1);
    assert_eq!(v["cameras"], serde_json::json!([]));
}

#[test]
fn says_clearly_when_no_audio_server_runs() {
    let empty = tempfile::tempdir().unwrap();
    let out = greenroom()
        .args(["devices"])
        .env("XDG_RUNTIME_DIR", empty.path())
        .env("HOME", empty.path())
        .env_remove("PULSE_SERVER")
        .env_remove("PULSE_RUNTIME_PATH")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert!(stderr.contains("no usable audio host"), "stderr: {stderr}");
    assert!(
        !stderr.contains("ALSA lib"),
        "C-library noise leaked: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("PulseAudio"), "{stdout}");
    assert!(stdout.contains("unavailable"), "{stdout}");
}

#[test]
fn check_audio_fails_a_silent_mic_with_exit_code_1_and_json_verdicts() {
    if !harness() {
        return;
    }
    // VirtualMic hears whatever is played into vmic_feed: nothing, so digital zeros.
    let out = greenroom()
        .args([
            "check",
            "audio",
            "--input",
            "pulseaudio:vmic",
            "--no-speaker",
            "--seconds",
            "1",
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let checks = v["audio"]["checks"].as_array().unwrap();
    let silent = checks.iter().find(|c| c["id"] == "mic.silent").unwrap();
    assert_eq!(silent["status"], "fail");
    assert!(silent["fix"]["ko"]
        .as_str()
        .unwrap()
        .chars()
        .any(|c| ('가'..='힣').contains(&c)));
    assert_eq!(v["audio"]["overall"], "fail");
}

#[test]
fn an_app_on_raw_alsa_does_not_see_the_sound_servers_mics() {
    if !harness() {
        return;
    }
    // The blank-device failure: the server lists VirtualMic and SineMic, but an app that
    // talks to ALSA directly sees only ALSA's plugin devices.
    let out = greenroom()
        .args(["check", "audio", "--no-speaker", "--seconds", "1", "--json"])
        .env("GREENROOM_AUDIO_HOST", "alsa")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["audio"]["host"], "alsa");
    let vis = v["audio"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "audio.visibility")
        .unwrap();
    assert_eq!(vis["status"], "fail", "{vis}");
    let summary = vis["summary"]["en"].as_str().unwrap();
    assert!(
        summary.contains("VirtualMic") && summary.contains("SineMic"),
        "{summary}"
    );
    assert_eq!(out.status.code(), Some(1));
}

//! The Windows build (`greenroom.exe`, x86_64-pc-windows-gnu) run under Wine on the
//! harness's PulseAudio, which Wine's driver turns into WASAPI endpoints: the same commands
//! a Windows user runs, held to what the Linux build of the same source does.
//! `./x test` builds the .exe and sets GREENROOM_WINDOWS_CLI; without it these skip.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::harness;
use greenroom_testbed::{clipped_speech, good_speech, win_path, windows_cli, wine, ZooMic};

fn linux() -> Command {
    Command::new(env!("CARGO_BIN_EXE_greenroom"))
}

/// The path on this machine of a path a Windows program printed (`Z:\tmp\...`).
fn unix_path(p: &str) -> PathBuf {
    let rest = p
        .strip_prefix("Z:")
        .or_else(|| p.strip_prefix("z:"))
        .unwrap_or_else(|| panic!("{p} is not on drive Z:"));
    PathBuf::from(rest.replace('\\', "/"))
}

fn windows(exe: &Path, home: &Path) -> Command {
    let mut c = wine(exe);
    c.env("GREENROOM_HOME", win_path(home));
    c.stdin(Stdio::null());
    c
}

fn json(out: &Output, what: &str) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{what}: {e}; stdout {} stderr {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn ok(out: Output, what: &str) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{what} exited {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    json(&out, what)
}

/// The preferred host's devices from `devices --json`: (host id, inputs, outputs).
fn devices(v: &serde_json::Value) -> (String, Vec<serde_json::Value>, Vec<serde_json::Value>) {
    let host = v["audio"]["preferred_host"]
        .as_str()
        .unwrap_or_else(|| panic!("no preferred host: {v:#}"))
        .to_owned();
    let h = v["audio"]["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == host.as_str())
        .unwrap()
        .clone();
    let list = |k: &str| h[k].as_array().cloned().unwrap_or_default();
    (host, list("inputs"), list("outputs"))
}

fn id_named(list: &[serde_json::Value], name: &str) -> String {
    list.iter()
        .find(|d| d["name"] == name)
        .unwrap_or_else(|| panic!("no device named {name} in {list:#?}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn setup() -> Option<PathBuf> {
    if !harness() {
        return None;
    }
    windows_cli()
}

#[test]
fn lists_the_harness_devices_through_wasapi() {
    let Some(exe) = setup() else { return };
    let home = tempfile::tempdir().unwrap();
    let v = ok(
        windows(&exe, home.path())
            .args(["devices", "--json"])
            .output()
            .unwrap(),
        "greenroom.exe devices --json",
    );
    let (host, inputs, outputs) = devices(&v);
    assert_eq!(host, "wasapi", "{v:#}");
    let names = |l: &[serde_json::Value]| -> Vec<String> {
        l.iter()
            .map(|d| d["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(
        names(&inputs).iter().any(|n| n == "VirtualMic"),
        "{inputs:#?}"
    );
    assert!(
        names(&outputs).iter().any(|n| n == "VirtualSpeaker"),
        "{outputs:#?}"
    );
    for d in inputs.iter().chain(&outputs) {
        assert!(d["id"].as_str().unwrap().starts_with("wasapi:"), "{d:#}");
    }
    // Windows's own endpoint list (all states), read through IMMDeviceEnumerator: the
    // harness's sources are there, active.
    let endpoints = v["system_audio"]["endpoints"]["capture"]
        .as_array()
        .unwrap_or_else(|| panic!("no endpoint list: {:#}", v["system_audio"]));
    for name in ["VirtualMic", "SineMic"] {
        let e = endpoints
            .iter()
            .find(|e| e["name"] == name)
            .unwrap_or_else(|| panic!("{name} not among {endpoints:#?}"));
        assert_eq!(e["state"], "active", "{e:#}");
    }
    assert!(v["system_audio"]["endpoints"]["console_default"].is_string());
    let mic = inputs.iter().find(|d| d["name"] == "SineMic").unwrap();
    assert_eq!(mic["native"]["sample_rate"], 48000, "{mic:#}");
    // Wine has no Media Foundation capture: no camera, and no crash.
    assert_eq!(v["cameras"], serde_json::json!([]), "{v:#}");
}

/// `check audio --json` of one zoo mic by both builds: each check's status by id.
fn verdicts(exe: &Path, mic: &ZooMic) -> [(std::collections::BTreeMap<String, String>, i32); 2] {
    let home = tempfile::tempdir().unwrap();
    let (_, win_inputs, _) = devices(&ok(
        windows(exe, home.path())
            .args(["devices", "--json"])
            .output()
            .unwrap(),
        "devices",
    ));
    let win_id = id_named(&win_inputs, &mic.description);
    let args = |id: &str| -> Vec<String> {
        [
            "check",
            "audio",
            "--no-speaker",
            "--seconds",
            "2",
            "--json",
            "--input",
            id,
        ]
        .map(String::from)
        .to_vec()
    };
    let runs = [
        windows(exe, home.path())
            .args(args(&win_id))
            .output()
            .unwrap(),
        linux()
            .env("GREENROOM_HOME", home.path())
            .args(args(&mic.id))
            .output()
            .unwrap(),
    ];
    runs.map(|out| {
        let v = json(&out, "check audio");
        let checks = v["audio"]["checks"]
            .as_array()
            .unwrap_or_else(|| panic!("{v:#}"))
            .iter()
            .map(|c| {
                (
                    c["id"].as_str().unwrap().to_owned(),
                    c["status"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        (checks, out.status.code().unwrap_or(-1))
    })
}

#[test]
fn check_audio_gives_the_linux_verdicts_on_zoo_mics() {
    let Some(exe) = setup() else { return };
    const RATE: u32 = 48_000;
    let (speech, clipped) = (good_speech(RATE), clipped_speech(RATE));
    // The signal checks; the format and visibility checks describe the host, which differs.
    let signal = [
        "mic.opens",
        "mic.silent",
        "mic.level",
        "mic.clipping",
        "mic.noise",
        "mic.dropouts",
    ];
    for (name, sig, expect) in [
        (
            "good",
            Some(speech),
            [("mic.silent", "pass"), ("mic.level", "pass")],
        ),
        (
            "silent",
            None,
            [("mic.silent", "fail"), ("mic.opens", "pass")],
        ),
        (
            "clipped",
            Some(clipped),
            [("mic.clipping", "fail"), ("mic.silent", "pass")],
        ),
    ] {
        let mic = ZooMic::new(name, RATE, sig);
        let [(win, win_rc), (lin, lin_rc)] = verdicts(&exe, &mic);
        for (id, status) in expect {
            assert_eq!(
                win.get(id).map(String::as_str),
                Some(status),
                "{name}: {win:#?}"
            );
        }
        for id in signal {
            assert_eq!(
                win.get(id),
                lin.get(id),
                "{name} {id}: windows {win:#?} linux {lin:#?}"
            );
        }
        assert_eq!(win_rc, lin_rc, "{name}: exit codes");
    }
}

#[test]
fn a_ten_second_practice_take_is_ten_seconds() {
    let Some(exe) = setup() else { return };
    let home = tempfile::tempdir().unwrap();
    let (_, inputs, _) = devices(&ok(
        windows(&exe, home.path())
            .args(["devices", "--json"])
            .output()
            .unwrap(),
        "devices",
    ));
    let sine = id_named(&inputs, "SineMic");
    let take = ok(
        windows(&exe, home.path())
            .args([
                "practice",
                "--question",
                "os-process-vs-thread",
                "--prep",
                "0",
                "--limit",
                "10",
                "--english-switch",
                "off",
                "--input",
                &sine,
                "--json",
            ])
            .output()
            .unwrap(),
        "greenroom.exe practice",
    );
    assert_eq!(take["status"], "complete", "{take:#}");
    assert_eq!(take["stop_reason"], "limit");
    let d = take["duration_ms"].as_u64().unwrap();
    assert!((9_900..=10_100).contains(&d), "duration {d} ms");
    let wav = hound::WavReader::open(unix_path(take["audio_path"].as_str().unwrap())).unwrap();
    let rate = wav.spec().sample_rate;
    let secs = wav.len() as f64 / rate as f64;
    assert!(
        (9.9..=10.1).contains(&secs),
        "{secs} s of audio at {rate} Hz"
    );
    // The tone the harness plays into SineMic was recorded, not silence.
    let peak = wav
        .into_samples::<i16>()
        .map(|s| s.unwrap().unsigned_abs())
        .max()
        .unwrap();
    assert!(peak > 3_000, "peak {peak}");
    // Listed, as on Linux.
    let list = ok(
        windows(&exe, home.path())
            .args(["takes", "list", "--json"])
            .output()
            .unwrap(),
        "takes list",
    );
    assert_eq!(list[0]["id"], take["id"]);
}

fn words(transcript: &serde_json::Value) -> Vec<String> {
    transcript["words"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            w["text"]
                .as_str()
                .unwrap()
                .chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

#[test]
fn transcribe_import_and_review_match_the_linux_build() {
    let Some(exe) = setup() else { return };
    let Some(models) = std::env::var_os("GREENROOM_TEST_MODELS").map(PathBuf::from) else {
        assert!(
            std::env::var_os("GREENROOM_REQUIRE_TEST_BED").is_none(),
            "GREENROOM_TEST_MODELS is required"
        );
        return;
    };
    let tiny = models.join("tiny.en.ggml");
    let work = tempfile::tempdir().unwrap();
    let wav = work.path().join("answer.wav");
    let status = Command::new("espeak-ng")
        .args(["-v", "en-us", "-s", "150", "-w"])
        .arg(&wav)
        .arg(
            "A process has its own address space. Threads share the memory of their \
             process, so switching between threads is cheaper.",
        )
        .status()
        .expect("espeak-ng runs");
    assert!(status.success());
    let (lin_home, win_home) = (work.path().join("linux"), work.path().join("windows"));
    ok(
        linux()
            .env("GREENROOM_HOME", &lin_home)
            .args(["models", "import", "--json"])
            .arg(&tiny)
            .output()
            .unwrap(),
        "models import",
    );
    ok(
        windows(&exe, &win_home)
            .args(["models", "import", "--json", &win_path(&tiny)])
            .output()
            .unwrap(),
        "greenroom.exe models import",
    );
    let lin = ok(
        linux()
            .env("GREENROOM_HOME", &lin_home)
            .args(["transcribe", "--answer-lang", "en", "--json"])
            .arg(&wav)
            .output()
            .unwrap(),
        "transcribe",
    );
    let win = ok(
        windows(&exe, &win_home)
            .args([
                "transcribe",
                "--answer-lang",
                "en",
                "--json",
                &win_path(&wav),
            ])
            .output()
            .unwrap(),
        "greenroom.exe transcribe",
    );
    let (lw, ww) = (words(&lin), words(&win));
    assert!(lw.len() >= 15, "{lw:?}");
    assert_eq!(ww, lw, "the Windows build heard other words");

    // A take made from the file, transcribed and reviewed, all on Windows.
    let take = ok(
        windows(&exe, &win_home)
            .args([
                "takes",
                "import",
                "--question",
                "os-process-vs-thread",
                "--answer-lang",
                "en",
                "--json",
                &win_path(&wav),
            ])
            .output()
            .unwrap(),
        "takes import",
    );
    let id = take["id"].as_str().unwrap().to_owned();
    ok(
        windows(&exe, &win_home)
            .args(["transcribe", &id, "--json"])
            .output()
            .unwrap(),
        "transcribe take",
    );
    let review = ok(
        windows(&exe, &win_home)
            .args(["review", &id, "--json"])
            .output()
            .unwrap(),
        "review",
    );
    assert_eq!(words(&review["transcript"]), lw, "{review:#}");
    assert!(review["coaching"]["pace"].is_object(), "{review:#}");
}

/// `reg.exe` (Wine's builtin) in the test prefix.
fn reg(args: &[&str]) -> Output {
    wine(Path::new("reg")).args(args).output().unwrap()
}

#[test]
fn the_privacy_switches_fail_the_mic_and_camera_checks() {
    let Some(exe) = setup() else { return };
    let home = tempfile::tempdir().unwrap();
    let key = r"HKCU\Software\Microsoft\Windows\CurrentVersion\CapabilityAccessManager\ConsentStore\microphone";
    let nonpackaged = format!(r"{key}\NonPackaged");
    let privacy = |home: &Path| -> (serde_json::Value, Option<i32>) {
        let out = windows(&exe, home)
            .args(["check", "audio", "--no-speaker", "--seconds", "1", "--json"])
            .output()
            .unwrap();
        let v = json(&out, "check audio");
        let c = v["audio"]["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "mic.privacy")
            .unwrap_or_else(|| panic!("no mic.privacy in {v:#}"))
            .clone();
        (c, out.status.code())
    };
    let _ = reg(&["delete", key, "/f"]);
    // Never set: Windows treats it as allowed, the check says "not decided".
    let (c, _) = privacy(home.path());
    assert_eq!(c["status"], "skipped", "{c:#}");
    // "Let desktop apps access your microphone" off, as Windows writes it.
    let out = reg(&[
        "add",
        &nonpackaged,
        "/v",
        "Value",
        "/t",
        "REG_SZ",
        "/d",
        "Deny",
        "/f",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (c, code) = privacy(home.path());
    let _ = reg(&["delete", key, "/f"]);
    assert_eq!(c["status"], "fail", "{c:#}");
    assert_eq!(code, Some(1), "a failed check exits 1");
    assert!(
        c["summary"]["en"]
            .as_str()
            .unwrap()
            .contains("desktop apps Deny"),
        "{c:#}"
    );
    let fix = &c["fix"];
    assert!(fix["en"]
        .as_str()
        .unwrap()
        .contains("ms-settings:privacy-microphone"));
    assert!(fix["ko"].as_str().unwrap().contains("데스크톱 앱"));
    // The camera's switch, device-wide: the camera check names it first.
    let webcam = key.replace("microphone", "webcam");
    let out = reg(&[
        "add", &webcam, "/v", "Value", "/t", "REG_SZ", "/d", "Deny", "/f",
    ]);
    assert!(out.status.success());
    let out = windows(&exe, home.path())
        .args(["check", "camera", "--json"])
        .output()
        .unwrap();
    let _ = reg(&["delete", &webcam, "/f"]);
    let v = json(&out, "check camera");
    let first = &v["camera"]["checks"][0];
    assert_eq!(first["id"], "camera.privacy", "{v:#}");
    assert_eq!(first["status"], "fail", "{first:#}");
    assert!(first["fix"]["en"]
        .as_str()
        .unwrap()
        .contains("ms-settings:privacy-webcam"));
    // Allowed again.
    let out = reg(&[
        "add", key, "/v", "Value", "/t", "REG_SZ", "/d", "Allow", "/f",
    ]);
    assert!(out.status.success());
    let (c, _) = privacy(home.path());
    let _ = reg(&["delete", key, "/f"]);
    assert_eq!(c["status"], "pass", "{c:#}");
}

#[test]
fn the_windows_exes_hold_no_avx512_or_amx_instruction() {
    let Some(exe) = windows_cli() else { return };
    for bin in [exe.clone(), exe.with_file_name("greenroom-desktop.exe")] {
        let found = greenroom_testbed::avx512_instructions("x86_64-w64-mingw32-objdump", &bin);
        assert!(
            found.is_empty(),
            "{} has AVX-512/AMX code: {found:#?}",
            bin.display()
        );
    }
}

//! `greenroom practice` and `greenroom takes` on the harness's PulseAudio, with a real
//! SQLite index in a temporary GREENROOM_HOME.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::harness;

fn greenroom(home: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_greenroom"));
    c.env("GREENROOM_HOME", home);
    c
}

fn takes_json(home: &std::path::Path) -> serde_json::Value {
    let out = greenroom(home)
        .args(["takes", "list", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_timed_answer_with_a_forced_switch_is_stored_with_its_marker() {
    if !harness() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let out = greenroom(home.path())
        .args([
            "practice",
            "--question",
            "os-process-vs-thread",
            "--prep",
            "0",
            "--limit",
            "5",
            "--english-switch",
            "at=2",
            "--input",
            "pulseaudio:sinemic",
            "--json",
        ])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let take: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(take["status"], "complete");
    assert_eq!(take["stop_reason"], "limit");
    assert_eq!(take["english_switch_ms"], 2000);
    let d = take["duration_ms"].as_u64().unwrap();
    assert!((4950..=5050).contains(&d), "duration {d}");
    let kinds: Vec<&str> = take["markers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["english_switch", "warning"]);
    let wav = hound::WavReader::open(take["audio_path"].as_str().unwrap()).unwrap();
    assert_eq!(wav.spec().sample_rate, 48_000);
    assert!(
        (wav.len() as i64 - 240_000).abs() <= 2_400,
        "{} samples",
        wav.len()
    );
    // And it is listed.
    assert_eq!(takes_json(home.path())[0]["id"], take["id"]);
}

/// Starts `greenroom practice` on the sine mic (30 s limit, no switch) with `extra`
/// arguments and returns once it says it is recording, with the moment it did. Keep the
/// returned stderr open: a closed pipe would end the CLI at its next progress line.
fn start_recording(
    home: &std::path::Path,
    extra: &[&str],
) -> (
    std::process::Child,
    BufReader<std::process::ChildStderr>,
    Instant,
) {
    let mut child = greenroom(home)
        .args([
            "practice",
            "--question",
            "os-process-vs-thread",
            "--prep",
            "0",
            "--limit",
            "30",
            "--english-switch",
            "off",
            "--input",
            "pulseaudio:sinemic",
        ])
        .args(extra)
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while !line.contains("Recording take") {
        line.clear();
        assert!(
            err.read_line(&mut line).unwrap() > 0,
            "CLI exited before recording"
        );
    }
    (child, err, Instant::now())
}

#[test]
fn kill_9_mid_take_leaves_a_file_that_the_next_start_repairs() {
    if !harness() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    // Recording has started; let it run ~3.5 s.
    let (mut child, _stderr, started) = start_recording(home.path(), &[]);
    std::thread::sleep(Duration::from_millis(3500));
    child.kill().unwrap(); // SIGKILL: no cleanup code runs.
    let ran = started.elapsed().as_secs_f64();
    child.wait().unwrap();

    // The next start finds the take, repairs the WAV and marks it recovered.
    let out = greenroom(home.path())
        .args(["takes", "list", "--json"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("Recovered take"));
    let takes: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let take = &takes[0];
    assert_eq!(take["status"], "recovered");
    assert_eq!(take["stop_reason"], "crash");
    let kept = take["duration_ms"].as_u64().unwrap() as f64 / 1000.0;
    // All but at most the last second is present (header checkpoints every 0.5 s).
    assert!(
        kept >= ran - 1.0 && kept <= ran + 0.1,
        "kept {kept} s of {ran} s"
    );
    let wav = hound::WavReader::open(take["audio_path"].as_str().unwrap()).unwrap();
    let samples: Vec<i16> = wav.into_samples().map(|s| s.unwrap()).collect();
    assert!((samples.len() as f64 / 48_000.0 - kept).abs() < 0.01);
    // A second start finds nothing more to recover.
    let again = greenroom(home.path())
        .args(["takes", "list", "--json"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&again.stderr).contains("Recovered"));
}

#[test]
fn kill_9_mid_take_with_video_keeps_the_video_to_the_last_second() {
    if !harness() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let (mut child, _stderr, started) = start_recording(
        home.path(),
        &["--camera-source", "pattern:scene", "--no-transcribe"],
    );
    std::thread::sleep(Duration::from_millis(4200));
    child.kill().unwrap(); // SIGKILL mid-fragment: the last one is torn.
    let ran = started.elapsed().as_secs_f64();
    child.wait().unwrap();

    let out = greenroom(home.path())
        .args(["takes", "list", "--json"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("Recovered take"));
    let takes: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let take = &takes[0];
    assert_eq!(take["status"], "recovered");
    assert_eq!(take["camera"], "Synthetic camera (pattern:scene)");
    let video = take["video_path"]
        .as_str()
        .expect("the take keeps its video");
    let read =
        greenroom_testbed::ffmpeg_read(std::path::Path::new(video)).expect("ffprobe on Linux");
    assert!(read.clean, "ffmpeg could not decode all of {video}");
    let (duration, frames) = (read.duration_s, read.frames);
    // Fragments of 0.5 s are written whole: what a kill loses is the fragment being
    // filled, the 0.3 s of pictures held back for the audio's end and the first picture's
    // delay, under a second (measured: 3.73 s of video 4.20 s after the start, 3 runs).
    assert!(
        duration >= ran - 1.0 && duration <= ran + 0.1,
        "video {duration:.2} s of {ran:.2} s"
    );
    assert!(
        (frames as f64 - duration * 15.0).abs() <= 2.0,
        "{frames} pictures in {duration:.2} s at 15 fps"
    );
    // The recovered video and audio cover the same time, within the loss bound.
    let audio = take["duration_ms"].as_u64().unwrap() as f64 / 1000.0;
    assert!(
        (audio - duration).abs() < 1.0,
        "audio {audio} s, video {duration} s"
    );
    let show = greenroom(home.path())
        .args(["takes", "show", take["id"].as_str().unwrap()])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&show.stdout).contains("video: "));
}

#[test]
fn bad_take_ids_and_questions_are_named_in_the_error() {
    let home = tempfile::tempdir().unwrap();
    let out = greenroom(home.path())
        .args(["takes", "show", "../etc/passwd"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("take id"));
    let out = greenroom(home.path())
        .args(["practice", "--question", "no-such-question", "--prep", "0"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-question"));
}

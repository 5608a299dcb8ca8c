//! The audio preflight against a real PulseAudio server (the one `./x harness` starts),
//! with a zoo of virtual microphones that each carry one known fault. Every zoo mic is a
//! null sink ("feed") whose monitor is remapped into a source; `pacat` plays a generated
//! signal into the feed, so the app records it exactly as it would a real device.

mod common;

use std::process::Command;
use std::time::Duration;

use greenroom_core::signal::{speech_like, white_noise};
use greenroom_core::{Check, Status};
use greenroom_engine::preflight::audio::{check_audio, AudioCheckOptions, AudioReport};

use common::{harness, pactl};
use greenroom_testbed::{clipped_speech, ZooMic};

fn check_mic(mic: &ZooMic) -> AudioReport {
    check_audio(
        &AudioCheckOptions {
            input: Some(mic.id.clone()),
            output: None,
            seconds: 2.0,
            speaker: false,
        },
        |_| {},
    )
}

fn find<'a>(report: &'a AudioReport, id: &str) -> &'a Check {
    report
        .checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no check {id} in {:#?}", report.checks))
}

fn status(report: &AudioReport, id: &str) -> Status {
    find(report, id).status
}

const RATE: u32 = 48_000;

fn good_speech() -> Vec<f32> {
    greenroom_testbed::good_speech(RATE)
}

#[test]
fn good_mic_passes_every_signal_check() {
    if !harness() {
        return;
    }
    let mic = ZooMic::new("good", RATE, Some(good_speech()));
    let r = check_mic(&mic);
    for id in [
        "mic.opens",
        "mic.silent",
        "mic.level",
        "mic.clipping",
        "mic.noise",
        "mic.dropouts",
        "mic.crackle",
        "mic.rate",
        "mic.dc",
        "mic.format",
    ] {
        assert_eq!(status(&r, id), Status::Pass, "{id}: {:#?}", find(&r, id));
    }
    // The first sample arrives within a null sink's block (docs/testing.md, "The null sinks' startup latency"), so pass or warn.
    assert_ne!(status(&r, "mic.first_sample"), Status::Fail);
    let stats = r.stats.as_ref().unwrap();
    assert!(
        (stats.peak_dbfs - -9.0).abs() < 1.5,
        "peak {}",
        stats.peak_dbfs
    );
    assert_eq!(r.dropped_samples, 0);
    let rate = r.delivery.as_ref().unwrap().effective_rate_hz.unwrap();
    assert!((rate - 48_000.0).abs() / 48_000.0 < 0.01, "rate {rate}");
}

#[test]
fn digital_silence_fails_even_though_the_device_opens() {
    if !harness() {
        return;
    }
    let mic = ZooMic::new("silent", RATE, None);
    let r = check_mic(&mic);
    assert_eq!(status(&r, "mic.opens"), Status::Pass);
    assert_eq!(status(&r, "mic.silent"), Status::Fail);
    assert_eq!(status(&r, "mic.level"), Status::Skipped);
    assert_eq!(r.overall, Status::Fail);
    let silent = find(&r, "mic.silent");
    assert!(silent
        .fix
        .as_ref()
        .unwrap()
        .ko
        .chars()
        .any(|c| ('가'..='힣').contains(&c)));
}

#[test]
fn clipped_input_fails_clipping() {
    if !harness() {
        return;
    }
    let mic = ZooMic::new("clipped", RATE, Some(clipped_speech(RATE)));
    let r = check_mic(&mic);
    assert_eq!(
        status(&r, "mic.clipping"),
        Status::Fail,
        "{:#?}",
        find(&r, "mic.clipping")
    );
    assert!(r.stats.as_ref().unwrap().clipped_share > 0.01);
}

#[test]
fn loud_noise_fails_the_noise_floor() {
    if !harness() {
        return;
    }
    let mic = ZooMic::new("noisy", RATE, Some(white_noise(RATE as usize * 4, 0.1, 5)));
    let r = check_mic(&mic);
    assert_eq!(
        status(&r, "mic.noise"),
        Status::Fail,
        "{:#?}",
        find(&r, "mic.noise")
    );
    let floor = r.stats.as_ref().unwrap().noise_floor_dbfs;
    assert!((floor - -20.0).abs() < 3.0, "noise floor {floor}");
}

#[test]
fn very_quiet_input_fails_the_level() {
    if !harness() {
        return;
    }
    let mic = ZooMic::new("quiet", RATE, Some(speech_like(RATE, 4.0, -56.0, 9)));
    let r = check_mic(&mic);
    assert_eq!(
        status(&r, "mic.level"),
        Status::Fail,
        "{:#?}",
        find(&r, "mic.level")
    );
    let peak = r.stats.as_ref().unwrap().peak_dbfs;
    assert!(peak < -50.0 && peak > -62.0, "peak {peak}");
}

#[test]
fn dropouts_and_clicks_are_caught() {
    if !harness() {
        return;
    }
    let mut sig = good_speech();
    // A 40 ms hole every 500 ms, and a single-sample spike every 300 ms.
    for start in (RATE as usize / 4..sig.len()).step_by(RATE as usize / 2) {
        let end = (start + RATE as usize / 25).min(sig.len());
        sig[start..end].iter_mut().for_each(|x| *x = 0.0);
    }
    for i in (RATE as usize / 10..sig.len()).step_by(RATE as usize * 3 / 10) {
        sig[i] = if sig[i] > 0.0 { -0.9 } else { 0.9 };
    }
    let mic = ZooMic::new("crackly", RATE, Some(sig));
    let r = check_mic(&mic);
    assert_eq!(
        status(&r, "mic.dropouts"),
        Status::Fail,
        "{:#?}",
        find(&r, "mic.dropouts")
    );
    assert_eq!(
        status(&r, "mic.crackle"),
        Status::Fail,
        "{:#?}",
        find(&r, "mic.crackle")
    );
    let stats = r.stats.as_ref().unwrap();
    // 2 s of audio: about 4 holes and 6-7 clicks.
    assert!(
        (3..=5).contains(&stats.dropouts),
        "dropouts {}",
        stats.dropouts
    );
    assert!(
        stats.clicks_per_s > 2.5 && stats.clicks_per_s < 4.5,
        "clicks/s {}",
        stats.clicks_per_s
    );
}

#[test]
fn a_call_mode_sample_rate_warns_about_the_format() {
    if !harness() {
        return;
    }
    let mic = ZooMic::new("narrow", 8_000, Some(speech_like(8_000, 4.0, -9.0, 4)));
    let r = check_mic(&mic);
    assert_eq!(
        status(&r, "mic.format"),
        Status::Warn,
        "{:#?}",
        find(&r, "mic.format")
    );
    assert_eq!(
        r.input
            .as_ref()
            .unwrap()
            .format
            .as_ref()
            .unwrap()
            .sample_rate,
        8_000
    );
}

#[test]
fn unloading_the_device_mid_probe_reports_device_gone() {
    if !harness() {
        return;
    }
    let mut mic = ZooMic::new("vanishing", RATE, Some(good_speech()));
    let id = mic.id.clone();
    let probe = std::thread::spawn(move || {
        check_audio(
            &AudioCheckOptions {
                input: Some(id),
                output: None,
                seconds: 4.0,
                speaker: false,
            },
            |_| {},
        )
    });
    std::thread::sleep(Duration::from_millis(1500));
    mic.unload();
    let r = probe.join().unwrap();
    let opens = find(&r, "mic.opens");
    assert_eq!(opens.status, Status::Fail, "{opens:#?}");
    assert_eq!(r.overall, Status::Fail);
    assert!(
        opens.summary.en.to_lowercase().contains("disconnected"),
        "{}",
        opens.summary.en
    );
}

#[test]
fn the_speaker_tone_is_heard_through_a_loopback() {
    if !harness() {
        return;
    }
    // Route the virtual speaker into a zoo mic, as a laptop's mic hears its speakers.
    let mic = ZooMic::new("room", RATE, None);
    let feed = mic.id.trim_start_matches("pulseaudio:").to_owned() + "_feed";
    let loopback = pactl(&[
        "load-module",
        "module-loopback",
        "source=vspk.monitor",
        &format!("sink={feed}"),
        "latency_msec=20",
    ]);
    let r = check_audio(
        &AudioCheckOptions {
            input: Some(mic.id.clone()),
            output: Some("pulseaudio:vspk".into()),
            seconds: 2.0,
            speaker: true,
        },
        |_| {},
    );
    let _ = Command::new("pactl")
        .args(["unload-module", &loopback])
        .status();
    let tone = find(&r, "speaker.loopback");
    assert_eq!(tone.status, Status::Pass, "{tone:#?}");
    let found = r.tone.as_ref().expect("tone found");
    assert!(found.thd_pct < 5.0, "THD {}", found.thd_pct);
    let delay = tone.measured.unwrap().value;
    assert!((0.0..1500.0).contains(&delay), "delay {delay} ms");
}

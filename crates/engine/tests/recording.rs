//! Recording on the real PulseAudio of `./x harness`: length, continuity, device loss.

mod common;

use std::time::Duration;

use greenroom_engine::recording::{Recorder, StopReason};

use common::{harness, pactl};

#[test]
fn a_ten_second_take_of_the_sine_mic_is_ten_seconds_with_no_gaps() {
    if !harness() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audio.wav");
    let rec = Recorder::start(Some("pulseaudio:sinemic"), &path, Duration::from_secs(10)).unwrap();
    while !rec.is_finished() {
        std::thread::sleep(Duration::from_millis(100));
    }
    let r = rec.stop();
    assert_eq!(r.stop_reason, StopReason::Limit);
    assert_eq!(r.dropped_samples, 0);
    let reader = hound::WavReader::open(&path).unwrap();
    let spec = reader.spec();
    assert_eq!((spec.sample_rate, spec.channels), (48_000, 1));
    let samples: Vec<i16> = reader.into_samples().map(|s| s.unwrap()).collect();
    let seconds = samples.len() as f64 / 48_000.0;
    assert!((seconds - 10.0).abs() <= 0.1, "{seconds} s");
    // The 440 Hz sine never sits at zero for long: any run of 5 ms of zeros is a gap.
    let mut run = 0;
    let mut longest = 0;
    for &s in &samples[4800..] {
        run = if s == 0 { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    assert!(longest < 240, "a gap of {longest} zero samples");
    // And the level is the sine's -6 dBFS all the way through (checked per second).
    for (i, sec) in samples.chunks(48_000).enumerate() {
        let peak = sec.iter().map(|s| s.unsigned_abs()).max().unwrap() as f64 / 32767.0;
        assert!((peak - 0.5).abs() < 0.05, "second {i}: peak {peak}");
    }
}

#[test]
fn losing_the_device_stops_the_take_and_keeps_the_audio() {
    if !harness() {
        return;
    }
    let sink = pactl(&[
        "load-module",
        "module-null-sink",
        "sink_name=rec_gone_feed",
        "rate=48000",
        "channels=1",
    ]);
    let src = pactl(&[
        "load-module",
        "module-remap-source",
        "master=rec_gone_feed.monitor",
        "source_name=rec_gone",
        "source_properties=device.description=rec_gone",
    ]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audio.wav");
    let rec = Recorder::start(Some("pulseaudio:rec_gone"), &path, Duration::from_secs(30)).unwrap();
    std::thread::sleep(Duration::from_millis(2500));
    pactl(&["unload-module", &src]);
    let mut waited = 0;
    while !rec.is_finished() && waited < 50 {
        std::thread::sleep(Duration::from_millis(100));
        waited += 1;
    }
    let r = rec.stop();
    pactl(&["unload-module", &sink]);
    assert_eq!(r.stop_reason, StopReason::DeviceGone, "{r:?}");
    assert!(r.error.as_deref().unwrap().contains("rec_gone"), "{r:?}");
    let reader = hound::WavReader::open(&path).unwrap();
    let seconds = reader.len() as f64 / 48_000.0;
    // Unloaded after 2.5 s; PulseAudio moves the stream to another source, which the
    // recorder notices at its next once-a-second presence check.
    assert!(seconds > 2.0 && seconds < 4.0, "kept {seconds} s");
}

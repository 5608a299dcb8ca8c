//! The audio preflight: open the mic, optionally play a test tone on the speakers and listen
//! for it, and judge what arrived. Also "record 5 s and play it back".

use std::time::{Duration, Instant};

use greenroom_core::audio_checks::{
    mic_checks, open_check, speaker_checks, visibility_check, visibility_not_measured,
    LoopbackMeasurement, MicMeasurement, OpenFailure,
};
use greenroom_core::device_access::{
    communications_check, endpoints_check, privacy_check, Capability,
};
use greenroom_core::signal::{
    analyze, capture_time_ms, delivery_stats, find_tone, test_tone, to_mono, Delivery,
    DeliveryStats, SignalStats, ToneMatch,
};
use greenroom_core::{Check, Status};
use serde::Serialize;
use ts_rs::TS;

use crate::audio::capture::InputStream;
use crate::audio::playback::{play_mono, resample_linear};
use crate::audio::system::system_audio_view;
use crate::audio::{audio_inventory, NativeFormat, PresenceWatch};
use crate::EngineError;

/// The test tone: 1 kHz is far from mains hum and inside every speaker's and mic's range.
pub const TONE_HZ: f64 = 1000.0;
const TONE_MS: u32 = 500;
/// -12 dBFS: loud enough to be heard through a room, far from clipping.
const TONE_AMPLITUDE: f32 = 0.25;
/// When the tone starts, after the capture has settled.
const TONE_DELAY: Duration = Duration::from_millis(300);
/// How long to wait for the first sample before calling the device silent.
const FIRST_SAMPLE_TIMEOUT: Duration = Duration::from_secs(5);
/// How long after starting the tone we keep listening for it.
const TONE_LISTEN: Duration = Duration::from_millis(2500);
/// No buffer for this long after audio flowed means the device went away.
const STALL: Duration = Duration::from_millis(1500);
/// How often we confirm the device is still listed.
const PRESENCE_EVERY: Duration = Duration::from_millis(500);
const POLL: Duration = Duration::from_millis(40);

#[derive(Debug, Clone)]
pub struct AudioCheckOptions {
    /// Input device id (`host:device`); the default input when `None`.
    pub input: Option<String>,
    /// Output device id; the default output when `None`.
    pub output: Option<String>,
    /// How long to record.
    pub seconds: f64,
    /// Play the test tone and listen for it.
    pub speaker: bool,
}

impl Default for AudioCheckOptions {
    fn default() -> Self {
        Self {
            input: None,
            output: None,
            seconds: 3.0,
            speaker: true,
        }
    }
}

/// A device the check ran on.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CheckedDevice {
    pub id: String,
    pub name: String,
    pub format: Option<NativeFormat>,
}

/// Everything the audio preflight measured and concluded.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AudioReport {
    /// The audio host the app used (`pulseaudio`, `alsa`), if any worked.
    pub host: Option<String>,
    pub input: Option<CheckedDevice>,
    pub output: Option<CheckedDevice>,
    pub checks: Vec<Check>,
    pub overall: Status,
    pub stats: Option<SignalStats>,
    pub delivery: Option<DeliveryStats>,
    pub tone: Option<ToneMatch>,
    /// Samples our own pipeline lost (ring buffer full); 0 unless the machine is starved.
    #[ts(type = "number")]
    pub dropped_samples: u64,
    pub elapsed_ms: f64,
}

/// Progress while the check runs, for the UI's prompts and meter.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AudioProgress {
    /// The stream is open and recording; `seconds` in total.
    Recording { seconds: f64 },
    /// Peak level since the last event, in dBFS.
    Level { peak_dbfs: f64 },
    /// The test tone is playing now.
    TonePlaying,
    /// Recording finished; analysing.
    Analysing,
}

fn open_failure(e: &EngineError) -> OpenFailure {
    match e {
        EngineError::NoAudioServer { .. } => OpenFailure::NoAudioServer,
        EngineError::NoAudioDevice { .. } | EngineError::UnknownAudioDevice { .. } => {
            OpenFailure::NoDevice
        }
        EngineError::PermissionDenied { .. } => OpenFailure::PermissionDenied,
        EngineError::DeviceBusy { .. } => OpenFailure::DeviceBusy,
        EngineError::DeviceGone { .. } => OpenFailure::DeviceGone,
        _ => OpenFailure::UnsupportedConfig,
    }
}

/// "Does the app see what the system sees?" for the host in use, and what the OS itself
/// decides about the microphone: on Windows its endpoint states, the default per role and
/// the privacy switch.
pub fn system_checks() -> Vec<Check> {
    let inventory = audio_inventory();
    let system = system_audio_view();
    let (host, app_inputs) = match inventory.preferred() {
        Some(h) => (
            h.name.clone(),
            h.microphones().map(|d| d.name.clone()).collect::<Vec<_>>(),
        ),
        None => ("none".to_owned(), vec![]),
    };
    let mut checks = vec![match (&system.not_measured_on, &system.endpoints) {
        (Some(os), _) => visibility_not_measured(os),
        (None, Some(endpoints)) => endpoints_check(&app_inputs, endpoints),
        (None, None) => visibility_check(&host, &app_inputs, &system.input_names()),
    }];
    if let Some(endpoints) = &system.endpoints {
        checks.push(communications_check(endpoints));
    }
    if let Some(consent) = crate::os::privacy_consent(Capability::Microphone) {
        checks.push(privacy_check(Capability::Microphone, &consent));
    }
    checks
}

/// Runs the audio preflight. Never fails: a device that cannot be opened is itself a verdict.
pub fn check_audio(
    opts: &AudioCheckOptions,
    mut progress: impl FnMut(AudioProgress),
) -> AudioReport {
    let t0 = Instant::now();
    let inventory = audio_inventory();
    let mut report = AudioReport {
        host: inventory.preferred_host.clone(),
        input: None,
        output: None,
        checks: system_checks(),
        overall: Status::Pass,
        stats: None,
        delivery: None,
        tone: None,
        dropped_samples: 0,
        elapsed_ms: 0.0,
    };
    let input_label = opts.input.as_deref().unwrap_or("default input");
    let mut stream = match InputStream::open(opts.input.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            report
                .checks
                .push(open_check("mic", input_label, Err(open_failure(&e))));
            return finish(report, t0);
        }
    };
    report.input = Some(CheckedDevice {
        id: stream.device_id.clone(),
        name: stream.device_name.clone(),
        format: Some(stream.format.clone()),
    });
    let rate = stream.format.sample_rate;
    let channels = stream.format.channels;
    progress(AudioProgress::Recording {
        seconds: opts.seconds,
    });

    let meter = stream.meter();
    let mut samples: Vec<f32> =
        Vec::with_capacity((opts.seconds * rate as f64 * channels as f64) as usize + rate as usize);
    let mut delivery = Delivery::new(rate);
    let mut lost: Option<EngineError> = None;
    // The window starts at the first sample, so a slow-starting device (Bluetooth, USB,
    // a sound server waking up) still gets a full measurement; the delay itself is a check.
    let record_for = Duration::from_secs_f64(opts.seconds.max(0.5));
    let mut first_at: Option<Instant> = None;
    let mut last_data = Instant::now();
    let mut last_presence = Instant::now();
    let mut presence = PresenceWatch::new(&stream.device_id);
    let mut speaker = None;
    let mut tone_deadline: Option<Instant> = None;
    loop {
        std::thread::sleep(POLL);
        let d = stream.drain();
        if !d.arrivals.is_empty() {
            last_data = Instant::now();
            first_at.get_or_insert(last_data);
        }
        samples.extend_from_slice(&d.samples);
        for a in &d.arrivals {
            delivery.record(a.at_ms, a.frames);
        }
        if !d.arrivals.is_empty() {
            progress(AudioProgress::Level {
                peak_dbfs: greenroom_core::signal::dbfs(meter.take_peak() as f64),
            });
        }
        if let Some(e) = stream.error() {
            lost = Some(e);
            break;
        }
        let Some(first) = first_at else {
            if stream.started().elapsed() > FIRST_SAMPLE_TIMEOUT {
                break;
            }
            continue;
        };
        if last_presence.elapsed() >= PRESENCE_EVERY {
            last_presence = Instant::now();
            if !presence.still_present() {
                lost = Some(EngineError::DeviceGone {
                    device: stream.device_name.clone(),
                });
                break;
            }
        }
        if last_data.elapsed() > STALL {
            lost = Some(EngineError::DeviceGone {
                device: stream.device_name.clone(),
            });
            break;
        }
        if opts.speaker && speaker.is_none() && first.elapsed() >= TONE_DELAY {
            progress(AudioProgress::TonePlaying);
            speaker = Some(spawn_tone(opts.output.clone(), stream.started()));
            tone_deadline = Some(Instant::now() + TONE_LISTEN);
        }
        let recorded_enough = first.elapsed() >= record_for;
        let tone_done = match (&speaker, tone_deadline) {
            (None, _) => !opts.speaker,
            (Some(handle), Some(deadline)) => {
                // Stop early once the tone has been heard; else listen until the deadline.
                let heard = handle.is_finished()
                    && find_tone(&to_mono(&samples, channels), rate, TONE_HZ).is_some();
                heard || Instant::now() >= deadline
            }
            (Some(_), None) => true,
        };
        if recorded_enough && tone_done {
            break;
        }
    }
    let d = stream.drain();
    samples.extend_from_slice(&d.samples);
    for a in &d.arrivals {
        delivery.record(a.at_ms, a.frames);
    }
    report.dropped_samples = stream.overflowed_samples();
    let device_name = stream.device_name.clone();
    stream.stop();
    progress(AudioProgress::Analysing);

    match &lost {
        Some(e) => report
            .checks
            .push(open_check("mic", &device_name, Err(open_failure(e)))),
        None => report.checks.push(open_check("mic", &device_name, Ok(()))),
    }

    let mono = to_mono(&samples, channels);
    let stats = analyze(&mono, rate);
    let delivery_stats = delivery_stats(&delivery);
    let first_sample_ms = delivery
        .arrivals
        .iter()
        .find(|a| a.frames > 0)
        .map(|a| a.at_ms);
    if lost.is_none() {
        report.checks.extend(mic_checks(&MicMeasurement {
            device_name: device_name.clone(),
            stats: stats.clone(),
            delivery: delivery_stats.clone(),
            first_sample_ms,
            sample_rate: rate,
            channels,
        }));
    }

    if let Some(handle) = speaker {
        let outcome = handle.join().unwrap_or_else(|_| {
            Err(EngineError::Audio {
                device: "output".into(),
                detail: "playback thread panicked".into(),
            })
        });
        match outcome {
            Ok((played, played_at_ms)) => {
                report.output = Some(CheckedDevice {
                    id: played.device_id.clone(),
                    name: played.device_name.clone(),
                    format: None,
                });
                report
                    .checks
                    .push(open_check("speaker", &played.device_name, Ok(())));
                // Put the onset on the same clock as the playback start.
                let found = find_tone(&mono, rate, TONE_HZ).map(|mut t| {
                    let frame = (t.onset_ms * rate as f64 / 1000.0) as u64;
                    if let Some(ms) = capture_time_ms(&delivery.arrivals, frame, rate) {
                        t.onset_ms = ms;
                    }
                    t
                });
                report.tone = found;
                report.checks.extend(speaker_checks(&LoopbackMeasurement {
                    output_name: played.device_name,
                    tone_hz: TONE_HZ,
                    played_at_ms,
                    found,
                }));
            }
            Err(e) => {
                let label = opts.output.as_deref().unwrap_or("default output");
                report
                    .checks
                    .push(open_check("speaker", label, Err(open_failure(&e))));
            }
        }
    }
    report.stats = Some(stats);
    report.delivery = Some(delivery_stats);
    finish(report, t0)
}

type ToneHandle =
    std::thread::JoinHandle<Result<(crate::audio::playback::Played, f64), EngineError>>;

/// Plays the test tone on its own thread; returns when it started on the capture's clock.
fn spawn_tone(output: Option<String>, capture_started: Instant) -> ToneHandle {
    std::thread::spawn(move || {
        let played = play_mono(output.as_deref(), |rate| {
            test_tone(rate, TONE_HZ, TONE_MS, TONE_AMPLITUDE)
        })?;
        let at = played.started_at.saturating_duration_since(capture_started);
        Ok((played, at.as_secs_f64() * 1000.0))
    })
}

fn finish(mut report: AudioReport, t0: Instant) -> AudioReport {
    report.overall = greenroom_core::verdict::overall(&report.checks);
    report.elapsed_ms = t0.elapsed().as_secs_f64() * 1000.0;
    report
}

/// A short recording kept in memory for "record 5 s and play it back".
#[derive(Debug, Clone)]
pub struct Clip {
    pub samples: Vec<f32>,
    pub sample_rate: u32,
    pub device_name: String,
}

/// Records `seconds` of mono audio from `input`.
pub fn record_clip(
    input: Option<&str>,
    seconds: f64,
    mut on_level: impl FnMut(f64),
) -> Result<Clip, EngineError> {
    let mut stream = InputStream::open(input)?;
    let meter = stream.meter();
    let mut samples = vec![];
    let until = Duration::from_secs_f64(seconds);
    while stream.started().elapsed() < until {
        std::thread::sleep(POLL);
        samples.extend(stream.drain().samples);
        on_level(greenroom_core::signal::dbfs(meter.take_peak() as f64));
        if let Some(e) = stream.error() {
            return Err(e);
        }
    }
    samples.extend(stream.drain().samples);
    let clip = Clip {
        samples: to_mono(&samples, stream.format.channels),
        sample_rate: stream.format.sample_rate,
        device_name: stream.device_name.clone(),
    };
    stream.stop();
    Ok(clip)
}

/// Plays a clip on `output` (or the default output), blocking until it has played.
pub fn play_clip(output: Option<&str>, clip: &Clip) -> Result<(), EngineError> {
    let samples = clip.samples.clone();
    let from = clip.sample_rate;
    play_mono(output, move |to| resample_linear(&samples, from, to)).map(|_| ())
}

/// Plays the test tone once, for the "did you hear it?" fallback.
pub fn play_test_tone(output: Option<&str>) -> Result<(), EngineError> {
    play_mono(output, |rate| {
        test_tone(rate, TONE_HZ, TONE_MS, TONE_AMPLITUDE)
    })
    .map(|_| ())
}

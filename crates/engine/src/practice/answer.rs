//! An answer being recorded: the take, the recorder, the clock with its warning and the
//! surprise English switch, the transcript streamed while recording and the camera.

use std::sync::Arc;
use std::time::Duration;

use greenroom_core::bank::Bank;
use greenroom_core::plan::{schedule_switch, SwitchMode};
use greenroom_core::transcript::Transcript;
use greenroom_core::Lang;
use serde::Serialize;
use ts_rs::TS;

use super::bank::{prompt_of, question};
use super::RECORDING_LOCK;
use crate::camera::FrameSource;
use crate::recording::{Recorded, Recorder};
use crate::store::{
    MarkerKind, Metric, NewTake, StopReason, Store, Take, TakeId, TakeStatus, AUDIO_FILE,
    PRESENCE_FILE, VIDEO_FILE,
};
use crate::transcribe::streaming::StreamingTranscriber;
use crate::transcribe::{save_take_transcript, LanguagePlan, Transcriber};
use crate::video::{VideoRecorded, VideoRecorder, VideoSettings};
use crate::EngineError;

/// How the answer is timed and recorded.
#[derive(Debug, Clone)]
pub struct AnswerOptions {
    pub question_id: String,
    /// Answer a follow-up (index into the question's follow-ups) instead of the question.
    pub follow_up: Option<u32>,
    pub input: Option<String>,
    /// Answer time; the question's suggestion when `None`.
    pub limit_s: Option<u32>,
    pub switch: SwitchMode,
    /// Seeds the switch moment (tests and "same draw again").
    pub seed: u64,
    /// The language the answer starts in.
    pub language: Lang,
    pub session_id: Option<String>,
    pub retake_of: Option<TakeId>,
    /// Transcribe finished stretches while recording, so the transcript is ready at stop.
    pub transcriber: Option<Arc<Transcriber>>,
    /// How the camera is recorded when [`Answer::start_with_camera`] is given one.
    pub video: VideoSettings,
}

/// A finished answer: the take, what was recorded, and the transcript made while recording.
#[derive(Debug)]
pub struct FinishedAnswer {
    pub take: Take,
    pub recorded: Recorded,
    pub transcript: Option<Transcript>,
    /// Why the streamed transcript is missing when it was asked for.
    pub transcript_error: Option<String>,
    /// How long finishing the streamed transcript took after recording stopped.
    pub transcript_wait_ms: Option<f64>,
    /// The camera recording, for a take with video.
    pub video: Option<VideoRecorded>,
    /// Why the take's video is missing or cut short, when it was asked for.
    pub video_error: Option<String>,
}

/// What happens during an answer, for the UI and the terminal.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AnswerEvent {
    Progress {
        #[ts(type = "number")]
        elapsed_ms: u64,
        #[ts(type = "number")]
        remaining_ms: u64,
        peak_dbfs: f64,
    },
    /// Time is nearly up.
    Warning {
        #[ts(type = "number")]
        remaining_ms: u64,
    },
    /// "Continue your answer in English", now.
    EnglishSwitch {
        #[ts(type = "number")]
        at_ms: u64,
    },
    /// The microphone stalled and `length_ms` of audio went missing at `at_ms`; the take
    /// goes on (and keeps a marker of it).
    DeliveryGap {
        #[ts(type = "number")]
        at_ms: u64,
        #[ts(type = "number")]
        length_ms: u64,
    },
}

/// When to warn that time is nearly up: the last quarter, at most the last 15 s.
pub fn warning_at_ms(limit_ms: u64) -> u64 {
    limit_ms - (limit_ms / 4).min(15_000)
}

/// An answer being recorded.
pub struct Answer {
    take: Take,
    recorder: Recorder,
    limit_ms: u64,
    /// Never exposed before it happens: the switch is a surprise.
    switch_at_ms: Option<u64>,
    switched: bool,
    warned: bool,
    streaming: Option<(Arc<StreamingTranscriber>, String)>,
    video: Option<VideoRecorder>,
    video_offset_saved: bool,
}

impl Answer {
    /// Starts recording an answer: the take row and folder, then the recorder.
    pub fn start(store: &Store, bank: &Bank, opts: &AnswerOptions) -> Result<Answer, EngineError> {
        Self::start_with_camera(store, bank, opts, None)
    }

    /// Like [`Answer::start`], and records `camera` (an open source: the camera, or the
    /// self-view's tap of it) as the take's video, on the audio's clock.
    pub fn start_with_camera(
        store: &Store,
        bank: &Bank,
        opts: &AnswerOptions,
        camera: Option<Box<dyn FrameSource>>,
    ) -> Result<Answer, EngineError> {
        let q = question(bank, &opts.question_id)?;
        let prompt = prompt_of(q, opts.follow_up)?;
        let limit_s = opts.limit_s.unwrap_or(q.answer_s);
        if !(5..=1800).contains(&limit_s) {
            return Err(EngineError::InvalidArgument {
                name: "answer time".into(),
                detail: format!("{limit_s} s is not between 5 and 1800 s"),
            });
        }
        let limit_ms = limit_s as u64 * 1000;
        // Open the device first: a take row for a mic that cannot open would be noise.
        let (device, device_id, device_name) =
            crate::audio::find_device(opts.input.as_deref(), crate::audio::Direction::Input)?;
        let sample_rate = {
            use cpal::traits::DeviceTrait;
            device
                .default_input_config()
                .map_err(|e| crate::audio::classify_error(&e, &device_name))?
                .sample_rate()
        };
        let take = store.begin_take(&NewTake {
            question_id: q.id.clone(),
            track: q.track,
            prompt,
            follow_up: opts.follow_up,
            session_id: opts.session_id.clone(),
            sample_rate,
            channels: 1,
            input_device: device_id,
            language: opts.language,
            retake_of: opts.retake_of.clone(),
        })?;
        drop(device);
        let _ = std::fs::write(
            take.dir.join(RECORDING_LOCK),
            std::process::id().to_string(),
        );
        let streaming = opts.transcriber.as_ref().map(|t| {
            let plan = LanguagePlan::new(opts.language, None);
            (
                Arc::new(StreamingTranscriber::start(t.clone(), plan, sample_rate)),
                t.name().to_owned(),
            )
        });
        let tap = streaming.as_ref().map(|(s, _)| {
            let s = s.clone();
            Box::new(move |chunk: &[f32]| s.push(chunk)) as crate::recording::RecordingTap
        });
        let recorder = match Recorder::start_with_tap(
            opts.input.as_deref(),
            &take.dir.join(AUDIO_FILE),
            Duration::from_millis(limit_ms),
            tap,
        ) {
            Ok(r) => r,
            Err(e) => {
                abandon(store, &take);
                return Err(e);
            }
        };
        // Pictures are timed from the take's first audio sample, which the recorder finds.
        let clock = recorder.clock();
        let video = match camera {
            None => None,
            Some(source) => {
                let name = source.info().name.clone();
                let started = store.set_video(&take.id, &name).and_then(|_| {
                    VideoRecorder::start(
                        source,
                        &take.dir.join(VIDEO_FILE),
                        Some(&take.dir.join(PRESENCE_FILE)),
                        clock,
                        opts.video.clone(),
                    )
                });
                match started {
                    Ok(v) => Some(v),
                    Err(e) => {
                        drop(recorder.stop());
                        let _ = store.finish_video(&take.id, None);
                        abandon(store, &take);
                        return Err(e);
                    }
                }
            }
        };
        let allows = opts.follow_up.is_none() && q.english_switch;
        let switch_at_ms = if opts.language == Lang::En {
            None
        } else {
            schedule_switch(&opts.switch, allows, limit_ms, opts.seed)
        };
        Ok(Answer {
            take,
            recorder,
            limit_ms,
            switch_at_ms,
            switched: false,
            warned: false,
            streaming,
            video,
            video_offset_saved: false,
        })
    }

    /// Pictures recorded so far, for a take with video.
    pub fn video_frames(&self) -> Option<u64> {
        self.video.as_ref().map(|v| v.progress().frames())
    }

    pub fn take(&self) -> &Take {
        &self.take
    }

    pub fn limit_ms(&self) -> u64 {
        self.limit_ms
    }

    /// Milliseconds of audio recorded so far (the answer's own clock).
    pub fn elapsed_ms(&self) -> u64 {
        self.recorder.recorded_ms() as u64
    }

    /// True when the recording ended by itself (time up, device lost, disk full).
    pub fn is_finished(&self) -> bool {
        self.recorder.is_finished()
    }

    /// What happened since the last poll; records the English-switch marker when reached.
    pub fn poll(&mut self, store: &Store) -> Result<Vec<AnswerEvent>, EngineError> {
        let elapsed_ms = self.elapsed_ms();
        let remaining_ms = self.limit_ms.saturating_sub(elapsed_ms);
        let mut events = vec![AnswerEvent::Progress {
            elapsed_ms,
            remaining_ms,
            peak_dbfs: self.recorder.progress().take_peak_dbfs(),
        }];
        if let Some(at) = self.switch_at_ms {
            if !self.switched && elapsed_ms >= at {
                self.switched = true;
                store.add_marker(&self.take.id, MarkerKind::EnglishSwitch, at)?;
                if let Some((s, _)) = &self.streaming {
                    s.set_switch_at(at);
                }
                events.push(AnswerEvent::EnglishSwitch { at_ms: at });
            }
        }
        for gap in self.recorder.progress().take_gaps() {
            store.add_marker_lasting(
                &self.take.id,
                MarkerKind::DeliveryGap,
                gap.at_ms,
                Some(gap.length_ms),
            )?;
            events.push(AnswerEvent::DeliveryGap {
                at_ms: gap.at_ms,
                length_ms: gap.length_ms,
            });
        }
        if let (false, Some(v)) = (self.video_offset_saved, &self.video) {
            // Saved as soon as known, so a take recovered after a crash plays in sync.
            if let Some(ms) = v.progress().first_frame_ms() {
                store.finish_video(&self.take.id, Some(ms))?;
                self.video_offset_saved = true;
            }
        }
        if !self.warned && elapsed_ms >= warning_at_ms(self.limit_ms) && remaining_ms > 0 {
            self.warned = true;
            store.add_marker(&self.take.id, MarkerKind::Warning, elapsed_ms)?;
            events.push(AnswerEvent::Warning { remaining_ms });
        }
        Ok(events)
    }

    /// Records until the limit, a device or disk failure, or `stop`; reports events
    /// (progress ~10 times a second) and returns the finished answer. Both faces drive an
    /// answer through this.
    pub fn run(
        mut self,
        store: &Store,
        stop: &std::sync::atomic::AtomicBool,
        mut on_event: impl FnMut(AnswerEvent),
    ) -> Result<FinishedAnswer, EngineError> {
        let mut ticks = 0u32;
        while !self.is_finished() && !stop.load(std::sync::atomic::Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(50));
            ticks += 1;
            for ev in self.poll(store)? {
                if matches!(ev, AnswerEvent::Progress { .. }) && ticks % 2 != 0 {
                    continue;
                }
                on_event(ev);
            }
        }
        self.finish(store)
    }

    /// Stops (or collects a recording that ended by itself) and closes the take; with
    /// streaming on, the rest of the transcript is finished and stored too.
    pub fn finish(mut self, store: &Store) -> Result<FinishedAnswer, EngineError> {
        // A final poll so a switch reached in the last instant is still marked.
        let _ = self.poll(store);
        let progress = self.recorder.progress();
        let recorded = self.recorder.stop();
        // The video ends where the audio ended (its length, plus what stalls lost, after time
        // zero); its last fragment is written while the transcript is finished, so video
        // never delays the transcript.
        if let Some(v) = &self.video {
            let lost_ms: u64 = recorded.gaps.iter().map(|g| g.length_ms).sum();
            let length_ms = recorded.duration_ms.max(0.0) + lost_ms as f64;
            match progress.clock().zero() {
                Some(zero) => v.request_stop_at(zero + Duration::from_secs_f64(length_ms / 1000.0)),
                None => v.request_stop(),
            }
        }
        // A stall settled as the recording stopped.
        for gap in progress.take_gaps() {
            let _ = store.add_marker_lasting(
                &self.take.id,
                MarkerKind::DeliveryGap,
                gap.at_ms,
                Some(gap.length_ms),
            );
        }
        let status = match recorded.stop_reason {
            StopReason::Manual | StopReason::Limit => TakeStatus::Complete,
            _ => TakeStatus::Interrupted,
        };
        let take = store.finish_take(
            &self.take.id,
            recorded.duration_ms as u64,
            status,
            Some(recorded.stop_reason),
        )?;
        let (mut transcript, mut transcript_error, mut transcript_wait_ms) = (None, None, None);
        if let Some((streaming, model)) = self.streaming.take() {
            let waiting = std::time::Instant::now();
            // The recorder's tap held the other reference; it is gone now that it stopped.
            match Arc::try_unwrap(streaming) {
                Ok(s) => match s
                    .finish()
                    .and_then(|t| save_take_transcript(store, &take, &model, t))
                {
                    Ok(saved) => transcript = Some(saved.transcript),
                    Err(e) => transcript_error = Some(e.to_string()),
                },
                Err(_) => transcript_error = Some("the transcriber is still in use".into()),
            }
            transcript_wait_ms = Some(waiting.elapsed().as_secs_f64() * 1000.0);
        }
        let (video, video_error) = match self.video.take().map(VideoRecorder::stop) {
            None => (None, None),
            Some(Ok(v)) => {
                let error = v.failure.clone();
                (Some(v), error)
            }
            Some(Err(e)) => (None, Some(e.to_string())),
        };
        let take = if let Some(path) = take.video_path.clone() {
            let offset = match &video {
                Some(v) => v.first_frame_ms.filter(|_| v.frames > 0),
                // The recorder thread died: keep whatever whole fragments it wrote.
                None => crate::video::repair(&path)
                    .ok()
                    .filter(|p| p.frames > 0)
                    .map(|_| take.video_offset_ms.unwrap_or(0)),
            };
            let samples = video
                .as_ref()
                .map(|v| v.presence.clone())
                .unwrap_or_default();
            save_video(store, &take, offset, &samples)?
        } else {
            take
        };
        // Last: until here a crash leaves the take for recovery to finish.
        let _ = std::fs::remove_file(self.take.dir.join(RECORDING_LOCK));
        Ok(FinishedAnswer {
            take,
            recorded,
            transcript,
            transcript_error,
            transcript_wait_ms,
            video,
            video_error,
        })
    }
}

/// Closes a take that could not start recording: interrupted, 0 ms, no lock left.
fn abandon(store: &Store, take: &Take) {
    let _ = store.finish_take(
        &take.id,
        0,
        TakeStatus::Interrupted,
        Some(StopReason::Error),
    );
    let _ = std::fs::remove_file(take.dir.join(RECORDING_LOCK));
}

/// Closes a take's video: its offset (or, with no picture, no video at all) and the
/// presence metrics of what the face detector saw.
pub(super) fn save_video(
    store: &Store,
    take: &Take,
    offset_ms: Option<u64>,
    samples: &[greenroom_core::presence::PresenceSample],
) -> Result<Take, EngineError> {
    let take = store.finish_video(&take.id, offset_ms)?;
    if take.video_path.is_some() {
        save_presence_metrics(store, &take, samples)?;
    }
    Ok(take)
}

/// Stores the presence cards' values as the take's presence metrics (history charts).
pub fn save_presence_metrics(
    store: &Store,
    take: &Take,
    samples: &[greenroom_core::presence::PresenceSample],
) -> Result<(), EngineError> {
    let summary = greenroom_core::presence::summarize(samples);
    if summary.is_empty() {
        return Ok(());
    }
    let metrics: Vec<Metric> = greenroom_core::presence::presence_cards(&summary)
        .iter()
        .filter_map(|c| {
            c.value.filter(|v| v.is_finite()).map(|value| Metric {
                name: c.id.clone(),
                value,
                unit: crate::review::unit_id(c.unit).to_owned(),
            })
        })
        .collect();
    store.set_presence_metrics(&take.id, &metrics)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warning_comes_in_the_last_quarter_but_at_most_15_s_before_the_end() {
        assert_eq!(warning_at_ms(10_000), 7_500);
        assert_eq!(warning_at_ms(120_000), 105_000);
        assert_eq!(warning_at_ms(40_000), 30_000);
    }
}

//! What the take index holds, as the rest of the app sees it.

use std::path::PathBuf;

use greenroom_core::bank::Track;
use greenroom_core::{Lang, Localized};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::TakeId;

/// Where a take is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TakeStatus {
    /// Being recorded now — or left behind by a crash, when found at start-up
    /// ([`super::Store::interrupted_takes`]).
    Recording,
    /// Stopped at the limit or by the user.
    Complete,
    /// Found after a crash, its audio repaired, and closed ([`super::Store::mark_recovered`]).
    Recovered,
    /// Stopped early by a fault (device gone, disk full); what was recorded is kept and
    /// `stop_reason` says why.
    Interrupted,
}

/// Why recording stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// The answer time ran out.
    Limit,
    /// The user stopped (or skipped, or retook) the answer.
    Manual,
    /// The input device disappeared.
    DeviceGone,
    /// The disk filled up.
    DiskFull,
    /// Another recording error.
    Error,
    /// The app was killed or crashed; set by `mark_recovered`.
    Crash,
}

/// A moment inside a take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MarkerKind {
    /// The surprise "continue in English" banner appeared.
    EnglishSwitch,
    /// The "time is nearly up" warning was given.
    Warning,
    /// The microphone stopped delivering and audio went missing (`length_ms` of it): the
    /// recording jumps here.
    DeliveryGap,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Marker {
    pub kind: MarkerKind,
    /// Milliseconds from the start of the take's audio.
    #[ts(type = "number")]
    pub at_ms: u64,
    /// How long the moment lasted, for markers that span time.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub length_ms: Option<u64>,
}

/// What the practice use case knows when recording starts.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTake {
    pub question_id: String,
    pub track: Track,
    /// The prompt as asked (the follow-up's text for a follow-up), kept with the take so
    /// history reads right after the bank changes.
    pub prompt: Localized,
    /// Index into the question's follow-ups; `None` for the question itself.
    pub follow_up: Option<u32>,
    /// Groups the takes of one plan run.
    pub session_id: Option<String>,
    pub sample_rate: u32,
    pub channels: u16,
    /// Id of the input device recorded from.
    pub input_device: String,
    /// The language the answer starts in (the English switch may change it mid-take).
    pub language: Lang,
    /// The take this one retakes.
    pub retake_of: Option<TakeId>,
}

/// One recorded answer and where its files are.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Take {
    pub id: TakeId,
    pub question_id: String,
    pub track: Track,
    pub prompt: Localized,
    pub follow_up: Option<u32>,
    pub session_id: Option<String>,
    /// Unix time in ms when recording started.
    #[ts(type = "number")]
    pub started_at_ms: u64,
    /// Audio length; 0 until the take is finished or recovered.
    #[ts(type = "number")]
    pub duration_ms: u64,
    pub sample_rate: u32,
    pub channels: u16,
    pub input_device: String,
    pub status: TakeStatus,
    pub stop_reason: Option<StopReason>,
    /// The first English-switch marker, if the switch happened.
    #[ts(type = "number | null")]
    pub english_switch_ms: Option<u64>,
    pub language: Lang,
    /// `None` also when the original take was deleted.
    pub retake_of: Option<TakeId>,
    /// In time order.
    pub markers: Vec<Marker>,
    /// The camera recorded with the take, by name; `None` for an audio-only take.
    pub camera: Option<String>,
    /// `<data>/takes/<id>/video.mp4` when the take has video.
    pub video_path: Option<PathBuf>,
    /// Where the video's first picture sits on the audio's clock, in ms.
    #[ts(type = "number | null")]
    pub video_offset_ms: Option<u64>,
    /// `<data>/takes/<id>/`.
    pub dir: PathBuf,
    /// `<data>/takes/<id>/audio.wav` (may be missing for a take that failed early).
    pub audio_path: PathBuf,
}

/// Which takes to list. The default lists all of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct TakeFilter {
    pub question_id: Option<String>,
    pub track: Option<Track>,
    /// At most this many, newest first.
    pub limit: Option<u32>,
}

/// A transcript to record for a take; the JSON file itself is written by the transcriber.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTranscript {
    /// Model name, e.g. `base` or `tiny.en`. One transcript per take and model: saving again
    /// with the same model replaces the entry.
    pub model: String,
    /// The language the answer started in.
    pub language: Lang,
    /// A plain file name inside the take's folder, e.g. `transcript.json`.
    pub file_name: String,
    pub word_count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Transcript {
    pub take_id: TakeId,
    pub model: String,
    pub language: Lang,
    #[ts(type = "number")]
    pub created_at_ms: u64,
    /// Absolute path of the JSON file.
    pub path: PathBuf,
    pub word_count: u32,
}

/// One number computed for a take (filler rate, pace, longest pause...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Metric {
    /// Stable id, e.g. `fillers_per_min`.
    pub name: String,
    pub value: f64,
    /// Unit id as the UI formats it, e.g. `per_min`, `wpm`, `ms`, `percent`.
    pub unit: String,
}

/// One point of a metric's history across takes.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct MetricPoint {
    pub take_id: TakeId,
    pub question_id: String,
    #[ts(type = "number")]
    pub started_at_ms: u64,
    pub value: f64,
    pub unit: String,
}

/// Text forms used in the database (the same as the serde names).
macro_rules! db_text {
    ($ty:ty { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $ty {
            pub fn as_str(self) -> &'static str {
                match self {
                    $(<$ty>::$variant => $text,)+
                }
            }

            pub(crate) fn from_db(text: &str) -> Option<Self> {
                match text {
                    $($text => Some(<$ty>::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

db_text!(TakeStatus {
    Recording => "recording",
    Complete => "complete",
    Recovered => "recovered",
    Interrupted => "interrupted",
});

db_text!(StopReason {
    Limit => "limit",
    Manual => "manual",
    DeviceGone => "device_gone",
    DiskFull => "disk_full",
    Error => "error",
    Crash => "crash",
});

db_text!(MarkerKind {
    EnglishSwitch => "english_switch",
    Warning => "warning",
    DeliveryGap => "delivery_gap",
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_text_matches_serde_names() {
        for s in [
            TakeStatus::Recording,
            TakeStatus::Complete,
            TakeStatus::Recovered,
            TakeStatus::Interrupted,
        ] {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
            assert_eq!(TakeStatus::from_db(s.as_str()), Some(s));
        }
        for r in [
            StopReason::Limit,
            StopReason::Manual,
            StopReason::DeviceGone,
            StopReason::DiskFull,
            StopReason::Error,
            StopReason::Crash,
        ] {
            assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
            assert_eq!(StopReason::from_db(r.as_str()), Some(r));
        }
        for k in [
            MarkerKind::EnglishSwitch,
            MarkerKind::Warning,
            MarkerKind::DeliveryGap,
        ] {
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
            assert_eq!(MarkerKind::from_db(k.as_str()), Some(k));
        }
    }

    #[test]
    fn typescript_sees_numbers_and_strings() {
        let take = Take::decl();
        assert!(take.contains("id: TakeId"), "{take}");
        assert!(take.contains("started_at_ms: number"), "{take}");
        assert!(take.contains("english_switch_ms: number | null"), "{take}");
        assert!(take.contains("dir: string"), "{take}");
        assert_eq!(TakeId::decl(), "type TakeId = string;");
    }
}

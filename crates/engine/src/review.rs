//! Review: a take with its transcript, the coach's observations, and each metric's history
//! across takes; plus exports (Markdown, JSON, SRT).

use std::path::{Path, PathBuf};

use greenroom_core::coach::{
    coach, AnswerContext, Coaching, Envelope, MetricCard, MetricUnit, Stall,
};
use greenroom_core::presence::{presence_cards, summarize, PresenceSummary};
use greenroom_core::transcript::Transcript;
use greenroom_core::{Lang, Localized};
use serde::Serialize;
use ts_rs::TS;

use crate::store::{
    MarkerKind, Metric, MetricPoint, Store, Take, TakeFilter, TakeId, PRESENCE_FILE,
    TRANSCRIPT_FILE,
};
use crate::EngineError;

/// Envelope frames: fine enough to see a 150 ms "um" between words.
const ENVELOPE_FRAME_MS: u32 = 10;

/// One metric over many takes, oldest first, for the history charts.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MetricHistory {
    pub id: String,
    pub title: Localized,
    pub unit: MetricUnit,
    pub points: Vec<MetricPoint>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Review {
    pub take: Take,
    /// `None` until the take is transcribed.
    pub transcript: Option<Transcript>,
    pub coaching: Option<Coaching>,
    /// How the user looked on camera, for a take with video.
    pub presence: Option<PresenceReview>,
    /// The coaching cards' histories, then the presence cards'.
    pub history: Vec<MetricHistory>,
}

/// What the face detector saw while the take was recorded.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PresenceReview {
    pub summary: PresenceSummary,
    pub cards: Vec<MetricCard>,
}

/// The presence review of a take with video (from its `presence.jsonl`); `None` for an
/// audio-only take or one whose detector saw nothing.
pub fn presence_of(take: &Take) -> Result<Option<PresenceReview>, EngineError> {
    if take.video_path.is_none() {
        return Ok(None);
    }
    let samples = crate::video::load_presence(&take.dir.join(PRESENCE_FILE))?;
    let summary = summarize(&samples);
    if summary.is_empty() {
        return Ok(None);
    }
    Ok(Some(PresenceReview {
        cards: presence_cards(&summary),
        summary,
    }))
}

pub fn unit_id(u: MetricUnit) -> &'static str {
    match u {
        MetricUnit::Wpm => "wpm",
        MetricUnit::Spm => "spm",
        MetricUnit::PerMinute => "per_minute",
        MetricUnit::Percent => "percent",
        MetricUnit::Ms => "ms",
        MetricUnit::Count => "count",
    }
}

/// Reads a take's transcript, if it has one.
pub fn load_transcript(take: &Take) -> Result<Option<Transcript>, EngineError> {
    let path = take.dir.join(TRANSCRIPT_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| EngineError::InvalidArgument {
                    name: "transcript".into(),
                    detail: format!("{} is not a valid transcript: {e}", path.display()),
                })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(EngineError::io("read", path, e)),
    }
}

/// The loudness envelope of a take's WAV (empty when the audio is missing).
pub fn envelope_of(path: &Path) -> Envelope {
    let Ok(reader) = hound::WavReader::open(path) else {
        return Envelope::new(ENVELOPE_FRAME_MS, vec![]);
    };
    let spec = reader.spec();
    let scale = 1.0 / (1u64 << (spec.bits_per_sample.max(1) - 1)) as f32;
    let samples: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader.into_samples::<f32>().map_while(Result::ok).collect(),
        hound::SampleFormat::Int => reader
            .into_samples::<i32>()
            .map_while(Result::ok)
            .map(|s| s as f32 * scale)
            .collect(),
    };
    let mono = greenroom_core::signal::to_mono(&samples, spec.channels);
    Envelope::from_samples(&mono, spec.sample_rate, ENVELOPE_FRAME_MS)
}

/// Coaches a transcribed take and stores its metrics for the history charts.
pub fn coach_take(
    store: &Store,
    take: &Take,
    transcript: &Transcript,
) -> Result<Coaching, EngineError> {
    let envelope = envelope_of(&take.audio_path);
    let ctx = AnswerContext {
        lang: take.language,
        switch_at_ms: take.english_switch_ms.or(transcript.switch_at_ms),
        track: Some(take.track),
        duration_ms: take.duration_ms.max(transcript.duration_ms),
        stalls: take
            .markers
            .iter()
            .filter(|m| m.kind == MarkerKind::DeliveryGap)
            .map(|m| Stall {
                at_ms: m.at_ms,
                length_ms: m.length_ms.unwrap_or(0),
            })
            .collect(),
    };
    let coaching = coach(transcript, &envelope, &ctx);
    let metrics: Vec<Metric> = coaching
        .cards
        .iter()
        .filter_map(|c| {
            c.value.filter(|v| v.is_finite()).map(|value| Metric {
                name: c.id.clone(),
                value,
                unit: unit_id(c.unit).to_owned(),
            })
        })
        .collect();
    store.set_metrics(&take.id, &metrics)?;
    Ok(coaching)
}

/// Everything the Review screen shows for one take.
pub fn review_take(store: &Store, id: &TakeId) -> Result<Review, EngineError> {
    let take = store
        .take(id)?
        .ok_or_else(|| EngineError::InvalidArgument {
            name: "take".into(),
            detail: format!("no take {id}"),
        })?;
    let transcript = load_transcript(&take)?;
    let coaching = match &transcript {
        Some(t) => Some(coach_take(store, &take, t)?),
        None => None,
    };
    let presence = presence_of(&take)?;
    let mut history = vec![];
    let cards = coaching
        .iter()
        .flat_map(|c| c.cards.iter())
        .chain(presence.iter().flat_map(|p| p.cards.iter()));
    for card in cards {
        let points = store.metric_history(&card.id, &TakeFilter::default())?;
        history.push(MetricHistory {
            id: card.id.clone(),
            title: card.title.clone(),
            unit: card.unit,
            points,
        });
    }
    Ok(Review {
        take,
        transcript,
        coaching,
        presence,
        history,
    })
}

/// Export formats of `greenroom export` and the Review screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(rename = "ExportKind")]
pub enum ExportFormat {
    #[serde(rename = "md")]
    Markdown,
    Json,
    Srt,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Markdown => "md",
            ExportFormat::Json => "json",
            ExportFormat::Srt => "srt",
        }
    }
}

fn srt_time(ms: u64) -> String {
    format!(
        "{:02}:{:02}:{:02},{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

/// SRT subtitles: one cue per transcript segment.
pub fn to_srt(t: &Transcript) -> String {
    let mut out = String::new();
    for (i, s) in t
        .segments
        .iter()
        .filter(|s| !s.text.trim().is_empty())
        .enumerate()
    {
        let end = s.end_ms.max(s.start_ms + 1);
        out.push_str(&format!(
            "{}\n{} --> {}\n{}\n\n",
            i + 1,
            srt_time(s.start_ms),
            srt_time(end),
            s.text.trim()
        ));
    }
    out
}

fn fmt_value(v: Option<f64>, unit: MetricUnit) -> String {
    let Some(v) = v else { return "—".into() };
    match unit {
        MetricUnit::Wpm => format!("{v:.0} words/min"),
        MetricUnit::Spm => format!("{v:.0} syllables/min"),
        MetricUnit::PerMinute => format!("{v:.1} /min"),
        MetricUnit::Percent => format!("{v:.0} %"),
        MetricUnit::Ms => format!("{:.1} s", v / 1000.0),
        MetricUnit::Count => format!("{v:.0}"),
    }
}

fn cards_table(out: &mut String, cards: &[MetricCard], lang: Lang) {
    for card in cards {
        let range = &card.judgement.range;
        let bound = |b: Option<f64>| b.map(|v| format!("{v:.0}")).unwrap_or_default();
        out.push_str(&format!(
            "| {} | {} | {}–{} |\n",
            card.title.get(lang),
            fmt_value(card.value, card.unit),
            bound(range.min),
            bound(range.max)
        ));
    }
}

/// Writes a take's export folder `<parent>/greenroom-<take-id>/`: `report.md`, the
/// recording (`audio.wav`, and `video.mp4` for a take with video) and, once transcribed,
/// `transcript.srt`. An existing folder of the same take is replaced file by file; the
/// take itself is only read.
pub fn export_folder(
    r: &Review,
    parent: &Path,
    lang: Lang,
) -> Result<std::path::PathBuf, EngineError> {
    let dir = parent.join(format!("greenroom-{}", r.take.id));
    std::fs::create_dir_all(&dir).map_err(|e| EngineError::io("create", &dir, e))?;
    let write = |name: &str, text: String| {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| EngineError::io("write", &path, e))
    };
    write("report.md", to_markdown(r, lang))?;
    if let Some(t) = &r.transcript {
        write("transcript.srt", to_srt(t))?;
    }
    let media = std::iter::once(&r.take.audio_path).chain(r.take.video_path.as_ref());
    for from in media.filter(|p| p.is_file()) {
        let to = dir.join(from.file_name().unwrap_or_default());
        std::fs::copy(from, &to).map_err(|e| EngineError::io("copy", from, e))?;
    }
    Ok(dir)
}

/// A Markdown report of one take.
pub fn to_markdown(r: &Review, lang: Lang) -> String {
    let mut out = format!("# {}\n\n", r.take.prompt.get(lang));
    out.push_str(&format!(
        "- Take `{}`, {:.1} s, {}\n",
        r.take.id,
        r.take.duration_ms as f64 / 1000.0,
        r.take.status.as_str()
    ));
    if let Some(ms) = r.take.english_switch_ms {
        out.push_str(&format!(
            "- English switch at {:.1} s\n",
            ms as f64 / 1000.0
        ));
    }
    if let (Some(video), Some(camera)) = (&r.take.video_path, &r.take.camera) {
        let name = video.file_name().unwrap_or_default().to_string_lossy();
        out.push_str(&format!("- Video: `{name}` (camera {camera})\n"));
    }
    if let Some(p) = &r.presence {
        out.push_str("\n## On camera\n\n| measure | value | good range |\n|---|---|---|\n");
        cards_table(&mut out, &p.cards, lang);
    }
    match (&r.transcript, &r.coaching) {
        (Some(t), Some(c)) => {
            out.push_str("\n## Observations\n\n");
            for s in &c.summary {
                out.push_str(&format!("- {}\n", s.get(lang)));
            }
            out.push_str("\n## Metrics\n\n| metric | value | good range |\n|---|---|---|\n");
            cards_table(&mut out, &c.cards, lang);
            out.push_str("\n## Transcript\n\n");
            for s in &t.segments {
                out.push_str(&format!("[{}] {}\n\n", srt_time(s.start_ms), s.text.trim()));
            }
        }
        _ => out.push_str("\nNot transcribed yet: run `greenroom transcribe` on this take.\n"),
    }
    out
}

/// Writes the review as `export.<ext>` into its take's folder; returns the file's path.
pub fn write_export(r: &Review, format: ExportFormat, lang: Lang) -> Result<PathBuf, EngineError> {
    let text = export(r, format, lang)?;
    let path = r.take.dir.join(format!("export.{}", format.extension()));
    std::fs::write(&path, text).map_err(|e| EngineError::io("write", &path, e))?;
    Ok(path)
}

/// Renders a review in the chosen format; SRT needs a transcript.
pub fn export(r: &Review, format: ExportFormat, lang: Lang) -> Result<String, EngineError> {
    match format {
        ExportFormat::Markdown => Ok(to_markdown(r, lang)),
        ExportFormat::Json => Ok(serde_json::to_string_pretty(r).expect("review serializes")),
        ExportFormat::Srt => {
            r.transcript
                .as_ref()
                .map(to_srt)
                .ok_or_else(|| EngineError::InvalidArgument {
                    name: "export".into(),
                    detail: format!("take {} has no transcript yet to export as SRT", r.take.id),
                })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use greenroom_core::transcript::Segment;

    #[test]
    fn srt_cues_are_numbered_with_comma_milliseconds() {
        let t = Transcript {
            model: "base".into(),
            pass: Default::default(),
            duration_ms: 5000,
            switch_at_ms: None,
            segments: vec![
                Segment {
                    text: " Hello there.".into(),
                    start_ms: 0,
                    end_ms: 1500,
                    lang: Lang::En,
                    no_speech_prob: 0.0,
                },
                Segment {
                    text: " ".into(),
                    start_ms: 1500,
                    end_ms: 1600,
                    lang: Lang::En,
                    no_speech_prob: 0.9,
                },
                Segment {
                    text: "안녕하세요".into(),
                    start_ms: 3_661_001,
                    end_ms: 3_662_000,
                    lang: Lang::Ko,
                    no_speech_prob: 0.0,
                },
            ],
            words: vec![],
        };
        assert_eq!(
            to_srt(&t),
            "1\n00:00:00,000 --> 00:00:01,500\nHello there.\n\n2\n01:01:01,001 --> 01:01:02,000\n안녕하세요\n\n"
        );
    }
}

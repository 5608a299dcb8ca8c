//! A take made from an existing recording, so it can be transcribed and reviewed.

use std::path::Path;

use greenroom_core::bank::Bank;
use greenroom_core::Lang;

use super::bank::{prompt_of, question};
use crate::store::{MarkerKind, NewTake, StopReason, Store, Take, TakeStatus, AUDIO_FILE};
use crate::EngineError;

/// What `import_take` needs besides the file.
#[derive(Debug, Clone)]
pub struct ImportTake {
    pub question_id: String,
    pub follow_up: Option<u32>,
    pub language: Lang,
    /// Where the answer switched to English, if it did.
    pub switch_at_ms: Option<u64>,
}

/// Makes a take from an existing recording (any WAV): mixed to mono 16-bit at its own rate
/// and stored like a recorded answer, so it can be transcribed and reviewed.
pub fn import_take(
    store: &Store,
    bank: &Bank,
    wav: &Path,
    opts: &ImportTake,
) -> Result<Take, EngineError> {
    let q = question(bank, &opts.question_id)?;
    let prompt = prompt_of(q, opts.follow_up)?;
    let bad = |detail: String| EngineError::InvalidArgument {
        name: "recording".into(),
        detail: format!("{}: {detail}", wav.display()),
    };
    let reader = hound::WavReader::open(wav).map_err(|e| bad(e.to_string()))?;
    let spec = reader.spec();
    let samples: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader
            .into_samples::<f32>()
            .collect::<Result<_, _>>()
            .map_err(|e| bad(e.to_string()))?,
        hound::SampleFormat::Int => {
            let scale = 1.0 / (1u64 << (spec.bits_per_sample.max(1) - 1)) as f32;
            reader
                .into_samples::<i32>()
                .map(|s| s.map(|v| v as f32 * scale))
                .collect::<Result<_, _>>()
                .map_err(|e| bad(e.to_string()))?
        }
    };
    let mono = greenroom_core::signal::to_mono(&samples, spec.channels);
    let take = store.begin_take(&NewTake {
        question_id: q.id.clone(),
        track: q.track,
        prompt,
        follow_up: opts.follow_up,
        session_id: None,
        sample_rate: spec.sample_rate,
        channels: 1,
        input_device: format!("file:{}", wav.display()),
        language: opts.language,
        retake_of: None,
    })?;
    let out = take.dir.join(AUDIO_FILE);
    let write = || -> Result<(), hound::Error> {
        let mut w = hound::WavWriter::create(
            &out,
            hound::WavSpec {
                channels: 1,
                sample_rate: spec.sample_rate,
                bits_per_sample: 16,
                sample_format: hound::SampleFormat::Int,
            },
        )?;
        for s in &mono {
            w.write_sample((s.clamp(-1.0, 1.0) * 32767.0).round() as i16)?;
        }
        w.finalize()
    };
    if let Err(e) = write() {
        let _ = store.finish_take(
            &take.id,
            0,
            TakeStatus::Interrupted,
            Some(StopReason::Error),
        );
        return Err(bad(format!("cannot store it: {e}")));
    }
    let duration_ms = mono.len() as u64 * 1000 / spec.sample_rate.max(1) as u64;
    if let Some(at) = opts.switch_at_ms.filter(|&at| at < duration_ms) {
        store.add_marker(&take.id, MarkerKind::EnglishSwitch, at)?;
    }
    store.finish_take(
        &take.id,
        duration_ms,
        TakeStatus::Complete,
        Some(StopReason::Manual),
    )
}

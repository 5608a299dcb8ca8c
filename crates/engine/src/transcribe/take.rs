//! The transcription use cases both faces call: a recorded take (its language and
//! English-switch marker come from the take index) or any WAV file.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use greenroom_core::transcript::Transcript;
use greenroom_core::Lang;
use serde::Serialize;
use ts_rs::TS;

use super::pcm::read_wav_16k;
use super::whisper::{LanguagePlan, Transcriber};
use crate::store::{self, NewTranscript, Store, TakeId, TakeStatus, TRANSCRIPT_FILE};
use crate::EngineError;

/// A take's transcript and its entry in the take index.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct TakeTranscript {
    pub transcript: Transcript,
    pub saved: store::Transcript,
}

/// The file a model's transcript of a take is kept in: `transcript-<model>.json` (model
/// names are restricted to `[A-Za-z0-9._-]`). The newest transcript is also written to
/// [`TRANSCRIPT_FILE`].
pub fn transcript_file_name(model: &str) -> String {
    format!("transcript-{model}.json")
}

/// Transcribes a take: its audio, in its language up to its English-switch marker and in
/// English after it. Writes `transcript-<model>.json` and `transcript.json` into the take's
/// folder and records the transcript in the index (re-transcribing with the same model
/// replaces it; another model adds one).
pub fn transcribe_take(
    store: &Store,
    id: &TakeId,
    transcriber: &Transcriber,
    progress: &mut dyn FnMut(f32),
    cancel: &AtomicBool,
) -> Result<TakeTranscript, EngineError> {
    let take = store
        .take(id)?
        .ok_or_else(|| EngineError::InvalidArgument {
            name: "take".into(),
            detail: format!("no take '{id}' (list them with `greenroom takes list`)"),
        })?;
    if take.status == TakeStatus::Recording {
        return Err(EngineError::InvalidArgument {
            name: "take".into(),
            detail: format!("take '{id}' is still being recorded"),
        });
    }
    let audio = read_wav_16k(&take.audio_path)?;
    let plan = LanguagePlan::new(take.language, take.english_switch_ms);
    let transcript = transcriber.transcribe(&audio.samples, &plan, progress, cancel)?;
    save_take_transcript(store, &take, transcriber.name(), transcript)
}

/// Stores a transcript made for a take (batch, or streamed while it was recorded): the
/// model's file, `transcript.json`, and the index entry.
pub fn save_take_transcript(
    store: &Store,
    take: &crate::store::Take,
    model: &str,
    transcript: Transcript,
) -> Result<TakeTranscript, EngineError> {
    let id = &take.id;
    let json =
        serde_json::to_vec_pretty(&transcript).map_err(|e| EngineError::InvalidArgument {
            name: "transcript".into(),
            detail: e.to_string(),
        })?;
    let file_name = transcript_file_name(model);
    write_atomic(&take.dir.join(&file_name), &json)?;
    write_atomic(&take.dir.join(TRANSCRIPT_FILE), &json)?;
    let saved = store.save_transcript(
        id,
        &NewTranscript {
            model: model.to_owned(),
            language: take.language,
            file_name,
            word_count: u32::try_from(transcript.words.len()).unwrap_or(u32::MAX),
        },
    )?;
    Ok(TakeTranscript { transcript, saved })
}

/// Transcribes a WAV file (any rate, channels, 8-32-bit integer or float samples):
/// `lang` up to `switch_at_ms`, English after it.
pub fn transcribe_file(
    path: &Path,
    transcriber: &Transcriber,
    lang: Lang,
    switch_at_ms: Option<u64>,
    progress: &mut dyn FnMut(f32),
    cancel: &AtomicBool,
) -> Result<Transcript, EngineError> {
    let audio = read_wav_16k(path)?;
    transcriber.transcribe(
        &audio.samples,
        &LanguagePlan::new(lang, switch_at_ms),
        progress,
        cancel,
    )
}

/// Reads a transcript JSON file (as written by [`transcribe_take`]).
pub fn read_transcript(path: &Path) -> Result<Transcript, EngineError> {
    let bytes = std::fs::read(path).map_err(|e| EngineError::io("read", path, e))?;
    serde_json::from_slice(&bytes).map_err(|e| EngineError::InvalidArgument {
        name: "transcript".into(),
        detail: format!("'{}' is not a transcript ({e})", path.display()),
    })
}

/// Writes `bytes` to a temporary file next to `path` and renames it into place.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), EngineError> {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{file_name}.tmp-{}", std::process::id()));
    let write = || -> std::io::Result<()> {
        use std::io::Write;
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.write_all(b"\n")?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        EngineError::io("write", path, e)
    })
}

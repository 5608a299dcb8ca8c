//! Whisper models: the catalog of official whisper.cpp models, validation of ggml files,
//! conversion of faster-whisper (CTranslate2) folders, and the installed-model store.
//! (Transcription itself builds on these.)

pub mod catalog;
pub mod convert;
pub mod cpu;
pub mod ct2;
pub mod download;
pub mod ggml;
pub mod models;
pub mod whisper;

use std::ops::ControlFlow;
use std::path::Path;

pub use catalog::{catalog, CatalogModel};
pub use convert::{convert_ct2, ConvertProgress};
pub use ct2::Ct2Model;
pub use ggml::{inspect, GgmlInfo, Hparams, ModelSize, Quant, WeightType};
pub use models::{
    ImportProgress, ImportStage, InstalledModel, ModelSource, ModelStore, PendingInstall,
};

use crate::EngineError;

/// Converts the CT2 model folder `folder` into the ggml file `out`, atomically: the data
/// goes to a temporary file next to `out`, which is validated and then renamed. Returns
/// what [`inspect`] says about the result.
pub fn convert_ct2_folder(
    folder: &Path,
    out: &Path,
    quant: Option<Quant>,
    progress: &mut dyn FnMut(ConvertProgress) -> ControlFlow<()>,
) -> Result<GgmlInfo, EngineError> {
    let mut model = Ct2Model::open(folder)?;
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let file_name = out
        .file_name()
        .ok_or_else(|| EngineError::InvalidArgument {
            name: "output".into(),
            detail: format!("'{}' is not a file path", out.display()),
        })?
        .to_string_lossy()
        .into_owned();
    let tmp = dir.join(format!(".{file_name}.partial-{}", std::process::id()));
    let result = (|| {
        let file = std::fs::File::create(&tmp).map_err(|e| EngineError::io("create", &tmp, e))?;
        let w = std::io::BufWriter::with_capacity(1 << 20, file);
        let (w, _) = convert_ct2(&mut model, w, &tmp, quant, progress)?;
        let file = w
            .into_inner()
            .map_err(|e| EngineError::io("write", &tmp, e.into_error()))?;
        file.sync_all()
            .map_err(|e| EngineError::io("write", &tmp, e))?;
        drop(file);
        let info = inspect(&tmp)?;
        std::fs::rename(&tmp, out).map_err(|e| EngineError::io("write", out, e))?;
        Ok(info)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

// Transcription: audio to 16 kHz, cut into stretches at pauses, one whisper pass per
// stretch with word timings on the voice, the take and file use cases.
pub mod doubt;
pub mod pcm;
mod pipeline;
pub mod stretch;
pub mod take;
mod timing;

pub use pcm::{read_wav_16k, Audio16k, WHISPER_RATE};
pub use take::{
    read_transcript, save_take_transcript, transcribe_file, transcribe_take, transcript_file_name,
    TakeTranscript,
};
pub use whisper::{
    default_threads, no_model_installed, threads_for, Decoding, EncoderWindow, LanguagePlan,
    RunTuning, TranscribeOptions, Transcriber, TranscriberCache, THREADS_ENV,
};
pub mod streaming;
pub use stretch::CutRules;

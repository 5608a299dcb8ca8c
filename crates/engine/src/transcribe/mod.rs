//! Running Whisper over audio and takes: audio to 16 kHz, cut into stretches at pauses, one
//! whisper.cpp pass per stretch with word timings on the voice, the take and file use cases.
//! The model files are `greenroom_models`'; cutting and word timing, pure, are
//! `greenroom_core::speech`.

pub mod cpu;
pub mod doubt;
pub mod pcm;
mod pipeline;
pub mod streaming;
pub mod take;
pub mod whisper;

pub use greenroom_core::speech::stretch::CutRules;
pub use pcm::{read_wav_16k, Audio16k, WHISPER_RATE};
pub use take::{
    read_transcript, save_take_transcript, transcribe_file, transcribe_take, transcript_file_name,
    TakeTranscript,
};
pub use whisper::{
    default_threads, no_model_installed, threads_for, Decoding, EncoderWindow, LanguagePlan,
    RunTuning, TranscribeOptions, Transcriber, TranscriberCache, THREADS_ENV,
};

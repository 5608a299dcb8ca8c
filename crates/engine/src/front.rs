//! The engine's front: one handle per data dir that both faces hold. It owns where the data
//! lives, the settings, the loaded speech model, and the repair of takes a crash left behind
//! (done once, the first time the take index is opened, before anything records).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use greenroom_core::bank::{Bank, BankIssue};

use crate::camera::FrameSource;
use crate::models::ModelStore;
use crate::practice::{load_bank, recover_interrupted, AnswerOptions, AnswerSession, SessionEvent};
use crate::settings::{Settings, SettingsStore};
use crate::store::{Store, Take, TakeId};
use crate::transcribe::{transcribe_take, TakeTranscript, Transcriber, TranscriberCache};
use crate::EngineError;

/// A data dir opened by a face. Cheap to clone: clones share the settings lock and the loaded
/// model.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

struct Inner {
    data_dir: PathBuf,
    /// Read-modify-write of `settings.json` is serialised.
    settings: Mutex<SettingsStore>,
    transcribers: TranscriberCache,
    /// `None` until the first store is opened; then the takes that were repaired, until a
    /// face takes the note.
    recovered: Mutex<Option<Vec<Take>>>,
    /// Cancel flag of the running model download or import: one at a time.
    model_job: Mutex<Option<Arc<AtomicBool>>>,
    /// Cancel flag of the running full transcription of a take.
    transcription: Mutex<Option<Arc<AtomicBool>>>,
}

impl Engine {
    /// The user's data dir ([`crate::paths::data_dir`]).
    pub fn open_default() -> Engine {
        Engine::open(crate::paths::data_dir())
    }

    /// Opens `data_dir`; nothing is read or created until something is asked for.
    pub fn open(data_dir: PathBuf) -> Engine {
        Engine {
            inner: Arc::new(Inner {
                settings: Mutex::new(SettingsStore::new(&data_dir)),
                data_dir,
                transcribers: TranscriberCache::default(),
                recovered: Mutex::new(None),
                model_job: Mutex::new(None),
                transcription: Mutex::new(None),
            }),
        }
    }

    pub fn data_dir(&self) -> &Path {
        &self.inner.data_dir
    }

    /// A connection to the take index. The first one repairs interrupted takes ("on the next
    /// start"); [`Engine::take_recovered`] says which.
    pub fn store(&self) -> Result<Store, EngineError> {
        let store = Store::open(&self.inner.data_dir)?;
        let mut recovered = self.inner.recovered.lock().expect("recovered lock");
        if recovered.is_none() {
            *recovered = Some(recover_interrupted(&store)?);
        }
        Ok(store)
    }

    /// The takes the first [`Engine::store`] repaired, once (a face tells the user).
    pub fn take_recovered(&self) -> Vec<Take> {
        self.inner
            .recovered
            .lock()
            .expect("recovered lock")
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// The installed Whisper models.
    pub fn models(&self) -> Result<ModelStore, EngineError> {
        Ok(ModelStore::open(&self.inner.data_dir)?)
    }

    /// The shipped question bank plus the user's own files, with what is wrong in them.
    pub fn bank(&self) -> (Bank, Vec<BankIssue>) {
        load_bank(&self.inner.data_dir)
    }

    pub fn settings(&self) -> Result<Settings, EngineError> {
        self.inner.settings.lock().expect("settings lock").load()
    }

    /// Changes the settings and saves them; returns what was saved.
    pub fn update_settings(&self, f: impl FnOnce(&mut Settings)) -> Result<Settings, EngineError> {
        self.inner.settings.lock().expect("settings lock").update(f)
    }

    /// The default model, loaded once and kept (transcription while recording); `None` when
    /// none is installed or it does not load.
    pub fn transcriber(&self) -> Option<Arc<Transcriber>> {
        self.inner.transcribers.default_model(&self.inner.data_dir)
    }

    /// Starts recording an answer on its own thread; see [`AnswerSession`]. A full
    /// transcription still running (the review refining the last answer) stops: it would
    /// take the CPU the answer's own transcription needs, and the review offers it again.
    pub fn start_answer(
        &self,
        opts: AnswerOptions,
        camera: Option<Box<dyn FrameSource>>,
        on_event: impl FnMut(SessionEvent<'_>) + Send + 'static,
    ) -> Result<AnswerSession, EngineError> {
        self.cancel_transcription();
        AnswerSession::start(self.clone(), opts, camera, on_event)
    }

    /// Transcribes a take (the full pass) with an installed model, the default when `model`
    /// is `None`, and stores the transcript. [`Engine::cancel_transcription`] stops it.
    pub fn transcribe_take(
        &self,
        id: &TakeId,
        model: Option<&str>,
        progress: &mut dyn FnMut(f32),
    ) -> Result<TakeTranscript, EngineError> {
        let cancel = Arc::new(AtomicBool::new(false));
        *self.inner.transcription.lock().expect("transcription lock") = Some(cancel.clone());
        let store = self.store()?;
        let transcriber = Transcriber::installed(&self.models()?, model, Default::default())?;
        transcribe_take(&store, id, &transcriber, progress, &cancel)
    }

    /// Stops the running full transcription, if any; it ends with `Cancelled`.
    pub fn cancel_transcription(&self) {
        if let Some(c) = self
            .inner
            .transcription
            .lock()
            .expect("transcription lock")
            .take()
        {
            c.store(true, Ordering::Relaxed);
        }
    }

    /// Claims the one model job slot (a download or an import) and returns its cancel flag;
    /// refused while another runs. The slot frees itself when the job drops its flag.
    pub fn begin_model_job(&self) -> Result<Arc<AtomicBool>, EngineError> {
        let mut job = self.inner.model_job.lock().expect("model job lock");
        if job.as_ref().is_some_and(|c| Arc::strong_count(c) > 1) {
            return Err(EngineError::InvalidArgument {
                name: "model".into(),
                detail: "another download or import is running".into(),
            });
        }
        let cancel = Arc::new(AtomicBool::new(false));
        *job = Some(cancel.clone());
        Ok(cancel)
    }

    /// Cancels the running download or import; a download keeps what arrived.
    pub fn cancel_model_job(&self) {
        if let Some(c) = self
            .inner
            .model_job
            .lock()
            .expect("model job lock")
            .as_ref()
        {
            c.store(true, Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_through_the_handle() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::open(dir.path().to_path_buf());
        let before = engine.settings().unwrap();
        let lang = match before.language {
            greenroom_core::Lang::En => greenroom_core::Lang::Ko,
            greenroom_core::Lang::Ko => greenroom_core::Lang::En,
        };
        let saved = engine.update_settings(|s| s.language = lang).unwrap();
        assert_eq!(saved.language, lang);
        assert_eq!(
            Engine::open(dir.path().to_path_buf())
                .settings()
                .unwrap()
                .language,
            lang
        );
    }

    #[test]
    fn one_model_job_at_a_time_and_its_slot_frees_itself() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::open(dir.path().to_path_buf());
        let job = engine.begin_model_job().unwrap();
        let e = engine.begin_model_job().unwrap_err();
        assert!(e.to_string().contains("another download"), "{e}");
        engine.cancel_model_job();
        assert!(
            job.load(Ordering::Relaxed),
            "cancel reaches the running job"
        );
        drop(job);
        assert!(
            engine.begin_model_job().is_ok(),
            "a finished job frees the slot"
        );
    }

    #[test]
    fn the_first_store_repairs_interrupted_takes_once() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::open(dir.path().to_path_buf());
        // A take left in `recording` with no audio and no live owner: a crash.
        let take = Store::open(dir.path())
            .unwrap()
            .begin_take(&crate::store::NewTake {
                question_id: "q".into(),
                track: greenroom_core::bank::Track::Personal,
                prompt: greenroom_core::Localized::new("Q?", "질문?"),
                follow_up: None,
                session_id: None,
                sample_rate: 48_000,
                channels: 1,
                input_device: "test".into(),
                language: greenroom_core::Lang::En,
                retake_of: None,
            })
            .unwrap();
        engine.store().unwrap();
        let recovered = engine.take_recovered();
        assert_eq!(recovered.len(), 1);
        assert_eq!(recovered[0].id, take.id);
        assert!(engine.take_recovered().is_empty(), "the note is given once");
        engine.store().unwrap();
        assert!(
            engine.take_recovered().is_empty(),
            "repair runs once per handle"
        );
    }
}

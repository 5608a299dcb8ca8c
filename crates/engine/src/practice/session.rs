//! An answer on its own thread, with its own take-index connection (SQLite WAL), so a face
//! never waits on the recorder: start (returns once recording runs), events while it runs,
//! stop or wait for it to end by itself (time up, a failure that kept the audio).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::thread::JoinHandle;

use super::answer::{Answer, AnswerEvent, AnswerOptions, FinishedAnswer};
use crate::camera::FrameSource;
use crate::front::Engine;
use crate::store::Take;
use crate::EngineError;

/// What a running answer reports to its face.
#[derive(Debug)]
pub enum SessionEvent<'a> {
    /// Progress, the warning, the English switch, a stall of the microphone.
    Answer(AnswerEvent),
    /// The answer ended and its take is closed (sent before [`AnswerSession::stop`] or
    /// [`AnswerSession::join`] return, also when it ended by itself).
    Finished(&'a FinishedAnswer),
}

/// An answer being recorded on its thread. One per face at a time; dropping it without
/// stopping leaves the recording running to its time limit.
pub struct AnswerSession {
    take: Take,
    stop: Arc<AtomicBool>,
    worker: JoinHandle<Result<FinishedAnswer, EngineError>>,
}

impl AnswerSession {
    /// Opens the take and starts recording on a new thread; returns once the recorder runs
    /// (or with the reason it could not start, nothing left half-made).
    pub fn start(
        engine: Engine,
        opts: AnswerOptions,
        camera: Option<Box<dyn FrameSource>>,
        mut on_event: impl FnMut(SessionEvent<'_>) + Send + 'static,
    ) -> Result<AnswerSession, EngineError> {
        let (ready_tx, ready_rx) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let stop_flag = stop.clone();
        let worker = std::thread::Builder::new()
            .name("greenroom-answer".into())
            .spawn(move || -> Result<FinishedAnswer, EngineError> {
                let started = (|| {
                    let store = engine.store()?;
                    let (bank, _) = engine.bank();
                    let answer = Answer::start_with_camera(&store, &bank, &opts, camera)?;
                    Ok::<_, EngineError>((store, answer))
                })();
                let (store, answer) = match started {
                    Ok(s) => s,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        // The caller has the error; nobody joins this result.
                        return Err(EngineError::Cancelled);
                    }
                };
                let _ = ready_tx.send(Ok(answer.take().clone()));
                let done =
                    answer.run(&store, &stop_flag, |ev| on_event(SessionEvent::Answer(ev)))?;
                on_event(SessionEvent::Finished(&done));
                Ok(done)
            })
            .map_err(|e| EngineError::Internal {
                detail: format!("cannot start the answer thread: {e}"),
            })?;
        match ready_rx.recv() {
            Ok(Ok(take)) => Ok(AnswerSession { take, stop, worker }),
            Ok(Err(e)) => {
                let _ = worker.join();
                Err(e)
            }
            // The thread died before it said anything: it panicked.
            Err(_) => Err(match worker.join() {
                Ok(Err(e)) => e,
                _ => EngineError::Internal {
                    detail: "the answer thread ended before it started".into(),
                },
            }),
        }
    }

    /// The take being recorded, as it was when recording started.
    pub fn take(&self) -> &Take {
        &self.take
    }

    /// Whether the answer is still recording (it ends by itself at its time limit).
    pub fn is_running(&self) -> bool {
        !self.worker.is_finished()
    }

    /// A flag that stops the answer when set (e.g. from a thread reading the terminal).
    pub fn stop_flag(&self) -> Arc<AtomicBool> {
        self.stop.clone()
    }

    /// Stops recording and returns the finished answer (its transcript finished too).
    pub fn stop(self) -> Result<FinishedAnswer, EngineError> {
        self.stop.store(true, Ordering::Relaxed);
        self.join()
    }

    /// Waits until the answer ends by itself or through its stop flag.
    pub fn join(self) -> Result<FinishedAnswer, EngineError> {
        self.worker.join().unwrap_or_else(|_| {
            Err(EngineError::Internal {
                detail: "the answer thread panicked".into(),
            })
        })
    }
}

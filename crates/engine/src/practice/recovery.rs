//! "On the next start": takes a crash left in `recording` are repaired and closed.

use super::answer::save_video;
use super::RECORDING_LOCK;
use crate::recording::repair_wav;
use crate::store::{Store, Take, PRESENCE_FILE};
use crate::EngineError;

/// Finds takes a crash left in `recording`, repairs their WAV files and marks them
/// recovered. Takes another live process is still recording are left alone.
pub fn recover_interrupted(store: &Store) -> Result<Vec<Take>, EngineError> {
    let mut recovered = vec![];
    for take in store.interrupted_takes()? {
        let lock = take.dir.join(RECORDING_LOCK);
        let owner = std::fs::read_to_string(&lock)
            .ok()
            .and_then(|s| s.trim().parse::<u32>().ok());
        if owner.is_some_and(|pid| pid != std::process::id() && crate::os::process_alive(pid)) {
            continue;
        }
        let duration_ms = match repair_wav(&take.audio_path) {
            Ok(r) => r.duration_ms as u64,
            // No usable audio at all (killed before the first header): keep the row, 0 ms.
            Err(_) => 0,
        };
        let mut closed = store.mark_recovered(&take.id, duration_ms)?;
        if let Some(path) = &take.video_path {
            // The torn last fragment goes; a video without a whole picture goes entirely.
            let frames = crate::video::repair(path).map_or(0, |p| p.frames);
            let offset = (frames > 0).then(|| take.video_offset_ms.unwrap_or(0));
            let samples = crate::video::load_presence(&take.dir.join(PRESENCE_FILE))?;
            closed = save_video(store, &closed, offset, &samples)?;
        }
        recovered.push(closed);
        let _ = std::fs::remove_file(lock);
    }
    Ok(recovered)
}

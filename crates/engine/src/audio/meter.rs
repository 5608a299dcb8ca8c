//! A live input level for the UI: opens the input and reports the peak ~20 times a second
//! from its own thread. Dropping the monitor closes the device.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use greenroom_core::signal::dbfs;

use super::capture::InputStream;
use super::PresenceWatch;
use crate::EngineError;

/// How often the level is reported: fast enough to look live, slow enough that the webview
/// is never flooded (unthrottled updates grew WebKit's memory in other apps).
pub const METER_INTERVAL: Duration = Duration::from_millis(50);

pub struct LevelMonitor {
    pub device_name: String,
    stop: Arc<AtomicBool>,
    worker: Option<JoinHandle<()>>,
}

impl LevelMonitor {
    /// Starts reporting `on_level(peak_dbfs)`; `on_error` is called once if the device fails.
    pub fn start(
        input: Option<&str>,
        mut on_level: impl FnMut(f64) + Send + 'static,
        on_error: impl FnOnce(EngineError) + Send + 'static,
    ) -> Result<LevelMonitor, EngineError> {
        let mut stream = InputStream::open(input)?;
        let device_name = stream.device_name.clone();
        let stop = Arc::new(AtomicBool::new(false));
        let stop2 = stop.clone();
        let worker = std::thread::Builder::new()
            .name("greenroom-meter".into())
            .spawn(move || {
                let meter = stream.meter();
                let mut ticks = 0u32;
                let mut presence = PresenceWatch::new(&stream.device_id);
                while !stop2.load(Ordering::Relaxed) {
                    ticks += 1;
                    // Once a second: a device that vanished may have had its stream moved
                    // to another one by the sound server; the meter must not lie about it.
                    if ticks % 20 == 0 && !presence.still_present() {
                        on_error(EngineError::DeviceGone {
                            device: stream.device_name.clone(),
                        });
                        return;
                    }
                    std::thread::sleep(METER_INTERVAL);
                    // Drain so the ring buffer never fills; the samples are not needed. No
                    // new buffer yet (they come every ~100 ms): keep the last level shown.
                    let fresh = !stream.drain().arrivals.is_empty();
                    if let Some(e) = stream.error() {
                        on_error(e);
                        return;
                    }
                    if fresh {
                        on_level(dbfs(meter.take_peak() as f64));
                    }
                }
            })
            .map_err(|e| EngineError::Audio {
                device: device_name.clone(),
                detail: format!("cannot start meter thread: {e}"),
            })?;
        Ok(LevelMonitor {
            device_name,
            stop,
            worker: Some(worker),
        })
    }
}

impl Drop for LevelMonitor {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
    }
}

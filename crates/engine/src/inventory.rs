//! "What does the engine see?" — the status line of the app and `greenroom devices`.

use serde::Serialize;
use ts_rs::TS;

use crate::audio::system::{system_audio_view, SystemAudioView};
use crate::audio::{audio_inventory, AudioInventory};
use crate::camera::{list_cameras, CameraInfo};

#[derive(Debug, Clone, Serialize, TS)]
pub struct DeviceInventory {
    pub audio: AudioInventory,
    /// What the OS itself lists (the sound server, or Windows's endpoints with their
    /// states), to compare with what the app's audio layer sees.
    pub system_audio: SystemAudioView,
    pub cameras: Vec<CameraInfo>,
    /// Set when the camera backend failed (as opposed to finding none).
    pub camera_error: Option<String>,
}

/// A short summary for status lines.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct InventorySummary {
    /// Name of the audio host in use, `None` when no host works.
    pub audio_host: Option<String>,
    pub inputs: u32,
    pub outputs: u32,
    pub cameras: u32,
    /// Names of the microphones the host sees (not monitors).
    pub input_names: Vec<String>,
    pub output_names: Vec<String>,
}

impl DeviceInventory {
    pub fn summary(&self) -> InventorySummary {
        let host = self.audio.preferred();
        InventorySummary {
            audio_host: host.map(|h| h.name.clone()),
            inputs: host.map(|h| h.microphones().count() as u32).unwrap_or(0),
            outputs: host.map(|h| h.outputs.len() as u32).unwrap_or(0),
            cameras: self.cameras.len() as u32,
            input_names: host
                .map(|h| h.microphones().map(|d| d.name.clone()).collect())
                .unwrap_or_default(),
            output_names: host
                .map(|h| h.outputs.iter().map(|d| d.name.clone()).collect())
                .unwrap_or_default(),
        }
    }
}

/// Lists audio hosts and devices, and cameras.
pub fn device_inventory() -> DeviceInventory {
    let (cameras, camera_error) = match list_cameras() {
        Ok(c) => (c, None),
        Err(e) => (vec![], Some(e.to_string())),
    };
    DeviceInventory {
        audio: audio_inventory(),
        system_audio: system_audio_view(),
        cameras,
        camera_error,
    }
}

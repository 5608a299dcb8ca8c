//! What the operating system sees, independently of cpal. Comparing this with what the
//! app's audio layer lists is how the "devices are blank in the app" failure is caught.
//! Each OS has its own module behind [`system_audio_view`]: Linux asks the sound server
//! (`pactl`) and the kernel (`/proc/asound`), Windows the MMDevice endpoint list with
//! every state (`IMMDeviceEnumerator`); where Greenroom cannot look yet the view says
//! so, and the check says "not measured on this OS".

#[cfg(target_os = "linux")]
mod linux;
#[cfg(not(any(target_os = "linux", windows)))]
mod other;
#[cfg(windows)]
mod windows;
#[cfg(target_os = "linux")]
use linux as platform;
#[cfg(not(any(target_os = "linux", windows)))]
use other as platform;
#[cfg(windows)]
use windows as platform;

#[cfg(target_os = "linux")]
pub use linux::{kernel_capture_cards, parse_pactl_sources};

use greenroom_core::device_access::WindowsEndpoints;
use serde::Serialize;
use ts_rs::TS;

/// One input as the sound server lists it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ServerSource {
    pub name: String,
    pub description: String,
    pub muted: bool,
    /// Loudest channel volume in percent of nominal (100 = 0 dB).
    pub volume_pct: Option<f64>,
    /// Kernel card index backing this source, when it is a hardware device.
    pub alsa_card: Option<u32>,
}

/// A kernel sound card that can capture.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct KernelCard {
    pub index: u32,
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct SystemAudioView {
    /// `Some(os)` when this OS's own device list is not read (yet): nothing to compare.
    pub not_measured_on: Option<String>,
    /// `None` when no sound server answered (or `pactl` is not installed).
    pub server_sources: Option<Vec<ServerSource>>,
    pub kernel_capture_cards: Vec<KernelCard>,
    /// Windows: every capture endpoint with its state, and the defaults per role.
    pub endpoints: Option<WindowsEndpoints>,
}

impl SystemAudioView {
    /// Names of every input the system offers: server sources, plus kernel capture cards the
    /// server does not expose (a card the server ignores is invisible to every app).
    pub fn input_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .server_sources
            .iter()
            .flatten()
            .map(|s| s.description.clone())
            .collect();
        for card in &self.kernel_capture_cards {
            let exposed = self
                .server_sources
                .iter()
                .flatten()
                .any(|s| s.alsa_card == Some(card.index));
            if !exposed {
                names.push(card.name.clone());
            }
        }
        names
    }

    pub fn source(&self, name: &str) -> Option<&ServerSource> {
        self.server_sources
            .iter()
            .flatten()
            .find(|s| s.name == name || s.description == name)
    }
}

/// Reads the system's view. Never fails: missing tools or files just leave parts empty.
pub fn system_audio_view() -> SystemAudioView {
    platform::view()
}

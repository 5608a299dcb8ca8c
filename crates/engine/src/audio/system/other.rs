//! macOS (and any other OS): its own device list is not read yet, so the view says so
//! instead of reporting "no inputs".

use super::SystemAudioView;

pub(super) fn view() -> SystemAudioView {
    SystemAudioView {
        not_measured_on: Some(std::env::consts::OS.to_owned()),
        ..SystemAudioView::default()
    }
}

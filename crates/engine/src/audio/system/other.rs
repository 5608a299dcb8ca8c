//! Windows and macOS: their own device lists are not read yet (the Windows endpoint list
//! comes with the Windows preflight), so the view says so instead of reporting "no inputs".

use super::SystemAudioView;

pub(super) fn view() -> SystemAudioView {
    SystemAudioView {
        not_measured_on: Some(std::env::consts::OS.to_owned()),
        ..SystemAudioView::default()
    }
}

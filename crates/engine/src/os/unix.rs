//! Linux and macOS. No ConsentStore (macOS's privacy switch silences the mic instead, which
//! `mic.silent` catches), and error codes in messages are errnos, not HRESULTs.

use greenroom_core::device_access::{Capability, Consent};

/// Linux: /proc lists every process.
#[cfg(target_os = "linux")]
pub(super) fn process_alive(pid: u32) -> bool {
    std::path::Path::new("/proc").join(pid.to_string()).exists()
}

/// macOS (no /proc): signal 0 asks whether the process exists.
#[cfg(not(target_os = "linux"))]
pub(super) fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: kill with signal 0 sends nothing; it only checks that the pid exists.
    #[allow(unsafe_code)]
    let r = unsafe { libc::kill(pid, 0) };
    // EPERM: it exists but belongs to another user.
    r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

pub(super) fn privacy_consent(_cap: Capability) -> Option<Consent> {
    None
}

pub(super) fn hresult_in(_message: &str) -> Option<u32> {
    None
}

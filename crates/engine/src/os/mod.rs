//! What the engine asks of the operating system beyond audio and camera, one small module
//! per OS behind the same functions (no `cfg`s in use cases: docs/architecture.md, "Dependency rules").

#[cfg(unix)]
mod unix;
#[cfg(windows)]
mod windows;

#[cfg(unix)]
use unix as platform;
#[cfg(windows)]
use windows as platform;

use greenroom_core::device_access::{hresult_fault, Capability, Consent, OsFault};

/// Whether a process with this id is running (a take's recording lock names its owner).
pub fn process_alive(pid: u32) -> bool {
    platform::process_alive(pid)
}

/// The OS's privacy switches for desktop apps and this device, where the OS has such
/// switches that an app can read (Windows); `None` elsewhere.
pub fn privacy_consent(cap: Capability) -> Option<Consent> {
    platform::privacy_consent(cap)
}

/// The device fault an OS error message stands for, read from its code (an HRESULT on
/// Windows), never from its words, which Windows localizes.
pub fn os_fault(message: &str) -> Option<OsFault> {
    platform::hresult_in(message).and_then(hresult_fault)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_alive_and_a_finished_one_is_not() {
        assert!(process_alive(std::process::id()));
        let mut child = std::process::Command::new(std::env::current_exe().unwrap())
            .arg("--list")
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let pid = child.id();
        child.wait().unwrap();
        assert!(!process_alive(pid), "pid {pid} still alive after wait");
    }
}

//! Windows: a process handle and its exit code; the privacy switches in the registry's
//! ConsentStore; HRESULTs in error messages.

use greenroom_core::device_access::{os_error_code, Capability, Consent};
use windows::core::PCWSTR;
use windows::Win32::Foundation::{CloseHandle, ERROR_SUCCESS, STILL_ACTIVE};
use windows::Win32::System::Registry::{
    RegGetValueW, HKEY, HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE, RRF_RT_REG_SZ,
};
use windows::Win32::System::Threading::{
    GetExitCodeProcess, OpenProcess, PROCESS_QUERY_LIMITED_INFORMATION,
};

pub(super) fn process_alive(pid: u32) -> bool {
    // SAFETY: plain Win32 calls on a handle this function opens and closes.
    #[allow(unsafe_code)]
    unsafe {
        let Ok(handle) = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, false, pid) else {
            return false;
        };
        let mut code = 0u32;
        let ok = GetExitCodeProcess(handle, &mut code).is_ok();
        let _ = CloseHandle(handle);
        ok && code == STILL_ACTIVE.0 as u32
    }
}

const CONSENT_STORE: &str =
    r"Software\Microsoft\Windows\CurrentVersion\CapabilityAccessManager\ConsentStore";

fn wide(s: &str) -> Vec<u16> {
    s.encode_utf16().chain(Some(0)).collect()
}

/// A REG_SZ value; `None` when the key or value is missing or is not a short string.
fn read_string(root: HKEY, key: &str, name: &str) -> Option<String> {
    let (key, name) = (wide(key), wide(name));
    let mut buf = [0u16; 256];
    let mut bytes = std::mem::size_of_val(&buf) as u32;
    // SAFETY: the buffer and its length in bytes describe the same live array; both
    // strings are NUL-terminated and outlive the call.
    #[allow(unsafe_code)]
    let r = unsafe {
        RegGetValueW(
            root,
            PCWSTR(key.as_ptr()),
            PCWSTR(name.as_ptr()),
            RRF_RT_REG_SZ,
            None,
            Some(buf.as_mut_ptr().cast()),
            Some(&mut bytes),
        )
    };
    if r != ERROR_SUCCESS {
        return None;
    }
    let len = (bytes as usize / 2).min(buf.len());
    let s = String::from_utf16_lossy(&buf[..len]);
    Some(s.trim_end_matches('\0').to_owned())
}

pub(super) fn privacy_consent(cap: Capability) -> Option<Consent> {
    let key = format!(r"{CONSENT_STORE}\{}", cap.consent_key());
    Some(Consent {
        device: read_string(HKEY_LOCAL_MACHINE, &key, "Value"),
        apps: read_string(HKEY_CURRENT_USER, &key, "Value"),
        desktop_apps: read_string(HKEY_CURRENT_USER, &format!(r"{key}\NonPackaged"), "Value"),
    })
}

pub(super) fn hresult_in(message: &str) -> Option<u32> {
    os_error_code(message)
}

//! Linux and macOS: no ConsentStore (macOS's privacy switch silences the mic instead, which
//! `mic.silent` catches), and error codes in messages are errnos, not HRESULTs.

use greenroom_core::device_access::{Capability, Consent};

pub(super) fn privacy_consent(_cap: Capability) -> Option<Consent> {
    None
}

pub(super) fn hresult_in(_message: &str) -> Option<u32> {
    None
}

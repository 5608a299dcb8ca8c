//! Windows: the MMDevice endpoint list with every state (cpal lists active endpoints only),
//! and the default microphone for the console and communications roles.

use greenroom_core::device_access::{Endpoint, EndpointState, WindowsEndpoints};
use windows::core::Result;
use windows::Win32::Devices::FunctionDiscovery::PKEY_Device_FriendlyName;
use windows::Win32::Media::Audio::{
    eCapture, eCommunications, eConsole, IMMDevice, IMMDeviceEnumerator, MMDeviceEnumerator,
    DEVICE_STATE, DEVICE_STATEMASK_ALL,
};
use windows::Win32::System::Com::StructuredStorage::PropVariantClear;
use windows::Win32::System::Com::{
    CoCreateInstance, CoInitializeEx, CoUninitialize, CLSCTX_ALL, COINIT_APARTMENTTHREADED,
    STGM_READ,
};
use windows::Win32::System::Variant::VT_LPWSTR;

use super::SystemAudioView;

pub(super) fn view() -> SystemAudioView {
    match endpoints() {
        Ok(e) => SystemAudioView {
            endpoints: Some(e),
            ..SystemAudioView::default()
        },
        Err(e) => SystemAudioView {
            not_measured_on: Some(format!("Windows (the endpoint list failed: {e})")),
            ..SystemAudioView::default()
        },
    }
}

/// Pairs a successful CoInitializeEx of this thread with its CoUninitialize.
struct Com;

impl Drop for Com {
    fn drop(&mut self) {
        // SAFETY: only constructed after CoInitializeEx succeeded on this thread.
        #[allow(unsafe_code)]
        unsafe {
            CoUninitialize()
        }
    }
}

#[allow(unsafe_code)]
fn endpoints() -> Result<WindowsEndpoints> {
    // SAFETY: COM calls on interfaces this function obtains and releases (by drop); the
    // apartment is the same one cpal uses, so an earlier init on this thread is reused.
    unsafe {
        let _com = CoInitializeEx(None, COINIT_APARTMENTTHREADED)
            .is_ok()
            .then_some(Com);
        let en: IMMDeviceEnumerator = CoCreateInstance(&MMDeviceEnumerator, None, CLSCTX_ALL)?;
        let all = en.EnumAudioEndpoints(eCapture, DEVICE_STATE(DEVICE_STATEMASK_ALL))?;
        let mut capture = Vec::new();
        for i in 0..all.GetCount()? {
            let dev = all.Item(i)?;
            let state = EndpointState::from_bits(dev.GetState()?.0);
            let name = friendly_name(&dev).unwrap_or_else(|| "(unnamed)".into());
            capture.push(Endpoint { name, state });
        }
        let default = |role| {
            en.GetDefaultAudioEndpoint(eCapture, role)
                .ok()
                .and_then(|d| friendly_name(&d))
        };
        Ok(WindowsEndpoints {
            capture,
            console_default: default(eConsole),
            communications_default: default(eCommunications),
        })
    }
}

/// The name Sound settings shows ("Headset Microphone (Hands-Free AG Audio)"); cpal
/// reports the same property as the device's name.
#[allow(unsafe_code)]
fn friendly_name(dev: &IMMDevice) -> Option<String> {
    // SAFETY: the PROPVARIANT is read as a string only when its tag says it is one, and
    // cleared after.
    unsafe {
        let store = dev.OpenPropertyStore(STGM_READ).ok()?;
        let mut v = store.GetValue(&PKEY_Device_FriendlyName).ok()?;
        let name = if v.Anonymous.Anonymous.vt == VT_LPWSTR {
            v.Anonymous.Anonymous.Anonymous.pwszVal.to_string().ok()
        } else {
            None
        };
        let _ = PropVariantClear(&mut v);
        name
    }
}

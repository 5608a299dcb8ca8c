//! Whether the operating system lets a desktop app use the microphone or camera at all:
//! Windows privacy consent (the registry's ConsentStore) and the HRESULTs a failed open
//! returns. The engine's Windows module reads the values; the verdicts are decided here, so
//! they are tested anywhere with recorded inputs.
//!
//! Why this matters: "the meeting app shows no microphone while the browser works" is, on
//! Windows, most often the privacy switch for *desktop* apps (the browser is allowed, a
//! desktop app is not), and the error an app then sees is E_ACCESSDENIED, whose message
//! text is localized (Korean on Korean Windows): it is classified by its code only.

use serde::Serialize;
use ts_rs::TS;

use crate::verdict::{l, Check, Status};

/// The device a privacy switch covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capability {
    Microphone,
    Camera,
}

impl Capability {
    /// The ConsentStore key name.
    pub fn consent_key(self) -> &'static str {
        match self {
            Capability::Microphone => "microphone",
            Capability::Camera => "webcam",
        }
    }

    /// The Settings page that holds the switch.
    pub fn settings_uri(self) -> &'static str {
        match self {
            Capability::Microphone => "ms-settings:privacy-microphone",
            Capability::Camera => "ms-settings:privacy-webcam",
        }
    }

    fn check_id(self) -> &'static str {
        match self {
            Capability::Microphone => "mic.privacy",
            Capability::Camera => "camera.privacy",
        }
    }
}

/// The three `Value` strings of `...\CapabilityAccessManager\ConsentStore\<key>` that apply
/// to a desktop app; `None` where the key or value does not exist (Windows writes them the
/// first time the switch is shown or changed: missing is "not decided", not "denied").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Consent {
    /// HKLM `<key>`: "Allow access to the microphone on this device".
    pub device: Option<String>,
    /// HKCU `<key>`: "Let apps access your microphone".
    pub apps: Option<String>,
    /// HKCU `<key>\NonPackaged`: "Let desktop apps access your microphone".
    pub desktop_apps: Option<String>,
}

fn denied(v: &Option<String>) -> bool {
    v.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("deny"))
}

/// `mic.privacy` / `camera.privacy`: fails when any switch that applies to a desktop app is
/// "Deny", naming the switch and the Settings page; skipped when none is set.
pub fn privacy_check(cap: Capability, consent: &Consent) -> Check {
    let (noun_en, noun_ko, page_en, page_ko) = match cap {
        Capability::Microphone => ("microphone", "마이크", "Microphone", "마이크"),
        Capability::Camera => ("camera", "카메라", "Camera", "카메라"),
    };
    let title = l(
        format!("Windows lets desktop apps use the {noun_en}"),
        format!("Windows의 데스크톱 앱 {noun_ko} 허용"),
    );
    let threshold = "no ConsentStore switch is Deny";
    let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "not set".into());
    let measured = format!(
        "device {}, apps {}, desktop apps {}",
        show(&consent.device),
        show(&consent.apps),
        show(&consent.desktop_apps)
    );
    // The switch that blocks, widest first: a device-wide Deny hides the others.
    let blocked = if denied(&consent.device) {
        Some((
            format!("Access to the {noun_en} on this device"),
            format!("이 장치의 {noun_ko} 접근"),
        ))
    } else if denied(&consent.apps) {
        Some((
            format!("Let apps access your {noun_en}"),
            format!("앱에서 {noun_ko}에 액세스하도록 허용"),
        ))
    } else if denied(&consent.desktop_apps) {
        Some((
            format!("Let desktop apps access your {noun_en}"),
            format!("데스크톱 앱에서 {noun_ko}에 액세스하도록 허용"),
        ))
    } else {
        None
    };
    if let Some((switch_en, switch_ko)) = blocked {
        let uri = cap.settings_uri();
        return Check::new(
            cap.check_id(),
            Status::Fail,
            title,
            l(
                format!(
                    "Windows blocks desktop apps from the {noun_en} ('{switch_en}' is off; \
                     {measured}). Conferencing desktop apps then list no {noun_en}, while \
                     the same meeting in a browser may work."
                ),
                format!(
                    "Windows가 데스크톱 앱의 {noun_ko} 사용을 막고 있어요('{switch_ko}'이(가) \
                     꺼져 있음, {measured}). 그러면 화상회의 데스크톱 앱에는 {noun_ko}가 \
                     보이지 않고, 같은 회의가 브라우저에서는 될 수도 있어요."
                ),
            ),
        )
        .threshold(threshold)
        .fix(l(
            format!(
                "Open Settings > Privacy & security > {page_en} ({uri}), turn on '{switch_en}', \
                 then restart the conferencing app and Greenroom."
            ),
            format!(
                "설정 > 개인 정보 및 보안 > {page_ko}({uri})에서 '{switch_ko}'을(를) 켠 뒤 \
                 화상회의 앱과 Greenroom을 다시 시작하세요."
            ),
        ));
    }
    if consent.device.is_none() && consent.apps.is_none() && consent.desktop_apps.is_none() {
        return Check::new(
            cap.check_id(),
            Status::Skipped,
            title,
            l(
                format!(
                    "Not decided yet: Windows has no privacy setting for the {noun_en} stored \
                     ({measured}), which it treats as allowed until the switch is changed."
                ),
                format!(
                    "아직 정해지지 않았어요. Windows에 {noun_ko} 개인 정보 설정이 저장돼 있지 \
                     않고({measured}), 이 경우 스위치를 바꾸기 전까지 허용으로 처리해요."
                ),
            ),
        )
        .threshold(threshold);
    }
    Check::new(
        cap.check_id(),
        Status::Pass,
        title,
        l(
            format!("Desktop apps may use the {noun_en} ({measured})."),
            format!("데스크톱 앱이 {noun_ko}를 쓸 수 있어요({measured})."),
        ),
    )
    .threshold(threshold)
}

/// What a Windows audio or camera error code means for the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OsFault {
    /// E_ACCESSDENIED: the privacy switch (or a policy) blocks the app.
    AccessDenied,
    /// AUDCLNT_E_DEVICE_IN_USE: another app holds the device in exclusive mode.
    DeviceInUse,
    /// AUDCLNT_E_UNSUPPORTED_FORMAT: listed, but it supports no format the app can use
    /// (seen on "phantom" endpoints of removed drivers).
    UnsupportedFormat,
    /// AUDCLNT_E_DEVICE_INVALIDATED: unplugged or disabled while in use.
    DeviceInvalidated,
    /// MF_E_HW_MFT_FAILED_START_STREAMING / MF_E_VIDEO_RECORDING_DEVICE_LOCKED and the
    /// like: the camera is held by another app.
    CameraInUse,
}

pub const E_ACCESSDENIED: u32 = 0x8007_0005;
pub const AUDCLNT_E_DEVICE_INVALIDATED: u32 = 0x8889_0004;
pub const AUDCLNT_E_UNSUPPORTED_FORMAT: u32 = 0x8889_0008;
pub const AUDCLNT_E_DEVICE_IN_USE: u32 = 0x8889_000A;
pub const MF_E_HW_MFT_FAILED_START_STREAMING: u32 = 0xC00D_3704;
pub const MF_E_VIDEO_RECORDING_DEVICE_LOCKED: u32 = 0xC00D_3E86;
pub const MF_E_VIDEO_RECORDING_DEVICE_INVALIDATED: u32 = 0xC00D_3EA2;
pub const MF_E_VIDEO_RECORDING_DEVICE_PREEMPTED: u32 = 0xC00D_3EA3;

/// The fault an HRESULT stands for, when it is one the preflight explains.
pub fn hresult_fault(code: u32) -> Option<OsFault> {
    match code {
        E_ACCESSDENIED => Some(OsFault::AccessDenied),
        AUDCLNT_E_DEVICE_IN_USE => Some(OsFault::DeviceInUse),
        AUDCLNT_E_UNSUPPORTED_FORMAT => Some(OsFault::UnsupportedFormat),
        AUDCLNT_E_DEVICE_INVALIDATED | MF_E_VIDEO_RECORDING_DEVICE_INVALIDATED => {
            Some(OsFault::DeviceInvalidated)
        }
        MF_E_HW_MFT_FAILED_START_STREAMING
        | MF_E_VIDEO_RECORDING_DEVICE_LOCKED
        | MF_E_VIDEO_RECORDING_DEVICE_PREEMPTED => Some(OsFault::CameraInUse),
        _ => None,
    }
}

/// The code in an error message, found by its form and never by its words: Rust's
/// `io::Error` ends with "(os error -2147024891)" (an HRESULT as a signed decimal), and the
/// `windows` crate's own Display is "0x80070005" or ends with "(0x80070005)". The text
/// before it is in the user's Windows language.
pub fn os_error_code(message: &str) -> Option<u32> {
    let m = message.trim_end();
    if let Some(open) = m.rfind("(os error ") {
        let num = m[open + "(os error ".len()..].strip_suffix(')')?;
        return num.trim().parse::<i64>().ok().map(|n| n as u32);
    }
    let hex = m.rfind("0x").map(|i| &m[i + 2..])?;
    let digits: String = hex.chars().take_while(char::is_ascii_hexdigit).collect();
    if digits.len() != 8 {
        return None;
    }
    u32::from_str_radix(&digits, 16).ok()
}

/// The state Windows keeps for an audio endpoint (MMDevice `DEVICE_STATE_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EndpointState {
    Active,
    /// Turned off in Sound settings: no app can see it.
    Disabled,
    /// The driver knows it, the hardware is gone (a removed USB headset).
    NotPresent,
    /// Jack detection says nothing is plugged in.
    Unplugged,
}

impl EndpointState {
    /// From the `DEVICE_STATE_*` bit Windows reports.
    pub fn from_bits(bits: u32) -> EndpointState {
        match bits {
            1 => EndpointState::Active,
            2 => EndpointState::Disabled,
            8 => EndpointState::Unplugged,
            _ => EndpointState::NotPresent,
        }
    }
}

/// One capture endpoint as Windows lists it, whatever its state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Endpoint {
    pub name: String,
    pub state: EndpointState,
}

/// Windows's own view of its microphones: every capture endpoint with its state, and the
/// default microphone for each role.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct WindowsEndpoints {
    pub capture: Vec<Endpoint>,
    /// The default for "console" (most apps, and what cpal opens as the default).
    pub console_default: Option<String>,
    /// The default for "communications" (what meeting apps open).
    pub communications_default: Option<String>,
}

fn same_device(a: &str, b: &str) -> bool {
    let n = |s: &str| s.trim().to_lowercase();
    n(a) == n(b)
}

/// `audio.visibility` on Windows: every active capture endpoint must be among the inputs the
/// app's audio layer lists; disabled and unplugged microphones are named (the usual reason
/// a headset "is not there"), removed ones only counted.
pub fn endpoints_check(app_inputs: &[String], endpoints: &WindowsEndpoints) -> Check {
    let id = "audio.visibility";
    let title = l("Devices visible to the app", "앱에서 보이는 입력 장치");
    let threshold = "every active Windows microphone visible; none disabled or unplugged";
    let of = |st: EndpointState| -> Vec<&str> {
        endpoints
            .capture
            .iter()
            .filter(|e| e.state == st)
            .map(|e| e.name.as_str())
            .collect()
    };
    let (active, disabled, unplugged, removed) = (
        of(EndpointState::Active),
        of(EndpointState::Disabled),
        of(EndpointState::Unplugged),
        of(EndpointState::NotPresent),
    );
    let measured = format!(
        "{} active, {} disabled, {} unplugged, {} removed; the app sees {}",
        active.len(),
        disabled.len(),
        unplugged.len(),
        removed.len(),
        app_inputs.len()
    );
    let missing: Vec<&str> = active
        .iter()
        .copied()
        .filter(|name| !app_inputs.iter().any(|a| same_device(a, name)))
        .collect();
    let quote = |v: &[&str]| {
        v.iter()
            .map(|n| format!("'{n}'"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !missing.is_empty() {
        return Check::new(
            id,
            Status::Fail,
            title,
            l(
                format!(
                    "Windows lists {} but the app's audio layer does not ({measured}).",
                    quote(&missing)
                ),
                format!(
                    "Windows에는 {}이(가) 있지만 앱의 오디오 계층에는 보이지 않아요({measured}).",
                    quote(&missing)
                ),
            ),
        )
        .threshold(threshold)
        .fix(l(
            "Restart the Windows Audio service (services.msc > Windows Audio > Restart) or the \
             computer, then reconnect the device.",
            "Windows Audio 서비스를 다시 시작하거나(services.msc > Windows Audio > 다시 시작) \
             컴퓨터를 다시 시작한 뒤 장치를 다시 연결하세요.",
        ));
    }
    if !disabled.is_empty() || !unplugged.is_empty() {
        let mut en = Vec::new();
        let mut ko = Vec::new();
        if !disabled.is_empty() {
            en.push(format!(
                "{} is disabled in Sound settings",
                quote(&disabled)
            ));
            ko.push(format!(
                "{}이(가) 소리 설정에서 사용 안 함으로 되어 있어요",
                quote(&disabled)
            ));
        }
        if !unplugged.is_empty() {
            en.push(format!("{} is unplugged", quote(&unplugged)));
            ko.push(format!("{}이(가) 연결되어 있지 않아요", quote(&unplugged)));
        }
        return Check::new(
            id,
            Status::Warn,
            title,
            l(
                format!(
                    "{}: no app can use it until it is enabled or plugged in ({measured}).",
                    en.join("; ")
                ),
                format!(
                    "{}. 사용으로 바꾸거나 연결하기 전에는 어떤 앱도 쓸 수 없어요({measured}).",
                    ko.join(". ")
                ),
            ),
        )
        .threshold(threshold)
        .fix(l(
            "Open Settings > System > Sound > All sound devices (or run mmsys.cpl, Recording \
             tab, right-click > Show Disabled Devices), choose the microphone and Allow / \
             Enable it; plug an unplugged headset into the jack it was set up for.",
            "설정 > 시스템 > 소리 > 모든 사운드 장치(또는 mmsys.cpl 실행 > 녹음 탭 > 마우스 \
             오른쪽 버튼 > 사용 안 함 장치 표시)에서 마이크를 선택해 허용/사용으로 바꾸고, \
             연결되지 않은 헤드셋은 설정한 단자에 꽂으세요.",
        ));
    }
    Check::new(
        id,
        Status::Pass,
        title,
        l(
            format!("Every microphone Windows has active is visible to the app ({measured})."),
            format!("Windows에서 켜져 있는 마이크가 모두 앱에 보여요({measured})."),
        ),
    )
    .threshold(threshold)
}

/// `mic.communications_default`: meeting apps open the *communications* default; a check
/// (or a test call) of the console default proves nothing about it when the two differ.
pub fn communications_check(endpoints: &WindowsEndpoints) -> Check {
    let id = "mic.communications_default";
    let title = l(
        "Default mic for calls is the default mic",
        "통화용 기본 마이크와 기본 마이크",
    );
    let threshold = "communications default = console default";
    let (Some(console), Some(comms)) = (
        endpoints.console_default.as_deref(),
        endpoints.communications_default.as_deref(),
    ) else {
        return Check::new(
            id,
            Status::Skipped,
            title,
            l(
                "Not judged: Windows reports no default microphone for one of the roles.",
                "한쪽 역할의 기본 마이크가 없어 판단하지 않았어요.",
            ),
        )
        .threshold(threshold);
    };
    if same_device(console, comms) {
        return Check::new(
            id,
            Status::Pass,
            title,
            l(
                format!("'{console}' is the default for apps and for calls."),
                format!("'{console}'이(가) 앱과 통화 모두의 기본 마이크예요."),
            ),
        )
        .threshold(threshold);
    }
    Check::new(
        id,
        Status::Warn,
        title,
        l(
            format!(
                "Meeting apps will use '{comms}' (the default communications device), while \
                 the default device is '{console}': a check of one says nothing about the other."
            ),
            format!(
                "화상회의 앱은 '{comms}'(기본 통신 장치)을(를) 쓰고, 기본 장치는 \
                 '{console}'이에요. 한쪽을 점검해도 다른 쪽은 알 수 없어요."
            ),
        ),
    )
    .threshold(threshold)
    .fix(l(
        format!(
            "Choose '{comms}' in Greenroom to check what meeting apps will hear, or make \
             '{console}' the default communications device too (mmsys.cpl > Recording > \
             right-click > Set as Default Communication Device)."
        ),
        format!(
            "화상회의 앱이 들을 소리를 점검하려면 Greenroom에서 '{comms}'을(를) 선택하거나, \
             '{console}'을(를) 기본 통신 장치로도 지정하세요(mmsys.cpl > 녹음 > 마우스 오른쪽 \
             버튼 > 기본 통신 장치로 설정)."
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn consent(device: Option<&str>, apps: Option<&str>, desktop: Option<&str>) -> Consent {
        Consent {
            device: device.map(Into::into),
            apps: apps.map(Into::into),
            desktop_apps: desktop.map(Into::into),
        }
    }

    #[test]
    fn a_deny_for_desktop_apps_fails_with_the_settings_page() {
        let c = privacy_check(
            Capability::Microphone,
            &consent(Some("Allow"), Some("Allow"), Some("Deny")),
        );
        assert_eq!(c.id, "mic.privacy");
        assert_eq!(c.status, Status::Fail);
        assert!(
            c.summary.en.contains("desktop apps from the microphone"),
            "{c:?}"
        );
        assert!(c.summary.en.contains("desktop apps Deny"), "{c:?}");
        let fix = c.fix.unwrap();
        assert!(fix.en.contains("ms-settings:privacy-microphone"));
        assert!(fix.ko.contains("ms-settings:privacy-microphone"));
        assert!(fix.ko.contains("데스크톱 앱"));
    }

    #[test]
    fn the_widest_switch_that_denies_is_named() {
        let c = privacy_check(
            Capability::Camera,
            &consent(Some("Deny"), Some("Deny"), Some("Deny")),
        );
        assert_eq!(c.id, "camera.privacy");
        assert_eq!(c.status, Status::Fail);
        assert!(c
            .summary
            .en
            .contains("'Access to the camera on this device' is off"));
        assert!(c.fix.unwrap().en.contains("ms-settings:privacy-webcam"));
        let c = privacy_check(Capability::Camera, &consent(None, Some("deny"), None));
        assert!(
            c.summary
                .en
                .contains("'Let apps access your camera' is off"),
            "{c:?}"
        );
    }

    #[test]
    fn allowed_passes_and_missing_is_unknown_not_denied() {
        let c = privacy_check(
            Capability::Microphone,
            &consent(Some("Allow"), Some("Allow"), None),
        );
        assert_eq!(c.status, Status::Pass);
        assert!(c.fix.is_none());
        let c = privacy_check(Capability::Microphone, &Consent::default());
        assert_eq!(c.status, Status::Skipped);
        assert!(c.summary.en.contains("Not decided yet"));
        // Anything but Deny (Windows also writes "Prompt" on some builds) is not a block.
        let c = privacy_check(Capability::Microphone, &consent(None, Some("Prompt"), None));
        assert_eq!(c.status, Status::Pass);
    }

    #[test]
    fn hresults_are_read_from_the_code_in_any_language() {
        // What cpal's WASAPI host prints for E_ACCESSDENIED, on English and Korean Windows.
        for msg in [
            "Access is denied. (os error -2147024891)",
            "액세스가 거부되었습니다. (os error -2147024891)",
        ] {
            let code = os_error_code(msg).unwrap();
            assert_eq!(code, E_ACCESSDENIED);
            assert_eq!(hresult_fault(code), Some(OsFault::AccessDenied));
        }
        let busy = os_error_code("장치를 사용 중입니다. (os error -2004287478)").unwrap();
        assert_eq!(hresult_fault(busy), Some(OsFault::DeviceInUse));
        let phantom = os_error_code(
            "OS Error -2004287480 (FormatMessageW() returned error 317) (os error -2004287480)",
        );
        assert_eq!(
            phantom.and_then(hresult_fault),
            Some(OsFault::UnsupportedFormat)
        );
        // nokhwa's Media Foundation errors carry the windows crate's hex form.
        let cam = os_error_code("Could not open camera: 0xC00D3704").unwrap();
        assert_eq!(hresult_fault(cam), Some(OsFault::CameraInUse));
        // Under Wine: MF_E_BAD_STARTUP_VERSION is no device fault the preflight explains.
        let wine = os_error_code("Could not initialize MediaFoundation: 0xC00D36E3").unwrap();
        assert_eq!(wine, 0xC00D_36E3);
        assert_eq!(hresult_fault(wine), None);
        // No code: nothing is guessed from the words.
        assert_eq!(os_error_code("Access is denied."), None);
        assert_eq!(os_error_code("device 0x12 gone"), None);
        // A Linux errno in the same form is a number, not an HRESULT the table knows.
        assert_eq!(
            os_error_code("Permission denied (os error 13)").and_then(hresult_fault),
            None
        );
    }

    fn ep(name: &str, state: EndpointState) -> Endpoint {
        Endpoint {
            name: name.into(),
            state,
        }
    }

    #[test]
    fn a_disabled_headset_mic_is_named_and_an_invisible_active_one_fails() {
        let app = vec!["Microphone Array (Realtek(R) Audio)".to_owned()];
        let mut eps = WindowsEndpoints {
            capture: vec![
                ep("Microphone Array (Realtek(R) Audio)", EndpointState::Active),
                ep(
                    "Headset Microphone (Hands-Free AG Audio)",
                    EndpointState::Disabled,
                ),
                ep("Old USB Mic", EndpointState::NotPresent),
            ],
            ..Default::default()
        };
        let c = endpoints_check(&app, &eps);
        assert_eq!(c.status, Status::Warn, "{c:?}");
        assert!(c
            .summary
            .en
            .contains("'Headset Microphone (Hands-Free AG Audio)' is disabled in Sound settings"));
        assert!(c
            .summary
            .en
            .contains("1 active, 1 disabled, 0 unplugged, 1 removed"));
        assert!(c.fix.unwrap().en.contains("mmsys.cpl"));
        eps.capture[1].state = EndpointState::Unplugged;
        assert!(endpoints_check(&app, &eps)
            .summary
            .en
            .contains("is unplugged"));
        // Active but not seen by the app: the "blank device list" failure itself.
        eps.capture
            .push(ep("Yeti Stereo Microphone", EndpointState::Active));
        let c = endpoints_check(&app, &eps);
        assert_eq!(c.status, Status::Fail);
        assert!(c.summary.en.contains("'Yeti Stereo Microphone'"), "{c:?}");
        // All active ones seen, nothing disabled: pass (removed ones are only counted).
        let eps = WindowsEndpoints {
            capture: vec![
                ep("microphone array (realtek(r) audio)", EndpointState::Active),
                ep("Old USB Mic", EndpointState::NotPresent),
            ],
            ..Default::default()
        };
        assert_eq!(endpoints_check(&app, &eps).status, Status::Pass);
        assert_eq!(EndpointState::from_bits(2), EndpointState::Disabled);
        assert_eq!(EndpointState::from_bits(8), EndpointState::Unplugged);
        assert_eq!(EndpointState::from_bits(4), EndpointState::NotPresent);
    }

    #[test]
    fn differing_communications_default_warns_with_both_names() {
        let mut eps = WindowsEndpoints {
            console_default: Some("Microphone Array".into()),
            communications_default: Some("Headset Microphone".into()),
            ..Default::default()
        };
        let c = communications_check(&eps);
        assert_eq!(c.status, Status::Warn);
        assert!(c
            .summary
            .en
            .contains("Meeting apps will use 'Headset Microphone'"));
        assert!(c.fix.as_ref().unwrap().ko.contains("기본 통신 장치"));
        eps.communications_default = Some("Microphone Array".into());
        assert_eq!(communications_check(&eps).status, Status::Pass);
        eps.console_default = None;
        assert_eq!(communications_check(&eps).status, Status::Skipped);
    }
}

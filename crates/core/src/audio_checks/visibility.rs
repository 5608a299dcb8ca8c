//! Device visibility: whether the inputs the system's sound server lists also reach the app's
//! audio layer, which is why device pickers can show blank or partial lists.

use crate::verdict::{l, Check, Status, Unit};

/// Lower-cased, whitespace-collapsed device name for matching names across layers.
fn normalize(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether the app sees a system device: same name, or one name containing the other
/// (layers decorate names, e.g. "USB Mic" vs "USB Mic Analog Stereo").
fn visible(system: &str, app: &[String]) -> bool {
    let s = normalize(system);
    !s.is_empty()
        && app
            .iter()
            .map(|a| normalize(a))
            .any(|a| !a.is_empty() && (a == s || a.contains(s.as_str()) || s.contains(a.as_str())))
}

/// `audio.visibility` where Greenroom does not read the OS's own device list: not judged,
/// and said so (rather than "the system lists no input devices").
pub fn visibility_not_measured(os: &str) -> Check {
    Check::skipped(
        "audio.visibility",
        l("Devices visible to the app", "앱에서 보이는 입력 장치"),
        l(
            format!(
                "Not measured on {os}: Greenroom does not read this system's own device list \
                 yet, so it cannot compare it with what apps see."
            ),
            format!(
                "{os}에서는 측정하지 않았어요. 이 시스템의 장치 목록을 아직 읽지 않아 앱에서 \
                 보이는 장치와 비교할 수 없어요."
            ),
        ),
    )
    .threshold("every system input visible")
}

/// `audio.visibility`: are the input devices the system's sound server lists also visible
/// to the app's audio layer (`app_host`, e.g. "ALSA")? When not, device pickers in this and
/// other apps show blank or partial lists even though the sound settings show the mic.
pub fn visibility_check(app_host: &str, app_inputs: &[String], system_inputs: &[String]) -> Check {
    let id = "audio.visibility";
    let title = l("Devices visible to the app", "앱에서 보이는 입력 장치");
    let threshold = "every system input visible";
    let mut system: Vec<&String> = Vec::new();
    for name in system_inputs {
        if !normalize(name).is_empty() && !system.iter().any(|s| normalize(s) == normalize(name)) {
            system.push(name);
        }
    }
    if system.is_empty() {
        return Check::skipped(
            id,
            title,
            l(
                format!(
                    "Not judged: the system lists no input devices (the app's audio layer, \
                     {app_host}, sees {}).",
                    app_inputs.len()
                ),
                format!(
                    "시스템에 입력 장치가 없어 판단하지 않았어요(앱의 오디오 계층 {app_host}에서는 \
                     {}개가 보여요).",
                    app_inputs.len()
                ),
            ),
        )
        .threshold(threshold);
    }
    let missing: Vec<&String> = system
        .iter()
        .copied()
        .filter(|s| !visible(s, app_inputs))
        .collect();
    if missing.is_empty() {
        return Check::new(
            id,
            Status::Pass,
            title,
            l(
                format!(
                    "All {} input device(s) the system lists are visible to the app ({app_host}).",
                    system.len()
                ),
                format!(
                    "시스템에 있는 입력 장치 {}개가 모두 앱({app_host})에서 보여요.",
                    system.len()
                ),
            ),
        )
        .measured(0.0, Unit::Count)
        .threshold(threshold);
    }
    let names = missing
        .iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let summary = if app_inputs.is_empty() {
        l(
            format!(
                "The system lists {} input device(s) ({names}) but the app's audio layer \
                 ({app_host}) sees none — this is why apps can show a blank device list.",
                system.len()
            ),
            format!(
                "시스템에는 입력 장치 {}개({names})가 있지만 앱의 오디오 계층({app_host})에서는 \
                 하나도 보이지 않아요. 그래서 앱의 장치 목록이 비어 보일 수 있어요.",
                system.len()
            ),
        )
    } else {
        l(
            format!(
                "The system lists {names} but the app's audio layer ({app_host}) does not see \
                 it — this is why apps can show a blank or incomplete device list."
            ),
            format!(
                "시스템에는 {names} 장치가 있지만 앱의 오디오 계층({app_host})에서는 보이지 \
                 않아요. 그래서 앱의 장치 목록이 비어 있거나 일부만 보일 수 있어요."
            ),
        )
    };
    Check::new(id, Status::Fail, title, summary)
        .measured(missing.len() as f64, Unit::Count)
        .threshold(threshold)
        .fix(l(
            "Let the app's audio layer reach the sound server: on Linux, install the ALSA \
             plugin for your sound server (pipewire-alsa, or the PulseAudio ALSA plugin \
             libasound2-plugins) and restart the app. Unplug the device and plug it back in, \
             and close apps that hold it exclusively.",
            "앱의 오디오 계층이 사운드 서버에 연결되도록 해야 해요. 리눅스라면 사용하는 사운드 \
             서버용 ALSA 플러그인(pipewire-alsa 또는 PulseAudio용 libasound2-plugins)을 \
             설치하고 앱을 다시 시작하세요. 장치를 뽑았다가 다시 꽂고, 장치를 독점하는 앱도 \
             닫으세요.",
        ))
}

#[cfg(test)]
mod tests {
    use super::super::tests::assert_well_formed;
    use super::*;

    #[test]
    fn visibility_rules() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let c = visibility_check("ALSA", &s(&["default"]), &s(&["USB Mic", "sinemic"]));
        assert_eq!(c.id, "audio.visibility");
        assert_eq!(c.status, Status::Fail);
        assert!(c
            .summary
            .en
            .contains("The system lists 'USB Mic', 'sinemic' but the app's audio layer (ALSA)"));
        assert_eq!(c.measured.unwrap().value, 2.0);
        assert_well_formed(&c);

        let c = visibility_check("ALSA", &[], &s(&["USB Mic"]));
        assert_eq!(c.status, Status::Fail);
        assert!(c.summary.en.contains("sees none"));
        assert_well_formed(&c);

        let c = visibility_check(
            "PulseAudio",
            &s(&["usb  mic analog stereo", "sinemic"]),
            &s(&["USB Mic", "sinemic", "sinemic"]),
        );
        assert_eq!(c.status, Status::Pass, "{c:?}");
        assert!(c.summary.en.contains("All 2 input device(s)"));
        assert_well_formed(&c);

        let c = visibility_check("ALSA", &s(&["default"]), &[]);
        assert_eq!(c.status, Status::Skipped);
        assert_well_formed(&c);
    }
}

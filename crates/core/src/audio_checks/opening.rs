//! Opening a device: the causes a microphone or speaker fails to open, each with its own
//! words and fix.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::verdict::{l, Check, Status};

/// Why a device did not open. The engine maps its audio library's errors to these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum OpenFailure {
    #[error("no audio server is running")]
    NoAudioServer,
    #[error("no such device")]
    NoDevice,
    #[error("permission denied")]
    PermissionDenied,
    #[error("device busy")]
    DeviceBusy,
    #[error("device disconnected")]
    DeviceGone,
    #[error("no supported stream configuration")]
    UnsupportedConfig,
}

/// `{prefix}.opens` (`mic.opens`, `speaker.opens`): did the device open, and if not, why,
/// with a fix for each cause.
pub fn open_check(id_prefix: &str, device: &str, result: Result<(), OpenFailure>) -> Check {
    let id = format!("{id_prefix}.opens");
    let (noun_en, noun_ko) = match id_prefix {
        "mic" => ("microphone", "마이크"),
        "speaker" => ("speaker", "스피커"),
        _ => ("audio device", "오디오 장치"),
    };
    let title = match id_prefix {
        "mic" => l("Microphone opens", "마이크 열기"),
        "speaker" => l("Speaker opens", "스피커 열기"),
        _ => l("Device opens", "장치 열기"),
    };
    let threshold = "device opens";
    let failure = match result {
        Ok(()) => {
            return Check::new(
                &id,
                Status::Pass,
                title,
                l(
                    format!("'{device}' opened."),
                    format!("'{device}' 장치를 열었어요."),
                ),
            )
            .threshold(threshold);
        }
        Err(f) => f,
    };
    let (summary, fix) = match failure {
        OpenFailure::NoAudioServer => (
            l(
                "No audio server is running, so no device can be opened.",
                "오디오 서버가 실행 중이 아니어서 장치를 열 수 없어요.",
            ),
            l(
                "Start the sound service (PipeWire or PulseAudio), or log out and back in. \
                 Restarting the computer also works.",
                "사운드 서비스(PipeWire 또는 PulseAudio)를 시작하거나, 로그아웃했다가 다시 \
                 로그인하세요. 컴퓨터를 다시 시작해도 돼요.",
            ),
        ),
        OpenFailure::NoDevice => (
            l(
                format!("No {noun_en} was found ('{device}' is not available)."),
                format!("{noun_ko}를 찾지 못했어요('{device}' 장치를 쓸 수 없어요)."),
            ),
            l(
                format!(
                    "Connect a {noun_en} (or turn the Bluetooth one on), check that it is \
                     enabled in the OS sound settings, then choose it again."
                ),
                format!(
                    "{noun_ko}를 연결하거나 블루투스 기기를 켜고, OS 소리 설정에서 사용으로 \
                     되어 있는지 확인한 뒤 다시 선택하세요."
                ),
            ),
        ),
        OpenFailure::PermissionDenied => (
            l(
                format!("Access to '{device}' was denied."),
                format!("'{device}' 장치에 대한 접근이 거부됐어요."),
            ),
            l(
                format!(
                    "Allow {noun_en} access for Greenroom in the system privacy settings \
                     (macOS: System Settings > Privacy & Security > Microphone; Windows: \
                     Settings > Privacy > Microphone), then restart the app."
                ),
                format!(
                    "시스템 개인정보 보호 설정에서 Greenroom의 {noun_ko} 접근을 허용하고 \
                     (macOS: 시스템 설정 > 개인정보 보호 및 보안 > 마이크, Windows: 설정 > \
                     개인 정보 > 마이크) 앱을 다시 시작하세요."
                ),
            ),
        ),
        OpenFailure::DeviceBusy => (
            l(
                format!("'{device}' is in use by another app."),
                format!("'{device}' 장치를 다른 앱이 쓰고 있어요."),
            ),
            l(
                "Close the other app that uses it (a conferencing app, recorder or browser \
                 tab), or turn off its exclusive mode in the OS sound settings, then run the \
                 check again.",
                "장치를 쓰고 있는 다른 앱(화상회의 앱, 녹음 앱, 브라우저 탭)을 닫거나 OS 소리 \
                 설정에서 독점 모드를 끈 뒤 다시 점검하세요.",
            ),
        ),
        OpenFailure::DeviceGone => (
            l(
                format!("'{device}' disconnected or stopped delivering audio while in use."),
                format!("'{device}' 장치를 사용하는 중에 연결이 끊기거나 소리가 끊겼어요."),
            ),
            l(
                "Reconnect it (plug the cable back in or reconnect Bluetooth), then choose it \
                 again.",
                "장치를 다시 연결한 뒤(케이블을 다시 꽂거나 블루투스를 다시 연결) 다시 \
                 선택하세요.",
            ),
        ),
        OpenFailure::UnsupportedConfig => (
            l(
                format!("'{device}' rejected every audio format the app tried."),
                format!("'{device}' 장치가 앱이 시도한 오디오 형식을 모두 거부했어요."),
            ),
            l(
                "Set the device to 48000 Hz in the OS sound settings, or choose another device.",
                "OS 소리 설정에서 장치를 48000 Hz로 맞추거나 다른 장치를 선택하세요.",
            ),
        ),
    };
    Check::new(&id, Status::Fail, title, summary)
        .threshold(threshold)
        .fix(fix)
}

#[cfg(test)]
mod tests {
    use super::super::tests::assert_well_formed;
    use super::*;

    #[test]
    fn open_failures_each_have_their_own_words() {
        let ok = open_check("mic", "USB Mic", Ok(()));
        assert_eq!((ok.id.as_str(), ok.status), ("mic.opens", Status::Pass));
        assert_well_formed(&ok);
        let all = [
            OpenFailure::NoAudioServer,
            OpenFailure::NoDevice,
            OpenFailure::PermissionDenied,
            OpenFailure::DeviceBusy,
            OpenFailure::DeviceGone,
            OpenFailure::UnsupportedConfig,
        ];
        let mut summaries = Vec::new();
        let mut fixes = Vec::new();
        for prefix in ["mic", "speaker"] {
            for f in all {
                let c = open_check(prefix, "Dev", Err(f));
                assert_eq!(c.id, format!("{prefix}.opens"));
                assert_eq!(c.status, Status::Fail);
                assert_well_formed(&c);
                if prefix == "mic" {
                    summaries.push(c.summary.en.clone());
                    fixes.push(c.fix.unwrap().en);
                }
            }
        }
        summaries.sort();
        summaries.dedup();
        fixes.sort();
        fixes.dedup();
        assert_eq!((summaries.len(), fixes.len()), (6, 6));
        let busy = open_check("speaker", "HDMI", Err(OpenFailure::DeviceBusy));
        assert!(busy.summary.en.contains("'HDMI' is in use"));
        assert_eq!(
            serde_json::to_string(&OpenFailure::PermissionDenied).unwrap(),
            "\"permission_denied\""
        );
    }
}

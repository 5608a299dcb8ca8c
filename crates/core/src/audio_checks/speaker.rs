//! The speaker check: a test tone played on the output and listened for with the mic, judged
//! on whether it was heard and how clean it sounded.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{f0, f1};
use crate::signal::ToneMatch;
use crate::verdict::{l, Check, Status, Unit};

/// Test-tone distortion (THD, percent) above which the speaker sounds distorted.
pub const THD_WARN_PCT: f64 = 10.0;

/// Speaker -> mic loopback: a tone was played and the mic listened for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct LoopbackMeasurement {
    pub output_name: String,
    pub tone_hz: f64,
    /// When playback started, on the capture's time line (ms since capture start).
    pub played_at_ms: f64,
    /// What [`crate::signal::find_tone`] found in the capture.
    pub found: Option<ToneMatch>,
}

/// The speaker check (`speaker.loopback`): did the mic hear the test tone, how late and how
/// clean. Not hearing it is only a warning: with headphones the mic cannot hear anything.
pub fn speaker_checks(m: &LoopbackMeasurement) -> Vec<Check> {
    vec![loopback_check(m)]
}

fn loopback_check(m: &LoopbackMeasurement) -> Check {
    let id = "speaker.loopback";
    let title = l("Speaker test tone", "스피커 테스트음");
    let threshold = format!("tone heard; THD <= {} %", f0(THD_WARN_PCT));
    let (hz, out) = (f0(m.tone_hz), &m.output_name);
    let Some(found) = m.found else {
        return Check::new(
            id,
            Status::Warn,
            title,
            l(
                format!("The mic did not hear the {hz} Hz test tone played on '{out}'."),
                format!("'{out}' 장치로 재생한 {hz} Hz 테스트음을 마이크가 듣지 못했어요."),
            ),
        )
        .threshold(threshold)
        .fix(l(
            format!(
                "Did you hear a short beep? If you wear headphones and heard it, all is well: \
                 the mic cannot hear headphones. If you heard nothing, turn the volume up, \
                 unmute the output, and check in the OS sound settings that '{out}' is the \
                 device you listen on."
            ),
            format!(
                "짧은 삐 소리가 들렸나요? 헤드폰을 쓰고 있고 소리가 들렸다면 괜찮아요. \
                 마이크는 헤드폰 소리를 들을 수 없거든요. 아무 소리도 안 들렸다면 음량을 \
                 올리고 출력 음소거를 해제한 뒤, OS 소리 설정에서 '{out}' 장치가 지금 듣고 \
                 있는 장치가 맞는지 확인하세요."
            ),
        ));
    };
    let delay = found.onset_ms - m.played_at_ms;
    let (d, thd) = (f0(delay), f1(found.thd_pct));
    if found.thd_pct > THD_WARN_PCT {
        Check::new(
            id,
            Status::Warn,
            title,
            l(
                format!(
                    "The mic heard the {hz} Hz tone {d} ms after it was played, but distorted: \
                     THD {thd} %."
                ),
                format!(
                    "마이크가 {hz} Hz 테스트음을 {d} ms 뒤에 들었지만 소리가 찌그러져 있어요. \
                     왜곡률(THD)이 {thd}%예요."
                ),
            ),
        )
        .measured(found.thd_pct, Unit::Percent)
        .threshold(threshold)
        .fix(l(
            "Turn the output volume down a little (speakers distort near maximum) and check \
             that the speaker does not rattle. If the mic input is very loud, lower it too. \
             If it persists, try another output device.",
            "출력 음량을 조금 낮추세요(스피커는 최대 음량 근처에서 소리가 찌그러져요). \
             스피커가 떨리는 소리를 내지 않는지 확인하고, 마이크 입력 음량이 너무 크다면 \
             그것도 낮추세요. 그래도 계속되면 다른 출력 장치를 써 보세요.",
        ))
    } else {
        Check::new(
            id,
            Status::Pass,
            title,
            l(
                format!(
                    "The mic heard the {hz} Hz tone from '{out}' {d} ms after it was played; \
                     distortion (THD) {thd} %."
                ),
                format!(
                    "'{out}' 장치로 재생한 {hz} Hz 테스트음을 마이크가 {d} ms 뒤에 들었어요. \
                     왜곡률(THD)은 {thd}%예요."
                ),
            ),
        )
        .measured(delay, Unit::Ms)
        .threshold(threshold)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::assert_well_formed;
    use super::*;

    fn tone(onset_ms: f64, thd_pct: f64) -> ToneMatch {
        ToneMatch {
            onset_ms,
            duration_ms: 400.0,
            level_dbfs: -24.0,
            thd_pct,
            snr_db: 40.0,
        }
    }

    #[test]
    fn speaker_loopback_rules() {
        let mut m = LoopbackMeasurement {
            output_name: "VirtualSpeaker".into(),
            tone_hz: 1000.0,
            played_at_ms: 500.0,
            found: Some(tone(683.0, 0.4)),
        };
        let c = speaker_checks(&m).remove(0);
        assert_eq!(c.id, "speaker.loopback");
        assert_eq!(c.status, Status::Pass);
        assert_eq!(c.measured.unwrap().value, 183.0);
        assert!(c.summary.en.contains("183 ms") && c.summary.en.contains("0.4 %"));
        assert_well_formed(&c);

        m.found = Some(tone(683.0, 10.0));
        assert_eq!(speaker_checks(&m)[0].status, Status::Pass);
        m.found = Some(tone(683.0, 10.1));
        let c = speaker_checks(&m).remove(0);
        assert_eq!(c.status, Status::Warn);
        assert!(c.summary.en.contains("THD 10.1 %"));
        assert_well_formed(&c);

        m.found = None;
        let c = speaker_checks(&m).remove(0);
        assert_eq!(c.status, Status::Warn);
        let fix = c.fix.as_ref().unwrap();
        assert!(fix.en.contains("headphones") && fix.en.contains("VirtualSpeaker"));
        assert!(fix.ko.contains("헤드폰"));
        assert_well_formed(&c);
    }
}

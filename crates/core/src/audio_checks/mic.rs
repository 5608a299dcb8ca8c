//! The microphone checks: one recording's signal and delivery measurements judged, from
//! "did any audio arrive" to level, noise, dropouts and format.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{f0, f1, fixed};
use crate::signal::{DeliveryStats, SignalStats};
use crate::verdict::{l, Check, Localized, Status, Unit};

/// Audio later than this after the stream starts delays the first words of an answer.
pub const FIRST_SAMPLE_WARN_MS: f64 = 1000.0;
/// Peaks below this: practically nothing reaches the app.
pub const PEAK_FAIL_DBFS: f64 = -50.0;
/// Peaks below this: too quiet to record and transcribe well.
pub const PEAK_QUIET_DBFS: f64 = -30.0;
/// Peaks above this leave no headroom (louder words will clip).
pub const PEAK_HOT_DBFS: f64 = -1.0;
/// Where speech peaks should sit (Audacity's meter: green to -12, yellow to -6).
pub const PEAK_IDEAL_DBFS: (f64, f64) = (-12.0, -6.0);
/// Share of clipped samples (0..1) above which a recording is audibly distorted...
pub const CLIP_WARN_SHARE: f64 = 0.001;
/// ...and above which most loud words are.
pub const CLIP_FAIL_SHARE: f64 = 0.01;
/// This many separate clipping runs means clipping is a habit, not one loud laugh.
pub const CLIP_WARN_RUNS: u64 = 3;
/// Noise floor (dBFS) above which the room or the mic is noisy...
pub const NOISE_WARN_DBFS: f64 = -50.0;
/// ...and above which it competes with speech.
pub const NOISE_FAIL_DBFS: f64 = -35.0;
/// Speech-to-noise ratio (dB) below which speech is hard to follow...
pub const SNR_WARN_DB: f64 = 20.0;
/// ...and below which transcription breaks down.
pub const SNR_FAIL_DB: f64 = 10.0;
/// Dropouts (signal and delivery together): any is a warning, this many a failure.
pub const DROPOUT_FAIL_COUNT: u64 = 3;
/// Clicks per second above which the mic audibly crackles...
pub const CLICKS_WARN_PER_S: f64 = 0.5;
/// ...and above which it is hard to listen to.
pub const CLICKS_FAIL_PER_S: f64 = 3.0;
/// Effective-rate error (percent) above which recordings drift...
pub const RATE_WARN_PCT: f64 = 1.0;
/// ...and above which they sound too fast or slow.
pub const RATE_FAIL_PCT: f64 = 5.0;
/// DC offset (share of full scale) that costs headroom...
pub const DC_WARN: f64 = 0.01;
/// ...and that points at faulty hardware.
pub const DC_FAIL: f64 = 0.05;
/// Inputs at or below this rate are telephone quality (Bluetooth hands-free runs at 8-16 kHz).
pub const FORMAT_MIN_RATE_HZ: u32 = 16_000;
/// Device-name fragments of a Bluetooth headset in call mode (HFP/HSP).
pub const HANDS_FREE_MARKERS: [&str; 6] = [
    "headset",
    "hands-free",
    "handsfree",
    "hands free",
    "hfp",
    "head unit",
];

/// Everything measured on one microphone recording.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MicMeasurement {
    pub device_name: String,
    /// Analysis of the recording, mixed to mono.
    pub stats: SignalStats,
    /// How the callbacks arrived.
    pub delivery: DeliveryStats,
    /// Time from starting the stream to the first callback; `None` when none came.
    pub first_sample_ms: Option<f64>,
    /// The rate the stream was opened with.
    pub sample_rate: u32,
    pub channels: u16,
}

fn worst(a: Status, b: Status) -> Status {
    a.max(b)
}

/// Why a check was not judged, when it was not.
fn not_judged(m: &MicMeasurement) -> Option<Localized> {
    if m.first_sample_ms.is_none() || m.stats.sample_count == 0 {
        Some(l(
            "Not judged: no audio arrived.",
            "오디오가 들어오지 않아 판단하지 않았어요.",
        ))
    } else if m.stats.digital_silence {
        Some(l(
            "Not judged: the microphone delivers only silence.",
            "마이크 입력이 완전히 무음이라 판단하지 않았어요.",
        ))
    } else {
        None
    }
}

/// The microphone checks, in display order: `mic.first_sample`, `mic.silent`, `mic.level`,
/// `mic.clipping`, `mic.noise`, `mic.dropouts`, `mic.crackle`, `mic.rate`, `mic.dc`,
/// `mic.format`. Checks that cannot be judged on a silent (or absent) stream are `Skipped`
/// with the reason, so one fault is reported once.
pub fn mic_checks(m: &MicMeasurement) -> Vec<Check> {
    vec![
        first_sample_check(m),
        silent_check(m),
        level_check(m),
        clipping_check(m),
        noise_check(m),
        dropouts_check(m),
        crackle_check(m),
        rate_check(m),
        dc_check(m),
        format_check(m),
    ]
}

fn first_sample_check(m: &MicMeasurement) -> Check {
    let title = l("Time to first audio", "첫 오디오까지 걸린 시간");
    let threshold = format!("first audio <= {} ms", f0(FIRST_SAMPLE_WARN_MS));
    let Some(ms) = m.first_sample_ms else {
        return Check::new(
            "mic.first_sample",
            Status::Fail,
            title,
            l(
                format!("'{}' opened, but no audio arrived at all.", m.device_name),
                format!(
                    "'{}' 장치는 열렸지만 오디오가 전혀 들어오지 않았어요.",
                    m.device_name
                ),
            ),
        )
        .threshold(threshold)
        .fix(l(
            "Unplug the microphone and plug it back in, close other apps that may be holding \
             it (conferencing apps, recorders, browser tabs), then run the check again. If it \
             still fails, choose another input or restart the computer.",
            "마이크를 뽑았다가 다시 꽂고, 마이크를 붙잡고 있을 수 있는 다른 앱(화상회의 앱, \
             녹음 앱, 브라우저 탭)을 닫은 뒤 다시 점검하세요. 그래도 안 되면 다른 입력 \
             장치를 선택하거나 컴퓨터를 다시 시작하세요.",
        ));
    };
    let check = if ms <= FIRST_SAMPLE_WARN_MS {
        Check::new(
            "mic.first_sample",
            Status::Pass,
            title,
            l(
                format!(
                    "First audio arrived {} ms after the stream started.",
                    f0(ms)
                ),
                format!(
                    "스트림을 시작하고 {} ms 만에 첫 오디오가 들어왔어요.",
                    f0(ms)
                ),
            ),
        )
    } else {
        Check::new(
            "mic.first_sample",
            Status::Warn,
            title,
            l(
                format!(
                    "First audio took {} ms to arrive; the first words of an answer may be cut off.",
                    f0(ms)
                ),
                format!(
                    "첫 오디오가 들어오기까지 {} ms 걸렸어요. 답변의 첫마디가 잘릴 수 있어요.",
                    f0(ms)
                ),
            ),
        )
        .fix(l(
            "Wait a moment after starting before you speak. If it stays slow, close other apps \
             that use the microphone, unplug it and plug it back in, or choose another input.",
            "녹음을 시작하고 잠깐 기다린 뒤 말하세요. 계속 느리면 마이크를 쓰는 다른 앱을 \
             닫거나, 마이크를 뽑았다가 다시 꽂거나, 다른 입력 장치를 선택하세요.",
        ))
    };
    check.measured(ms, Unit::Ms).threshold(threshold)
}

fn silent_check(m: &MicMeasurement) -> Check {
    let id = "mic.silent";
    let title = l("Live signal", "입력 신호");
    let threshold = "samples vary (max-min >= 1e-6)";
    if m.first_sample_ms.is_none() || m.stats.sample_count == 0 {
        return Check::skipped(
            id,
            title,
            l(
                "Not judged: no audio arrived.",
                "오디오가 들어오지 않아 판단하지 않았어요.",
            ),
        );
    }
    let s = &m.stats;
    let name = &m.device_name;
    if !s.digital_silence {
        return Check::new(
            id,
            Status::Pass,
            title,
            l(
                format!(
                    "'{name}' delivers a live signal (peak {} dBFS).",
                    f1(s.peak_dbfs)
                ),
                format!(
                    "'{name}' 장치에서 실제 신호가 들어오고 있어요(최대 {} dBFS).",
                    f1(s.peak_dbfs)
                ),
            ),
        )
        .measured(s.peak_dbfs, Unit::Dbfs)
        .threshold(threshold);
    }
    let summary = if s.peak_dbfs <= crate::signal::SILENCE_DBFS {
        l(
            format!(
                "'{name}' opens but delivers only zeros: it is muted, blocked, or the app was \
                 denied access."
            ),
            format!(
                "'{name}' 장치는 열리지만 0만 보내고 있어요. 음소거됐거나, 막혀 있거나, 앱의 \
                 마이크 접근 권한이 거부된 상태예요."
            ),
        )
    } else {
        l(
            format!(
                "'{name}' opens but delivers one constant value ({:.3}): no sound gets through.",
                s.dc_offset
            ),
            format!(
                "'{name}' 장치는 열리지만 같은 값({:.3})만 계속 보내고 있어요. 소리가 전혀 \
                 들어오지 않아요.",
                s.dc_offset
            ),
        )
    };
    Check::new(id, Status::Fail, title, summary)
        .measured(s.peak_dbfs, Unit::Dbfs)
        .threshold(threshold)
        .fix(l(
            "Check the mute switch or mute key on the mic or headset. Allow microphone access \
             for this app in the system privacy settings (macOS: System Settings > Privacy & \
             Security > Microphone, where a denied app gets only silence; Windows: Settings > \
             Privacy & security > Microphone). Close other apps that may be using the \
             microphone exclusively, and make sure the input volume in the OS sound settings \
             is not at 0.",
            "마이크나 헤드셋의 음소거 스위치(또는 음소거 키)를 확인하세요. 시스템 개인정보 \
             보호 설정에서 이 앱의 마이크 접근을 허용하세요(macOS: 시스템 설정 > 개인정보 \
             보호 및 보안 > 마이크, 거부된 앱에는 무음만 들어와요. Windows: 설정 > 개인 정보 \
             및 보안 > 마이크). 마이크를 독점하고 있을 수 있는 다른 앱을 닫고, OS 소리 \
             설정에서 입력 음량이 0이 아닌지 확인하세요.",
        ))
}

fn clipping_status(s: &SignalStats) -> Status {
    if s.clipped_share > CLIP_FAIL_SHARE {
        Status::Fail
    } else if s.clipped_share > CLIP_WARN_SHARE || s.clip_runs >= CLIP_WARN_RUNS {
        Status::Warn
    } else {
        Status::Pass
    }
}

fn level_check(m: &MicMeasurement) -> Check {
    let id = "mic.level";
    let title = l("Input level", "입력 음량");
    if let Some(why) = not_judged(m) {
        return Check::skipped(id, title, why);
    }
    let s = &m.stats;
    let p = f1(s.peak_dbfs);
    let (lo, hi) = PEAK_IDEAL_DBFS;
    let ideal_en = format!("ideal {} to {} dBFS", f0(lo), f0(hi));
    let ideal_ko = format!("적정 범위 {}~{} dBFS", f0(lo), f0(hi));
    let threshold = format!(
        "peak {}..{} dBFS (ideal {}..{})",
        f0(PEAK_QUIET_DBFS),
        f0(PEAK_HOT_DBFS),
        f0(lo),
        f0(hi)
    );
    let raise = l(
        format!(
            "Raise the microphone input volume in the OS sound settings ({ideal_en} at the \
             peaks), speak toward the mic from about 15-30 cm, and check that the right input \
             is selected and not muted."
        ),
        format!(
            "OS 소리 설정에서 마이크 입력 음량을 높이세요({ideal_ko}). 마이크에서 15~30cm 정도 \
             떨어져 마이크 쪽으로 말하고, 올바른 입력 장치가 선택됐는지, 음소거되지 \
             않았는지 확인하세요."
        ),
    );
    let (status, summary, fix) = if s.peak_dbfs < PEAK_FAIL_DBFS {
        (
            Status::Fail,
            l(
                format!(
                    "Peaks reach only {p} dBFS: practically nothing is coming in (speech \
                     level {} dBFS).",
                    f1(s.speech_level_dbfs)
                ),
                format!(
                    "최대 음량이 {p} dBFS밖에 안 돼요. 소리가 사실상 들어오지 않아요(말소리 \
                     {} dBFS).",
                    f1(s.speech_level_dbfs)
                ),
            ),
            Some(l(
                format!("Speak during the check. {}", raise.en),
                format!("점검하는 동안 말을 해 주세요. {}", raise.ko),
            )),
        )
    } else if s.peak_dbfs < PEAK_QUIET_DBFS {
        (
            Status::Warn,
            l(
                format!("Speech peaks at {p} dBFS: too quiet ({ideal_en})."),
                format!("말소리 최대 음량이 {p} dBFS로 너무 작아요({ideal_ko})."),
            ),
            Some(raise),
        )
    } else if s.peak_dbfs > PEAK_HOT_DBFS {
        if clipping_status(s) != Status::Pass {
            (
                Status::Pass,
                l(
                    format!("Peaks hit full scale ({p} dBFS); see the clipping check."),
                    format!("최대 음량이 한계({p} dBFS)에 닿았어요. 클리핑 항목을 확인하세요."),
                ),
                None,
            )
        } else {
            (
                Status::Warn,
                l(
                    format!(
                        "Peaks reach {p} dBFS, almost full scale: louder words will clip \
                         ({ideal_en})."
                    ),
                    format!(
                        "최대 음량이 {p} dBFS로 한계에 거의 닿아요. 더 크게 말하면 소리가 \
                         찢어질 수 있어요({ideal_ko})."
                    ),
                ),
                Some(l(
                    format!(
                        "Lower the microphone input volume in the OS sound settings or turn \
                         off mic boost ({ideal_en} at the peaks), or move a little farther \
                         from the mic."
                    ),
                    format!(
                        "OS 소리 설정에서 마이크 입력 음량을 낮추거나 마이크 부스트를 \
                         끄세요({ideal_ko}). 마이크에서 조금 더 떨어져도 돼요."
                    ),
                )),
            )
        }
    } else if s.peak_dbfs < lo {
        (
            Status::Pass,
            l(
                format!("Speech peaks at {p} dBFS: usable, a little quiet ({ideal_en})."),
                format!("말소리 최대 음량이 {p} dBFS로 쓸 만하지만 조금 작아요({ideal_ko})."),
            ),
            None,
        )
    } else if s.peak_dbfs > hi {
        (
            Status::Pass,
            l(
                format!("Speech peaks at {p} dBFS: usable, a little loud ({ideal_en})."),
                format!("말소리 최대 음량이 {p} dBFS로 쓸 만하지만 조금 커요({ideal_ko})."),
            ),
            None,
        )
    } else {
        (
            Status::Pass,
            l(
                format!("Speech peaks at {p} dBFS: in the ideal range ({lo} to {hi} dBFS)."),
                format!("말소리 최대 음량이 {p} dBFS로 적정 범위({lo}~{hi} dBFS) 안에 있어요."),
            ),
            None,
        )
    };
    let mut check = Check::new(id, status, title, summary)
        .measured(s.peak_dbfs, Unit::Dbfs)
        .threshold(threshold);
    check.fix = fix;
    check
}

fn clipping_check(m: &MicMeasurement) -> Check {
    let id = "mic.clipping";
    let title = l("Clipping", "클리핑(소리 찢어짐)");
    if let Some(why) = not_judged(m) {
        return Check::skipped(id, title, why);
    }
    let s = &m.stats;
    let pct = s.clipped_share * 100.0;
    let pct_s = if pct > 0.0 && pct < 0.1 {
        format!("{pct:.2}")
    } else {
        f1(pct)
    };
    let runs = s.clip_runs;
    let threshold = format!(
        "clipped <= {} % and < {} runs (fail > {} %)",
        CLIP_WARN_SHARE * 100.0,
        CLIP_WARN_RUNS,
        CLIP_FAIL_SHARE * 100.0
    );
    let status = clipping_status(s);
    let summary = match status {
        Status::Pass if s.clipped_share == 0.0 => l(
            "No samples reach full scale: no clipping.",
            "한계 음량에 닿은 샘플이 없어요. 클리핑이 없어요.",
        ),
        Status::Pass => l(
            format!("{pct_s} % of samples touch full scale ({runs} clipping runs): fine."),
            format!("샘플의 {pct_s}%가 한계 음량에 닿았지만(연속 클리핑 {runs}번) 괜찮아요."),
        ),
        Status::Fail => l(
            format!(
                "{pct_s} % of samples hit full scale in {runs} runs: most loud words are distorted."
            ),
            format!(
                "샘플의 {pct_s}%가 한계 음량에 닿았어요(연속 클리핑 {runs}번). 큰 소리는 대부분 \
                 찢어져 들려요."
            ),
        ),
        _ => l(
            format!(
                "{pct_s} % of samples hit full scale in {runs} runs: loud words are distorted."
            ),
            format!(
                "샘플의 {pct_s}%가 한계 음량에 닿았어요(연속 클리핑 {runs}번). 큰 소리가 \
                 찢어져 들려요."
            ),
        ),
    };
    let check = Check::new(id, status, title, summary)
        .measured(pct, Unit::Percent)
        .threshold(threshold);
    if status == Status::Pass {
        check
    } else {
        check.fix(l(
            "Lower the microphone input volume in the OS sound settings and turn off mic boost \
             or automatic gain, then keep the mic a little farther from your mouth. Peaks \
             around -12 to -6 dBFS are ideal.",
            "OS 소리 설정에서 마이크 입력 음량을 낮추고 마이크 부스트나 자동 음량 조절을 \
             끄세요. 마이크를 입에서 조금 더 떨어뜨리세요. 최대 음량은 -12~-6 dBFS 정도가 \
             좋아요.",
        ))
    }
}

fn noise_check(m: &MicMeasurement) -> Check {
    let id = "mic.noise";
    let title = l("Background noise", "배경 소음");
    if let Some(why) = not_judged(m) {
        return Check::skipped(id, title, why);
    }
    let s = &m.stats;
    let floor = s.noise_floor_dbfs;
    let floor_status = if floor > NOISE_FAIL_DBFS {
        Status::Fail
    } else if floor > NOISE_WARN_DBFS {
        Status::Warn
    } else {
        Status::Pass
    };
    // SNR says how far speech stands above the room; without audible speech it would
    // only repeat the level check, so it is judged only when the level is in range.
    let snr_judged = s.peak_dbfs >= PEAK_QUIET_DBFS;
    let snr_status = if !snr_judged {
        Status::Pass
    } else if s.snr_db < SNR_FAIL_DB {
        Status::Fail
    } else if s.snr_db < SNR_WARN_DB {
        Status::Warn
    } else {
        Status::Pass
    };
    let status = worst(floor_status, snr_status);
    let (nf, sl, snr) = (f1(floor), f1(s.speech_level_dbfs), f1(s.snr_db));
    let threshold = format!(
        "floor <= {} dBFS (fail > {}), SNR >= {} dB (fail < {})",
        f0(NOISE_WARN_DBFS),
        f0(NOISE_FAIL_DBFS),
        f0(SNR_WARN_DB),
        f0(SNR_FAIL_DB)
    );
    let mut summary = if snr_judged {
        l(
            format!("Noise floor {nf} dBFS, speech {sl} dBFS: SNR {snr} dB."),
            format!(
                "배경 소음은 {nf} dBFS, 말소리는 {sl} dBFS로 신호 대 잡음비(SNR)가 {snr} dB예요."
            ),
        )
    } else {
        l(
            format!("Noise floor {nf} dBFS; SNR not judged because speech was too quiet."),
            format!("배경 소음은 {nf} dBFS예요. 말소리가 너무 작아 SNR은 판단하지 않았어요."),
        )
    };
    if floor_status > Status::Pass {
        summary.en.push_str(" The background is noisy.");
        summary.ko.push_str(" 배경 소음이 커요.");
    } else if snr_status > Status::Pass {
        summary
            .en
            .push_str(" Your voice is not far enough above the background.");
        summary
            .ko
            .push_str(" 목소리가 배경 소음보다 충분히 크지 않아요.");
    }
    let check = Check::new(id, status, title, summary)
        .measured(floor, Unit::Dbfs)
        .threshold(threshold);
    if status == Status::Pass {
        check
    } else if floor_status > Status::Pass {
        check.fix(l(
            "Reduce the noise around you: close the window, turn off nearby fans or air \
             conditioning, and keep the mic away from the computer's fan. Turn off mic boost. \
             If the noise stays high, turn on noise suppression in the OS sound settings or \
             try another mic.",
            "주변 소음을 줄이세요. 창문을 닫고, 근처 선풍기나 에어컨을 끄고, 마이크를 컴퓨터 \
             팬에서 떨어뜨리세요. 마이크 부스트도 끄세요. 그래도 소음이 크면 OS 소리 설정에서 \
             소음 억제를 켜거나 다른 마이크를 써 보세요.",
        ))
    } else {
        check.fix(l(
            "Move closer to the mic (about 15-30 cm) so your voice stands well above the \
             background, and reduce the noise around you.",
            "마이크에 더 가까이(15~30cm 정도) 가서 목소리가 배경 소음보다 충분히 크게 \
             들어가게 하고, 주변 소음을 줄이세요.",
        ))
    }
}

fn dropouts_check(m: &MicMeasurement) -> Check {
    let id = "mic.dropouts";
    let title = l("Dropouts", "끊김");
    if m.first_sample_ms.is_none() || m.stats.sample_count == 0 {
        return Check::skipped(
            id,
            title,
            l(
                "Not judged: no audio arrived.",
                "오디오가 들어오지 않아 판단하지 않았어요.",
            ),
        );
    }
    let in_signal = m.stats.dropouts;
    let in_delivery = m.delivery.gaps;
    let count = in_signal + in_delivery;
    let missing_ms = m.stats.dropout_ms + m.delivery.gap_ms;
    let status = if count >= DROPOUT_FAIL_COUNT {
        Status::Fail
    } else if count >= 1 {
        Status::Warn
    } else {
        Status::Pass
    };
    let threshold = format!("0 dropouts (fail >= {DROPOUT_FAIL_COUNT})");
    let summary = if count == 0 {
        l(
            "No dropouts: the signal and its delivery were continuous.",
            "끊김이 없어요. 신호와 전달이 모두 끊기지 않았어요.",
        )
    } else {
        l(
            format!(
                "{count} dropout(s) ({in_signal} in the signal, {in_delivery} in delivery): \
                 {} ms of audio missing.",
                f0(missing_ms)
            ),
            format!(
                "끊김이 {count}번 있었어요(신호 안 {in_signal}번, 전달 중 {in_delivery}번). \
                 오디오가 {} ms 빠졌어요.",
                f0(missing_ms)
            ),
        )
    };
    let check = Check::new(id, status, title, summary)
        .measured(count as f64, Unit::Count)
        .threshold(threshold);
    if status == Status::Pass {
        check
    } else {
        check.fix(l(
            "Close apps that keep the computer busy or also use the microphone. Plug a USB mic \
             directly into the computer, not into a hub. With Bluetooth, keep the device close \
             or use a wired mic. Then run the check again.",
            "컴퓨터를 바쁘게 하거나 마이크를 함께 쓰는 앱을 닫으세요. USB 마이크는 허브 말고 \
             컴퓨터에 직접 꽂으세요. 블루투스 기기라면 컴퓨터 가까이 두거나 유선 마이크를 \
             쓰세요. 그다음 다시 점검하세요.",
        ))
    }
}

fn crackle_check(m: &MicMeasurement) -> Check {
    let id = "mic.crackle";
    let title = l("Clicks and crackle", "딸깍·지직 잡음");
    if let Some(why) = not_judged(m) {
        return Check::skipped(id, title, why);
    }
    let s = &m.stats;
    let rate = s.clicks_per_s;
    let secs = f1(s.duration_ms / 1000.0);
    let clicks = s.clicks;
    let status = if rate > CLICKS_FAIL_PER_S {
        Status::Fail
    } else if rate > CLICKS_WARN_PER_S {
        Status::Warn
    } else {
        Status::Pass
    };
    let threshold = format!("clicks <= {CLICKS_WARN_PER_S}/s (fail > {CLICKS_FAIL_PER_S}/s)");
    let summary = if clicks == 0 {
        l(
            format!("No clicks or crackle in {secs} s."),
            format!("{secs}초 동안 딸깍거리거나 지직거리는 잡음이 없었어요."),
        )
    } else if status == Status::Pass {
        l(
            format!("{clicks} click(s) in {secs} s ({rate:.2}/s): fine."),
            format!("{secs}초 동안 딸깍 소리가 {clicks}번 있었지만(초당 {rate:.2}번) 괜찮아요."),
        )
    } else {
        l(
            format!("{clicks} clicks in {secs} s ({rate:.2}/s): the microphone crackles."),
            format!(
                "{secs}초 동안 딸깍 소리가 {clicks}번 났어요(초당 {rate:.2}번). 마이크에서 \
                 지직거리는 소리가 나요."
            ),
        )
    };
    let check = Check::new(id, status, title, summary)
        .measured(rate, Unit::Ratio)
        .threshold(threshold);
    if status == Status::Pass {
        check
    } else {
        check.fix(l(
            "Check the cable and connector: plug it back in firmly or try another port. Keep \
             the mic away from phones and power adapters, and close apps that keep the \
             computer busy. If it continues, try another mic.",
            "케이블과 단자를 확인하세요. 단단히 다시 꽂거나 다른 포트에 꽂아 보세요. 마이크를 \
             휴대폰이나 전원 어댑터에서 떨어뜨리고, 컴퓨터를 바쁘게 하는 앱을 닫으세요. \
             그래도 계속되면 다른 마이크를 써 보세요.",
        ))
    }
}

fn rate_check(m: &MicMeasurement) -> Check {
    let id = "mic.rate";
    let title = l("Sample rate accuracy", "샘플레이트 정확도");
    if m.first_sample_ms.is_none() || m.stats.sample_count == 0 {
        return Check::skipped(
            id,
            title,
            l(
                "Not judged: no audio arrived.",
                "오디오가 들어오지 않아 판단하지 않았어요.",
            ),
        );
    }
    let (Some(eff), true) = (m.delivery.effective_rate_hz, m.sample_rate > 0) else {
        return Check::skipped(
            id,
            title,
            l(
                "Not judged: too few audio callbacks to measure the rate.",
                "오디오 콜백이 너무 적어 속도를 측정하지 못했어요.",
            ),
        );
    };
    let nominal = f64::from(m.sample_rate);
    let err = (eff - nominal) / nominal * 100.0;
    let status = if err.abs() > RATE_FAIL_PCT {
        Status::Fail
    } else if err.abs() > RATE_WARN_PCT {
        Status::Warn
    } else {
        Status::Pass
    };
    let threshold = format!("|rate error| <= {RATE_WARN_PCT} % (fail > {RATE_FAIL_PCT} %)");
    let summary = l(
        format!(
            "Audio arrives at {} Hz for a nominal {} Hz ({err:+.2} %).",
            f0(eff),
            m.sample_rate
        ),
        format!(
            "설정은 {} Hz인데 실제로는 {} Hz로 오디오가 들어와요(오차 {err:+.2}%).",
            m.sample_rate,
            f0(eff)
        ),
    );
    let check = Check::new(id, status, title, summary)
        .measured(eff, Unit::Hz)
        .threshold(threshold);
    if status == Status::Pass {
        check
    } else {
        check.fix(l(
            "The device or its driver delivers audio at the wrong speed, so recordings will \
             sound too fast or too slow. Set the device to 48000 Hz in the OS sound settings, \
             unplug it and plug it back in, or choose another input.",
            "장치나 드라이버가 오디오를 잘못된 속도로 보내고 있어서 녹음이 빠르거나 느리게 \
             들릴 수 있어요. OS 소리 설정에서 장치를 48000 Hz로 맞추거나, 장치를 뽑았다가 \
             다시 꽂거나, 다른 입력 장치를 선택하세요.",
        ))
    }
}

fn dc_check(m: &MicMeasurement) -> Check {
    let id = "mic.dc";
    let title = l("DC offset", "DC 오프셋");
    if let Some(why) = not_judged(m) {
        return Check::skipped(id, title, why);
    }
    let dc = m.stats.dc_offset;
    let status = if dc.abs() > DC_FAIL {
        Status::Fail
    } else if dc.abs() > DC_WARN {
        Status::Warn
    } else {
        Status::Pass
    };
    let threshold = format!("|DC| <= {DC_WARN} (fail > {DC_FAIL})");
    let (d4, d3) = (fixed(dc, 4), fixed(dc, 3));
    let summary = if status == Status::Pass {
        l(
            format!("DC offset {d4}: the signal is centred."),
            format!("DC 오프셋({d4})이 작아서 신호가 가운데에 잘 맞춰져 있어요."),
        )
    } else {
        l(
            format!(
                "The signal sits off-centre by {d3} of full scale: this wastes headroom and \
                 can click when recording starts or stops."
            ),
            format!(
                "신호가 가운데에서 {d3}만큼 치우쳐 있어요. 쓸 수 있는 음량 여유가 줄고, \
                 녹음을 시작하거나 멈출 때 딸깍 소리가 날 수 있어요."
            ),
        )
    };
    let check = Check::new(id, status, title, summary)
        .measured(dc, Unit::Ratio)
        .threshold(threshold);
    if status == Status::Pass {
        check
    } else {
        check.fix(l(
            "This usually comes from a faulty mic, cable or sound-card input. Try another port \
             or another mic; with a 3.5 mm jack, make sure the plug is pushed all the way in.",
            "보통 마이크, 케이블, 사운드카드 입력에 문제가 있을 때 생겨요. 다른 단자나 다른 \
             마이크를 써 보세요. 3.5mm 잭이라면 끝까지 꽂혀 있는지 확인하세요.",
        ))
    }
}

/// Whether a device name looks like a Bluetooth headset in call (hands-free) mode.
pub fn looks_hands_free(device_name: &str) -> bool {
    let name = device_name.to_lowercase();
    HANDS_FREE_MARKERS.iter().any(|m| name.contains(m))
}

fn format_check(m: &MicMeasurement) -> Check {
    let id = "mic.format";
    let title = l("Audio format", "오디오 형식");
    let (rate, ch, name) = (m.sample_rate, m.channels, &m.device_name);
    let hands_free = looks_hands_free(name);
    let low_rate = rate <= FORMAT_MIN_RATE_HZ;
    let threshold = format!("rate > {FORMAT_MIN_RATE_HZ} Hz, not a hands-free profile");
    let check = if hands_free {
        Check::new(
            id,
            Status::Warn,
            title,
            l(
                format!(
                    "'{name}' ({rate} Hz, {ch} ch) looks like a headset in call (hands-free) \
                     mode: Bluetooth call mode records at 8-16 kHz and sounds muffled."
                ),
                format!(
                    "'{name}' 장치({rate} Hz, {ch}채널)는 통화(핸즈프리) 모드의 헤드셋으로 \
                     보여요. 블루투스 통화 모드는 8~16kHz로 녹음돼서 소리가 먹먹하게 들려요."
                ),
            ),
        )
        .fix(l(
            "Switch the Bluetooth headset to its stereo (A2DP) profile for listening and use a \
             separate mic (the laptop's built-in mic is fine), or use a wired or USB mic. If \
             this is a wired or USB headset, you can ignore this.",
            "블루투스 헤드셋은 스테레오(A2DP) 프로필로 바꿔 듣기용으로만 쓰고, 마이크는 따로 \
             쓰세요(노트북 내장 마이크도 괜찮아요). 아니면 유선이나 USB 마이크를 쓰세요. 유선 \
             또는 USB 헤드셋이라면 이 안내는 무시해도 돼요.",
        ))
    } else if low_rate {
        Check::new(
            id,
            Status::Warn,
            title,
            l(
                format!(
                    "'{name}' runs at {rate} Hz, {ch} ch: telephone quality, so speech sounds \
                     muffled and transcription gets worse."
                ),
                format!(
                    "'{name}' 장치가 {rate} Hz, {ch}채널로 동작하고 있어요. 전화 음질이라 \
                     말소리가 먹먹하게 들리고 받아쓰기 정확도도 떨어져요."
                ),
            ),
        )
        .fix(l(
            "Set this input to 48000 Hz in the OS sound settings. If it is a Bluetooth \
             headset, use a separate or wired mic instead.",
            "OS 소리 설정에서 이 입력 장치를 48000 Hz로 맞추세요. 블루투스 헤드셋이라면 \
             따로 있는 마이크나 유선 마이크를 쓰세요.",
        ))
    } else {
        Check::new(
            id,
            Status::Pass,
            title,
            l(
                format!("{rate} Hz, {ch} ch."),
                format!("{rate} Hz, {ch}채널이에요."),
            ),
        )
    };
    check
        .measured(f64::from(rate), Unit::Hz)
        .threshold(threshold)
}

#[cfg(test)]
mod tests {
    use super::super::tests::assert_well_formed;
    use super::*;
    use crate::signal::{analyze, delivery_stats, speech_like, Delivery};

    const SR: u32 = 48_000;

    /// Good speech through a well-behaved device, measured once and cloned per use.
    fn good() -> MicMeasurement {
        static GOOD: std::sync::OnceLock<MicMeasurement> = std::sync::OnceLock::new();
        GOOD.get_or_init(measure_good).clone()
    }

    fn measure_good() -> MicMeasurement {
        let x = speech_like(SR, 1.5, -9.0, 11);
        let mut d = Delivery::new(SR);
        for i in 0..100 {
            d.record(40.0 + 10.0 * f64::from(i), 480);
        }
        MicMeasurement {
            device_name: "USB Mic".into(),
            stats: analyze(&x, SR),
            delivery: delivery_stats(&d),
            first_sample_ms: Some(40.0),
            sample_rate: SR,
            channels: 2,
        }
    }

    fn find<'a>(checks: &'a [Check], id: &str) -> &'a Check {
        checks
            .iter()
            .find(|c| c.id == id)
            .unwrap_or_else(|| panic!("no {id}"))
    }

    fn status(m: &MicMeasurement, id: &str) -> Status {
        find(&mic_checks(m), id).status
    }

    #[test]
    fn good_speech_passes_everything_in_order() {
        let checks = mic_checks(&good());
        let ids: Vec<&str> = checks.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "mic.first_sample",
                "mic.silent",
                "mic.level",
                "mic.clipping",
                "mic.noise",
                "mic.dropouts",
                "mic.crackle",
                "mic.rate",
                "mic.dc",
                "mic.format"
            ]
        );
        for c in &checks {
            assert_eq!(c.status, Status::Pass, "{c:?}");
            assert_well_formed(c);
        }
        let level = find(&checks, "mic.level");
        assert!(level.summary.en.contains("-9.0 dBFS"), "{level:?}");
        assert!((level.measured.unwrap().value + 9.0).abs() < 0.01);
        assert!(find(&checks, "mic.format")
            .summary
            .en
            .contains("48000 Hz, 2 ch"));
    }

    #[test]
    fn first_sample_boundaries() {
        let mut m = good();
        m.first_sample_ms = Some(1000.0);
        assert_eq!(status(&m, "mic.first_sample"), Status::Pass);
        m.first_sample_ms = Some(1000.5);
        assert_eq!(status(&m, "mic.first_sample"), Status::Warn);
        m.first_sample_ms = None;
        let checks = mic_checks(&m);
        assert_eq!(find(&checks, "mic.first_sample").status, Status::Fail);
        for c in &checks[1..9] {
            assert_eq!(c.status, Status::Skipped, "{c:?}");
            assert!(c.summary.en.contains("no audio arrived"));
        }
        assert_eq!(find(&checks, "mic.format").status, Status::Pass);
        checks.iter().for_each(assert_well_formed);
    }

    #[test]
    fn silent_stream_fails_and_skips_what_cannot_be_judged() {
        let mut m = good();
        m.stats = analyze(&vec![0.0; 48_000], SR);
        let checks = mic_checks(&m);
        let silent = find(&checks, "mic.silent");
        assert_eq!(silent.status, Status::Fail);
        assert!(silent.summary.en.contains("only zeros"));
        let fix = silent.fix.as_ref().unwrap();
        assert!(fix.en.contains("mute") && fix.en.contains("privacy"));
        // A denied app on macOS gets zeros, so this is where macOS users read the way out.
        assert!(fix
            .en
            .contains("System Settings > Privacy & Security > Microphone"));
        assert!(fix
            .ko
            .contains("시스템 설정 > 개인정보 보호 및 보안 > 마이크"));
        for id in [
            "mic.level",
            "mic.clipping",
            "mic.noise",
            "mic.crackle",
            "mic.dc",
        ] {
            let c = find(&checks, id);
            assert_eq!(c.status, Status::Skipped, "{c:?}");
            assert!(c.summary.en.contains("silence"));
        }
        for id in ["mic.first_sample", "mic.dropouts", "mic.rate", "mic.format"] {
            assert_eq!(find(&checks, id).status, Status::Pass, "{id}");
        }
        checks.iter().for_each(assert_well_formed);

        m.stats = analyze(&vec![0.3; 48_000], SR);
        let silent = mic_checks(&m).remove(1);
        assert_eq!(silent.status, Status::Fail);
        assert!(silent.summary.en.contains("constant value (0.300)"));
    }

    #[test]
    fn level_boundaries() {
        let mut m = good();
        let mut at = |peak: f64| {
            m.stats.peak_dbfs = peak;
            status(&m, "mic.level")
        };
        assert_eq!(at(-50.1), Status::Fail);
        assert_eq!(at(-50.0), Status::Warn);
        assert_eq!(at(-30.1), Status::Warn);
        assert_eq!(at(-30.0), Status::Pass);
        assert_eq!(at(-20.0), Status::Pass);
        assert_eq!(at(-1.0), Status::Pass);
        assert_eq!(at(-0.9), Status::Warn);

        let mut m = good();
        m.stats.peak_dbfs = -41.2;
        let c = mic_checks(&m).remove(2);
        assert!(
            c.summary.en.starts_with("Speech peaks at -41.2 dBFS"),
            "{c:?}"
        );
        assert!(c.summary.ko.contains("-41.2 dBFS"));
        assert!(c.fix.as_ref().unwrap().ko.contains("입력 음량을 높이세요"));
        assert_well_formed(&c);

        // At full scale with clipping, the clipping check reports it, not this one.
        m.stats.peak_dbfs = 0.0;
        m.stats.clipped_share = 0.02;
        let checks = mic_checks(&m);
        assert_eq!(find(&checks, "mic.level").status, Status::Pass);
        assert!(find(&checks, "mic.level").summary.en.contains("clipping"));
        assert_eq!(find(&checks, "mic.clipping").status, Status::Fail);
    }

    #[test]
    fn clipping_boundaries() {
        let mut m = good();
        let mut at = |share: f64, runs: u64| {
            m.stats.clipped_share = share;
            m.stats.clip_runs = runs;
            let c = mic_checks(&m).remove(3);
            assert_well_formed(&c);
            c.status
        };
        assert_eq!(at(0.0, 0), Status::Pass);
        assert_eq!(at(0.001, 2), Status::Pass);
        assert_eq!(at(0.0011, 0), Status::Warn);
        assert_eq!(at(0.0005, 3), Status::Warn);
        assert_eq!(at(0.01, 5), Status::Warn);
        assert_eq!(at(0.0101, 5), Status::Fail);
    }

    #[test]
    fn clipped_recording_is_judged_end_to_end() {
        let mut m = good();
        let x: Vec<f32> = speech_like(SR, 1.0, 6.0, 11)
            .into_iter()
            .map(|v| v.clamp(-1.0, 1.0))
            .collect();
        m.stats = analyze(&x, SR);
        let checks = mic_checks(&m);
        let c = find(&checks, "mic.clipping");
        assert_eq!(c.status, Status::Fail, "{c:?}");
        assert!(c.measured.unwrap().value > 1.0);
        assert_eq!(find(&checks, "mic.level").status, Status::Pass);
        assert_eq!(find(&checks, "mic.crackle").status, Status::Pass);
    }

    #[test]
    fn noise_boundaries() {
        let mut m = good();
        m.stats.snr_db = 40.0;
        let mut floor = |f: f64| {
            m.stats.noise_floor_dbfs = f;
            status(&m, "mic.noise")
        };
        assert_eq!(floor(-50.0), Status::Pass);
        assert_eq!(floor(-49.9), Status::Warn);
        assert_eq!(floor(-35.0), Status::Warn);
        assert_eq!(floor(-34.9), Status::Fail);

        let mut m = good();
        m.stats.noise_floor_dbfs = -70.0;
        let mut snr = |s: f64| {
            m.stats.snr_db = s;
            let c = mic_checks(&m).remove(4);
            assert_well_formed(&c);
            c.status
        };
        assert_eq!(snr(20.0), Status::Pass);
        assert_eq!(snr(19.9), Status::Warn);
        assert_eq!(snr(10.0), Status::Warn);
        assert_eq!(snr(9.9), Status::Fail);

        // With speech too quiet to judge SNR, only the floor counts.
        let mut m = good();
        m.stats.peak_dbfs = -35.0;
        m.stats.noise_floor_dbfs = -60.0;
        m.stats.snr_db = 5.0;
        let c = mic_checks(&m).remove(4);
        assert_eq!(c.status, Status::Pass);
        assert!(c.summary.en.contains("SNR not judged"));

        let mut m = good();
        m.stats.noise_floor_dbfs = -30.0;
        m.stats.speech_level_dbfs = -25.0;
        m.stats.snr_db = 5.0;
        let c = mic_checks(&m).remove(4);
        assert!(c.summary.en.contains("Noise floor -30.0 dBFS"));
        assert!(c.fix.unwrap().en.contains("fans"));
    }

    #[test]
    fn dropout_boundaries_combine_signal_and_delivery() {
        let mut m = good();
        let mut at = |signal: u64, gaps: u64| {
            m.stats.dropouts = signal;
            m.stats.dropout_ms = 10.0 * signal as f64;
            m.delivery.gaps = gaps;
            m.delivery.gap_ms = 100.0 * gaps as f64;
            mic_checks(&m).remove(5)
        };
        assert_eq!(at(0, 0).status, Status::Pass);
        assert_eq!(at(1, 0).status, Status::Warn);
        assert_eq!(at(0, 1).status, Status::Warn);
        assert_eq!(at(1, 1).status, Status::Warn);
        let c = at(2, 1);
        assert_eq!(c.status, Status::Fail);
        assert!(c
            .summary
            .en
            .contains("3 dropout(s) (2 in the signal, 1 in delivery)"));
        assert!(c.summary.en.contains("120 ms"));
        assert_eq!(c.measured.unwrap().value, 3.0);
        assert_well_formed(&c);
    }

    #[test]
    fn crackle_boundaries() {
        let mut m = good();
        let mut at = |rate: f64| {
            m.stats.clicks_per_s = rate;
            m.stats.clicks = (rate * m.stats.duration_ms / 1000.0).round() as u64;
            let c = mic_checks(&m).remove(6);
            assert_well_formed(&c);
            c.status
        };
        assert_eq!(at(0.0), Status::Pass);
        assert_eq!(at(0.5), Status::Pass);
        assert_eq!(at(0.51), Status::Warn);
        assert_eq!(at(3.0), Status::Warn);
        assert_eq!(at(3.01), Status::Fail);
    }

    #[test]
    fn rate_boundaries() {
        let mut m = good();
        let mut at = |hz: Option<f64>| {
            m.delivery.effective_rate_hz = hz;
            let c = mic_checks(&m).remove(7);
            assert_well_formed(&c);
            c
        };
        assert_eq!(at(Some(48_480.0)).status, Status::Pass);
        assert_eq!(at(Some(48_481.0)).status, Status::Warn);
        assert_eq!(at(Some(45_600.0)).status, Status::Warn);
        assert_eq!(at(Some(45_599.0)).status, Status::Fail);
        let c = at(Some(44_100.0));
        assert_eq!(c.status, Status::Fail);
        assert!(c
            .summary
            .en
            .contains("44100 Hz for a nominal 48000 Hz (-8.12 %)"));
        assert_eq!(at(None).status, Status::Skipped);
    }

    #[test]
    fn dc_boundaries() {
        let mut m = good();
        let mut at = |dc: f64| {
            m.stats.dc_offset = dc;
            let c = mic_checks(&m).remove(8);
            assert_well_formed(&c);
            c.status
        };
        assert_eq!(at(0.01), Status::Pass);
        assert_eq!(at(-0.0101), Status::Warn);
        assert_eq!(at(0.05), Status::Warn);
        assert_eq!(at(-0.0501), Status::Fail);
    }

    #[test]
    fn format_flags_hands_free_and_low_rates() {
        let mut m = good();
        m.sample_rate = 16_000;
        m.channels = 1;
        let c = mic_checks(&m).remove(9);
        assert_eq!(c.status, Status::Warn);
        assert!(c.summary.en.contains("16000 Hz, 1 ch"));
        m.sample_rate = 16_001;
        assert_eq!(status(&m, "mic.format"), Status::Pass);
        m.sample_rate = 48_000;
        for name in [
            "WH-1000XM4 (Headset Head Unit)",
            "bluez_input.AA_BB.handsfree_head_unit",
            "Buds HFP",
            "Car HEAD UNIT",
            "Hands-Free AG Audio",
        ] {
            m.device_name = name.into();
            let c = mic_checks(&m).remove(9);
            assert_eq!(c.status, Status::Warn, "{name}");
            assert!(c.fix.as_ref().unwrap().en.contains("A2DP"));
            assert_well_formed(&c);
        }
        m.device_name = "Blue Yeti".into();
        assert_eq!(status(&m, "mic.format"), Status::Pass);
    }
}

//! Camera preflight verdicts: does the camera open, how fast and how big are its frames,
//! and is the picture usable (not black, frozen, dark, blown out, a flat placeholder card
//! or a virtual camera by mistake).
//!
//! The engine captures for a couple of seconds, fills a [`CameraMeasurement`] from
//! [`crate::frame`] metrics, and calls [`camera_checks`]; opening errors go through
//! [`camera_open_check`].

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::frame::FrameStats;
use crate::stats::median;
use crate::verdict::{l, Check, Localized, Status, Unit};

/// First frame later than this warns.
pub const FIRST_FRAME_WARN_MS: f64 = 1500.0;
/// Delivered frame rate below this warns, whatever was requested.
pub const FPS_WARN_MIN: f64 = 20.0;
/// Delivered frame rate below this share of the requested rate warns.
pub const FPS_WARN_SHARE: f64 = 0.8;
/// Delivered frame rate below this fails.
pub const FPS_FAIL: f64 = 10.0;
/// Resolution floor when no resolution was requested.
pub const RESOLUTION_FLOOR: (u32, u32) = (640, 360);
/// Black: median mean luma below this ...
pub const BLACK_MEAN_LUMA: f64 = 8.0;
/// ... and median dark share above this.
pub const BLACK_DARK_SHARE: f64 = 0.95;
/// Median consecutive-frame difference below this fails as frozen.
pub const FROZEN_FAIL_DIFF: f64 = 0.2;
/// Median consecutive-frame difference below this warns.
pub const FROZEN_WARN_DIFF: f64 = 0.5;
/// Median mean luma below this warns as dark.
pub const DARK_MEAN_LUMA: f64 = 50.0;
/// Median share of blown-out pixels above this warns.
pub const OVEREXPOSED_WARN_SHARE: f64 = 0.25;
/// Median mean luma above this warns as overexposed.
pub const OVEREXPOSED_MEAN_LUMA: f64 = 220.0;
/// Median share of blown-out pixels above this fails.
pub const OVEREXPOSED_FAIL_SHARE: f64 = 0.6;
/// Median share of flat blocks above this fails as a placeholder card.
pub const UNIFORM_FAIL: f64 = 0.9;

/// What the engine measured while capturing from one camera.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CameraMeasurement {
    pub device_name: String,
    /// Requested format; 0 means "no preference" (then only absolute floors apply).
    pub requested_width: u32,
    pub requested_height: u32,
    pub requested_fps: f64,
    /// Format the camera actually delivers (0 when unknown).
    pub delivered_width: u32,
    pub delivered_height: u32,
    /// Frames received during the capture.
    pub frames: u32,
    /// Length of the capture, from the open request to its end.
    pub elapsed_ms: f64,
    /// Arrival of the first frame, from the open request; `None` when none came.
    pub first_frame_ms: Option<f64>,
    /// Arrival of the last frame, from the open request. With it the frame rate is exact;
    /// without it the capture end stands in for the last frame.
    #[serde(default)]
    pub last_frame_ms: Option<f64>,
    /// Statistics of analysed frames (all of them or a sample; at least a few).
    pub per_frame: Vec<FrameStats>,
    /// Differences between consecutive *delivered* frames (each one against the previous
    /// one, so one fewer than the analysed frames). Do not diff a frame with itself when a
    /// reader polls faster than the camera delivers: that reads as frozen.
    pub diffs: Vec<f64>,
}

/// Why a camera could not be opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum CameraOpenFailure {
    #[error("no camera found")]
    NoCamera,
    #[error("the camera is in use by another application")]
    Busy,
    #[error("camera access was denied")]
    PermissionDenied,
    #[error("the camera offers no usable picture format")]
    Unsupported,
    #[error("the camera was disconnected")]
    Gone,
}

impl CameraOpenFailure {
    /// Stable code for the IPC boundary and logs.
    pub fn code(self) -> &'static str {
        match self {
            CameraOpenFailure::NoCamera => "no_camera",
            CameraOpenFailure::Busy => "busy",
            CameraOpenFailure::PermissionDenied => "permission_denied",
            CameraOpenFailure::Unsupported => "unsupported",
            CameraOpenFailure::Gone => "gone",
        }
    }
}

/// Whether the last syllable of `word` ends in a consonant (받침); non-Hangul words count
/// as "unknown" and get the combined particle form.
fn batchim(word: &str) -> Option<bool> {
    let c = word
        .chars()
        .rev()
        .find(|c| c.is_alphanumeric() || ('\u{AC00}'..='\u{D7A3}').contains(c))?;
    if ('\u{AC00}'..='\u{D7A3}').contains(&c) {
        Some((c as u32 - 0xAC00) % 28 != 0)
    } else {
        None
    }
}

/// `word` followed by the right Korean particle: `josa("카메라", "이", "가")` is "카메라가";
/// for a Latin name it is "Webcam이(가)".
fn josa(word: &str, with: &str, without: &str) -> String {
    match batchim(word) {
        Some(true) => format!("{word}{with}"),
        Some(false) => format!("{word}{without}"),
        None => format!("{word}{with}({without})"),
    }
}

fn no_frames_reason() -> Localized {
    l(
        "Not judged: no frame arrived from the camera.",
        "카메라에서 화면이 들어오지 않아 판단하지 않았어요.",
    )
}

/// Delivered frame rate: `(frames - 1)` intervals over the time from the first to the last
/// frame (the capture end when `last_frame_ms` is missing); with a single frame,
/// `frames / elapsed`. `None` when nothing can be computed.
pub fn delivered_fps(m: &CameraMeasurement) -> Option<f64> {
    if m.frames >= 2 {
        if let Some(first) = m.first_frame_ms {
            let last = m.last_frame_ms.unwrap_or(m.elapsed_ms);
            if last > first {
                return Some((m.frames - 1) as f64 * 1000.0 / (last - first));
            }
        }
    }
    if m.frames >= 1 && m.elapsed_ms > 0.0 {
        return Some(m.frames as f64 * 1000.0 / m.elapsed_ms);
    }
    None
}

/// The frame rate below which `camera.fps` warns for a requested rate.
pub fn fps_warn_threshold(requested_fps: f64) -> f64 {
    if requested_fps.is_finite() && requested_fps > 0.0 {
        FPS_WARN_MIN.max(requested_fps * FPS_WARN_SHARE)
    } else {
        FPS_WARN_MIN
    }
}

fn first_frame_check(m: &CameraMeasurement) -> Check {
    let id = "camera.first_frame";
    let title = l("Camera start", "카메라 시작 시간");
    match m.first_frame_ms {
        None => Check::new(
            id,
            Status::Fail,
            title,
            l(
                format!(
                    "No frame arrived from the camera in {:.0} ms.",
                    m.elapsed_ms
                ),
                format!(
                    "{:.0} ms 동안 카메라에서 화면이 하나도 들어오지 않았어요.",
                    m.elapsed_ms
                ),
            ),
        )
        .threshold(format!("<= {FIRST_FRAME_WARN_MS:.0} ms"))
        .fix(l(
            "Make sure no other app (Zoom, Teams, OBS, a browser tab) holds the camera, unplug \
             and reconnect it, and check that Greenroom may use the camera in the system \
             privacy settings. Then press Check again.",
            "Zoom, Teams, OBS, 브라우저 탭 같은 다른 앱이 카메라를 쓰고 있지 않은지 확인하고, \
             카메라를 뽑았다가 다시 연결해 주세요. 시스템 개인정보 설정에서 Greenroom의 카메라 \
             권한도 확인한 뒤 다시 점검해 주세요.",
        )),
        Some(ms) if ms <= FIRST_FRAME_WARN_MS => Check::new(
            id,
            Status::Pass,
            title,
            l(
                format!("The first frame arrived after {ms:.0} ms."),
                format!("첫 화면이 {ms:.0} ms 만에 들어왔어요."),
            ),
        )
        .measured(ms, Unit::Ms)
        .threshold(format!("<= {FIRST_FRAME_WARN_MS:.0} ms")),
        Some(ms) => Check::new(
            id,
            Status::Warn,
            title,
            l(
                format!(
                    "The camera took {ms:.0} ms to deliver its first frame; a call may start \
                     with a black picture."
                ),
                format!(
                    "카메라가 첫 화면을 보내기까지 {ms:.0} ms가 걸렸어요. 통화가 검은 화면으로 \
                     시작될 수 있어요."
                ),
            ),
        )
        .measured(ms, Unit::Ms)
        .threshold(format!("<= {FIRST_FRAME_WARN_MS:.0} ms"))
        .fix(l(
            "Close other apps that use the camera, and plug an external webcam straight into \
             the computer instead of a hub. If it stays slow, restart the computer.",
            "카메라를 쓰는 다른 앱을 닫고, 외장 웹캠은 허브 대신 컴퓨터에 직접 연결해 주세요. \
             계속 느리면 컴퓨터를 다시 시작해 보세요.",
        )),
    }
}

fn fps_check(m: &CameraMeasurement) -> Check {
    let id = "camera.fps";
    let title = l("Frame rate", "프레임 속도");
    if m.frames == 0 {
        return Check::skipped(id, title, no_frames_reason());
    }
    let Some(fps) = delivered_fps(m) else {
        return Check::skipped(
            id,
            title,
            l(
                "Not judged: the capture was too short to time the frames.",
                "촬영 시간이 너무 짧아 프레임 속도를 재지 못했어요.",
            ),
        );
    };
    let warn_below = fps_warn_threshold(m.requested_fps);
    let threshold = format!(">= {warn_below:.0} fps; fail < {FPS_FAIL:.0} fps");
    let requested = m.requested_fps.is_finite() && m.requested_fps > 0.0;
    let (req_en, req_ko) = if requested {
        (
            format!(" ({:.0} fps requested)", m.requested_fps),
            format!("(요청: {:.0} fps)", m.requested_fps),
        )
    } else {
        (String::new(), String::new())
    };
    let status = if fps < FPS_FAIL {
        Status::Fail
    } else if fps < warn_below {
        Status::Warn
    } else {
        Status::Pass
    };
    let summary = match status {
        Status::Pass => l(
            format!("The camera delivers {fps:.1} fps{req_en}."),
            format!("카메라가 초당 {fps:.1}프레임을 보내요{req_ko}."),
        ),
        Status::Warn => l(
            format!("The camera delivers only {fps:.1} fps{req_en}; motion will look choppy."),
            format!("카메라가 초당 {fps:.1}프레임만 보내요{req_ko}. 움직임이 끊겨 보일 수 있어요."),
        ),
        _ => l(
            format!(
                "The camera delivers only {fps:.1} fps{req_en}; the picture will stutter badly."
            ),
            format!("카메라가 초당 {fps:.1}프레임만 보내요{req_ko}. 화면이 심하게 끊겨요."),
        ),
    };
    let mut check = Check::new(id, status, title, summary)
        .measured(fps, Unit::Fps)
        .threshold(threshold);
    if status != Status::Pass {
        check = check.fix(l(
            "Add light in front of you (many webcams halve their frame rate in dim light), plug \
             the camera straight into a USB 3 port instead of a hub, try another cable, and \
             close apps that use the camera or load the CPU heavily.",
            "얼굴 앞의 조명을 밝게 해 주세요(많은 웹캠이 어두우면 프레임 속도를 절반으로 낮춰요). \
             카메라를 허브 대신 컴퓨터의 USB 3 포트에 직접 꽂고, 다른 케이블도 써 보세요. \
             카메라를 쓰거나 CPU를 많이 쓰는 앱도 닫아 주세요.",
        ));
    }
    check
}

fn resolution_check(m: &CameraMeasurement) -> Check {
    let id = "camera.resolution";
    let title = l("Resolution", "해상도");
    let (dw, dh) = (m.delivered_width, m.delivered_height);
    if dw == 0 || dh == 0 {
        return Check::skipped(
            id,
            title,
            if m.frames == 0 {
                no_frames_reason()
            } else {
                l(
                    "Not judged: the camera did not report its picture size.",
                    "카메라가 화면 크기를 알려 주지 않아 판단하지 않았어요.",
                )
            },
        );
    }
    let requested = m.requested_width > 0 && m.requested_height > 0;
    let (rw, rh) = if requested {
        (m.requested_width, m.requested_height)
    } else {
        RESOLUTION_FLOOR
    };
    let threshold = format!(">= {rw}x{rh}");
    if dw >= rw && dh >= rh {
        let (en, ko) = if requested {
            (
                format!("The camera delivers {dw}x{dh} ({rw}x{rh} requested)."),
                format!("카메라가 {dw}x{dh} 화면을 보내요(요청: {rw}x{rh})."),
            )
        } else {
            (
                format!("The camera delivers {dw}x{dh}."),
                format!("카메라가 {dw}x{dh} 화면을 보내요."),
            )
        };
        return Check::new(id, Status::Pass, title, l(en, ko))
            .measured(dh as f64, Unit::Pixels)
            .threshold(threshold);
    }
    let (en, ko) = if requested {
        (
            format!(
                "The camera delivers {dw}x{dh}, smaller than the {rw}x{rh} requested; you may \
                 look blurry."
            ),
            format!(
                "카메라가 요청한 {rw}x{rh}보다 작은 {dw}x{dh} 화면을 보내요. 화면이 흐릿하게 \
                 보일 수 있어요."
            ),
        )
    } else {
        (
            format!("The camera delivers only {dw}x{dh}; you may look blurry."),
            format!("카메라가 {dw}x{dh} 화면만 보내요. 화면이 흐릿하게 보일 수 있어요."),
        )
    };
    Check::new(id, Status::Warn, title, l(en, ko))
        .measured(dh as f64, Unit::Pixels)
        .threshold(threshold)
        .fix(l(
            format!(
                "Plug the camera straight into a USB 3 port (USB 2 hubs limit the resolution), \
                 close other apps that use the camera, or choose a camera that supports \
                 {rw}x{rh}."
            ),
            format!(
                "카메라를 USB 3 포트에 직접 꽂아 주세요(USB 2 허브는 해상도를 제한해요). \
                 카메라를 쓰는 다른 앱을 닫거나 {rw}x{rh}를 지원하는 카메라를 골라 주세요."
            ),
        ))
}

/// Medians of the per-frame statistics.
struct Medians {
    mean_luma: f64,
    dark_share: f64,
    bright_share: f64,
    uniformity: f64,
}

impl Medians {
    fn of(frames: &[FrameStats]) -> Option<Self> {
        Some(Self {
            mean_luma: median(frames.iter().map(|s| s.mean_luma))?,
            dark_share: median(frames.iter().map(|s| s.dark_share))?,
            bright_share: median(frames.iter().map(|s| s.bright_share))?,
            uniformity: median(frames.iter().map(|s| s.uniformity))?,
        })
    }

    fn is_black(&self) -> bool {
        self.mean_luma < BLACK_MEAN_LUMA && self.dark_share > BLACK_DARK_SHARE
    }

    fn overexposure(&self) -> Status {
        if self.bright_share > OVEREXPOSED_FAIL_SHARE {
            Status::Fail
        } else if self.bright_share > OVEREXPOSED_WARN_SHARE
            || self.mean_luma > OVEREXPOSED_MEAN_LUMA
        {
            Status::Warn
        } else {
            Status::Pass
        }
    }

    fn is_flat_card(&self) -> bool {
        self.uniformity > UNIFORM_FAIL
    }
}

fn pct(share: f64) -> f64 {
    share * 100.0
}

fn black_check(md: &Medians) -> Check {
    let id = "camera.black";
    let title = l("Black picture", "검은 화면");
    let threshold = format!(
        "mean luma >= {BLACK_MEAN_LUMA:.0} or dark pixels <= {:.0} %",
        pct(BLACK_DARK_SHARE)
    );
    let (lu, dk) = (md.mean_luma, pct(md.dark_share));
    if md.is_black() {
        Check::new(
            id,
            Status::Fail,
            title,
            l(
                format!(
                    "The picture is black (mean brightness {lu:.1} of 255, {dk:.0} % of pixels \
                     near black): the privacy shutter may be closed or the lens covered."
                ),
                format!(
                    "화면이 검게 나와요(평균 밝기 {lu:.1}/255, 픽셀의 {dk:.0} %가 거의 검은색). \
                     프라이버시 셔터가 닫혀 있거나 렌즈가 가려져 있을 수 있어요."
                ),
            ),
        )
        .measured(lu, Unit::Count)
        .threshold(threshold)
        .fix(l(
            "Open the privacy shutter or slide cover on the camera, remove any lens cap or \
             sticker, and check the laptop's camera key (often F8 or F10 with a camera icon). \
             Then press Check again.",
            "카메라의 프라이버시 셔터나 슬라이드 덮개를 열고, 렌즈 캡이나 스티커를 떼 주세요. \
             노트북이라면 카메라 단축키(카메라 그림이 있는 F8, F10 등)도 확인한 뒤 다시 점검해 \
             주세요.",
        ))
    } else {
        Check::new(
            id,
            Status::Pass,
            title,
            l(
                format!("The picture is not black (mean brightness {lu:.0} of 255)."),
                format!("화면이 검지 않아요(평균 밝기 {lu:.0}/255)."),
            ),
        )
        .measured(lu, Unit::Count)
        .threshold(threshold)
    }
}

fn frozen_check(m: &CameraMeasurement, md: &Medians) -> Check {
    let id = "camera.frozen";
    let title = l("Frozen picture", "멈춘 화면");
    if md.is_black() {
        return Check::skipped(
            id,
            title,
            l(
                "Not judged: the picture is black, so motion cannot be seen.",
                "화면이 검게 나와서 움직임을 판단하지 않았어요.",
            ),
        );
    }
    if md.is_flat_card() {
        return Check::skipped(
            id,
            title,
            l(
                "Not judged: the picture is a flat card with nothing to move.",
                "화면이 단색 대체 화면이라 움직임을 판단하지 않았어요.",
            ),
        );
    }
    if md.overexposure() == Status::Fail {
        return Check::skipped(
            id,
            title,
            l(
                "Not judged: the picture is washed out, so motion cannot be seen.",
                "화면이 하얗게 날아가서 움직임을 판단하지 않았어요.",
            ),
        );
    }
    let Some(d) = median(m.diffs.iter().copied()) else {
        return Check::skipped(
            id,
            title,
            l(
                "Not judged: at least two frames are needed to compare.",
                "비교할 프레임이 두 개 이상 필요해서 판단하지 않았어요.",
            ),
        );
    };
    let threshold = format!("median diff >= {FROZEN_WARN_DIFF}; fail < {FROZEN_FAIL_DIFF}");
    let shown = if d.is_finite() { d } else { 255.0 };
    if d < FROZEN_FAIL_DIFF {
        Check::new(
            id,
            Status::Fail,
            title,
            l(
                format!(
                    "The camera repeats the same frame (median difference {d:.2}): the picture \
                     is frozen."
                ),
                format!(
                    "카메라가 같은 프레임을 계속 보내요(차이 중앙값 {d:.2}). 화면이 멈춰 있어요."
                ),
            ),
        )
        .measured(shown, Unit::Ratio)
        .threshold(threshold)
        .fix(l(
            "Unplug the camera and plug it back in (into another USB port if you can), close \
             apps that may hold it (Zoom, Teams, OBS), and if this is a virtual camera, make \
             sure its source app is running.",
            "카메라를 뽑았다가 다시 꽂아 주세요(가능하면 다른 USB 포트에). 카메라를 잡고 있을 수 \
             있는 앱(Zoom, Teams, OBS)을 닫고, 가상 카메라라면 원본 앱이 실행 중인지 확인해 \
             주세요.",
        ))
    } else if d < FROZEN_WARN_DIFF {
        Check::new(
            id,
            Status::Warn,
            title,
            l(
                format!(
                    "Consecutive frames barely change (median difference {d:.2}); the picture \
                     may be stuck."
                ),
                format!(
                    "연속된 프레임이 거의 바뀌지 않아요(차이 중앙값 {d:.2}). 화면이 멈췄을 수 \
                     있어요."
                ),
            ),
        )
        .measured(shown, Unit::Ratio)
        .threshold(threshold)
        .fix(l(
            "Move in front of the camera and press Check again. If the preview still does not \
             move, close other camera apps and reconnect the camera.",
            "카메라 앞에서 움직여 본 뒤 다시 점검해 주세요. 그래도 미리보기가 움직이지 않으면 \
             카메라를 쓰는 다른 앱을 닫고 카메라를 다시 연결해 주세요.",
        ))
    } else {
        Check::new(
            id,
            Status::Pass,
            title,
            l(
                format!("The picture is live (median frame difference {shown:.2})."),
                format!("화면이 정상적으로 움직여요(프레임 차이 중앙값 {shown:.2})."),
            ),
        )
        .measured(shown, Unit::Ratio)
        .threshold(threshold)
    }
}

fn dark_check(md: &Medians) -> Check {
    let id = "camera.dark";
    let title = l("Lighting", "조명");
    if md.is_black() {
        return Check::skipped(
            id,
            title,
            l(
                "Not judged: the picture is black; see the black-picture check.",
                "화면이 검게 나와서 판단하지 않았어요. 검은 화면 항목을 먼저 확인해 주세요.",
            ),
        );
    }
    let lu = md.mean_luma;
    let threshold = format!("mean luma >= {DARK_MEAN_LUMA:.0}");
    if lu < DARK_MEAN_LUMA {
        Check::new(
            id,
            Status::Warn,
            title,
            l(
                format!(
                    "The picture is dark (mean brightness {lu:.0} of 255): your face will be \
                     hard to see and the camera may lower its frame rate."
                ),
                format!(
                    "화면이 어두워요(평균 밝기 {lu:.0}/255). 얼굴이 잘 보이지 않고 카메라가 \
                     프레임 속도를 낮출 수 있어요."
                ),
            ),
        )
        .measured(lu, Unit::Count)
        .threshold(threshold)
        .fix(l(
            "Add light in front of you: a lamp or a window behind the camera, facing you. Avoid \
             a bright window behind you.",
            "카메라 앞의 조명을 밝게 해 주세요. 스탠드나 창문이 카메라 뒤쪽에서 얼굴을 비추게 \
             하고, 등 뒤에 밝은 창문이 오지 않게 해 주세요.",
        ))
    } else {
        Check::new(
            id,
            Status::Pass,
            title,
            l(
                format!("The picture is bright enough (mean brightness {lu:.0} of 255)."),
                format!("화면이 충분히 밝아요(평균 밝기 {lu:.0}/255)."),
            ),
        )
        .measured(lu, Unit::Count)
        .threshold(threshold)
    }
}

fn overexposed_check(md: &Medians) -> Check {
    let id = "camera.overexposed";
    let title = l("Overexposure", "노출 과다");
    let (b, lu) = (pct(md.bright_share), md.mean_luma);
    let threshold = format!(
        "blown-out <= {:.0} % and mean luma <= {OVEREXPOSED_MEAN_LUMA:.0}; fail > {:.0} %",
        pct(OVEREXPOSED_WARN_SHARE),
        pct(OVEREXPOSED_FAIL_SHARE)
    );
    let status = md.overexposure();
    let summary = match status {
        Status::Pass => l(
            format!("{b:.0} % of the picture is blown out (mean brightness {lu:.0} of 255)."),
            format!("화면의 {b:.0} %만 하얗게 날아갔어요(평균 밝기 {lu:.0}/255)."),
        ),
        Status::Warn => l(
            format!(
                "The picture is too bright: {b:.0} % is blown out (mean brightness {lu:.0} of \
                 255)."
            ),
            format!(
                "화면이 너무 밝아요. 화면의 {b:.0} %가 하얗게 날아갔어요(평균 밝기 {lu:.0}/255)."
            ),
        ),
        _ => l(
            format!(
                "Most of the picture is white: {b:.0} % is blown out (mean brightness {lu:.0} \
                 of 255)."
            ),
            format!(
                "화면 대부분이 하얗게 나와요. 화면의 {b:.0} %가 하얗게 날아갔어요(평균 밝기 \
                 {lu:.0}/255)."
            ),
        ),
    };
    let mut check = Check::new(id, status, title, summary)
        .measured(b, Unit::Percent)
        .threshold(threshold);
    if status != Status::Pass {
        check = check.fix(l(
            "Turn away from direct sunlight or a bright window, dim the lamp that points at the \
             camera, and turn off any manual exposure or brightness boost in the camera settings.",
            "직사광선이나 밝은 창문을 피해 방향을 바꾸고, 카메라를 향한 조명을 줄여 주세요. \
             카메라 설정에서 수동 노출이나 밝기 보정도 꺼 주세요.",
        ));
    }
    check
}

fn uniform_check(md: &Medians) -> Check {
    let id = "camera.uniform";
    let title = l("Flat picture", "단색 화면");
    if md.is_black() {
        return Check::skipped(
            id,
            title,
            l(
                "Not judged: the picture is black; see the black-picture check.",
                "화면이 검게 나와서 판단하지 않았어요. 검은 화면 항목을 먼저 확인해 주세요.",
            ),
        );
    }
    if md.overexposure() == Status::Fail {
        return Check::skipped(
            id,
            title,
            l(
                "Not judged: the picture is washed out; see the overexposure check.",
                "화면이 하얗게 날아가서 판단하지 않았어요. 노출 과다 항목을 먼저 확인해 주세요.",
            ),
        );
    }
    let u = pct(md.uniformity);
    let threshold = format!("flat blocks <= {:.0} %", pct(UNIFORM_FAIL));
    if md.is_flat_card() {
        Check::new(
            id,
            Status::Fail,
            title,
            l(
                format!(
                    "{u:.0} % of the picture is one flat colour: the camera shows a placeholder \
                     card (a closed shutter, or a virtual camera whose source is off), not you."
                ),
                format!(
                    "화면의 {u:.0} %가 한 가지 색이에요. 카메라가 사용자 대신 대체 화면(닫힌 \
                     셔터나 원본이 꺼진 가상 카메라)을 보내고 있어요."
                ),
            ),
        )
        .measured(u, Unit::Percent)
        .threshold(threshold)
        .fix(l(
            "Open the camera's privacy shutter. If this is a virtual camera (OBS, Snap Camera, \
             ManyCam...), start its source, or pick your real webcam in the camera list.",
            "카메라의 프라이버시 셔터를 열어 주세요. 가상 카메라(OBS, Snap Camera, ManyCam 등)라면 \
             원본을 켜거나 카메라 목록에서 실제 웹캠을 골라 주세요.",
        ))
    } else {
        Check::new(
            id,
            Status::Pass,
            title,
            l(
                format!("The picture has detail ({u:.0} % of it is flat)."),
                format!("화면에 디테일이 있어요(단색 영역 {u:.0} %)."),
            ),
        )
        .measured(u, Unit::Percent)
        .threshold(threshold)
    }
}

/// Name fragments of well-known virtual cameras, lower case.
const VIRTUAL_MARKERS: &[&str] = &[
    "virtual",
    "virtualcam",
    "v4l2loopback",
    "v4l2 loopback",
    "dummy video device",
    "snap camera",
    "manycam",
    "xsplit",
    "nvidia broadcast",
    "mmhmm",
    "splitcam",
    "e2esoft",
    "vcam",
    "chromacam",
    "camtwist",
    "altercam",
    "logi capture",
    "unity video capture",
    "youcam",
];

/// Whole words that mark a virtual camera (too short to match as fragments).
const VIRTUAL_WORDS: &[&str] = &["camo", "obs"];

/// Whether a device name looks like a virtual camera (OBS Virtual Camera, v4l2loopback's
/// "Dummy video device", Snap Camera, ManyCam, XSplit, NVIDIA Broadcast, mmhmm, Camo, ...).
pub fn is_virtual_camera_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    VIRTUAL_MARKERS.iter().any(|m| lower.contains(m))
        || lower
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| VIRTUAL_WORDS.contains(&w))
}

fn virtual_check(name: &str) -> Check {
    let id = "camera.virtual";
    let title = l("Camera type", "카메라 종류");
    let quoted = format!("'{}'", name.trim());
    if is_virtual_camera_name(name) {
        Check::new(
            id,
            Status::Warn,
            title,
            l(
                format!(
                    "{quoted} is a virtual camera: it shows whatever another app sends, which \
                     can be a still image or nothing when that app is closed."
                ),
                format!(
                    "{} 가상 카메라예요. 다른 앱이 보내는 화면을 그대로 보여 주기 때문에 그 앱이 \
                     꺼져 있으면 정지 화면이나 빈 화면이 나올 수 있어요.",
                    josa(&quoted, "은", "는")
                ),
            ),
        )
        .fix(l(
            "If you did not mean to use it, pick your real webcam in the camera list. If you \
             did, keep its source app running during the interview.",
            "의도한 것이 아니라면 카메라 목록에서 실제 웹캠을 골라 주세요. 의도한 것이라면 면접 \
             내내 원본 앱을 켜 두세요.",
        ))
    } else {
        Check::new(
            id,
            Status::Pass,
            title,
            l(
                format!("{quoted} looks like a physical camera."),
                format!("{} 실제 카메라로 보여요.", josa(&quoted, "은", "는")),
            ),
        )
    }
}

/// All picture verdicts for one capture, in this order: `camera.first_frame`,
/// `camera.fps`, `camera.resolution`, `camera.black`, `camera.frozen`, `camera.dark`,
/// `camera.overexposed`, `camera.uniform`, `camera.virtual`.
///
/// Picture checks use medians over `per_frame` and `diffs`, so one odd frame does not
/// decide. When the picture is black, `frozen`, `dark` and `uniform` are skipped; a flat
/// card or a washed-out picture skips `frozen`, and a washed-out picture skips `uniform`,
/// so one cause gives one failure. With no analysed frames the picture checks are skipped.
pub fn camera_checks(m: &CameraMeasurement) -> Vec<Check> {
    let mut checks = vec![first_frame_check(m), fps_check(m), resolution_check(m)];
    match Medians::of(&m.per_frame) {
        Some(md) => {
            checks.push(black_check(&md));
            checks.push(frozen_check(m, &md));
            checks.push(dark_check(&md));
            checks.push(overexposed_check(&md));
            checks.push(uniform_check(&md));
        }
        None => {
            let titles = [
                ("camera.black", l("Black picture", "검은 화면")),
                ("camera.frozen", l("Frozen picture", "멈춘 화면")),
                ("camera.dark", l("Lighting", "조명")),
                ("camera.overexposed", l("Overexposure", "노출 과다")),
                ("camera.uniform", l("Flat picture", "단색 화면")),
            ];
            checks.extend(
                titles
                    .into_iter()
                    .map(|(id, title)| Check::skipped(id, title, no_frames_reason())),
            );
        }
    }
    checks.push(virtual_check(&m.device_name));
    checks
}

/// Verdict on opening the camera (`camera.opens`); `device` is its name, `None` for the
/// system default.
pub fn camera_open_check(device: Option<&str>, result: Result<(), CameraOpenFailure>) -> Check {
    let id = "camera.opens";
    let title = l("Camera opens", "카메라 연결");
    let (name_en, name_ko) = match device.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => (format!("'{d}'"), format!("'{d}'")),
        None => ("The default camera".to_owned(), "기본 카메라".to_owned()),
    };
    let failure = match result {
        Ok(()) => {
            return Check::new(
                id,
                Status::Pass,
                title,
                l(
                    format!("{name_en} opened."),
                    format!("{} 정상적으로 열렸어요.", josa(&name_ko, "이", "가")),
                ),
            );
        }
        Err(f) => f,
    };
    let (summary, fix) = match failure {
        CameraOpenFailure::NoCamera => (
            l("No camera was found.", "카메라를 찾지 못했어요."),
            l(
                "Plug in a webcam or turn on the built-in one (some laptops have a camera key \
                 or a camera switch in the firmware settings), then press Check again.",
                "웹캠을 연결하거나 내장 카메라를 켜 주세요(일부 노트북은 카메라 단축키나 BIOS \
                 설정에서 켜야 해요). 그다음 다시 점검해 주세요.",
            ),
        ),
        CameraOpenFailure::Busy => (
            l(
                format!("{name_en} is in use by another app."),
                format!("다른 앱이 {} 사용하고 있어요.", josa(&name_ko, "을", "를")),
            ),
            l(
                "Close Zoom, Teams, OBS, Discord or any browser tab with a video call, then \
                 press Check again.",
                "Zoom, Teams, OBS, Discord나 화상 통화 중인 브라우저 탭을 닫은 뒤 다시 점검해 \
                 주세요.",
            ),
        ),
        CameraOpenFailure::PermissionDenied => (
            l(
                "Greenroom is not allowed to use the camera.",
                "Greenroom에 카메라 사용 권한이 없어요.",
            ),
            l(
                "Allow camera access for Greenroom: on macOS in System Settings > Privacy & \
                 Security > Camera, on Windows in Settings > Privacy & security > Camera. On \
                 Linux, add your user to the 'video' group and log in again.",
                "Greenroom의 카메라 접근을 허용해 주세요. macOS는 시스템 설정 > 개인정보 보호 및 \
                 보안 > 카메라, Windows는 설정 > 개인 정보 및 보안 > 카메라에서 허용할 수 있어요. \
                 Linux에서는 사용자를 'video' 그룹에 추가한 뒤 다시 로그인해 주세요.",
            ),
        ),
        CameraOpenFailure::Unsupported => (
            l(
                format!("{name_en} offers no picture format Greenroom can read."),
                format!(
                    "{} Greenroom이 읽을 수 있는 화면 형식을 지원하지 않아요.",
                    josa(&name_ko, "이", "가")
                ),
            ),
            l(
                "Pick another camera or resolution, update the camera driver, or unplug the \
                 camera and plug it back in.",
                "다른 카메라나 해상도를 골라 보고, 카메라 드라이버를 업데이트하거나 카메라를 \
                 다시 연결해 주세요.",
            ),
        ),
        CameraOpenFailure::Gone => (
            l(
                format!("{name_en} was disconnected."),
                format!("{name_ko}의 연결이 끊어졌어요."),
            ),
            l(
                "Reconnect the camera (try another USB port or cable), pick it again in the \
                 camera list, and press Check again.",
                "카메라를 다시 연결하고(다른 USB 포트나 케이블도 써 보세요), 카메라 목록에서 다시 \
                 고른 뒤 다시 점검해 주세요.",
            ),
        ),
    };
    Check::new(id, Status::Fail, title, summary).fix(fix)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::{frame_difference, frame_stats, render, LumaFrame, Pattern};

    const IDS: [&str; 9] = [
        "camera.first_frame",
        "camera.fps",
        "camera.resolution",
        "camera.black",
        "camera.frozen",
        "camera.dark",
        "camera.overexposed",
        "camera.uniform",
        "camera.virtual",
    ];

    /// A healthy 30 fps capture of 1280x720 from "HD Webcam", with no frames analysed yet.
    fn base() -> CameraMeasurement {
        CameraMeasurement {
            device_name: "HD Webcam".into(),
            requested_width: 1280,
            requested_height: 720,
            requested_fps: 30.0,
            delivered_width: 1280,
            delivered_height: 720,
            frames: 76,
            elapsed_ms: 3000.0,
            first_frame_ms: Some(480.0),
            last_frame_ms: Some(2980.0),
            per_frame: vec![],
            diffs: vec![],
        }
    }

    /// Analyses 8 small frames of `pattern`; `frozen` renders one index repeatedly.
    fn measured(pattern: Pattern, frozen: bool) -> CameraMeasurement {
        let lumas: Vec<LumaFrame> = (0..8)
            .map(|i| {
                let index = if frozen { 3 } else { i };
                LumaFrame::from_rgb(&render(pattern, 160, 90, index))
            })
            .collect();
        CameraMeasurement {
            per_frame: lumas.iter().map(frame_stats).collect(),
            diffs: lumas
                .windows(2)
                .map(|p| frame_difference(&p[0], &p[1]))
                .collect(),
            ..base()
        }
    }

    fn stats(mean_luma: f64, dark: f64, bright: f64, uniformity: f64) -> FrameStats {
        FrameStats {
            mean_luma,
            luma_std: 30.0,
            dark_share: dark,
            bright_share: bright,
            uniformity,
        }
    }

    /// A measurement whose frames all have the given stats and live diffs.
    fn with_stats(s: FrameStats) -> CameraMeasurement {
        CameraMeasurement {
            per_frame: vec![s; 5],
            diffs: vec![3.0; 4],
            ..base()
        }
    }

    fn get<'a>(checks: &'a [Check], id: &str) -> &'a Check {
        checks
            .iter()
            .find(|c| c.id == id)
            .unwrap_or_else(|| panic!("no check {id}"))
    }

    fn status(m: &CameraMeasurement, id: &str) -> Status {
        get(&camera_checks(m), id).status
    }

    fn has_hangul(s: &str) -> bool {
        s.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
    }

    fn assert_well_formed(c: &Check) {
        assert!(
            has_hangul(&c.title.ko),
            "{}: title.ko {:?}",
            c.id,
            c.title.ko
        );
        assert!(has_hangul(&c.summary.ko), "{}: {:?}", c.id, c.summary.ko);
        assert!(
            !c.title.en.is_empty() && !c.summary.en.is_empty(),
            "{}",
            c.id
        );
        match c.status {
            Status::Warn | Status::Fail => {
                let fix = c.fix.as_ref().unwrap_or_else(|| panic!("{}: no fix", c.id));
                assert!(has_hangul(&fix.ko), "{}: fix.ko {:?}", c.id, fix.ko);
                assert!(!fix.en.is_empty(), "{}", c.id);
            }
            Status::Pass | Status::Skipped => assert!(c.fix.is_none(), "{}", c.id),
        }
        if c.measured.is_some() {
            assert!(
                c.threshold.is_some(),
                "{}: measured without threshold",
                c.id
            );
        }
    }

    #[test]
    fn scene_passes_every_check_in_order() {
        let checks = camera_checks(&measured(Pattern::Scene, false));
        let ids: Vec<_> = checks.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, IDS);
        for c in &checks {
            assert_eq!(c.status, Status::Pass, "{c:?}");
            assert_well_formed(c);
        }
        assert_eq!(crate::verdict::overall(&checks), Status::Pass);
    }

    #[test]
    fn black_fails_once_and_skips_the_rest() {
        let m = measured(Pattern::Black, false);
        assert!(m.per_frame.iter().all(|s| s.mean_luma < 5.0));
        let checks = camera_checks(&m);
        let black = get(&checks, "camera.black");
        assert_eq!(black.status, Status::Fail);
        assert!(black.measured.unwrap().value < 5.0);
        assert!(black.fix.as_ref().unwrap().en.contains("shutter"));
        for id in ["camera.frozen", "camera.dark", "camera.uniform"] {
            let c = get(&checks, id);
            assert_eq!(c.status, Status::Skipped, "{id}");
            assert!(c.summary.en.contains("black"), "{id}");
        }
        assert_eq!(get(&checks, "camera.overexposed").status, Status::Pass);
        checks.iter().for_each(assert_well_formed);
    }

    #[test]
    fn black_boundaries() {
        assert_eq!(
            status(&with_stats(stats(7.9, 0.96, 0.0, 1.0)), "camera.black"),
            Status::Fail
        );
        assert_eq!(
            status(&with_stats(stats(8.0, 0.96, 0.0, 0.0)), "camera.black"),
            Status::Pass
        );
        assert_eq!(
            status(&with_stats(stats(7.9, 0.95, 0.0, 0.0)), "camera.black"),
            Status::Pass
        );
    }

    #[test]
    fn repeated_frames_are_frozen() {
        let m = measured(Pattern::Scene, true);
        assert!(m.diffs.iter().all(|&d| d == 0.0));
        let checks = camera_checks(&m);
        let c = get(&checks, "camera.frozen");
        assert_eq!(c.status, Status::Fail);
        assert_eq!(c.measured.unwrap().value, 0.0);
        // A frozen scene is still a proper picture: the other picture checks pass.
        for id in [
            "camera.black",
            "camera.dark",
            "camera.overexposed",
            "camera.uniform",
        ] {
            assert_eq!(get(&checks, id).status, Status::Pass, "{id}");
        }
    }

    #[test]
    fn frozen_boundaries_use_the_median() {
        let s = stats(120.0, 0.0, 0.0, 0.1);
        let with_diffs = |diffs: Vec<f64>| CameraMeasurement {
            per_frame: vec![s; 3],
            diffs,
            ..base()
        };
        assert_eq!(
            status(&with_diffs(vec![0.19; 3]), "camera.frozen"),
            Status::Fail
        );
        assert_eq!(
            status(&with_diffs(vec![0.2; 3]), "camera.frozen"),
            Status::Warn
        );
        assert_eq!(
            status(&with_diffs(vec![0.49; 3]), "camera.frozen"),
            Status::Warn
        );
        assert_eq!(
            status(&with_diffs(vec![0.5; 3]), "camera.frozen"),
            Status::Pass
        );
        // One moving frame among still ones does not rescue a frozen camera ...
        assert_eq!(
            status(&with_diffs(vec![0.0, 0.0, 40.0]), "camera.frozen"),
            Status::Fail
        );
        // ... and a size change (infinite difference) reads as movement.
        assert_eq!(
            status(&with_diffs(vec![f64::INFINITY; 2]), "camera.frozen"),
            Status::Pass
        );
        assert_eq!(
            status(&with_diffs(vec![]), "camera.frozen"),
            Status::Skipped
        );
    }

    #[test]
    fn dark_scene_warns_dark_only() {
        let m = measured(Pattern::Dark, false);
        let checks = camera_checks(&m);
        let dark = get(&checks, "camera.dark");
        assert_eq!(dark.status, Status::Warn);
        let v = dark.measured.unwrap().value;
        assert!((20.0..30.0).contains(&v), "{v}");
        assert!(dark.fix.as_ref().unwrap().ko.contains("조명"));
        for c in checks.iter().filter(|c| c.id != "camera.dark") {
            assert_eq!(c.status, Status::Pass, "{c:?}");
        }
    }

    #[test]
    fn dark_boundary() {
        assert_eq!(
            status(&with_stats(stats(49.9, 0.3, 0.0, 0.1)), "camera.dark"),
            Status::Warn
        );
        assert_eq!(
            status(&with_stats(stats(50.0, 0.3, 0.0, 0.1)), "camera.dark"),
            Status::Pass
        );
    }

    #[test]
    fn overexposed_scene_fails_and_skips_flat_and_frozen() {
        let checks = camera_checks(&measured(Pattern::Overexposed, false));
        let c = get(&checks, "camera.overexposed");
        assert_eq!(c.status, Status::Fail);
        assert!(c.measured.unwrap().value > 60.0);
        assert_eq!(c.measured.unwrap().unit, Unit::Percent);
        assert_eq!(get(&checks, "camera.uniform").status, Status::Skipped);
        assert_eq!(get(&checks, "camera.frozen").status, Status::Skipped);
        assert_eq!(get(&checks, "camera.black").status, Status::Pass);
        checks.iter().for_each(assert_well_formed);
    }

    #[test]
    fn overexposure_boundaries() {
        let id = "camera.overexposed";
        assert_eq!(
            status(&with_stats(stats(180.0, 0.0, 0.25, 0.1)), id),
            Status::Pass
        );
        assert_eq!(
            status(&with_stats(stats(180.0, 0.0, 0.26, 0.1)), id),
            Status::Warn
        );
        assert_eq!(
            status(&with_stats(stats(220.0, 0.0, 0.1, 0.1)), id),
            Status::Pass
        );
        assert_eq!(
            status(&with_stats(stats(220.5, 0.0, 0.1, 0.1)), id),
            Status::Warn
        );
        assert_eq!(
            status(&with_stats(stats(230.0, 0.0, 0.6, 0.1)), id),
            Status::Warn
        );
        assert_eq!(
            status(&with_stats(stats(230.0, 0.0, 0.61, 0.1)), id),
            Status::Fail
        );
        // A warn does not skip the flat-picture check.
        assert_eq!(
            status(&with_stats(stats(230.0, 0.0, 0.5, 0.95)), "camera.uniform"),
            Status::Fail
        );
    }

    #[test]
    fn uniform_card_fails_uniform_not_frozen() {
        let m = measured(Pattern::Uniform, false);
        assert!(m.diffs.iter().all(|&d| d == 0.0));
        let checks = camera_checks(&m);
        let c = get(&checks, "camera.uniform");
        assert_eq!(c.status, Status::Fail);
        assert!(c.measured.unwrap().value > 90.0);
        assert_eq!(get(&checks, "camera.frozen").status, Status::Skipped);
        assert_eq!(get(&checks, "camera.black").status, Status::Pass);
        assert_eq!(get(&checks, "camera.dark").status, Status::Pass);
        checks.iter().for_each(assert_well_formed);
    }

    #[test]
    fn uniform_boundary() {
        let id = "camera.uniform";
        assert_eq!(
            status(&with_stats(stats(128.0, 0.0, 0.0, 0.9)), id),
            Status::Pass
        );
        assert_eq!(
            status(&with_stats(stats(128.0, 0.0, 0.0, 0.91)), id),
            Status::Fail
        );
    }

    #[test]
    fn first_frame_boundaries() {
        let at = |ms: Option<f64>| CameraMeasurement {
            first_frame_ms: ms,
            ..measured(Pattern::Scene, false)
        };
        assert_eq!(
            status(&at(Some(1500.0)), "camera.first_frame"),
            Status::Pass
        );
        let slow = camera_checks(&at(Some(1500.5)));
        let c = get(&slow, "camera.first_frame");
        assert_eq!(c.status, Status::Warn);
        assert_eq!(c.measured.unwrap().unit, Unit::Ms);
        assert!(c.summary.en.contains("1500") || c.summary.en.contains("1501"));
        assert_eq!(c.threshold.as_deref(), Some("<= 1500 ms"));
        assert_eq!(status(&at(None), "camera.first_frame"), Status::Fail);
    }

    #[test]
    fn no_frames_fails_first_frame_and_skips_the_picture() {
        let m = CameraMeasurement {
            frames: 0,
            first_frame_ms: None,
            last_frame_ms: None,
            delivered_width: 0,
            delivered_height: 0,
            ..base()
        };
        let checks = camera_checks(&m);
        assert_eq!(
            checks.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            IDS
        );
        assert_eq!(checks[0].status, Status::Fail);
        for c in &checks[1..8] {
            assert_eq!(c.status, Status::Skipped, "{}", c.id);
        }
        assert_eq!(checks[8].status, Status::Pass);
        checks.iter().for_each(assert_well_formed);
    }

    fn fps_case(frames: u32, first: f64, last: Option<f64>, requested: f64) -> Check {
        let m = CameraMeasurement {
            frames,
            first_frame_ms: Some(first),
            last_frame_ms: last,
            elapsed_ms: 1000.0,
            requested_fps: requested,
            ..measured(Pattern::Scene, false)
        };
        get(&camera_checks(&m), "camera.fps").clone()
    }

    #[test]
    fn eight_frames_a_second_fails_fps() {
        // 8 frames 125 ms apart: 7 intervals over 875 ms = 8 fps.
        let c = fps_case(8, 50.0, Some(925.0), 30.0);
        assert_eq!(c.status, Status::Fail);
        let v = c.measured.unwrap().value;
        assert!((v - 8.0).abs() < 1e-9, "{v}");
        assert!(c.summary.en.contains("8.0 fps") && c.summary.en.contains("30 fps"));
        assert!(c.summary.ko.contains("8.0") && c.summary.ko.contains("30"));
        assert!(c.fix.as_ref().unwrap().en.contains("USB"));
        assert_eq!(c.threshold.as_deref(), Some(">= 24 fps; fail < 10 fps"));
    }

    #[test]
    fn fps_boundaries() {
        // 21 frames over 1 s = 20 fps; requested 25 → warn below max(20, 20) = 20.
        assert_eq!(fps_case(21, 0.0, Some(1000.0), 25.0).status, Status::Pass);
        assert_eq!(fps_case(20, 0.0, Some(1000.0), 25.0).status, Status::Warn);
        // Requested 30 → warn below 24.
        assert_eq!(fps_case(25, 0.0, Some(1000.0), 30.0).status, Status::Pass);
        assert_eq!(fps_case(24, 0.0, Some(1000.0), 30.0).status, Status::Warn);
        // Requested 15: the absolute floor of 20 still applies.
        assert_eq!(fps_case(16, 0.0, Some(1000.0), 15.0).status, Status::Warn);
        // 10 fps warns, just under fails.
        assert_eq!(fps_case(11, 0.0, Some(1000.0), 30.0).status, Status::Warn);
        assert_eq!(fps_case(10, 0.0, Some(1000.0), 30.0).status, Status::Fail);
        // Unknown request: only the floor.
        let c = fps_case(31, 0.0, Some(1000.0), 0.0);
        assert_eq!(c.status, Status::Pass);
        assert_eq!(c.threshold.as_deref(), Some(">= 20 fps; fail < 10 fps"));
    }

    #[test]
    fn fps_without_last_frame_uses_the_capture_end() {
        // First frame at 200 ms, capture ends at 1000 ms, 17 frames: 16 / 0.8 s = 20 fps.
        let c = fps_case(17, 200.0, None, 0.0);
        assert!((c.measured.unwrap().value - 20.0).abs() < 1e-9);
        // A single frame: frames / elapsed.
        let one = fps_case(1, 200.0, None, 30.0);
        assert_eq!(one.status, Status::Fail);
        assert!((one.measured.unwrap().value - 1.0).abs() < 1e-9);
    }

    #[test]
    fn smaller_resolution_warns() {
        let m = CameraMeasurement {
            delivered_width: 640,
            delivered_height: 480,
            ..measured(Pattern::Scene, false)
        };
        let checks = camera_checks(&m);
        let c = get(&checks, "camera.resolution");
        assert_eq!(c.status, Status::Warn);
        assert_eq!(c.measured.unwrap().value, 480.0);
        assert_eq!(c.measured.unwrap().unit, Unit::Pixels);
        assert!(c.summary.en.contains("640x480") && c.summary.en.contains("1280x720"));
        assert!(c.summary.ko.contains("640x480"));
        assert_eq!(c.threshold.as_deref(), Some(">= 1280x720"));
        assert_well_formed(c);
        // Equal or larger passes; a narrower picture of the same height warns.
        let res = |w, h| {
            status(
                &CameraMeasurement {
                    delivered_width: w,
                    delivered_height: h,
                    ..base()
                },
                "camera.resolution",
            )
        };
        assert_eq!(res(1280, 720), Status::Pass);
        assert_eq!(res(1920, 1080), Status::Pass);
        assert_eq!(res(960, 720), Status::Warn);
        // Nothing requested: judged against the 640x360 floor.
        let unrequested = |w, h| {
            status(
                &CameraMeasurement {
                    requested_width: 0,
                    requested_height: 0,
                    delivered_width: w,
                    delivered_height: h,
                    ..base()
                },
                "camera.resolution",
            )
        };
        assert_eq!(unrequested(640, 360), Status::Pass);
        assert_eq!(unrequested(320, 240), Status::Warn);
    }

    #[test]
    fn virtual_camera_names_warn() {
        for name in [
            "OBS Virtual Camera",
            "OBS-Camera",
            "Dummy video device (0x0000)",
            "v4l2loopback",
            "Snap Camera",
            "ManyCam Virtual Webcam",
            "XSplit VCam",
            "NVIDIA Broadcast",
            "mmhmm",
            "Reincubate Camo",
            "Camo",
        ] {
            assert!(is_virtual_camera_name(name), "{name}");
            let m = CameraMeasurement {
                device_name: name.into(),
                ..measured(Pattern::Scene, false)
            };
            let checks = camera_checks(&m);
            let c = get(&checks, "camera.virtual");
            assert_eq!(c.status, Status::Warn, "{name}");
            assert!(c.summary.en.contains(name), "{name}");
            assert_well_formed(c);
        }
        for name in [
            "HD Webcam",
            "Integrated Camera: Integrated C",
            "FaceTime HD Camera",
            "Logitech BRIO",
            "Camouflage Cam 3000",
            "Jobs Cam",
        ] {
            assert!(!is_virtual_camera_name(name), "{name}");
        }
    }

    #[test]
    fn open_check_covers_every_failure() {
        let ok = camera_open_check(Some("HD Webcam"), Ok(()));
        assert_eq!((ok.id.as_str(), ok.status), ("camera.opens", Status::Pass));
        assert!(ok.summary.en.contains("HD Webcam"));
        assert_well_formed(&ok);
        let default_ok = camera_open_check(None, Ok(()));
        assert_eq!(default_ok.summary.ko, "기본 카메라가 정상적으로 열렸어요.");

        let failures = [
            CameraOpenFailure::NoCamera,
            CameraOpenFailure::Busy,
            CameraOpenFailure::PermissionDenied,
            CameraOpenFailure::Unsupported,
            CameraOpenFailure::Gone,
        ];
        let mut fixes = std::collections::HashSet::new();
        let mut summaries = std::collections::HashSet::new();
        for f in failures {
            let c = camera_open_check(Some("HD Webcam"), Err(f));
            assert_eq!(c.status, Status::Fail, "{f:?}");
            assert_well_formed(&c);
            summaries.insert(c.summary.en.clone());
            fixes.insert(c.fix.unwrap().en);
            assert!(!f.code().is_empty() && !f.to_string().is_empty());
            assert_well_formed(&camera_open_check(None, Err(f)));
        }
        assert_eq!(fixes.len(), failures.len());
        assert_eq!(summaries.len(), failures.len());
        let busy = camera_open_check(None, Err(CameraOpenFailure::Busy));
        assert!(busy.fix.as_ref().unwrap().en.contains("Zoom"));
        assert_eq!(busy.summary.ko, "다른 앱이 기본 카메라를 사용하고 있어요.");
        let denied = camera_open_check(None, Err(CameraOpenFailure::PermissionDenied));
        assert!(denied.fix.as_ref().unwrap().en.contains("Privacy"));
    }

    #[test]
    fn korean_particles_follow_the_last_syllable() {
        assert_eq!(josa("카메라", "이", "가"), "카메라가");
        assert_eq!(josa("웹캠", "이", "가"), "웹캠이");
        assert_eq!(josa("'HD Webcam'", "은", "는"), "'HD Webcam'은(는)");
        assert_eq!(josa("'카메라'", "을", "를"), "'카메라'를");
    }

    #[test]
    fn every_outcome_has_korean_text() {
        let mut all = Vec::new();
        for p in crate::frame::Pattern::ALL {
            all.extend(camera_checks(&measured(p, false)));
            all.extend(camera_checks(&measured(p, true)));
        }
        all.extend(camera_checks(&CameraMeasurement {
            device_name: "OBS Virtual Camera".into(),
            frames: 3,
            first_frame_ms: Some(2500.0),
            delivered_width: 320,
            delivered_height: 240,
            ..with_stats(stats(30.0, 0.2, 0.3, 0.2))
        }));
        for s in [Status::Pass, Status::Skipped, Status::Warn, Status::Fail] {
            assert!(all.iter().any(|c| c.status == s), "{s:?} not covered");
        }
        all.iter().for_each(assert_well_formed);
    }

    #[test]
    fn measurement_round_trips_through_json() {
        // Binary-exact values: serde_json's default float parsing may differ in the last bit.
        let m = with_stats(stats(120.5, 0.25, 0.125, 0.5));
        let json = serde_json::to_string(&m).unwrap();
        let back: CameraMeasurement = serde_json::from_str(&json).unwrap();
        assert_eq!(back, m);
        // `last_frame_ms` may be left out by older callers.
        let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
        v.as_object_mut().unwrap().remove("last_frame_ms");
        let older: CameraMeasurement = serde_json::from_value(v).unwrap();
        assert_eq!(older.last_frame_ms, None);
        assert_eq!(
            serde_json::to_string(&CameraOpenFailure::PermissionDenied).unwrap(),
            "\"permission_denied\""
        );
    }
}

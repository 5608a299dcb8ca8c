//! On-camera presence: what the face boxes of a face detector show about a take or a
//! preflight capture.
//!
//! The engine runs a face detector on a few sampled frames per second, turns each one into
//! a [`PresenceSample`] with [`observe`] (face boxes plus two brightness means measured on
//! the frame's luma), and reduces a take's samples with [`summarize`]. The Check screen
//! turns a short capture's [`PresenceSummary`] into verdicts with [`framing_checks`]; the
//! review screen shows [`presence_cards`].
//!
//! Only what can be observed is reported: whether a face is in the picture, where it sits,
//! how big it is, whether it is darker than the background, whether a second face is
//! there, and whether the face was lost while the person stayed in the picture (a frontal
//! detector stops finding a face that turns away). Never emotions, attention or
//! confidence.
//!
//! Everything is deterministic and never panics on odd input: boxes that are not finite or
//! have no area are ignored, frames of size zero give no geometry, and no output holds a
//! NaN.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::coach::{GoodRange, Judgement, MetricCard, MetricUnit, RangeStatus};
use crate::frame::LumaFrame;
use crate::stats::median;
use crate::verdict::{l, Check, Localized, Status, Unit};

/// Share of the largest face box (of its width and of its height, centred) whose mean luma
/// is the face's brightness.
pub const FACE_INNER_SHARE: f32 = 0.6;
/// Margin around the largest face box, in box widths, left out of the surround's luma (hair,
/// neck and shoulders are neither face nor background).
pub const SURROUND_MARGIN: f32 = 0.25;
/// A face box within this share of the frame size of an edge touches that edge.
pub const EDGE_SHARE: f64 = 0.10;

/// `camera.framing` warns "no face" when a face is found in this share of the samples or
/// fewer. A warning, not a failure: the camera works, the user may just not sit in front
/// of it yet.
pub const FRAMING_FAIL_VISIBLE_SHARE: f64 = 0.5;
/// Face centre further below the frame centre than this share of the height warns.
pub const LOW_OFFSET: f64 = 0.12;
/// Face centre further above the frame centre than this share of the height warns.
pub const HIGH_OFFSET: f64 = 0.15;
/// Face centre further sideways than this share of the width warns.
pub const SIDE_OFFSET: f64 = 0.15;
/// Face height below this share of the frame height warns (too far).
pub const MIN_FACE_HEIGHT: f64 = 0.15;
/// Face height above this share of the frame height warns (too close).
pub const MAX_FACE_HEIGHT: f64 = 0.55;
/// Face luma / surround luma below this warns as backlit.
pub const BACKLIGHT_MIN_RATIO: f64 = 0.6;
/// `camera.faces` warns when a second face is in more than this share of the samples.
pub const MULTIPLE_FACES_WARN_SHARE: f64 = 0.3;

/// Card `presence.visible`: good at or above this percentage.
pub const CARD_VISIBLE_MIN_PCT: f64 = 90.0;
/// Card `presence.away`: good at or below this percentage.
pub const CARD_AWAY_MAX_PCT: f64 = 10.0;
/// Card `presence.out_of_frame`: good at or below this percentage.
pub const CARD_OUT_OF_FRAME_MAX_PCT: f64 = 5.0;
/// Card `presence.centring`: good at or below this percentage.
pub const CARD_CENTRING_MAX_PCT: f64 = 12.0;
/// Card `presence.size`: good within this range of percentages.
pub const CARD_SIZE_PCT: (f64, f64) = (15.0, 55.0);
/// Card `presence.backlight`: good at or above this percentage.
pub const CARD_BACKLIGHT_MIN_PCT: f64 = 60.0;
/// Card `presence.faces`: good at or below this percentage.
pub const CARD_FACES_MAX_PCT: f64 = 5.0;

/// A face found in an analysed frame, in pixels of that frame.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
pub struct FaceBox {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    pub score: f32,
}

impl FaceBox {
    /// Finite, with a positive width and height.
    fn is_valid(&self) -> bool {
        [self.x, self.y, self.w, self.h]
            .iter()
            .all(|v| v.is_finite())
            && self.w > 0.0
            && self.h > 0.0
    }

    fn area(&self) -> f64 {
        f64::from(self.w) * f64::from(self.h)
    }
}

/// What one analysed frame showed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PresenceSample {
    /// From the start of the take.
    #[ts(type = "number")]
    pub at_ms: u64,
    /// Size of the analysed frame.
    pub width: u32,
    pub height: u32,
    /// Largest first.
    pub faces: Vec<FaceBox>,
    /// Mean luma (0..255) of the inner part of the largest face box (the central 60 % of
    /// its width and height); `None` without a face.
    pub face_luma: Option<f32>,
    /// Mean luma of the frame outside the largest face box, excluding a margin of 0.25
    /// box-width around it (falls back to the whole frame if that leaves nothing);
    /// whole-frame mean without a face.
    pub surround_luma: f32,
}

/// Sum and count of the pixels in columns `x0..x1` of rows `y0..y1`.
fn rect_sum(
    frame: &LumaFrame,
    rows: usize,
    (x0, x1): (usize, usize),
    (y0, y1): (usize, usize),
) -> (u64, u64) {
    let w = frame.width as usize;
    let (x1, y1) = (x1.min(w), y1.min(rows));
    if x0 >= x1 || y0 >= y1 {
        return (0, 0);
    }
    let sum = (y0..y1)
        .map(|y| {
            frame.data[y * w + x0..y * w + x1]
                .iter()
                .map(|&v| u64::from(v))
                .sum::<u64>()
        })
        .sum();
    (sum, ((x1 - x0) * (y1 - y0)) as u64)
}

/// Pixel range `lo..hi` rounded to whole pixels and clamped to `0..=limit`.
fn span(lo: f32, hi: f32, limit: usize) -> (usize, usize) {
    let clamp = |v: f32| (v.round().max(0.0) as usize).min(limit);
    (clamp(lo), clamp(hi))
}

/// Builds a sample: sorts faces largest first (dropping boxes that are not finite or have
/// no area) and computes the two lumas from the frame. `faces` are in pixels of `frame`.
pub fn observe(frame: &LumaFrame, at_ms: u64, faces: Vec<FaceBox>) -> PresenceSample {
    let mut faces: Vec<FaceBox> = faces.into_iter().filter(FaceBox::is_valid).collect();
    faces.sort_by(|a, b| b.area().total_cmp(&a.area()));

    let w = frame.width as usize;
    let rows = frame
        .data
        .len()
        .checked_div(w)
        .map_or(0, |rows| rows.min(frame.height as usize));
    let (total, n) = rect_sum(frame, rows, (0, w), (0, rows));
    let whole = if n == 0 {
        0.0
    } else {
        (total as f64 / n as f64) as f32
    };

    let (face_luma, surround_luma) = match faces.first() {
        None => (None, whole),
        Some(b) => {
            let inset = (1.0 - FACE_INNER_SHARE) / 2.0;
            let xs = span(b.x + inset * b.w, b.x + (1.0 - inset) * b.w, w);
            let ys = span(b.y + inset * b.h, b.y + (1.0 - inset) * b.h, rows);
            let (fs, fn_) = rect_sum(frame, rows, xs, ys);
            let face = (fn_ > 0).then(|| (fs as f64 / fn_ as f64) as f32);

            let m = SURROUND_MARGIN * b.w;
            let xs = span(b.x - m, b.x + b.w + m, w);
            let ys = span(b.y - m, b.y + b.h + m, rows);
            let (es, en) = rect_sum(frame, rows, xs, ys);
            let surround = if n > en {
                ((total - es) as f64 / (n - en) as f64) as f32
            } else {
                whole
            };
            (face, surround)
        }
    };
    PresenceSample {
        at_ms,
        width: frame.width,
        height: frame.height,
        faces,
        face_luma,
        surround_luma,
    }
}

/// A take's (or a capture's) samples reduced to shares and medians.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PresenceSummary {
    pub samples: u32,
    /// Share (0..1) of samples with at least one face.
    pub face_visible_share: f64,
    /// Median over samples with a face of (face centre x - frame centre x) / frame width;
    /// positive = face right of centre. `None` without any face.
    pub offset_x: Option<f64>,
    /// Same for y / height; positive = face *below* centre (image rows grow downward).
    pub offset_y: Option<f64>,
    /// Median face box height / frame height over samples with a face.
    pub face_height_share: Option<f64>,
    /// Median face_luma / surround_luma over samples with a face (below ~0.6 = backlit).
    pub backlight_ratio: Option<f64>,
    /// Share of samples with two or more faces.
    pub multiple_faces_share: f64,
    /// Share of samples, counted from the first sample with a face onward (that is also the
    /// denominator), where no face was found while the last face seen was *not* touching
    /// the frame edge: the person is there but turned away.
    pub looking_away_share: f64,
    /// Same, but the last face seen *was* at an edge: the person moved out of the frame.
    pub out_of_frame_share: f64,
}

impl PresenceSummary {
    /// No samples at all (the video was not analysed).
    pub fn is_empty(&self) -> bool {
        self.samples == 0
    }

    /// Whether a face was found in any sample.
    fn any_face(&self) -> bool {
        self.samples > 0 && self.face_visible_share > 0.0
    }
}

/// Median of the finite values (a framing figure from no face is not a number).
fn finite_median(values: impl IntoIterator<Item = f64>) -> Option<f64> {
    median(values.into_iter().filter(|x| x.is_finite()))
}

/// The largest valid face of a sample and how many valid faces it holds.
fn faces_of(s: &PresenceSample) -> (Option<FaceBox>, usize) {
    let mut largest: Option<FaceBox> = None;
    let mut n = 0;
    for f in s.faces.iter().filter(|f| f.is_valid()) {
        n += 1;
        if largest.is_none_or(|l| f.area() > l.area()) {
            largest = Some(*f);
        }
    }
    (largest, n)
}

/// Whether `b` lies within [`EDGE_SHARE`] of the frame size of an edge of `s`'s frame.
fn at_edge(b: &FaceBox, s: &PresenceSample) -> bool {
    let (w, h) = (f64::from(s.width), f64::from(s.height));
    let (x0, y0) = (f64::from(b.x), f64::from(b.y));
    let (x1, y1) = (x0 + f64::from(b.w), y0 + f64::from(b.h));
    x0 <= EDGE_SHARE * w
        || y0 <= EDGE_SHARE * h
        || x1 >= (1.0 - EDGE_SHARE) * w
        || y1 >= (1.0 - EDGE_SHARE) * h
}

fn share(count: usize, of: usize) -> f64 {
    if of == 0 {
        0.0
    } else {
        count as f64 / of as f64
    }
}

/// Reduces samples (in any order; they are read in `at_ms` order) to a summary. No samples
/// give an empty summary of zeros and `None`s.
pub fn summarize(samples: &[PresenceSample]) -> PresenceSummary {
    let mut order: Vec<&PresenceSample> = samples.iter().collect();
    order.sort_by_key(|s| s.at_ms);

    let (mut visible, mut multiple) = (0usize, 0usize);
    let (mut ox, mut oy, mut hs, mut ratios) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut counted, mut away, mut out) = (0usize, 0usize, 0usize);
    // The last face seen and whether it touched an edge.
    let mut last_at_edge: Option<bool> = None;

    for s in &order {
        let (largest, n) = faces_of(s);
        if n >= 2 {
            multiple += 1;
        }
        match largest {
            Some(b) => {
                visible += 1;
                counted += 1;
                last_at_edge = Some(at_edge(&b, s));
                if s.width > 0 && s.height > 0 {
                    let (w, h) = (f64::from(s.width), f64::from(s.height));
                    ox.push((f64::from(b.x) + f64::from(b.w) / 2.0 - w / 2.0) / w);
                    oy.push((f64::from(b.y) + f64::from(b.h) / 2.0 - h / 2.0) / h);
                    hs.push(f64::from(b.h) / h);
                }
                if let Some(face) = s.face_luma.filter(|v| v.is_finite()) {
                    if s.surround_luma.is_finite() {
                        // A black background (luma 0) cannot outshine a face: divide by at
                        // least 1 so the ratio stays finite.
                        ratios.push(f64::from(face) / f64::from(s.surround_luma).max(1.0));
                    }
                }
            }
            None => {
                if let Some(edge) = last_at_edge {
                    counted += 1;
                    if edge {
                        out += 1;
                    } else {
                        away += 1;
                    }
                }
            }
        }
    }

    let n = order.len();
    PresenceSummary {
        samples: n.min(u32::MAX as usize) as u32,
        face_visible_share: share(visible, n),
        offset_x: finite_median(ox),
        offset_y: finite_median(oy),
        face_height_share: finite_median(hs),
        backlight_ratio: finite_median(ratios),
        multiple_faces_share: share(multiple, n),
        looking_away_share: share(away, counted),
        out_of_frame_share: share(out, counted),
    }
}

/// A share as a whole percentage: 0.204 → "20".
fn pct(share: f64) -> String {
    format!("{:.0}", (share * 100.0).abs())
}

/// "right" / "left" of centre, as the interviewer sees the picture.
fn side(offset_x: f64) -> (&'static str, &'static str) {
    if offset_x >= 0.0 {
        ("right", "오른쪽")
    } else {
        ("left", "왼쪽")
    }
}

/// One framing problem, in the order of importance.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Framing {
    Small(f64),
    Big(f64),
    Low(f64),
    High(f64),
    Side(f64),
}

impl Framing {
    /// Short phrases for the "also" sentence.
    fn phrase(self) -> (String, String) {
        match self {
            Framing::Small(h) => (
                format!("your face is small ({} % of the frame height)", pct(h)),
                format!("얼굴이 작게 나와요(화면 높이의 {} %)", pct(h)),
            ),
            Framing::Big(h) => (
                format!("your face is very large ({} % of the frame height)", pct(h)),
                format!("얼굴이 너무 크게 나와요(화면 높이의 {} %)", pct(h)),
            ),
            Framing::Low(y) => (
                format!("your face is low ({} % below the middle)", pct(y)),
                format!("얼굴이 아래쪽에 있어요(가운데보다 {} % 아래)", pct(y)),
            ),
            Framing::High(y) => (
                format!("your face is high ({} % above the middle)", pct(y)),
                format!("얼굴이 위쪽에 있어요(가운데보다 {} % 위)", pct(y)),
            ),
            Framing::Side(x) => {
                let (en, ko) = side(x);
                (
                    format!("your face is {} % {en} of centre", pct(x)),
                    format!("얼굴이 가운데보다 {} % {ko}에 있어요", pct(x)),
                )
            }
        }
    }
}

fn framing_problems(s: &PresenceSummary) -> Vec<Framing> {
    let mut out = Vec::new();
    if let Some(h) = s.face_height_share {
        if h < MIN_FACE_HEIGHT {
            out.push(Framing::Small(h));
        } else if h > MAX_FACE_HEIGHT {
            out.push(Framing::Big(h));
        }
    }
    if let Some(y) = s.offset_y {
        if y > LOW_OFFSET {
            out.push(Framing::Low(y));
        } else if y < -HIGH_OFFSET {
            out.push(Framing::High(y));
        }
    }
    if let Some(x) = s.offset_x {
        if x.abs() > SIDE_OFFSET {
            out.push(Framing::Side(x));
        }
    }
    out
}

fn not_analysed() -> Localized {
    l(
        "Not judged: no frame was analysed for faces.",
        "얼굴을 찾을 화면이 분석되지 않아 판단하지 않았어요.",
    )
}

fn no_face_reason() -> Localized {
    l(
        "Not judged: no face was found.",
        "얼굴을 찾지 못해 판단하지 않았어요.",
    )
}

fn framing_check(s: &PresenceSummary) -> Check {
    let id = "camera.framing";
    let title = l("Framing", "화면 구도");
    if s.is_empty() {
        return Check::new(id, Status::Skipped, title, not_analysed());
    }
    let visible = s.face_visible_share;
    if visible <= FRAMING_FAIL_VISIBLE_SHARE || s.face_height_share.is_none() {
        let missing = 1.0 - visible;
        let summary = if visible == 0.0 {
            l(
                "No face was found in any frame: the camera does not see you.",
                "어느 화면에서도 얼굴을 찾지 못했어요. 카메라에 얼굴이 보이지 않아요.",
            )
        } else {
            l(
                format!(
                    "No face was found in {} % of the frames: the camera does not see you well.",
                    pct(missing)
                ),
                format!(
                    "화면의 {} %에서 얼굴을 찾지 못했어요. 카메라에 얼굴이 잘 보이지 않아요.",
                    pct(missing)
                ),
            )
        };
        return Check::new(id, Status::Warn, title, summary)
            .measured(visible * 100.0, Unit::Percent)
            .threshold(format!(
                "face found in > {:.0} % of frames",
                FRAMING_FAIL_VISIBLE_SHARE * 100.0
            ))
            .fix(l(
                "Sit in front of the camera, check that it is not covered or pointed away, and \
                 add light in front of you. Then press Check again.",
                "카메라 정면에 앉고, 카메라가 가려져 있거나 다른 곳을 향하고 있지 않은지 확인해 \
                 주세요. 얼굴 앞쪽 조명도 밝게 한 뒤 다시 점검해 주세요.",
            ));
    }

    let problems = framing_problems(s);
    let Some(&main) = problems.first() else {
        let h = s.face_height_share.unwrap_or(0.0);
        let off = s
            .offset_x
            .unwrap_or(0.0)
            .abs()
            .max(s.offset_y.unwrap_or(0.0).abs());
        return Check::new(
            id,
            Status::Pass,
            title,
            l(
                format!(
                    "Your face is centred and at a good size ({} % of the frame height, centre \
                     within {} % of the middle).",
                    pct(h),
                    pct(off)
                ),
                format!(
                    "얼굴이 화면 가운데에 알맞은 크기로 나와요(화면 높이의 {} %, 가운데에서 {} % \
                     이내).",
                    pct(h),
                    pct(off)
                ),
            ),
        )
        .measured(h * 100.0, Unit::Percent)
        .threshold(format!(
            "face height {:.0}..{:.0} % of frame; centre within {:.0} % below / {:.0} % above, \
             {:.0} % sideways",
            MIN_FACE_HEIGHT * 100.0,
            MAX_FACE_HEIGHT * 100.0,
            LOW_OFFSET * 100.0,
            HIGH_OFFSET * 100.0,
            SIDE_OFFSET * 100.0
        ));
    };

    let size_threshold = format!(
        "face height {:.0}..{:.0} % of frame height",
        MIN_FACE_HEIGHT * 100.0,
        MAX_FACE_HEIGHT * 100.0
    );
    let vertical_threshold = format!(
        "face centre within {:.0} % below / {:.0} % above centre",
        LOW_OFFSET * 100.0,
        HIGH_OFFSET * 100.0
    );
    let (value, threshold, summary, fix) = match main {
        Framing::Small(h) => (
            h,
            size_threshold,
            l(
                format!(
                    "Your face fills only {} % of the frame height: you are far from the camera.",
                    pct(h)
                ),
                format!(
                    "얼굴이 화면 높이의 {} %밖에 되지 않아요. 카메라에서 너무 멀리 있어요.",
                    pct(h)
                ),
            ),
            l(
                "Move closer: your face should fill about a third of the frame height.",
                "카메라에 조금 더 다가가 주세요. 얼굴이 화면 높이의 3분의 1 정도를 차지하면 \
                 좋아요.",
            ),
        ),
        Framing::Big(h) => (
            h,
            size_threshold,
            l(
                format!(
                    "Your face fills {} % of the frame height: you are too close to the camera.",
                    pct(h)
                ),
                format!(
                    "얼굴이 화면 높이의 {} %를 차지해요. 카메라에 너무 가까이 있어요.",
                    pct(h)
                ),
            ),
            l(
                "Move back until your face fills about a third of the frame height and your \
                 shoulders show.",
                "얼굴이 화면 높이의 3분의 1 정도가 되고 어깨가 보일 때까지 조금 뒤로 물러나 \
                 주세요.",
            ),
        ),
        Framing::Low(y) => (
            y,
            vertical_threshold,
            l(
                format!(
                    "Your face is low in the frame: its centre is {} % of the frame height below \
                     the middle.",
                    pct(y)
                ),
                format!(
                    "얼굴이 화면 아래쪽에 치우쳐 있어요. 얼굴 중심이 가운데보다 화면 높이의 {} % \
                     아래에 있어요.",
                    pct(y)
                ),
            ),
            l(
                "Raise the camera to eye level (a laptop stand or a few books under the \
                 laptop), so your eyes sit about a third from the top of the picture.",
                "카메라를 눈높이까지 올려 주세요(노트북 받침대나 책 몇 권을 받쳐 두면 돼요). \
                 눈이 화면 위에서 3분의 1 정도에 오면 적당해요.",
            ),
        ),
        Framing::High(y) => (
            y,
            vertical_threshold,
            l(
                format!(
                    "Your face is high in the frame: its centre is {} % of the frame height above \
                     the middle, and the top of your head may be cut off.",
                    pct(y)
                ),
                format!(
                    "얼굴이 화면 위쪽에 치우쳐 있어요. 얼굴 중심이 가운데보다 화면 높이의 {} % \
                     위에 있어서 머리 윗부분이 잘릴 수 있어요.",
                    pct(y)
                ),
            ),
            l(
                "Lower the camera or tilt it down a little.",
                "카메라를 조금 낮추거나 아래쪽으로 살짝 기울여 주세요.",
            ),
        ),
        Framing::Side(x) => {
            let (en, ko) = side(x);
            (
                x,
                format!(
                    "face centre within {:.0} % of centre sideways",
                    SIDE_OFFSET * 100.0
                ),
                l(
                    format!(
                        "Your face is off-centre: its centre is {} % of the frame width {en} of \
                         the middle, as the interviewer sees the picture.",
                        pct(x)
                    ),
                    format!(
                        "얼굴이 한쪽으로 치우쳐 있어요. 면접관이 보는 화면에서 얼굴 중심이 \
                         가운데보다 화면 너비의 {} % {ko}에 있어요.",
                        pct(x)
                    ),
                ),
                l(
                    "Move your chair or turn the camera so your face is in the middle of the \
                     picture.",
                    "의자를 옮기거나 카메라 방향을 돌려 얼굴이 화면 가운데에 오도록 해 주세요.",
                ),
            )
        }
    };
    let mut summary = summary;
    if problems.len() > 1 {
        let (en, ko): (Vec<String>, Vec<String>) = problems[1..].iter().map(|p| p.phrase()).unzip();
        summary.en.push_str(&format!(" Also, {}.", en.join("; ")));
        summary.ko.push_str(&format!(" 그리고 {}.", ko.join(", ")));
    }
    Check::new(id, Status::Warn, title, summary)
        .measured(value * 100.0, Unit::Percent)
        .threshold(threshold)
        .fix(fix)
}

fn backlight_check(s: &PresenceSummary) -> Check {
    let id = "camera.backlight";
    let title = l("Backlight", "역광");
    if s.is_empty() {
        return Check::new(id, Status::Skipped, title, not_analysed());
    }
    let Some(r) = s.backlight_ratio else {
        return Check::new(id, Status::Skipped, title, no_face_reason());
    };
    let threshold = format!("face / background brightness >= {BACKLIGHT_MIN_RATIO:.2}");
    if r < BACKLIGHT_MIN_RATIO {
        Check::new(
            id,
            Status::Warn,
            title,
            l(
                format!(
                    "Your face is darker than the background (brightness ratio {r:.2}): a bright \
                     window or lamp is behind you."
                ),
                format!(
                    "얼굴이 배경보다 어두워요(밝기 비율 {r:.2}). 뒤쪽에 밝은 창문이나 조명이 \
                     있어요."
                ),
            ),
        )
        .measured(r, Unit::Ratio)
        .threshold(threshold)
        .fix(l(
            "Turn so the light is in front of you: face the window, close the blinds behind \
             you, or put a lamp behind the screen.",
            "빛이 얼굴 앞쪽에서 오도록 방향을 바꿔 주세요. 창문을 마주 보고 앉거나, 뒤쪽 \
             블라인드를 내리거나, 화면 뒤에 조명을 두면 좋아요.",
        ))
    } else {
        Check::new(
            id,
            Status::Pass,
            title,
            l(
                format!("Your face is lit well against the background (brightness ratio {r:.2})."),
                format!("얼굴이 배경에 비해 충분히 밝아요(밝기 비율 {r:.2})."),
            ),
        )
        .measured(r, Unit::Ratio)
        .threshold(threshold)
    }
}

fn faces_check(s: &PresenceSummary) -> Check {
    let id = "camera.faces";
    let title = l("Other faces", "다른 얼굴");
    if s.is_empty() {
        return Check::new(id, Status::Skipped, title, not_analysed());
    }
    if !s.any_face() {
        return Check::new(id, Status::Skipped, title, no_face_reason());
    }
    let m = s.multiple_faces_share;
    let threshold = format!(
        "second face in <= {:.0} % of frames",
        MULTIPLE_FACES_WARN_SHARE * 100.0
    );
    if m > MULTIPLE_FACES_WARN_SHARE {
        Check::new(
            id,
            Status::Warn,
            title,
            l(
                format!(
                    "Another face is in the picture in {} % of the frames (a person, a poster, \
                     a photo): interviewers notice it.",
                    pct(m)
                ),
                format!(
                    "화면의 {} %에 다른 얼굴(사람, 포스터, 사진)이 함께 보여요. 면접관의 눈에 \
                     띌 수 있어요.",
                    pct(m)
                ),
            ),
        )
        .measured(m * 100.0, Unit::Percent)
        .threshold(threshold)
        .fix(l(
            "Make sure you are alone in the picture: turn the camera away from posters, \
             photos and screens with faces, or ask others to step out of view.",
            "화면에 나만 보이도록 해 주세요. 얼굴이 있는 포스터, 사진, 화면이 찍히지 않게 \
             카메라 방향을 바꾸거나, 다른 사람에게 화면 밖으로 비켜 달라고 부탁해 주세요.",
        ))
    } else {
        Check::new(
            id,
            Status::Pass,
            title,
            l(
                if m == 0.0 {
                    "Only your face is in the picture.".to_owned()
                } else {
                    format!(
                        "Only your face is in the picture most of the time (another face in {} \
                         % of the frames).",
                        pct(m)
                    )
                },
                if m == 0.0 {
                    "화면에 내 얼굴만 보여요.".to_owned()
                } else {
                    format!(
                        "대부분 화면에 내 얼굴만 보여요(다른 얼굴은 화면의 {} %에서만 보였어요).",
                        pct(m)
                    )
                },
            ),
        )
        .measured(m * 100.0, Unit::Percent)
        .threshold(threshold)
    }
}

/// Preflight verdicts from a short capture: `camera.framing`, `camera.backlight`,
/// `camera.faces`, in that order. With no samples at all every check is skipped (the
/// camera checks already report why no frame came).
pub fn framing_checks(summary: &PresenceSummary) -> Vec<Check> {
    vec![
        framing_check(summary),
        backlight_check(summary),
        faces_check(summary),
    ]
}

fn not_measured(summary: &PresenceSummary) -> Localized {
    if summary.is_empty() {
        l(
            "Not measured: the video of this answer was not analysed.",
            "이 답변의 영상을 분석하지 않아 측정하지 않았어요.",
        )
    } else {
        l(
            "Not measured: your face was not found in this answer.",
            "이 답변에서 얼굴을 찾지 못해 측정하지 않았어요.",
        )
    }
}

fn card(
    id: &str,
    title: Localized,
    value: Option<f64>,
    range: GoodRange,
    why: Localized,
    feedback: Vec<Localized>,
) -> MetricCard {
    let value = value.filter(|v| v.is_finite());
    MetricCard {
        id: id.into(),
        title,
        value,
        unit: MetricUnit::Percent,
        judgement: Judgement {
            status: value.map_or(RangeStatus::NotMeasured, |v| range.status(v)),
            range,
            why,
        },
        feedback,
    }
}

fn percent_range(min: Option<f64>, max: Option<f64>) -> GoodRange {
    GoodRange::new(min, max, MetricUnit::Percent)
}

fn visible_card(s: &PresenceSummary) -> MetricCard {
    let value = (!s.is_empty()).then_some(s.face_visible_share * 100.0);
    let feedback = if s.is_empty() {
        vec![not_measured(s)]
    } else if !s.any_face() {
        vec![l(
            "Your face was not found at any point of the answer.",
            "답변 내내 얼굴을 찾지 못했어요.",
        )]
    } else if s.face_visible_share >= 1.0 {
        vec![l(
            "Your face was found throughout the answer.",
            "답변 내내 얼굴이 화면에 보였어요.",
        )]
    } else {
        vec![l(
            format!(
                "Your face was found in {} % of the answer and not found in {} %.",
                pct(s.face_visible_share),
                pct(1.0 - s.face_visible_share)
            ),
            format!(
                "답변의 {} % 동안 얼굴이 보였고, {} % 동안은 얼굴을 찾지 못했어요.",
                pct(s.face_visible_share),
                pct(1.0 - s.face_visible_share)
            ),
        )]
    };
    card(
        "presence.visible",
        l("Face in the picture", "화면 속 얼굴"),
        value,
        percent_range(Some(CARD_VISIBLE_MIN_PCT), None),
        l(
            format!(
                "The interviewer needs to see your face: it should be found in at least {:.0} % \
                 of the answer.",
                CARD_VISIBLE_MIN_PCT
            ),
            format!(
                "면접관이 얼굴을 볼 수 있어야 해요. 답변의 {:.0} % 이상에서 얼굴이 보이면 \
                 좋아요.",
                CARD_VISIBLE_MIN_PCT
            ),
        ),
        feedback,
    )
}

fn away_card(s: &PresenceSummary) -> MetricCard {
    let value = s.any_face().then_some(s.looking_away_share * 100.0);
    let feedback = match value {
        None => vec![not_measured(s)],
        Some(0.0) => vec![l(
            "Your face stayed turned toward the camera whenever you were in the picture.",
            "화면 안에 있는 동안 얼굴이 계속 카메라를 향해 있었어요.",
        )],
        Some(_) => vec![l(
            format!(
                "Your face was not found for {} % of the answer while you stayed in the \
                 picture: it was turned away from the camera.",
                pct(s.looking_away_share)
            ),
            format!(
                "화면 안에 있었지만 답변의 {} % 동안 얼굴이 감지되지 않았어요. 얼굴이 \
                 카메라에서 돌아가 있었어요.",
                pct(s.looking_away_share)
            ),
        )],
    };
    card(
        "presence.away",
        l("Face turned away", "카메라에서 돌린 얼굴"),
        value,
        percent_range(None, Some(CARD_AWAY_MAX_PCT)),
        l(
            format!(
                "Glancing at notes now and then is normal; when the face is turned away for \
                 more than about {:.0} % of the answer, it shows on the recording.",
                CARD_AWAY_MAX_PCT
            ),
            format!(
                "가끔 메모를 보는 건 자연스러워요. 하지만 답변의 {:.0} % 넘게 얼굴이 카메라를 \
                 향하지 않으면 녹화 화면에서 눈에 띄어요.",
                CARD_AWAY_MAX_PCT
            ),
        ),
        feedback,
    )
}

fn out_of_frame_card(s: &PresenceSummary) -> MetricCard {
    let value = s.any_face().then_some(s.out_of_frame_share * 100.0);
    let feedback = match value {
        None => vec![not_measured(s)],
        Some(0.0) => vec![l(
            "You stayed in the picture throughout.",
            "답변 내내 화면 안에 있었어요.",
        )],
        Some(_) => vec![l(
            format!(
                "You were out of the picture for {} % of the answer: your face left past an \
                 edge of the frame.",
                pct(s.out_of_frame_share)
            ),
            format!(
                "답변의 {} % 동안 화면 밖으로 벗어나 있었어요. 얼굴이 화면 가장자리 밖으로 \
                 나갔어요.",
                pct(s.out_of_frame_share)
            ),
        )],
    };
    card(
        "presence.out_of_frame",
        l("Out of the picture", "화면 밖으로 벗어남"),
        value,
        percent_range(None, Some(CARD_OUT_OF_FRAME_MAX_PCT)),
        l(
            format!(
                "Leaning or moving out of the picture hides you from the interviewer; keep it \
                 under {:.0} % of the answer.",
                CARD_OUT_OF_FRAME_MAX_PCT
            ),
            format!(
                "몸을 기울이거나 움직여 화면 밖으로 나가면 면접관이 나를 볼 수 없어요. 답변의 \
                 {:.0} % 미만으로 유지하면 좋아요.",
                CARD_OUT_OF_FRAME_MAX_PCT
            ),
        ),
        feedback,
    )
}

fn centring_card(s: &PresenceSummary) -> MetricCard {
    let offsets = s.offset_x.zip(s.offset_y).filter(|_| s.any_face());
    let value = offsets.map(|(x, y)| x.abs().max(y.abs()) * 100.0);
    let feedback = match offsets {
        None => vec![not_measured(s)],
        Some((x, y)) => {
            let (side_en, side_ko) = side(x);
            let (vert_en, vert_ko) = if y >= 0.0 {
                ("below", "아래")
            } else {
                ("above", "위")
            };
            vec![l(
                format!(
                    "The centre of your face sat {} % of the frame width {side_en} of the \
                     middle and {} % of the frame height {vert_en} it (as the interviewer sees \
                     the picture).",
                    pct(x),
                    pct(y)
                ),
                format!(
                    "면접관이 보는 화면에서 얼굴 중심이 가운데보다 화면 너비의 {} % {side_ko}, \
                     화면 높이의 {} % {vert_ko}에 있었어요.",
                    pct(x),
                    pct(y)
                ),
            )]
        }
    };
    card(
        "presence.centring",
        l("Centring", "얼굴 위치"),
        value,
        percent_range(None, Some(CARD_CENTRING_MAX_PCT)),
        l(
            format!(
                "A face within about {:.0} % of the middle of the frame sits naturally in the \
                 picture; a face low in the frame usually means the camera is below eye level.",
                CARD_CENTRING_MAX_PCT
            ),
            format!(
                "얼굴이 화면 가운데에서 {:.0} % 안쪽에 있으면 자연스러워 보여요. 얼굴이 아래쪽에 \
                 있다면 대개 카메라가 눈높이보다 낮은 경우예요.",
                CARD_CENTRING_MAX_PCT
            ),
        ),
        feedback,
    )
}

fn size_card(s: &PresenceSummary) -> MetricCard {
    let h = s.face_height_share.filter(|_| s.any_face());
    let value = h.map(|h| h * 100.0);
    let (lo, hi) = CARD_SIZE_PCT;
    let feedback = match h {
        None => vec![not_measured(s)],
        Some(h) => vec![l(
            format!("Your face filled {} % of the frame height.", pct(h)),
            format!("얼굴이 화면 높이의 {} %를 차지했어요.", pct(h)),
        )],
    };
    card(
        "presence.size",
        l("Face size", "얼굴 크기"),
        value,
        percent_range(Some(lo), Some(hi)),
        l(
            format!(
                "A face filling {lo:.0}-{hi:.0} % of the frame height (about a third is ideal) \
                 reads well: smaller looks distant, larger crowds the picture."
            ),
            format!(
                "얼굴이 화면 높이의 {lo:.0}~{hi:.0} %(3분의 1 정도가 가장 좋아요)를 차지하면 \
                 보기 좋아요. 더 작으면 멀어 보이고, 더 크면 화면이 답답해 보여요."
            ),
        ),
        feedback,
    )
}

fn backlight_card(s: &PresenceSummary) -> MetricCard {
    let r = s.backlight_ratio.filter(|_| s.any_face());
    let value = r.map(|r| r * 100.0);
    let feedback = match r {
        None => vec![not_measured(s)],
        Some(r) if r * 100.0 < CARD_BACKLIGHT_MIN_PCT => vec![l(
            format!(
                "Your face was {} % as bright as the background: the light came mostly from \
                 behind you.",
                pct(r)
            ),
            format!(
                "얼굴 밝기가 배경의 {} % 정도였어요. 빛이 주로 뒤쪽에서 들어왔어요.",
                pct(r)
            ),
        )],
        Some(r) => vec![l(
            format!("Your face was {} % as bright as the background.", pct(r)),
            format!("얼굴 밝기가 배경의 {} % 정도였어요.", pct(r)),
        )],
    };
    card(
        "presence.backlight",
        l("Light on your face", "얼굴 조명"),
        value,
        percent_range(Some(CARD_BACKLIGHT_MIN_PCT), None),
        l(
            format!(
                "With the face at least {:.0} % as bright as the background the camera exposes \
                 for you; a bright window behind you turns the face dark.",
                CARD_BACKLIGHT_MIN_PCT
            ),
            format!(
                "얼굴이 배경 밝기의 {:.0} % 이상이면 카메라가 얼굴에 맞춰 노출을 잡아요. 뒤에 \
                 밝은 창문이 있으면 얼굴이 어둡게 나와요.",
                CARD_BACKLIGHT_MIN_PCT
            ),
        ),
        feedback,
    )
}

fn faces_card(s: &PresenceSummary) -> MetricCard {
    let value = s.any_face().then_some(s.multiple_faces_share * 100.0);
    let feedback = match value {
        None => vec![not_measured(s)],
        Some(0.0) => vec![l(
            "No other face appeared in the picture.",
            "화면에 다른 얼굴은 보이지 않았어요.",
        )],
        Some(_) => vec![l(
            format!(
                "A second face was in the picture for {} % of the answer.",
                pct(s.multiple_faces_share)
            ),
            format!(
                "답변의 {} % 동안 화면에 다른 얼굴이 함께 보였어요.",
                pct(s.multiple_faces_share)
            ),
        )],
    };
    card(
        "presence.faces",
        l("Other faces", "다른 얼굴"),
        value,
        percent_range(None, Some(CARD_FACES_MAX_PCT)),
        l(
            format!(
                "A second face in the picture (a person, a poster, a photo) draws the \
                 interviewer's eye; keep it under {:.0} % of the answer.",
                CARD_FACES_MAX_PCT
            ),
            format!(
                "화면에 다른 얼굴(사람, 포스터, 사진)이 있으면 면접관의 시선이 분산돼요. \
                 답변의 {:.0} % 미만으로 유지하면 좋아요.",
                CARD_FACES_MAX_PCT
            ),
        ),
        feedback,
    )
}

/// Review cards for one take: `presence.visible`, `presence.away`, `presence.out_of_frame`,
/// `presence.centring`, `presence.size`, `presence.backlight`, `presence.faces`, in that
/// order, all in percent. Without any face every card but `presence.visible` (0) has no
/// value and is `NotMeasured`; with no samples at all, `presence.visible` is not measured
/// either.
pub fn presence_cards(summary: &PresenceSummary) -> Vec<MetricCard> {
    vec![
        visible_card(summary),
        away_card(summary),
        out_of_frame_card(summary),
        centring_card(summary),
        size_card(summary),
        backlight_card(summary),
        faces_card(summary),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: u32 = 640;
    const H: u32 = 360;

    fn frame(w: u32, h: u32, luma: u8) -> LumaFrame {
        LumaFrame {
            width: w,
            height: h,
            data: vec![luma; (w * h) as usize],
        }
    }

    /// Paints `x0..x1` x `y0..y1` with `luma`.
    fn paint(f: &mut LumaFrame, (x0, x1): (u32, u32), (y0, y1): (u32, u32), luma: u8) {
        for y in y0..y1 {
            for x in x0..x1 {
                f.data[(y * f.width + x) as usize] = luma;
            }
        }
    }

    fn face(x: f32, y: f32, w: f32, h: f32) -> FaceBox {
        FaceBox {
            x,
            y,
            w,
            h,
            score: 0.9,
        }
    }

    /// A face box whose centre is offset by (`dx`, `dy`) shares of the frame from the
    /// frame centre and whose height is `hs` of the frame height (width 0.8 of height).
    fn face_at(dx: f64, dy: f64, hs: f64) -> FaceBox {
        let (w, h) = (f64::from(W), f64::from(H));
        let bh = hs * h;
        let bw = 0.8 * bh;
        let cx = w / 2.0 + dx * w;
        let cy = h / 2.0 + dy * h;
        face(
            (cx - bw / 2.0) as f32,
            (cy - bh / 2.0) as f32,
            bw as f32,
            bh as f32,
        )
    }

    fn sample(i: u64, faces: Vec<FaceBox>) -> PresenceSample {
        let has = !faces.is_empty();
        PresenceSample {
            at_ms: i * 250,
            width: W,
            height: H,
            faces,
            face_luma: has.then_some(150.0),
            surround_luma: 120.0,
        }
    }

    fn centred() -> FaceBox {
        face_at(0.0, 0.0, 0.33)
    }

    fn summary() -> PresenceSummary {
        PresenceSummary {
            samples: 10,
            face_visible_share: 1.0,
            offset_x: Some(0.0),
            offset_y: Some(0.0),
            face_height_share: Some(0.33),
            backlight_ratio: Some(1.0),
            multiple_faces_share: 0.0,
            looking_away_share: 0.0,
            out_of_frame_share: 0.0,
        }
    }

    fn get<'a>(checks: &'a [Check], id: &str) -> &'a Check {
        checks.iter().find(|c| c.id == id).unwrap()
    }

    fn status_of(s: &PresenceSummary, id: &str) -> Status {
        get(&framing_checks(s), id).status
    }

    fn has_hangul(s: &str) -> bool {
        s.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-4
    }

    fn assert_check_well_formed(c: &Check) {
        assert!(has_hangul(&c.title.ko), "{}: {:?}", c.id, c.title.ko);
        assert!(has_hangul(&c.summary.ko), "{}: {:?}", c.id, c.summary.ko);
        assert!(
            !c.title.en.is_empty() && !c.summary.en.is_empty(),
            "{}",
            c.id
        );
        match c.status {
            Status::Warn | Status::Fail => {
                let fix = c.fix.as_ref().unwrap_or_else(|| panic!("{}: no fix", c.id));
                assert!(has_hangul(&fix.ko) && !fix.en.is_empty(), "{}", c.id);
                assert!(c.measured.is_some() && c.threshold.is_some(), "{}", c.id);
            }
            Status::Pass => {
                assert!(c.fix.is_none(), "{}", c.id);
                assert!(c.measured.is_some() && c.threshold.is_some(), "{}", c.id);
            }
            Status::Skipped => assert!(c.fix.is_none(), "{}", c.id),
        }
        if let Some(m) = c.measured {
            assert!(m.value.is_finite(), "{}: {m:?}", c.id);
        }
    }

    fn assert_card_well_formed(c: &MetricCard) {
        assert!(
            has_hangul(&c.title.ko) && !c.title.en.is_empty(),
            "{}",
            c.id
        );
        assert!(has_hangul(&c.judgement.why.ko) && !c.judgement.why.en.is_empty());
        assert!(!c.feedback.is_empty(), "{}", c.id);
        for f in &c.feedback {
            assert!(has_hangul(&f.ko) && !f.en.is_empty(), "{}: {f:?}", c.id);
        }
        assert_eq!(c.unit, MetricUnit::Percent);
        match c.value {
            Some(v) => {
                assert!(v.is_finite(), "{}", c.id);
                assert_ne!(c.judgement.status, RangeStatus::NotMeasured, "{}", c.id);
            }
            None => assert_eq!(c.judgement.status, RangeStatus::NotMeasured, "{}", c.id),
        }
    }

    fn assert_summary_finite(s: &PresenceSummary) {
        let all = [
            Some(s.face_visible_share),
            s.offset_x,
            s.offset_y,
            s.face_height_share,
            s.backlight_ratio,
            Some(s.multiple_faces_share),
            Some(s.looking_away_share),
            Some(s.out_of_frame_share),
        ];
        for v in all.into_iter().flatten() {
            assert!(v.is_finite(), "{s:?}");
        }
    }

    fn card<'a>(cards: &'a [MetricCard], id: &str) -> &'a MetricCard {
        cards.iter().find(|c| c.id == id).unwrap()
    }

    // ----- observe -----

    #[test]
    fn observe_measures_the_face_core_and_the_surround() {
        // 100x100 at 200 with a 20x20 face at 40 painted at (40, 40).
        let mut f = frame(100, 100, 200);
        paint(&mut f, (40, 60), (40, 60), 40);
        let s = observe(&f, 500, vec![face(40.0, 40.0, 20.0, 20.0)]);
        assert_eq!((s.at_ms, s.width, s.height), (500, 100, 100));
        assert_eq!(s.face_luma, Some(40.0));
        assert_eq!(s.surround_luma, 200.0);
    }

    #[test]
    fn face_luma_uses_only_the_central_sixty_percent() {
        // The box is 20 px wide: its core is 44..56. The box's outer ring (hair, ears) is
        // bright, the core is 60.
        let mut f = frame(100, 100, 100);
        paint(&mut f, (40, 60), (40, 60), 250);
        paint(&mut f, (44, 56), (44, 56), 60);
        let s = observe(&f, 0, vec![face(40.0, 40.0, 20.0, 20.0)]);
        assert_eq!(s.face_luma, Some(60.0));
    }

    #[test]
    fn surround_leaves_out_a_quarter_box_width_margin() {
        // Box 40..60; margin 5 px: 35..65 is left out. Paint the margin ring 0 (a dark
        // neck and hair): the surround must not see it.
        let mut f = frame(100, 100, 180);
        paint(&mut f, (35, 65), (35, 65), 0);
        paint(&mut f, (40, 60), (40, 60), 120);
        let s = observe(&f, 0, vec![face(40.0, 40.0, 20.0, 20.0)]);
        assert_eq!(s.surround_luma, 180.0);
        assert_eq!(s.face_luma, Some(120.0));
    }

    #[test]
    fn surround_falls_back_to_the_whole_frame() {
        // A box covering the whole frame leaves nothing outside.
        let mut f = frame(10, 10, 100);
        paint(&mut f, (0, 5), (0, 10), 50);
        let s = observe(&f, 0, vec![face(0.0, 0.0, 10.0, 10.0)]);
        assert_eq!(s.surround_luma, 75.0);
        // Without a face: whole-frame mean, no face luma.
        let s = observe(&f, 0, vec![]);
        assert_eq!((s.face_luma, s.surround_luma), (None, 75.0));
    }

    #[test]
    fn observe_sorts_largest_first_and_drops_bad_boxes() {
        let f = frame(200, 100, 100);
        let small = face(10.0, 10.0, 10.0, 10.0);
        let big = face(100.0, 20.0, 40.0, 40.0);
        let mid = face(50.0, 50.0, 20.0, 20.0);
        let nan = face(f32::NAN, 0.0, 10.0, 10.0);
        let flat = face(0.0, 0.0, 0.0, 10.0);
        let s = observe(&f, 0, vec![small, nan, mid, big, flat]);
        assert_eq!(s.faces, vec![big, mid, small]);
    }

    #[test]
    fn observe_survives_odd_frames_and_boxes() {
        let empty = LumaFrame {
            width: 0,
            height: 0,
            data: vec![],
        };
        let s = observe(&empty, 0, vec![face(0.0, 0.0, 10.0, 10.0)]);
        assert_eq!((s.face_luma, s.surround_luma), (None, 0.0));
        // A box entirely outside the frame has no core to measure.
        let f = frame(50, 50, 90);
        let s = observe(&f, 0, vec![face(500.0, 500.0, 10.0, 10.0)]);
        assert_eq!((s.face_luma, s.surround_luma), (None, 90.0));
        // A box hanging over the edge is clamped.
        let s = observe(&f, 0, vec![face(-10.0, -10.0, 30.0, 30.0)]);
        assert_eq!(s.face_luma, Some(90.0));
        // A short buffer is read as its whole rows.
        let short = LumaFrame {
            width: 10,
            height: 10,
            data: vec![30; 25],
        };
        let s = observe(&short, 0, vec![]);
        assert_eq!(s.surround_luma, 30.0);
    }

    // ----- summarize + framing -----

    #[test]
    fn centred_face_has_zero_offsets_and_passes() {
        let samples: Vec<_> = (0..8).map(|i| sample(i, vec![centred()])).collect();
        let s = summarize(&samples);
        assert_eq!(s.samples, 8);
        assert_eq!(s.face_visible_share, 1.0);
        assert!(close(s.offset_x.unwrap(), 0.0), "{s:?}");
        assert!(close(s.offset_y.unwrap(), 0.0), "{s:?}");
        assert!(close(s.face_height_share.unwrap(), 0.33), "{s:?}");
        assert_eq!(s.looking_away_share, 0.0);
        assert_eq!(s.out_of_frame_share, 0.0);
        let checks = framing_checks(&s);
        assert_eq!(
            checks.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            ["camera.framing", "camera.backlight", "camera.faces"]
        );
        for c in &checks {
            assert_eq!(c.status, Status::Pass, "{c:?}");
            assert_check_well_formed(c);
        }
        let framing = &checks[0];
        assert!(framing.summary.en.contains("centred"), "{framing:?}");
        assert!(framing.summary.en.contains("33 %"), "{framing:?}");
        assert_eq!(framing.measured.unwrap().unit, Unit::Percent);
        for c in presence_cards(&s) {
            assert_eq!(c.judgement.status, RangeStatus::Within, "{c:?}");
            assert_card_well_formed(&c);
        }
    }

    #[test]
    fn low_face_warns_with_low_wording() {
        let samples: Vec<_> = (0..6)
            .map(|i| sample(i, vec![face_at(0.0, 0.2, 0.3)]))
            .collect();
        let s = summarize(&samples);
        assert!(close(s.offset_y.unwrap(), 0.2), "{s:?}");
        assert!(close(s.offset_x.unwrap(), 0.0), "{s:?}");
        let checks = framing_checks(&s);
        let c = get(&checks, "camera.framing");
        assert_eq!(c.status, Status::Warn);
        assert!(c.summary.en.contains("low"), "{c:?}");
        assert!(c.summary.en.contains("20 %"), "{c:?}");
        assert!(has_hangul(&c.summary.ko) && c.summary.ko.contains("20 %"));
        assert!(c.fix.as_ref().unwrap().en.contains("eye level"));
        assert!(c.fix.as_ref().unwrap().ko.contains("눈높이"));
        assert!(close(c.measured.unwrap().value, 20.0));
        assert_eq!(
            c.threshold.as_deref(),
            Some("face centre within 12 % below / 15 % above centre")
        );
        assert_check_well_formed(c);
        let cards = presence_cards(&s);
        let centring = card(&cards, "presence.centring");
        assert!(close(centring.value.unwrap(), 20.0));
        assert_eq!(centring.judgement.status, RangeStatus::Above);
        assert!(centring.feedback[0].en.contains("below"));
    }

    #[test]
    fn high_and_sideways_faces_warn() {
        let high = summarize(&[sample(0, vec![face_at(0.0, -0.2, 0.3)])]);
        assert!(close(high.offset_y.unwrap(), -0.2));
        let c = &framing_checks(&high)[0];
        assert_eq!(c.status, Status::Warn);
        assert!(c.summary.en.contains("high") && c.fix.as_ref().unwrap().en.contains("Lower"));
        assert_check_well_formed(c);

        let right = summarize(&[sample(0, vec![face_at(0.25, 0.0, 0.3)])]);
        assert!(close(right.offset_x.unwrap(), 0.25));
        let c = &framing_checks(&right)[0];
        assert_eq!(c.status, Status::Warn);
        assert!(c.summary.en.contains("25 %") && c.summary.en.contains("right"));
        assert!(c.summary.ko.contains("오른쪽"));
        assert_check_well_formed(c);

        let left = summarize(&[sample(0, vec![face_at(-0.25, 0.0, 0.3)])]);
        assert!(close(left.offset_x.unwrap(), -0.25));
        let c = &framing_checks(&left)[0];
        assert!(c.summary.en.contains("left") && c.summary.ko.contains("왼쪽"));
        assert!(close(c.measured.unwrap().value, -25.0));
    }

    #[test]
    fn small_face_warns_about_size_first() {
        // Small and low: size is the more important problem, low is mentioned too.
        let samples: Vec<_> = (0..4)
            .map(|i| sample(i, vec![face_at(0.0, 0.2, 0.1)]))
            .collect();
        let s = summarize(&samples);
        assert!(close(s.face_height_share.unwrap(), 0.1));
        let c = &framing_checks(&s)[0];
        assert_eq!(c.status, Status::Warn);
        assert!(c.summary.en.contains("far from the camera"), "{c:?}");
        assert!(c.summary.en.contains("10 %"), "{c:?}");
        assert!(
            c.summary.en.contains("Also") && c.summary.en.contains("low"),
            "{c:?}"
        );
        assert!(c.summary.ko.contains("그리고"), "{c:?}");
        assert!(c.fix.as_ref().unwrap().en.contains("third"));
        assert!(close(c.measured.unwrap().value, 10.0));
        assert_eq!(
            c.threshold.as_deref(),
            Some("face height 15..55 % of frame height")
        );
        assert_check_well_formed(c);
        let size = presence_cards(&s)
            .into_iter()
            .find(|c| c.id == "presence.size")
            .unwrap();
        assert_eq!(size.judgement.status, RangeStatus::Below);
        assert!(close(size.value.unwrap(), 10.0));

        let big = summarize(&[sample(0, vec![face_at(0.0, 0.0, 0.7)])]);
        let c = &framing_checks(&big)[0];
        assert_eq!(c.status, Status::Warn);
        assert!(c.summary.en.contains("too close"), "{c:?}");
        assert!(c.fix.as_ref().unwrap().en.contains("back"));
    }

    #[test]
    fn framing_boundaries() {
        let framing = |f: fn(&mut PresenceSummary)| {
            let mut s = summary();
            f(&mut s);
            status_of(&s, "camera.framing")
        };
        assert_eq!(framing(|s| s.offset_y = Some(0.12)), Status::Pass);
        assert_eq!(framing(|s| s.offset_y = Some(0.1201)), Status::Warn);
        assert_eq!(framing(|s| s.offset_y = Some(-0.15)), Status::Pass);
        assert_eq!(framing(|s| s.offset_y = Some(-0.1501)), Status::Warn);
        assert_eq!(framing(|s| s.offset_x = Some(0.15)), Status::Pass);
        assert_eq!(framing(|s| s.offset_x = Some(-0.15)), Status::Pass);
        assert_eq!(framing(|s| s.offset_x = Some(0.1501)), Status::Warn);
        assert_eq!(framing(|s| s.offset_x = Some(-0.1501)), Status::Warn);
        assert_eq!(framing(|s| s.face_height_share = Some(0.15)), Status::Pass);
        assert_eq!(
            framing(|s| s.face_height_share = Some(0.1499)),
            Status::Warn
        );
        assert_eq!(framing(|s| s.face_height_share = Some(0.55)), Status::Pass);
        assert_eq!(
            framing(|s| s.face_height_share = Some(0.5501)),
            Status::Warn
        );
        // A face in exactly half the samples is "not found"; a bit more is judged.
        assert_eq!(framing(|s| s.face_visible_share = 0.5), Status::Warn);
        assert_eq!(framing(|s| s.face_visible_share = 0.51), Status::Pass);
    }

    #[test]
    fn face_in_half_the_samples_is_not_found() {
        let mut samples: Vec<_> = (0..5).map(|i| sample(i, vec![centred()])).collect();
        samples.extend((5..10).map(|i| sample(i, vec![])));
        let s = summarize(&samples);
        assert_eq!(s.face_visible_share, 0.5);
        let c = &framing_checks(&s)[0];
        assert_eq!(c.status, Status::Warn);
        assert!(c.summary.en.contains("50 %"), "{c:?}");
        samples[5] = sample(5, vec![centred()]);
        assert_eq!(
            status_of(&summarize(&samples), "camera.framing"),
            Status::Pass
        );
    }

    #[test]
    fn no_face_warns_framing_and_skips_the_rest() {
        let f = frame(W, H, 128);
        let samples: Vec<_> = (0..8).map(|i| observe(&f, i * 250, vec![])).collect();
        let s = summarize(&samples);
        assert_eq!(s.face_visible_share, 0.0);
        assert_eq!(
            (s.offset_x, s.offset_y, s.face_height_share),
            (None, None, None)
        );
        assert_eq!(s.backlight_ratio, None);
        assert_eq!((s.looking_away_share, s.out_of_frame_share), (0.0, 0.0));
        assert_summary_finite(&s);
        let checks = framing_checks(&s);
        let c = get(&checks, "camera.framing");
        assert_eq!(c.status, Status::Warn);
        assert!(c.summary.en.contains("No face"), "{c:?}");
        assert!(c.fix.as_ref().unwrap().en.contains("Sit in front"));
        assert_eq!(c.measured.unwrap().value, 0.0);
        assert_eq!(get(&checks, "camera.backlight").status, Status::Skipped);
        assert_eq!(get(&checks, "camera.faces").status, Status::Skipped);
        checks.iter().for_each(assert_check_well_formed);

        let cards = presence_cards(&s);
        let visible = card(&cards, "presence.visible");
        assert_eq!(visible.value, Some(0.0));
        assert_eq!(visible.judgement.status, RangeStatus::Below);
        for c in cards.iter().filter(|c| c.id != "presence.visible") {
            assert_eq!(c.value, None, "{}", c.id);
            assert_eq!(c.judgement.status, RangeStatus::NotMeasured, "{}", c.id);
        }
        cards.iter().for_each(assert_card_well_formed);
    }

    #[test]
    fn backlit_face_warns_and_front_lit_passes() {
        let (fw, fh) = (320u32, 180u32);
        let b = face(130.0, 50.0, 60.0, 70.0);
        let mut backlit = frame(fw, fh, 200);
        paint(&mut backlit, (130, 190), (50, 120), 40);
        let samples: Vec<_> = (0..5)
            .map(|i| observe(&backlit, i * 250, vec![b]))
            .collect();
        assert_eq!(samples[0].face_luma, Some(40.0));
        assert_eq!(samples[0].surround_luma, 200.0);
        let s = summarize(&samples);
        assert!(close(s.backlight_ratio.unwrap(), 0.2), "{s:?}");
        let c = get(&framing_checks(&s), "camera.backlight").clone();
        assert_eq!(c.status, Status::Warn);
        assert_eq!(c.measured.unwrap().unit, Unit::Ratio);
        assert!(close(c.measured.unwrap().value, 0.2));
        assert!(c.summary.en.contains("0.20"), "{c:?}");
        assert!(c
            .fix
            .as_ref()
            .unwrap()
            .en
            .contains("light is in front of you"));
        assert_check_well_formed(&c);
        let cards = presence_cards(&s);
        let bl = card(&cards, "presence.backlight");
        assert!(close(bl.value.unwrap(), 20.0));
        assert_eq!(bl.judgement.status, RangeStatus::Below);

        let mut lit = frame(fw, fh, 120);
        paint(&mut lit, (130, 190), (50, 120), 180);
        let s = summarize(&[observe(&lit, 0, vec![b])]);
        assert!(close(s.backlight_ratio.unwrap(), 1.5), "{s:?}");
        assert_eq!(status_of(&s, "camera.backlight"), Status::Pass);
    }

    #[test]
    fn backlight_boundary_and_black_background() {
        let at = |r: f64| {
            let mut s = summary();
            s.backlight_ratio = Some(r);
            status_of(&s, "camera.backlight")
        };
        assert_eq!(at(0.6), Status::Pass);
        assert_eq!(at(0.5999), Status::Warn);
        // A black background gives a finite ratio, not infinity.
        let mut f = frame(100, 100, 0);
        paint(&mut f, (40, 60), (40, 60), 100);
        let s = summarize(&[observe(&f, 0, vec![face(40.0, 40.0, 20.0, 20.0)])]);
        assert_eq!(s.backlight_ratio, Some(100.0));
        assert_eq!(status_of(&s, "camera.backlight"), Status::Pass);
    }

    #[test]
    fn two_faces_in_half_the_samples_warn() {
        let other = face_at(0.3, -0.1, 0.15);
        let samples: Vec<_> = (0..10)
            .map(|i| {
                if i % 2 == 0 {
                    sample(i, vec![centred(), other])
                } else {
                    sample(i, vec![centred()])
                }
            })
            .collect();
        let s = summarize(&samples);
        assert_eq!(s.multiple_faces_share, 0.5);
        // The largest face is the one measured: still centred.
        assert!(close(s.offset_x.unwrap(), 0.0));
        let checks = framing_checks(&s);
        let c = get(&checks, "camera.faces");
        assert_eq!(c.status, Status::Warn);
        assert!(c.summary.en.contains("50 %") && c.summary.en.contains("poster"));
        assert_eq!(c.measured.unwrap().value, 50.0);
        assert_check_well_formed(c);
        assert_eq!(get(&checks, "camera.framing").status, Status::Pass);
        let cards = presence_cards(&s);
        let fc = card(&cards, "presence.faces");
        assert_eq!(fc.value, Some(50.0));
        assert_eq!(fc.judgement.status, RangeStatus::Above);
    }

    #[test]
    fn faces_boundary() {
        let mk = |two: u64| {
            let samples: Vec<_> = (0..10)
                .map(|i| {
                    let mut faces = vec![centred()];
                    if i < two {
                        faces.push(face(10.0, 10.0, 30.0, 30.0));
                    }
                    sample(i, faces)
                })
                .collect();
            summarize(&samples)
        };
        assert_eq!(mk(3).multiple_faces_share, 0.3);
        assert_eq!(status_of(&mk(3), "camera.faces"), Status::Pass);
        assert_eq!(status_of(&mk(4), "camera.faces"), Status::Warn);
        assert_eq!(status_of(&mk(0), "camera.faces"), Status::Pass);
    }

    #[test]
    fn face_lost_in_the_middle_is_looking_away() {
        let samples: Vec<_> = (0..10)
            .map(|i| {
                if (4..7).contains(&i) {
                    sample(i, vec![])
                } else {
                    sample(i, vec![centred()])
                }
            })
            .collect();
        let s = summarize(&samples);
        assert!(close(s.looking_away_share, 0.3), "{s:?}");
        assert_eq!(s.out_of_frame_share, 0.0);
        assert!(close(s.face_visible_share, 0.7));
        let cards = presence_cards(&s);
        let away = card(&cards, "presence.away");
        assert!(close(away.value.unwrap(), 30.0));
        assert_eq!(away.judgement.status, RangeStatus::Above);
        assert!(away.feedback[0].en.contains("30 %"), "{away:?}");
        let out = card(&cards, "presence.out_of_frame");
        assert_eq!(out.value, Some(0.0));
        assert_eq!(out.judgement.status, RangeStatus::Within);
    }

    #[test]
    fn face_leaving_past_an_edge_is_out_of_frame() {
        // Centred, then drifting right until its box touches the right edge, then gone.
        let edge = face(f64::from(W) as f32 - 110.0, 120.0, 100.0, 120.0);
        assert!(f64::from(edge.x + edge.w) >= 0.97 * f64::from(W));
        let samples: Vec<_> = (0..10)
            .map(|i| match i {
                0..=4 => sample(i, vec![centred()]),
                5 => sample(i, vec![face_at(0.2, 0.0, 0.33)]),
                6 => sample(i, vec![edge]),
                _ => sample(i, vec![]),
            })
            .collect();
        let s = summarize(&samples);
        assert!(close(s.out_of_frame_share, 0.3), "{s:?}");
        assert_eq!(s.looking_away_share, 0.0);
        let cards = presence_cards(&s);
        let out = card(&cards, "presence.out_of_frame");
        assert_eq!(out.judgement.status, RangeStatus::Above);
        assert!(out.feedback[0].en.contains("30 %"));

        // The top edge counts too, and returning to the middle resets it.
        let top = face(270.0, 5.0, 100.0, 120.0);
        let samples = vec![
            sample(0, vec![top]),
            sample(1, vec![]),
            sample(2, vec![centred()]),
            sample(3, vec![]),
        ];
        let s = summarize(&samples);
        assert_eq!((s.out_of_frame_share, s.looking_away_share), (0.25, 0.25));
    }

    #[test]
    fn samples_before_the_first_face_do_not_count() {
        // Two empty samples first (still sitting down), then a face throughout.
        let samples: Vec<_> = (0..10)
            .map(|i| {
                if i < 2 {
                    sample(i, vec![])
                } else {
                    sample(i, vec![centred()])
                }
            })
            .collect();
        let s = summarize(&samples);
        assert_eq!((s.looking_away_share, s.out_of_frame_share), (0.0, 0.0));
        assert!(close(s.face_visible_share, 0.8));
        // Counted from the first face onward: 3 missing of the 8 samples from sample 2 on.
        let samples: Vec<_> = (0..10)
            .map(|i| {
                if i < 2 || (5..8).contains(&i) {
                    sample(i, vec![])
                } else {
                    sample(i, vec![centred()])
                }
            })
            .collect();
        let s = summarize(&samples);
        assert!(close(s.looking_away_share, 3.0 / 8.0), "{s:?}");
    }

    #[test]
    fn samples_are_read_in_time_order() {
        let mut samples: Vec<_> = (0..10)
            .map(|i| {
                if (4..7).contains(&i) {
                    sample(i, vec![])
                } else {
                    sample(i, vec![centred()])
                }
            })
            .collect();
        let expected = summarize(&samples);
        samples.reverse();
        assert_eq!(summarize(&samples), expected);
    }

    #[test]
    fn card_boundaries() {
        let cards_of = |f: fn(&mut PresenceSummary)| {
            let mut s = summary();
            f(&mut s);
            presence_cards(&s)
        };
        let st = |cards: &[MetricCard], id: &str| card(cards, id).judgement.status;
        let c = cards_of(|s| s.face_visible_share = 0.9);
        assert_eq!(st(&c, "presence.visible"), RangeStatus::Within);
        let c = cards_of(|s| s.face_visible_share = 0.89);
        assert_eq!(st(&c, "presence.visible"), RangeStatus::Below);
        let c = cards_of(|s| s.looking_away_share = 0.1);
        assert_eq!(st(&c, "presence.away"), RangeStatus::Within);
        let c = cards_of(|s| s.looking_away_share = 0.11);
        assert_eq!(st(&c, "presence.away"), RangeStatus::Above);
        let c = cards_of(|s| s.out_of_frame_share = 0.05);
        assert_eq!(st(&c, "presence.out_of_frame"), RangeStatus::Within);
        let c = cards_of(|s| s.out_of_frame_share = 0.06);
        assert_eq!(st(&c, "presence.out_of_frame"), RangeStatus::Above);
        let c = cards_of(|s| s.offset_x = Some(-0.12));
        assert_eq!(st(&c, "presence.centring"), RangeStatus::Within);
        let c = cards_of(|s| s.offset_x = Some(-0.13));
        assert_eq!(st(&c, "presence.centring"), RangeStatus::Above);
        assert!(close(card(&c, "presence.centring").value.unwrap(), 13.0));
        let c = cards_of(|s| s.face_height_share = Some(0.15));
        assert_eq!(st(&c, "presence.size"), RangeStatus::Within);
        let c = cards_of(|s| s.face_height_share = Some(0.56));
        assert_eq!(st(&c, "presence.size"), RangeStatus::Above);
        let c = cards_of(|s| s.backlight_ratio = Some(0.6));
        assert_eq!(st(&c, "presence.backlight"), RangeStatus::Within);
        let c = cards_of(|s| s.backlight_ratio = Some(0.59));
        assert_eq!(st(&c, "presence.backlight"), RangeStatus::Below);
        let c = cards_of(|s| s.multiple_faces_share = 0.05);
        assert_eq!(st(&c, "presence.faces"), RangeStatus::Within);
        let c = cards_of(|s| s.multiple_faces_share = 0.06);
        assert_eq!(st(&c, "presence.faces"), RangeStatus::Above);
    }

    #[test]
    fn card_ids_are_stable() {
        let ids: Vec<_> = presence_cards(&summary())
            .into_iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(
            ids,
            [
                "presence.visible",
                "presence.away",
                "presence.out_of_frame",
                "presence.centring",
                "presence.size",
                "presence.backlight",
                "presence.faces"
            ]
        );
    }

    #[test]
    fn no_samples_is_empty_and_has_no_nan() {
        let s = summarize(&[]);
        assert!(s.is_empty());
        assert_eq!(s.samples, 0);
        assert_summary_finite(&s);
        assert!(!summary().is_empty());
        let checks = framing_checks(&s);
        assert_eq!(checks.len(), 3);
        for c in &checks {
            assert_eq!(c.status, Status::Skipped, "{c:?}");
            assert_check_well_formed(c);
        }
        let cards = presence_cards(&s);
        assert_eq!(cards.len(), 7);
        for c in &cards {
            assert_eq!(c.value, None, "{}", c.id);
            assert_card_well_formed(c);
        }
        // serde_json writes a NaN as null: every number must survive as a number.
        let json = serde_json::to_value(&s).unwrap();
        for key in [
            "face_visible_share",
            "multiple_faces_share",
            "looking_away_share",
        ] {
            assert!(json[key].is_f64(), "{key}: {json}");
        }
    }

    #[test]
    fn zero_sized_frames_and_nan_boxes_do_not_poison_the_summary() {
        let bad = PresenceSample {
            at_ms: 0,
            width: 0,
            height: 0,
            faces: vec![face(1.0, 1.0, 5.0, 5.0)],
            face_luma: Some(f32::NAN),
            surround_luma: f32::NAN,
        };
        let nan_box = PresenceSample {
            faces: vec![face(f32::NAN, 0.0, 5.0, 5.0)],
            ..sample(1, vec![])
        };
        let s = summarize(&[bad, nan_box]);
        assert_summary_finite(&s);
        framing_checks(&s).iter().for_each(assert_check_well_formed);
        presence_cards(&s).iter().for_each(assert_card_well_formed);
    }

    #[test]
    fn every_outcome_has_korean_text() {
        let mut variants = vec![summary(), summarize(&[])];
        let tweaks: [fn(&mut PresenceSummary); 10] = [
            |s| s.face_visible_share = 0.0,
            |s| s.face_visible_share = 0.3,
            |s| s.face_height_share = Some(0.1),
            |s| s.face_height_share = Some(0.7),
            |s| s.offset_y = Some(0.3),
            |s| s.offset_y = Some(-0.3),
            |s| s.offset_x = Some(0.3),
            |s| s.backlight_ratio = Some(0.2),
            |s| s.multiple_faces_share = 0.2,
            |s| {
                s.multiple_faces_share = 0.8;
                s.looking_away_share = 0.2;
                s.out_of_frame_share = 0.2;
                s.face_visible_share = 0.6;
                s.offset_x = Some(-0.3);
                s.offset_y = Some(0.3);
                s.face_height_share = Some(0.6);
            },
        ];
        for t in tweaks {
            let mut s = summary();
            t(&mut s);
            variants.push(s);
        }
        let mut statuses = Vec::new();
        for s in &variants {
            for c in framing_checks(s) {
                assert_check_well_formed(&c);
                statuses.push(c.status);
            }
            presence_cards(s).iter().for_each(assert_card_well_formed);
        }
        // Presence never fails a preflight: the camera works, framing is advice.
        for st in [Status::Pass, Status::Skipped, Status::Warn] {
            assert!(statuses.contains(&st), "{st:?} not covered");
        }
        assert!(!statuses.contains(&Status::Fail));
    }

    #[test]
    fn summary_round_trips_through_json() {
        let samples: Vec<_> = (0..4).map(|i| sample(i, vec![centred()])).collect();
        let json = serde_json::to_string(&samples[0]).unwrap();
        let back: PresenceSample = serde_json::from_str(&json).unwrap();
        assert_eq!(back, samples[0]);
        // Binary-exact values survive serde_json's float round trip.
        let s = PresenceSummary {
            offset_x: Some(0.125),
            offset_y: Some(-0.25),
            ..summary()
        };
        let back: PresenceSummary =
            serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(back, s);
    }
}

//! Builders and assertions shared by the presence tests of every file of this module.

use super::{framing_checks, FaceBox, PresenceSample, PresenceSummary};
use crate::coach::{MetricCard, MetricUnit, RangeStatus};
use crate::frame::LumaFrame;
use crate::verdict::{Check, Status};

pub(super) const W: u32 = 640;
pub(super) const H: u32 = 360;

pub(super) fn frame(w: u32, h: u32, luma: u8) -> LumaFrame {
    LumaFrame {
        width: w,
        height: h,
        data: vec![luma; (w * h) as usize],
    }
}

/// Paints `x0..x1` x `y0..y1` with `luma`.
pub(super) fn paint(f: &mut LumaFrame, (x0, x1): (u32, u32), (y0, y1): (u32, u32), luma: u8) {
    for y in y0..y1 {
        for x in x0..x1 {
            f.data[(y * f.width + x) as usize] = luma;
        }
    }
}

pub(super) fn face(x: f32, y: f32, w: f32, h: f32) -> FaceBox {
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
pub(super) fn face_at(dx: f64, dy: f64, hs: f64) -> FaceBox {
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

pub(super) fn sample(i: u64, faces: Vec<FaceBox>) -> PresenceSample {
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

pub(super) fn centred() -> FaceBox {
    face_at(0.0, 0.0, 0.33)
}

pub(super) fn summary() -> PresenceSummary {
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

pub(super) fn get<'a>(checks: &'a [Check], id: &str) -> &'a Check {
    checks.iter().find(|c| c.id == id).unwrap()
}

pub(super) fn status_of(s: &PresenceSummary, id: &str) -> Status {
    get(&framing_checks(s), id).status
}

pub(super) fn has_hangul(s: &str) -> bool {
    s.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
}

pub(super) fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-4
}

pub(super) fn assert_check_well_formed(c: &Check) {
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

pub(super) fn assert_card_well_formed(c: &MetricCard) {
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

pub(super) fn assert_summary_finite(s: &PresenceSummary) {
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

pub(super) fn card<'a>(cards: &'a [MetricCard], id: &str) -> &'a MetricCard {
    cards.iter().find(|c| c.id == id).unwrap()
}

//! Observing: what the face detector saw on each sampled frame ([`observe`]), and a take's
//! samples reduced to the shares and medians the checks and cards judge ([`summarize`]).

use super::{FaceBox, PresenceSample, PresenceSummary};
use crate::frame::LumaFrame;
use crate::stats::median;

/// Share of the largest face box (of its width and of its height, centred) whose mean luma
/// is the face's brightness.
pub const FACE_INNER_SHARE: f32 = 0.6;
/// Margin around the largest face box, in box widths, left out of the surround's luma (hair,
/// neck and shoulders are neither face nor background).
pub const SURROUND_MARGIN: f32 = 0.25;
/// A face box within this share of the frame size of an edge touches that edge.
pub const EDGE_SHARE: f64 = 0.10;

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

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::coach::RangeStatus;
    use crate::presence::{framing_checks, presence_cards};

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
}

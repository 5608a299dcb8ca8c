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

mod cards;
mod framing;
mod observation;
#[cfg(test)]
mod test_support;

pub use cards::{
    presence_cards, CARD_AWAY_MAX_PCT, CARD_BACKLIGHT_MIN_PCT, CARD_CENTRING_MAX_PCT,
    CARD_FACES_MAX_PCT, CARD_OUT_OF_FRAME_MAX_PCT, CARD_SIZE_PCT, CARD_VISIBLE_MIN_PCT,
};
pub use framing::{
    framing_checks, BACKLIGHT_MIN_RATIO, FRAMING_FAIL_VISIBLE_SHARE, HIGH_OFFSET, LOW_OFFSET,
    MAX_FACE_HEIGHT, MIN_FACE_HEIGHT, MULTIPLE_FACES_WARN_SHARE, SIDE_OFFSET,
};
pub use observation::{observe, summarize, EDGE_SHARE, FACE_INNER_SHARE, SURROUND_MARGIN};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

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

// Wording shared by the framing checks and the review cards (the submodules see the
// private items of this file).

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

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::*;
    use crate::verdict::Status;

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

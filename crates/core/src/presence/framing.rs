//! The framing checks: a short preflight capture's summary turned into the Check screen's
//! verdicts (`camera.framing`, `camera.backlight`, `camera.faces`).

use super::{pct, side, PresenceSummary};
use crate::verdict::{l, Check, Localized, Status, Unit};

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
        return Check::skipped(id, title, not_analysed());
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
        return Check::skipped(id, title, not_analysed());
    }
    let Some(r) = s.backlight_ratio else {
        return Check::skipped(id, title, no_face_reason());
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
        return Check::skipped(id, title, not_analysed());
    }
    if !s.any_face() {
        return Check::skipped(id, title, no_face_reason());
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

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::coach::RangeStatus;
    use crate::presence::{observe, presence_cards, summarize};

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
}

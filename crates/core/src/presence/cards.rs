//! The review cards: how a take's on-camera presence compares with a good range, for the
//! review screen.

use super::{pct, side, PresenceSummary};
use crate::coach::{GoodRange, Judgement, MetricCard, MetricUnit, RangeStatus};
use crate::verdict::{l, Localized};

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
    use super::super::test_support::{card, close, summary};
    use super::*;

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
}

//! On-camera presence on real photographs whose framing is known by construction
//! (`scripts/faces.py`: scikit-image's astronaut and the rustface crate's group photo, moved
//! by ffmpeg onto a wall). Each clip is analysed as a take's video is (640 wide, three
//! pictures a second, the embedded SeetaFace detector) and every metric is compared with
//! the clip's `truth.json`.

use std::path::PathBuf;

use greenroom_core::presence::{framing_checks, summarize, PresenceSummary};
use greenroom_core::Status;
use greenroom_engine::video::analyse_clip;

/// `$GREENROOM_TEST_FACES` (made by `setup_faces`), or `None` with a reason; a failure
/// under `./x test`.
fn clips() -> Option<PathBuf> {
    match std::env::var_os("GREENROOM_TEST_FACES") {
        Some(d) if !d.is_empty() => Some(PathBuf::from(d)),
        _ => {
            assert!(
                std::env::var_os("GREENROOM_REQUIRE_TEST_BED").is_none(),
                "the face clips are required but GREENROOM_TEST_FACES is not set (scripts/faces.sh)"
            );
            eprintln!("skipped: GREENROOM_TEST_FACES is not set (scripts/faces.sh)");
            None
        }
    }
}

struct Clip {
    summary: PresenceSummary,
    truth: serde_json::Value,
    samples: Vec<greenroom_core::presence::PresenceSample>,
}

fn clip(name: &str) -> Option<Clip> {
    let dir = clips()?;
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("truth.json")).unwrap()).unwrap();
    let samples = analyse_clip(&dir.join(format!("{name}.y4m")), 3.0, 640).unwrap();
    assert_eq!(samples.len(), 12, "4 s at three pictures a second");
    Some(Clip {
        summary: summarize(&samples),
        truth: truth[name].clone(),
        samples,
    })
}

fn face(truth: &serde_json::Value, key: &str) -> (f64, f64, f64) {
    let f = truth[key].as_array().expect("face truth");
    (
        f[0].as_f64().unwrap(),
        f[1].as_f64().unwrap(),
        f[2].as_f64().unwrap(),
    )
}

fn check(summary: &PresenceSummary, id: &str) -> greenroom_core::Check {
    framing_checks(summary)
        .into_iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no {id}"))
}

/// The detector's box spans brows to chin, the annotation hairline to chin: the found
/// face is 70-100 % of the annotated height. Centres agree within 6 % of the frame.
fn assert_face_matches(summary: &PresenceSummary, truth: (f64, f64, f64)) {
    let (cx, cy, h) = truth;
    let dx = summary.offset_x.unwrap() - (cx - 0.5);
    let dy = summary.offset_y.unwrap() - (cy - 0.5);
    assert!(dx.abs() <= 0.06, "horizontal centre off by {dx:.3}");
    assert!(dy.abs() <= 0.06, "vertical centre off by {dy:.3}");
    let ratio = summary.face_height_share.unwrap() / h;
    assert!(
        (0.7..=1.0).contains(&ratio),
        "face height {ratio:.2} of the truth"
    );
}

#[test]
fn a_centred_face_passes_every_framing_check() {
    let Some(c) = clip("centred") else { return };
    assert_eq!(c.summary.face_visible_share, 1.0);
    assert_face_matches(&c.summary, face(&c.truth, "face"));
    for id in ["camera.framing", "camera.backlight", "camera.faces"] {
        assert_eq!(check(&c.summary, id).status, Status::Pass, "{id}");
    }
    assert_eq!(c.summary.looking_away_share, 0.0);
    assert_eq!(c.summary.multiple_faces_share, 0.0);
}

#[test]
fn a_face_low_in_the_frame_is_told_to_raise_the_camera() {
    let Some(c) = clip("low") else { return };
    assert_face_matches(&c.summary, face(&c.truth, "face"));
    let framing = check(&c.summary, "camera.framing");
    assert_eq!(framing.status, Status::Warn);
    assert!(framing.summary.en.contains("low"), "{}", framing.summary.en);
    assert!(framing.fix.unwrap().en.contains("eye level"));
}

#[test]
fn a_small_face_is_too_far() {
    let Some(c) = clip("small") else { return };
    assert_eq!(
        c.summary.face_visible_share, 1.0,
        "a 13 % face is still found"
    );
    assert_face_matches(&c.summary, face(&c.truth, "face"));
    let framing = check(&c.summary, "camera.framing");
    assert_eq!(framing.status, Status::Warn);
    assert!(framing.summary.en.contains("far"), "{}", framing.summary.en);
}

#[test]
fn an_empty_room_warns_no_face_and_skips_the_rest() {
    let Some(c) = clip("none") else { return };
    assert_eq!(c.summary.face_visible_share, 0.0);
    let framing = check(&c.summary, "camera.framing");
    assert_eq!(framing.status, Status::Warn);
    assert!(
        framing.summary.en.contains("No face"),
        "{}",
        framing.summary.en
    );
    assert_eq!(
        check(&c.summary, "camera.backlight").status,
        Status::Skipped
    );
    assert_eq!(check(&c.summary, "camera.faces").status, Status::Skipped);
}

#[test]
fn a_bright_window_behind_is_backlight() {
    let Some(c) = clip("backlit") else { return };
    assert!(c.truth["backlit"].as_bool().unwrap());
    assert_eq!(c.summary.face_visible_share, 1.0);
    assert_face_matches(&c.summary, face(&c.truth, "face"));
    let ratio = c.summary.backlight_ratio.unwrap();
    assert!(ratio < 0.5, "face / background {ratio:.2}");
    assert_eq!(check(&c.summary, "camera.backlight").status, Status::Warn);
    // The same person lit from the front is not backlit.
    let front = clip("centred").unwrap().summary.backlight_ratio.unwrap();
    assert!(front > 1.0, "front-lit ratio {front:.2}");
}

#[test]
fn a_second_person_is_another_face_where_it_was_put() {
    let Some(c) = clip("two") else { return };
    assert_eq!(c.truth["faces"], 2);
    assert_eq!(c.summary.multiple_faces_share, 1.0);
    assert_eq!(check(&c.summary, "camera.faces").status, Status::Warn);
    // Largest first: the astronaut; the second box sits where the second photo was put.
    assert_face_matches(&c.summary, face(&c.truth, "face"));
    let (cx, cy, _) = face(&c.truth, "second");
    for s in &c.samples {
        let f = s.faces[1];
        let (x, y) = (
            (f.x + f.w / 2.0) as f64 / s.width as f64,
            (f.y + f.h / 2.0) as f64 / s.height as f64,
        );
        assert!(
            (x - cx).abs() < 0.06 && (y - cy).abs() < 0.06,
            "second face at {x:.2},{y:.2}"
        );
    }
}

#[test]
fn leaving_the_frame_is_out_of_frame_not_looking_away() {
    let Some(c) = clip("leaving") else { return };
    let visible_until_ms = c.truth["visible"][1].as_f64().unwrap() * 1000.0;
    let fully_out_ms = c.truth["fully_out"].as_f64().unwrap() * 1000.0;
    for s in &c.samples {
        let t = s.at_ms as f64;
        // While the whole face is in the frame it is found; once it is fully out, not.
        // In between (partly cut off) either is right.
        if t < visible_until_ms - 150.0 {
            assert!(!s.faces.is_empty(), "face missed at {t} ms");
        } else if t > fully_out_ms {
            assert!(s.faces.is_empty(), "a face found at {t} ms, after it left");
        }
    }
    let absent = c.samples.iter().filter(|s| s.faces.is_empty()).count();
    assert!(absent >= 3, "{absent} samples without the face");
    assert!(c.summary.out_of_frame_share > 0.2);
    assert_eq!(c.summary.looking_away_share, 0.0);
}

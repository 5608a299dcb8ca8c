//! Camera preflight through its public face: every check with synthetic sources, Y4M
//! files written and read back, bad specs and files, the native "no camera" path on
//! machines without /dev/video*, and the JPEG preview.

use std::path::Path;
use std::time::{Duration, Instant};

use greenroom_core::camera_checks::{delivered_fps, CameraOpenFailure};
use greenroom_core::frame::RgbFrame;
use greenroom_core::verdict::Status;
use greenroom_engine::camera::synthetic::Y4mSource;
use greenroom_engine::camera::{
    open_source, write_y4m, CameraError, CameraPreview, CameraSourceKind, FrameSource, SourceInfo,
    TimedFrame,
};
use greenroom_engine::preflight::camera::{
    check_camera, check_source, CameraCheckOptions, CameraReport,
};
use greenroom_engine::EngineError;

const IDS: [&str; 10] = [
    "camera.opens",
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

fn options(source: &str) -> CameraCheckOptions {
    CameraCheckOptions {
        source: Some(source.into()),
        seconds: 1.0,
        ..Default::default()
    }
}

fn check(source: &str) -> CameraReport {
    check_camera(&options(source)).unwrap_or_else(|e| panic!("{source}: {e}"))
}

/// Asserts the listed statuses and that every other check passes. A picture that passes
/// (or only warns) is also run through the face detector: the test patterns hold no face,
/// so framing warns "no face" and the face checks are skipped; after a failed picture
/// check there are no framing checks.
fn expect(r: &CameraReport, expected: &[(&str, Status)]) {
    let ids: Vec<&str> = r.checks.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(&ids[..IDS.len().min(ids.len())], IDS);
    let failed = expected.iter().any(|(_, s)| *s == Status::Fail);
    if failed {
        assert_eq!(
            ids.len(),
            IDS.len(),
            "no framing after a failed picture: {ids:?}"
        );
    } else {
        assert_eq!(
            &ids[IDS.len()..],
            ["camera.framing", "camera.backlight", "camera.faces"]
        );
        let framing = &r.checks[IDS.len()];
        assert_eq!(framing.status, Status::Warn);
        assert!(
            framing.summary.en.contains("No face"),
            "{}",
            framing.summary.en
        );
        for c in &r.checks[IDS.len() + 1..] {
            assert_eq!(c.status, Status::Skipped, "{}", c.id);
        }
    }
    for c in r.checks.iter().take(IDS.len()) {
        let want = expected
            .iter()
            .find(|(id, _)| *id == c.id)
            .map_or(Status::Pass, |(_, s)| *s);
        assert_eq!(c.status, want, "{}: {}", c.id, c.summary.en);
    }
}

fn fps(r: &CameraReport) -> f64 {
    delivered_fps(r.measurement.as_ref().unwrap()).unwrap()
}

fn assert_near(value: f64, target: f64, share: f64) {
    assert!(
        (value - target).abs() <= target * share,
        "{value} not within {}% of {target}",
        share * 100.0
    );
}

#[test]
fn normal_scene_passes_every_check() {
    let r = check("pattern:scene");
    expect(&r, &[]);
    assert_eq!(r.source_kind, CameraSourceKind::Synthetic);
    assert!(r.device_name.as_deref().unwrap().contains("pattern:scene"));
    let m = r.measurement.as_ref().unwrap();
    assert_eq!((m.delivered_width, m.delivered_height), (1280, 720));
    assert_eq!((m.requested_width, m.requested_height), (1280, 720));
    assert_near(fps(&r), 30.0, 0.2);
    assert!(m.frames >= 24, "{m:?}");
    assert!(m.first_frame_ms.unwrap() < 1500.0);
    assert!(m.last_frame_ms.unwrap() > m.first_frame_ms.unwrap());
    assert!(m.elapsed_ms >= 1000.0);
    assert!(!m.per_frame.is_empty());
    assert_eq!(m.diffs.len(), m.per_frame.len() - 1);
    assert!(m.diffs.iter().all(|&d| d > 0.5), "{:?}", m.diffs);
}

#[test]
fn black_picture_fails_black_and_skips_what_it_hides() {
    let r = check("pattern:black");
    expect(
        &r,
        &[
            ("camera.black", Status::Fail),
            ("camera.frozen", Status::Skipped),
            ("camera.dark", Status::Skipped),
            ("camera.uniform", Status::Skipped),
        ],
    );
}

#[test]
fn frozen_picture_fails_frozen() {
    let r = check("pattern:scene,frozen");
    expect(&r, &[("camera.frozen", Status::Fail)]);
    let m = r.measurement.unwrap();
    assert!(!m.diffs.is_empty() && m.diffs.iter().all(|&d| d == 0.0));
}

#[test]
fn dark_room_warns_dark() {
    let r = check("pattern:dark");
    expect(&r, &[("camera.dark", Status::Warn)]);
}

#[test]
fn overexposed_picture_fails_overexposed() {
    let r = check("pattern:overexposed");
    expect(
        &r,
        &[
            ("camera.overexposed", Status::Fail),
            ("camera.frozen", Status::Skipped),
            ("camera.uniform", Status::Skipped),
        ],
    );
}

#[test]
fn placeholder_card_fails_uniform() {
    let r = check("pattern:uniform");
    expect(
        &r,
        &[
            ("camera.uniform", Status::Fail),
            ("camera.frozen", Status::Skipped),
        ],
    );
}

#[test]
fn eight_frames_a_second_fails_fps() {
    let r = check("pattern:scene,8fps");
    expect(&r, &[("camera.fps", Status::Fail)]);
    assert_near(fps(&r), 8.0, 0.2);
}

#[test]
fn vga_when_720p_was_asked_warns_resolution() {
    let r = check("pattern:scene,640x480");
    expect(&r, &[("camera.resolution", Status::Warn)]);
    let m = r.measurement.unwrap();
    assert_eq!((m.delivered_width, m.delivered_height), (640, 480));
}

/// Flat frames of distinct colours, so a frame read back tells which one it is.
fn colour(i: usize) -> [u8; 3] {
    [200 - 40 * i as u8, 100 + 20 * i as u8, 50 + 30 * i as u8]
}

fn assert_flat(f: &TimedFrame, rgb: [u8; 3]) {
    for px in f.frame.data.chunks_exact(3) {
        for c in 0..3 {
            assert!(
                px[c].abs_diff(rgb[c]) <= 3,
                "frame {}: {px:?} vs {rgb:?}",
                f.seq
            );
        }
    }
}

#[test]
fn y4m_round_trips_and_loops() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("flat.y4m");
    let frames: Vec<_> = (0..4)
        .map(|i| RgbFrame::filled(160, 120, colour(i)))
        .collect();
    write_y4m(&path, &frames, 50.0).unwrap();
    let head = std::fs::read(&path).unwrap();
    assert!(head.starts_with(b"YUV4MPEG2 W160 H120 F50:1 "));

    let mut src = Y4mSource::open(&path).unwrap();
    assert_eq!(src.frame_count(), 4);
    let info = src.info().clone();
    assert_eq!((info.width, info.height, info.fps), (160, 120, 50.0));
    assert_eq!(info.kind, CameraSourceKind::Synthetic);
    // Six frames from a four-frame file: it loops, paced at 50 fps.
    let start = Instant::now();
    let mut got = Vec::new();
    while got.len() < 6 {
        if let Some(f) = src.next_frame(Duration::from_secs(1)).unwrap() {
            got.push(f);
        }
    }
    for f in &got {
        assert_eq!((f.frame.width, f.frame.height), (160, 120));
        assert_flat(f, colour(f.seq as usize % 4));
    }
    let last = got.last().unwrap();
    assert!(last.seq >= 5);
    let span = last.captured_at - got[0].captured_at;
    assert_eq!(
        span,
        Duration::from_millis(20) * (last.seq - got[0].seq) as u32
    );
    assert!(start.elapsed() >= Duration::from_millis(90));
}

#[test]
fn y4m_file_through_the_check() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clip.y4m");
    let frames: Vec<_> = (0..5)
        .map(|i| greenroom_core::frame::render(greenroom_core::frame::Pattern::Scene, 320, 180, i))
        .collect();
    write_y4m(&path, &frames, 29.97).unwrap();
    assert!(std::fs::read(&path)
        .unwrap()
        .starts_with(b"YUV4MPEG2 W320 H180 F30000:1001 "));

    let r = check(path.to_str().unwrap());
    assert!(r.device_name.as_deref().unwrap().contains("clip.y4m"));
    expect(&r, &[("camera.resolution", Status::Warn)]);
    assert_near(fps(&r), 29.97, 0.2);
    let m = r.measurement.unwrap();
    assert_eq!((m.delivered_width, m.delivered_height), (320, 180));
}

fn source_error(spec: &str) -> String {
    match check_camera(&options(spec)) {
        Err(e) => e.to_string(),
        Ok(r) => panic!("{spec} opened: {r:?}"),
    }
}

fn write_bytes(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn corrupt_y4m_files_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let not_y4m = dir.path().join("notes.y4m");
    write_bytes(&not_y4m, b"hello, this is not video\n");
    let e = source_error(not_y4m.to_str().unwrap());
    assert!(e.contains("notes.y4m") && e.contains("YUV4MPEG2"), "{e}");

    let empty = dir.path().join("empty.y4m");
    write_bytes(&empty, b"");
    assert!(source_error(empty.to_str().unwrap()).contains("empty"));

    let bad_frame = dir.path().join("badframe.y4m");
    let mut bytes = b"YUV4MPEG2 W4 H2 F25:1 C444\n".to_vec();
    bytes.extend(b"FRAME\n");
    bytes.extend([128u8; 24]);
    bytes.extend(b"GARBAGE\n");
    bytes.extend([128u8; 24]);
    write_bytes(&bad_frame, &bytes);
    let e = source_error(bad_frame.to_str().unwrap());
    assert!(e.contains("badframe.y4m") && e.contains("frame 2"), "{e}");

    let deep = dir.path().join("deep.y4m");
    write_bytes(&deep, b"YUV4MPEG2 W4 H2 F25:1 C420p10\nFRAME\n");
    let e = source_error(deep.to_str().unwrap());
    assert!(e.contains("deep.y4m") && e.contains("C420p10"), "{e}");
    assert!(e.contains("not supported"), "{e}");

    let no_frames = dir.path().join("noframes.y4m");
    write_bytes(&no_frames, b"YUV4MPEG2 W4 H2 F25:1\n");
    assert!(source_error(no_frames.to_str().unwrap()).contains("no frames"));

    let e = source_error(dir.path().join("missing.y4m").to_str().unwrap());
    assert!(e.contains("missing.y4m") && e.contains("open"), "{e}");
}

#[test]
fn truncated_y4m_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.y4m");
    let frames = vec![RgbFrame::filled(64, 48, [10, 20, 30]); 3];
    write_y4m(&path, &frames, 30.0).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    write_bytes(&path, &bytes[..bytes.len() - 100]);
    let e = source_error(path.to_str().unwrap());
    assert!(
        e.contains("cut.y4m") && e.contains("frame 3 is truncated"),
        "{e}"
    );
    assert!(matches!(
        check_camera(&options(path.to_str().unwrap())),
        Err(EngineError::InvalidArgument { .. })
    ));
}

#[test]
fn bad_pattern_specs_are_clear_errors() {
    let e = source_error("pattern:sunset");
    assert!(
        e.contains("unknown pattern 'sunset'") && e.contains("scene"),
        "{e}"
    );
    assert!(source_error("pattern:scene,fast").contains("unknown option 'fast'"));
    assert!(source_error("pattern:scene,0x0").contains("size '0x0'"));
    assert!(source_error("webcam.mp4").contains(".y4m"));
    assert!(matches!(
        check_camera(&options("pattern:scene,-3fps")),
        Err(EngineError::InvalidArgument { .. })
    ));
}

fn has_video_devices() -> bool {
    std::fs::read_dir("/dev")
        .map(|d| {
            d.flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("video"))
        })
        .unwrap_or(false)
}

/// These machines have no /dev/video*: the native path answers "no camera", not a panic.
#[test]
fn native_path_without_cameras_reports_no_camera() {
    if !cfg!(target_os = "linux") || has_video_devices() {
        return;
    }
    let r = check_camera(&CameraCheckOptions::default()).unwrap();
    assert_eq!(r.source_kind, CameraSourceKind::Native);
    assert_eq!(r.device_name, None);
    assert!(r.measurement.is_none());
    assert_eq!(r.checks.len(), 1);
    let c = &r.checks[0];
    assert_eq!((c.id.as_str(), c.status), ("camera.opens", Status::Fail));
    assert_eq!(c.summary.en, "No camera was found.");
    assert!(c.fix.is_some());

    // A named device on a machine without cameras is "no camera" too.
    let named = check_camera(&CameraCheckOptions {
        device: Some("0".into()),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(named.checks[0].summary.en, "No camera was found.");
    let err = open_source(None, None).err().unwrap();
    assert_eq!(err.failure(), Some(CameraOpenFailure::NoCamera));
}

/// A camera that delivers a few frames, then is unplugged.
struct Unplugged {
    info: SourceInfo,
    left: u64,
}

impl FrameSource for Unplugged {
    fn info(&self) -> &SourceInfo {
        &self.info
    }

    fn next_frame(&mut self, _timeout: Duration) -> Result<Option<TimedFrame>, CameraError> {
        if self.left == 0 {
            return Err(CameraError::Device {
                failure: CameraOpenFailure::Gone,
                device: Some(self.info.name.clone()),
                detail: "No such device (os error 19)".into(),
            });
        }
        self.left -= 1;
        std::thread::sleep(Duration::from_millis(30));
        Ok(Some(TimedFrame {
            seq: 5 - self.left,
            captured_at: Instant::now(),
            frame: greenroom_core::frame::render(
                greenroom_core::frame::Pattern::Scene,
                320,
                180,
                self.left,
            ),
        }))
    }
}

#[test]
fn a_camera_unplugged_mid_capture_fails_opens_and_keeps_what_arrived() {
    let mut src = Unplugged {
        info: SourceInfo {
            name: "HD Webcam".into(),
            kind: CameraSourceKind::Native,
            width: 320,
            height: 180,
            fps: 30.0,
        },
        left: 5,
    };
    let r = check_source(&mut src, Instant::now(), 1.0);
    assert_eq!(r.checks.len(), IDS.len());
    let opens = &r.checks[0];
    assert_eq!(
        (opens.id.as_str(), opens.status),
        ("camera.opens", Status::Fail)
    );
    assert_eq!(opens.summary.en, "'HD Webcam' was disconnected.");
    let m = r.measurement.unwrap();
    assert_eq!(m.frames, 5);
    assert_eq!(m.per_frame.len(), 5);
    assert!(m.elapsed_ms < 1000.0, "the capture stops at the failure");
}

fn wait_for_picture(preview: &CameraPreview, after: Option<u64>) -> (u64, Vec<u8>) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some((seq, jpeg)) = preview.latest() {
            if after.is_none_or(|a| seq > a) {
                return (seq, jpeg.to_vec());
            }
        }
        assert!(Instant::now() < deadline, "no preview picture");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn preview_serves_small_decodable_jpegs_and_stops() {
    let mut preview = CameraPreview::open(None, Some("pattern:scene")).unwrap();
    assert_eq!(preview.info().width, 1280);
    let (seq, jpeg) = wait_for_picture(&preview, None);
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8], "SOI");
    assert_eq!(&jpeg[jpeg.len() - 2..], &[0xFF, 0xD9], "EOI");
    let img = image::load_from_memory_with_format(&jpeg, image::ImageFormat::Jpeg).unwrap();
    assert!(img.width() <= 640);
    assert_eq!((img.width(), img.height()), (640, 360));
    // It keeps updating.
    let (next, _) = wait_for_picture(&preview, Some(seq));
    assert!(next > seq);
    assert!(preview.is_running());
    preview.stop();
    assert!(!preview.is_running());
    assert!(preview.failure().is_none());
}

#[test]
fn a_check_can_read_the_camera_the_preview_shows() {
    let preview = CameraPreview::open(None, Some("pattern:scene")).unwrap();
    let mut tap = preview.tap();
    let r = check_source(&mut tap, Instant::now(), 1.0);
    expect(&r, &[]);
    assert_near(fps(&r), 30.0, 0.2);
    drop(preview);
    // The tap ends with the preview (after at most the frame it already holds).
    let deadline = Instant::now() + Duration::from_secs(2);
    while tap.next_frame(Duration::from_millis(100)).is_ok() {
        assert!(Instant::now() < deadline, "the tap outlived the preview");
    }
}

#[test]
fn the_preview_picture_never_holds_back_the_frames_a_recording_taps() {
    // A 640x360 camera at 30 fps: each preview picture is a JPEG (about 50 ms in a debug
    // build, measured in the app), which the reader must not wait for.
    let preview = CameraPreview::open(None, Some("pattern:scene,640x360")).unwrap();
    let mut tap = preview.tap();
    let (mut first, mut last, mut got) = (None, 0u64, 0u64);
    let until = Instant::now() + Duration::from_secs(2);
    while Instant::now() < until {
        if let Some(f) = tap.next_frame(Duration::from_millis(200)).unwrap() {
            first.get_or_insert(f.seq);
            last = f.seq;
            got += 1;
        }
    }
    let _ = wait_for_picture(&preview, None);
    let due = last - first.unwrap() + 1;
    eprintln!("the tap got {got} of {due} frames");
    // Measured (debug builds): 61 of 61 here, 53 of 61 as a Windows exe under Wine (where
    // the synthetic camera itself renders slower); with the JPEG made on the reading
    // thread, 27 of 60: it skipped every other frame. The bound sits between.
    assert!(got * 10 >= due * 8, "the tap got {got} of {due} frames");
}

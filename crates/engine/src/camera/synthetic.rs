//! Synthetic cameras: generated test patterns and Y4M files, paced by the clock like a
//! real camera. Used by tests, by the end-to-end suite (through [`SOURCE_ENV`]) and by
//! users diagnosing a capture pipeline (`--camera-source SPEC`).
//!
//! # Source spec
//!
//! ```text
//! SPEC    = PATTERN | FILE
//! PATTERN = "pattern:" NAME { "," OPTION }
//! NAME    = scene | black | dark | overexposed | uniform        (case-insensitive)
//! OPTION  = WIDTH "x" HEIGHT      picture size, 16..=7680 x 16..=4320 (default 1280x720)
//!         | RATE "fps"            frames a second, 0.1..=240, decimals allowed (default 30)
//!         | "frozen"              repeat the first frame forever (a stuck camera)
//! FILE    = "file:" PATH          any path
//!         | PATH                  a path ending in ".y4m" (case-insensitive)
//! ```
//!
//! Options may come in any order, each at most once; spaces around names, options and
//! before `fps` are ignored. Examples: `pattern:scene`, `pattern:black`,
//! `pattern:scene,640x480`, `pattern:scene, 8 fps`, `pattern:scene,frozen`,
//! `pattern:dark,1920x1080,60fps`, `clips/me.y4m`, `file:/tmp/capture.yuv4mpeg`.
//!
//! A Y4M file plays at the rate in its header and loops at its end (see the `y4m`
//! module for the formats it reads). A pattern renders frame `seq` of
//! `greenroom_core::frame::render`, so it moves and has sensor noise; `frozen` renders
//! frame 0 every time.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, Instant};

use greenroom_core::frame::{pattern_from_name, render, Pattern, RgbFrame};

use super::y4m::{self, Y4mFile};
use super::{
    CameraError, CameraSourceKind, FrameSource, SourceInfo, TimedFrame, REQUESTED_FPS,
    REQUESTED_HEIGHT, REQUESTED_WIDTH,
};

/// Environment variable naming a synthetic source spec; the app and the CLI use it when
/// no source is given explicitly (the end-to-end tests start the app with it).
pub const SOURCE_ENV: &str = "GREENROOM_CAMERA_SOURCE";

/// The source spec in [`SOURCE_ENV`], when set and not blank.
pub fn source_from_env() -> Option<String> {
    std::env::var(SOURCE_ENV)
        .ok()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

const WIDTH_RANGE: std::ops::RangeInclusive<u32> = 16..=7680;
const HEIGHT_RANGE: std::ops::RangeInclusive<u32> = 16..=4320;
const FPS_RANGE: std::ops::RangeInclusive<f64> = 0.1..=240.0;

/// A generated picture: which pattern, how big, how fast, and whether it is stuck.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PatternSpec {
    pub pattern: Pattern,
    pub width: u32,
    pub height: u32,
    pub fps: f64,
    pub frozen: bool,
}

/// A parsed `--camera-source` spec (grammar in the module doc).
#[derive(Debug, Clone, PartialEq)]
pub enum SourceSpec {
    Pattern(PatternSpec),
    Y4m(PathBuf),
}

impl FromStr for SourceSpec {
    type Err = CameraError;

    fn from_str(spec: &str) -> Result<Self, CameraError> {
        let invalid = |detail: String| CameraError::InvalidSpec {
            spec: spec.to_owned(),
            detail,
        };
        let trimmed = spec.trim();
        if let Some(rest) = strip_prefix_ci(trimmed, "pattern:") {
            return parse_pattern(rest)
                .map(SourceSpec::Pattern)
                .map_err(invalid);
        }
        if let Some(path) = strip_prefix_ci(trimmed, "file:") {
            if path.trim().is_empty() {
                return Err(invalid("'file:' needs a path after it".into()));
            }
            return Ok(SourceSpec::Y4m(PathBuf::from(path.trim())));
        }
        if trimmed.to_ascii_lowercase().ends_with(".y4m") {
            return Ok(SourceSpec::Y4m(PathBuf::from(trimmed)));
        }
        let hint = if pattern_from_name(trimmed).is_some() {
            format!(" (did you mean 'pattern:{trimmed}'?)")
        } else {
            String::new()
        };
        Err(invalid(format!(
            "expected 'pattern:NAME[,WIDTHxHEIGHT][,FPSfps][,frozen]', a path ending in \
             '.y4m', or 'file:PATH'{hint}"
        )))
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

fn pattern_names() -> String {
    Pattern::ALL.map(Pattern::name).join(", ")
}

fn parse_pattern(rest: &str) -> Result<PatternSpec, String> {
    let mut parts = rest.split(',').map(str::trim);
    let name = parts.next().unwrap_or_default();
    let pattern = pattern_from_name(name).ok_or_else(|| {
        if name.is_empty() {
            format!(
                "no pattern name after 'pattern:' (one of {})",
                pattern_names()
            )
        } else {
            format!("unknown pattern '{name}' (one of {})", pattern_names())
        }
    })?;
    let (mut size, mut fps, mut frozen) = (None, None, false);
    for opt in parts {
        let lower = opt.to_ascii_lowercase();
        if lower == "frozen" {
            if frozen {
                return Err("'frozen' is given twice".into());
            }
            frozen = true;
        } else if let Some(rate) = lower.strip_suffix("fps") {
            if fps.is_some() {
                return Err("the frame rate is given twice".into());
            }
            let rate = rate.trim();
            fps = Some(
                rate.parse::<f64>()
                    .ok()
                    .filter(|r| FPS_RANGE.contains(r))
                    .ok_or_else(|| {
                        format!(
                            "frame rate '{opt}' is not a number of frames a second from {} to \
                             {} (like '15fps')",
                            FPS_RANGE.start(),
                            FPS_RANGE.end()
                        )
                    })?,
            );
        } else if let Some((w, h)) = lower.split_once('x') {
            if size.is_some() {
                return Err("the size is given twice".into());
            }
            let side = |v: &str, range: &std::ops::RangeInclusive<u32>| {
                v.trim().parse::<u32>().ok().filter(|v| range.contains(v))
            };
            match (side(w, &WIDTH_RANGE), side(h, &HEIGHT_RANGE)) {
                (Some(w), Some(h)) => size = Some((w, h)),
                _ => {
                    return Err(format!(
                        "size '{opt}' is not WIDTHxHEIGHT with a width of {}..={} and a height \
                         of {}..={} (like '640x480')",
                        WIDTH_RANGE.start(),
                        WIDTH_RANGE.end(),
                        HEIGHT_RANGE.start(),
                        HEIGHT_RANGE.end()
                    ))
                }
            }
        } else if opt.is_empty() {
            return Err("an empty option (two commas in a row, or a comma at the end)".into());
        } else {
            return Err(format!(
                "unknown option '{opt}' (options: WIDTHxHEIGHT, FPSfps, frozen)"
            ));
        }
    }
    let (width, height) = size.unwrap_or((REQUESTED_WIDTH, REQUESTED_HEIGHT));
    Ok(PatternSpec {
        pattern,
        width,
        height,
        fps: fps.unwrap_or(REQUESTED_FPS),
        frozen,
    })
}

/// Opens a synthetic source from its spec.
pub fn open(spec: &str) -> Result<Box<dyn FrameSource>, CameraError> {
    Ok(match spec.parse::<SourceSpec>()? {
        SourceSpec::Pattern(p) => Box::new(PatternSource::new(p, spec.trim())),
        SourceSpec::Y4m(path) => Box::new(Y4mSource::open(&path)?),
    })
}

/// Writes `frames` (all of one size) to a `420jpeg` Y4M file played at `fps`: test
/// fixtures, or a capture to replay with `--camera-source`.
pub fn write_y4m(path: &Path, frames: &[RgbFrame], fps: f64) -> Result<(), CameraError> {
    y4m::write(path, frames, fps)
}

/// A camera's clock: frame `n` is due `n / fps` after the first request. A reader that
/// comes late gets the newest due frame, not the backlog, like a camera that drops what
/// nobody read.
struct Pacer {
    period: Duration,
    start: Option<Instant>,
    last: Option<u64>,
}

impl Pacer {
    fn new(fps: f64) -> Self {
        Self {
            period: Duration::from_secs_f64(1.0 / fps),
            start: None,
            last: None,
        }
    }

    /// Waits for the next frame to be due: its sequence number and due time, or `None`
    /// when it is not due within `timeout`.
    fn next(&mut self, timeout: Duration) -> Option<(u64, Instant)> {
        let now = Instant::now();
        let start = *self.start.get_or_insert(now);
        let following = self.last.map_or(0, |s| s + 1);
        let newest_due =
            (now.duration_since(start).as_secs_f64() / self.period.as_secs_f64()).floor() as u64;
        let seq = following.max(newest_due);
        let due = start + self.period.mul_f64(seq as f64);
        if due > now {
            let wait = due - now;
            if wait > timeout {
                std::thread::sleep(timeout);
                return None;
            }
            std::thread::sleep(wait);
        }
        self.last = Some(seq);
        Some((seq, due))
    }
}

/// One of core's test patterns.
pub struct PatternSource {
    spec: PatternSpec,
    info: SourceInfo,
    pacer: Pacer,
    /// The one frame a frozen source repeats.
    still: Option<RgbFrame>,
}

impl PatternSource {
    /// `label` names the source for the user, usually the spec it came from.
    pub fn new(spec: PatternSpec, label: &str) -> Self {
        Self {
            info: SourceInfo {
                name: format!("Synthetic camera ({label})"),
                kind: CameraSourceKind::Synthetic,
                width: spec.width,
                height: spec.height,
                fps: spec.fps,
            },
            pacer: Pacer::new(spec.fps),
            still: spec
                .frozen
                .then(|| render(spec.pattern, spec.width, spec.height, 0)),
            spec,
        }
    }
}

impl FrameSource for PatternSource {
    fn info(&self) -> &SourceInfo {
        &self.info
    }

    fn next_frame(&mut self, timeout: Duration) -> Result<Option<TimedFrame>, CameraError> {
        let Some((seq, captured_at)) = self.pacer.next(timeout) else {
            return Ok(None);
        };
        let frame = match &self.still {
            Some(f) => f.clone(),
            None => render(self.spec.pattern, self.spec.width, self.spec.height, seq),
        };
        Ok(Some(TimedFrame {
            seq,
            captured_at,
            frame,
        }))
    }
}

/// A Y4M file played in real time, looping.
pub struct Y4mSource {
    file: Y4mFile,
    info: SourceInfo,
    pacer: Pacer,
}

impl Y4mSource {
    /// Opens and indexes the file; a malformed, truncated or unsupported file fails here.
    pub fn open(path: &Path) -> Result<Self, CameraError> {
        let file = Y4mFile::open(path)?;
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into(),
        );
        let fps = file.header.fps();
        Ok(Self {
            info: SourceInfo {
                name: format!("Synthetic camera ({name})"),
                kind: CameraSourceKind::Synthetic,
                width: file.header.width,
                height: file.header.height,
                fps,
            },
            pacer: Pacer::new(fps),
            file,
        })
    }

    /// Frames in one pass through the file.
    pub fn frame_count(&self) -> usize {
        self.file.frame_count()
    }

    /// Frame `index` of the file (looping), decoded at once, not paced: for analysing a
    /// clip faster than real time.
    pub fn frame_at(&mut self, index: u64) -> Result<RgbFrame, CameraError> {
        self.file.read_frame(index)
    }
}

impl FrameSource for Y4mSource {
    fn info(&self) -> &SourceInfo {
        &self.info
    }

    fn next_frame(&mut self, timeout: Duration) -> Result<Option<TimedFrame>, CameraError> {
        let Some((seq, captured_at)) = self.pacer.next(timeout) else {
            return Ok(None);
        };
        Ok(Some(TimedFrame {
            seq,
            captured_at,
            frame: self.file.read_frame(seq)?,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(spec: &str) -> PatternSpec {
        match spec.parse::<SourceSpec>().unwrap() {
            SourceSpec::Pattern(p) => p,
            other => panic!("{other:?}"),
        }
    }

    fn error(spec: &str) -> String {
        spec.parse::<SourceSpec>().unwrap_err().to_string()
    }

    #[test]
    fn pattern_specs_parse_with_defaults() {
        assert_eq!(
            pattern("pattern:scene"),
            PatternSpec {
                pattern: Pattern::Scene,
                width: 1280,
                height: 720,
                fps: 30.0,
                frozen: false
            }
        );
        let p = pattern(" Pattern:Dark , 640X480 , 8 fps ,FROZEN ");
        assert_eq!(
            (p.pattern, p.width, p.height, p.fps, p.frozen),
            (Pattern::Dark, 640, 480, 8.0, true)
        );
        assert_eq!(pattern("pattern:uniform,29.97fps").fps, 29.97);
    }

    #[test]
    fn file_specs() {
        assert_eq!(
            "clips/Me.Y4M".parse::<SourceSpec>().unwrap(),
            SourceSpec::Y4m("clips/Me.Y4M".into())
        );
        assert_eq!(
            "file: /tmp/x.yuv".parse::<SourceSpec>().unwrap(),
            SourceSpec::Y4m("/tmp/x.yuv".into())
        );
    }

    #[test]
    fn bad_specs_say_what_is_wrong() {
        let e = error("pattern:sunset");
        assert!(e.contains("'pattern:sunset'") && e.contains("unknown pattern 'sunset'"));
        assert!(
            e.contains("scene, black, dark, overexposed, uniform"),
            "{e}"
        );
        assert!(error("pattern:").contains("no pattern name"));
        assert!(error("pattern:scene,0x480").contains("size '0x480'"));
        assert!(error("pattern:scene,640x").contains("size '640x'"));
        assert!(error("pattern:scene,0fps").contains("frame rate '0fps'"));
        assert!(error("pattern:scene,fastfps").contains("frame rate"));
        assert!(error("pattern:scene,8fps,9fps").contains("twice"));
        assert!(error("pattern:scene,640x480,320x240").contains("twice"));
        assert!(error("pattern:scene,frozen,frozen").contains("twice"));
        assert!(error("pattern:scene,,frozen").contains("empty option"));
        assert!(error("pattern:scene,blurry").contains("unknown option 'blurry'"));
        assert!(error("scene").contains("did you mean 'pattern:scene'"));
        assert!(error("movie.mp4").contains(".y4m"));
        assert!(error("file:").contains("needs a path"));
    }

    #[test]
    fn pacer_skips_to_the_newest_due_frame() {
        let mut p = Pacer::new(100.0);
        let (s0, t0) = p.next(Duration::from_secs(1)).unwrap();
        assert_eq!(s0, 0);
        let (s1, t1) = p.next(Duration::from_secs(1)).unwrap();
        assert_eq!(s1, 1);
        assert_eq!(t1 - t0, Duration::from_millis(10));
        std::thread::sleep(Duration::from_millis(55));
        let (s, _) = p.next(Duration::from_secs(1)).unwrap();
        assert!(s >= 5, "{s}");
        // A timeout shorter than the wait for the next frame gives nothing.
        let mut slow = Pacer::new(1.0);
        slow.next(Duration::ZERO).unwrap();
        assert_eq!(slow.next(Duration::from_millis(1)), None);
    }
}

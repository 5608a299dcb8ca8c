//! YUV4MPEG2 (Y4M), the uncompressed video format of ffmpeg, mjpegtools and the usual
//! test clips: one text header line (`YUV4MPEG2 W1280 H720 F30:1 C420jpeg ...`), then
//! frames, each a `FRAME` line followed by planar Y, Cb and Cr samples.
//!
//! Read: colour spaces `420jpeg`, `420paldv`, `420mpeg2`, `420` (4:2:0; chroma siting is
//! ignored, a sub-pixel shift does not matter to the checks), `422`, `444` and `mono`,
//! 8 bits only. BT.601; samples are limited range ("TV", 16..235) unless the header says
//! `XCOLORRANGE=FULL`, which is what most tools mean when they say nothing.
//! Written: `420jpeg`, full range, tagged `XCOLORRANGE=FULL`.
//!
//! The whole file is indexed when opened, so a malformed or truncated file is reported
//! before the first frame, and frames can be looped and skipped without decoding.

use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use greenroom_core::frame::RgbFrame;

use super::CameraError;

const MAGIC: &[u8] = b"YUV4MPEG2";
/// Longest header line accepted; real headers are under 100 bytes.
const MAX_HEADER: usize = 4096;
/// Longest `FRAME` line accepted (it may carry parameters).
const MAX_FRAME_HEADER: usize = 1024;
/// Largest side accepted: guards the allocation against a corrupt header.
const MAX_SIDE: u32 = 16384;

/// How the chroma planes are subsampled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Chroma {
    /// 4:2:0: one Cb and one Cr per 2x2 pixels.
    C420,
    /// 4:2:2: one Cb and one Cr per 2x1 pixels.
    C422,
    /// 4:4:4: full-resolution chroma.
    C444,
    /// Luma only.
    Mono,
}

impl Chroma {
    /// Horizontal and vertical subsampling as shifts.
    fn shifts(self) -> (u32, u32) {
        match self {
            Chroma::C420 => (1, 1),
            Chroma::C422 => (1, 0),
            Chroma::C444 | Chroma::Mono => (0, 0),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Y4mHeader {
    pub width: u32,
    pub height: u32,
    pub fps_num: u64,
    pub fps_den: u64,
    pub chroma: Chroma,
    pub full_range: bool,
}

impl Y4mHeader {
    pub fn fps(&self) -> f64 {
        self.fps_num as f64 / self.fps_den as f64
    }

    fn chroma_size(&self) -> (usize, usize) {
        let (sx, sy) = self.chroma.shifts();
        (
            (self.width as usize).div_ceil(1 << sx),
            (self.height as usize).div_ceil(1 << sy),
        )
    }

    /// Bytes of one frame's samples.
    pub fn frame_len(&self) -> usize {
        let luma = self.width as usize * self.height as usize;
        if self.chroma == Chroma::Mono {
            return luma;
        }
        let (cw, ch) = self.chroma_size();
        luma + 2 * cw * ch
    }
}

/// Parses the header line (without its newline).
pub(crate) fn parse_header(line: &[u8]) -> Result<Y4mHeader, String> {
    let line = std::str::from_utf8(line).map_err(|_| "the header is not text".to_owned())?;
    let mut tokens = line.split(' ').filter(|t| !t.is_empty());
    if tokens.next().map(str::as_bytes) != Some(MAGIC) {
        return Err("it does not start with 'YUV4MPEG2'".into());
    }
    let (mut width, mut height, mut fps) = (None, None, None);
    let mut chroma = Chroma::C420;
    let mut full_range = false;
    for token in tokens {
        let mut chars = token.chars();
        let tag = chars.next();
        let value = chars.as_str();
        match tag {
            Some('W') => width = Some(parse_side("width", value)?),
            Some('H') => height = Some(parse_side("height", value)?),
            Some('F') => fps = Some(parse_ratio(value)?),
            Some('C') => {
                chroma = match value {
                    "420jpeg" | "420paldv" | "420mpeg2" | "420" => Chroma::C420,
                    "422" => Chroma::C422,
                    "444" => Chroma::C444,
                    "mono" => Chroma::Mono,
                    other => {
                        return Err(format!(
                            "colour space 'C{other}' is not supported (supported: 420jpeg, \
                             420paldv, 420mpeg2, 420, 422, 444, mono; 8 bits per sample)"
                        ))
                    }
                }
            }
            Some('X') => {
                if let Some(range) = value.strip_prefix("COLORRANGE=") {
                    full_range = range.eq_ignore_ascii_case("FULL");
                }
            }
            // Interlacing, pixel aspect and unknown tags do not change how samples are read.
            _ => {}
        }
    }
    let width = width.ok_or("the header has no width (W)")?;
    let height = height.ok_or("the header has no height (H)")?;
    let (fps_num, fps_den) = fps.ok_or("the header has no frame rate (F)")?;
    Ok(Y4mHeader {
        width,
        height,
        fps_num,
        fps_den,
        chroma,
        full_range,
    })
}

fn parse_side(name: &str, value: &str) -> Result<u32, String> {
    match value.parse::<u32>() {
        Ok(v) if (1..=MAX_SIDE).contains(&v) => Ok(v),
        _ => Err(format!(
            "{name} '{value}' is not a number from 1 to {MAX_SIDE}"
        )),
    }
}

fn parse_ratio(value: &str) -> Result<(u64, u64), String> {
    let bad = || format!("frame rate 'F{value}' is not a ratio like 30:1 or 30000:1001");
    let (n, d) = value.split_once(':').ok_or_else(bad)?;
    let (n, d) = (
        n.parse::<u64>().map_err(|_| bad())?,
        d.parse::<u64>().map_err(|_| bad())?,
    );
    if n == 0 || d == 0 || n as f64 / d as f64 > 1000.0 {
        return Err(format!(
            "frame rate 'F{value}' is out of range (above 0, at most 1000 fps)"
        ));
    }
    Ok((n, d))
}

/// An open, indexed Y4M file.
pub(crate) struct Y4mFile {
    path: PathBuf,
    file: File,
    pub header: Y4mHeader,
    /// Offset of each frame's samples.
    frames: Vec<u64>,
    samples: Vec<u8>,
}

impl Y4mFile {
    pub fn open(path: &Path) -> Result<Self, CameraError> {
        let bad = |detail: String| CameraError::Y4m {
            path: path.to_owned(),
            detail,
        };
        let io = |action, source| CameraError::Io {
            action,
            path: path.to_owned(),
            source,
        };
        let mut file = File::open(path).map_err(|e| io("open", e))?;
        let len = file.metadata().map_err(|e| io("read", e))?.len();

        let head = read_line(&mut file, 0, MAX_HEADER).map_err(|e| io("read", e))?;
        let Some(head) = head else {
            return Err(bad(if len == 0 {
                "the file is empty".into()
            } else {
                "no header line (it does not start with 'YUV4MPEG2 W.. H.. F..')".into()
            }));
        };
        let header = parse_header(&head).map_err(bad)?;
        let frame_len = header.frame_len() as u64;

        // Index every frame: a `FRAME` line, then exactly `frame_len` bytes.
        let mut frames = Vec::new();
        let mut pos = head.len() as u64 + 1;
        while pos < len {
            let n = frames.len() + 1;
            let line = read_line(&mut file, pos, MAX_FRAME_HEADER)
                .map_err(|e| io("read", e))?
                .filter(|l| l.starts_with(b"FRAME"))
                .ok_or_else(|| {
                    bad(format!(
                        "frame {n} does not start with a 'FRAME' line (byte {pos}); the file \
                         is corrupt or its header does not match its frames"
                    ))
                })?;
            let start = pos + line.len() as u64 + 1;
            if start + frame_len > len {
                return Err(bad(format!(
                    "frame {n} is truncated: it needs {frame_len} bytes of samples, {} remain",
                    len.saturating_sub(start)
                )));
            }
            frames.push(start);
            pos = start + frame_len;
        }
        if frames.is_empty() {
            return Err(bad("it holds no frames".into()));
        }
        Ok(Self {
            path: path.to_owned(),
            file,
            header,
            frames,
            samples: vec![0; frame_len as usize],
        })
    }

    pub fn frame_count(&self) -> usize {
        self.frames.len()
    }

    /// Reads and converts frame `index` (modulo the frame count: the file loops).
    pub fn read_frame(&mut self, index: u64) -> Result<RgbFrame, CameraError> {
        let start = self.frames[(index % self.frames.len() as u64) as usize];
        let read = self
            .file
            .seek(SeekFrom::Start(start))
            .and_then(|_| self.file.read_exact(&mut self.samples));
        read.map_err(|source| CameraError::Io {
            action: "read",
            path: self.path.clone(),
            source,
        })?;
        Ok(to_rgb(&self.header, &self.samples))
    }
}

/// The line at `pos` without its newline; `None` when there is no newline within `max`
/// bytes (or at all).
fn read_line(file: &mut File, pos: u64, max: usize) -> std::io::Result<Option<Vec<u8>>> {
    file.seek(SeekFrom::Start(pos))?;
    let mut buf = Vec::with_capacity(64);
    file.take(max as u64).read_to_end(&mut buf)?;
    Ok(buf.iter().position(|&b| b == b'\n').map(|end| {
        buf.truncate(end);
        buf
    }))
}

#[inline]
fn clamp(v: i32) -> u8 {
    v.clamp(0, 255) as u8
}

/// Converts one frame's planar samples (`header.frame_len()` bytes) to RGB, BT.601 in
/// 16.16 fixed point.
pub(crate) fn to_rgb(header: &Y4mHeader, samples: &[u8]) -> RgbFrame {
    let (w, h) = (header.width as usize, header.height as usize);
    let (luma, chroma) = samples.split_at(w * h);
    let (cw, ch) = header.chroma_size();
    let (cb, cr) = if header.chroma == Chroma::Mono {
        (&[][..], &[][..])
    } else {
        chroma.split_at(cw * ch)
    };
    // The per-pixel loop lives in core, which is optimised in debug builds too: a camera
    // clip is decoded 15-30 times a second while a take records it.
    greenroom_core::frame::planar_yuv_to_rgb(
        header.width,
        header.height,
        luma,
        (cb, cr, cw),
        header.chroma.shifts(),
        header.full_range,
    )
}

/// Converts RGB to full-range 4:2:0 planes; chroma is the mean colour of each 2x2 block.
fn to_yuv420(frame: &RgbFrame, out: &mut Vec<u8>) {
    let (w, h) = (frame.width as usize, frame.height as usize);
    let px = |x: usize, y: usize| {
        let i = (y * w + x) * 3;
        [
            frame.data[i] as i32,
            frame.data[i + 1] as i32,
            frame.data[i + 2] as i32,
        ]
    };
    out.extend(frame.data.chunks_exact(3).map(|p| {
        ((19595 * p[0] as i32 + 38470 * p[1] as i32 + 7471 * p[2] as i32 + 32768) >> 16) as u8
    }));
    let (cw, ch) = (w.div_ceil(2), h.div_ceil(2));
    let mut cb = Vec::with_capacity(cw * ch);
    let mut cr = Vec::with_capacity(cw * ch);
    for by in 0..ch {
        for bx in 0..cw {
            let (mut sum, mut n) = ([0i32; 3], 0i32);
            for y in (by * 2)..(by * 2 + 2).min(h) {
                for x in (bx * 2)..(bx * 2 + 2).min(w) {
                    let p = px(x, y);
                    (0..3).for_each(|c| sum[c] += p[c]);
                    n += 1;
                }
            }
            let [r, g, b] = sum.map(|s| (s + n / 2) / n);
            let bias = (128 << 16) + 32768;
            cb.push(clamp((-11059 * r - 21709 * g + 32768 * b + bias) >> 16));
            cr.push(clamp((32768 * r - 27439 * g - 5329 * b + bias) >> 16));
        }
    }
    out.extend_from_slice(&cb);
    out.extend_from_slice(&cr);
}

/// A frame rate as the smallest ratio Y4M players agree on: 30 -> 30:1,
/// 29.97 -> 30000:1001, otherwise millihertz.
pub(crate) fn fps_ratio(fps: f64) -> (u64, u64) {
    if (fps - fps.round()).abs() < 1e-6 {
        return (fps.round() as u64, 1);
    }
    let ntsc = (fps * 1.001).round();
    if (ntsc * 1000.0 / 1001.0 - fps).abs() < 1e-3 {
        return (ntsc as u64 * 1000, 1001);
    }
    let (mut n, mut d) = ((fps * 1000.0).round() as u64, 1000u64);
    let g = gcd(n, d);
    n /= g;
    d /= g;
    (n, d)
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a.max(1)
    } else {
        gcd(b, a % b)
    }
}

/// Writes `frames` (all of one size) as a `420jpeg` Y4M file at `fps`.
pub(crate) fn write(path: &Path, frames: &[RgbFrame], fps: f64) -> Result<(), CameraError> {
    let invalid = |detail: String| CameraError::Y4mWrite {
        path: path.to_owned(),
        detail,
    };
    let first = frames
        .first()
        .ok_or_else(|| invalid("no frames to write".into()))?;
    let (w, h) = (first.width, first.height);
    if !(1..=MAX_SIDE).contains(&w) || !(1..=MAX_SIDE).contains(&h) {
        return Err(invalid(format!("a {w}x{h} frame cannot be written")));
    }
    if !(fps.is_finite() && fps > 0.0 && fps <= 1000.0) {
        return Err(invalid(format!(
            "frame rate {fps} is not above 0 and at most 1000"
        )));
    }
    for (i, f) in frames.iter().enumerate() {
        if (f.width, f.height) != (w, h) {
            return Err(invalid(format!(
                "frame {} is {}x{}, frame 1 is {w}x{h}: all frames must have one size",
                i + 1,
                f.width,
                f.height
            )));
        }
        if f.data.len() != w as usize * h as usize * 3 {
            return Err(invalid(format!(
                "frame {} holds {} bytes, a {w}x{h} RGB frame needs {}",
                i + 1,
                f.data.len(),
                w as usize * h as usize * 3
            )));
        }
    }
    let io = |source| CameraError::Io {
        action: "write",
        path: path.to_owned(),
        source,
    };
    let (num, den) = fps_ratio(fps);
    let mut out = BufWriter::new(File::create(path).map_err(io)?);
    writeln!(
        out,
        "YUV4MPEG2 W{w} H{h} F{num}:{den} Ip A1:1 C420jpeg XCOLORRANGE=FULL"
    )
    .map_err(io)?;
    let mut planes = Vec::new();
    for f in frames {
        planes.clear();
        to_yuv420(f, &mut planes);
        out.write_all(b"FRAME\n").map_err(io)?;
        out.write_all(&planes).map_err(io)?;
    }
    out.flush().map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_fields_and_defaults() {
        let h =
            parse_header(b"YUV4MPEG2 W640 H480 F30000:1001 It A1:1 C420mpeg2 XYSCSS=420").unwrap();
        assert_eq!((h.width, h.height), (640, 480));
        assert!((h.fps() - 29.97).abs() < 0.01);
        assert_eq!(h.chroma, Chroma::C420);
        assert!(!h.full_range);
        assert_eq!(h.frame_len(), 640 * 480 * 3 / 2);
        let odd = parse_header(b"YUV4MPEG2 W5 H3 F25:1 C444 XCOLORRANGE=FULL").unwrap();
        assert_eq!(odd.frame_len(), 45);
        assert!(odd.full_range);
        let odd420 = parse_header(b"YUV4MPEG2 W5 H3 F25:1").unwrap();
        assert_eq!(odd420.frame_len(), 15 + 2 * 3 * 2);
        assert_eq!(
            parse_header(b"YUV4MPEG2 W4 H4 F1:1 Cmono")
                .unwrap()
                .frame_len(),
            16
        );
    }

    #[test]
    fn bad_headers_say_what_is_wrong() {
        let err = |h: &[u8]| parse_header(h).unwrap_err();
        assert!(err(b"YUV4MPEG W4 H4 F1:1").contains("YUV4MPEG2"));
        assert!(err(b"YUV4MPEG2 H4 F1:1").contains("width"));
        assert!(err(b"YUV4MPEG2 W4 F1:1").contains("height"));
        assert!(err(b"YUV4MPEG2 W4 H4").contains("frame rate"));
        assert!(err(b"YUV4MPEG2 W0 H4 F1:1").contains("width '0'"));
        assert!(err(b"YUV4MPEG2 W4 H4 F30:0").contains("F30:0"));
        assert!(err(b"YUV4MPEG2 W4 H4 F30").contains("F30"));
        // Multi-byte and non-UTF-8 bytes are errors, never a panic.
        assert!(parse_header("YUV4MPEG2 W4 H4 F1:1 é XÜ".as_bytes()).is_ok());
        assert!(err("YUV4MPEG2 Wé H4 F1:1".as_bytes()).contains("width 'é'"));
        assert!(err(b"YUV4MPEG2 \xff\xfe").contains("not text"));
        let c = err(b"YUV4MPEG2 W4 H4 F1:1 C420p10");
        assert!(c.contains("C420p10") && c.contains("not supported"), "{c}");
    }

    #[test]
    fn fps_ratios() {
        assert_eq!(fps_ratio(30.0), (30, 1));
        assert_eq!(fps_ratio(29.97), (30000, 1001));
        assert_eq!(fps_ratio(23.976), (24000, 1001));
        assert_eq!(fps_ratio(12.5), (25, 2));
    }

    #[test]
    fn limited_range_black_and_white() {
        let h = parse_header(b"YUV4MPEG2 W2 H2 F1:1 C444").unwrap();
        let mut samples = vec![16, 16, 235, 235];
        samples.extend([128; 8]);
        let rgb = to_rgb(&h, &samples);
        assert_eq!(&rgb.data[..3], &[0, 0, 0]);
        assert_eq!(&rgb.data[9..], &[255, 255, 255]);
    }
}

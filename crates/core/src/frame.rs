//! Camera frame metrics and deterministic test patterns.
//!
//! The engine converts each captured frame to luma with [`LumaFrame::from_rgb_subsampled`]
//! (step [`ANALYSIS_STEP`]), measures it with [`frame_stats`] and compares it with the
//! previous one with [`frame_difference`]; `camera_checks` turns those numbers into
//! verdicts. Everything here is integer arithmetic over borrowed buffers with no per-pixel
//! allocation: analysing a 1280x720 frame at step 2 costs well under a millisecond in a
//! release build.
//!
//! [`render`] draws the synthetic camera's patterns (a normal scene, black, dark,
//! overexposed, a flat placeholder card). A *frozen* camera is not a pattern: the engine
//! simulates it by rendering the same `frame_index` again and again, which yields
//! byte-identical frames.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Subsampling step the engine uses for analysis: every 2nd pixel of every 2nd row.
pub const ANALYSIS_STEP: usize = 2;
/// Luma at or below this counts as "dark" in [`FrameStats::dark_share`].
pub const DARK_LUMA: u8 = 16;
/// Luma at or above this counts as "blown out" in [`FrameStats::bright_share`].
pub const BRIGHT_LUMA: u8 = 250;
/// Side of the square blocks [`FrameStats::uniformity`] is measured on, in pixels of the
/// frame given (8 on a step-2 grid covers 16x16 pixels of the camera image).
pub const UNIFORM_BLOCK: usize = 8;
/// A block whose luma standard deviation is below this is "flat".
pub const FLAT_BLOCK_STD: f64 = 2.0;

/// A packed RGB24 image as delivered by a camera after decoding: `width * height * 3`
/// bytes, row after row, no padding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RgbFrame {
    pub width: u32,
    pub height: u32,
    pub data: Vec<u8>,
}

impl RgbFrame {
    /// A frame filled with one colour.
    pub fn filled(width: u32, height: u32, rgb: [u8; 3]) -> Self {
        let n = width as usize * height as usize;
        let mut data = Vec::with_capacity(n * 3);
        for _ in 0..n {
            data.extend_from_slice(&rgb);
        }
        Self {
            width,
            height,
            data,
        }
    }

    /// Rows that are fully present in `data` (a short buffer is cut to whole rows).
    fn whole_rows(&self) -> usize {
        let stride = self.width as usize * 3;
        self.data
            .len()
            .checked_div(stride)
            .map_or(0, |rows| rows.min(self.height as usize))
    }
}

/// Shrinks a frame by a whole factor so it is at most `max_width` wide, averaging each
/// factor x factor block (a box filter: cheap, and without the aliasing of skipping
/// pixels). A frame that already fits is borrowed as it is. (The factor is capped at 257,
/// far beyond any camera: a frame would have to be 164,480 pixels wide to reach it.)
pub fn downscale(frame: &RgbFrame, max_width: u32) -> std::borrow::Cow<'_, RgbFrame> {
    let (w, h) = (frame.width as usize, frame.height as usize);
    let k = w.div_ceil(max_width.max(1) as usize).clamp(1, 257);
    if k == 1 || frame.data.len() < w * h * 3 {
        return std::borrow::Cow::Borrowed(frame);
    }
    let (ow, oh) = (w / k, (h / k).max(1));
    let n = (k * k.min(h)) as u32;
    // Sum k rows element-wise first (contiguous, so it vectorises; u16 holds 257 rows of
    // 255), then k pixels.
    let mut column_sums = vec![0u16; ow * k * 3];
    let mut data = Vec::with_capacity(ow * oh * 3);
    for oy in 0..oh {
        column_sums.fill(0);
        for row in frame.data.chunks_exact(w * 3).skip(oy * k).take(k) {
            for (sum, &v) in column_sums.iter_mut().zip(row) {
                *sum += v as u16;
            }
        }
        for block in column_sums.chunks_exact(3 * k) {
            let mut px = [0u32; 3];
            for p in block.chunks_exact(3) {
                px[0] += p[0] as u32;
                px[1] += p[1] as u32;
                px[2] += p[2] as u32;
            }
            data.extend(px.map(|s| ((s + n / 2) / n) as u8));
        }
    }
    std::borrow::Cow::Owned(RgbFrame {
        width: ow as u32,
        height: oh as u32,
        data,
    })
}

/// Crops a frame to even width and height (what 4:2:0 video needs), borrowing it when it
/// already is.
pub fn even_size(frame: std::borrow::Cow<'_, RgbFrame>) -> std::borrow::Cow<'_, RgbFrame> {
    let (w, h) = (frame.width & !1, frame.height & !1);
    if (w, h) == (frame.width, frame.height) {
        return frame;
    }
    let mut data = Vec::with_capacity((w * h * 3) as usize);
    for row in frame
        .data
        .chunks_exact(frame.width as usize * 3)
        .take(h as usize)
    {
        data.extend_from_slice(&row[..w as usize * 3]);
    }
    std::borrow::Cow::Owned(RgbFrame {
        width: w,
        height: h,
        data,
    })
}

/// Planar Y'CbCr (8-bit, BT.601, 16.16 fixed point) to RGB. `chroma` is (Cb, Cr, chroma row
/// width), empty planes for luma only; `shifts` the horizontal and vertical subsampling
/// (1, 1 for 4:2:0); `full_range` for 0..255 samples, otherwise 16..235 ("TV").
pub fn planar_yuv_to_rgb(
    width: u32,
    height: u32,
    luma: &[u8],
    chroma: (&[u8], &[u8], usize),
    shifts: (u32, u32),
    full_range: bool,
) -> RgbFrame {
    let clamp = |v: i32| v.clamp(0, 255) as u8;
    let (w, h) = (width as usize, height as usize);
    let (cb, cr, cw) = chroma;
    let (sx, sy) = shifts;
    // (luma offset, luma scale, Cr->R, Cb->G, Cr->G, Cb->B)
    let (y0, ys, rv, gu, gv, bu) = if full_range {
        (0, 65536, 91881, 22554, 46802, 116130)
    } else {
        (16, 76309, 104597, 25675, 53279, 132201)
    };
    let mut data = Vec::with_capacity(w * h * 3);
    for (y, row) in luma.chunks_exact(w.max(1)).take(h).enumerate() {
        let crow = (y >> sy) * cw;
        for (x, &l) in row.iter().enumerate() {
            let yy = (l as i32 - y0) * ys + 32768;
            let (u, v) = match (cb.get(crow + (x >> sx)), cr.get(crow + (x >> sx))) {
                (Some(&u), Some(&v)) => (u as i32 - 128, v as i32 - 128),
                _ => (0, 0),
            };
            data.extend_from_slice(&[
                clamp((yy + rv * v) >> 16),
                clamp((yy - gu * u - gv * v) >> 16),
                clamp((yy + bu * u) >> 16),
            ]);
        }
    }
    RgbFrame {
        width,
        height,
        data,
    }
}

/// An 8-bit luma (brightness) image, `width * height` bytes, row after row.
///
/// Functions in this module treat a `data` shorter than `width * height` as holding only
/// its whole rows; they never panic on a malformed frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LumaFrame {
    pub width: u32,
    pub height: u32,
    pub data: Vec<u8>,
}

/// BT.601 luma with 8-bit integer weights (77 + 150 + 29 = 256), rounded.
#[inline]
fn luma(r: u8, g: u8, b: u8) -> u8 {
    ((77 * r as u32 + 150 * g as u32 + 29 * b as u32 + 128) >> 8) as u8
}

impl LumaFrame {
    /// Full-resolution luma of an RGB frame.
    pub fn from_rgb(rgb: &RgbFrame) -> Self {
        Self::from_rgb_subsampled(rgb, 1)
    }

    /// Luma of every `step`-th pixel of every `step`-th row (a step of 0 is taken as 1).
    /// The result is `ceil(width / step) x ceil(height / step)`.
    pub fn from_rgb_subsampled(rgb: &RgbFrame, step: usize) -> Self {
        let step = step.max(1);
        let w = rgb.width as usize;
        let rows = rgb.whole_rows();
        let out_w = w.div_ceil(step);
        let out_h = rows.div_ceil(step);
        let mut data = Vec::with_capacity(out_w * out_h);
        if out_w > 0 {
            for row in rgb.data.chunks_exact(w * 3).take(rows).step_by(step) {
                // Every chunk holds at least one whole pixel: the row is a multiple of 3
                // bytes and so is the chunk size.
                data.extend(row.chunks(3 * step).map(|p| luma(p[0], p[1], p[2])));
            }
        }
        Self {
            width: out_w as u32,
            height: out_h as u32,
            data,
        }
    }

    /// Rows that are fully present in `data`.
    fn whole_rows(&self) -> usize {
        self.data
            .len()
            .checked_div(self.width as usize)
            .map_or(0, |rows| rows.min(self.height as usize))
    }

    /// The pixels that belong to the frame (whole rows only).
    fn pixels(&self) -> &[u8] {
        &self.data[..self.width as usize * self.whole_rows()]
    }
}

/// Brightness statistics of one frame.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
pub struct FrameStats {
    /// Mean luma, 0..255.
    pub mean_luma: f64,
    /// Population standard deviation of luma.
    pub luma_std: f64,
    /// Share (0..1) of pixels with luma <= [`DARK_LUMA`].
    pub dark_share: f64,
    /// Share (0..1) of pixels with luma >= [`BRIGHT_LUMA`] (blown out).
    pub bright_share: f64,
    /// Share (0..1) of [`UNIFORM_BLOCK`]-sized blocks whose luma std is below
    /// [`FLAT_BLOCK_STD`]: near 1 for a flat card, low for a real scene with sensor noise.
    pub uniformity: f64,
}

impl FrameStats {
    /// Statistics of an empty frame: all zero.
    pub const EMPTY: FrameStats = FrameStats {
        mean_luma: 0.0,
        luma_std: 0.0,
        dark_share: 0.0,
        bright_share: 0.0,
        uniformity: 0.0,
    };
}

/// Measures one luma frame in a single pass. An empty frame gives [`FrameStats::EMPTY`].
/// Frames smaller than one block are judged as a single block.
pub fn frame_stats(frame: &LumaFrame) -> FrameStats {
    let w = frame.width as usize;
    let rows = frame.whole_rows();
    let pixels = frame.pixels();
    if pixels.is_empty() {
        return FrameStats::EMPTY;
    }

    let (bw, bh) = if w >= UNIFORM_BLOCK && rows >= UNIFORM_BLOCK {
        (UNIFORM_BLOCK, UNIFORM_BLOCK)
    } else {
        (w, rows)
    };
    let blocks_x = w / bw;
    let blocks_y = rows / bh;
    let mut block_sum = vec![0u64; blocks_x];
    let mut block_sq = vec![0u64; blocks_x];
    let block_n = (bw * bh) as f64;
    let mut flat_blocks = 0usize;

    let (mut sum, mut sq, mut dark, mut bright) = (0u64, 0u128, 0u64, 0u64);
    for (y, row) in pixels.chunks_exact(w).enumerate() {
        // Per-row accumulators fit u32 for rows up to 66,000 pixels and vectorise well.
        let (mut rs, mut rq, mut rd, mut rb) = (0u32, 0u64, 0u32, 0u32);
        for &v in row {
            let v32 = v as u32;
            rs += v32;
            rq += (v32 * v32) as u64;
            rd += (v <= DARK_LUMA) as u32;
            rb += (v >= BRIGHT_LUMA) as u32;
        }
        sum += rs as u64;
        sq += rq as u128;
        dark += rd as u64;
        bright += rb as u64;

        if y / bh < blocks_y {
            for (bx, chunk) in row[..blocks_x * bw].chunks_exact(bw).enumerate() {
                let (mut s, mut q) = (0u64, 0u64);
                for &v in chunk {
                    let v = v as u64;
                    s += v;
                    q += v * v;
                }
                block_sum[bx] += s;
                block_sq[bx] += q;
            }
            if y % bh == bh - 1 {
                for (s, q) in block_sum.iter_mut().zip(block_sq.iter_mut()) {
                    let mean = *s as f64 / block_n;
                    let var = (*q as f64 / block_n - mean * mean).max(0.0);
                    if var < FLAT_BLOCK_STD * FLAT_BLOCK_STD {
                        flat_blocks += 1;
                    }
                    *s = 0;
                    *q = 0;
                }
            }
        }
    }

    let n = pixels.len() as f64;
    let n_int = pixels.len() as u128;
    let var_num = n_int * sq - (sum as u128) * (sum as u128);
    FrameStats {
        mean_luma: sum as f64 / n,
        luma_std: (var_num as f64).sqrt() / n,
        dark_share: dark as f64 / n,
        bright_share: bright as f64 / n,
        uniformity: flat_blocks as f64 / (blocks_x * blocks_y) as f64,
    }
}

/// Mean absolute luma difference of two frames, 0..255 (0 for byte-identical frames).
///
/// Frames of different sizes cannot be compared and give `f64::INFINITY`, which every
/// rule reads as "changed" (a resolution switch is not a frozen camera). Two empty frames
/// give 0.
pub fn frame_difference(a: &LumaFrame, b: &LumaFrame) -> f64 {
    if a.width != b.width || a.height != b.height {
        return f64::INFINITY;
    }
    let (pa, pb) = (a.pixels(), b.pixels());
    let n = pa.len().min(pb.len());
    if n == 0 {
        return 0.0;
    }
    let total: u64 = pa[..n]
        .chunks(4096)
        .zip(pb[..n].chunks(4096))
        .map(|(ca, cb)| {
            ca.iter()
                .zip(cb)
                .map(|(&x, &y)| x.abs_diff(y) as u32)
                .sum::<u32>() as u64
        })
        .sum();
    total as f64 / n as f64
}

/// Synthetic camera pictures, deterministic for a given size and frame index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Pattern {
    /// A person at a desk in a room: gradients, shapes, a swaying head, a moving ball and
    /// mild sensor noise. Passes every camera check.
    Scene,
    /// A covered lens: luma 0..3 with sensor noise.
    Black,
    /// The scene in a dim room: mean luma about 25.
    Dark,
    /// The scene blown out: most pixels at or above 250.
    Overexposed,
    /// A flat mid-grey card with a small static caption, like a virtual camera's
    /// "camera is off" placeholder. Identical in every frame.
    Uniform,
}

impl Pattern {
    pub const ALL: [Pattern; 5] = [
        Pattern::Scene,
        Pattern::Black,
        Pattern::Dark,
        Pattern::Overexposed,
        Pattern::Uniform,
    ];

    /// The name [`pattern_from_name`] accepts.
    pub fn name(self) -> &'static str {
        match self {
            Pattern::Scene => "scene",
            Pattern::Black => "black",
            Pattern::Dark => "dark",
            Pattern::Overexposed => "overexposed",
            Pattern::Uniform => "uniform",
        }
    }
}

/// Parses a pattern name, case-insensitively: `scene`, `black`, `dark`, `overexposed`,
/// `uniform`.
pub fn pattern_from_name(name: &str) -> Option<Pattern> {
    let name = name.trim();
    Pattern::ALL
        .into_iter()
        .find(|p| p.name().eq_ignore_ascii_case(name))
}

/// SplitMix64: tiny, fast, and the same on every platform.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Sensor noise in `-amp..=amp`, one value per pixel, eight pixels per random word.
struct Noise {
    rng: SplitMix64,
    word: u64,
    left: u32,
    amp: i32,
}

impl Noise {
    fn new(pattern: Pattern, frame_index: u64, amp: i32) -> Self {
        let seed = frame_index
            .wrapping_mul(0xD1B5_4A32_D192_ED03)
            .wrapping_add(pattern as u64 + 1);
        Self {
            rng: SplitMix64(seed),
            word: 0,
            left: 0,
            amp,
        }
    }

    #[inline]
    fn next(&mut self) -> i32 {
        if self.left == 0 {
            self.word = self.rng.next_u64();
            self.left = 8;
        }
        let byte = (self.word & 0xFF) as i32;
        self.word >>= 8;
        self.left -= 1;
        byte % (2 * self.amp + 1) - self.amp
    }
}

/// A triangle wave over `period` frames, in `-period/2..=period/2`.
fn triangle(t: u64, period: u64) -> i64 {
    let phase = (t % period) as i64;
    let half = (period / 2) as i64;
    if phase < half {
        phase - half / 2
    } else {
        half - phase + half / 2
    }
}

/// Geometry of the scene at one frame, in pixels.
struct SceneLayout {
    w: i64,
    h: i64,
    head: (i64, i64, i64),
    ball: (i64, i64, i64),
    window: (i64, i64, i64, i64),
    mullion: i64,
    picture: (i64, i64, i64, i64),
    border: i64,
    neck_half: i64,
    torso_top: i64,
    desk_top: i64,
}

impl SceneLayout {
    fn new(width: u32, height: u32, t: u64) -> Self {
        let (w, h) = (width as i64, height as i64);
        // The head sways by up to 4 % of the width over 2 s at 30 fps.
        let cx = w / 2 + triangle(t, 64) * w / 400;
        // The ball rolls back and forth along the right third.
        let ball_x = w * 78 / 100 + triangle(t, 90) * w / 260;
        Self {
            w,
            h,
            head: (cx, h * 38 / 100, h * 13 / 100),
            ball: (ball_x, h * 62 / 100, (h * 5 / 100).max(1)),
            window: (w * 6 / 100, h * 8 / 100, w * 30 / 100, h * 45 / 100),
            mullion: (w / 100).max(1),
            picture: (w * 72 / 100, h * 15 / 100, w * 90 / 100, h * 35 / 100),
            border: (w / 80).max(1),
            neck_half: (h * 5 / 100).max(1),
            torso_top: h * 60 / 100,
            desk_top: h * 82 / 100,
        }
    }

    fn pixel(&self, x: i64, y: i64) -> [i32; 3] {
        let (w, h) = (self.w, self.h);
        let (hx, hy, hr) = self.head;
        let dx = x - hx;

        if y >= self.desk_top {
            let shade = ((y - self.desk_top) * 30 / (h - self.desk_top).max(1)) as i32;
            let grain = ((x * 7 / w.max(1)) % 2) as i32 * 6;
            return [112 - shade + grain, 80 - shade + grain, 54 - shade];
        }
        let (bx, by, br) = self.ball;
        if (x - bx).pow(2) + (y - by).pow(2) <= br * br {
            return [200, 45, 40];
        }
        if y >= self.torso_top && dx.abs() < h * 16 / 100 + (y - self.torso_top) * 7 / 10 {
            return [45, 62, 98];
        }
        if dx * dx + (y - hy).pow(2) <= hr * hr {
            if y < hy - hr * 35 / 100 {
                return [55, 40, 30];
            }
            return [205, 160, 130];
        }
        if y > hy && y < self.torso_top + 1 && dx.abs() < self.neck_half {
            return [185, 140, 115];
        }
        let (wx0, wy0, wx1, wy1) = self.window;
        if x >= wx0 && x < wx1 && y >= wy0 && y < wy1 {
            let mx = (wx0 + wx1) / 2;
            let my = (wy0 + wy1) / 2;
            if (x - mx).abs() < self.mullion || (y - my).abs() < self.mullion {
                return [95, 85, 75];
            }
            return [228, 232, 238];
        }
        let (px0, py0, px1, py1) = self.picture;
        if x >= px0 && x < px1 && y >= py0 && y < py1 {
            let b = self.border;
            if x < px0 + b || x >= px1 - b || y < py0 + b || y >= py1 - b {
                return [70, 50, 35];
            }
            let g = ((y - py0) * 60 / (py1 - py0).max(1)) as i32;
            return [60 + g / 2, 110 + g, 150 - g / 2];
        }
        let base = (150 - y * 50 / h.max(1) + x * 20 / w.max(1)) as i32;
        [base, base - 6, base - 18]
    }
}

#[inline]
fn clamp_u8(v: i32) -> u8 {
    v.clamp(0, 255) as u8
}

/// Draws frame `frame_index` of `pattern`. The same arguments always give the same bytes;
/// consecutive indices of every pattern but `Uniform` differ (noise, and motion for the
/// scene). Render one index repeatedly to simulate a frozen camera.
pub fn render(pattern: Pattern, width: u32, height: u32, frame_index: u64) -> RgbFrame {
    let (w, h) = (width as usize, height as usize);
    let mut data = Vec::with_capacity(w * h * 3);

    if pattern == Pattern::Uniform {
        let grey = [128u8; 3];
        let (x0, x1) = (w * 40 / 100, w * 60 / 100);
        let (y0, y1) = (h * 47 / 100, h * 53 / 100);
        let glyph = (w / 160).max(1);
        for y in 0..h {
            for x in 0..w {
                let caption = x >= x0 && x < x1 && y >= y0 && y < y1 && {
                    // Glyph-like strokes: letters of 3 columns with a gap, some rows cut.
                    let col = (x - x0) / glyph;
                    let row = (y - y0) / glyph;
                    col % 4 != 3 && (col / 4 + row) % 3 != 0
                };
                if caption {
                    data.extend_from_slice(&[224, 224, 224]);
                } else {
                    data.extend_from_slice(&grey);
                }
            }
        }
        return RgbFrame {
            width,
            height,
            data,
        };
    }

    let layout = SceneLayout::new(width, height, frame_index);
    let mut noise = Noise::new(
        pattern,
        frame_index,
        if pattern == Pattern::Black { 2 } else { 5 },
    );
    for y in 0..h as i64 {
        for x in 0..w as i64 {
            let n = noise.next();
            let px = match pattern {
                Pattern::Black => [1 + n; 3],
                Pattern::Scene => {
                    let [r, g, b] = layout.pixel(x, y);
                    [r + n, g + n, b + n]
                }
                Pattern::Dark => {
                    let [r, g, b] = layout.pixel(x, y);
                    [
                        ((r * 52) >> 8) + n,
                        ((g * 52) >> 8) + n,
                        ((b * 52) >> 8) + n,
                    ]
                }
                Pattern::Overexposed => {
                    let [r, g, b] = layout.pixel(x, y);
                    [r * 2 + 50 + n, g * 2 + 50 + n, b * 2 + 50 + n]
                }
                Pattern::Uniform => unreachable!("handled above"),
            };
            data.extend_from_slice(&[clamp_u8(px[0]), clamp_u8(px[1]), clamp_u8(px[2])]);
        }
    }
    RgbFrame {
        width,
        height,
        data,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: u32 = 160;
    const H: u32 = 90;

    fn stats_of(p: Pattern, i: u64) -> FrameStats {
        frame_stats(&LumaFrame::from_rgb(&render(p, W, H, i)))
    }

    #[test]
    fn luma_uses_bt601_weights() {
        let f = LumaFrame::from_rgb(&RgbFrame {
            width: 5,
            height: 1,
            data: vec![
                0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 255, 0, 0, 0, 255, //
            ],
        });
        assert_eq!(f.data, vec![0, 255, 77, 149, 29]);
        let grey = LumaFrame::from_rgb(&RgbFrame::filled(4, 4, [128, 128, 128]));
        assert!(grey.data.iter().all(|&v| v == 128));
    }

    #[test]
    fn subsampling_takes_every_step_th_pixel_and_row() {
        // 5x3 frame whose red channel encodes x + 10 y (grey, so luma == value).
        let mut data = Vec::new();
        for y in 0..3u8 {
            for x in 0..5u8 {
                let v = x + 10 * y;
                data.extend_from_slice(&[v, v, v]);
            }
        }
        let rgb = RgbFrame {
            width: 5,
            height: 3,
            data,
        };
        let s = LumaFrame::from_rgb_subsampled(&rgb, 2);
        assert_eq!((s.width, s.height), (3, 2));
        assert_eq!(s.data, vec![0, 2, 4, 20, 22, 24]);
        assert_eq!(
            LumaFrame::from_rgb_subsampled(&rgb, 0),
            LumaFrame::from_rgb(&rgb)
        );
        let full = LumaFrame::from_rgb(&rgb);
        assert_eq!((full.width, full.height, full.data.len()), (5, 3, 15));
    }

    #[test]
    fn short_buffers_are_cut_to_whole_rows_without_panicking() {
        let rgb = RgbFrame {
            width: 4,
            height: 4,
            data: vec![200; 4 * 3 * 2 + 5],
        };
        let l = LumaFrame::from_rgb(&rgb);
        assert_eq!((l.width, l.height, l.data.len()), (4, 2, 8));
        let bad = LumaFrame {
            width: 4,
            height: 4,
            data: vec![10; 6],
        };
        assert_eq!(frame_stats(&bad).mean_luma, 10.0);
        assert_eq!(
            frame_stats(&LumaFrame {
                width: 0,
                height: 0,
                data: vec![]
            }),
            FrameStats::EMPTY
        );
    }

    #[test]
    fn stats_of_a_known_frame() {
        // Left half 0, right half 255, 16x16: mean 127.5, std 127.5, half dark, half bright.
        let mut data = Vec::new();
        for _ in 0..16 {
            data.extend(std::iter::repeat_n(0u8, 8));
            data.extend(std::iter::repeat_n(255u8, 8));
        }
        let s = frame_stats(&LumaFrame {
            width: 16,
            height: 16,
            data,
        });
        assert_eq!(s.mean_luma, 127.5);
        assert!((s.luma_std - 127.5).abs() < 1e-9);
        assert_eq!(s.dark_share, 0.5);
        assert_eq!(s.bright_share, 0.5);
        // Four 8x8 blocks, each of one value: all flat.
        assert_eq!(s.uniformity, 1.0);
    }

    #[test]
    fn uniformity_counts_blocks_below_std_two() {
        // 16x8: left block alternates 100/104 (std 2.0, not flat), right alternates
        // 100/103 (std 1.5, flat).
        let mut data = Vec::new();
        for y in 0..8 {
            for x in 0..16 {
                let odd = (x + y) % 2 == 1;
                data.push(match (x < 8, odd) {
                    (true, false) => 100,
                    (true, true) => 104,
                    (false, false) => 100,
                    (false, true) => 103,
                });
            }
        }
        let s = frame_stats(&LumaFrame {
            width: 16,
            height: 8,
            data,
        });
        assert_eq!(s.uniformity, 0.5);
    }

    #[test]
    fn scene_looks_like_a_real_scene() {
        for i in [0, 1, 17, 1000] {
            let s = stats_of(Pattern::Scene, i);
            assert!((100.0..=140.0).contains(&s.mean_luma), "{s:?}");
            assert!(s.luma_std > 30.0, "{s:?}");
            assert!(s.dark_share < 0.05, "{s:?}");
            assert!(s.bright_share < 0.05, "{s:?}");
            assert!(s.uniformity < 0.3, "{s:?}");
        }
    }

    #[test]
    fn scene_moves_between_frames() {
        let lumas: Vec<_> = (0..5)
            .map(|i| LumaFrame::from_rgb(&render(Pattern::Scene, W, H, i)))
            .collect();
        for pair in lumas.windows(2) {
            assert!(frame_difference(&pair[0], &pair[1]) > 1.0);
        }
        // The moving parts change more than noise alone between distant frames.
        let a = LumaFrame::from_rgb(&render(Pattern::Scene, W, H, 0));
        let b = LumaFrame::from_rgb(&render(Pattern::Scene, W, H, 30));
        assert!(frame_difference(&a, &b) > frame_difference(&lumas[0], &lumas[1]));
    }

    #[test]
    fn render_is_deterministic_and_sized() {
        for p in Pattern::ALL {
            let a = render(p, W, H, 7);
            assert_eq!(a, render(p, W, H, 7), "{p:?}");
            assert_eq!(a.data.len(), (W * H * 3) as usize);
        }
        assert!(render(Pattern::Scene, 0, 0, 0).data.is_empty());
        assert_eq!(render(Pattern::Scene, 3, 2, 0).data.len(), 18);
    }

    #[test]
    fn frozen_is_the_same_index_repeated() {
        let a = LumaFrame::from_rgb(&render(Pattern::Scene, W, H, 5));
        let b = LumaFrame::from_rgb(&render(Pattern::Scene, W, H, 5));
        assert_eq!(frame_difference(&a, &b), 0.0);
    }

    #[test]
    fn black_is_near_zero_with_noise() {
        let f = render(Pattern::Black, W, H, 3);
        assert!(f.data.iter().all(|&v| v <= 3));
        let s = stats_of(Pattern::Black, 3);
        assert!(s.mean_luma < 5.0, "{s:?}");
        assert!(s.mean_luma > 0.5, "noise present: {s:?}");
        assert_eq!(s.dark_share, 1.0);
        assert_eq!(s.bright_share, 0.0);
    }

    #[test]
    fn dark_is_dim_with_low_std() {
        let s = stats_of(Pattern::Dark, 3);
        assert!((20.0..=30.0).contains(&s.mean_luma), "{s:?}");
        assert!(s.luma_std < 15.0, "{s:?}");
        assert!(s.uniformity < 0.5, "{s:?}");
    }

    #[test]
    fn overexposed_is_mostly_blown_out() {
        let s = stats_of(Pattern::Overexposed, 3);
        assert!(s.bright_share > 0.65, "{s:?}");
        assert!(s.mean_luma > 220.0, "{s:?}");
        assert!(s.uniformity < 0.9, "{s:?}");
    }

    #[test]
    fn uniform_is_a_static_flat_card() {
        let s = stats_of(Pattern::Uniform, 0);
        assert!((s.mean_luma - 128.0).abs() < 3.0, "{s:?}");
        assert!(s.uniformity > 0.9, "{s:?}");
        assert_eq!(
            render(Pattern::Uniform, W, H, 0),
            render(Pattern::Uniform, W, H, 9)
        );
        // The caption is there: not every pixel is the card's grey.
        assert!(render(Pattern::Uniform, W, H, 0)
            .data
            .iter()
            .any(|&v| v != 128));
        // Also on the engine's subsampled grid.
        let sub = LumaFrame::from_rgb_subsampled(&render(Pattern::Uniform, 320, 180, 0), 2);
        assert!(frame_stats(&sub).uniformity > 0.9);
    }

    #[test]
    fn difference_is_mean_absolute_and_size_checked() {
        let a = LumaFrame {
            width: 2,
            height: 2,
            data: vec![0, 10, 20, 30],
        };
        let b = LumaFrame {
            width: 2,
            height: 2,
            data: vec![4, 6, 20, 40],
        };
        assert_eq!(frame_difference(&a, &b), 4.5);
        assert_eq!(frame_difference(&b, &a), 4.5);
        let c = LumaFrame {
            width: 4,
            height: 1,
            data: vec![0; 4],
        };
        assert_eq!(frame_difference(&a, &c), f64::INFINITY);
        let empty = LumaFrame {
            width: 0,
            height: 0,
            data: vec![],
        };
        assert_eq!(frame_difference(&empty, &empty), 0.0);
    }

    #[test]
    fn pattern_names_round_trip() {
        for p in Pattern::ALL {
            assert_eq!(pattern_from_name(p.name()), Some(p));
        }
        assert_eq!(
            pattern_from_name(" Overexposed "),
            Some(Pattern::Overexposed)
        );
        assert_eq!(pattern_from_name("frozen"), None);
        assert_eq!(pattern_from_name(""), None);
    }

    #[test]
    fn stats_of_720p_subsampled_scene() {
        let rgb = render(Pattern::Scene, 1280, 720, 12);
        let l = LumaFrame::from_rgb_subsampled(&rgb, ANALYSIS_STEP);
        assert_eq!((l.width, l.height), (640, 360));
        let s = frame_stats(&l);
        assert!((100.0..=140.0).contains(&s.mean_luma), "{s:?}");
        assert!(s.luma_std > 30.0, "{s:?}");
        assert!(s.uniformity < 0.3, "{s:?}");
        let full = frame_stats(&LumaFrame::from_rgb(&rgb));
        assert!((full.mean_luma - s.mean_luma).abs() < 2.0);
    }
}

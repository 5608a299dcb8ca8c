//! Face detection for on-camera presence: SeetaFace's frontal funnel cascade (the
//! `rustface` crate, pure Rust) with the model that crate ships, embedded at build time
//! from `assets/face/`.
//!
//! Cost, measured here (2-core Xeon, one thread, 640x360): 20 ms a picture in a release
//! build (`--bench camera`); at three pictures a second, 6 % of one core.
//! A frontal cascade finds faces turned less than ~45 degrees; a face turned further
//! away is "not found", which the presence summary reads as looking away.

use greenroom_core::frame::LumaFrame;
use greenroom_core::presence::FaceBox;

/// SeetaFace frontal detector v1.0 (BSD-2), copied from the `rustface` 0.1.7 package into
/// the repository with its licence (`assets/face/README.md`). Kept in the tree rather than
/// found in cargo's registry by a build script: a build must need nothing that an earlier
/// build left behind, and the registry holds only what this target's build downloaded.
static MODEL: &[u8] = include_bytes!("../../../../assets/face/seeta_fd_frontal_v1.0.bin");

/// Smallest face searched for, in pixels of the analysed picture (the cascade's own
/// minimum): at 640x360, a face this small fills 6 % of the frame height, well below
/// "too far" (15 %).
pub const MIN_FACE_PX: u32 = 20;
/// Detections scoring below this are dropped (the crate's examples use 2.0).
const SCORE_THRESHOLD: f64 = 2.0;

/// A face detector; not `Send` (the cascade keeps scratch buffers): make it on the
/// thread that uses it.
pub struct FaceDetector {
    inner: Box<dyn rustface::Detector>,
}

impl FaceDetector {
    pub fn new() -> Self {
        // The model is compiled in and was read by the build: a parse failure is a broken
        // build, not a user's problem.
        let model = rustface::read_model(MODEL).expect("the embedded face model parses");
        let mut inner = rustface::create_detector_with_model(model);
        inner.set_min_face_size(MIN_FACE_PX);
        inner.set_score_thresh(SCORE_THRESHOLD);
        // Coarser than the crate's example (0.8, 4 px): on the fixture clips at 640x360
        // (debug build) 62 ms instead of 160 ms a picture, with every face still found.
        inner.set_pyramid_scale_factor(0.7);
        inner.set_slide_window_step(6, 6);
        Self { inner }
    }

    /// Faces in a luma picture, largest first.
    pub fn detect(&mut self, frame: &LumaFrame) -> Vec<FaceBox> {
        let (w, h) = (frame.width, frame.height);
        if w < MIN_FACE_PX || h < MIN_FACE_PX || frame.data.len() < (w * h) as usize {
            return vec![];
        }
        let image = rustface::ImageData::new(&frame.data[..(w * h) as usize], w, h);
        let mut faces: Vec<FaceBox> = self
            .inner
            .detect(&image)
            .into_iter()
            .map(|f| {
                let b = f.bbox();
                FaceBox {
                    x: b.x() as f32,
                    y: b.y() as f32,
                    w: b.width() as f32,
                    h: b.height() as f32,
                    score: f.score() as f32,
                }
            })
            .collect();
        faces.sort_by(|a, b| (b.w * b.h).total_cmp(&(a.w * a.h)));
        faces
    }
}

impl Default for FaceDetector {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    /// The model in the binary is the one `assets/face/README.md` names: a truncated or
    /// swapped file would still parse into a detector that finds nothing.
    #[test]
    fn embedded_model_is_the_pinned_seetaface_file() {
        let digest = Sha256::digest(MODEL);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "c4619d066ed35e84d9a8e842860b0dff567aba0cbb139881075538761db3ff5d"
        );
        assert_eq!(MODEL.len(), 1_209_904);
        FaceDetector::new();
    }
}

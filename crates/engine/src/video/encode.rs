//! H.264 encoding of camera frames with OpenH264 (built from the source the `openh264`
//! crate bundles, so the Linux and the Windows builds encode alike and nothing is
//! downloaded). Output is split into the parameter sets and AVCC sample payloads for MP4.

use greenroom_core::frame::RgbFrame;
use openh264::encoder::{
    Complexity, Encoder, EncoderConfig, FrameRate, FrameType, IntraFramePeriod, RateControlMode,
    UsageType, VuiConfig,
};
use openh264::formats::{RgbSliceU8, YUVBuffer};
use openh264::OpenH264API;

use super::fmp4::ParameterSets;

/// One encoded picture.
pub struct EncodedPicture {
    /// AVCC payload: each NAL unit after a 4-byte big-endian length.
    pub data: Vec<u8>,
    pub key: bool,
    /// Present on key frames: what a decoder needs first.
    pub parameter_sets: Option<ParameterSets>,
}

/// Why a picture could not be encoded.
#[derive(Debug, thiserror::Error)]
#[error("H.264 encoder: {0}")]
pub struct EncodeError(String);

/// An H.264 encoder for one size and rate.
pub struct H264Encoder {
    encoder: Encoder,
    yuv: YUVBuffer,
    width: u32,
    height: u32,
}

impl H264Encoder {
    /// `width` and `height` must be even (4:2:0). One key frame per `key_interval` frames.
    pub fn new(width: u32, height: u32, fps: f64, key_interval: u32) -> Result<Self, EncodeError> {
        if width == 0 || height == 0 || width % 2 != 0 || height % 2 != 0 {
            return Err(EncodeError(format!(
                "{width}x{height}: the size must be even and not zero"
            )));
        }
        let config = EncoderConfig::new()
            .usage_type(UsageType::CameraVideoRealTime)
            // Constant quality (OpenH264's QP 26), no rate control: every rate-controlled mode
            // needs frame skipping, and a skipped frame would be a hole in the review video.
            .rate_control_mode(RateControlMode::Off)
            .max_frame_rate(FrameRate::from_hz(fps as f32))
            .skip_frames(false)
            .intra_frame_period(IntraFramePeriod::from_num_frames(key_interval))
            .complexity(Complexity::Low)
            // One thread: the other core belongs to the audio path and the transcriber.
            .num_threads(1)
            .vui(VuiConfig::bt601());
        let encoder = Encoder::with_api_config(OpenH264API::from_source(), config)
            .map_err(|e| EncodeError(e.to_string()))?;
        Ok(Self {
            encoder,
            yuv: YUVBuffer::new(width as usize, height as usize),
            width,
            height,
        })
    }

    pub fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    /// Encodes one frame of the encoder's size. `Ok(None)`: the encoder produced nothing
    /// for it (it should not with frame skipping off, but OpenH264 may).
    pub fn encode(&mut self, frame: &RgbFrame) -> Result<Option<EncodedPicture>, EncodeError> {
        if (frame.width, frame.height) != (self.width, self.height) {
            return Err(EncodeError(format!(
                "frame is {}x{}, the encoder {}x{}",
                frame.width, frame.height, self.width, self.height
            )));
        }
        let need = self.width as usize * self.height as usize * 3;
        if frame.data.len() < need {
            return Err(EncodeError(format!(
                "frame holds {} of {need} bytes",
                frame.data.len()
            )));
        }
        self.yuv.read_rgb8(RgbSliceU8::new(
            &frame.data[..need],
            (self.width as usize, self.height as usize),
        ));
        let stream = self
            .encoder
            .encode(&self.yuv)
            .map_err(|e| EncodeError(e.to_string()))?;
        let key = matches!(stream.frame_type(), FrameType::IDR | FrameType::I);
        if matches!(stream.frame_type(), FrameType::Skip | FrameType::Invalid) {
            return Ok(None);
        }
        let mut data = Vec::new();
        let (mut sps, mut pps) = (None, None);
        for l in 0..stream.num_layers() {
            let Some(layer) = stream.layer(l) else {
                continue;
            };
            for n in 0..layer.nal_count() {
                let Some(nal) = layer.nal_unit(n).map(strip_start_code) else {
                    continue;
                };
                match nal.first().map(|b| b & 0x1f) {
                    Some(7) => sps = Some(nal.to_vec()),
                    Some(8) => pps = Some(nal.to_vec()),
                    Some(_) => {
                        data.extend_from_slice(&(nal.len() as u32).to_be_bytes());
                        data.extend_from_slice(nal);
                    }
                    None => {}
                }
            }
        }
        if data.is_empty() {
            return Ok(None);
        }
        let parameter_sets = match (sps, pps) {
            (Some(sps), Some(pps)) => Some(ParameterSets { sps, pps }),
            _ => None,
        };
        Ok(Some(EncodedPicture {
            data,
            key,
            parameter_sets,
        }))
    }
}

/// A NAL unit without its Annex B start code (`00 00 01` or `00 00 00 01`).
fn strip_start_code(nal: &[u8]) -> &[u8] {
    if nal.starts_with(&[0, 0, 0, 1]) {
        &nal[4..]
    } else if nal.starts_with(&[0, 0, 1]) {
        &nal[3..]
    } else {
        nal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_codes_of_both_lengths_are_stripped() {
        assert_eq!(strip_start_code(&[0, 0, 0, 1, 0x67, 1]), &[0x67, 1]);
        assert_eq!(strip_start_code(&[0, 0, 1, 0x68]), &[0x68]);
        assert_eq!(strip_start_code(&[0x65, 0]), &[0x65, 0]);
    }

    #[test]
    fn odd_sizes_are_refused_by_name() {
        let e = H264Encoder::new(641, 360, 15.0, 15).err().unwrap();
        assert!(e.to_string().contains("641x360"), "{e}");
    }
}

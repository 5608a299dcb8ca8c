//! CTranslate2 (faster-whisper) model folder -> whisper.cpp ggml file.
//!
//! The output is what whisper.cpp's own `convert-pt-to-ggml.py` writes for the original
//! OpenAI checkpoint: the same hparams, Slaney mel filters, byte-level vocabulary and
//! tensors with OpenAI's state-dict names. 1-D tensors, the conv biases (reshaped to
//! `[d, 1]`) and both positional embeddings are f32; the conv kernels are f16; every other
//! matrix is f16, or q8_0 when asked (as whisper.cpp's `quantize` tool would leave it).

use std::io::Write;
use std::ops::ControlFlow;
use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

use crate::ct2::{Ct2Model, Values};
use crate::ggml::{
    f32_to_f16, quantize_q8_0, GgmlType, GgmlWriter, Hparams, Quant, WeightType, N_FFT_BINS,
    QNT_VERSION, QNT_VERSION_FACTOR,
};
use crate::ModelError;

/// How far a conversion is, in weights (elements) written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct ConvertProgress {
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
}

/// What a finished conversion wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converted {
    pub hparams: Hparams,
    pub bytes: u64,
}

/// The hparams a CT2 Whisper model converts to (with the ftype for `quant`).
pub fn ct2_hparams(model: &mut Ct2Model, quant: Option<Quant>) -> Result<Hparams, ModelError> {
    let bin_path = model.bin_path().to_path_buf();
    let invalid = |detail: String| ModelError::InvalidModel {
        path: bin_path.clone(),
        detail,
    };
    let shape = |m: &Ct2Model, name: &str| -> Result<Vec<u64>, ModelError> {
        m.variable(name)
            .map(|v| v.shape.clone())
            .ok_or_else(|| ModelError::InvalidModel {
                path: m.bin_path().to_path_buf(),
                detail: format!("variable '{name}' is missing: not a Whisper model?"),
            })
    };
    let conv1 = shape(model, "encoder/conv1/weight")?;
    if conv1.len() != 3 || conv1[2] != 3 {
        return Err(invalid(format!("encoder/conv1/weight has shape {conv1:?}")));
    }
    let (n_audio_state, n_mels) = (conv1[0], conv1[1]);
    let enc_pe = shape(model, "encoder/position_encodings/encodings")?;
    let emb = shape(model, "decoder/embeddings/weight")?;
    let dec_pe = shape(model, "decoder/position_encodings/encodings")?;
    if enc_pe.len() != 2 || emb.len() != 2 || dec_pe.len() != 2 {
        return Err(invalid("embeddings are not matrices".into()));
    }
    let count_layers = |m: &Ct2Model, side: &str| {
        (0..)
            .take_while(|i| {
                m.variable(&format!("{side}/layer_{i}/self_attention/linear_0/weight"))
                    .is_some()
            })
            .count() as i32
    };
    let n_audio_layer = count_layers(model, "encoder");
    let n_text_layer = count_layers(model, "decoder");
    // Whisper's heads are 64 wide; the stored count wins when present.
    let n_audio_head = model
        .scalar_int("encoder/num_heads")?
        .unwrap_or(n_audio_state as i64 / 64);
    let n_text_head = model
        .scalar_int("decoder/num_heads")?
        .unwrap_or(emb[1] as i64 / 64);
    let to_i32 = |v: u64| i32::try_from(v).unwrap_or(i32::MAX);
    let ftype = match quant {
        None => WeightType::F16.ftype(),
        Some(q) => q.weight_type().ftype() + QNT_VERSION * QNT_VERSION_FACTOR,
    };
    let hp = Hparams {
        n_vocab: to_i32(emb[0]),
        n_audio_ctx: to_i32(enc_pe[0]),
        n_audio_state: to_i32(n_audio_state),
        n_audio_head: i32::try_from(n_audio_head).unwrap_or(-1),
        n_audio_layer,
        n_text_ctx: to_i32(dec_pe[0]),
        n_text_state: to_i32(emb[1]),
        n_text_head: i32::try_from(n_text_head).unwrap_or(-1),
        n_text_layer,
        n_mels: to_i32(n_mels),
        ftype,
    };
    hp.check()
        .map_err(|e| invalid(format!("this model cannot run in whisper.cpp: {e}")))?;
    if enc_pe[1] != n_audio_state || dec_pe[1] != emb[1] {
        return Err(invalid(
            "positional embeddings do not match the model width".into(),
        ));
    }
    Ok(hp)
}

/// The vocabulary whisper.cpp stores: the regular tokens (all before `<|endoftext|>`:
/// 50256 for English-only, 50257 for multilingual models) as raw bytes, mapped back from
/// GPT-2's byte-level alphabet.
pub fn ggml_vocabulary(model: &Ct2Model, hp: &Hparams) -> Result<Vec<Vec<u8>>, ModelError> {
    let invalid = |detail: String| ModelError::InvalidModel {
        path: model.folder().to_path_buf(),
        detail,
    };
    let tokens = &model.vocabulary;
    if tokens.len() != hp.n_vocab as usize {
        return Err(invalid(format!(
            "the vocabulary has {} tokens but the model has {} embeddings",
            tokens.len(),
            hp.n_vocab
        )));
    }
    let regular = if hp.multilingual() { 50257 } else { 50256 };
    if tokens[regular] != "<|endoftext|>" {
        return Err(invalid(format!(
            "token {regular} is '{}', expected <|endoftext|>: not Whisper's tokenizer",
            tokens[regular]
        )));
    }
    tokens[..regular]
        .iter()
        .enumerate()
        .map(|(i, t)| {
            bpe_token_bytes(t)
                .ok_or_else(|| invalid(format!("token {i} ('{t}') is not a byte-level BPE token")))
        })
        .collect()
}

/// Converts an opened CT2 model, writing the ggml file to `out`. `out_path` only names the
/// destination in errors. `progress` is called after each variable; returning
/// `ControlFlow::Break` stops with [`ModelError::Cancelled`].
pub fn convert_ct2<W: Write>(
    model: &mut Ct2Model,
    out: W,
    out_path: &Path,
    quant: Option<Quant>,
    progress: &mut dyn FnMut(ConvertProgress) -> ControlFlow<()>,
) -> Result<(W, Converted), ModelError> {
    let hp = ct2_hparams(model, quant)?;
    let vocab = ggml_vocabulary(model, &hp)?;
    let filters = mel_filters(16_000, 400, hp.n_mels as usize);
    debug_assert_eq!(filters.len(), hp.n_mels as usize * N_FFT_BINS as usize);
    let io = |e: std::io::Error| ModelError::io("write", out_path, e);
    let writer = GgmlWriter::new(out, &hp, &filters, &vocab).map_err(io)?;
    let total = model.variables().map(|v| v.numel()).sum();
    let mut conv = Converter {
        model,
        w: writer,
        wtype: quant.map_or(GgmlType::F16, |q| q.weight_type().tensor_type()),
        out_path,
        progress,
        done: 0,
        total,
    };
    conv.run(&hp)?;
    let bytes = conv.w.bytes_written();
    let out = conv.w.finish().map_err(io)?;
    let _ = (conv.progress)(ConvertProgress { done: total, total });
    Ok((out, Converted { hparams: hp, bytes }))
}

/// Target encoding of one output tensor.
#[derive(Clone, Copy)]
enum Enc {
    F32,
    F16,
    /// The file's weight type (f16 or q8_0).
    Weight,
}

struct Converter<'a, W: Write> {
    model: &'a mut Ct2Model,
    w: GgmlWriter<W>,
    wtype: GgmlType,
    out_path: &'a Path,
    progress: &'a mut dyn FnMut(ConvertProgress) -> ControlFlow<()>,
    done: u64,
    total: u64,
}

impl<W: Write> Converter<'_, W> {
    fn invalid(&self, detail: String) -> ModelError {
        ModelError::InvalidModel {
            path: self.model.bin_path().to_path_buf(),
            detail,
        }
    }

    fn run(&mut self, hp: &Hparams) -> Result<(), ModelError> {
        let a = hp.n_audio_state as u64;
        let t = hp.n_text_state as u64;
        let mels = hp.n_mels as u64;

        self.copy(
            "encoder/position_encodings/encodings",
            &[hp.n_audio_ctx as u64, a],
            "encoder.positional_embedding",
            Enc::F32,
        )?;
        self.copy(
            "encoder/conv1/weight",
            &[a, mels, 3],
            "encoder.conv1.weight",
            Enc::F16,
        )?;
        self.conv_bias("encoder/conv1/bias", a, "encoder.conv1.bias")?;
        self.copy(
            "encoder/conv2/weight",
            &[a, a, 3],
            "encoder.conv2.weight",
            Enc::F16,
        )?;
        self.conv_bias("encoder/conv2/bias", a, "encoder.conv2.bias")?;
        for i in 0..hp.n_audio_layer {
            let src = format!("encoder/layer_{i}");
            let dst = format!("encoder.blocks.{i}");
            self.fused(
                &format!("{src}/self_attention/linear_0"),
                a,
                &[
                    Some(format!("{dst}.attn.query")),
                    Some(format!("{dst}.attn.key")),
                    Some(format!("{dst}.attn.value")),
                ],
            )?;
            self.linear(
                &format!("{src}/self_attention/linear_1"),
                a,
                a,
                &format!("{dst}.attn.out"),
            )?;
            self.norm(
                &format!("{src}/self_attention/layer_norm"),
                a,
                &format!("{dst}.attn_ln"),
            )?;
            self.ffn(&src, &dst, a)?;
        }
        self.norm("encoder/layer_norm", a, "encoder.ln_post")?;

        self.copy(
            "decoder/embeddings/weight",
            &[hp.n_vocab as u64, t],
            "decoder.token_embedding.weight",
            Enc::Weight,
        )?;
        self.copy(
            "decoder/position_encodings/encodings",
            &[hp.n_text_ctx as u64, t],
            "decoder.positional_embedding",
            Enc::F32,
        )?;
        for i in 0..hp.n_text_layer {
            let src = format!("decoder/layer_{i}");
            let dst = format!("decoder.blocks.{i}");
            self.fused(
                &format!("{src}/self_attention/linear_0"),
                t,
                &[
                    Some(format!("{dst}.attn.query")),
                    Some(format!("{dst}.attn.key")),
                    Some(format!("{dst}.attn.value")),
                ],
            )?;
            self.linear(
                &format!("{src}/self_attention/linear_1"),
                t,
                t,
                &format!("{dst}.attn.out"),
            )?;
            self.norm(
                &format!("{src}/self_attention/layer_norm"),
                t,
                &format!("{dst}.attn_ln"),
            )?;
            self.linear(
                &format!("{src}/attention/linear_0"),
                t,
                t,
                &format!("{dst}.cross_attn.query"),
            )?;
            self.fused(
                &format!("{src}/attention/linear_1"),
                t,
                &[
                    Some(format!("{dst}.cross_attn.key")),
                    Some(format!("{dst}.cross_attn.value")),
                ],
            )?;
            self.linear(
                &format!("{src}/attention/linear_2"),
                t,
                t,
                &format!("{dst}.cross_attn.out"),
            )?;
            self.norm(
                &format!("{src}/attention/layer_norm"),
                t,
                &format!("{dst}.cross_attn_ln"),
            )?;
            self.ffn(&src, &dst, t)?;
        }
        self.norm("decoder/layer_norm", t, "decoder.ln")?;
        Ok(())
    }

    fn ffn(&mut self, src: &str, dst: &str, d: u64) -> Result<(), ModelError> {
        self.linear(
            &format!("{src}/ffn/linear_0"),
            4 * d,
            d,
            &format!("{dst}.mlp.0"),
        )?;
        self.linear(
            &format!("{src}/ffn/linear_1"),
            d,
            4 * d,
            &format!("{dst}.mlp.2"),
        )?;
        self.norm(
            &format!("{src}/ffn/layer_norm"),
            d,
            &format!("{dst}.mlp_ln"),
        )
    }

    /// Reads `name`, which must have `shape`, and accounts for it in the progress.
    fn read(&mut self, name: &str, shape: &[u64]) -> Result<Values, ModelError> {
        let numel = self.model.expect(name, shape)?.numel();
        let values = self.model.read(name)?;
        self.done += numel;
        let p = ConvertProgress {
            done: self.done.min(self.total),
            total: self.total,
        };
        if (self.progress)(p).is_break() {
            return Err(ModelError::Cancelled);
        }
        Ok(values)
    }

    fn emit(
        &mut self,
        name: &str,
        ne: &[u64],
        enc: Enc,
        v: &Values,
        range: std::ops::Range<usize>,
    ) -> Result<(), ModelError> {
        let ty = match enc {
            Enc::F32 => GgmlType::F32,
            Enc::F16 => GgmlType::F16,
            Enc::Weight => self.wtype,
        };
        let data = encode(v, range, ty, ne[0] as usize);
        self.w
            .tensor(name, ne, ty, &data)
            .map_err(|e| ModelError::io("write", self.out_path, e))
    }

    /// A whole variable, dims reversed into ggml order.
    fn copy(&mut self, src: &str, shape: &[u64], dst: &str, enc: Enc) -> Result<(), ModelError> {
        let v = self.read(src, shape)?;
        let ne: Vec<u64> = shape.iter().rev().copied().collect();
        let n = v.len();
        self.emit(dst, &ne, enc, &v, 0..n)
    }

    fn conv_bias(&mut self, src: &str, d: u64, dst: &str) -> Result<(), ModelError> {
        let v = self.read(src, &[d])?;
        self.emit(dst, &[1, d], Enc::F32, &v, 0..d as usize)
    }

    fn linear(&mut self, src: &str, rows: u64, cols: u64, dst: &str) -> Result<(), ModelError> {
        let w = self.read(&format!("{src}/weight"), &[rows, cols])?;
        self.emit(
            &format!("{dst}.weight"),
            &[cols, rows],
            Enc::Weight,
            &w,
            0..w.len(),
        )?;
        drop(w);
        let b = self.read(&format!("{src}/bias"), &[rows])?;
        self.emit(&format!("{dst}.bias"), &[rows], Enc::F32, &b, 0..b.len())
    }

    fn norm(&mut self, src: &str, d: u64, dst: &str) -> Result<(), ModelError> {
        let g = self.read(&format!("{src}/gamma"), &[d])?;
        self.emit(&format!("{dst}.weight"), &[d], Enc::F32, &g, 0..g.len())?;
        let b = self.read(&format!("{src}/beta"), &[d])?;
        self.emit(&format!("{dst}.bias"), &[d], Enc::F32, &b, 0..b.len())
    }

    /// A fused projection (`[k*d, d]` rows stacked, e.g. q,k,v) split into `outs`. The
    /// key's bias slice must be zero (Whisper has no key bias) and is dropped.
    fn fused(&mut self, src: &str, d: u64, outs: &[Option<String>]) -> Result<(), ModelError> {
        let k = outs.len() as u64;
        let w = self.read(&format!("{src}/weight"), &[k * d, d])?;
        let du = d as usize;
        for (i, out) in outs.iter().enumerate() {
            if let Some(name) = out {
                let r = i * du * du..(i + 1) * du * du;
                self.emit(&format!("{name}.weight"), &[d, d], Enc::Weight, &w, r)?;
            }
        }
        drop(w);
        let b = self.read(&format!("{src}/bias"), &[k * d])?;
        for (i, out) in outs.iter().enumerate() {
            let Some(name) = out else { continue };
            let r = i * du..(i + 1) * du;
            if name.ends_with(".key") {
                if r.clone().any(|j| b.get(j) != 0.0) {
                    return Err(self.invalid(format!(
                        "'{src}/bias' has a non-zero key bias, which Whisper (and whisper.cpp) \
                         does not have"
                    )));
                }
                continue;
            }
            self.emit(&format!("{name}.bias"), &[d], Enc::F32, &b, r)?;
        }
        Ok(())
    }
}

/// Encodes `v[range]` as `ty`; `ne0` is the row length (for q8_0 blocks).
fn encode(v: &Values, range: std::ops::Range<usize>, ty: GgmlType, ne0: usize) -> Vec<u8> {
    let n = range.len();
    match (ty, v) {
        (GgmlType::F16, Values::F16(h)) => h[range].iter().flat_map(|x| x.to_le_bytes()).collect(),
        (GgmlType::F16, Values::F32(f)) => f[range]
            .iter()
            .flat_map(|&x| f32_to_f16(x).to_le_bytes())
            .collect(),
        (GgmlType::F32, _) => range.flat_map(|i| v.get(i).to_le_bytes()).collect(),
        (GgmlType::Q8_0, _) => {
            debug_assert_eq!(ne0 % 32, 0);
            let mut out = Vec::with_capacity(n / 32 * 34);
            let mut row = Vec::with_capacity(ne0);
            for start in range.step_by(ne0) {
                row.clear();
                row.extend((start..start + ne0).map(|i| v.get(i)));
                quantize_q8_0(&row, &mut out);
            }
            out
        }
        (other, _) => unreachable!("the converter never writes {other:?}"),
    }
}

// --- mel filters --------------------------------------------------------------------------

const F_SP: f64 = 200.0 / 3.0;
const MIN_LOG_HZ: f64 = 1000.0;
const MIN_LOG_MEL: f64 = MIN_LOG_HZ / F_SP;

fn log_step() -> f64 {
    6.4f64.ln() / 27.0
}

/// Slaney's mel scale (librosa's default, `htk=False`): linear below 1 kHz, log above.
pub fn hz_to_mel(f: f64) -> f64 {
    if f >= MIN_LOG_HZ {
        MIN_LOG_MEL + (f / MIN_LOG_HZ).ln() / log_step()
    } else {
        f / F_SP
    }
}

pub fn mel_to_hz(m: f64) -> f64 {
    if m >= MIN_LOG_MEL {
        MIN_LOG_HZ * (log_step() * (m - MIN_LOG_MEL)).exp()
    } else {
        F_SP * m
    }
}

/// The mel filter bank of `librosa.filters.mel(sr, n_fft, n_mels)` with its defaults
/// (fmin 0, fmax sr/2, Slaney scale, `norm='slaney'`: each triangle scaled by
/// `2 / (f_high - f_low)` so its area is about one), row-major `[n_mels][1 + n_fft/2]`.
/// The arithmetic follows librosa (f64, with the triangle rounded to f32 before the
/// normalisation) so whisper's `mel_filters.npz` is reproduced.
pub fn mel_filters(sr: u32, n_fft: usize, n_mels: usize) -> Vec<f32> {
    let n_bins = 1 + n_fft / 2;
    let sr = f64::from(sr);
    let fft_freqs: Vec<f64> = (0..n_bins).map(|k| k as f64 * sr / n_fft as f64).collect();
    let (lo, hi) = (hz_to_mel(0.0), hz_to_mel(sr / 2.0));
    let n_pts = n_mels + 2;
    let step = (hi - lo) / (n_pts - 1) as f64;
    let mel_f: Vec<f64> = (0..n_pts)
        .map(|i| {
            if i == n_pts - 1 {
                hi
            } else {
                lo + i as f64 * step
            }
        })
        .map(mel_to_hz)
        .collect();
    let mut weights = vec![0.0f32; n_mels * n_bins];
    for i in 0..n_mels {
        let (f0, f1, f2) = (mel_f[i], mel_f[i + 1], mel_f[i + 2]);
        let enorm = 2.0 / (f2 - f0);
        for (k, &f) in fft_freqs.iter().enumerate() {
            let lower = -(f0 - f) / (f1 - f0);
            let upper = (f2 - f) / (f2 - f1);
            // Not `.max(0.0)`: for lower = -0.0 it returns -0.0 or +0.0 depending on how
            // the compiler lowers it (rustc 1.95 and Debian's 1.96 differed), and a
            // converted model's bytes must not depend on the compiler.
            let m = lower.min(upper);
            let w = if m > 0.0 { m as f32 } else { 0.0 };
            weights[i * n_bins + k] = (f64::from(w) * enorm) as f32;
        }
    }
    weights
}

// --- GPT-2 byte-level alphabet ------------------------------------------------------------

/// GPT-2's `bytes_to_unicode`: printable Latin-1 bytes map to themselves, the other 68
/// bytes to U+0100 onwards, in byte order.
pub fn bytes_to_unicode() -> [char; 256] {
    let printable =
        |b: u32| (33..=126).contains(&b) || (161..=172).contains(&b) || (174..=255).contains(&b);
    let mut table = ['\0'; 256];
    let mut n = 0;
    for b in 0..256u32 {
        table[b as usize] = if printable(b) {
            char::from_u32(b).unwrap_or('\0')
        } else {
            n += 1;
            char::from_u32(255 + n).unwrap_or('\0')
        };
    }
    table
}

/// Inverse of [`bytes_to_unicode`] for one character.
pub fn unicode_to_byte(c: char) -> Option<u8> {
    let table = bytes_to_unicode();
    let cp = c as u32;
    if cp < 256 {
        // Printable bytes map to themselves; others in this range are not in the alphabet.
        return (table[cp as usize] == c).then_some(cp as u8);
    }
    table.iter().position(|&t| t == c).map(|b| b as u8)
}

/// A byte-level BPE token string to the bytes it stands for.
pub fn bpe_token_bytes(token: &str) -> Option<Vec<u8>> {
    // Build the reverse table once per call site batch: small and cheap.
    thread_local! {
        static REVERSE: std::collections::HashMap<char, u8> =
            bytes_to_unicode().iter().enumerate().map(|(b, &c)| (c, b as u8)).collect();
    }
    REVERSE.with(|rev| token.chars().map(|c| rev.get(&c).copied()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ct2::tests::model_bin;
    use crate::ggml::{f16_to_f32, inspect, ModelSize};
    use std::collections::HashMap;

    /// A tiny.en-shaped CTranslate2 model with patterned f16 weights (the values encode
    /// which variable and element they are, so the mapping can be checked).
    fn synthetic_ct2(dir: &Path, key_bias: f32) {
        let (d, layers, vocab, mels) = (384u32, 4usize, 51864u32, 80u32);
        let pattern: Vec<[u8; 2]> = (0..4096)
            .map(|i| f32_to_f16((i as f32 - 2048.0) / 1024.0).to_le_bytes())
            .collect();
        let mut seed = 0usize;
        let mut f16 = |shape: &[u32]| -> Vec<u8> {
            seed += 97;
            let n: u32 = shape.iter().product();
            (0..n as usize)
                .flat_map(|i| pattern[(i * 31 + seed) % 4096])
                .collect()
        };
        let mut vars: Vec<(String, Vec<u32>, u8, Vec<u8>)> = Vec::new();
        let mut add =
            |name: String, shape: Vec<u32>, data: Vec<u8>| vars.push((name, shape, 4, data));
        add(
            "encoder/conv1/weight".into(),
            vec![d, mels, 3],
            f16(&[d, mels, 3]),
        );
        add("encoder/conv1/bias".into(), vec![d], f16(&[d]));
        add(
            "encoder/conv2/weight".into(),
            vec![d, d, 3],
            f16(&[d, d, 3]),
        );
        add("encoder/conv2/bias".into(), vec![d], f16(&[d]));
        add(
            "encoder/position_encodings/encodings".into(),
            vec![1500, d],
            f16(&[1500, d]),
        );
        add(
            "decoder/embeddings/weight".into(),
            vec![vocab, d],
            f16(&[vocab, d]),
        );
        add(
            "decoder/position_encodings/encodings".into(),
            vec![448, d],
            f16(&[448, d]),
        );
        for side in ["encoder", "decoder"] {
            for norm in ["layer_norm/gamma", "layer_norm/beta"] {
                add(format!("{side}/{norm}"), vec![d], f16(&[d]));
            }
            for i in 0..layers {
                let p = format!("{side}/layer_{i}");
                let mut attn = vec![("self_attention", 3u32)];
                if side == "decoder" {
                    attn.push(("attention", 2));
                }
                for (a, k) in attn {
                    let fused = if a == "attention" {
                        "linear_1"
                    } else {
                        "linear_0"
                    };
                    add(
                        format!("{p}/{a}/{fused}/weight"),
                        vec![k * d, d],
                        f16(&[k * d, d]),
                    );
                    let mut bias = f16(&[k * d]);
                    // The key slice: zero, or `key_bias` to test the check.
                    let key = if k == 3 { 1 } else { 0 };
                    for j in 0..d as usize {
                        let at = (key * d as usize + j) * 2;
                        bias[at..at + 2].copy_from_slice(&f32_to_f16(key_bias).to_le_bytes());
                    }
                    add(format!("{p}/{a}/{fused}/bias"), vec![k * d], bias);
                    let others: &[&str] = if a == "attention" {
                        &["linear_0", "linear_2"]
                    } else {
                        &["linear_1"]
                    };
                    for l in others {
                        add(format!("{p}/{a}/{l}/weight"), vec![d, d], f16(&[d, d]));
                        add(format!("{p}/{a}/{l}/bias"), vec![d], f16(&[d]));
                    }
                    add(format!("{p}/{a}/layer_norm/gamma"), vec![d], f16(&[d]));
                    add(format!("{p}/{a}/layer_norm/beta"), vec![d], f16(&[d]));
                }
                add(
                    format!("{p}/ffn/linear_0/weight"),
                    vec![4 * d, d],
                    f16(&[4 * d, d]),
                );
                add(format!("{p}/ffn/linear_0/bias"), vec![4 * d], f16(&[4 * d]));
                add(
                    format!("{p}/ffn/linear_1/weight"),
                    vec![d, 4 * d],
                    f16(&[d, 4 * d]),
                );
                add(format!("{p}/ffn/linear_1/bias"), vec![d], f16(&[d]));
                add(format!("{p}/ffn/layer_norm/gamma"), vec![d], f16(&[d]));
                add(format!("{p}/ffn/layer_norm/beta"), vec![d], f16(&[d]));
            }
        }
        let heads = 6i16.to_le_bytes().to_vec();
        vars.push(("encoder/num_heads".into(), vec![], 2, heads.clone()));
        vars.push(("decoder/num_heads".into(), vec![], 2, heads));
        let refs: Vec<(&str, Vec<u32>, u8, Vec<u8>)> = vars
            .into_iter()
            .map(|(n, s, t, d)| (&*n.leak(), s, t, d))
            .collect();
        let bin = model_bin(
            "WhisperSpec",
            &refs,
            &[("decoder/projection/weight", "decoder/embeddings/weight")],
        );
        std::fs::write(dir.join("model.bin"), bin).unwrap();
        let table = bytes_to_unicode();
        let mut vocab_txt = String::new();
        for i in 0..vocab as usize {
            let token = match i {
                0..=255 => table[i].to_string(),
                50256 => "<|endoftext|>".to_string(),
                50257.. => format!("<|special{i}|>"),
                _ => format!("{}t{i}", table[b' ' as usize]),
            };
            vocab_txt.push_str(&token);
            vocab_txt.push('\n');
        }
        std::fs::write(dir.join("vocabulary.txt"), vocab_txt).unwrap();
    }

    /// name -> (ne, type id, data) of every tensor in a ggml file.
    fn tensors(b: &[u8]) -> HashMap<String, (Vec<u64>, i32, &[u8])> {
        let rd = |at: usize| i32::from_le_bytes(b[at..at + 4].try_into().unwrap());
        let n_mels = rd(40) as usize;
        let mut pos = 48 + 8 + n_mels * 201 * 4;
        let n_tokens = rd(pos);
        pos += 4;
        for _ in 0..n_tokens {
            pos += 4 + rd(pos) as usize;
        }
        let mut out = HashMap::new();
        while pos < b.len() {
            let (n_dims, name_len, ty) = (rd(pos) as usize, rd(pos + 4) as usize, rd(pos + 8));
            pos += 12;
            let ne: Vec<u64> = (0..n_dims).map(|i| rd(pos + 4 * i) as u64).collect();
            pos += 4 * n_dims;
            let name = String::from_utf8(b[pos..pos + name_len].to_vec()).unwrap();
            pos += name_len;
            let size = GgmlType::from_id(ty).unwrap().nbytes(&ne).unwrap() as usize;
            out.insert(name, (ne, ty, &b[pos..pos + size]));
            pos += size;
        }
        out
    }

    #[test]
    fn converts_a_synthetic_ct2_model_tensor_by_tensor() {
        let dir = tempfile::tempdir().unwrap();
        synthetic_ct2(dir.path(), 0.0);
        let out = dir.path().join("out.ggml");
        let info =
            crate::convert_ct2_folder(dir.path(), &out, None, &mut |_| ControlFlow::Continue(()))
                .unwrap();
        assert_eq!(
            (info.label.as_str(), info.size_class, info.weight_type),
            ("tiny.en", ModelSize::Tiny, WeightType::F16)
        );
        assert_eq!(info.vocab_tokens, 50256);
        let ggml = std::fs::read(&out).unwrap();
        assert_eq!(inspect(&out).unwrap().bytes, ggml.len() as u64);
        let t = tensors(&ggml);

        let mut model = Ct2Model::open(dir.path()).unwrap();
        let fused = model
            .read("encoder/layer_1/self_attention/linear_0/weight")
            .unwrap();
        let Values::F16(fused) = fused else {
            panic!("f16 expected")
        };
        let d = 384usize;
        for (i, part) in ["query", "key", "value"].iter().enumerate() {
            let (ne, ty, data) = &t[&format!("encoder.blocks.1.attn.{part}.weight")];
            assert_eq!((ne.as_slice(), *ty), (&[384u64, 384][..], 1));
            let want: Vec<u8> = fused[i * d * d..(i + 1) * d * d]
                .iter()
                .flat_map(|h| h.to_le_bytes())
                .collect();
            assert_eq!(*data, &want[..], "{part}");
        }
        assert!(!t.contains_key("encoder.blocks.1.attn.key.bias"));
        let bias = model
            .read("decoder/layer_2/attention/linear_1/bias")
            .unwrap();
        let (ne, ty, data) = &t["decoder.blocks.2.cross_attn.value.bias"];
        assert_eq!((ne.as_slice(), *ty), (&[384u64][..], 0));
        let got: Vec<f32> = data
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
            .collect();
        assert_eq!(got, bias.to_f32()[d..].to_vec());
        let (ne, ty, _) = &t["encoder.conv1.bias"];
        assert_eq!((ne.as_slice(), *ty), (&[1u64, 384][..], 0));
        let (ne, ty, _) = &t["encoder.conv2.weight"];
        assert_eq!((ne.as_slice(), *ty), (&[3u64, 384, 384][..], 1));
        let (ne, ty, data) = &t["decoder.positional_embedding"];
        assert_eq!((ne.as_slice(), *ty), (&[384u64, 448][..], 0));
        let pe = model.read("decoder/position_encodings/encodings").unwrap();
        assert_eq!(
            f32::from_le_bytes(data[4..8].try_into().unwrap()),
            pe.get(1)
        );

        // The vocabulary went through the byte table: token 0 ('Ā') is the byte 0x00.
        let first_token = 48 + 8 + 80 * 201 * 4 + 4;
        assert_eq!(&ggml[first_token..first_token + 5], &[1, 0, 0, 0, 0]);

        // q8_0: the matrices (token embedding included) are quantized, the rest is not.
        let q8 = dir.path().join("q8.ggml");
        let info = crate::convert_ct2_folder(dir.path(), &q8, Some(Quant::Q8_0), &mut |_| {
            ControlFlow::Continue(())
        })
        .unwrap();
        assert_eq!(info.weight_type, WeightType::Q8_0);
        assert_eq!(info.hparams.ftype, 2007);
        let q8 = std::fs::read(&q8).unwrap();
        let t = tensors(&q8);
        assert_eq!(t["decoder.token_embedding.weight"].1, 8);
        assert_eq!(t["encoder.blocks.0.mlp.0.weight"].1, 8);
        assert_eq!(t["encoder.conv1.weight"].1, 1);
        assert_eq!(t["encoder.positional_embedding"].1, 0);
        let (_, _, data) = &t["encoder.blocks.1.attn.key.weight"];
        let back = crate::ggml::dequantize_q8_0(data);
        for (j, v) in back.iter().enumerate().take(2048) {
            let want = f16_to_f32(fused[d * d + j]);
            assert!((v - want).abs() <= 2.0 / 127.0 * 0.6, "{j}: {v} vs {want}");
        }
    }

    #[test]
    fn refuses_a_key_bias_and_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        synthetic_ct2(dir.path(), 0.5);
        let out = dir.path().join("out.ggml");
        let err =
            crate::convert_ct2_folder(dir.path(), &out, None, &mut |_| ControlFlow::Continue(()))
                .unwrap_err();
        assert!(err.to_string().contains("key bias"), "{err}");
        let files: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(files.len(), 2, "{files:?}"); // model.bin and vocabulary.txt only
                                                 // Cancelling stops the conversion the same way.
        let mut calls = 0;
        let mut stop = |_| {
            calls += 1;
            if calls > 3 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        };
        synthetic_ct2(dir.path(), 0.0);
        let err = crate::convert_ct2_folder(dir.path(), &out, None, &mut stop).unwrap_err();
        assert!(matches!(err, ModelError::Cancelled), "{err}");
        assert!(!out.exists());
    }

    #[test]
    fn byte_alphabet_is_a_bijection_and_round_trips() {
        let table = bytes_to_unicode();
        let mut seen = std::collections::HashSet::new();
        for (b, &c) in table.iter().enumerate() {
            assert!(seen.insert(c), "{c:?} used twice");
            assert_eq!(unicode_to_byte(c), Some(b as u8));
        }
        assert_eq!(seen.len(), 256);
        assert_eq!(table[b'A' as usize], 'A');
        assert_eq!(table[b' ' as usize], 'Ġ'); // U+0120: the famous GPT-2 space
        assert_eq!(table[b'\n' as usize], 'Ċ'); // U+010A
        assert_eq!(table[0], 'Ā'); // U+0100
        assert_eq!(table[0xad], 'Ń'); // soft hyphen is the last remapped byte
        assert_eq!(unicode_to_byte('\u{a0}'), None);
        assert_eq!(bpe_token_bytes("Ġhello").unwrap(), b" hello");
        // "안" is EC 95 88 in UTF-8: three bytes, each through the table.
        assert_eq!(bpe_token_bytes("ìķĪ").unwrap(), "안".as_bytes());
        assert_eq!(bpe_token_bytes("").unwrap(), b"");
        assert!(bpe_token_bytes("日").is_none());
        let all: String = table.iter().collect();
        assert_eq!(
            bpe_token_bytes(&all).unwrap(),
            (0..=255u8).collect::<Vec<_>>()
        );
    }

    #[test]
    fn mel_scale_matches_slaney() {
        assert!((hz_to_mel(1000.0) - 15.0).abs() < 1e-12);
        assert!((hz_to_mel(500.0) - 7.5).abs() < 1e-12);
        // 6.4 kHz is 27 log steps above 1 kHz.
        assert!((hz_to_mel(6400.0) - 42.0).abs() < 1e-9);
        for f in [0.0, 37.5, 999.0, 1000.0, 4321.0, 8000.0] {
            assert!((mel_to_hz(hz_to_mel(f)) - f).abs() < 1e-9, "{f}");
        }
    }

    #[test]
    fn mel_filters_have_whisper_shape_and_slaney_normalisation() {
        let (n_mels, n_bins) = (80usize, 201usize);
        let w = mel_filters(16_000, 400, n_mels);
        assert_eq!(w.len(), n_mels * n_bins);
        assert!(w.iter().all(|&v| v >= 0.0 && v.is_finite()));
        // No negative zeros: they made the converted bytes depend on the compiler.
        assert!(w.iter().all(|&v| !v.is_sign_negative()));
        // Band edges (Hz) of each triangle, computed here independently of mel_filters.
        let hi = hz_to_mel(8000.0);
        let edge = |i: usize| mel_to_hz(hi * i as f64 / 81.0);
        for m in 0..n_mels {
            let row = &w[m * n_bins..(m + 1) * n_bins];
            let (f0, f1, f2) = (edge(m), edge(m + 1), edge(m + 2));
            let peak = 2.0 / (f2 - f0);
            assert!(row.iter().any(|&v| v > 0.0), "filter {m} is empty");
            // The largest weight sits on a bin next to the centre frequency.
            let top = (0..n_bins)
                .max_by(|&a, &b| row[a].total_cmp(&row[b]))
                .unwrap();
            assert!(
                (top as f64 * 40.0 - f1).abs() <= 40.0,
                "filter {m} peaks at bin {top}, centre {f1} Hz"
            );
            // Never above the normalised peak height; zero outside (f0, f2).
            for (k, &v) in row.iter().enumerate() {
                let f = k as f64 * 40.0;
                assert!(f64::from(v) <= peak * (1.0 + 1e-6), "filter {m} bin {k}");
                if f <= f0 || f >= f2 {
                    assert_eq!(v, 0.0, "filter {m} bin {k} at {f} Hz outside {f0}..{f2}");
                }
            }
            // Slaney normalisation: area (sum x 40 Hz bin width) ~ 1 once the triangle
            // spans enough bins for the sum to approximate the integral.
            if f2 - f0 > 400.0 {
                let area: f64 = row.iter().map(|&v| f64::from(v) * 40.0).sum();
                assert!((area - 1.0).abs() < 0.03, "filter {m}: area {area}");
            }
        }
        // Spot values from librosa.filters.mel(sr=16000, n_fft=400, n_mels=80) (computed
        // with librosa's formulas in plain Python, f32).
        for (m, k, expected) in EXPECTED_MEL {
            let v = w[m * n_bins + k];
            assert!(
                (v - expected).abs() <= 1e-7 + expected.abs() * 1e-5,
                "[{m}][{k}] {v} != {expected}"
            );
        }
    }

    const EXPECTED_MEL: [(usize, usize, f32); 16] = [
        (0, 1, 0.024_862_595),
        (1, 1, 0.001_990_822),
        (1, 2, 0.022_871_772),
        (10, 10, 0.019_908_218),
        (10, 11, 0.004_954_375),
        (30, 29, 0.015_856_037),
        (30, 30, 0.008_962_771),
        (40, 42, 0.005_411_105),
        (40, 43, 0.014_735_566),
        (40, 44, 0.006_518_19),
        (60, 90, 0.001_434_534_3),
        (60, 93, 0.006_591_093),
        (60, 96, 0.000_797_849_15),
        (79, 186, 0.000_366_741_67),
        (79, 193, 0.003_141_313_3),
        (79, 199, 0.000_448_759),
    ];
}

//! whisper.cpp's legacy `ggml` model container: writing one, and validating any one before
//! whisper.cpp sees it.
//!
//! Layout (all integers i32 little-endian): magic `0x67676d6c`; hparams n_vocab,
//! n_audio_ctx, n_audio_state, n_audio_head, n_audio_layer, n_text_ctx, n_text_state,
//! n_text_head, n_text_layer, n_mels, ftype (+ 1000 x quantization version); mel filters
//! (n_mel, n_fft, f32 data); vocabulary (count, then length + bytes per token); tensors
//! until the end of the file (n_dims, name length, type, dims with ne0 first, name, data).
//!
//! whisper.cpp trusts these files: an unknown ftype trips a `GGML_ASSERT` (the process
//! aborts), a huge token length makes it allocate without bound, and a short file is read
//! as garbage. [`inspect`] therefore checks everything whisper.cpp relies on, walking all
//! tensors against the hparams exactly as whisper.cpp will load them.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::ModelError;

pub const GGML_MAGIC: u32 = 0x6767_6d6c;
/// ggml's quantization format version, stored as `ftype + 1000 * version` by quantizers.
pub const QNT_VERSION: i32 = 2;
pub const QNT_VERSION_FACTOR: i32 = 1000;
/// whisper.cpp computes 201 frequency bins (n_fft 400 at 16 kHz).
pub const N_FFT_BINS: i32 = 201;
/// Longest token whisper's vocabularies have is far below this.
const MAX_TOKEN_BYTES: u32 = 1024;
const MAX_TENSOR_NAME: i32 = 256;

/// ggml tensor element types that whisper models use (ids as in `enum ggml_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GgmlType {
    F32,
    F16,
    Q4_0,
    Q4_1,
    Q5_0,
    Q5_1,
    Q8_0,
    Q2K,
    Q3K,
    Q4K,
    Q5K,
    Q6K,
    Bf16,
}

impl GgmlType {
    pub fn from_id(id: i32) -> Option<Self> {
        Some(match id {
            0 => GgmlType::F32,
            1 => GgmlType::F16,
            2 => GgmlType::Q4_0,
            3 => GgmlType::Q4_1,
            6 => GgmlType::Q5_0,
            7 => GgmlType::Q5_1,
            8 => GgmlType::Q8_0,
            10 => GgmlType::Q2K,
            11 => GgmlType::Q3K,
            12 => GgmlType::Q4K,
            13 => GgmlType::Q5K,
            14 => GgmlType::Q6K,
            30 => GgmlType::Bf16,
            _ => return None,
        })
    }

    pub fn id(self) -> i32 {
        match self {
            GgmlType::F32 => 0,
            GgmlType::F16 => 1,
            GgmlType::Q4_0 => 2,
            GgmlType::Q4_1 => 3,
            GgmlType::Q5_0 => 6,
            GgmlType::Q5_1 => 7,
            GgmlType::Q8_0 => 8,
            GgmlType::Q2K => 10,
            GgmlType::Q3K => 11,
            GgmlType::Q4K => 12,
            GgmlType::Q5K => 13,
            GgmlType::Q6K => 14,
            GgmlType::Bf16 => 30,
        }
    }

    /// (elements per block, bytes per block), as ggml's `type_traits`.
    pub fn block(self) -> (u64, u64) {
        match self {
            GgmlType::F32 => (1, 4),
            GgmlType::F16 | GgmlType::Bf16 => (1, 2),
            GgmlType::Q4_0 => (32, 18),
            GgmlType::Q4_1 => (32, 20),
            GgmlType::Q5_0 => (32, 22),
            GgmlType::Q5_1 => (32, 24),
            GgmlType::Q8_0 => (32, 34),
            GgmlType::Q2K => (256, 84),
            GgmlType::Q3K => (256, 110),
            GgmlType::Q4K => (256, 144),
            GgmlType::Q5K => (256, 176),
            GgmlType::Q6K => (256, 210),
        }
    }

    /// Bytes of a tensor with `ne` (ne0 first), or `None` when rows do not split into
    /// whole blocks.
    pub fn nbytes(self, ne: &[u64]) -> Option<u64> {
        let (blck, size) = self.block();
        let ne0 = *ne.first()?;
        if ne0 % blck != 0 {
            return None;
        }
        let n: u64 = ne.iter().try_fold(1u64, |a, &d| a.checked_mul(d))?;
        (n / blck).checked_mul(size)
    }
}

/// The weight type of a whole model file (`ftype`): what its big matrices are stored as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum WeightType {
    #[serde(rename = "f32")]
    F32,
    #[serde(rename = "f16")]
    F16,
    #[serde(rename = "bf16")]
    Bf16,
    #[serde(rename = "q4_0")]
    Q4_0,
    #[serde(rename = "q4_1")]
    Q4_1,
    #[serde(rename = "q5_0")]
    Q5_0,
    #[serde(rename = "q5_1")]
    Q5_1,
    #[serde(rename = "q8_0")]
    Q8_0,
    #[serde(rename = "q2_k")]
    Q2K,
    #[serde(rename = "q3_k")]
    Q3K,
    #[serde(rename = "q4_k")]
    Q4K,
    #[serde(rename = "q5_k")]
    Q5K,
    #[serde(rename = "q6_k")]
    Q6K,
}

impl WeightType {
    /// From a file's `ftype % 1000` (`enum ggml_ftype`).
    pub fn from_ftype(ftype: i32) -> Option<Self> {
        Some(match ftype {
            0 => WeightType::F32,
            1 => WeightType::F16,
            2 => WeightType::Q4_0,
            3 => WeightType::Q4_1,
            7 => WeightType::Q8_0,
            8 => WeightType::Q5_0,
            9 => WeightType::Q5_1,
            10 => WeightType::Q2K,
            11 => WeightType::Q3K,
            12 => WeightType::Q4K,
            13 => WeightType::Q5K,
            14 => WeightType::Q6K,
            24 => WeightType::Bf16,
            _ => return None,
        })
    }

    pub fn ftype(self) -> i32 {
        match self {
            WeightType::F32 => 0,
            WeightType::F16 => 1,
            WeightType::Q4_0 => 2,
            WeightType::Q4_1 => 3,
            WeightType::Q8_0 => 7,
            WeightType::Q5_0 => 8,
            WeightType::Q5_1 => 9,
            WeightType::Q2K => 10,
            WeightType::Q3K => 11,
            WeightType::Q4K => 12,
            WeightType::Q5K => 13,
            WeightType::Q6K => 14,
            WeightType::Bf16 => 24,
        }
    }

    /// The tensor type whisper.cpp allocates for the big matrices (`wtype`).
    pub fn tensor_type(self) -> GgmlType {
        match self {
            WeightType::F32 => GgmlType::F32,
            WeightType::F16 => GgmlType::F16,
            WeightType::Bf16 => GgmlType::Bf16,
            WeightType::Q4_0 => GgmlType::Q4_0,
            WeightType::Q4_1 => GgmlType::Q4_1,
            WeightType::Q5_0 => GgmlType::Q5_0,
            WeightType::Q5_1 => GgmlType::Q5_1,
            WeightType::Q8_0 => GgmlType::Q8_0,
            WeightType::Q2K => GgmlType::Q2K,
            WeightType::Q3K => GgmlType::Q3K,
            WeightType::Q4K => GgmlType::Q4K,
            WeightType::Q5K => GgmlType::Q5K,
            WeightType::Q6K => GgmlType::Q6K,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            WeightType::F32 => "f32",
            WeightType::F16 => "f16",
            WeightType::Bf16 => "bf16",
            WeightType::Q4_0 => "q4_0",
            WeightType::Q4_1 => "q4_1",
            WeightType::Q5_0 => "q5_0",
            WeightType::Q5_1 => "q5_1",
            WeightType::Q8_0 => "q8_0",
            WeightType::Q2K => "q2_k",
            WeightType::Q3K => "q3_k",
            WeightType::Q4K => "q4_k",
            WeightType::Q5K => "q5_k",
            WeightType::Q6K => "q6_k",
        }
    }
}

/// Quantization the importer can apply when converting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum Quant {
    /// 8-bit blocks of 32 with an f16 scale: ~half the size of f16, near-lossless.
    #[serde(rename = "q8_0")]
    Q8_0,
}

impl Quant {
    pub fn weight_type(self) -> WeightType {
        match self {
            Quant::Q8_0 => WeightType::Q8_0,
        }
    }

    pub fn as_str(self) -> &'static str {
        self.weight_type().as_str()
    }
}

impl std::str::FromStr for Quant {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "q8_0" | "q8" => Ok(Quant::Q8_0),
            other => Err(format!("unknown quantization '{other}' (supported: q8_0)")),
        }
    }
}

/// Whisper model size class, from the encoder's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ModelSize {
    Tiny,
    Base,
    Small,
    Medium,
    Large,
}

impl ModelSize {
    pub fn as_str(self) -> &'static str {
        match self {
            ModelSize::Tiny => "tiny",
            ModelSize::Base => "base",
            ModelSize::Small => "small",
            ModelSize::Medium => "medium",
            ModelSize::Large => "large",
        }
    }

    /// (n_audio_state, n_audio_layer, n_audio_head) of each released Whisper size.
    const SHAPES: [(ModelSize, i32, i32, i32); 5] = [
        (ModelSize::Tiny, 384, 4, 6),
        (ModelSize::Base, 512, 6, 8),
        (ModelSize::Small, 768, 12, 12),
        (ModelSize::Medium, 1024, 24, 16),
        (ModelSize::Large, 1280, 32, 20),
    ];
}

/// Hyper-parameters of a ggml Whisper model, in file order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Hparams {
    pub n_vocab: i32,
    pub n_audio_ctx: i32,
    pub n_audio_state: i32,
    pub n_audio_head: i32,
    pub n_audio_layer: i32,
    pub n_text_ctx: i32,
    pub n_text_state: i32,
    pub n_text_head: i32,
    pub n_text_layer: i32,
    pub n_mels: i32,
    /// As stored: `ftype % 1000` is the weight type, `ftype / 1000` the quantization version.
    pub ftype: i32,
}

impl Hparams {
    fn to_array(self) -> [i32; 11] {
        [
            self.n_vocab,
            self.n_audio_ctx,
            self.n_audio_state,
            self.n_audio_head,
            self.n_audio_layer,
            self.n_text_ctx,
            self.n_text_state,
            self.n_text_head,
            self.n_text_layer,
            self.n_mels,
            self.ftype,
        ]
    }

    fn from_array(a: [i32; 11]) -> Self {
        Hparams {
            n_vocab: a[0],
            n_audio_ctx: a[1],
            n_audio_state: a[2],
            n_audio_head: a[3],
            n_audio_layer: a[4],
            n_text_ctx: a[5],
            n_text_state: a[6],
            n_text_head: a[7],
            n_text_layer: a[8],
            n_mels: a[9],
            ftype: a[10],
        }
    }

    /// whisper.cpp: `n_vocab >= 51865` means multilingual.
    pub fn multilingual(&self) -> bool {
        self.n_vocab >= 51865
    }

    /// Checks that these are the hparams of a real Whisper model whisper.cpp can load, and
    /// returns its size class and weight type.
    pub fn check(&self) -> Result<(ModelSize, WeightType), String> {
        let h = self;
        if !(51864..=51866).contains(&h.n_vocab) {
            return Err(format!(
                "vocabulary size {} is not Whisper's (51864 English-only, 51865 \
                 multilingual, 51866 large-v3)",
                h.n_vocab
            ));
        }
        let size = ModelSize::SHAPES
            .iter()
            .find(|(_, state, layers, heads)| {
                *state == h.n_audio_state && *layers == h.n_audio_layer && *heads == h.n_audio_head
            })
            .map(|s| s.0)
            .ok_or_else(|| {
                format!(
                    "encoder shape {} wide x {} layers x {} heads is not a Whisper size \
                     (tiny 384/4, base 512/6, small 768/12, medium 1024/24, large 1280/32)",
                    h.n_audio_state, h.n_audio_layer, h.n_audio_head
                )
            })?;
        if h.n_text_state != h.n_audio_state || h.n_text_head != h.n_audio_head {
            return Err(format!(
                "decoder width {}/{} heads differs from the encoder's {}/{}",
                h.n_text_state, h.n_text_head, h.n_audio_state, h.n_audio_head
            ));
        }
        if !(1..=h.n_audio_layer).contains(&h.n_text_layer) {
            return Err(format!(
                "implausible decoder layer count {}",
                h.n_text_layer
            ));
        }
        if h.n_audio_ctx != 1500 || h.n_text_ctx != 448 {
            return Err(format!(
                "context sizes {}/{} are not Whisper's 1500/448",
                h.n_audio_ctx, h.n_text_ctx
            ));
        }
        if h.n_mels != 80 && h.n_mels != 128 {
            return Err(format!("{} mel bands (Whisper uses 80 or 128)", h.n_mels));
        }
        if h.ftype < 0 || h.ftype / QNT_VERSION_FACTOR > QNT_VERSION {
            return Err(format!("unsupported ftype {}", h.ftype));
        }
        let wt = WeightType::from_ftype(h.ftype % QNT_VERSION_FACTOR)
            .ok_or_else(|| format!("unsupported weight type (ftype {})", h.ftype))?;
        Ok((size, wt))
    }

    /// Every tensor whisper.cpp expects for these hparams: name -> (ne, type), as in
    /// `whisper_model_load`.
    pub fn expected_tensors(&self, wtype: GgmlType) -> BTreeMap<String, (Vec<u64>, GgmlType)> {
        use GgmlType::F32;
        let vtype = if wtype == F32 { F32 } else { GgmlType::F16 };
        let a = self.n_audio_state as u64;
        let t = self.n_text_state as u64;
        let mut m = BTreeMap::new();
        let mut add = |name: String, ne: Vec<u64>, ty: GgmlType| {
            m.insert(name, (ne, ty));
        };
        add(
            "encoder.positional_embedding".into(),
            vec![a, self.n_audio_ctx as u64],
            F32,
        );
        add(
            "encoder.conv1.weight".into(),
            vec![3, self.n_mels as u64, a],
            vtype,
        );
        add("encoder.conv1.bias".into(), vec![1, a], F32);
        add("encoder.conv2.weight".into(), vec![3, a, a], vtype);
        add("encoder.conv2.bias".into(), vec![1, a], F32);
        add("encoder.ln_post.weight".into(), vec![a], F32);
        add("encoder.ln_post.bias".into(), vec![a], F32);
        for i in 0..self.n_audio_layer {
            let p = format!("encoder.blocks.{i}");
            block_tensors(&mut add, &p, "attn", a, wtype);
            add(format!("{p}.attn_ln.weight"), vec![a], F32);
            add(format!("{p}.attn_ln.bias"), vec![a], F32);
            mlp_tensors(&mut add, &p, a, wtype);
        }
        add(
            "decoder.positional_embedding".into(),
            vec![t, self.n_text_ctx as u64],
            F32,
        );
        add(
            "decoder.token_embedding.weight".into(),
            vec![t, self.n_vocab as u64],
            wtype,
        );
        add("decoder.ln.weight".into(), vec![t], F32);
        add("decoder.ln.bias".into(), vec![t], F32);
        for i in 0..self.n_text_layer {
            let p = format!("decoder.blocks.{i}");
            block_tensors(&mut add, &p, "attn", t, wtype);
            add(format!("{p}.attn_ln.weight"), vec![t], F32);
            add(format!("{p}.attn_ln.bias"), vec![t], F32);
            block_tensors(&mut add, &p, "cross_attn", t, wtype);
            add(format!("{p}.cross_attn_ln.weight"), vec![t], F32);
            add(format!("{p}.cross_attn_ln.bias"), vec![t], F32);
            mlp_tensors(&mut add, &p, t, wtype);
        }
        m
    }
}

fn block_tensors(
    add: &mut impl FnMut(String, Vec<u64>, GgmlType),
    p: &str,
    attn: &str,
    d: u64,
    wtype: GgmlType,
) {
    add(format!("{p}.{attn}.query.weight"), vec![d, d], wtype);
    add(format!("{p}.{attn}.query.bias"), vec![d], GgmlType::F32);
    add(format!("{p}.{attn}.key.weight"), vec![d, d], wtype);
    add(format!("{p}.{attn}.value.weight"), vec![d, d], wtype);
    add(format!("{p}.{attn}.value.bias"), vec![d], GgmlType::F32);
    add(format!("{p}.{attn}.out.weight"), vec![d, d], wtype);
    add(format!("{p}.{attn}.out.bias"), vec![d], GgmlType::F32);
}

fn mlp_tensors(add: &mut impl FnMut(String, Vec<u64>, GgmlType), p: &str, d: u64, wtype: GgmlType) {
    add(format!("{p}.mlp_ln.weight"), vec![d], GgmlType::F32);
    add(format!("{p}.mlp_ln.bias"), vec![d], GgmlType::F32);
    add(format!("{p}.mlp.0.weight"), vec![d, 4 * d], wtype);
    add(format!("{p}.mlp.0.bias"), vec![4 * d], GgmlType::F32);
    add(format!("{p}.mlp.2.weight"), vec![4 * d, d], wtype);
    add(format!("{p}.mlp.2.bias"), vec![d], GgmlType::F32);
}

/// What [`inspect`] found in a valid ggml Whisper model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct GgmlInfo {
    /// e.g. "tiny.en", "base", "large-v3", "large-v3-turbo".
    pub label: String,
    pub size_class: ModelSize,
    pub multilingual: bool,
    pub weight_type: WeightType,
    pub hparams: Hparams,
    /// Tokens stored in the file (the rest are whisper.cpp's built-in specials).
    pub vocab_tokens: u32,
    pub tensors: u32,
    /// File size in bytes.
    #[ts(type = "number")]
    pub bytes: u64,
}

/// A readable name for a model with these hparams.
pub fn model_label(h: &Hparams, size: ModelSize) -> String {
    let mut s = size.as_str().to_string();
    if size == ModelSize::Large {
        if h.n_vocab == 51866 {
            s.push_str("-v3");
        }
        if h.n_text_layer == 4 {
            s.push_str("-turbo");
        } else if h.n_text_layer < h.n_audio_layer {
            s = format!("distil-{s}");
        }
    } else if h.n_text_layer < h.n_audio_layer {
        s = format!("distil-{s}");
    }
    if !h.multilingual() {
        s.push_str(".en");
    }
    s
}

// --- reading and validating ---------------------------------------------------------------

struct Reader {
    inner: BufReader<File>,
    pos: u64,
    len: u64,
}

impl Reader {
    fn remaining(&self) -> u64 {
        self.len - self.pos
    }

    fn need(&self, n: u64, what: &str) -> Result<(), String> {
        if self.remaining() < n {
            Err(format!(
                "file is truncated: {what} needs {n} bytes at offset {} but only {} remain",
                self.pos,
                self.remaining()
            ))
        } else {
            Ok(())
        }
    }

    fn i32(&mut self, what: &str) -> Result<i32, ReadErr> {
        self.need(4, what)?;
        let mut b = [0u8; 4];
        self.inner.read_exact(&mut b)?;
        self.pos += 4;
        Ok(i32::from_le_bytes(b))
    }

    fn bytes(&mut self, n: u64, what: &str) -> Result<Vec<u8>, ReadErr> {
        self.need(n, what)?;
        let mut b = vec![0u8; n as usize];
        self.inner.read_exact(&mut b)?;
        self.pos += n;
        Ok(b)
    }

    fn skip(&mut self, n: u64, what: &str) -> Result<(), ReadErr> {
        self.need(n, what)?;
        let n_i64 = i64::try_from(n).map_err(|_| ReadErr::Invalid(format!("{what} too large")))?;
        self.inner.seek_relative(n_i64)?;
        self.pos += n;
        Ok(())
    }
}

enum ReadErr {
    Io(std::io::Error),
    Invalid(String),
}

impl From<std::io::Error> for ReadErr {
    fn from(e: std::io::Error) -> Self {
        ReadErr::Io(e)
    }
}

impl From<String> for ReadErr {
    fn from(s: String) -> Self {
        ReadErr::Invalid(s)
    }
}

/// Validates a ggml Whisper model file completely (header, hparams, mel filters, vocabulary
/// and every tensor's name, shape, type and size, up to the exact end of the file) without
/// loading the weights. Any problem is an [`ModelError::InvalidModel`] that says what is
/// wrong; this never panics and never hands whisper.cpp a file it would abort on.
pub fn inspect(path: &Path) -> Result<GgmlInfo, ModelError> {
    let file = File::open(path).map_err(|e| ModelError::io("open", path, e))?;
    let meta = file
        .metadata()
        .map_err(|e| ModelError::io("read", path, e))?;
    if !meta.is_file() {
        return Err(ModelError::InvalidModel {
            path: path.to_path_buf(),
            detail: "not a regular file".into(),
        });
    }
    let mut r = Reader {
        inner: BufReader::with_capacity(1 << 16, file),
        pos: 0,
        len: meta.len(),
    };
    inspect_reader(&mut r).map_err(|e| match e {
        ReadErr::Io(e) => ModelError::io("read", path, e),
        ReadErr::Invalid(detail) => ModelError::InvalidModel {
            path: path.to_path_buf(),
            detail,
        },
    })
}

fn inspect_reader(r: &mut Reader) -> Result<GgmlInfo, ReadErr> {
    if r.len < 4 {
        return Err(format!("file is too small to be a model ({} bytes)", r.len).into());
    }
    let magic = r.i32("the magic number")? as u32;
    if magic != GGML_MAGIC {
        let detail = if magic.to_le_bytes() == *b"GGUF" {
            "this is a GGUF file (llama.cpp format), not a whisper.cpp ggml model".to_string()
        } else {
            format!("not a whisper.cpp ggml model (magic 0x{magic:08x}, expected 0x67676d6c)")
        };
        return Err(detail.into());
    }
    let mut a = [0i32; 11];
    for v in a.iter_mut() {
        *v = r.i32("the hyper-parameters")?;
    }
    let hp = Hparams::from_array(a);
    let (size, weight_type) = hp
        .check()
        .map_err(|e| format!("invalid hyper-parameters: {e}"))?;

    let n_mel = r.i32("the mel filter header")?;
    let n_fft = r.i32("the mel filter header")?;
    if n_mel != hp.n_mels || n_fft != N_FFT_BINS {
        return Err(format!(
            "mel filters are {n_mel} x {n_fft}, expected {} x {N_FFT_BINS}",
            hp.n_mels
        )
        .into());
    }
    let filters = r.bytes(4 * (n_mel as u64) * (n_fft as u64), "the mel filters")?;
    if filters
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .any(|v| !v.is_finite() || v < 0.0)
    {
        return Err("the mel filters hold negative or non-finite values"
            .to_string()
            .into());
    }

    let n_tokens = r.i32("the vocabulary size")?;
    if n_tokens <= 0 || n_tokens > hp.n_vocab {
        return Err(format!(
            "the file lists {n_tokens} tokens for a vocabulary of {}",
            hp.n_vocab
        )
        .into());
    }
    for i in 0..n_tokens {
        let len = r.i32("a token length")? as u32;
        if len > MAX_TOKEN_BYTES {
            return Err(format!("token {i} claims {len} bytes: the vocabulary is corrupt").into());
        }
        r.skip(u64::from(len), "a token")?;
    }

    let mut expected = hp.expected_tensors(weight_type.tensor_type());
    let total = expected.len();
    let mut seen = 0u32;
    while r.remaining() > 0 {
        let n_dims = r.i32("a tensor header")?;
        let name_len = r.i32("a tensor header")?;
        let ttype = r.i32("a tensor header")?;
        if !(1..=4).contains(&n_dims) || !(1..=MAX_TENSOR_NAME).contains(&name_len) {
            return Err(format!(
                "corrupt tensor header at offset {} ({n_dims} dims, name of {name_len} bytes)",
                r.pos - 12
            )
            .into());
        }
        let mut ne = Vec::with_capacity(n_dims as usize);
        for _ in 0..n_dims {
            let d = r.i32("a tensor shape")?;
            if d <= 0 {
                return Err(format!("tensor dimension {d} at offset {}", r.pos - 4).into());
            }
            ne.push(d as u64);
        }
        let name_bytes = r.bytes(name_len as u64, "a tensor name")?;
        let name = String::from_utf8_lossy(&name_bytes).into_owned();
        let (exp_ne, exp_type) = expected.remove(&name).ok_or_else(|| {
            format!("unexpected tensor '{name}' (unknown to whisper.cpp, or listed twice)")
        })?;
        let ty = GgmlType::from_id(ttype)
            .ok_or_else(|| format!("tensor '{name}' has unsupported type {ttype}"))?;
        // whisper.cpp pads the shape to 3 dims with ones and compares.
        let pad = |v: &[u64]| {
            let mut v = v.to_vec();
            v.resize(4, 1);
            v
        };
        if pad(&ne) != pad(&exp_ne) {
            return Err(format!(
                "tensor '{name}' has shape {ne:?}, expected {exp_ne:?} for these hyper-parameters"
            )
            .into());
        }
        let bytes = ty
            .nbytes(&ne)
            .ok_or_else(|| format!("tensor '{name}' does not split into {ty:?} blocks"))?;
        let exp_bytes = exp_type.nbytes(&exp_ne);
        if Some(bytes) != exp_bytes {
            return Err(format!(
                "tensor '{name}' is stored as {ty:?} ({bytes} bytes) where whisper.cpp expects \
                 {exp_type:?}"
            )
            .into());
        }
        r.skip(bytes, &format!("tensor '{name}'"))?;
        seen += 1;
    }
    if let Some(missing) = expected.keys().next() {
        return Err(format!(
            "file is truncated or incomplete: {} of {total} tensors present, '{missing}' is \
             missing",
            seen
        )
        .into());
    }
    Ok(GgmlInfo {
        label: model_label(&hp, size),
        size_class: size,
        multilingual: hp.multilingual(),
        weight_type,
        hparams: hp,
        vocab_tokens: n_tokens as u32,
        tensors: seen,
        bytes: r.len,
    })
}

// --- writing ------------------------------------------------------------------------------

/// Streams a ggml Whisper model: the header on creation, then one tensor at a time.
pub struct GgmlWriter<W: Write> {
    out: W,
    written: u64,
}

impl<W: Write> GgmlWriter<W> {
    /// Writes magic, hparams, the mel filters (`n_mels` x [`N_FFT_BINS`], row-major) and the
    /// vocabulary (raw token bytes).
    pub fn new(out: W, hp: &Hparams, filters: &[f32], vocab: &[Vec<u8>]) -> std::io::Result<Self> {
        assert_eq!(filters.len(), hp.n_mels as usize * N_FFT_BINS as usize);
        let mut w = GgmlWriter { out, written: 0 };
        let mut head = Vec::with_capacity(64 + filters.len() * 4);
        head.extend_from_slice(&GGML_MAGIC.to_le_bytes());
        for v in hp.to_array() {
            head.extend_from_slice(&v.to_le_bytes());
        }
        head.extend_from_slice(&hp.n_mels.to_le_bytes());
        head.extend_from_slice(&N_FFT_BINS.to_le_bytes());
        for f in filters {
            head.extend_from_slice(&f.to_le_bytes());
        }
        head.extend_from_slice(&(vocab.len() as i32).to_le_bytes());
        w.put(&head)?;
        for token in vocab {
            w.put(&(token.len() as i32).to_le_bytes())?;
            w.put(token)?;
        }
        Ok(w)
    }

    fn put(&mut self, b: &[u8]) -> std::io::Result<()> {
        self.out.write_all(b)?;
        self.written += b.len() as u64;
        Ok(())
    }

    /// Writes one tensor; `ne` is in ggml order (ne0, the contiguous dimension, first) and
    /// `data` must already be encoded as `ty`.
    pub fn tensor(
        &mut self,
        name: &str,
        ne: &[u64],
        ty: GgmlType,
        data: &[u8],
    ) -> std::io::Result<()> {
        debug_assert_eq!(ty.nbytes(ne), Some(data.len() as u64), "{name}");
        let mut head = Vec::with_capacity(12 + 4 * ne.len() + name.len());
        head.extend_from_slice(&(ne.len() as i32).to_le_bytes());
        head.extend_from_slice(&(name.len() as i32).to_le_bytes());
        head.extend_from_slice(&ty.id().to_le_bytes());
        for &d in ne {
            head.extend_from_slice(&(d as i32).to_le_bytes());
        }
        head.extend_from_slice(name.as_bytes());
        self.put(&head)?;
        self.put(data)
    }

    pub fn bytes_written(&self) -> u64 {
        self.written
    }

    pub fn finish(mut self) -> std::io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

// --- numbers ------------------------------------------------------------------------------

/// IEEE 754 binary16 bits to f32 (exact).
pub fn f16_to_f32(h: u16) -> f32 {
    let sign = u32::from(h & 0x8000) << 16;
    let exp = u32::from((h >> 10) & 0x1f);
    let mant = u32::from(h & 0x3ff);
    let bits = if exp == 0 {
        if mant == 0 {
            sign
        } else {
            // Subnormal: normalise into an f32 exponent.
            let mut e: u32 = 127 - 15 + 1;
            let mut m = mant;
            while m & 0x400 == 0 {
                m <<= 1;
                e -= 1;
            }
            sign | (e << 23) | ((m & 0x3ff) << 13)
        }
    } else if exp == 0x1f {
        sign | 0x7f80_0000 | (mant << 13)
    } else {
        sign | ((exp + 127 - 15) << 23) | (mant << 13)
    };
    f32::from_bits(bits)
}

/// f32 to IEEE 754 binary16 bits, rounding to nearest even (as numpy and ggml do);
/// overflow gives infinity, NaN stays NaN.
pub fn f32_to_f16(x: f32) -> u16 {
    let bits = x.to_bits();
    let sign = ((bits >> 16) & 0x8000) as u16;
    let exp = ((bits >> 23) & 0xff) as i32;
    let mant = bits & 0x7f_ffff;
    if exp == 0xff {
        let nan = if mant != 0 {
            0x200 | (mant >> 13) as u16
        } else {
            0
        };
        return sign | 0x7c00 | nan;
    }
    let e = exp - 127 + 15;
    if e >= 0x1f {
        return sign | 0x7c00;
    }
    if e <= 0 {
        // Result is subnormal (or zero): shift the full significand into place.
        if e < -10 {
            return sign;
        }
        let m = mant | 0x80_0000;
        let shift = (14 - e) as u32;
        let mut h = m >> shift;
        let rem = m & ((1 << shift) - 1);
        let half = 1 << (shift - 1);
        if rem > half || (rem == half && h & 1 == 1) {
            h += 1;
        }
        return sign | h as u16;
    }
    let mut h = ((e as u32) << 10) | (mant >> 13);
    let rem = mant & 0x1fff;
    if rem > 0x1000 || (rem == 0x1000 && h & 1 == 1) {
        h += 1; // may carry into the exponent: still the right answer (up to infinity)
    }
    sign | h as u16
}

/// Elements per q8_0 block.
pub const Q8_0_BLOCK: usize = 32;

/// Quantizes values to ggml's q8_0 blocks (f16 scale `d = amax / 127`, then 32 x
/// `round(x / d)` as i8), exactly as ggml's reference `quantize_row_q8_0_ref`, appending to
/// `out`. `x.len()` must be a multiple of 32.
pub fn quantize_q8_0(x: &[f32], out: &mut Vec<u8>) {
    assert_eq!(x.len() % Q8_0_BLOCK, 0, "q8_0 rows must be multiples of 32");
    for block in x.chunks_exact(Q8_0_BLOCK) {
        let amax = block.iter().fold(0.0f32, |m, v| m.max(v.abs()));
        let d = amax / 127.0;
        let id = if d != 0.0 { 1.0 / d } else { 0.0 };
        out.extend_from_slice(&f32_to_f16(d).to_le_bytes());
        out.extend(block.iter().map(|v| (v * id).round() as i8 as u8));
    }
}

/// Inverse of [`quantize_q8_0`].
pub fn dequantize_q8_0(blocks: &[u8]) -> Vec<f32> {
    blocks
        .chunks_exact(2 + Q8_0_BLOCK)
        .flat_map(|b| {
            let d = f16_to_f32(u16::from_le_bytes([b[0], b[1]]));
            b[2..].iter().map(move |&q| f32::from(q as i8) * d)
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn f16_round_trips_every_value_and_rounds_to_even() {
        for h in 0..=u16::MAX {
            let f = f16_to_f32(h);
            if f.is_nan() {
                assert!(f16_to_f32(f32_to_f16(f)).is_nan());
                continue;
            }
            assert_eq!(f32_to_f16(f), h, "{h:#06x} -> {f}");
        }
        assert_eq!(f32_to_f16(1.0), 0x3c00);
        assert_eq!(f32_to_f16(-2.0), 0xc000);
        assert_eq!(f32_to_f16(65504.0), 0x7bff);
        assert_eq!(f32_to_f16(65520.0), 0x7c00); // halfway to the next: rounds to even = inf
        assert_eq!(f32_to_f16(1e-8), 0); // below half the smallest subnormal
        assert_eq!(f16_to_f32(0x0001), 2f32.powi(-24));
        // Midpoints between neighbours round to the even one.
        for h in [0x0001u16, 0x03ff, 0x0400, 0x3c00, 0x3c01, 0x7bfe] {
            let mid = (f64::from(f16_to_f32(h)) + f64::from(f16_to_f32(h + 1))) / 2.0;
            let even = if h & 1 == 0 { h } else { h + 1 };
            assert_eq!(f32_to_f16(mid as f32), even, "midpoint after {h:#06x}");
            let above = mid + (f64::from(f16_to_f32(h + 1)) - mid) / 4.0;
            assert_eq!(f32_to_f16(above as f32), h + 1);
        }
    }

    #[test]
    fn q8_0_round_trip_is_within_the_block_bound() {
        // Deterministic pseudo-random rows with a range of magnitudes.
        let mut seed = 0x1234_5678u32;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            (seed as f32 / u32::MAX as f32) * 2.0 - 1.0
        };
        let mut x: Vec<f32> = (0..32 * 64)
            .map(|i| next() * (1 + i / 32) as f32 * 0.01)
            .collect();
        x[5] = 0.0;
        x.extend([0.0f32; 32]); // an all-zero block
        let mut q = Vec::new();
        quantize_q8_0(&x, &mut q);
        assert_eq!(q.len(), x.len() / 32 * 34);
        let y = dequantize_q8_0(&q);
        for (bx, by) in x.chunks(32).zip(y.chunks(32)) {
            let amax = bx.iter().fold(0.0f32, |m, v| m.max(v.abs()));
            // Half a step, plus the f16 rounding of the scale over 127 steps.
            let bound = amax / 127.0 * (0.5 + 127.0 / 2048.0) + 1e-12;
            for (a, b) in bx.iter().zip(by) {
                assert!((a - b).abs() <= bound, "{a} vs {b}, bound {bound}");
            }
        }
        // The largest magnitude maps to +-127 exactly.
        let block = [0.5f32; 32];
        let mut q = Vec::new();
        quantize_q8_0(&block, &mut q);
        assert!(q[2..].iter().all(|&b| b as i8 == 127));
    }

    #[test]
    fn tensor_sizes_follow_ggml_blocks() {
        assert_eq!(GgmlType::F32.nbytes(&[384]), Some(1536));
        assert_eq!(GgmlType::F16.nbytes(&[3, 80, 384]), Some(3 * 80 * 384 * 2));
        assert_eq!(
            GgmlType::Q8_0.nbytes(&[384, 1536]),
            Some(384 * 1536 / 32 * 34)
        );
        assert_eq!(
            GgmlType::Q5_1.nbytes(&[512, 512]),
            Some(512 * 512 / 32 * 24)
        );
        assert_eq!(GgmlType::Q8_0.nbytes(&[3, 80]), None);
        assert_eq!(GgmlType::Q4K.nbytes(&[384, 384]), None);
    }

    pub(crate) fn tiny_hparams() -> Hparams {
        Hparams {
            n_vocab: 51864,
            n_audio_ctx: 1500,
            n_audio_state: 384,
            n_audio_head: 6,
            n_audio_layer: 4,
            n_text_ctx: 448,
            n_text_state: 384,
            n_text_head: 6,
            n_text_layer: 4,
            n_mels: 80,
            ftype: 1,
        }
    }

    /// A complete, valid tiny.en-shaped file with zero weights (~75 MB in memory: built
    /// once per test that needs it).
    pub(crate) fn synthetic_model(hp: &Hparams) -> Vec<u8> {
        let (_, wt) = hp.check().unwrap();
        let filters = vec![0.0f32; hp.n_mels as usize * N_FFT_BINS as usize];
        let vocab: Vec<Vec<u8>> = (0..50256).map(|i| format!("t{i}").into_bytes()).collect();
        let mut w = GgmlWriter::new(Vec::new(), hp, &filters, &vocab).unwrap();
        for (name, (ne, ty)) in hp.expected_tensors(wt.tensor_type()) {
            let n = ty.nbytes(&ne).unwrap();
            w.tensor(&name, &ne, ty, &vec![0u8; n as usize]).unwrap();
        }
        w.finish().unwrap()
    }

    fn check_bytes(parts: &[&[u8]]) -> Result<GgmlInfo, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.bin");
        let mut f = File::create(&path).unwrap();
        for p in parts {
            f.write_all(p).unwrap();
        }
        drop(f);
        inspect(&path).map_err(|e| e.to_string())
    }

    fn set_i32(bytes: &mut [u8], index: usize, v: i32) {
        bytes[index * 4..index * 4 + 4].copy_from_slice(&v.to_le_bytes());
    }

    #[test]
    fn validates_synthetic_files_and_rejects_damage_clearly() {
        let hp = tiny_hparams();
        let good = synthetic_model(&hp);
        let info = check_bytes(&[&good]).unwrap();
        assert_eq!(info.label, "tiny.en");
        assert_eq!(info.size_class, ModelSize::Tiny);
        assert!(!info.multilingual);
        assert_eq!(info.weight_type, WeightType::F16);
        assert_eq!(info.bytes, good.len() as u64);
        assert_eq!(
            info.tensors as usize,
            hp.expected_tensors(GgmlType::F16).len()
        );

        // Damage to the whole file.
        let n = good.len();
        let whole: [(&str, Vec<&[u8]>, &str); 5] = [
            ("empty", vec![], "too small"),
            ("header only", vec![&good[..30]], "truncated"),
            ("truncated weights", vec![&good[..n - 1000]], "truncated"),
            ("truncated at half", vec![&good[..n / 2]], "truncated"),
            ("trailing garbage", vec![&good, &[1u8; 40]], "tensor"),
        ];
        for (what, parts, expect) in whole {
            let err = check_bytes(&parts).expect_err(what);
            assert!(err.contains(expect), "{what}: {err}");
        }

        // Damage to the header: the check fails before the end, so a prefix of the file
        // (header, filters, vocabulary, a few tensors) is enough.
        let prefix = &good[..vocab_end(&good) + 4096];
        type Damage = fn(&mut Vec<u8>);
        let header: [(&str, Damage, &str); 11] = [
            ("wrong magic", |b| b[0] = b'X', "magic"),
            ("gguf", |b| b[..4].copy_from_slice(b"GGUF"), "GGUF"),
            ("absurd vocab", |b| set_i32(b, 1, 7), "vocabulary size"),
            (
                "absurd width",
                |b| set_i32(b, 3, 1 << 30),
                "not a Whisper size",
            ),
            ("bad ftype", |b| set_i32(b, 11, 4), "weight type"),
            ("negative ftype", |b| set_i32(b, 11, -1), "ftype"),
            ("ftype q8_0, data f16", |b| set_i32(b, 11, 2007), "expects"),
            ("wrong mel count", |b| set_i32(b, 12, 81), "mel filters"),
            ("nan filter", |b| set_i32(b, 14, -1), "non-finite"),
            (
                "huge token",
                |b| set_i32(b, 14 + 80 * 201 + 1, 1 << 30),
                "corrupt",
            ),
            (
                "wrong tensor shape",
                |b| {
                    let at = vocab_end(b) + 12;
                    b[at..at + 4].copy_from_slice(&383i32.to_le_bytes())
                },
                "shape",
            ),
        ];
        for (what, damage, expect) in header {
            let mut bytes = prefix.to_vec();
            damage(&mut bytes);
            let err = check_bytes(&[&bytes]).expect_err(what);
            assert!(err.contains(expect), "{what}: {err}");
        }
    }

    fn vocab_end(b: &[u8]) -> usize {
        let mut pos = 4 * 12 + 8 + 80 * 201 * 4;
        let n = i32::from_le_bytes(b[pos..pos + 4].try_into().unwrap());
        pos += 4;
        for _ in 0..n {
            let len = i32::from_le_bytes(b[pos..pos + 4].try_into().unwrap()) as usize;
            pos += 4 + len;
        }
        pos
    }

    #[test]
    fn labels_models() {
        let mut hp = tiny_hparams();
        assert_eq!(model_label(&hp, ModelSize::Tiny), "tiny.en");
        hp.n_vocab = 51865;
        assert_eq!(model_label(&hp, ModelSize::Tiny), "tiny");
        let large = Hparams {
            n_vocab: 51866,
            n_audio_state: 1280,
            n_audio_head: 20,
            n_audio_layer: 32,
            n_text_state: 1280,
            n_text_head: 20,
            n_text_layer: 4,
            n_mels: 128,
            ..tiny_hparams()
        };
        assert_eq!(large.check().unwrap().0, ModelSize::Large);
        assert_eq!(model_label(&large, ModelSize::Large), "large-v3-turbo");
        let v3 = Hparams {
            n_text_layer: 32,
            ..large
        };
        assert_eq!(model_label(&v3, ModelSize::Large), "large-v3");
    }
}

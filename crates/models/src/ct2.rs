//! Reader for CTranslate2 (faster-whisper) model folders: `model.bin`, `config.json` and
//! `vocabulary.txt` / `vocabulary.json`.
//!
//! `model.bin` (little-endian, binary versions 4 to 6): u32 version, spec name string, u32
//! spec revision, u32 variable count; per variable a name string, u8 rank, u32 `dims[rank]`,
//! u8 dtype (0 f32, 1 i8, 2 i16, 3 i32, 4 f16, 5 bf16), u32 byte count and the data; then
//! u32 alias count and (alias, target) string pairs. A string is a u16 length (including
//! the trailing NUL), the bytes and a NUL.
//!
//! Opening a model reads only the index (names, shapes, offsets); tensor data is read on
//! demand, one variable at a time, so converting a model never holds the whole file in
//! memory.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::ggml::f16_to_f32;
use crate::ModelError;

/// Binary versions of `model.bin` this reader understands (4 introduced typed variables;
/// current CTranslate2 writes 6).
const SUPPORTED_VERSIONS: std::ops::RangeInclusive<u32> = 4..=6;
/// Sanity limits against garbage headers: no real model comes close.
const MAX_VARIABLES: u32 = 100_000;
const MAX_RANK: u8 = 8;

/// Element type of a CTranslate2 variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ct2Dtype {
    F32,
    I8,
    I16,
    I32,
    F16,
    Bf16,
}

impl Ct2Dtype {
    fn from_id(id: u8) -> Option<Self> {
        Some(match id {
            0 => Ct2Dtype::F32,
            1 => Ct2Dtype::I8,
            2 => Ct2Dtype::I16,
            3 => Ct2Dtype::I32,
            4 => Ct2Dtype::F16,
            5 => Ct2Dtype::Bf16,
            _ => return None,
        })
    }

    pub fn size(self) -> u64 {
        match self {
            Ct2Dtype::I8 => 1,
            Ct2Dtype::I16 | Ct2Dtype::F16 | Ct2Dtype::Bf16 => 2,
            Ct2Dtype::F32 | Ct2Dtype::I32 => 4,
        }
    }
}

/// One entry of the `model.bin` index.
#[derive(Debug, Clone)]
pub struct Ct2Variable {
    pub name: String,
    pub shape: Vec<u64>,
    pub dtype: Ct2Dtype,
    /// Byte offset of the data in `model.bin`.
    offset: u64,
    pub byte_len: u64,
}

impl Ct2Variable {
    pub fn numel(&self) -> u64 {
        self.shape.iter().product()
    }
}

/// `config.json` of a faster-whisper model. Only informative for the conversion; every
/// field is optional because older conversions lack some.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Ct2Config {
    pub alignment_heads: Vec<(u32, u32)>,
    pub lang_ids: Vec<u32>,
    pub suppress_ids: Vec<i64>,
    pub suppress_ids_begin: Vec<i64>,
}

/// Tensor values as read from the file: f16 stays f16 (no needless widening), everything
/// else is widened or dequantized to f32.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    F16(Vec<u16>),
    F32(Vec<f32>),
}

impl Values {
    pub fn len(&self) -> usize {
        match self {
            Values::F16(v) => v.len(),
            Values::F32(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value at `i` as f32.
    pub fn get(&self, i: usize) -> f32 {
        match self {
            Values::F16(v) => f16_to_f32(v[i]),
            Values::F32(v) => v[i],
        }
    }

    pub fn to_f32(&self) -> Vec<f32> {
        match self {
            Values::F16(v) => v.iter().map(|&h| f16_to_f32(h)).collect(),
            Values::F32(v) => v.clone(),
        }
    }
}

/// An opened CTranslate2 model folder.
pub struct Ct2Model {
    folder: PathBuf,
    bin_path: PathBuf,
    reader: BufReader<File>,
    pub version: u32,
    pub spec: String,
    pub revision: u32,
    variables: BTreeMap<String, Ct2Variable>,
    aliases: BTreeMap<String, String>,
    /// One token per id, as stored (byte-level BPE strings for Whisper).
    pub vocabulary: Vec<String>,
    /// `None` when the folder has no `config.json`.
    pub config: Option<Ct2Config>,
}

impl std::fmt::Debug for Ct2Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ct2Model")
            .field("folder", &self.folder)
            .field("spec", &self.spec)
            .field("variables", &self.variables.len())
            .field("vocabulary", &self.vocabulary.len())
            .finish()
    }
}

impl Ct2Model {
    /// Opens a model folder: parses the `model.bin` index, `config.json` (if present) and
    /// the vocabulary. Every problem is an [`ModelError::InvalidModel`] naming the file.
    pub fn open(folder: &Path) -> Result<Self, ModelError> {
        let invalid = |path: &Path, detail: String| ModelError::InvalidModel {
            path: path.to_path_buf(),
            detail,
        };
        if !folder.is_dir() {
            return Err(invalid(
                folder,
                "not a folder: a faster-whisper (CTranslate2) model is a folder with model.bin, \
                 config.json and vocabulary.txt"
                    .into(),
            ));
        }
        let bin_path = folder.join("model.bin");
        let file = File::open(&bin_path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                invalid(&bin_path, "the folder has no model.bin".into())
            } else {
                ModelError::io("open", &bin_path, e)
            }
        })?;
        let file_len = file
            .metadata()
            .map_err(|e| ModelError::io("read", &bin_path, e))?
            .len();
        let mut reader = BufReader::with_capacity(1 << 16, file);
        let index = read_index(&mut reader, file_len).map_err(|e| match e {
            IndexError::Io(e) => ModelError::io("read", &bin_path, e),
            IndexError::Invalid(detail) => invalid(&bin_path, detail),
        })?;

        let config = read_config(folder)?;
        let vocabulary = read_vocabulary(folder)?;

        Ok(Ct2Model {
            folder: folder.to_path_buf(),
            bin_path,
            reader,
            version: index.version,
            spec: index.spec,
            revision: index.revision,
            variables: index.variables,
            aliases: index.aliases,
            vocabulary,
            config,
        })
    }

    pub fn folder(&self) -> &Path {
        &self.folder
    }

    pub fn bin_path(&self) -> &Path {
        &self.bin_path
    }

    /// All variables, by name (aliases not included).
    pub fn variables(&self) -> impl Iterator<Item = &Ct2Variable> {
        self.variables.values()
    }

    /// A variable by name or alias.
    pub fn variable(&self, name: &str) -> Option<&Ct2Variable> {
        let target = self.aliases.get(name).map(String::as_str).unwrap_or(name);
        self.variables.get(target)
    }

    fn invalid(&self, detail: String) -> ModelError {
        ModelError::InvalidModel {
            path: self.bin_path.clone(),
            detail,
        }
    }

    /// The variable `name`, which must exist with exactly `shape`.
    pub fn expect(&self, name: &str, shape: &[u64]) -> Result<&Ct2Variable, ModelError> {
        let var = self
            .variable(name)
            .ok_or_else(|| self.invalid(format!("variable '{name}' is missing")))?;
        if var.shape != shape {
            return Err(self.invalid(format!(
                "variable '{name}' has shape {:?}, expected {:?}",
                var.shape, shape
            )));
        }
        Ok(var)
    }

    fn read_bytes(&mut self, var: &Ct2Variable) -> Result<Vec<u8>, ModelError> {
        let len = usize::try_from(var.byte_len)
            .map_err(|_| self.invalid(format!("variable '{}' is too large", var.name)))?;
        let mut buf = vec![0u8; len];
        self.reader
            .seek(SeekFrom::Start(var.offset))
            .and_then(|_| self.reader.read_exact(&mut buf))
            .map_err(|e| ModelError::io("read", &self.bin_path, e))?;
        Ok(buf)
    }

    /// Reads a variable's values. f16 is returned as is; f32 and bf16 as f32; int8 and
    /// int16 weights are dequantized with their `<name>_scale` companion (per row or
    /// global), the way CTranslate2 quantized them (`q = round(w * scale)`).
    pub fn read(&mut self, name: &str) -> Result<Values, ModelError> {
        let var = self
            .variable(name)
            .cloned()
            .ok_or_else(|| self.invalid(format!("variable '{name}' is missing")))?;
        let bytes = self.read_bytes(&var)?;
        let values = match var.dtype {
            Ct2Dtype::F16 => Values::F16(
                bytes
                    .chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]))
                    .collect(),
            ),
            Ct2Dtype::F32 => Values::F32(
                bytes
                    .chunks_exact(4)
                    .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                    .collect(),
            ),
            Ct2Dtype::Bf16 => Values::F32(
                bytes
                    .chunks_exact(2)
                    .map(|c| f32::from_bits(u32::from(u16::from_le_bytes([c[0], c[1]])) << 16))
                    .collect(),
            ),
            Ct2Dtype::I8 | Ct2Dtype::I16 => {
                let q: Vec<f32> = if var.dtype == Ct2Dtype::I8 {
                    bytes.iter().map(|&b| f32::from(b as i8)).collect()
                } else {
                    bytes
                        .chunks_exact(2)
                        .map(|c| f32::from(i16::from_le_bytes([c[0], c[1]])))
                        .collect()
                };
                let scale_name = format!("{}_scale", var.name);
                let scale_var = self.variable(&scale_name).cloned().ok_or_else(|| {
                    self.invalid(format!(
                        "quantized variable '{}' has no '{scale_name}'",
                        var.name
                    ))
                })?;
                if matches!(
                    scale_var.dtype,
                    Ct2Dtype::I8 | Ct2Dtype::I16 | Ct2Dtype::I32
                ) {
                    return Err(self.invalid(format!("'{scale_name}' is not a float")));
                }
                let scale = self.read(&scale_name)?.to_f32();
                let rows = var.shape.first().copied().unwrap_or(1) as usize;
                let per_row = if scale.len() == 1 {
                    None
                } else if scale.len() == rows && rows > 0 {
                    Some(q.len() / rows)
                } else {
                    return Err(self.invalid(format!(
                        "'{scale_name}' has {} values for {rows} rows",
                        scale.len()
                    )));
                };
                let w = q
                    .iter()
                    .enumerate()
                    .map(|(i, &v)| {
                        let s = match per_row {
                            None => scale[0],
                            Some(n) => scale[i / n],
                        };
                        if s == 0.0 {
                            0.0
                        } else {
                            v / s
                        }
                    })
                    .collect();
                Values::F32(w)
            }
            Ct2Dtype::I32 => {
                return Err(self.invalid(format!(
                    "variable '{}' holds int32 data, which is not a weight",
                    var.name
                )))
            }
        };
        Ok(values)
    }

    /// Reads a rank-0 integer variable such as `encoder/num_heads`.
    pub fn scalar_int(&mut self, name: &str) -> Result<Option<i64>, ModelError> {
        let Some(var) = self.variable(name).cloned() else {
            return Ok(None);
        };
        if var.numel() != 1 {
            return Err(self.invalid(format!("'{name}' is not a scalar")));
        }
        let b = self.read_bytes(&var)?;
        let v = match var.dtype {
            Ct2Dtype::I8 => i64::from(b[0] as i8),
            Ct2Dtype::I16 => i64::from(i16::from_le_bytes([b[0], b[1]])),
            Ct2Dtype::I32 => i64::from(i32::from_le_bytes([b[0], b[1], b[2], b[3]])),
            Ct2Dtype::F32 => f32::from_le_bytes([b[0], b[1], b[2], b[3]]) as i64,
            Ct2Dtype::F16 => f16_to_f32(u16::from_le_bytes([b[0], b[1]])) as i64,
            Ct2Dtype::Bf16 => {
                f32::from_bits(u32::from(u16::from_le_bytes([b[0], b[1]])) << 16) as i64
            }
        };
        Ok(Some(v))
    }
}

struct Index {
    version: u32,
    spec: String,
    revision: u32,
    variables: BTreeMap<String, Ct2Variable>,
    aliases: BTreeMap<String, String>,
}

enum IndexError {
    Io(std::io::Error),
    Invalid(String),
}

impl From<std::io::Error> for IndexError {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::UnexpectedEof {
            IndexError::Invalid("model.bin is truncated".into())
        } else {
            IndexError::Io(e)
        }
    }
}

/// Reads the index of `model.bin`, checking that every variable's data lies inside the
/// file and matches its shape and dtype, without reading the data.
fn read_index<R: Read + Seek>(r: &mut R, file_len: u64) -> Result<Index, IndexError> {
    let invalid = |s: String| IndexError::Invalid(s);
    let mut pos: u64 = 0;
    let version = read_u32(r, &mut pos)?;
    if !SUPPORTED_VERSIONS.contains(&version) {
        return Err(invalid(format!(
            "not a CTranslate2 model.bin this app can read (binary version {version}, \
             expected {} to {})",
            SUPPORTED_VERSIONS.start(),
            SUPPORTED_VERSIONS.end()
        )));
    }
    let spec = read_string(r, &mut pos)?;
    if spec != "WhisperSpec" {
        return Err(invalid(format!(
            "this CTranslate2 model is a '{spec}', not a Whisper model"
        )));
    }
    let revision = read_u32(r, &mut pos)?;
    let count = read_u32(r, &mut pos)?;
    if count > MAX_VARIABLES {
        return Err(invalid(format!("implausible variable count {count}")));
    }
    let mut variables = BTreeMap::new();
    for _ in 0..count {
        let name = read_string(r, &mut pos)?;
        let rank = read_u8(r, &mut pos)?;
        if rank > MAX_RANK {
            return Err(invalid(format!("variable '{name}' has rank {rank}")));
        }
        let mut shape = Vec::with_capacity(rank as usize);
        for _ in 0..rank {
            shape.push(u64::from(read_u32(r, &mut pos)?));
        }
        let dtype_id = read_u8(r, &mut pos)?;
        let dtype = Ct2Dtype::from_id(dtype_id).ok_or_else(|| {
            invalid(format!(
                "variable '{name}' has an unknown data type {dtype_id}"
            ))
        })?;
        let byte_len = u64::from(read_u32(r, &mut pos)?);
        let numel = shape
            .iter()
            .try_fold(1u64, |acc, &d| acc.checked_mul(d))
            .ok_or_else(|| invalid(format!("variable '{name}' has an absurd shape")))?;
        if numel.checked_mul(dtype.size()) != Some(byte_len) {
            return Err(invalid(format!(
                "variable '{name}' declares {byte_len} bytes for shape {shape:?}"
            )));
        }
        let offset = pos;
        if offset + byte_len > file_len {
            return Err(invalid(format!(
                "model.bin is truncated: variable '{name}' needs {byte_len} bytes at offset \
                 {offset} but the file has {file_len}"
            )));
        }
        r.seek(SeekFrom::Start(offset + byte_len))?;
        pos = offset + byte_len;
        let var = Ct2Variable {
            name: name.clone(),
            shape,
            dtype,
            offset,
            byte_len,
        };
        if variables.insert(name.clone(), var).is_some() {
            return Err(invalid(format!("variable '{name}' appears twice")));
        }
    }
    let alias_count = read_u32(r, &mut pos)?;
    if alias_count > MAX_VARIABLES {
        return Err(invalid(format!("implausible alias count {alias_count}")));
    }
    let mut aliases = BTreeMap::new();
    for _ in 0..alias_count {
        let alias = read_string(r, &mut pos)?;
        let target = read_string(r, &mut pos)?;
        if !variables.contains_key(&target) {
            return Err(invalid(format!(
                "alias '{alias}' points to missing '{target}'"
            )));
        }
        aliases.insert(alias, target);
    }
    Ok(Index {
        version,
        spec,
        revision,
        variables,
        aliases,
    })
}

fn read_u8<R: Read>(r: &mut R, pos: &mut u64) -> std::io::Result<u8> {
    let mut b = [0u8; 1];
    r.read_exact(&mut b)?;
    *pos += 1;
    Ok(b[0])
}

fn read_u32<R: Read>(r: &mut R, pos: &mut u64) -> std::io::Result<u32> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b)?;
    *pos += 4;
    Ok(u32::from_le_bytes(b))
}

fn read_string<R: Read>(r: &mut R, pos: &mut u64) -> Result<String, IndexError> {
    let mut b = [0u8; 2];
    r.read_exact(&mut b)?;
    *pos += 2;
    let len = u16::from_le_bytes(b) as usize;
    if len == 0 {
        return Err(IndexError::Invalid(
            "a string has length 0 (no terminating NUL)".into(),
        ));
    }
    let mut s = vec![0u8; len];
    r.read_exact(&mut s)?;
    *pos += len as u64;
    if s.pop() != Some(0) {
        return Err(IndexError::Invalid(
            "a string lacks its terminating NUL".into(),
        ));
    }
    String::from_utf8(s).map_err(|_| IndexError::Invalid("a name is not UTF-8".into()))
}

fn read_config(folder: &Path) -> Result<Option<Ct2Config>, ModelError> {
    let path = folder.join("config.json");
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(ModelError::io("read", &path, e)),
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| ModelError::InvalidModel {
            path,
            detail: format!("config.json is not valid: {e}"),
        })
}

/// Reads `vocabulary.txt` (one token per line; a line may be empty) or, failing that,
/// `vocabulary.json` (a JSON array of strings).
fn read_vocabulary(folder: &Path) -> Result<Vec<String>, ModelError> {
    let txt = folder.join("vocabulary.txt");
    match std::fs::read(&txt) {
        Ok(bytes) => {
            let text = String::from_utf8(bytes).map_err(|_| ModelError::InvalidModel {
                path: txt.clone(),
                detail: "vocabulary.txt is not UTF-8".into(),
            })?;
            let mut tokens: Vec<String> = text.split('\n').map(str::to_owned).collect();
            // The file ends with a newline: the piece after it is not a token.
            if tokens.last().is_some_and(String::is_empty) {
                tokens.pop();
            }
            return Ok(tokens);
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(ModelError::io("read", &txt, e)),
    }
    let json = folder.join("vocabulary.json");
    match std::fs::read_to_string(&json) {
        Ok(text) => serde_json::from_str(&text).map_err(|e| ModelError::InvalidModel {
            path: json,
            detail: format!("vocabulary.json is not a list of strings: {e}"),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(ModelError::InvalidModel {
            path: folder.to_path_buf(),
            detail: "the folder has no vocabulary.txt or vocabulary.json".into(),
        }),
        Err(e) => Err(ModelError::io("read", &json, e)),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Builds a `model.bin` in memory: `vars` are (name, shape, dtype id, data).
    pub(crate) fn model_bin(
        spec: &str,
        vars: &[(&str, Vec<u32>, u8, Vec<u8>)],
        aliases: &[(&str, &str)],
    ) -> Vec<u8> {
        fn string(out: &mut Vec<u8>, s: &str) {
            out.extend_from_slice(&((s.len() + 1) as u16).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
            out.push(0);
        }
        let mut out = Vec::new();
        out.extend_from_slice(&6u32.to_le_bytes());
        string(&mut out, spec);
        out.extend_from_slice(&3u32.to_le_bytes());
        out.extend_from_slice(&(vars.len() as u32).to_le_bytes());
        for (name, shape, dtype, data) in vars {
            string(&mut out, name);
            out.push(shape.len() as u8);
            for d in shape {
                out.extend_from_slice(&d.to_le_bytes());
            }
            out.push(*dtype);
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(data);
        }
        out.extend_from_slice(&(aliases.len() as u32).to_le_bytes());
        for (a, t) in aliases {
            string(&mut out, a);
            string(&mut out, t);
        }
        out
    }

    fn folder_with(bin: &[u8], vocab: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("model.bin"), bin).unwrap();
        std::fs::write(dir.path().join("vocabulary.txt"), vocab).unwrap();
        dir
    }

    fn f32s(v: &[f32]) -> Vec<u8> {
        v.iter().flat_map(|x| x.to_le_bytes()).collect()
    }

    #[test]
    fn reads_index_values_aliases_and_scalars() {
        let bin = model_bin(
            "WhisperSpec",
            &[
                ("a/weight", vec![2, 2], 0, f32s(&[1.0, -2.0, 0.5, 4.0])),
                (
                    "a/half",
                    vec![2],
                    4,
                    [0x3c00u16, 0xc000]
                        .iter()
                        .flat_map(|h| h.to_le_bytes())
                        .collect(),
                ),
                ("q/weight", vec![2, 2], 1, vec![127, 0xff, 64, 0]),
                ("q/weight_scale", vec![2], 0, f32s(&[127.0, 2.0])),
                ("enc/num_heads", vec![], 2, 6i16.to_le_bytes().to_vec()),
            ],
            &[("b/weight", "a/weight")],
        );
        let dir = folder_with(&bin, "a\nb\n\nc\n");
        let mut m = Ct2Model::open(dir.path()).unwrap();
        assert_eq!(m.vocabulary, vec!["a", "b", "", "c"]);
        assert!(m.config.is_none());
        assert_eq!(
            m.read("b/weight").unwrap(),
            Values::F32(vec![1.0, -2.0, 0.5, 4.0])
        );
        assert_eq!(m.read("a/half").unwrap(), Values::F16(vec![0x3c00, 0xc000]));
        assert_eq!(
            m.read("q/weight").unwrap(),
            Values::F32(vec![1.0, -1.0 / 127.0, 32.0, 0.0])
        );
        assert_eq!(m.scalar_int("enc/num_heads").unwrap(), Some(6));
        assert_eq!(m.scalar_int("dec/num_heads").unwrap(), None);
        assert!(m.expect("a/weight", &[2, 2]).is_ok());
        let err = m.expect("a/weight", &[4]).unwrap_err().to_string();
        assert!(err.contains("shape"), "{err}");
    }

    #[test]
    fn rejects_other_specs_truncation_and_bad_sizes() {
        let good = model_bin("WhisperSpec", &[("w", vec![4], 0, f32s(&[0.0; 4]))], &[]);
        let other = model_bin("TransformerSpec", &[], &[]);
        let dir = folder_with(&other, "");
        let err = Ct2Model::open(dir.path()).unwrap_err().to_string();
        assert!(err.contains("not a Whisper model"), "{err}");

        let dir = folder_with(&good[..good.len() - 10], "");
        let err = Ct2Model::open(dir.path()).unwrap_err().to_string();
        assert!(err.contains("truncated"), "{err}");

        let bad = model_bin("WhisperSpec", &[("w", vec![4], 0, f32s(&[0.0; 3]))], &[]);
        let dir = folder_with(&bad, "");
        let err = Ct2Model::open(dir.path()).unwrap_err().to_string();
        assert!(err.contains("declares"), "{err}");

        let mut v9 = good.clone();
        v9[0] = 9;
        let dir = folder_with(&v9, "");
        let err = Ct2Model::open(dir.path()).unwrap_err().to_string();
        assert!(err.contains("binary version 9"), "{err}");

        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("model.bin"), &good).unwrap();
        let err = Ct2Model::open(dir.path()).unwrap_err().to_string();
        assert!(err.contains("vocabulary"), "{err}");
        std::fs::write(dir.path().join("vocabulary.json"), r#"["x","y"]"#).unwrap();
        assert_eq!(
            Ct2Model::open(dir.path()).unwrap().vocabulary,
            vec!["x", "y"]
        );
    }
}

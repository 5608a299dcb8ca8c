//! Installed Whisper models: `<data_dir>/models/` holds `ggml-<name>.bin` files and a
//! `manifest.json` (name, file, size, sha256, source, kind, default model).
//!
//! Installing is atomic: a model is written to a hidden temporary file in the models dir,
//! validated completely ([`inspect`]), renamed into place and only then recorded in the
//! manifest. A failed, cancelled or interrupted import leaves no installed model behind
//! (stale temporary files are removed the next time the store is opened).

use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Read, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::convert::{convert_ct2, ConvertProgress};
use crate::ct2::Ct2Model;
use crate::ggml::{inspect, GgmlInfo, ModelSize, Quant, WeightType};
use crate::ModelError;

pub const MODELS_DIR: &str = "models";
pub const MANIFEST_FILE: &str = "manifest.json";
const MANIFEST_VERSION: u32 = 1;
/// Temporary files of installs in progress start with this.
const PARTIAL_PREFIX: &str = ".partial-";
/// A partial file untouched for this long belongs to no running import.
const STALE_PARTIAL: Duration = Duration::from_secs(3600);

/// Where an installed model came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ModelSource {
    /// A whisper.cpp ggml file imported from `path`.
    ImportedGgml { path: String },
    /// Converted from the faster-whisper (CTranslate2) folder at `path`.
    ConvertedCt2 { path: String, quant: Option<Quant> },
    /// Downloaded from `url`.
    Download { url: String },
}

impl std::fmt::Display for ModelSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModelSource::ImportedGgml { path } => write!(f, "imported ggml {path}"),
            ModelSource::ConvertedCt2 { path, quant: None } => {
                write!(f, "converted from CT2 {path}")
            }
            ModelSource::ConvertedCt2 {
                path,
                quant: Some(q),
            } => write!(f, "converted from CT2 {path} ({})", q.as_str()),
            ModelSource::Download { url } => write!(f, "download {url}"),
        }
    }
}

/// One installed model, as recorded in the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct InstalledModel {
    pub name: String,
    /// File name inside the models dir.
    pub file: String,
    #[ts(type = "number")]
    pub size: u64,
    /// Lower-case hex SHA-256 of the file.
    pub sha256: String,
    pub source: ModelSource,
    /// Size class: tiny, base, small, medium, large.
    pub kind: ModelSize,
    /// Readable model name from its shape, e.g. "base", "tiny.en", "large-v3-turbo".
    pub label: String,
    pub multilingual: bool,
    pub weight_type: WeightType,
    /// Unix time (seconds) of the install.
    #[ts(type = "number")]
    pub added_at: u64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
struct Manifest {
    version: u32,
    default: Option<String>,
    models: Vec<InstalledModel>,
}

/// What an import is doing, for progress bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ImportStage {
    /// Copying a ggml file (`done`/`total` in bytes).
    Copying,
    /// Converting a CT2 model (`done`/`total` in weights).
    Converting,
    /// Checking the written file.
    Verifying,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct ImportProgress {
    pub stage: ImportStage,
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
}

/// The models directory of a data dir.
#[derive(Debug, Clone)]
pub struct ModelStore {
    dir: PathBuf,
}

impl ModelStore {
    /// Opens (creating if needed) `<data_dir>/models/` and removes temporary files left by
    /// interrupted imports.
    pub fn open(data_dir: &Path) -> Result<Self, ModelError> {
        let dir = data_dir.join(MODELS_DIR);
        fs::create_dir_all(&dir).map_err(|e| ModelError::io("create", &dir, e))?;
        let store = ModelStore { dir };
        store.remove_stale_partials();
        Ok(store)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn manifest_path(&self) -> PathBuf {
        self.dir.join(MANIFEST_FILE)
    }

    /// Installed models, in install order.
    pub fn list(&self) -> Result<Vec<InstalledModel>, ModelError> {
        Ok(self.load()?.models)
    }

    pub fn get(&self, name: &str) -> Result<Option<InstalledModel>, ModelError> {
        Ok(self.load()?.models.into_iter().find(|m| m.name == name))
    }

    /// The default model's name, if one is set.
    pub fn default_name(&self) -> Result<Option<String>, ModelError> {
        Ok(self.load()?.default)
    }

    /// The default model: the one chosen with [`set_default`](Self::set_default), else the
    /// first one installed.
    pub fn default_model(&self) -> Result<Option<InstalledModel>, ModelError> {
        let m = self.load()?;
        let chosen = m
            .default
            .as_deref()
            .and_then(|d| m.models.iter().find(|x| x.name == d));
        Ok(chosen.or_else(|| m.models.first()).cloned())
    }

    pub fn set_default(&self, name: &str) -> Result<(), ModelError> {
        let mut m = self.load()?;
        if !m.models.iter().any(|x| x.name == name) {
            return Err(ModelError::UnknownModel { name: name.into() });
        }
        m.default = Some(name.to_owned());
        self.save(&m)
    }

    /// The file of an installed model, checked to still be there.
    pub fn path(&self, name: &str) -> Result<PathBuf, ModelError> {
        let model = self
            .get(name)?
            .ok_or_else(|| ModelError::UnknownModel { name: name.into() })?;
        let path = self.dir.join(&model.file);
        match fs::metadata(&path) {
            Ok(meta) if meta.len() == model.size => Ok(path),
            Ok(meta) => Err(ModelError::InvalidModel {
                path,
                detail: format!(
                    "the file changed size since it was installed ({} bytes, expected {}): \
                     remove and import it again",
                    meta.len(),
                    model.size
                ),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(ModelError::InvalidModel {
                path,
                detail: "the model file is missing: remove the model and install it again".into(),
            }),
            Err(e) => Err(ModelError::io("read", &path, e)),
        }
    }

    /// Uninstalls a model: drops it from the manifest, then deletes its file. When it was
    /// the default, the first remaining model becomes the default.
    pub fn remove(&self, name: &str) -> Result<InstalledModel, ModelError> {
        let mut m = self.load()?;
        let idx = m
            .models
            .iter()
            .position(|x| x.name == name)
            .ok_or_else(|| ModelError::UnknownModel { name: name.into() })?;
        let removed = m.models.remove(idx);
        if m.default.as_deref() == Some(name) {
            m.default = m.models.first().map(|x| x.name.clone());
        }
        self.save(&m)?;
        let path = self.dir.join(&removed.file);
        match fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(ModelError::io("delete", &path, e)),
        }
        Ok(removed)
    }

    /// Imports what `path` is: a faster-whisper (CTranslate2) folder is converted (and
    /// quantized with `quant`), a file is taken as a whisper.cpp ggml model. The one rule both
    /// faces follow; quantizing a ggml file while importing is refused, not ignored.
    pub fn import(
        &self,
        path: &Path,
        name: Option<&str>,
        quant: Option<Quant>,
        progress: &mut dyn FnMut(ImportProgress) -> ControlFlow<()>,
    ) -> Result<InstalledModel, ModelError> {
        let name = name.map(str::trim).filter(|n| !n.is_empty());
        if !path.exists() {
            return Err(ModelError::InvalidArgument {
                name: "model path".into(),
                detail: format!("{} does not exist", path.display()),
            });
        }
        if path.is_dir() {
            self.import_ct2_with(path, name, quant, progress)
        } else if quant.is_some() {
            Err(ModelError::InvalidArgument {
                name: "quantize".into(),
                detail: "only a faster-whisper (CTranslate2) folder can be quantized while \
                         importing; a ggml file is installed as it is"
                    .into(),
            })
        } else {
            self.import_ggml_with(path, name, progress)
        }
    }

    /// Imports a whisper.cpp ggml file: validated, copied (atomically) and hashed. The name
    /// defaults to the file's (`ggml-base.en.bin` -> `base.en`).
    pub fn import_ggml(
        &self,
        path: &Path,
        name: Option<&str>,
    ) -> Result<InstalledModel, ModelError> {
        self.import_ggml_with(path, name, &mut |_| ControlFlow::Continue(()))
    }

    pub fn import_ggml_with(
        &self,
        path: &Path,
        name: Option<&str>,
        progress: &mut dyn FnMut(ImportProgress) -> ControlFlow<()>,
    ) -> Result<InstalledModel, ModelError> {
        // Validate the source first: a broken file fails fast, before any copying.
        let info = inspect(path)?;
        let name = match name {
            Some(n) => n.to_owned(),
            None => name_from_file(path).unwrap_or_else(|| info.label.clone()),
        };
        let mut pending = self.begin_install(&name)?;
        let mut src = File::open(path).map_err(|e| ModelError::io("open", path, e))?;
        let total = info.bytes;
        let mut buf = vec![0u8; 1 << 20];
        let mut done = 0u64;
        loop {
            let n = src
                .read(&mut buf)
                .map_err(|e| ModelError::io("read", path, e))?;
            if n == 0 {
                break;
            }
            pending.write_all(&buf[..n])?;
            done += n as u64;
            let p = ImportProgress {
                stage: ImportStage::Copying,
                done,
                total,
            };
            if progress(p).is_break() {
                return Err(ModelError::Cancelled);
            }
        }
        let source = ModelSource::ImportedGgml {
            path: absolute(path).display().to_string(),
        };
        stage(progress, ImportStage::Verifying, total)?;
        pending.commit(source)
    }

    /// Imports a faster-whisper (CTranslate2) model folder by converting it to ggml (f16,
    /// or quantized with `quant`). The name defaults to the model's label plus the
    /// quantization (`base`, `tiny.en-q8_0`).
    pub fn import_ct2(
        &self,
        folder: &Path,
        name: Option<&str>,
        quant: Option<Quant>,
    ) -> Result<InstalledModel, ModelError> {
        self.import_ct2_with(folder, name, quant, &mut |_| ControlFlow::Continue(()))
    }

    pub fn import_ct2_with(
        &self,
        folder: &Path,
        name: Option<&str>,
        quant: Option<Quant>,
        progress: &mut dyn FnMut(ImportProgress) -> ControlFlow<()>,
    ) -> Result<InstalledModel, ModelError> {
        let mut model = Ct2Model::open(folder)?;
        let name = match name {
            Some(n) => n.to_owned(),
            None => {
                let hp = crate::convert::ct2_hparams(&mut model, quant)?;
                let (size, _) = hp.check().map_err(|detail| ModelError::InvalidModel {
                    path: folder.to_path_buf(),
                    detail,
                })?;
                let label = crate::ggml::model_label(&hp, size);
                match quant {
                    Some(q) => format!("{label}-{}", q.as_str()),
                    None => label,
                }
            }
        };
        let mut pending = self.begin_install(&name)?;
        let temp = pending.path().to_path_buf();
        let mut on_convert = |p: ConvertProgress| {
            progress(ImportProgress {
                stage: ImportStage::Converting,
                done: p.done,
                total: p.total,
            })
        };
        let out = BufWriter::with_capacity(1 << 20, &mut pending);
        let (out, _) = convert_ct2(&mut model, out, &temp, quant, &mut on_convert)?;
        out.into_inner()
            .map_err(|e| ModelError::io("write", &temp, e.into_error()))?;
        stage(progress, ImportStage::Verifying, 0)?;
        let source = ModelSource::ConvertedCt2 {
            path: absolute(folder).display().to_string(),
            quant,
        };
        pending.commit(source)
    }

    /// Starts installing a model named `name`: returns a temporary file in the models dir
    /// to write the ggml data into (hashed as it is written). Nothing is installed until
    /// [`PendingInstall::commit`]; dropping it deletes the temporary file. Also the way a
    /// downloader installs what it fetched.
    pub fn begin_install(&self, name: &str) -> Result<PendingInstall<'_>, ModelError> {
        validate_name(name)?;
        if self.get(name)?.is_some() {
            return Err(ModelError::ModelExists { name: name.into() });
        }
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = self
            .dir
            .join(format!("{PARTIAL_PREFIX}{name}-{}-{n}", std::process::id()));
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| ModelError::io("create", &path, e))?;
        Ok(PendingInstall {
            store: self,
            name: name.to_owned(),
            path,
            file: Some(file),
            hasher: Sha256::new(),
            written: 0,
        })
    }

    fn load(&self) -> Result<Manifest, ModelError> {
        let path = self.manifest_path();
        let text = match fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Manifest {
                    version: MANIFEST_VERSION,
                    ..Manifest::default()
                })
            }
            Err(e) => return Err(ModelError::io("read", &path, e)),
        };
        serde_json::from_str(&text).map_err(|e| ModelError::InvalidArgument {
            name: "model manifest".into(),
            detail: format!(
                "{} is not valid ({e}); move it aside to start over",
                path.display()
            ),
        })
    }

    fn save(&self, m: &Manifest) -> Result<(), ModelError> {
        let path = self.manifest_path();
        let tmp = self
            .dir
            .join(format!("{MANIFEST_FILE}.tmp-{}", std::process::id()));
        let m = Manifest {
            version: MANIFEST_VERSION,
            ..m.clone()
        };
        let json = serde_json::to_vec_pretty(&m).map_err(|e| ModelError::InvalidArgument {
            name: "model manifest".into(),
            detail: e.to_string(),
        })?;
        let write = || -> std::io::Result<()> {
            let mut f = File::create(&tmp)?;
            f.write_all(&json)?;
            f.write_all(b"\n")?;
            f.sync_all()?;
            fs::rename(&tmp, &path)
        };
        write().map_err(|e| {
            let _ = fs::remove_file(&tmp);
            ModelError::io("write", &path, e)
        })?;
        sync_dir(&self.dir);
        Ok(())
    }

    fn remove_stale_partials(&self) {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            if !name.to_string_lossy().starts_with(PARTIAL_PREFIX) {
                continue;
            }
            let stale = entry
                .metadata()
                .and_then(|m| m.modified())
                .map(|t| t.elapsed().unwrap_or_default() > STALE_PARTIAL)
                .unwrap_or(false);
            if stale {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// A model being installed: a temporary file in the models dir. See
/// [`ModelStore::begin_install`].
pub struct PendingInstall<'a> {
    store: &'a ModelStore,
    name: String,
    path: PathBuf,
    file: Option<File>,
    hasher: Sha256,
    written: u64,
}

impl PendingInstall<'_> {
    /// The temporary file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn bytes_written(&self) -> u64 {
        self.written
    }

    fn write_all(&mut self, buf: &[u8]) -> Result<(), ModelError> {
        Write::write_all(self, buf).map_err(|e| ModelError::io("write", &self.path, e))
    }

    /// Validates the written file, moves it into place and records it in the manifest
    /// (becoming the default when there is none). On any error nothing is installed.
    pub fn commit(mut self, source: ModelSource) -> Result<InstalledModel, ModelError> {
        let file = self.file.take().expect("file present until commit");
        file.sync_all()
            .map_err(|e| ModelError::io("write", &self.path, e))?;
        drop(file);
        let info: GgmlInfo = inspect(&self.path)?;
        if info.bytes != self.written {
            return Err(ModelError::InvalidModel {
                path: self.path.clone(),
                detail: format!(
                    "{} bytes were written but the file has {}",
                    self.written, info.bytes
                ),
            });
        }
        let sha256 = hex(&std::mem::take(&mut self.hasher).finalize());
        let store = self.store;
        let file_name = format!("ggml-{}.bin", self.name);
        let dest = store.dir.join(&file_name);
        let mut manifest = store.load()?;
        if manifest.models.iter().any(|m| m.name == self.name) {
            return Err(ModelError::ModelExists {
                name: self.name.clone(),
            });
        }
        fs::rename(&self.path, &dest).map_err(|e| ModelError::io("install", &dest, e))?;
        sync_dir(&store.dir);
        let model = InstalledModel {
            name: self.name.clone(),
            file: file_name,
            size: info.bytes,
            sha256,
            source,
            kind: info.size_class,
            label: info.label,
            multilingual: info.multilingual,
            weight_type: info.weight_type,
            added_at: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0),
        };
        manifest.models.push(model.clone());
        if manifest.default.is_none() {
            manifest.default = Some(model.name.clone());
        }
        if let Err(e) = store.save(&manifest) {
            // Not recorded: do not leave an unlisted model file behind.
            let _ = fs::remove_file(&dest);
            return Err(e);
        }
        // Renamed away: nothing for Drop to delete.
        self.path = PathBuf::new();
        Ok(model)
    }
}

impl Write for PendingInstall<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let file = self
            .file
            .as_mut()
            .ok_or_else(|| std::io::Error::other("install already committed"))?;
        let n = file.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self.file.as_mut() {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for PendingInstall<'_> {
    fn drop(&mut self) {
        self.file.take();
        if !self.path.as_os_str().is_empty() {
            let _ = fs::remove_file(&self.path);
        }
    }
}

fn stage(
    progress: &mut dyn FnMut(ImportProgress) -> ControlFlow<()>,
    stage: ImportStage,
    total: u64,
) -> Result<(), ModelError> {
    let p = ImportProgress {
        stage,
        done: 0,
        total,
    };
    if progress(p).is_break() {
        Err(ModelError::Cancelled)
    } else {
        Ok(())
    }
}

/// Model names become file names: letters, digits, '.', '_' and '-', up to 64, not
/// starting with '.' or '-'.
pub fn validate_name(name: &str) -> Result<(), ModelError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && !name.starts_with(['.', '-'])
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(ModelError::InvalidArgument {
            name: "model name".into(),
            detail: format!(
                "'{name}': use 1-64 letters, digits, '.', '_' or '-', not starting with '.' or '-'"
            ),
        })
    }
}

/// `ggml-base.en.bin` -> `base.en`; `my model.bin` -> `my-model`.
fn name_from_file(path: &Path) -> Option<String> {
    let stem = path.file_name()?.to_string_lossy().into_owned();
    let stem = stem
        .strip_suffix(".bin")
        .or_else(|| stem.strip_suffix(".ggml"))
        .unwrap_or(&stem);
    let stem = stem.strip_prefix("ggml-").unwrap_or(stem);
    let clean: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let clean = clean.trim_start_matches(['.', '-']).to_string();
    let clean: String = clean.chars().take(64).collect();
    validate_name(&clean).ok().map(|_| clean)
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// SHA-256 of a file, lower-case hex.
pub fn sha256_file(path: &Path) -> Result<String, ModelError> {
    let mut f = File::open(path).map_err(|e| ModelError::io("open", path, e))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f
            .read(&mut buf)
            .map_err(|e| ModelError::io("read", path, e))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex(&h.finalize()))
}

/// Makes a rename durable (best effort; a no-op where directories cannot be opened).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ggml::tests::{synthetic_model, tiny_hparams};

    #[test]
    fn names() {
        assert_eq!(
            name_from_file(Path::new("/x/ggml-base.en.bin")).as_deref(),
            Some("base.en")
        );
        assert_eq!(
            name_from_file(Path::new("my model.bin")).as_deref(),
            Some("my-model")
        );
        assert_eq!(name_from_file(Path::new("ggml-.bin")), None);
        assert!(validate_name("large-v3-turbo-q8_0").is_ok());
        for bad in ["", ".hidden", "-x", "a/b", "a b", "ü", &"x".repeat(65)] {
            assert!(validate_name(bad).is_err(), "{bad}");
        }
        assert_eq!(
            ModelSource::ConvertedCt2 {
                path: "/m".into(),
                quant: None
            }
            .to_string(),
            "converted from CT2 /m"
        );
        assert_eq!(
            serde_json::to_value(ModelSource::Download { url: "u".into() }).unwrap(),
            serde_json::json!({"type": "download", "url": "u"})
        );
    }

    #[test]
    fn store_lifecycle_with_a_synthetic_model() {
        let home = tempfile::tempdir().unwrap();
        let src = home.path().join("ggml-tiny.en.bin");
        fs::write(&src, synthetic_model(&tiny_hparams())).unwrap();
        let store = ModelStore::open(home.path()).unwrap();
        assert!(store.list().unwrap().is_empty());
        assert!(store.default_model().unwrap().is_none());

        let m = store.import_ggml(&src, None).unwrap();
        assert_eq!(m.name, "tiny.en");
        assert_eq!(m.label, "tiny.en");
        assert_eq!(m.size, fs::metadata(&src).unwrap().len());
        assert_eq!(m.sha256, sha256_file(&src).unwrap());
        assert_eq!(store.default_name().unwrap().as_deref(), Some("tiny.en"));
        assert_eq!(
            store.path("tiny.en").unwrap(),
            store.dir().join("ggml-tiny.en.bin")
        );

        let again = store.import_ggml(&src, None).unwrap_err();
        assert!(matches!(again, ModelError::ModelExists { .. }), "{again}");
        let second = store.import_ggml(&src, Some("second")).unwrap();
        assert_eq!(store.list().unwrap().len(), 2);
        store.set_default("second").unwrap();
        assert_eq!(store.default_model().unwrap().unwrap(), second);
        assert!(matches!(
            store.set_default("nope"),
            Err(ModelError::UnknownModel { .. })
        ));

        // Cancelling mid-copy leaves nothing behind.
        let err = store
            .import_ggml_with(&src, Some("third"), &mut |_| ControlFlow::Break(()))
            .unwrap_err();
        assert!(matches!(err, ModelError::Cancelled));
        assert_eq!(store.list().unwrap().len(), 2);
        let leftovers: Vec<_> = fs::read_dir(store.dir())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(PARTIAL_PREFIX))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");

        store.remove("second").unwrap();
        assert_eq!(store.default_name().unwrap().as_deref(), Some("tiny.en"));
        assert!(!store.dir().join("ggml-second.bin").exists());
        store.remove("tiny.en").unwrap();
        assert!(store.default_model().unwrap().is_none());
        assert!(matches!(
            store.remove("tiny.en"),
            Err(ModelError::UnknownModel { .. })
        ));

        // A missing file is reported, not handed to whisper.cpp.
        store.import_ggml(&src, Some("gone")).unwrap();
        fs::remove_file(store.dir().join("ggml-gone.bin")).unwrap();
        let err = store.path("gone").unwrap_err().to_string();
        assert!(err.contains("missing"), "{err}");
    }
}

//! Whisper model files and their management: validation of whisper.cpp's ggml files,
//! reading faster-whisper (CTranslate2) folders and converting them (optionally quantised),
//! the catalog of official models, resumable verified downloads, and the store of installed
//! models. No speech runs here: this crate is tested without whisper.cpp.

pub mod catalog;
pub mod convert;
pub mod ct2;
#[cfg(feature = "download")]
pub mod download;
mod error;
pub mod ggml;
pub mod store;
pub mod wire;

use std::ops::ControlFlow;
use std::path::Path;

pub use catalog::{catalog, CatalogModel};
pub use convert::{convert_ct2, ConvertProgress};
pub use ct2::Ct2Model;
pub use error::ModelError;
pub use ggml::{inspect, GgmlInfo, Hparams, ModelSize, Quant, WeightType};
pub use store::{
    ImportProgress, ImportStage, InstalledModel, ModelSource, ModelStore, PendingInstall,
};

/// Converts the CT2 model folder `folder` into the ggml file `out`, atomically: the data
/// goes to a temporary file next to `out`, which is validated and then renamed. Returns
/// what [`inspect`] says about the result.
pub fn convert_ct2_folder(
    folder: &Path,
    out: &Path,
    quant: Option<Quant>,
    progress: &mut dyn FnMut(ConvertProgress) -> ControlFlow<()>,
) -> Result<GgmlInfo, ModelError> {
    let mut model = Ct2Model::open(folder)?;
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let file_name = out
        .file_name()
        .ok_or_else(|| ModelError::InvalidArgument {
            name: "output".into(),
            detail: format!("'{}' is not a file path", out.display()),
        })?
        .to_string_lossy()
        .into_owned();
    let tmp = dir.join(format!(".{file_name}.partial-{}", std::process::id()));
    let result = (|| {
        let file = std::fs::File::create(&tmp).map_err(|e| ModelError::io("create", &tmp, e))?;
        let w = std::io::BufWriter::with_capacity(1 << 20, file);
        let (w, _) = convert_ct2(&mut model, w, &tmp, quant, progress)?;
        let file = w
            .into_inner()
            .map_err(|e| ModelError::io("write", &tmp, e.into_error()))?;
        file.sync_all()
            .map_err(|e| ModelError::io("write", &tmp, e))?;
        drop(file);
        let info = inspect(&tmp)?;
        std::fs::rename(&tmp, out).map_err(|e| ModelError::io("write", out, e))?;
        Ok(info)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

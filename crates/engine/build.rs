//! Finds the face-detection model that the `rustface` crate ships (SeetaFace frontal
//! cascade, BSD-2) and copies it into OUT_DIR, so it is embedded in the binary with
//! `include_bytes!` and nothing is downloaded or installed beside the app.

use std::path::PathBuf;
use std::process::Command;

const MODEL: &str = "model/seeta_fd_frontal_v1.0.bin";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("manifest dir"))
        .join("Cargo.toml");
    // `cargo metadata` names the manifest of every package in the lock file, wherever the
    // registry (or a vendor folder) keeps it.
    let meta = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--offline",
            "--manifest-path",
        ])
        .arg(&manifest)
        .output()
        .expect("cannot run cargo metadata");
    assert!(
        meta.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&meta.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&meta.stdout).expect("metadata JSON");
    let dir = meta["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["name"] == "rustface")
        .and_then(|p| p["manifest_path"].as_str())
        .map(|m| {
            PathBuf::from(m)
                .parent()
                .expect("package dir")
                .to_path_buf()
        })
        .expect("rustface is a dependency");
    let model = dir.join(MODEL);
    println!("cargo:rerun-if-changed={}", model.display());
    std::fs::copy(&model, out.join("seeta_fd_frontal.bin"))
        .unwrap_or_else(|e| panic!("cannot copy {}: {e}", model.display()));
}

//! Recordings of real people with human transcripts, for the transcription evaluation:
//! the shared clips beside the repository (`../shared/realspeech`, or
//! `$GREENROOM_REALSPEECH`) and, when a developer has cached them, the KsponSpeech
//! development clips (`scripts/realspeech.sh`). Both folders hold WAVs and a
//! `MANIFEST.tsv` (file, lang, seconds, source, ..., transcript).

use std::path::{Path, PathBuf};

use greenroom_core::Lang;

/// One recording and what its speaker said.
#[derive(Debug, Clone, PartialEq)]
pub struct Clip {
    /// The file name without `.wav`.
    pub name: String,
    pub lang: Lang,
    pub path: PathBuf,
    pub seconds: f64,
    pub reference: String,
}

/// The clips a `MANIFEST.tsv` in `dir` lists; an error names the file and line.
pub fn read_manifest(dir: &Path) -> Result<Vec<Clip>, String> {
    let manifest = dir.join("MANIFEST.tsv");
    let text =
        std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let mut clips = vec![];
    for (n, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let bad = |what: &str| format!("{}:{}: {what}", manifest.display(), n + 1);
        if f.len() != 8 {
            return Err(bad(&format!("{} fields, expected 8", f.len())));
        }
        let lang = match f[1] {
            "en" => Lang::En,
            "ko" => Lang::Ko,
            other => return Err(bad(&format!("language '{other}'"))),
        };
        let path = dir.join(f[0]);
        if !path.is_file() {
            return Err(bad(&format!("{} is missing", path.display())));
        }
        clips.push(Clip {
            name: f[0].trim_end_matches(".wav").to_owned(),
            lang,
            path,
            seconds: f[2].parse().map_err(|_| bad("seconds is not a number"))?,
            reference: f[7].trim().to_owned(),
        });
    }
    Ok(clips)
}

/// The shared clips' folder: `$GREENROOM_REALSPEECH`, else `shared/realspeech` beside the
/// repository (where CI lays it).
pub fn shared_dir() -> PathBuf {
    std::env::var_os("GREENROOM_REALSPEECH")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/realspeech"))
}

/// The KsponSpeech development clips' cache: `$GREENROOM_KSPON_CACHE`, else
/// `~/.cache/greenroom-realspeech/ksponspeech`.
pub fn kspon_dir() -> PathBuf {
    std::env::var_os("GREENROOM_KSPON_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/greenroom-realspeech/ksponspeech")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_lists_its_clips_and_names_a_bad_line() {
        let dir = tempfile_dir();
        std::fs::write(dir.join("a.wav"), b"RIFF").unwrap();
        let head = "file\tlang\tseconds\tsource_repo\tsource_path\tlicence\ttranscript_source\ttranscript\n";
        std::fs::write(
            dir.join("MANIFEST.tsv"),
            format!("{head}a.wav\tko\t1.5\tr\tp\tl\ts\t아 몬 소리야.\n"),
        )
        .unwrap();
        let clips = read_manifest(&dir).unwrap();
        assert_eq!(clips.len(), 1);
        assert_eq!((clips[0].name.as_str(), clips[0].lang), ("a", Lang::Ko));
        assert_eq!(clips[0].reference, "아 몬 소리야.");
        assert_eq!(clips[0].seconds, 1.5);

        std::fs::write(
            dir.join("MANIFEST.tsv"),
            format!("{head}b.wav\ten\t1\tr\tp\tl\ts\tgo\n"),
        )
        .unwrap();
        let e = read_manifest(&dir).unwrap_err();
        assert!(
            e.contains("MANIFEST.tsv:2") && e.contains("b.wav is missing"),
            "{e}"
        );
        std::fs::write(
            dir.join("MANIFEST.tsv"),
            format!("{head}a.wav\tfr\t1\tr\tp\tl\ts\tx\n"),
        )
        .unwrap();
        assert!(read_manifest(&dir).unwrap_err().contains("language 'fr'"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("greenroom-manifest-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}

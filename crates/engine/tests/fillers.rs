//! The coach's filler detection, measured: fixture answers in `assets/fixtures/fillers/`
//! are spoken by espeak-ng with fillers at known moments, transcribed with tiny.en and
//! coached, and the filler hits scored (precision and recall, floor 0.8 each). A developer
//! measurement, not a user feature: it needs espeak-ng and sox, so it lives in the test bed.
//! Print the table with `cargo test -p greenroom-engine --test fillers -- --nocapture`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;

use greenroom_core::coach::eval::filler_precision_recall;
use greenroom_core::coach::{coach, AnswerContext, Envelope};
use greenroom_core::Lang;
use greenroom_engine::transcribe::{
    read_wav_16k, LanguagePlan, TranscribeOptions, Transcriber, WHISPER_RATE,
};
use greenroom_engine::EngineError;

/// How far apart a hit and a planted filler may start and still match.
pub const TOLERANCE_MS: u64 = 600;

/// One chunk of a fixture: speech, or a planted filler.
#[derive(Debug, Clone, PartialEq)]
struct Chunk {
    text: String,
    filler: bool,
}

/// Splits `"{Um,} a process {uh} has"` into chunks; braces mark fillers.
fn parse_fixture(text: &str) -> Vec<Chunk> {
    let mut out = vec![];
    let mut rest = text.trim();
    while !rest.is_empty() {
        if let Some(start) = rest.find('{') {
            let before = rest[..start].trim();
            if !before.is_empty() {
                out.push(Chunk {
                    text: before.to_owned(),
                    filler: false,
                });
            }
            let Some(end) = rest[start..].find('}') else {
                out.push(Chunk {
                    text: rest[start + 1..].trim().to_owned(),
                    filler: false,
                });
                break;
            };
            out.push(Chunk {
                text: rest[start + 1..start + end].trim().to_owned(),
                filler: true,
            });
            rest = rest[start + end + 1..].trim_start();
        } else {
            out.push(Chunk {
                text: rest.to_owned(),
                filler: false,
            });
            break;
        }
    }
    out
}

/// Scores of one fixture.
#[derive(Debug, Clone)]
struct FixtureScore {
    name: String,
    planted: u32,
    found: u32,
    precision: f64,
    recall: f64,
    transcript: String,
}

#[derive(Debug, Clone)]
struct EvalReport {
    model: String,
    fixtures: Vec<FixtureScore>,
    /// Over all fixtures together.
    precision: f64,
    recall: f64,
}

fn run(cmd: &mut Command, what: &str) -> Result<(), EngineError> {
    let out = cmd.output().map_err(|e| EngineError::InvalidArgument {
        name: what.into(),
        detail: format!("cannot run it ({e}); install espeak-ng and sox"),
    })?;
    if !out.status.success() {
        return Err(EngineError::InvalidArgument {
            name: what.into(),
            detail: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        });
    }
    Ok(())
}

/// Speaks the chunks into one 16 kHz mono WAV; returns the start (ms) of each filler chunk
/// with its word.
fn synthesize(chunks: &[Chunk], dir: &Path) -> Result<(PathBuf, Vec<(u64, String)>), EngineError> {
    let mut audio: Vec<f32> = vec![0.0; WHISPER_RATE as usize / 2];
    let mut planted = vec![];
    for (i, c) in chunks.iter().enumerate() {
        let raw = dir.join(format!("chunk{i}.wav"));
        let wav = dir.join(format!("chunk{i}-16k.wav"));
        run(
            Command::new("espeak-ng")
                .args(["-v", "en-us", "-s", "150", "-w"])
                .arg(&raw)
                .arg(&c.text),
            "espeak-ng",
        )?;
        // espeak pads each chunk with silence; trim it so the answer flows like speech.
        run(
            Command::new("sox")
                .arg(&raw)
                .args(["-r", "16000", "-c", "1", "-b", "16"])
                .arg(&wav)
                .args([
                    "gain", "-2", "silence", "1", "0.02", "0.5%", "reverse", "silence", "1",
                    "0.02", "0.5%", "reverse", "pad", "0", "0.15",
                ]),
            "sox",
        )?;
        let pcm = read_wav_16k(&wav)?;
        if c.filler {
            let word = c
                .text
                .trim_matches(|ch: char| !ch.is_alphanumeric() && ch != ' ')
                .to_lowercase();
            planted.push((audio.len() as u64 * 1000 / WHISPER_RATE as u64, word));
        }
        audio.extend_from_slice(&pcm.samples);
    }
    audio.extend(std::iter::repeat_n(0.0, WHISPER_RATE as usize / 2));
    let path = dir.join("answer.wav");
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: WHISPER_RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let write = || -> Result<(), hound::Error> {
        let mut w = hound::WavWriter::create(&path, spec)?;
        for s in &audio {
            w.write_sample((s.clamp(-1.0, 1.0) * 32767.0) as i16)?;
        }
        w.finalize()
    };
    write().map_err(|e| EngineError::InvalidArgument {
        name: "fixture audio".into(),
        detail: e.to_string(),
    })?;
    Ok((path, planted))
}

/// Evaluates every `*.txt` fixture in `dir` with `transcriber`.
fn evaluate_fillers(dir: &Path, transcriber: &Transcriber) -> Result<EvalReport, EngineError> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| EngineError::io("read", dir, e))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(EngineError::InvalidArgument {
            name: "fixtures".into(),
            detail: format!("no *.txt fixtures in {}", dir.display()),
        });
    }
    let work =
        tempfile::tempdir().map_err(|e| EngineError::io("create", std::env::temp_dir(), e))?;
    let mut fixtures = vec![];
    let (mut all_hits, mut all_planted) = (vec![], vec![]);
    let mut offset = 0u64;
    for file in files {
        let text = std::fs::read_to_string(&file).map_err(|e| EngineError::io("read", &file, e))?;
        let chunks = parse_fixture(&text);
        let (wav, planted) = synthesize(&chunks, work.path())?;
        let audio = read_wav_16k(&wav)?;
        let transcript = transcriber.transcribe(
            &audio.samples,
            &LanguagePlan {
                lang: Lang::En,
                switch_at_ms: None,
            },
            &mut |_| {},
            &AtomicBool::new(false),
        )?;
        let envelope = Envelope::from_samples(&audio.samples, WHISPER_RATE, 10);
        let ctx = AnswerContext::of(&transcript, Lang::En, None);
        let coaching = coach(&transcript, &envelope, &ctx);
        let hits: Vec<_> = coaching
            .fillers
            .hits
            .iter()
            .chain(coaching.fillers.inferred.iter())
            .cloned()
            .collect();
        let expected: Vec<(u64, &str)> = planted.iter().map(|(ms, w)| (*ms, w.as_str())).collect();
        let (precision, recall) = filler_precision_recall(&expected, &hits, TOLERANCE_MS);
        fixtures.push(FixtureScore {
            name: file
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned(),
            planted: planted.len() as u32,
            found: hits.len() as u32,
            precision,
            recall,
            transcript: transcript.text(),
        });
        // Pool all fixtures on one time line for the overall score.
        for mut h in hits {
            h.start_ms += offset;
            h.end_ms += offset;
            all_hits.push(h);
        }
        all_planted.extend(planted.into_iter().map(|(ms, w)| (ms + offset, w)));
        offset += audio.duration_ms() + 10_000;
    }
    let expected: Vec<(u64, &str)> = all_planted
        .iter()
        .map(|(ms, w)| (*ms, w.as_str()))
        .collect();
    let (precision, recall) = filler_precision_recall(&expected, &all_hits, TOLERANCE_MS);
    Ok(EvalReport {
        model: transcriber.name().to_owned(),
        fixtures,
        precision,
        recall,
    })
}

#[test]
fn fixtures_split_into_speech_and_planted_fillers() {
    let c = parse_fixture("{Um,} a process {uh} has memory.");
    assert_eq!(
        c,
        vec![
            Chunk {
                text: "Um,".into(),
                filler: true
            },
            Chunk {
                text: "a process".into(),
                filler: false
            },
            Chunk {
                text: "uh".into(),
                filler: true
            },
            Chunk {
                text: "has memory.".into(),
                filler: false
            },
        ]
    );
}

/// The floor the review issue set for both precision and recall.
const FLOOR: f64 = 0.8;

#[test]
fn filler_precision_and_recall_reach_the_floor_on_the_fixtures() {
    let Some(models) = common::test_models(&["tiny.en.ggml"]) else {
        return;
    };
    let _whisper = common::whisper_lock();
    let transcriber = Transcriber::new(&models.join("tiny.en.ggml"), TranscribeOptions::default())
        .expect("tiny.en loads")
        .with_name("tiny.en");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/fixtures/fillers");
    let r = evaluate_fillers(&dir, &transcriber).expect("the evaluation runs");
    for f in &r.fixtures {
        eprintln!(
            "{:<24} planted {:>2}  found {:>2}  precision {:.2}  recall {:.2}  | {}",
            f.name, f.planted, f.found, f.precision, f.recall, f.transcript
        );
    }
    eprintln!(
        "overall ({}): precision {:.2}, recall {:.2} (floor {FLOOR:.2})",
        r.model, r.precision, r.recall
    );
    assert_eq!(r.fixtures.len(), 4, "the four shipped fixtures");
    assert!(
        r.precision >= FLOOR && r.recall >= FLOOR,
        "precision {:.2}, recall {:.2}",
        r.precision,
        r.recall
    );
}

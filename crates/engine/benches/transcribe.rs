use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;
use whisper_rs::{FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters};

fn main() {
    let models = PathBuf::from(std::env::var_os("GREENROOM_TEST_MODELS").unwrap());
    let dir = tempfile::tempdir().unwrap();
    let raw = dir.path().join("r.wav");
    let wav = dir.path().join("s.wav");
    let text = "Um, I think the most important part of my last project was the migration of our storage layer. We had about two hundred customers on the old system, and every one of them had to move without losing any data.";
    Command::new("espeak-ng")
        .args(["-v", "en-us", "-s", "150", "-w"])
        .arg(&raw)
        .arg(text)
        .status()
        .unwrap();
    Command::new("sox")
        .arg(&raw)
        .args(["-r", "16000", "-c", "1", "-b", "16"])
        .arg(&wav)
        .args(["gain", "-2", "pad", "0", "0.6"])
        .status()
        .unwrap();
    let audio: Vec<f32> = hound::WavReader::open(&wav)
        .unwrap()
        .samples::<i16>()
        .map(|s| f32::from(s.unwrap()) / 32768.0)
        .collect();
    println!("audio {:.1} s", audio.len() as f64 / 16000.0);
    for m in ["base", "tiny.en"] {
        for fa in [false, true] {
            let mut cp = WhisperContextParameters::default();
            cp.flash_attn = fa;
            let ctx =
                WhisperContext::new_with_params(models.join(format!("{m}.ggml")), cp).unwrap();
            for threads in [1, 2] {
                for (secs, actx) in [
                    (3.0, 0),
                    (3.0, 256),
                    (3.0, 512),
                    (8.0, 0),
                    (8.0, 512),
                    (14.0, 0),
                    (14.0, 768),
                ] {
                    let n = ((secs * 16000.0) as usize).min(audio.len());
                    let mut st = ctx.create_state().unwrap();
                    let mut p = FullParams::new(SamplingStrategy::Greedy { best_of: 1 });
                    p.set_n_threads(threads);
                    p.set_language(Some("en"));
                    p.set_no_context(true);
                    p.set_token_timestamps(true);
                    p.set_print_progress(false);
                    p.set_print_realtime(false);
                    if actx > 0 {
                        p.set_audio_ctx(actx);
                    }
                    let t = Instant::now();
                    st.full(p, &audio[..n]).unwrap();
                    let txt: String = st
                        .as_iter()
                        .map(|s| s.to_str_lossy().unwrap().into_owned())
                        .collect();
                    println!(
                        "{m} fa={fa} th={threads} {secs}s actx={actx}: {:.2} s  {txt}",
                        t.elapsed().as_secs_f64()
                    );
                }
            }
        }
    }
}

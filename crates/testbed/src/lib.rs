//! What Greenroom's integration tests share (dev-dependency only): the PulseAudio server
//! `./x harness` starts, a zoo of virtual microphones that each carry one known signal, and
//! the Windows build run under Wine on that same server.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use greenroom_core::signal::{speech_like, white_noise};

pub mod realspeech;
pub mod score;

/// Under `./x harness` (GREENROOM_HARNESS=1) a PulseAudio with virtual devices is running.
/// Without it a test prints why it is skipped; under `./x test`
/// (GREENROOM_REQUIRE_TEST_BED) a missing test bed is a failure, not a skip.
pub fn harness() -> bool {
    if std::env::var_os("GREENROOM_HARNESS").is_none() {
        assert!(
            std::env::var_os("GREENROOM_REQUIRE_TEST_BED").is_none(),
            "the test bed (PulseAudio harness, Whisper models) is required but missing"
        );
        eprintln!("skipped: needs the PulseAudio of ./x harness");
        return false;
    }
    true
}

/// `pactl ARGS` on the harness's server; its trimmed output.
pub fn pactl(args: &[&str]) -> String {
    let out = Command::new("pactl")
        .args(args)
        .output()
        .expect("pactl runs");
    assert!(
        out.status.success(),
        "pactl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Speech at a good level (peaks near -9 dBFS) over a -70 dBFS floor: what a well set-up
/// mic delivers, for a zoo mic at `rate`.
pub fn good_speech(rate: u32) -> Vec<f32> {
    let mut s = speech_like(rate, 4.0, -9.0, 7);
    let noise = white_noise(s.len(), 0.0003, 11);
    s.iter_mut().zip(noise).for_each(|(x, n)| *x += n);
    s
}

/// Speech 6 dB over full scale, clipped: a mic whose gain is far too high.
pub fn clipped_speech(rate: u32) -> Vec<f32> {
    speech_like(rate, 4.0, 6.0, 3)
        .into_iter()
        .map(|x| x.clamp(-1.0, 1.0))
        .collect()
}

/// A virtual mic with a known signal: a null sink ("feed") whose monitor is remapped into a
/// source, with `pacat` playing the signal into the feed, so an app records it exactly as
/// it would a real device. Unloads its modules and stops its player on drop.
pub struct ZooMic {
    /// The cpal id on the PulseAudio host (`pulseaudio:zoo_NAME`).
    pub id: String,
    /// What the source is called in device lists (`Zoo-NAME`), e.g. by Wine's WASAPI.
    pub description: String,
    modules: Vec<String>,
    player: Option<Child>,
}

impl ZooMic {
    /// `signal` (mono f32 at `rate`) is played in a loop for about 20 s; `None` leaves the
    /// feed silent (digital zeros).
    pub fn new(name: &str, rate: u32, signal: Option<Vec<f32>>) -> ZooMic {
        let feed = format!("zoo_{name}_feed");
        let src = format!("zoo_{name}");
        let description = format!("Zoo-{name}");
        let sink_mod = pactl(&[
            "load-module",
            "module-null-sink",
            &format!("sink_name={feed}"),
            &format!("rate={rate}"),
            "channels=1",
            "format=float32le",
            &format!("sink_properties=device.description=ZooFeed-{name}"),
        ]);
        let remap_mod = pactl(&[
            "load-module",
            "module-remap-source",
            &format!("master={feed}.monitor"),
            &format!("source_name={src}"),
            &format!("rate={rate}"),
            "channels=1",
            "format=float32le",
            &format!("source_properties=device.description={description}"),
        ]);
        let player = signal.map(|sig| {
            let mut child = Command::new("pacat")
                .args([
                    "--playback",
                    "--raw",
                    "--format=float32le",
                    "--channels=1",
                    &format!("--rate={rate}"),
                    "--latency-msec=250",
                    &format!("--device={feed}"),
                ])
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("pacat runs");
            let mut stdin = child.stdin.take().unwrap();
            // 20 s of the signal, written from a thread so we never block on the pipe.
            std::thread::spawn(move || {
                let bytes: Vec<u8> = sig.iter().flat_map(|s| s.to_le_bytes()).collect();
                let reps = (20.0 * rate as f64 / sig.len() as f64).ceil() as usize;
                for _ in 0..reps.max(1) {
                    if stdin.write_all(&bytes).is_err() {
                        break;
                    }
                }
            });
            child
        });
        ZooMic {
            id: format!("pulseaudio:{src}"),
            description,
            modules: vec![remap_mod, sink_mod],
            player,
        }
    }

    /// Removes the device now, as an unplugged mic would be.
    pub fn unload(&mut self) {
        if let Some(mut p) = self.player.take() {
            let _ = p.kill();
            let _ = p.wait();
        }
        for m in self.modules.drain(..) {
            let _ = Command::new("pactl").args(["unload-module", &m]).status();
        }
    }
}

impl Drop for ZooMic {
    fn drop(&mut self) {
        self.unload();
    }
}

/// The Windows build under Wine (`./x test` builds it and sets GREENROOM_WINDOWS_CLI to
/// `greenroom.exe`). `None`, with the reason printed, when it is not there; under `./x
/// test` (GREENROOM_REQUIRE_WINDOWS) that is a failure.
pub fn windows_cli() -> Option<PathBuf> {
    match std::env::var_os("GREENROOM_WINDOWS_CLI") {
        Some(p) => {
            let p = PathBuf::from(p);
            assert!(
                p.is_file(),
                "GREENROOM_WINDOWS_CLI={} is not a file",
                p.display()
            );
            Some(p)
        }
        None => {
            assert!(
                std::env::var_os("GREENROOM_REQUIRE_WINDOWS").is_none(),
                "the Windows build under Wine is required but GREENROOM_WINDOWS_CLI is not set"
            );
            eprintln!("skipped: needs the Windows build (GREENROOM_WINDOWS_CLI, ./x test sets it)");
            None
        }
    }
}

/// The path a Windows program under Wine uses for a file of this machine (drive Z: is /).
pub fn win_path(p: &std::path::Path) -> String {
    format!("Z:{}", p.display()).replace('/', "\\")
}

/// The Wine prefix the Windows tests run in (scripts/wine-run chooses it the same way).
pub fn wine_prefix() -> PathBuf {
    match std::env::var_os("GREENROOM_WINE_PREFIX") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(std::env::var_os("HOME").expect("HOME is set"))
            .join(".cache/greenroom-wine"),
    }
}

/// A command that runs the Windows program `exe` under Wine with the test prefix
/// (`scripts/wine-run`), on the harness's PulseAudio.
pub fn wine(exe: &std::path::Path) -> Command {
    let runner = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/wine-run");
    let mut c = Command::new(runner);
    c.arg(exe);
    c
}

/// Code that picks AVX-512 at run time from CPUID, so it may carry it: aws-lc (TLS for
/// model downloads) with OpenSSL's capability vector. Labels inside its hand-written
/// assembly show up as symbols of their own: two in the ELF build, and on Windows every
/// `L$` label (perlasm's local-label prefix; compilers emit no such symbol).
pub const RUNTIME_DISPATCHED: &[&str] = &[
    "aws_lc_",
    "skip_iv_len_12_init_IV",
    "iv_len_12_init_IV",
    "L$",
];

/// Instructions in `binary` that a CPU without AVX-512 or AMX cannot run, outside
/// [`RUNTIME_DISPATCHED`] code, as "symbol: instruction" (at most 20). `objdump`:
/// `objdump` or `x86_64-w64-mingw32-objdump`.
///
/// A disassembly, not a run: it covers every code path, also those no test reaches. In
/// 64-bit mode the byte 0x62 at an instruction's start can only be an EVEX prefix (BOUND
/// is invalid there), and every AVX-512 instruction is EVEX-encoded, also those on xmm
/// and ymm registers; AMX instructions are named `tile*`, `tdp*` and `ldtilecfg`.
pub fn avx512_instructions(objdump: &str, binary: &std::path::Path) -> Vec<String> {
    let out = Command::new(objdump)
        .args(["-d", "-w", "--no-addresses"])
        .arg(binary)
        .stdout(Stdio::piped())
        .output()
        .unwrap_or_else(|e| panic!("{objdump} could not run: {e}"));
    assert!(
        out.status.success(),
        "{objdump} -d {} failed: {}",
        binary.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let mut found = Vec::new();
    let mut decoded = 0usize;
    let mut symbol = "";
    let mut exempt = false;
    for line in text.lines() {
        // "<ggml_vec_dot_f16>:" then "\t62 f1 7d 48 ef c0    \tvpxord %zmm0,%zmm0,%zmm0"
        if let Some(name) = line.strip_prefix('<').and_then(|l| l.strip_suffix(">:")) {
            symbol = name;
            exempt = RUNTIME_DISPATCHED.iter().any(|p| name.starts_with(p));
            continue;
        }
        let mut cols = line.trim_start().splitn(2, '\t');
        let (Some(bytes), Some(asm)) = (cols.next(), cols.next()) else {
            continue;
        };
        let Some(first) = bytes
            .split_whitespace()
            .find(|b| !matches!(*b, "2e" | "3e" | "26" | "36" | "64" | "65" | "67"))
        else {
            continue;
        };
        if first.len() != 2 || !first.bytes().all(|b| b.is_ascii_hexdigit()) {
            continue;
        }
        decoded += 1;
        let mnemonic = asm.split_whitespace().next().unwrap_or("");
        let amx = mnemonic.starts_with("tile")
            || mnemonic.starts_with("tdp")
            || mnemonic == "ldtilecfg"
            || mnemonic == "sttilecfg";
        if (first == "62" || amx) && !exempt && found.len() < 20 {
            found.push(format!("{symbol}: {}", asm.trim()));
        }
    }
    assert!(
        decoded > 0,
        "{}: objdump decoded only {decoded} instructions",
        binary.display()
    );
    found
}

// GNU as and objdump are tools of the Linux host: not under Wine.
#[cfg(all(test, unix))]
mod tests {
    /// The scan finds AVX-512 on xmm registers (EVEX, no zmm in sight) and passes AVX2 and
    /// runtime-dispatched code: compiled here from assembly, so the truth is known.
    #[test]
    fn the_avx512_scan_sees_evex_on_any_register_and_only_there() {
        let dir = tempfile_dir();
        let src = dir.join("probe.s");
        std::fs::write(
            &src,
            ".text\n.globl avx2_only\navx2_only:\n vpaddd %ymm1,%ymm2,%ymm3\n ret\n\
             .globl evex_on_xmm\nevex_on_xmm:\n vpternlogd $0xff,%xmm1,%xmm1,%xmm1\n ret\n\
             .globl aws_lc_0_1_gcm_avx512\naws_lc_0_1_gcm_avx512:\n vpxord %zmm0,%zmm0,%zmm0\n ret\n",
        )
        .unwrap();
        let obj = dir.join("probe.o");
        let status = super::Command::new("as")
            .arg("-o")
            .arg(&obj)
            .arg(&src)
            .status();
        assert!(
            status.is_ok_and(|s| s.success()),
            "GNU as assembles the probe"
        );
        let found = super::avx512_instructions("objdump", &obj);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("evex_on_xmm: vpternlogd"), "{found:?}");
        std::fs::remove_dir_all(dir).unwrap();
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("greenroom-avx512-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}

/// What ffmpeg (a real demuxer and H.264 decoder, not our own box reader) makes of a video.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FfmpegRead {
    /// The container's duration, in seconds.
    pub duration_s: f64,
    /// Pictures decoded.
    pub frames: u64,
    /// Whether ffmpeg decoded the whole file without reporting an error.
    pub clean: bool,
}

/// Reads `path` with ffprobe (duration, decoded pictures) and ffmpeg (errors while decoding
/// all of it). `None` when ffprobe cannot be started — under Wine, a Windows test program
/// cannot start Linux tools — which is a failure under `./x test` on Linux
/// (GREENROOM_REQUIRE_TEST_BED; setup installs ffmpeg).
pub fn ffmpeg_read(path: &std::path::Path) -> Option<FfmpegRead> {
    let probe = match Command::new("ffprobe")
        .args(["-v", "error", "-count_frames", "-select_streams", "v:0"])
        .args(["-show_entries", "stream=nb_read_frames:format=duration"])
        .args(["-of", "default=noprint_wrappers=1"])
        .arg(path)
        .output()
    {
        Ok(o) => o,
        Err(e) => {
            assert!(
                std::env::var_os("GREENROOM_REQUIRE_TEST_BED").is_none(),
                "ffprobe is required (apt install ffmpeg): {e}"
            );
            eprintln!("skipped reading the video with ffmpeg: no ffprobe ({e})");
            return None;
        }
    };
    let text = String::from_utf8_lossy(&probe.stdout);
    let field = |k: &str| text.lines().find_map(|l| l.strip_prefix(k)).unwrap_or("");
    let decode = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args(["-f", "null", "-"])
        .output()
        .expect("ffmpeg runs where ffprobe does");
    Some(FfmpegRead {
        duration_s: field("duration=").parse().unwrap_or(f64::NAN),
        frames: field("nb_read_frames=").parse().unwrap_or(0),
        clean: probe.status.success()
            && probe.stderr.is_empty()
            && decode.status.success()
            && decode.stderr.is_empty(),
    })
}

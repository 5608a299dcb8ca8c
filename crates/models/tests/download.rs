//! Model downloads against a local HTTP/1.1 server started by each test on 127.0.0.1 (no
//! other host is ever contacted): full download, resume with `Range` after an interrupted
//! body, stalls, a server that ignores ranges, 416 for a complete partial file, checksum
//! and size mismatches, a file that is no model, cancel, HTTP errors.
//!
//! The served file is a complete, valid ggml model that [`inspect`] accepts: tiny.en
//! hyper-parameters with a single decoder layer, q4_0 weights and a one-token vocabulary
//! (~20 MB, the smallest shape the validator allows), with pseudo-random weight bytes so that
//! a resume from the wrong offset would change the checksum.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use greenroom_models::download::{
    download_model, partial_path, partial_size, DownloadOptions, DownloadProgress, DownloadSpec,
    DownloadStage,
};
use greenroom_models::ggml::{GgmlWriter, Hparams, N_FFT_BINS};
use greenroom_models::ModelError;
use greenroom_models::{inspect, ModelSource, ModelStore};
use sha2::{Digest, Sha256};

/// Where the scripted failures cut the body.
const K: usize = 3_000_000;

// --- the served model ---------------------------------------------------------------------

fn model() -> &'static [u8] {
    static MODEL: OnceLock<Vec<u8>> = OnceLock::new();
    MODEL.get_or_init(|| {
        let hp = Hparams {
            n_vocab: 51864,
            n_audio_ctx: 1500,
            n_audio_state: 384,
            n_audio_head: 6,
            n_audio_layer: 4,
            n_text_ctx: 448,
            n_text_state: 384,
            n_text_head: 6,
            n_text_layer: 1,
            n_mels: 80,
            ftype: 2002, // q4_0, quantization version 2
        };
        let (_, wt) = hp.check().unwrap();
        let filters = vec![0.0f32; hp.n_mels as usize * N_FFT_BINS as usize];
        let vocab = vec![b"a".to_vec()];
        let mut w = GgmlWriter::new(Vec::new(), &hp, &filters, &vocab).unwrap();
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for (name, (ne, ty)) in hp.expected_tensors(wt.tensor_type()) {
            let n = ty.nbytes(&ne).unwrap() as usize;
            let mut data = Vec::with_capacity(n + 8);
            while data.len() < n {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                data.extend_from_slice(&seed.to_le_bytes());
            }
            data.truncate(n);
            w.tensor(&name, &ne, ty, &data).unwrap();
        }
        w.finish().unwrap()
    })
}

fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn the_served_file_is_a_valid_model() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.bin");
    std::fs::write(&path, model()).unwrap();
    let info = inspect(&path).unwrap();
    assert_eq!(info.bytes, model().len() as u64);
    assert!(model().len() > 2 * K, "{}", model().len());
}

// --- the local server ---------------------------------------------------------------------

/// How the server answers one request.
#[derive(Debug, Clone, Copy)]
enum Reply {
    /// Honours `Range` (206, or 416 past the end).
    Normal,
    /// Like `Normal`, but closes the connection after this many body bytes.
    CutAfter(usize),
    /// Sends this many body bytes, then nothing for the duration (or until the test ends).
    StallAfter(usize, Duration),
    /// 200 with the whole file, whatever the request says.
    IgnoreRange,
    /// This status with a short text body.
    Status(u16),
    /// 200 claiming 100 bytes more than the file, which it sends whole, then closes.
    Overclaim,
}

struct Server {
    url: String,
    /// The `Range` header of each request, in order.
    ranges: Arc<Mutex<Vec<Option<String>>>>,
    /// Set once a `StallAfter` reply has sent its bytes.
    stalled: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
}

impl Server {
    /// Serves `body` on 127.0.0.1; request `i` is answered with `script[i]` (`Normal` past
    /// its end). Stops when dropped, and by itself after 30 s.
    fn start(body: &'static [u8], script: Vec<Reply>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}/ggml-test.bin", listener.local_addr().unwrap());
        let ranges = Arc::new(Mutex::new(Vec::new()));
        let stalled = Arc::new(AtomicBool::new(false));
        let stop = Arc::new(AtomicBool::new(false));
        let (r, s, st) = (ranges.clone(), stalled.clone(), stop.clone());
        thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(30);
            while !st.load(Ordering::Relaxed) && Instant::now() < deadline {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let (r, s, st) = (r.clone(), s.clone(), st.clone());
                        let script = script.clone();
                        thread::spawn(move || {
                            let _ = serve(stream, body, &script, &r, &s, &st);
                        });
                    }
                    Err(_) => thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Server {
            url,
            ranges,
            stalled,
            stop,
        }
    }

    fn ranges(&self) -> Vec<Option<String>> {
        self.ranges.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn serve(
    mut stream: TcpStream,
    body: &[u8],
    script: &[Reply],
    ranges: &Mutex<Vec<Option<String>>>,
    stalled: &AtomicBool,
    stop: &AtomicBool,
) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    // Read the request head (GET: no body follows).
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte)? == 0 || head.len() > 16 * 1024 {
            return Ok(());
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let range = head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim()
            .eq_ignore_ascii_case("range")
            .then(|| v.trim().to_owned())
    });
    let reply = {
        let mut seen = ranges.lock().unwrap();
        seen.push(range.clone());
        script.get(seen.len() - 1).copied().unwrap_or(Reply::Normal)
    };
    let len = body.len();
    let start = range
        .as_deref()
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.strip_suffix('-'))
        .and_then(|n| n.parse::<usize>().ok());

    let (status, mut headers, slice): (&str, String, &[u8]) = match reply {
        Reply::Status(code) => {
            let text = format!("status {code}");
            let reason = if code == 404 {
                "Not Found"
            } else {
                "Service Unavailable"
            };
            write!(
                stream,
                "HTTP/1.1 {code} {reason}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                text.len()
            )?;
            return Ok(());
        }
        Reply::IgnoreRange => ("200 OK", format!("Content-Length: {len}\r\n"), body),
        Reply::Overclaim => ("200 OK", format!("Content-Length: {}\r\n", len + 100), body),
        _ => match start {
            Some(s) if s >= len => (
                "416 Range Not Satisfiable",
                format!("Content-Range: bytes */{len}\r\nContent-Length: 0\r\n"),
                &[][..],
            ),
            Some(s) => (
                "206 Partial Content",
                format!(
                    "Content-Range: bytes {s}-{}/{len}\r\nContent-Length: {}\r\n",
                    len - 1,
                    len - s
                ),
                &body[s..],
            ),
            None => ("200 OK", format!("Content-Length: {len}\r\n"), body),
        },
    };
    headers.push_str("Accept-Ranges: bytes\r\nConnection: close\r\n");
    write!(stream, "HTTP/1.1 {status}\r\n{headers}\r\n")?;
    let send = match reply {
        Reply::CutAfter(k) | Reply::StallAfter(k, _) => k.min(slice.len()),
        _ => slice.len(),
    };
    for chunk in slice[..send].chunks(64 * 1024) {
        stream.write_all(chunk)?;
    }
    stream.flush()?;
    if let Reply::StallAfter(_, quiet) = reply {
        stalled.store(true, Ordering::Relaxed);
        let until = Instant::now() + quiet;
        while Instant::now() < until && !stop.load(Ordering::Relaxed) {
            thread::sleep(Duration::from_millis(10));
        }
    }
    stream.shutdown(Shutdown::Write)
}

// --- helpers ------------------------------------------------------------------------------

fn spec(server: &Server, name: &str) -> DownloadSpec {
    DownloadSpec {
        name: name.into(),
        url: server.url.clone(),
        size: Some(model().len() as u64),
        sha256: Some(sha256(model())),
        sha1: None,
    }
}

fn opts(retries: u32) -> DownloadOptions {
    DownloadOptions {
        stall_timeout: Duration::from_millis(300),
        connect_timeout: Duration::from_secs(2),
        retries,
    }
}

fn get(
    store: &ModelStore,
    spec: &DownloadSpec,
    opts: &DownloadOptions,
) -> Result<greenroom_models::InstalledModel, ModelError> {
    download_model(store, spec, opts, |_| {}, &AtomicBool::new(false))
}

fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Installed, listed, the exact bytes, and no partial files left.
fn assert_installed(store: &ModelStore, name: &str, server: &Server) {
    let m = store.get(name).unwrap().expect("installed");
    assert_eq!(
        m.source,
        ModelSource::Download {
            url: server.url.clone()
        }
    );
    assert_eq!(m.size, model().len() as u64);
    assert_eq!(m.sha256, sha256(model()));
    let path = store.path(name).unwrap();
    assert!(std::fs::read(path).unwrap() == model());
    assert_eq!(
        files(store.dir()),
        vec![format!("ggml-{name}.bin"), "manifest.json".to_string()]
    );
}

/// Nothing installed and no install leftovers; `partial` says whether the partial
/// download should still be there.
fn assert_not_installed(store: &ModelStore, name: &str, partial: Option<u64>) {
    assert!(store.list().unwrap().is_empty());
    assert_eq!(partial_size(store, name), partial);
    let left: Vec<String> = files(store.dir())
        .into_iter()
        .filter(|f| !f.ends_with(".download") && !f.ends_with(".download.json"))
        .filter(|f| f != "manifest.json")
        .collect();
    assert!(left.is_empty(), "{left:?}");
    if partial.is_none() {
        assert!(!files(store.dir()).iter().any(|f| f.contains(".download")));
    }
}

// --- tests --------------------------------------------------------------------------------

#[test]
fn full_download_is_verified_installed_and_listed() {
    let home = tempfile::tempdir().unwrap();
    let store = ModelStore::open(home.path()).unwrap();
    let server = Server::start(model(), vec![]);
    let mut seen: Vec<DownloadProgress> = Vec::new();
    let m = download_model(
        &store,
        &spec(&server, "tiny-test"),
        &opts(0),
        |p| seen.push(p),
        &AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!(m.name, "tiny-test");
    assert_eq!(store.list().unwrap(), vec![m.clone()]);
    assert_eq!(store.default_name().unwrap().as_deref(), Some("tiny-test"));
    assert_installed(&store, "tiny-test", &server);
    assert_eq!(server.ranges(), vec![None]);

    let total = model().len() as u64;
    let downloading: Vec<_> = seen
        .iter()
        .filter(|p| p.stage == DownloadStage::Downloading)
        .collect();
    assert!(downloading
        .windows(2)
        .all(|w| w[0].downloaded <= w[1].downloaded));
    assert!(downloading.iter().all(|p| p.total == Some(total)));
    let last = seen.last().unwrap();
    assert_eq!(
        (last.stage, last.downloaded, last.total),
        (DownloadStage::Verifying, total, Some(total))
    );

    // Already installed: refused before contacting the server.
    let again = get(&store, &spec(&server, "tiny-test"), &opts(0)).unwrap_err();
    assert!(matches!(again, ModelError::ModelExists { .. }), "{again}");
    assert_eq!(server.ranges().len(), 1);
}

#[test]
fn interrupted_body_is_resumed_with_a_range_request() {
    let home = tempfile::tempdir().unwrap();
    let store = ModelStore::open(home.path()).unwrap();
    let server = Server::start(model(), vec![Reply::CutAfter(K), Reply::Normal]);
    let spec = spec(&server, "resumed");

    let err = get(&store, &spec, &opts(0)).unwrap_err();
    assert!(matches!(err, ModelError::Download { .. }), "{err}");
    assert_not_installed(&store, "resumed", Some(K as u64));

    get(&store, &spec, &opts(0)).unwrap();
    assert_eq!(server.ranges(), vec![None, Some(format!("bytes={K}-"))]);
    assert_installed(&store, "resumed", &server);
}

#[test]
fn a_stall_is_retried_and_resumes_within_one_call() {
    let home = tempfile::tempdir().unwrap();
    let store = ModelStore::open(home.path()).unwrap();
    let quiet = Duration::from_secs(3);
    let server = Server::start(model(), vec![Reply::StallAfter(K, quiet)]);
    let t0 = Instant::now();
    get(&store, &spec(&server, "stally"), &opts(1)).unwrap();
    assert!(t0.elapsed() < quiet, "{:?}", t0.elapsed());
    assert_eq!(server.ranges(), vec![None, Some(format!("bytes={K}-"))]);
    assert_installed(&store, "stally", &server);
}

#[test]
fn a_stall_without_retries_is_a_clear_error_and_keeps_the_partial_file() {
    let home = tempfile::tempdir().unwrap();
    let store = ModelStore::open(home.path()).unwrap();
    let server = Server::start(model(), vec![Reply::StallAfter(K, Duration::from_secs(3))]);
    let spec = spec(&server, "stalled");
    let t0 = Instant::now();
    let err = get(&store, &spec, &opts(0)).unwrap_err();
    let elapsed = t0.elapsed();
    assert!(
        elapsed >= Duration::from_millis(300) && elapsed < Duration::from_secs(2),
        "{elapsed:?}"
    );
    match &err {
        ModelError::DownloadStalled {
            url,
            stall_ms,
            attempts,
            downloaded,
        } => {
            assert_eq!(
                (url.as_str(), *stall_ms, *attempts, *downloaded),
                (server.url.as_str(), 300, 1, K as u64)
            );
        }
        other => panic!("expected a stall, got {other}"),
    }
    eprintln!("{err}");
    assert_not_installed(&store, "stalled", Some(K as u64));

    // The kept bytes are resumed by the next call.
    get(&store, &spec, &opts(0)).unwrap();
    assert_eq!(server.ranges()[1], Some(format!("bytes={K}-")));
    assert_installed(&store, "stalled", &server);
}

#[test]
fn a_wrong_checksum_installs_nothing_and_deletes_the_download() {
    let home = tempfile::tempdir().unwrap();
    let store = ModelStore::open(home.path()).unwrap();
    let server = Server::start(model(), vec![]);
    let mut spec = spec(&server, "bad-sum");
    let wrong = "ab".repeat(32);
    spec.sha256 = Some(wrong.clone());
    let err = get(&store, &spec, &opts(0)).unwrap_err();
    match &err {
        ModelError::ChecksumMismatch {
            name,
            algorithm,
            expected,
            actual,
        } => {
            assert_eq!(name, "bad-sum");
            assert_eq!(algorithm, "sha256");
            assert_eq!(expected, &wrong);
            assert_eq!(actual, &sha256(model()));
        }
        other => panic!("expected a checksum mismatch, got {other}"),
    }
    let text = err.to_string();
    assert!(
        text.contains(&wrong) && text.contains(&sha256(model())),
        "{text}"
    );
    assert_not_installed(&store, "bad-sum", None);

    // SHA-1 is checked when it is all we have: a wrong one fails the same way, the right
    // one installs.
    spec.sha256 = None;
    spec.sha1 = Some("cd".repeat(20));
    let err = get(&store, &spec, &opts(0)).unwrap_err();
    assert!(
        matches!(&err, ModelError::ChecksumMismatch { algorithm, .. } if algorithm == "sha1"),
        "{err}"
    );
    assert_not_installed(&store, "bad-sum", None);
    spec.sha1 = Some(hex(&sha1::Sha1::digest(model())).to_ascii_uppercase());
    get(&store, &spec, &opts(0)).unwrap();
    assert_installed(&store, "bad-sum", &server);
}

#[test]
fn a_size_other_than_expected_is_refused_before_downloading() {
    let home = tempfile::tempdir().unwrap();
    let store = ModelStore::open(home.path()).unwrap();
    let server = Server::start(model(), vec![]);
    let mut spec = spec(&server, "sized");
    spec.size = Some(model().len() as u64 + 1);
    let err = get(&store, &spec, &opts(3)).unwrap_err();
    assert!(
        matches!(&err, ModelError::ChecksumMismatch { algorithm, .. } if algorithm == "size"),
        "{err}"
    );
    assert_eq!(server.ranges().len(), 1);
    assert_not_installed(&store, "sized", None);
}

#[test]
fn a_server_that_ignores_range_makes_the_download_restart_cleanly() {
    let home = tempfile::tempdir().unwrap();
    let store = ModelStore::open(home.path()).unwrap();
    let server = Server::start(model(), vec![Reply::CutAfter(K), Reply::IgnoreRange]);
    let spec = spec(&server, "restarted");
    get(&store, &spec, &opts(0)).unwrap_err();
    // Garble the kept bytes: appending the whole file to them would not match the checksum.
    let partial = partial_path(&store, "restarted");
    std::fs::write(&partial, vec![0x55u8; K]).unwrap();

    get(&store, &spec, &opts(0)).unwrap();
    assert_eq!(server.ranges(), vec![None, Some(format!("bytes={K}-"))]);
    assert_installed(&store, "restarted", &server);
}

#[test]
fn a_complete_partial_file_gets_416_and_is_verified() {
    let home = tempfile::tempdir().unwrap();
    let store = ModelStore::open(home.path()).unwrap();
    let server = Server::start(model(), vec![Reply::Overclaim, Reply::Normal]);
    let mut spec = spec(&server, "complete");
    spec.size = None; // only the server knows the size
    let err = get(&store, &spec, &opts(0)).unwrap_err();
    assert!(matches!(err, ModelError::Download { .. }), "{err}");
    let len = model().len();
    assert_eq!(partial_size(&store, "complete"), Some(len as u64));

    get(&store, &spec, &opts(0)).unwrap();
    assert_eq!(server.ranges(), vec![None, Some(format!("bytes={len}-"))]);
    assert_installed(&store, "complete", &server);
}

#[test]
fn cancel_stops_promptly_keeps_the_partial_file_and_a_later_call_resumes() {
    let home = tempfile::tempdir().unwrap();
    let store = ModelStore::open(home.path()).unwrap();
    let server = Server::start(model(), vec![Reply::StallAfter(K, Duration::from_secs(20))]);
    let spec = spec(&server, "cancelled");
    let cancel = AtomicBool::new(false);
    let patient = DownloadOptions {
        stall_timeout: Duration::from_secs(10),
        ..opts(3)
    };
    let (result, latency) = thread::scope(|s| {
        let job = s.spawn(|| download_model(&store, &spec, &patient, |_| {}, &cancel));
        let t0 = Instant::now();
        while !server.stalled.load(Ordering::Relaxed) {
            assert!(
                t0.elapsed() < Duration::from_secs(5),
                "the server never stalled"
            );
            thread::sleep(Duration::from_millis(5));
        }
        thread::sleep(Duration::from_millis(100)); // let the bytes arrive
        let cancelled_at = Instant::now();
        cancel.store(true, Ordering::Relaxed);
        let result = job.join().unwrap();
        (result, cancelled_at.elapsed())
    });
    assert!(matches!(result, Err(ModelError::Cancelled)), "{result:?}");
    assert!(latency < Duration::from_millis(500), "{latency:?}");
    assert_not_installed(&store, "cancelled", Some(K as u64));

    get(&store, &spec, &opts(0)).unwrap();
    assert_eq!(server.ranges(), vec![None, Some(format!("bytes={K}-"))]);
    assert_installed(&store, "cancelled", &server);
}

#[test]
fn http_errors_are_clear_and_only_server_errors_are_retried() {
    let home = tempfile::tempdir().unwrap();
    let store = ModelStore::open(home.path()).unwrap();

    let missing = Server::start(model(), vec![Reply::Status(404)]);
    let err = get(&store, &spec(&missing, "missing"), &opts(3)).unwrap_err();
    match &err {
        ModelError::DownloadHttp { url, status, .. } => {
            assert_eq!((url.as_str(), *status), (missing.url.as_str(), 404));
        }
        other => panic!("expected HTTP 404, got {other}"),
    }
    assert!(err.to_string().contains("404"), "{err}");
    assert_eq!(missing.ranges().len(), 1, "a 404 is not retried");
    assert_not_installed(&store, "missing", None);

    let busy = Server::start(model(), vec![Reply::Status(503)]);
    get(&store, &spec(&busy, "busy"), &opts(1)).unwrap();
    assert_eq!(busy.ranges(), vec![None, None]);
}

#[test]
fn a_file_that_is_no_model_is_refused_and_deleted() {
    static PAGE: &[u8] = b"<html><body>Please log in</body></html>";
    let home = tempfile::tempdir().unwrap();
    let store = ModelStore::open(home.path()).unwrap();
    let server = Server::start(PAGE, vec![]);
    let spec = DownloadSpec {
        name: "page".into(),
        url: server.url.clone(),
        size: None,
        sha256: None,
        sha1: None,
    };
    let err = get(&store, &spec, &opts(0)).unwrap_err();
    assert!(matches!(err, ModelError::InvalidModel { .. }), "{err}");
    assert_not_installed(&store, "page", None);
}

#[test]
fn an_unreachable_server_is_a_clear_error() {
    let home = tempfile::tempdir().unwrap();
    let store = ModelStore::open(home.path()).unwrap();
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    }; // closed again: connections are refused
    let spec = DownloadSpec {
        name: "nowhere".into(),
        url: format!("http://127.0.0.1:{port}/ggml-x.bin"),
        size: None,
        sha256: None,
        sha1: None,
    };
    let err = get(&store, &spec, &opts(1)).unwrap_err();
    assert!(matches!(err, ModelError::Download { .. }), "{err}");
    eprintln!("{err}");
    assert_not_installed(&store, "nowhere", None);
}

#[test]
fn https_to_a_server_that_does_not_speak_tls_fails_clearly() {
    // Exercises the TLS setup (rustls, platform verifier) without leaving this machine.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        let _ = stream.shutdown(Shutdown::Write);
        thread::sleep(Duration::from_millis(200));
    });
    let home = tempfile::tempdir().unwrap();
    let store = ModelStore::open(home.path()).unwrap();
    let spec = DownloadSpec {
        name: "tls".into(),
        url: format!("https://{addr}/ggml-x.bin"),
        size: None,
        sha256: None,
        sha1: None,
    };
    let err = get(&store, &spec, &opts(0)).unwrap_err();
    assert!(matches!(err, ModelError::Download { .. }), "{err}");
    eprintln!("{err}");
    assert_not_installed(&store, "tls", None);
    server.join().unwrap();
}

//! Model downloads: HTTP(S) into a partial file in the models dir that survives
//! interruptions and is resumed with a `Range` request; a stall timeout with retries;
//! checksum verification of the whole file; cancel; and the install through
//! [`ModelStore::begin_install`] (validation and manifest entry), so a partial or
//! mismatching file never becomes an installed model.
//!
//! Files, next to the installed models:
//! - `ggml-<name>.bin.download`: the bytes received so far (kept on error and cancel);
//! - `ggml-<name>.bin.download.json`: what they belong to (URL, expected size and checksums,
//!   the server's validator). A partial file that belongs to another URL or checksum is
//!   discarded instead of resumed, and `If-Range` makes the server send the whole file
//!   again when it changed since.
//!
//! The API is blocking (the shell runs it on a blocking thread): each call drives a private
//! current-thread tokio runtime, polling the cancel flag every `POLL` while waiting.

use std::collections::HashSet;
use std::fs::{self, File, OpenOptions};
use std::future::Future;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, CONTENT_RANGE, ETAG, IF_RANGE, LAST_MODIFIED, RANGE, USER_AGENT};
use reqwest::StatusCode;
use serde::{Deserialize, Serialize};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::catalog;
use crate::store::{validate_name, InstalledModel, ModelSource, ModelStore};
use crate::ModelError;

/// How often waiting code checks the cancel flag (and reports progress).
const POLL: Duration = Duration::from_millis(50);
/// Progress reports are at most this frequent.
const REPORT_EVERY: Duration = Duration::from_millis(100);
/// The speed is measured over this window.
const SPEED_WINDOW: Duration = Duration::from_secs(2);
/// Pause before retry n is `RETRY_DELAY * 2^(n-1)`, at most `MAX_RETRY_DELAY`.
const RETRY_DELAY: Duration = Duration::from_millis(200);
const MAX_RETRY_DELAY: Duration = Duration::from_secs(5);
/// A server that keeps answering in ways that force a restart from byte 0 gets this many.
const MAX_RESTARTS: u32 = 2;
const PARTIAL_SUFFIX: &str = ".download";

/// What to download and how to check it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DownloadSpec {
    /// The name to install the model under.
    pub name: String,
    /// http or https.
    pub url: String,
    /// Expected size in bytes, if known.
    #[ts(type = "number | null")]
    pub size: Option<u64>,
    /// Expected SHA-256, hex. Preferred over `sha1` when both are given.
    pub sha256: Option<String>,
    /// Expected SHA-1, hex; checked only when there is no `sha256`.
    pub sha1: Option<String>,
}

/// Timeouts and retries of [`download_model`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DownloadOptions {
    /// No data for this long (or no response for this long after connecting) counts as a
    /// failed try: the next try resumes where this one stopped.
    pub stall_timeout: Duration,
    /// Limit for establishing a connection (TCP and TLS).
    pub connect_timeout: Duration,
    /// Failed tries (network errors, stalls, HTTP 408/429/5xx) retried within one call;
    /// 0 gives up at the first failure.
    pub retries: u32,
}

impl Default for DownloadOptions {
    fn default() -> Self {
        DownloadOptions {
            stall_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(15),
            retries: 5,
        }
    }
}

/// What a download is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DownloadStage {
    /// Receiving the file.
    Downloading,
    /// Checking the complete file (checksum, model validation) and installing it;
    /// `downloaded` counts the bytes checked so far.
    Verifying,
}

/// Progress of [`download_model`], reported about ten times a second (also while the
/// server is silent, so the speed falls to 0).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
pub struct DownloadProgress {
    pub stage: DownloadStage,
    /// Bytes of the file present so far, including those from earlier, resumed tries.
    #[ts(type = "number")]
    pub downloaded: u64,
    /// The file's size, when the catalog or the server says it.
    #[ts(type = "number | null")]
    pub total: Option<u64>,
    /// Recent speed (over the last two seconds).
    #[ts(type = "number")]
    pub bytes_per_s: u64,
}

/// The download spec of a catalog model (name, URL, size, SHA-256 and SHA-1).
pub fn spec_for_catalog(name: &str) -> Option<DownloadSpec> {
    catalog::find(name).map(|m| DownloadSpec {
        name: m.name,
        url: m.url,
        size: Some(m.size),
        sha256: Some(m.sha256),
        sha1: Some(m.sha1),
    })
}

/// The partial file of a download of `name` (it may not exist).
pub fn partial_path(store: &ModelStore, name: &str) -> PathBuf {
    store.dir().join(format!("ggml-{name}.bin{PARTIAL_SUFFIX}"))
}

/// Bytes kept from an interrupted or cancelled download of `name`, if any: the next
/// [`download_model`] of the same spec resumes from there.
pub fn partial_size(store: &ModelStore, name: &str) -> Option<u64> {
    fs::metadata(partial_path(store, name))
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len())
}

/// Deletes what an interrupted or cancelled download of `name` kept.
pub fn discard_partial(store: &ModelStore, name: &str) -> Result<(), ModelError> {
    validate_name(name)?;
    let partial = partial_path(store, name);
    remove_if_exists(&meta_path(&partial))?;
    remove_if_exists(&partial)
}

/// Downloads a model and installs it in `store` under `spec.name`.
///
/// Resumes a partial file left by an earlier call for the same URL and checksums (a
/// `Range` request; a server that ignores it, or whose file changed, sends it whole and
/// the download restarts from 0). A try that fails (network error, no data for
/// `opts.stall_timeout`, HTTP 408/429/5xx) is retried `opts.retries` times, resuming each
/// time. The complete file is checked against `spec.sha256` (else `spec.sha1`) and
/// `spec.size`; a mismatch deletes it ([`ModelError::ChecksumMismatch`]). It is then
/// validated and installed by the store with source [`ModelSource::Download`].
///
/// Setting `cancel` stops within about 50 ms with [`ModelError::Cancelled`]; the partial
/// file is kept for a later call. Network failures keep it too
/// ([`ModelError::Download`], [`ModelError::DownloadStalled`]).
pub fn download_model(
    store: &ModelStore,
    spec: &DownloadSpec,
    opts: &DownloadOptions,
    mut progress: impl FnMut(DownloadProgress),
    cancel: &AtomicBool,
) -> Result<InstalledModel, ModelError> {
    let spec = normalize(spec)?;
    if store.get(&spec.name)?.is_some() {
        return Err(ModelError::ModelExists { name: spec.name });
    }
    let partial = partial_path(store, &spec.name);
    let _active = ActiveDownload::claim(&partial, &spec.name)?;
    let mut meter = Meter::new(&mut progress, spec.size);

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| ModelError::Download {
            url: spec.url.clone(),
            detail: format!("cannot start the network runtime: {e}"),
        })?;
    runtime.block_on(fetch(&spec, opts, &partial, &mut meter, cancel))?;
    drop(runtime);

    install(store, &spec, &partial, &mut meter, cancel)
}

// --- fetching -----------------------------------------------------------------------------

/// What the partial file belongs to (stored next to it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct PartialMeta {
    url: String,
    size: Option<u64>,
    sha256: Option<String>,
    sha1: Option<String>,
    /// A strong ETag or the Last-Modified date, for `If-Range`.
    validator: Option<String>,
}

impl PartialMeta {
    fn belongs_to(&self, spec: &DownloadSpec) -> bool {
        self.url == spec.url
            && self.size == spec.size
            && self.sha256 == spec.sha256
            && self.sha1 == spec.sha1
    }
}

/// Why one try failed in a way that another try may fix.
enum Failure {
    Stalled,
    Network(String),
    Http { status: u16, reason: String },
}

enum TryError {
    Retry(Failure),
    Fatal(ModelError),
}

enum TryOutcome {
    /// The file is complete.
    Complete,
    /// Start over from byte 0 at once (the partial file was discarded).
    Restart,
}

struct Fetch<'a> {
    spec: &'a DownloadSpec,
    opts: &'a DownloadOptions,
    partial: &'a Path,
    meta_path: PathBuf,
    meta: Option<PartialMeta>,
    /// Bytes in the partial file.
    offset: u64,
    /// Cleared when a server answers a range with the wrong bytes.
    use_range: bool,
}

async fn fetch(
    spec: &DownloadSpec,
    opts: &DownloadOptions,
    partial: &Path,
    meter: &mut Meter<'_>,
    cancel: &AtomicBool,
) -> Result<(), ModelError> {
    let mut f = Fetch {
        spec,
        opts,
        partial,
        meta_path: meta_path(partial),
        meta: None,
        offset: 0,
        use_range: true,
    };
    f.meta = fs::read(&f.meta_path)
        .ok()
        .and_then(|b| serde_json::from_slice::<PartialMeta>(&b).ok())
        .filter(|m| m.belongs_to(spec));
    f.offset = partial_size_at(partial)?;
    let too_long = spec.size.is_some_and(|size| f.offset > size);
    if f.offset > 0 && (f.meta.is_none() || too_long) {
        // Bytes of another file (or of unknown origin): start over.
        f.discard()?;
    }
    if f.offset > 0 && Some(f.offset) == spec.size {
        return Ok(()); // complete: verify
    }

    let client = client(spec, opts)?;
    let mut failures = 0u32;
    let mut restarts = 0u32;
    loop {
        if cancel.load(Ordering::Relaxed) {
            return Err(ModelError::Cancelled);
        }
        let total = spec.size.or(meter.total);
        meter.set(DownloadStage::Downloading, f.offset, total);
        match f.try_once(&client, meter, cancel).await {
            Ok(TryOutcome::Complete) => return Ok(()),
            Ok(TryOutcome::Restart) => {
                restarts += 1;
                if restarts > MAX_RESTARTS {
                    return Err(ModelError::Download {
                        url: spec.url.clone(),
                        detail: "the server keeps sending the wrong part of the file".into(),
                    });
                }
            }
            Err(TryError::Fatal(e)) => return Err(e),
            Err(TryError::Retry(failure)) => {
                failures += 1;
                if failures > opts.retries {
                    return Err(f.failure_error(failure, failures));
                }
                let delay = RETRY_DELAY
                    .saturating_mul(1 << (failures - 1).min(16))
                    .min(MAX_RETRY_DELAY);
                if let Waited::Cancelled =
                    wait(std::future::pending::<()>(), delay, cancel, meter).await
                {
                    return Err(ModelError::Cancelled);
                }
            }
        }
    }
}

impl Fetch<'_> {
    async fn try_once(
        &mut self,
        client: &reqwest::Client,
        meter: &mut Meter<'_>,
        cancel: &AtomicBool,
    ) -> Result<TryOutcome, TryError> {
        let spec = self.spec;
        let ranged = self.offset > 0 && self.use_range;
        let mut request = client.get(&spec.url);
        if ranged {
            request = request.header(RANGE, format!("bytes={}-", self.offset));
            if let Some(v) = self.meta.as_ref().and_then(|m| m.validator.as_deref()) {
                request = request.header(IF_RANGE, v);
            }
        }
        let limit = self.opts.connect_timeout + self.opts.stall_timeout;
        let mut response = match wait(request.send(), limit, cancel, meter).await {
            Waited::Done(Ok(r)) => r,
            Waited::Done(Err(e)) => return Err(TryError::Retry(Failure::Network(describe(&e)))),
            Waited::TimedOut => return Err(TryError::Retry(Failure::Stalled)),
            Waited::Cancelled => return Err(TryError::Fatal(ModelError::Cancelled)),
        };

        let status = response.status();
        let headers = response.headers();
        let total = match status {
            StatusCode::PARTIAL_CONTENT if ranged => {
                match content_range(headers) {
                    Some(ContentRange::Bytes { start, total }) if start == self.offset => {
                        total.or_else(|| response.content_length().map(|n| start + n))
                    }
                    _ => {
                        // Not the bytes we asked for: fetch the whole file without ranges.
                        self.use_range = false;
                        self.discard().map_err(TryError::Fatal)?;
                        return Ok(TryOutcome::Restart);
                    }
                }
            }
            StatusCode::OK => {
                if self.offset > 0 {
                    // The server ignored the range (or the file changed): start over.
                    self.discard().map_err(TryError::Fatal)?;
                }
                response.content_length()
            }
            StatusCode::RANGE_NOT_SATISFIABLE if ranged => {
                let total = match content_range(headers) {
                    Some(ContentRange::Unsatisfied { total }) => Some(total),
                    _ => spec.size,
                };
                if total == Some(self.offset) {
                    return Ok(TryOutcome::Complete);
                }
                self.discard().map_err(TryError::Fatal)?;
                return Ok(TryOutcome::Restart);
            }
            s => {
                let failure = Failure::Http {
                    status: s.as_u16(),
                    reason: s.canonical_reason().unwrap_or("").to_owned(),
                };
                let transient = s == StatusCode::REQUEST_TIMEOUT
                    || s == StatusCode::TOO_MANY_REQUESTS
                    || s.is_server_error();
                return Err(if transient {
                    TryError::Retry(failure)
                } else {
                    TryError::Fatal(self.failure_error(failure, 1))
                });
            }
        };
        if let (Some(expected), Some(offered)) = (spec.size, total) {
            if expected != offered {
                self.discard().map_err(TryError::Fatal)?;
                return Err(TryError::Fatal(ModelError::ChecksumMismatch {
                    name: spec.name.clone(),
                    algorithm: "size".into(),
                    expected: format!("{expected} bytes"),
                    actual: format!("{offered} bytes offered by the server"),
                }));
            }
        }
        let total = total.or(spec.size);
        let meta = PartialMeta {
            url: spec.url.clone(),
            size: spec.size,
            sha256: spec.sha256.clone(),
            sha1: spec.sha1.clone(),
            validator: validator(response.headers()),
        };
        if self.meta.as_ref() != Some(&meta) {
            write_meta(&self.meta_path, &meta).map_err(TryError::Fatal)?;
            self.meta = Some(meta);
        }
        meter.set(DownloadStage::Downloading, self.offset, total);

        let file = if self.offset == 0 {
            File::create(self.partial)
        } else {
            OpenOptions::new().append(true).open(self.partial)
        }
        .map_err(|e| TryError::Fatal(ModelError::io("write", self.partial, e)))?;
        let mut out = BufWriter::with_capacity(1 << 18, file);
        let result = self
            .receive(&mut response, &mut out, total, meter, cancel)
            .await;
        // Whatever happened, what arrived is on disk before the next try or a later call.
        let flushed = out
            .into_inner()
            .map_err(|e| e.into_error())
            .and_then(|f| f.sync_data());
        if let Err(e) = flushed {
            return Err(TryError::Fatal(ModelError::io("write", self.partial, e)));
        }
        result
    }

    async fn receive(
        &mut self,
        response: &mut reqwest::Response,
        out: &mut BufWriter<File>,
        total: Option<u64>,
        meter: &mut Meter<'_>,
        cancel: &AtomicBool,
    ) -> Result<TryOutcome, TryError> {
        loop {
            let chunk = match wait(response.chunk(), self.opts.stall_timeout, cancel, meter).await {
                Waited::Done(Ok(Some(c))) => c,
                Waited::Done(Ok(None)) => break,
                Waited::Done(Err(e)) => {
                    return Err(TryError::Retry(Failure::Network(describe(&e))))
                }
                Waited::TimedOut => return Err(TryError::Retry(Failure::Stalled)),
                Waited::Cancelled => return Err(TryError::Fatal(ModelError::Cancelled)),
            };
            let n = chunk.len() as u64;
            if total.is_some_and(|t| self.offset + n > t) {
                return Err(TryError::Fatal(self.oversized(total)));
            }
            out.write_all(&chunk)
                .map_err(|e| TryError::Fatal(ModelError::io("write", self.partial, e)))?;
            self.offset += n;
            meter.advance(self.offset, n);
        }
        match total {
            Some(t) if self.offset < t => Err(TryError::Retry(Failure::Network(format!(
                "the connection closed after {} of {t} bytes",
                self.offset
            )))),
            _ => Ok(TryOutcome::Complete),
        }
    }

    /// Deletes the partial file and its description.
    fn discard(&mut self) -> Result<(), ModelError> {
        remove_if_exists(&self.meta_path)?;
        remove_if_exists(self.partial)?;
        self.meta = None;
        self.offset = 0;
        Ok(())
    }

    fn oversized(&mut self, total: Option<u64>) -> ModelError {
        let _ = self.discard();
        ModelError::ChecksumMismatch {
            name: self.spec.name.clone(),
            algorithm: "size".into(),
            expected: format!("{} bytes", total.unwrap_or(0)),
            actual: "more data than that".into(),
        }
    }

    fn failure_error(&self, failure: Failure, tries: u32) -> ModelError {
        let url = self.spec.url.clone();
        match failure {
            Failure::Stalled => ModelError::DownloadStalled {
                url,
                stall_ms: self.opts.stall_timeout.as_millis() as u64,
                attempts: tries,
                downloaded: self.offset,
            },
            Failure::Network(detail) => ModelError::Download {
                url,
                detail: match (tries, self.offset) {
                    (1, 0) => detail,
                    (_, 0) => format!("{detail} (tries: {tries})"),
                    (_, kept) => format!(
                        "{detail} (tries: {tries}; {kept} bytes are kept and downloading again \
                         resumes)"
                    ),
                },
            },
            Failure::Http { status, reason } => ModelError::DownloadHttp {
                url,
                status,
                reason,
            },
        }
    }
}

fn client(spec: &DownloadSpec, opts: &DownloadOptions) -> Result<reqwest::Client, ModelError> {
    let url = reqwest::Url::parse(&spec.url).map_err(|e| invalid_url(&spec.url, &e.to_string()))?;
    let mut builder = reqwest::Client::builder().connect_timeout(opts.connect_timeout);
    let host = url.host_str().unwrap_or("");
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if loopback {
        // Proxies from the environment never apply to this machine itself.
        builder = builder.no_proxy();
    }
    let mut headers = HeaderMap::new();
    headers.insert(
        USER_AGENT,
        concat!("Greenroom/", env!("CARGO_PKG_VERSION"))
            .parse()
            .expect("static header"),
    );
    builder
        .default_headers(headers)
        .build()
        .map_err(|e| ModelError::Download {
            url: spec.url.clone(),
            detail: describe(&e),
        })
}

enum ContentRange {
    /// `bytes START-END/TOTAL` (TOTAL may be `*`).
    Bytes { start: u64, total: Option<u64> },
    /// `bytes */TOTAL`, with a 416.
    Unsatisfied { total: u64 },
}

fn content_range(headers: &HeaderMap) -> Option<ContentRange> {
    let v = headers.get(CONTENT_RANGE)?.to_str().ok()?.trim();
    let rest = v.strip_prefix("bytes")?.trim_start();
    let (range, total) = rest.split_once('/')?;
    let total = total.trim();
    if range.trim() == "*" {
        return Some(ContentRange::Unsatisfied {
            total: total.parse().ok()?,
        });
    }
    let (start, end) = range.trim().split_once('-')?;
    let start: u64 = start.trim().parse().ok()?;
    let end: u64 = end.trim().parse().ok()?;
    if end < start {
        return None;
    }
    let total = if total == "*" {
        None
    } else {
        Some(total.parse().ok()?)
    };
    Some(ContentRange::Bytes { start, total })
}

/// A strong ETag, else Last-Modified: what `If-Range` accepts.
fn validator(headers: &HeaderMap) -> Option<String> {
    let text = |h| headers.get(h).and_then(|v| v.to_str().ok()).map(str::trim);
    match text(ETAG) {
        Some(tag) if !tag.starts_with("W/") && tag.starts_with('"') => Some(tag.to_owned()),
        _ => text(LAST_MODIFIED).map(str::to_owned),
    }
}

/// An error and its causes in one line.
fn describe(e: &reqwest::Error) -> String {
    use std::error::Error as _;
    let mut parts: Vec<String> = Vec::new();
    if e.is_connect() {
        parts.push("cannot connect".into());
    } else if e.is_timeout() {
        parts.push("timed out".into());
    } else if e.is_body() || e.is_decode() {
        parts.push("the connection broke off".into());
    }
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    if parts.is_empty() {
        parts.push(e.to_string());
    }
    parts.join(": ")
}

enum Waited<T> {
    Done(T),
    TimedOut,
    Cancelled,
}

/// Runs `fut` for at most `limit`, checking `cancel` and reporting progress every [`POLL`].
async fn wait<F: Future>(
    fut: F,
    limit: Duration,
    cancel: &AtomicBool,
    meter: &mut Meter<'_>,
) -> Waited<F::Output> {
    let deadline = Instant::now() + limit;
    let mut fut = std::pin::pin!(fut);
    loop {
        if cancel.load(Ordering::Relaxed) {
            return Waited::Cancelled;
        }
        let now = Instant::now();
        if now >= deadline {
            return Waited::TimedOut;
        }
        if let Ok(v) = tokio::time::timeout((deadline - now).min(POLL), fut.as_mut()).await {
            return Waited::Done(v);
        }
        meter.tick();
    }
}

// --- verifying and installing -------------------------------------------------------------

fn install(
    store: &ModelStore,
    spec: &DownloadSpec,
    partial: &Path,
    meter: &mut Meter<'_>,
    cancel: &AtomicBool,
) -> Result<InstalledModel, ModelError> {
    let len = partial_size_at(partial)?;
    let discard = || -> Result<(), ModelError> {
        remove_if_exists(&meta_path(partial))?;
        remove_if_exists(partial)
    };
    if let Some(size) = spec.size {
        if len != size {
            discard()?;
            return Err(ModelError::ChecksumMismatch {
                name: spec.name.clone(),
                algorithm: "size".into(),
                expected: format!("{size} bytes"),
                actual: format!("{len} bytes"),
            });
        }
    }
    meter.set(DownloadStage::Verifying, 0, Some(len));

    // One pass: hash the file while copying it into the store's pending install.
    let mut pending = store.begin_install(&spec.name)?;
    let mut src = File::open(partial).map_err(|e| ModelError::io("open", partial, e))?;
    let mut sha256 = spec.sha256.as_ref().map(|_| Sha256::new());
    let mut sha1 = match (&spec.sha256, &spec.sha1) {
        (None, Some(_)) => Some(Sha1::new()),
        _ => None,
    };
    let mut buf = vec![0u8; 1 << 20];
    let mut done = 0u64;
    loop {
        if cancel.load(Ordering::Relaxed) {
            return Err(ModelError::Cancelled); // dropping `pending` deletes its file
        }
        let n = src
            .read(&mut buf)
            .map_err(|e| ModelError::io("read", partial, e))?;
        if n == 0 {
            break;
        }
        if let Some(h) = sha256.as_mut() {
            h.update(&buf[..n]);
        }
        if let Some(h) = sha1.as_mut() {
            h.update(&buf[..n]);
        }
        pending
            .write_all(&buf[..n])
            .map_err(|e| ModelError::io("write", pending.path(), e))?;
        done += n as u64;
        meter.advance(done, n as u64);
    }
    drop(src);

    let checks = [
        ("sha256", &spec.sha256, sha256.map(|h| hex(&h.finalize()))),
        ("sha1", &spec.sha1, sha1.map(|h| hex(&h.finalize()))),
    ];
    for (algorithm, expected, actual) in checks {
        if let (Some(expected), Some(actual)) = (expected, actual) {
            if *expected != actual {
                drop(pending);
                discard()?;
                return Err(ModelError::ChecksumMismatch {
                    name: spec.name.clone(),
                    algorithm: algorithm.into(),
                    expected: expected.clone(),
                    actual,
                });
            }
        }
    }

    let source = ModelSource::Download {
        url: spec.url.clone(),
    };
    match pending.commit(source) {
        Ok(model) => {
            meter.finish();
            // Installed: the partial file has served its purpose.
            let _ = discard();
            Ok(model)
        }
        Err(ModelError::InvalidModel { detail, .. }) => {
            // A complete file that is no model (an error page, a different format): it
            // will not get better by resuming.
            discard()?;
            Err(ModelError::InvalidModel {
                path: PathBuf::from(&spec.url),
                detail,
            })
        }
        Err(e) => Err(e),
    }
}

// --- helpers ------------------------------------------------------------------------------

/// Validates the spec; checksums become lower-case.
fn normalize(spec: &DownloadSpec) -> Result<DownloadSpec, ModelError> {
    validate_name(&spec.name)?;
    let url = reqwest::Url::parse(&spec.url).map_err(|e| invalid_url(&spec.url, &e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid_url(&spec.url, "only http and https are supported"));
    }
    let hexsum = |v: &Option<String>, len: usize, what: &str| match v {
        None => Ok(None),
        Some(s) => {
            let s = s.trim().to_ascii_lowercase();
            if s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit()) {
                Ok(Some(s))
            } else {
                Err(ModelError::InvalidArgument {
                    name: what.into(),
                    detail: format!("'{s}' is not {len} hexadecimal digits"),
                })
            }
        }
    };
    Ok(DownloadSpec {
        name: spec.name.clone(),
        url: spec.url.clone(),
        size: spec.size,
        sha256: hexsum(&spec.sha256, 64, "sha256")?,
        sha1: hexsum(&spec.sha1, 40, "sha1")?,
    })
}

fn invalid_url(url: &str, detail: &str) -> ModelError {
    ModelError::InvalidArgument {
        name: "download URL".into(),
        detail: format!("'{url}': {detail}"),
    }
}

fn meta_path(partial: &Path) -> PathBuf {
    let mut s = partial.as_os_str().to_owned();
    s.push(".json");
    PathBuf::from(s)
}

fn partial_size_at(path: &Path) -> Result<u64, ModelError> {
    match fs::metadata(path) {
        Ok(m) => Ok(m.len()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(0),
        Err(e) => Err(ModelError::io("read", path, e)),
    }
}

fn write_meta(path: &Path, meta: &PartialMeta) -> Result<(), ModelError> {
    let json = serde_json::to_vec_pretty(meta).expect("plain data serializes");
    fs::write(path, json).map_err(|e| ModelError::io("write", path, e))
}

fn remove_if_exists(path: &Path) -> Result<(), ModelError> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(ModelError::io("delete", path, e)),
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// One download per partial file at a time, within this process.
struct ActiveDownload(PathBuf);

static ACTIVE: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);

impl ActiveDownload {
    fn claim(partial: &Path, name: &str) -> Result<Self, ModelError> {
        let mut active = ACTIVE.lock().unwrap_or_else(|e| e.into_inner());
        if !active
            .get_or_insert_with(HashSet::new)
            .insert(partial.to_path_buf())
        {
            return Err(ModelError::InvalidArgument {
                name: "model".into(),
                detail: format!("'{name}' is already being downloaded"),
            });
        }
        Ok(ActiveDownload(partial.to_path_buf()))
    }
}

impl Drop for ActiveDownload {
    fn drop(&mut self) {
        let mut active = ACTIVE.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(set) = active.as_mut() {
            set.remove(&self.0);
        }
    }
}

/// Progress reports: throttled, with a speed over a sliding window.
struct Meter<'a> {
    report: &'a mut dyn FnMut(DownloadProgress),
    stage: DownloadStage,
    done: u64,
    total: Option<u64>,
    /// Bytes moved in this stage, and when: for the speed.
    moved: u64,
    samples: std::collections::VecDeque<(Instant, u64)>,
    last_report: Option<Instant>,
}

impl<'a> Meter<'a> {
    fn new(report: &'a mut dyn FnMut(DownloadProgress), total: Option<u64>) -> Self {
        Meter {
            report,
            stage: DownloadStage::Downloading,
            done: 0,
            total,
            moved: 0,
            samples: Default::default(),
            last_report: None,
        }
    }

    /// A new stage or try: reports at once.
    fn set(&mut self, stage: DownloadStage, done: u64, total: Option<u64>) {
        if stage != self.stage {
            self.moved = 0;
            self.samples.clear();
        }
        self.stage = stage;
        self.done = done;
        self.total = total;
        self.emit(Instant::now());
    }

    fn advance(&mut self, done: u64, moved: u64) {
        self.done = done;
        self.moved += moved;
        self.tick();
    }

    fn tick(&mut self) {
        let now = Instant::now();
        if self
            .last_report
            .is_none_or(|t| now.duration_since(t) >= REPORT_EVERY)
        {
            self.emit(now);
        }
    }

    fn finish(&mut self) {
        self.emit(Instant::now());
    }

    fn emit(&mut self, now: Instant) {
        self.samples.push_back((now, self.moved));
        while self
            .samples
            .front()
            .is_some_and(|(t, _)| now.duration_since(*t) > SPEED_WINDOW)
        {
            self.samples.pop_front();
        }
        let bytes_per_s = match self.samples.front() {
            Some(&(t, moved)) if now.duration_since(t) >= Duration::from_millis(50) => {
                ((self.moved - moved) as f64 / now.duration_since(t).as_secs_f64()) as u64
            }
            _ => 0,
        };
        self.last_report = Some(now);
        (self.report)(DownloadProgress {
            stage: self.stage,
            downloaded: self.done,
            total: self.total,
            bytes_per_s,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(reqwest::header::HeaderName, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(k.clone(), v.parse().unwrap());
        }
        h
    }

    #[test]
    fn parses_content_range_and_validators() {
        let cr = |v: &str| content_range(&headers(&[(CONTENT_RANGE, v)]));
        assert!(matches!(
            cr("bytes 100-199/200"),
            Some(ContentRange::Bytes {
                start: 100,
                total: Some(200)
            })
        ));
        assert!(matches!(
            cr("bytes 5-9/*"),
            Some(ContentRange::Bytes {
                start: 5,
                total: None
            })
        ));
        assert!(matches!(
            cr("bytes */77"),
            Some(ContentRange::Unsatisfied { total: 77 })
        ));
        assert!(cr("bytes 9-5/10").is_none());
        assert!(cr("items 1-2/3").is_none());

        assert_eq!(
            validator(&headers(&[(ETAG, "\"abc\""), (LAST_MODIFIED, "x")])).as_deref(),
            Some("\"abc\"")
        );
        assert_eq!(
            validator(&headers(&[(ETAG, "W/\"abc\""), (LAST_MODIFIED, "Tue")])).as_deref(),
            Some("Tue")
        );
        assert_eq!(validator(&HeaderMap::new()), None);
    }

    #[test]
    fn specs_are_checked_and_catalog_specs_complete() {
        let spec = spec_for_catalog("base").unwrap();
        assert_eq!(spec.size, Some(147_951_465));
        assert!(spec.url.ends_with("/ggml-base.bin"));
        assert_eq!(spec.sha256.as_deref().map(str::len), Some(64));
        assert!(normalize(&spec).is_ok());
        assert!(spec_for_catalog("huge").is_none());

        let bad = |f: &dyn Fn(&mut DownloadSpec)| {
            let mut s = spec.clone();
            f(&mut s);
            normalize(&s).unwrap_err()
        };
        assert!(matches!(
            bad(&|s| s.url = "ftp://x/y".into()),
            ModelError::InvalidArgument { .. }
        ));
        assert!(matches!(
            bad(&|s| s.url = "not a url".into()),
            ModelError::InvalidArgument { .. }
        ));
        assert!(matches!(
            bad(&|s| s.sha256 = Some("abc".into())),
            ModelError::InvalidArgument { .. }
        ));
        assert!(matches!(
            bad(&|s| s.name = "../x".into()),
            ModelError::InvalidArgument { .. }
        ));
        let mut upper = spec.clone();
        upper.sha1 = upper.sha1.map(|s| s.to_ascii_uppercase());
        assert_eq!(normalize(&upper).unwrap().sha1, spec.sha1);
    }
}

//! `take://localhost/<take-id>/<file>`: a take's audio and video for the webview's
//! players, with byte ranges (both players seek with them). Only the take's own
//! `audio.wav` and `video.mp4` can be reached, and the id is validated before it touches a
//! path. A player's open-ended range is answered a window at a time, read with a seek.

use std::io::{Read, Seek, SeekFrom};

use greenroom_engine::store::{TakeId, AUDIO_FILE, TAKES_DIR, VIDEO_FILE};

/// Most bytes one response carries when the player asks for "everything from N".
const WINDOW: u64 = 4 << 20;

/// Which bytes of a `total`-byte file a `Range` header asks for (inclusive), capped to
/// [`WINDOW`] when it is open-ended; `None` for a header that is absent or unusable.
pub fn byte_range(header: Option<&str>, total: u64) -> Option<(u64, u64)> {
    let spec = header?.trim().strip_prefix("bytes=")?;
    // One range only: players never ask for more than one.
    let (a, b) = spec.split_once('-')?;
    if total == 0 {
        return None;
    }
    let (start, end) = match (a.trim(), b.trim()) {
        ("", suffix) => {
            let n: u64 = suffix.parse().ok()?;
            (total.saturating_sub(n), total - 1)
        }
        (a, "") => {
            let start: u64 = a.parse().ok()?;
            (start, (start + WINDOW - 1).min(total - 1))
        }
        (a, b) => (a.parse().ok()?, b.parse::<u64>().ok()?.min(total - 1)),
    };
    (start <= end && start < total).then_some((start, end))
}

fn content_type(file: &str) -> Option<&'static str> {
    match file {
        AUDIO_FILE => Some("audio/wav"),
        VIDEO_FILE => Some("video/mp4"),
        _ => None,
    }
}

pub fn take_file_response(
    data_dir: &std::path::Path,
    request: &tauri::http::Request<Vec<u8>>,
) -> tauri::http::Response<Vec<u8>> {
    let respond = |status: u16| {
        tauri::http::Response::builder()
            .status(status)
            .header("Access-Control-Allow-Origin", "*")
            .body(vec![])
            .expect("valid response")
    };
    let path = request.uri().path().trim_start_matches('/');
    let Some((id, name)) = path.split_once('/') else {
        return respond(404);
    };
    let Some(mime) = content_type(name) else {
        return respond(404);
    };
    let Ok(id) = TakeId::parse(id) else {
        return respond(400);
    };
    let file = data_dir.join(TAKES_DIR).join(id.as_str()).join(name);
    let Ok(mut f) = std::fs::File::open(&file) else {
        return respond(404);
    };
    let Ok(total) = f.metadata().map(|m| m.len()) else {
        return respond(500);
    };
    let header = request.headers().get("range").and_then(|v| v.to_str().ok());
    let (status, start, end) = match byte_range(header, total) {
        Some((s, e)) => (206, s, e),
        None if header.is_some() && total > 0 => {
            return tauri::http::Response::builder()
                .status(416)
                .header("Content-Range", format!("bytes */{total}"))
                .body(vec![])
                .expect("valid response")
        }
        // No range: the whole file (WebKitGTK's page fetches it into a blob).
        None => (200, 0, total.saturating_sub(1)),
    };
    let mut body = vec![
        0u8;
        if total == 0 {
            0
        } else {
            (end - start + 1) as usize
        }
    ];
    if f.seek(SeekFrom::Start(start)).is_err() || f.read_exact(&mut body).is_err() {
        return respond(500);
    }
    // The page (tauri://localhost) fetches this cross-scheme, like Tauri's own ipc://.
    let mut builder = tauri::http::Response::builder()
        .status(status)
        .header("Content-Type", mime)
        .header("Accept-Ranges", "bytes")
        .header("Access-Control-Allow-Origin", "*");
    if status == 206 {
        builder = builder.header("Content-Range", format!("bytes {start}-{end}/{total}"));
    }
    builder.body(body).expect("valid response")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_of_every_form_are_read() {
        assert_eq!(byte_range(Some("bytes=0-99"), 1000), Some((0, 99)));
        assert_eq!(byte_range(Some("bytes=900-"), 1000), Some((900, 999)));
        assert_eq!(byte_range(Some("bytes=-100"), 1000), Some((900, 999)));
        // An end past the file is cut to it; a start past it is unsatisfiable.
        assert_eq!(byte_range(Some("bytes=10-5000"), 1000), Some((10, 999)));
        assert_eq!(byte_range(Some("bytes=1000-"), 1000), None);
        assert_eq!(byte_range(Some("bytes=5-1"), 1000), None);
        assert_eq!(byte_range(Some("items=0-1"), 1000), None);
        assert_eq!(byte_range(None, 1000), None);
    }

    #[test]
    fn open_ended_ranges_are_answered_a_window_at_a_time() {
        let total = 3 * WINDOW;
        assert_eq!(byte_range(Some("bytes=0-"), total), Some((0, WINDOW - 1)));
        assert_eq!(
            byte_range(Some(&format!("bytes={}-", 2 * WINDOW + 5)), total),
            Some((2 * WINDOW + 5, total - 1))
        );
    }

    #[test]
    fn only_the_takes_media_files_are_served() {
        assert_eq!(content_type("audio.wav"), Some("audio/wav"));
        assert_eq!(content_type("video.mp4"), Some("video/mp4"));
        assert_eq!(content_type("transcript.json"), None);
        assert_eq!(content_type("../greenroom.db"), None);
    }
}

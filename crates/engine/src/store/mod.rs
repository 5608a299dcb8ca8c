//! The take index: a SQLite database (`greenroom.db`, WAL) in the data dir, and one folder
//! per take (`takes/<take-id>/audio.wav`, later `transcript.json`). See docs/architecture.md, "Storage".
//!
//! - Every take id from outside goes through [`TakeId::parse`] before it touches a path.
//! - The schema is versioned with `PRAGMA user_version` and migrated on [`Store::open`]. A
//!   database from a newer Greenroom is refused ([`EngineError::DatabaseTooNew`]) without
//!   writing to it.
//! - A [`Store`] is `Send` but not `Sync`: the shell keeps one behind a mutex; the CLI opens
//!   its own. Several stores (and processes) may use one file at once: WAL lets readers
//!   run while one writer writes, and writers wait up to [`BUSY_TIMEOUT`] for each other.
//!
//! What a caller does when opening fails: everything that needs no history (preflight,
//! settings, models) keeps working; practice and review report the error.
//! - [`EngineError::DatabaseCorrupt`]: show the path and offer to start a new index with
//!   [`Store::move_aside`] (the file is renamed, never deleted; take folders stay).
//! - [`EngineError::DatabaseTooNew`]: ask the user to update Greenroom; do not move it.
//! - [`EngineError::Database`] or `Io` (permissions, disk full): show it and retry later.

mod id;
mod model;
mod schema;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use greenroom_core::bank::Track;
use greenroom_core::{Lang, Localized};
use rusqlite::types::Value;
use rusqlite::{ffi, params, Connection, ErrorCode, OptionalExtension, Row, TransactionBehavior};

pub use id::TakeId;
pub use model::{
    Marker, MarkerKind, Metric, MetricPoint, NewTake, NewTranscript, StopReason, Take, TakeFilter,
    TakeStatus, Transcript,
};

use crate::EngineError;

/// The index file in the data dir.
pub const DB_FILE: &str = "greenroom.db";
/// The folder of take folders in the data dir.
pub const TAKES_DIR: &str = "takes";
/// The recording inside a take folder.
pub const AUDIO_FILE: &str = "audio.wav";
/// The camera recording inside a take folder (fragmented MP4, H.264).
pub const VIDEO_FILE: &str = "video.mp4";
/// What the face detector saw while recording, one JSON line per analysed frame.
pub const PRESENCE_FILE: &str = "presence.jsonl";
/// Metric names of the on-camera presence cards start with this; they are stored apart
/// from the transcript's metrics (see [`Store::set_metrics`]).
pub const PRESENCE_METRIC_PREFIX: &str = "presence.";
/// The default transcript file inside a take folder.
pub const TRANSCRIPT_FILE: &str = "transcript.json";
/// How long a write waits for another connection's write to finish before failing.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = schema::LATEST;

const TAKE_COLUMNS: &str = "id, question_id, track, prompt_en, prompt_ko, follow_up, \
     session_id, started_at, duration_ms, sample_rate, channels, input_device, status, \
     stop_reason, english_switch_ms, language, retake_of, camera, video_file, video_offset_ms";

/// The take index of one data dir.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    data_dir: PathBuf,
    db_path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the index in `data_dir` and brings its schema up to date.
    pub fn open(data_dir: &Path) -> Result<Store, EngineError> {
        let takes_dir = data_dir.join(TAKES_DIR);
        std::fs::create_dir_all(&takes_dir)
            .map_err(|e| EngineError::io("create", &takes_dir, e))?;
        let db_path = data_dir.join(DB_FILE);
        let err = |action| {
            let path = db_path.clone();
            move |e| db_error(action, &path, e)
        };

        let conn = Connection::open(&db_path).map_err(err("open the take index"))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(err("open the take index"))?;
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(err("open the take index"))?;

        // Read the version before anything writes: a newer (or foreign) file must be left
        // byte-identical, and garbage fails here with "not a database".
        let found = schema_version(&conn, &db_path)?;
        if found > SCHEMA_VERSION {
            return Err(too_new(&db_path, found));
        }
        if found > 0 {
            let verdict: String = conn
                .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
                .map_err(err("check the take index"))?;
            if verdict != "ok" {
                return Err(EngineError::DatabaseCorrupt {
                    path: db_path,
                    detail: verdict,
                });
            }
        }

        // WAL: readers never wait for the writer, and a crash mid-write keeps the last
        // commit. NORMAL sync is durable across app crashes, which is what matters here.
        conn.pragma_update_and_check(None, "journal_mode", "wal", |r| r.get::<_, String>(0))
            .map_err(err("switch the take index to WAL"))?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(err("open the take index"))?;

        if found < SCHEMA_VERSION {
            migrate(&conn, &db_path)?;
        }
        Ok(Store {
            conn,
            data_dir: data_dir.to_owned(),
            db_path,
        })
    }

    /// Renames a damaged index to `greenroom.db.broken-<unix ms>` (with its `-wal`/`-shm`
    /// files) so that the next [`Store::open`] starts a new one. Returns the new name.
    /// Call it only after `open` failed with [`EngineError::DatabaseCorrupt`], with no
    /// store open on the file.
    pub fn move_aside(data_dir: &Path) -> Result<PathBuf, EngineError> {
        let db_path = data_dir.join(DB_FILE);
        let aside = data_dir.join(format!("{DB_FILE}.broken-{}", now_ms()));
        std::fs::rename(&db_path, &aside)
            .map_err(|e| EngineError::io("move aside", &db_path, e))?;
        for suffix in ["-wal", "-shm"] {
            let from = data_dir.join(format!("{DB_FILE}{suffix}"));
            let to = PathBuf::from(format!("{}{suffix}", aside.display()));
            match std::fs::rename(&from, &to) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(EngineError::io("move aside", &from, e));
                }
                _ => {}
            }
        }
        Ok(aside)
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn db_path(&self) -> &Path {
        &self.db_path
    }

    /// The schema version stored in the file.
    pub fn schema_version(&self) -> Result<u32, EngineError> {
        schema_version(&self.conn, &self.db_path)
    }

    /// `<data>/takes/<id>/`. A [`TakeId`] holds only `[0-9A-Z]`, so this stays inside.
    pub fn take_dir(&self, id: &TakeId) -> PathBuf {
        self.data_dir.join(TAKES_DIR).join(id.as_str())
    }

    /// Creates the take's folder and its row with status `recording`. Write the audio to
    /// the returned `audio_path`; then call [`Store::finish_take`].
    pub fn begin_take(&self, new: &NewTake) -> Result<Take, EngineError> {
        const ACTION: &str = "record a new take";
        if new.question_id.trim().is_empty() {
            return Err(invalid("question id", "must not be empty".to_owned()));
        }
        if new.sample_rate == 0 || new.channels == 0 {
            return Err(invalid(
                "audio format",
                format!(
                    "{} Hz, {} channels: both must be positive",
                    new.sample_rate, new.channels
                ),
            ));
        }
        if let Some(original) = &new.retake_of {
            if !self.exists(original)? {
                return Err(invalid(
                    "retake",
                    format!("the take '{original}' it retakes does not exist"),
                ));
            }
        }

        let now = SystemTime::now();
        let id = TakeId::at(now);
        let dir = self.take_dir(&id);
        let takes_dir = self.data_dir.join(TAKES_DIR);
        std::fs::create_dir_all(&takes_dir)
            .map_err(|e| EngineError::io("create", &takes_dir, e))?;
        std::fs::create_dir(&dir).map_err(|e| EngineError::io("create", &dir, e))?;

        let inserted = self.conn.execute(
            "INSERT INTO takes (id, question_id, track, prompt_en, prompt_ko, follow_up, \
             session_id, started_at, sample_rate, channels, input_device, status, language, \
             retake_of) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                id.as_str(),
                new.question_id,
                new.track.id(),
                new.prompt.en,
                new.prompt.ko,
                new.follow_up,
                new.session_id,
                unix_ms(now),
                new.sample_rate,
                new.channels,
                new.input_device,
                TakeStatus::Recording.as_str(),
                lang_text(new.language),
                new.retake_of.as_ref().map(TakeId::as_str),
            ],
        );
        if let Err(e) = inserted {
            // No row, no folder: a half-made take would show up as "interrupted" later.
            let _ = std::fs::remove_dir(&dir);
            return Err(self.error(ACTION, e));
        }
        self.require(&id)
    }

    /// Closes a take that is `recording`. `status` is `Complete` or `Interrupted` (with the
    /// fault in `stop_reason`).
    pub fn finish_take(
        &self,
        id: &TakeId,
        duration_ms: u64,
        status: TakeStatus,
        stop_reason: Option<StopReason>,
    ) -> Result<Take, EngineError> {
        if status == TakeStatus::Recording {
            return Err(invalid(
                "take status",
                "a take cannot be finished as 'recording'".to_owned(),
            ));
        }
        self.close_take(id, duration_ms, status, stop_reason, "finish the take")
    }

    /// Notes that a take records video from `camera` into [`VIDEO_FILE`].
    pub fn set_video(&self, id: &TakeId, camera: &str) -> Result<Take, EngineError> {
        const ACTION: &str = "note the take's video";
        let changed = self
            .conn
            .execute(
                "UPDATE takes SET camera = ?2, video_file = ?3 WHERE id = ?1",
                params![id.as_str(), camera, VIDEO_FILE],
            )
            .map_err(|e| self.write_error(ACTION, id, e))?;
        if changed == 0 {
            return Err(missing_take(id));
        }
        self.require(id)
    }

    /// Records where the video's first picture sits on the audio's clock; `None` when
    /// no picture was recorded, which drops the video from the take (the file too).
    pub fn finish_video(&self, id: &TakeId, offset_ms: Option<u64>) -> Result<Take, EngineError> {
        const ACTION: &str = "save the take's video";
        let take = self.require(id)?;
        match offset_ms {
            Some(ms) => {
                self.conn
                    .execute(
                        "UPDATE takes SET video_offset_ms = ?2 WHERE id = ?1",
                        params![id.as_str(), to_i64("video offset", ms)?],
                    )
                    .map_err(|e| self.write_error(ACTION, id, e))?;
            }
            None => {
                self.conn
                    .execute(
                        "UPDATE takes SET video_file = NULL, video_offset_ms = NULL WHERE id = ?1",
                        [id.as_str()],
                    )
                    .map_err(|e| self.write_error(ACTION, id, e))?;
                if let Some(path) = &take.video_path {
                    let _ = std::fs::remove_file(path);
                }
            }
        }
        self.require(id)
    }

    /// Records a moment in a take. The first English-switch marker also becomes the take's
    /// `english_switch_ms`.
    pub fn add_marker(&self, id: &TakeId, kind: MarkerKind, at_ms: u64) -> Result<(), EngineError> {
        self.add_marker_lasting(id, kind, at_ms, None)
    }

    /// [`Self::add_marker`] for a moment that lasted `length_ms`.
    pub fn add_marker_lasting(
        &self,
        id: &TakeId,
        kind: MarkerKind,
        at_ms: u64,
        length_ms: Option<u64>,
    ) -> Result<(), EngineError> {
        const ACTION: &str = "add a marker";
        let at = to_i64("marker time", at_ms)?;
        let length = length_ms.map(|l| to_i64("marker length", l)).transpose()?;
        let tx = self.write_tx(ACTION)?;
        tx.execute(
            "INSERT INTO markers (take_id, kind, at_ms, length_ms) VALUES (?1, ?2, ?3, ?4)",
            params![id.as_str(), kind.as_str(), at, length],
        )
        .map_err(|e| self.write_error(ACTION, id, e))?;
        if kind == MarkerKind::EnglishSwitch {
            tx.execute(
                "UPDATE takes SET english_switch_ms = COALESCE(english_switch_ms, ?2) \
                 WHERE id = ?1",
                params![id.as_str(), at],
            )
            .map_err(|e| self.error(ACTION, e))?;
        }
        tx.commit().map_err(|e| self.error(ACTION, e))
    }

    /// One take with its markers, or `None` if the index has no such take.
    pub fn take(&self, id: &TakeId) -> Result<Option<Take>, EngineError> {
        let mut takes =
            self.query_takes("id = ?1", vec![Value::from(id.to_string())], "DESC", None)?;
        Ok(takes.pop())
    }

    /// Takes matching `filter`, newest first, with their markers.
    pub fn takes(&self, filter: &TakeFilter) -> Result<Vec<Take>, EngineError> {
        let (sql, args) = filter_sql(filter);
        self.query_takes(&sql, args, "DESC", filter.limit)
    }

    /// Deletes a take's row (markers, transcripts and metrics go with it) and its folder. A
    /// missing folder is fine. Returns whether the index had the take. Retakes of it stay,
    /// no longer linked.
    pub fn delete_take(&self, id: &TakeId) -> Result<bool, EngineError> {
        let deleted = self
            .conn
            .execute("DELETE FROM takes WHERE id = ?1", [id.as_str()])
            .map_err(|e| self.error("delete the take", e))?;
        // Row first: a folder left by a failed removal is invisible, a row without its folder
        // would be a broken entry in the list.
        let dir = self.take_dir(id);
        match std::fs::remove_dir_all(&dir) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(EngineError::io("delete", &dir, e))
            }
            _ => {}
        }
        Ok(deleted > 0)
    }

    /// Takes still `recording`, oldest first. Call at start-up, before recording anything:
    /// then these are takes that a crash or a kill left open; repair their audio and call
    /// [`Store::mark_recovered`].
    pub fn interrupted_takes(&self) -> Result<Vec<Take>, EngineError> {
        self.query_takes(
            "status = ?1",
            vec![Value::from(TakeStatus::Recording.as_str().to_owned())],
            "ASC",
            None,
        )
    }

    /// Closes a take left `recording` by a crash, with the length of its repaired audio.
    pub fn mark_recovered(&self, id: &TakeId, duration_ms: u64) -> Result<Take, EngineError> {
        self.close_take(
            id,
            duration_ms,
            TakeStatus::Recovered,
            Some(StopReason::Crash),
            "mark the take recovered",
        )
    }

    /// Records a transcript written into the take's folder; replaces the entry for the same
    /// model.
    pub fn save_transcript(
        &self,
        id: &TakeId,
        transcript: &NewTranscript,
    ) -> Result<Transcript, EngineError> {
        const ACTION: &str = "save the transcript";
        check_file_name(&transcript.file_name)?;
        if transcript.model.trim().is_empty() {
            return Err(invalid("model", "must not be empty".to_owned()));
        }
        self.conn
            .execute(
                "INSERT INTO transcripts (take_id, model, language, created_at, file_name, \
                 word_count) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
                 ON CONFLICT (take_id, model) DO UPDATE SET language = excluded.language, \
                 created_at = excluded.created_at, file_name = excluded.file_name, \
                 word_count = excluded.word_count",
                params![
                    id.as_str(),
                    transcript.model,
                    lang_text(transcript.language),
                    now_ms(),
                    transcript.file_name,
                    transcript.word_count,
                ],
            )
            .map_err(|e| self.write_error(ACTION, id, e))?;
        self.transcripts(id)?
            .into_iter()
            .find(|t| t.model == transcript.model)
            .ok_or_else(|| missing_take(id))
    }

    /// A take's transcripts, newest first.
    pub fn transcripts(&self, id: &TakeId) -> Result<Vec<Transcript>, EngineError> {
        const ACTION: &str = "read transcripts";
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT model, language, created_at, file_name, word_count FROM transcripts \
                 WHERE take_id = ?1 ORDER BY created_at DESC, rowid DESC",
            )
            .map_err(|e| self.error(ACTION, e))?;
        let dir = self.take_dir(id);
        let rows = stmt
            .query_map([id.as_str()], |row| {
                Ok(Transcript {
                    take_id: id.clone(),
                    model: row.get(0)?,
                    language: lang_column(row, 1)?,
                    created_at_ms: u64_column(row, 2)?,
                    path: dir.join(row.get::<_, String>(3)?),
                    word_count: row.get(4)?,
                })
            })
            .map_err(|e| self.error(ACTION, e))?;
        rows.collect::<Result<_, _>>()
            .map_err(|e| self.error(ACTION, e))
    }

    /// Replaces the transcript's metrics of a take (a new analysis supersedes the old
    /// one); the on-camera presence metrics stay (see [`Store::set_presence_metrics`]).
    pub fn set_metrics(&self, id: &TakeId, metrics: &[Metric]) -> Result<(), EngineError> {
        self.replace_metrics(id, metrics, false)
    }

    /// Replaces the on-camera presence metrics of a take (names starting with
    /// [`PRESENCE_METRIC_PREFIX`]); the transcript's metrics stay.
    pub fn set_presence_metrics(&self, id: &TakeId, metrics: &[Metric]) -> Result<(), EngineError> {
        if let Some(m) = metrics
            .iter()
            .find(|m| !m.name.starts_with(PRESENCE_METRIC_PREFIX))
        {
            return Err(invalid(
                "metric name",
                format!("'{}' is not a presence metric", m.name),
            ));
        }
        self.replace_metrics(id, metrics, true)
    }

    fn replace_metrics(
        &self,
        id: &TakeId,
        metrics: &[Metric],
        presence: bool,
    ) -> Result<(), EngineError> {
        const ACTION: &str = "save metrics";
        for m in metrics {
            if m.name.trim().is_empty() {
                return Err(invalid("metric name", "must not be empty".to_owned()));
            }
            if !m.value.is_finite() {
                return Err(invalid(
                    "metric value",
                    format!("'{}' is {}, not a finite number", m.name, m.value),
                ));
            }
        }
        if !self.exists(id)? {
            return Err(missing_take(id));
        }
        let tx = self.write_tx(ACTION)?;
        let group = if presence { "" } else { "NOT " };
        tx.execute(
            &format!("DELETE FROM metrics WHERE take_id = ?1 AND name {group}LIKE ?2"),
            params![id.as_str(), format!("{PRESENCE_METRIC_PREFIX}%")],
        )
        .map_err(|e| self.error(ACTION, e))?;
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO metrics (take_id, name, value, unit) VALUES (?1, ?2, ?3, ?4) \
                     ON CONFLICT (take_id, name) DO UPDATE SET value = excluded.value, \
                     unit = excluded.unit",
                )
                .map_err(|e| self.error(ACTION, e))?;
            for m in metrics {
                insert
                    .execute(params![id.as_str(), m.name, m.value, m.unit])
                    .map_err(|e| self.write_error(ACTION, id, e))?;
            }
        }
        tx.commit().map_err(|e| self.error(ACTION, e))
    }

    /// A take's metrics, by name.
    pub fn metrics(&self, id: &TakeId) -> Result<Vec<Metric>, EngineError> {
        const ACTION: &str = "read metrics";
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT name, value, unit FROM metrics WHERE take_id = ?1 ORDER BY name",
            )
            .map_err(|e| self.error(ACTION, e))?;
        let rows = stmt
            .query_map([id.as_str()], |row| {
                Ok(Metric {
                    name: row.get(0)?,
                    value: row.get(1)?,
                    unit: row.get(2)?,
                })
            })
            .map_err(|e| self.error(ACTION, e))?;
        rows.collect::<Result<_, _>>()
            .map_err(|e| self.error(ACTION, e))
    }

    /// One metric across the takes matching `filter`, oldest first (ready to chart);
    /// `filter.limit` keeps the most recent ones.
    pub fn metric_history(
        &self,
        name: &str,
        filter: &TakeFilter,
    ) -> Result<Vec<MetricPoint>, EngineError> {
        const ACTION: &str = "read metric history";
        let (where_sql, mut args) = filter_sql(filter);
        args.push(Value::from(name.to_owned()));
        args.push(Value::from(limit_value(filter.limit)));
        let n = args.len();
        let sql = format!(
            "SELECT * FROM (SELECT t.id, t.question_id, t.started_at, m.value, m.unit, t.rowid \
             AS seq FROM takes t JOIN metrics m ON m.take_id = t.id \
             WHERE ({where_sql}) AND m.name = ?{} ORDER BY t.started_at DESC, t.rowid DESC \
             LIMIT ?{n}) ORDER BY started_at ASC, seq ASC",
            n - 1
        );
        let mut stmt = self
            .conn
            .prepare_cached(&sql)
            .map_err(|e| self.error(ACTION, e))?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(args), |row| {
                Ok(MetricPoint {
                    take_id: id_column(row, 0)?,
                    question_id: row.get(1)?,
                    started_at_ms: u64_column(row, 2)?,
                    value: row.get(3)?,
                    unit: row.get(4)?,
                })
            })
            .map_err(|e| self.error(ACTION, e))?;
        rows.collect::<Result<_, _>>()
            .map_err(|e| self.error(ACTION, e))
    }

    fn close_take(
        &self,
        id: &TakeId,
        duration_ms: u64,
        status: TakeStatus,
        stop_reason: Option<StopReason>,
        action: &'static str,
    ) -> Result<Take, EngineError> {
        let duration = to_i64("duration", duration_ms)?;
        // Only an open take may be closed: a second finish (or recovering a finished take)
        // is a bug in the caller and must not overwrite what was recorded.
        let changed = self
            .conn
            .execute(
                "UPDATE takes SET duration_ms = ?2, status = ?3, stop_reason = ?4 \
                 WHERE id = ?1 AND status = 'recording'",
                params![
                    id.as_str(),
                    duration,
                    status.as_str(),
                    stop_reason.map(StopReason::as_str)
                ],
            )
            .map_err(|e| self.error(action, e))?;
        if changed == 0 {
            return match self.take(id)? {
                None => Err(missing_take(id)),
                Some(take) => Err(invalid(
                    "take",
                    format!(
                        "'{id}' is already closed (status '{}')",
                        take.status.as_str()
                    ),
                )),
            };
        }
        self.require(id)
    }

    fn query_takes(
        &self,
        where_sql: &str,
        mut args: Vec<Value>,
        order: &str,
        limit: Option<u32>,
    ) -> Result<Vec<Take>, EngineError> {
        const ACTION: &str = "read takes";
        args.push(Value::from(limit_value(limit)));
        let sql = format!(
            "SELECT {TAKE_COLUMNS} FROM takes WHERE {where_sql} \
             ORDER BY started_at {order}, rowid {order} LIMIT ?{}",
            args.len()
        );
        let mut stmt = self
            .conn
            .prepare_cached(&sql)
            .map_err(|e| self.error(ACTION, e))?;
        let mut takes = stmt
            .query_map(rusqlite::params_from_iter(args), |row| {
                self.take_from_row(row)
            })
            .map_err(|e| self.error(ACTION, e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.error(ACTION, e))?;
        for take in &mut takes {
            take.markers = self.markers(&take.id)?;
        }
        Ok(takes)
    }

    fn markers(&self, id: &TakeId) -> Result<Vec<Marker>, EngineError> {
        const ACTION: &str = "read markers";
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT kind, at_ms, length_ms FROM markers WHERE take_id = ?1 \
                 ORDER BY at_ms, rowid",
            )
            .map_err(|e| self.error(ACTION, e))?;
        let rows = stmt
            .query_map([id.as_str()], |row| {
                let length_ms = match row.get::<_, Option<i64>>(2)? {
                    Some(_) => Some(u64_column(row, 2)?),
                    None => None,
                };
                Ok(Marker {
                    kind: text_column(row, 0, MarkerKind::from_db)?,
                    at_ms: u64_column(row, 1)?,
                    length_ms,
                })
            })
            .map_err(|e| self.error(ACTION, e))?;
        rows.collect::<Result<_, _>>()
            .map_err(|e| self.error(ACTION, e))
    }

    fn take_from_row(&self, row: &Row<'_>) -> rusqlite::Result<Take> {
        let id = id_column(row, 0)?;
        let dir = self.take_dir(&id);
        Ok(Take {
            question_id: row.get(1)?,
            track: text_column(row, 2, Track::from_id)?,
            prompt: Localized::new(row.get::<_, String>(3)?, row.get::<_, String>(4)?),
            follow_up: row.get(5)?,
            session_id: row.get(6)?,
            started_at_ms: u64_column(row, 7)?,
            duration_ms: u64_column(row, 8)?,
            sample_rate: row.get(9)?,
            channels: row.get(10)?,
            input_device: row.get(11)?,
            status: text_column(row, 12, TakeStatus::from_db)?,
            stop_reason: row
                .get::<_, Option<String>>(13)?
                .map(|s| parse_text(13, &s, StopReason::from_db))
                .transpose()?,
            english_switch_ms: row
                .get::<_, Option<i64>>(14)?
                .map(|v| non_negative(14, v))
                .transpose()?,
            language: lang_column(row, 15)?,
            retake_of: row
                .get::<_, Option<String>>(16)?
                .map(|s| parse_text(16, &s, |s| TakeId::parse(s).ok()))
                .transpose()?,
            camera: row.get(17)?,
            video_path: row
                .get::<_, Option<String>>(18)?
                .map(|f| parse_text(18, &f, |f| check_file_name(f).ok().map(|()| dir.join(f))))
                .transpose()?,
            video_offset_ms: row
                .get::<_, Option<i64>>(19)?
                .map(|v| non_negative(19, v))
                .transpose()?,
            markers: Vec::new(),
            audio_path: dir.join(AUDIO_FILE),
            dir,
            id,
        })
    }

    fn require(&self, id: &TakeId) -> Result<Take, EngineError> {
        self.take(id)?.ok_or_else(|| missing_take(id))
    }

    fn exists(&self, id: &TakeId) -> Result<bool, EngineError> {
        self.conn
            .query_row("SELECT 1 FROM takes WHERE id = ?1", [id.as_str()], |_| {
                Ok(())
            })
            .optional()
            .map(|found| found.is_some())
            .map_err(|e| self.error("read takes", e))
    }

    /// A write transaction that takes the lock up front, so it waits (busy timeout) instead
    /// of failing when another connection writes.
    fn write_tx(&self, action: &'static str) -> Result<rusqlite::Transaction<'_>, EngineError> {
        rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(|e| self.error(action, e))
    }

    fn error(&self, action: &'static str, e: rusqlite::Error) -> EngineError {
        db_error(action, &self.db_path, e)
    }

    /// Like `error`, but a foreign-key failure means the take does not exist.
    fn write_error(&self, action: &'static str, id: &TakeId, e: rusqlite::Error) -> EngineError {
        let is_foreign_key = matches!(
            &e,
            rusqlite::Error::SqliteFailure(f, _) if f.extended_code == ffi::SQLITE_CONSTRAINT_FOREIGNKEY
        );
        if is_foreign_key {
            missing_take(id)
        } else {
            self.error(action, e)
        }
    }
}

fn migrate(conn: &Connection, db_path: &Path) -> Result<(), EngineError> {
    let err = |e| db_error("upgrade the take index", db_path, e);
    // IMMEDIATE takes the write lock first, so two processes starting at once migrate one
    // after the other; the version is read again under the lock.
    let tx =
        rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate).map_err(err)?;
    let current = schema_version(&tx, db_path)?;
    if current > SCHEMA_VERSION {
        return Err(too_new(db_path, current));
    }
    for sql in &schema::MIGRATIONS[current as usize..] {
        tx.execute_batch(sql).map_err(err)?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)
        .map_err(err)?;
    tx.commit().map_err(err)
}

fn schema_version(conn: &Connection, db_path: &Path) -> Result<u32, EngineError> {
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| db_error("read the take index version", db_path, e))?;
    u32::try_from(version).map_err(|_| EngineError::DatabaseCorrupt {
        path: db_path.to_owned(),
        detail: format!("schema version {version} is not one Greenroom writes"),
    })
}

fn too_new(db_path: &Path, found: u32) -> EngineError {
    EngineError::DatabaseTooNew {
        path: db_path.to_owned(),
        found,
        supported: SCHEMA_VERSION,
    }
}

/// SQLite failures as the engine reports them: damage and a full disk get their own kinds,
/// everything else names the operation and the file.
fn db_error(action: &'static str, path: &Path, e: rusqlite::Error) -> EngineError {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
            EngineError::DatabaseCorrupt {
                path: path.to_owned(),
                detail: e.to_string(),
            }
        }
        Some(ErrorCode::DiskFull) => EngineError::io(
            action,
            path,
            std::io::Error::new(std::io::ErrorKind::StorageFull, e.to_string()),
        ),
        _ => EngineError::Database {
            action,
            path: path.to_owned(),
            detail: e.to_string(),
        },
    }
}

fn filter_sql(filter: &TakeFilter) -> (String, Vec<Value>) {
    let mut clauses = vec!["1 = 1".to_owned()];
    let mut args = Vec::new();
    if let Some(q) = &filter.question_id {
        args.push(Value::from(q.clone()));
        clauses.push(format!("question_id = ?{}", args.len()));
    }
    if let Some(track) = filter.track {
        args.push(Value::from(track.id().to_owned()));
        clauses.push(format!("track = ?{}", args.len()));
    }
    (clauses.join(" AND "), args)
}

/// SQLite reads a negative LIMIT as "no limit".
fn limit_value(limit: Option<u32>) -> i64 {
    limit.map_or(-1, i64::from)
}

fn check_file_name(name: &str) -> Result<(), EngineError> {
    let plain = !name.is_empty()
        && name != "."
        && name != ".."
        && name.len() <= 128
        && !name.contains(['/', '\\', ':', '\0']);
    if plain {
        Ok(())
    } else {
        Err(invalid(
            "transcript file name",
            format!(
                "'{}' must be a plain file name inside the take folder",
                name.escape_debug()
            ),
        ))
    }
}

fn invalid(name: &str, detail: String) -> EngineError {
    EngineError::InvalidArgument {
        name: name.to_owned(),
        detail,
    }
}

fn missing_take(id: &TakeId) -> EngineError {
    invalid("take id", format!("no take '{id}' in the index"))
}

fn to_i64(name: &str, v: u64) -> Result<i64, EngineError> {
    i64::try_from(v).map_err(|_| invalid(name, format!("{v} is out of range")))
}

fn lang_text(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Ko => "ko",
    }
}

fn lang_column(row: &Row<'_>, idx: usize) -> rusqlite::Result<Lang> {
    text_column(row, idx, |s| match s {
        "en" => Some(Lang::En),
        "ko" => Some(Lang::Ko),
        _ => None,
    })
}

fn id_column(row: &Row<'_>, idx: usize) -> rusqlite::Result<TakeId> {
    text_column(row, idx, |s| TakeId::parse(s).ok())
}

fn text_column<T>(
    row: &Row<'_>,
    idx: usize,
    parse: impl FnOnce(&str) -> Option<T>,
) -> rusqlite::Result<T> {
    parse_text(idx, &row.get::<_, String>(idx)?, parse)
}

fn parse_text<T>(
    idx: usize,
    text: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> rusqlite::Result<T> {
    parse(text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            idx,
            rusqlite::types::Type::Text,
            format!("unexpected value '{text}'").into(),
        )
    })
}

fn u64_column(row: &Row<'_>, idx: usize) -> rusqlite::Result<u64> {
    non_negative(idx, row.get(idx)?)
}

fn non_negative(idx: usize, v: i64) -> rusqlite::Result<u64> {
    u64::try_from(v).map_err(|_| rusqlite::Error::IntegralValueOutOfRange(idx, v))
}

fn unix_ms(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn now_ms() -> i64 {
    unix_ms(SystemTime::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_apply_in_order_and_leave_a_consistent_schema() {
        let conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", true).unwrap();
        migrate(&conn, Path::new(":memory:")).unwrap();
        assert_eq!(
            schema_version(&conn, Path::new(":memory:")).unwrap(),
            SCHEMA_VERSION
        );
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(tables, ["markers", "metrics", "takes", "transcripts"]);
        let problems: i64 = conn
            .query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(problems, 0);
        // Migrating an up-to-date database is a no-op.
        migrate(&conn, Path::new(":memory:")).unwrap();
    }

    #[test]
    fn a_version_1_index_keeps_its_markers_and_gains_lengths() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join(DB_FILE);
        {
            let conn = Connection::open(&db).unwrap();
            conn.execute_batch(schema::MIGRATIONS[0]).unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
            conn.execute_batch(
                "INSERT INTO takes (id, question_id, track, prompt_en, prompt_ko, started_at, \
                 sample_rate, channels, input_device, status, language) VALUES \
                 ('01JDZZZZZZZZZZZZZZZZZZZZZZ', 'os-1', 'cs-os', 'Q', '질문', 1, 48000, 1, \
                 'x', 'complete', 'ko'); \
                 INSERT INTO markers VALUES ('01JDZZZZZZZZZZZZZZZZZZZZZZ', 'warning', 900);",
            )
            .unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        let id: TakeId = "01JDZZZZZZZZZZZZZZZZZZZZZZ".parse().unwrap();
        store
            .add_marker_lasting(&id, MarkerKind::DeliveryGap, 400, Some(3_000))
            .unwrap();
        let take = store.take(&id).unwrap().unwrap();
        assert_eq!(
            take.markers,
            [
                Marker {
                    kind: MarkerKind::DeliveryGap,
                    at_ms: 400,
                    length_ms: Some(3_000)
                },
                Marker {
                    kind: MarkerKind::Warning,
                    at_ms: 900,
                    length_ms: None
                }
            ]
        );
    }

    #[test]
    fn sqlite_damage_and_full_disks_get_their_own_errors() {
        let path = Path::new("/data/greenroom.db");
        let failure =
            |code| rusqlite::Error::SqliteFailure(ffi::Error::new(code), Some("boom".to_owned()));
        assert!(matches!(
            db_error("read takes", path, failure(ffi::SQLITE_NOTADB)),
            EngineError::DatabaseCorrupt { .. }
        ));
        assert!(matches!(
            db_error("read takes", path, failure(ffi::SQLITE_CORRUPT)),
            EngineError::DatabaseCorrupt { .. }
        ));
        match db_error("add a marker", path, failure(ffi::SQLITE_FULL)) {
            EngineError::Io { source, .. } => {
                assert_eq!(source.kind(), std::io::ErrorKind::StorageFull)
            }
            other => panic!("{other}"),
        }
        let other = db_error("add a marker", path, failure(ffi::SQLITE_IOERR));
        assert!(other.to_string().contains("add a marker"), "{other}");
        assert!(other.to_string().contains("/data/greenroom.db"), "{other}");
    }

    #[test]
    fn transcript_file_names_stay_inside_the_take_folder() {
        for ok in ["transcript.json", "transcript-base.json", "t.v2.json"] {
            assert!(check_file_name(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            ".",
            "..",
            "../t.json",
            "a/b",
            "a\\b",
            "C:t",
            "/t.json",
            "t\0",
        ] {
            assert!(check_file_name(bad).is_err(), "{bad:?}");
        }
    }
}

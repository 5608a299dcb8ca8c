//! The take index on real SQLite files in temp dirs: migrations, round trips, id safety,
//! crash recovery and concurrent access.

use std::path::Path;
use std::time::{Duration, Instant};

use greenroom_engine::core::bank::Track;
use greenroom_engine::core::{Lang, Localized};
use greenroom_engine::store::{
    MarkerKind, Metric, NewTake, NewTranscript, StopReason, Store, TakeFilter, TakeId, TakeStatus,
    AUDIO_FILE, DB_FILE, SCHEMA_VERSION, TAKES_DIR, VIDEO_FILE,
};
use greenroom_engine::EngineError;
use rusqlite::Connection;

fn new_take(question_id: &str, track: Track) -> NewTake {
    NewTake {
        question_id: question_id.to_owned(),
        track,
        prompt: Localized::new("Why?", "왜 그런가요?"),
        follow_up: None,
        session_id: None,
        sample_rate: 48_000,
        channels: 1,
        input_device: "pulse:sine-mic".to_owned(),
        language: Lang::Ko,
        retake_of: None,
    }
}

fn raw(dir: &Path) -> Connection {
    Connection::open(dir.join(DB_FILE)).unwrap()
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn empty_dir_is_migrated_and_data_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("nested/data");
    let store = Store::open(&data).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert!(data.join(TAKES_DIR).is_dir());
    let take = store.begin_take(&new_take("os-1", Track::CsOs)).unwrap();
    store
        .finish_take(
            &take.id,
            1_500,
            TakeStatus::Complete,
            Some(StopReason::Manual),
        )
        .unwrap();
    drop(store);

    let conn = raw(&data);
    let version: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    drop(conn);

    let store = Store::open(&data).unwrap();
    let again = store.take(&take.id).unwrap().expect("take kept");
    assert_eq!(again.status, TakeStatus::Complete);
    assert_eq!(again.duration_ms, 1_500);
    assert_eq!(store.takes(&TakeFilter::default()).unwrap().len(), 1);
}

#[test]
fn newer_database_is_refused_and_left_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    {
        let conn = raw(dir.path());
        conn.execute_batch("CREATE TABLE future (x); INSERT INTO future VALUES (42);")
            .unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let db = dir.path().join(DB_FILE);
    let before = std::fs::read(&db).unwrap();

    let err = Store::open(dir.path()).expect_err("newer schema must be refused");
    match &err {
        EngineError::DatabaseTooNew {
            path,
            found,
            supported,
        } => {
            assert_eq!(path, &db);
            assert_eq!((*found, *supported), (99, SCHEMA_VERSION));
        }
        other => panic!("unexpected error: {other}"),
    }
    let message = err.to_string();
    assert!(message.contains("99"), "{message}");
    assert!(
        message.contains(&format!("up to {SCHEMA_VERSION}")),
        "{message}"
    );
    assert!(message.contains(DB_FILE), "{message}");
    assert_eq!(std::fs::read(&db).unwrap(), before, "file was modified");
}

#[test]
fn garbage_file_is_reported_and_can_be_moved_aside() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join(DB_FILE);
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&db, &garbage).unwrap();

    let err = Store::open(dir.path()).expect_err("garbage must be refused");
    assert!(
        matches!(&err, EngineError::DatabaseCorrupt { path, .. } if path == &db),
        "{err}"
    );
    assert!(err.to_string().contains(DB_FILE), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), garbage);

    let aside = Store::move_aside(dir.path()).unwrap();
    assert_eq!(std::fs::read(&aside).unwrap(), garbage);
    let store = Store::open(dir.path()).unwrap();
    assert!(store.takes(&TakeFilter::default()).unwrap().is_empty());
}

#[test]
fn damaged_pages_are_reported_as_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open(dir.path()).unwrap();
        for i in 0..20 {
            store
                .begin_take(&new_take(&format!("q{i}"), Track::Scale))
                .unwrap();
        }
    }
    // Closing the last connection checkpoints the WAL into the main file; keep page 1 (the
    // header and schema) and scribble over the rest.
    let db = dir.path().join(DB_FILE);
    let mut bytes = std::fs::read(&db).unwrap();
    assert!(bytes.len() > 4096 * 2, "expected several pages");
    for b in &mut bytes[4096..] {
        *b = 0x5A;
    }
    std::fs::write(&db, &bytes).unwrap();

    let err = Store::open(dir.path()).expect_err("damage must be found");
    assert!(
        matches!(&err, EngineError::DatabaseCorrupt { path, .. } if path == &db),
        "{err}"
    );
}

#[test]
fn begin_and_finish_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut new = new_take("lp-ownership-1", Track::Behavioral);
    new.follow_up = Some(2);
    new.session_id = Some("session-1".to_owned());
    new.language = Lang::En;
    let take = store.begin_take(&new).unwrap();

    assert_eq!(take.status, TakeStatus::Recording);
    assert_eq!(take.question_id, "lp-ownership-1");
    assert_eq!(take.track, Track::Behavioral);
    assert_eq!(take.prompt, Localized::new("Why?", "왜 그런가요?"));
    assert_eq!(take.follow_up, Some(2));
    assert_eq!(take.session_id.as_deref(), Some("session-1"));
    assert_eq!((take.sample_rate, take.channels), (48_000, 1));
    assert_eq!(take.input_device, "pulse:sine-mic");
    assert_eq!(take.language, Lang::En);
    assert_eq!(take.duration_ms, 0);
    assert!(take.started_at_ms > 1_600_000_000_000);
    assert_eq!(take.dir, dir.path().join(TAKES_DIR).join(take.id.as_str()));
    assert_eq!(take.audio_path, take.dir.join(AUDIO_FILE));
    assert!(take.dir.is_dir());

    let done = store
        .finish_take(
            &take.id,
            61_234,
            TakeStatus::Interrupted,
            Some(StopReason::DeviceGone),
        )
        .unwrap();
    assert_eq!(done.status, TakeStatus::Interrupted);
    assert_eq!(done.stop_reason, Some(StopReason::DeviceGone));
    assert_eq!(done.duration_ms, 61_234);

    // A closed take cannot be closed again, nor "finished" as recording.
    let again = store.finish_take(&take.id, 1, TakeStatus::Complete, None);
    assert!(matches!(again, Err(EngineError::InvalidArgument { .. })));
    let other = store.begin_take(&new).unwrap();
    let as_recording = store.finish_take(&other.id, 1, TakeStatus::Recording, None);
    assert!(matches!(
        as_recording,
        Err(EngineError::InvalidArgument { .. })
    ));
    // Unknown takes are an argument error, not a database error.
    let unknown = TakeId::new();
    assert!(store.take(&unknown).unwrap().is_none());
    let missing = store.finish_take(&unknown, 1, TakeStatus::Complete, None);
    assert!(matches!(missing, Err(EngineError::InvalidArgument { .. })));

    let json = serde_json::to_value(&done).unwrap();
    assert_eq!(json["track"], "behavioral");
    assert_eq!(json["status"], "interrupted");
    assert_eq!(json["stop_reason"], "device_gone");
    assert_eq!(json["language"], "en");
    assert_eq!(json["id"], take.id.as_str());
}

#[test]
fn markers_are_kept_in_order_and_set_the_english_switch() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let take = store.begin_take(&new_take("p-1", Track::Personal)).unwrap();
    store
        .add_marker(&take.id, MarkerKind::Warning, 80_000)
        .unwrap();
    store
        .add_marker(&take.id, MarkerKind::EnglishSwitch, 41_000)
        .unwrap();
    store
        .add_marker(&take.id, MarkerKind::EnglishSwitch, 50_000)
        .unwrap();
    let take = store.take(&take.id).unwrap().unwrap();
    let markers: Vec<_> = take.markers.iter().map(|m| (m.kind, m.at_ms)).collect();
    assert_eq!(
        markers,
        [
            (MarkerKind::EnglishSwitch, 41_000),
            (MarkerKind::EnglishSwitch, 50_000),
            (MarkerKind::Warning, 80_000)
        ]
    );
    assert_eq!(take.english_switch_ms, Some(41_000));

    let unknown = store.add_marker(&TakeId::new(), MarkerKind::Warning, 1);
    assert!(matches!(unknown, Err(EngineError::InvalidArgument { .. })));
}

#[test]
fn delete_removes_row_folder_and_everything_attached() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let take = store.begin_take(&new_take("db-1", Track::CsDb)).unwrap();
    std::fs::write(&take.audio_path, b"RIFF").unwrap();
    store.add_marker(&take.id, MarkerKind::Warning, 5).unwrap();
    let transcript = NewTranscript {
        model: "base".to_owned(),
        language: Lang::Ko,
        file_name: "transcript.json".to_owned(),
        word_count: 3,
    };
    store.save_transcript(&take.id, &transcript).unwrap();
    let metric = Metric {
        name: "wpm".to_owned(),
        value: 120.0,
        unit: "wpm".to_owned(),
    };
    store.set_metrics(&take.id, &[metric]).unwrap();
    let mut retake = new_take("db-1", Track::CsDb);
    retake.retake_of = Some(take.id.clone());
    let retake = store.begin_take(&retake).unwrap();
    assert_eq!(retake.retake_of.as_ref(), Some(&take.id));

    assert!(store.delete_take(&take.id).unwrap());
    assert!(!take.dir.exists());
    assert!(store.take(&take.id).unwrap().is_none());
    let conn = raw(dir.path());
    for table in ["markers", "transcripts", "metrics"] {
        let n = count(&conn, &format!("SELECT COUNT(*) FROM {table}"));
        assert_eq!(n, 0, "{table} left behind");
    }
    // The retake stays, unlinked.
    let retake = store.take(&retake.id).unwrap().unwrap();
    assert_eq!(retake.retake_of, None);

    // Deleting again, or a take whose folder is already gone, is fine.
    assert!(!store.delete_take(&take.id).unwrap());
    std::fs::remove_dir_all(&retake.dir).unwrap();
    assert!(store.delete_take(&retake.id).unwrap());

    let mut bad = new_take("db-1", Track::CsDb);
    bad.retake_of = Some(TakeId::new());
    assert!(matches!(
        store.begin_take(&bad),
        Err(EngineError::InvalidArgument { .. })
    ));
}

#[test]
fn listing_filters_and_orders_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let a = store.begin_take(&new_take("os-1", Track::CsOs)).unwrap();
    let b = store.begin_take(&new_take("os-2", Track::CsOs)).unwrap();
    let c = store.begin_take(&new_take("os-1", Track::CsOs)).unwrap();
    let d = store
        .begin_take(&new_take("net-1", Track::CsNetwork))
        .unwrap();
    store.add_marker(&c.id, MarkerKind::Warning, 10).unwrap();

    let ids = |filter: TakeFilter| -> Vec<TakeId> {
        store
            .takes(&filter)
            .unwrap()
            .into_iter()
            .map(|t| t.id)
            .collect()
    };
    assert_eq!(
        ids(TakeFilter::default()),
        [d.id.clone(), c.id.clone(), b.id.clone(), a.id.clone()]
    );
    assert_eq!(
        ids(TakeFilter {
            question_id: Some("os-1".to_owned()),
            ..Default::default()
        }),
        [c.id.clone(), a.id.clone()]
    );
    assert_eq!(
        ids(TakeFilter {
            track: Some(Track::CsOs),
            limit: Some(2),
            ..Default::default()
        }),
        [c.id.clone(), b.id.clone()]
    );
    assert_eq!(
        ids(TakeFilter {
            track: Some(Track::CsNetwork),
            ..Default::default()
        }),
        [d.id]
    );
    assert!(ids(TakeFilter {
        question_id: Some("nope".to_owned()),
        ..Default::default()
    })
    .is_empty());
    let listed = store.takes(&TakeFilter::default()).unwrap();
    assert_eq!(listed[1].markers.len(), 1, "list carries markers");
    assert!(listed
        .windows(2)
        .all(|w| w[0].started_at_ms >= w[1].started_at_ms));
}

#[test]
fn take_ids_from_outside_cannot_escape_the_takes_folder() {
    for bad in [
        "../etc",
        "a/b",
        "..",
        "",
        "/abs",
        "/etc/passwd/AAAAAAAAAAAAAAAAAAAAAAAAA",
        "..\\..\\AAAAAAAAAAAAAAAAAAAAAA",
        "01arz3ndektsv4rrffq69g5fav",
        "01ARZ3NDEKTSV4RRFFQ69G5FA",
        "01ARZ3NDEKTSV4RRFFQ69G5FAVV",
        "01ARZ3NDEKTSV4RRFFQ69G5F.V",
        "01ARZ3NDEKTSV4RRFFQ69G5FIL",
    ] {
        let err = TakeId::parse(bad).expect_err(bad);
        assert!(
            matches!(&err, EngineError::InvalidArgument { name, .. } if name == "take id"),
            "{bad}: {err}"
        );
    }

    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let id = TakeId::parse("01ARZ3NDEKTSV4RRFFQ69G5FAV").unwrap();
    let take_dir = store.take_dir(&id);
    assert_eq!(take_dir.parent().unwrap(), dir.path().join(TAKES_DIR));
    assert_eq!(take_dir.file_name().unwrap(), "01ARZ3NDEKTSV4RRFFQ69G5FAV");
    let fresh = TakeId::new();
    assert_eq!(TakeId::parse(fresh.as_str()).unwrap(), fresh);
    assert_eq!(fresh.as_str().parse::<TakeId>().unwrap(), fresh);
}

#[test]
fn takes_left_recording_by_a_crash_are_found_and_recovered() {
    let dir = tempfile::tempdir().unwrap();
    let (crashed, done) = {
        let store = Store::open(dir.path()).unwrap();
        let done = store.begin_take(&new_take("s-1", Track::Scale)).unwrap();
        store
            .finish_take(&done.id, 10, TakeStatus::Complete, Some(StopReason::Limit))
            .unwrap();
        let crashed = store.begin_take(&new_take("s-2", Track::Scale)).unwrap();
        store
            .add_marker(&crashed.id, MarkerKind::EnglishSwitch, 4_000)
            .unwrap();
        (crashed, done)
        // The store is dropped with the take still recording, as a kill would leave it.
    };

    let store = Store::open(dir.path()).unwrap();
    let open = store.interrupted_takes().unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].id, crashed.id);
    assert_eq!(open[0].markers.len(), 1);

    let recovered = store.mark_recovered(&crashed.id, 9_000).unwrap();
    assert_eq!(recovered.status, TakeStatus::Recovered);
    assert_eq!(recovered.stop_reason, Some(StopReason::Crash));
    assert_eq!(recovered.duration_ms, 9_000);
    assert!(store.interrupted_takes().unwrap().is_empty());
    // A finished take is not "recovered" over its real ending.
    assert!(matches!(
        store.mark_recovered(&done.id, 1),
        Err(EngineError::InvalidArgument { .. })
    ));
}

#[test]
fn readers_do_not_wait_for_a_writer() {
    let dir = tempfile::tempdir().unwrap();
    let writer_store = Store::open(dir.path()).unwrap();
    let reader = Store::open(dir.path()).unwrap();
    let first = writer_store
        .begin_take(&new_take("n-1", Track::CsNetwork))
        .unwrap();

    // Another connection holds an open write transaction with an uncommitted row.
    let writer = raw(dir.path());
    writer.execute_batch("BEGIN IMMEDIATE").unwrap();
    writer
        .execute(
            "UPDATE takes SET duration_ms = 777 WHERE id = ?1",
            [first.id.as_str()],
        )
        .unwrap();

    let started = Instant::now();
    let seen = reader.takes(&TakeFilter::default()).unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "reader waited for the writer"
    );
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].duration_ms, 0,
        "uncommitted data must not be visible"
    );

    writer.execute_batch("COMMIT").unwrap();
    assert_eq!(reader.take(&first.id).unwrap().unwrap().duration_ms, 777);
}

#[test]
fn two_stores_write_and_read_concurrently() {
    let dir = tempfile::tempdir().unwrap();
    Store::open(dir.path()).unwrap();
    let path = dir.path().to_owned();
    let writer = std::thread::spawn(move || {
        let store = Store::open(&path).unwrap();
        for i in 0..40 {
            let take = store
                .begin_take(&new_take(&format!("q{i}"), Track::CsStorage))
                .unwrap();
            store.add_marker(&take.id, MarkerKind::Warning, i).unwrap();
            store
                .finish_take(&take.id, i, TakeStatus::Complete, None)
                .unwrap();
        }
    });
    let reader = Store::open(dir.path()).unwrap();
    let mut last = 0;
    while !writer.is_finished() {
        let n = reader.takes(&TakeFilter::default()).unwrap().len();
        assert!(n >= last, "takes disappeared");
        last = n;
    }
    writer.join().unwrap();
    assert_eq!(reader.takes(&TakeFilter::default()).unwrap().len(), 40);

    // A second writer waits for the first (busy timeout) instead of failing.
    let holder = raw(dir.path());
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        holder.execute_batch("COMMIT").unwrap();
    });
    reader.begin_take(&new_take("late", Track::Scale)).unwrap();
    release.join().unwrap();
}

#[test]
fn transcripts_and_metrics_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let take = store.begin_take(&new_take("p-2", Track::Personal)).unwrap();
    let base = NewTranscript {
        model: "base".to_owned(),
        language: Lang::Ko,
        file_name: "transcript.json".to_owned(),
        word_count: 10,
    };
    let saved = store.save_transcript(&take.id, &base).unwrap();
    assert_eq!(saved.path, take.dir.join("transcript.json"));
    assert_eq!(saved.word_count, 10);
    store
        .save_transcript(
            &take.id,
            &NewTranscript {
                word_count: 12,
                ..base.clone()
            },
        )
        .unwrap();
    store
        .save_transcript(
            &take.id,
            &NewTranscript {
                model: "tiny.en".to_owned(),
                file_name: "transcript-tiny.en.json".to_owned(),
                ..base.clone()
            },
        )
        .unwrap();
    let all = store.transcripts(&take.id).unwrap();
    assert_eq!(all.len(), 2, "one entry per model");
    assert_eq!(
        all.iter().find(|t| t.model == "base").unwrap().word_count,
        12
    );
    for bad in ["../x.json", "a/b.json", "", "..", "/abs.json"] {
        let t = NewTranscript {
            file_name: bad.to_owned(),
            ..base.clone()
        };
        assert!(
            matches!(
                store.save_transcript(&take.id, &t),
                Err(EngineError::InvalidArgument { .. })
            ),
            "{bad}"
        );
    }
    assert!(matches!(
        store.save_transcript(&TakeId::new(), &base),
        Err(EngineError::InvalidArgument { .. })
    ));

    let metric = |name: &str, value: f64| Metric {
        name: name.to_owned(),
        value,
        unit: "per_min".to_owned(),
    };
    store
        .set_metrics(&take.id, &[metric("fillers", 4.0), metric("wpm", 130.0)])
        .unwrap();
    store
        .set_metrics(&take.id, &[metric("fillers", 3.0)])
        .unwrap();
    assert_eq!(store.metrics(&take.id).unwrap(), [metric("fillers", 3.0)]);
    assert!(matches!(
        store.set_metrics(&take.id, &[metric("bad", f64::NAN)]),
        Err(EngineError::InvalidArgument { .. })
    ));
    assert!(matches!(
        store.set_metrics(&TakeId::new(), &[metric("fillers", 1.0)]),
        Err(EngineError::InvalidArgument { .. })
    ));

    let later = store.begin_take(&new_take("p-2", Track::Personal)).unwrap();
    let latest = store.begin_take(&new_take("p-3", Track::Personal)).unwrap();
    store
        .set_metrics(&later.id, &[metric("fillers", 2.0)])
        .unwrap();
    store
        .set_metrics(&latest.id, &[metric("fillers", 1.0)])
        .unwrap();
    let history = store
        .metric_history("fillers", &TakeFilter::default())
        .unwrap();
    let values: Vec<f64> = history.iter().map(|p| p.value).collect();
    assert_eq!(values, [3.0, 2.0, 1.0], "oldest first");
    let recent = store
        .metric_history(
            "fillers",
            &TakeFilter {
                limit: Some(2),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        recent.iter().map(|p| p.value).collect::<Vec<_>>(),
        [2.0, 1.0]
    );
    let same_question = store
        .metric_history(
            "fillers",
            &TakeFilter {
                question_id: Some("p-2".to_owned()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(same_question.len(), 2);
    assert_eq!(same_question[1].take_id, later.id);
}

#[test]
fn a_take_with_video_keeps_it_until_deleted_and_its_presence_metrics_apart() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let take = store.begin_take(&new_take("q", Track::Personal)).unwrap();
    assert_eq!(
        (take.camera.as_deref(), take.video_path.as_ref()),
        (None, None)
    );
    let take = store.set_video(&take.id, "Integrated Camera").unwrap();
    let video = take.video_path.clone().unwrap();
    assert_eq!(video, take.dir.join(VIDEO_FILE));
    assert_eq!(take.camera.as_deref(), Some("Integrated Camera"));
    std::fs::write(&video, b"mp4").unwrap();
    let take = store.finish_video(&take.id, Some(42)).unwrap();
    assert_eq!(take.video_offset_ms, Some(42));

    // The transcript's metrics and the presence metrics replace only their own kind.
    let m = |name: &str, value| Metric {
        name: name.into(),
        value,
        unit: "percent".into(),
    };
    store
        .set_metrics(&take.id, &[m("fillers", 2.0), m("pace", 120.0)])
        .unwrap();
    store
        .set_presence_metrics(&take.id, &[m("presence.visible", 97.0)])
        .unwrap();
    store.set_metrics(&take.id, &[m("fillers", 3.0)]).unwrap();
    let names: Vec<(String, f64)> = store
        .metrics(&take.id)
        .unwrap()
        .into_iter()
        .map(|m| (m.name, m.value))
        .collect();
    assert_eq!(
        names,
        [("fillers".into(), 3.0), ("presence.visible".into(), 97.0)]
    );
    let e = store
        .set_presence_metrics(&take.id, &[m("fillers", 1.0)])
        .unwrap_err();
    assert!(
        e.to_string().contains("'fillers' is not a presence metric"),
        "{e}"
    );

    // A video without a single picture is dropped from the take, file and all.
    let other = store.begin_take(&new_take("q", Track::Personal)).unwrap();
    let other = store.set_video(&other.id, "cam").unwrap();
    std::fs::write(other.video_path.as_ref().unwrap(), b"").unwrap();
    let other = store.finish_video(&other.id, None).unwrap();
    assert_eq!(other.video_path, None);
    assert!(!other.dir.join(VIDEO_FILE).exists());

    // Deleting the take deletes its video.
    assert!(store.delete_take(&take.id).unwrap());
    assert!(!video.exists());
}

#[test]
fn a_version_2_index_gains_the_video_columns_and_keeps_its_takes() {
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let store = Store::open(dir.path()).unwrap();
        store
            .begin_take(&new_take("q", Track::Personal))
            .unwrap()
            .id
    };
    // Take the file back to version 2, as Greenroom before video wrote it.
    let conn = raw(dir.path());
    conn.execute_batch(
        "ALTER TABLE takes DROP COLUMN camera; ALTER TABLE takes DROP COLUMN video_file; \
         ALTER TABLE takes DROP COLUMN video_offset_ms; PRAGMA user_version = 2;",
    )
    .unwrap();
    drop(conn);
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let take = store.take(&id).unwrap().unwrap();
    assert_eq!(
        (take.camera, take.video_path, take.video_offset_ms),
        (None, None, None)
    );
}

//! The take index's schema, as an ordered list of migrations. Migration `i` (0-based) takes
//! the database from `PRAGMA user_version = i` to `i + 1`. Never edit a shipped migration:
//! append a new one, and add a test that opens a database of the previous version.

/// Each entry is one step; [`LATEST`] is their count.
pub(crate) const MIGRATIONS: &[&str] = &[
    // v1: takes, their markers, and room for transcripts (issue 6) and metrics (issue 7).
    r#"
    CREATE TABLE takes (
        id                TEXT PRIMARY KEY NOT NULL,          -- ULID, also the folder name
        question_id       TEXT NOT NULL,
        track             TEXT NOT NULL,
        prompt_en         TEXT NOT NULL,                       -- the question as it was asked
        prompt_ko         TEXT NOT NULL,
        follow_up         INTEGER CHECK (follow_up >= 0),      -- index into the follow-ups
        session_id        TEXT,                                -- one plan run
        started_at        INTEGER NOT NULL,                    -- unix ms
        duration_ms       INTEGER NOT NULL DEFAULT 0 CHECK (duration_ms >= 0),
        sample_rate       INTEGER NOT NULL CHECK (sample_rate > 0),
        channels          INTEGER NOT NULL CHECK (channels > 0),
        input_device      TEXT NOT NULL,
        status            TEXT NOT NULL
                          CHECK (status IN ('recording', 'complete', 'recovered', 'interrupted')),
        stop_reason       TEXT,
        english_switch_ms INTEGER CHECK (english_switch_ms >= 0),
        language          TEXT NOT NULL CHECK (language IN ('ko', 'en')),
        retake_of         TEXT REFERENCES takes(id) ON DELETE SET NULL
    );
    CREATE INDEX takes_started_at ON takes(started_at);
    CREATE INDEX takes_question_id ON takes(question_id);
    CREATE INDEX takes_status ON takes(status);
    CREATE INDEX takes_retake_of ON takes(retake_of);

    CREATE TABLE markers (
        take_id TEXT NOT NULL REFERENCES takes(id) ON DELETE CASCADE,
        kind    TEXT NOT NULL,
        at_ms   INTEGER NOT NULL CHECK (at_ms >= 0)
    );
    CREATE INDEX markers_take ON markers(take_id, at_ms);

    CREATE TABLE transcripts (
        take_id    TEXT NOT NULL REFERENCES takes(id) ON DELETE CASCADE,
        model      TEXT NOT NULL,
        language   TEXT NOT NULL CHECK (language IN ('ko', 'en')),
        created_at INTEGER NOT NULL,                           -- unix ms
        file_name  TEXT NOT NULL,                              -- inside the take's folder
        word_count INTEGER NOT NULL CHECK (word_count >= 0),
        PRIMARY KEY (take_id, model)
    );

    CREATE TABLE metrics (
        take_id TEXT NOT NULL REFERENCES takes(id) ON DELETE CASCADE,
        name    TEXT NOT NULL,
        value   REAL NOT NULL,
        unit    TEXT NOT NULL,
        PRIMARY KEY (take_id, name)
    );
    CREATE INDEX metrics_name ON metrics(name);
    "#,
    // v2: a marker can span time (a stall of the microphone: where and for how long).
    r#"
    ALTER TABLE markers ADD COLUMN length_ms INTEGER CHECK (length_ms >= 0);
    "#,
    // v3: a take can have a camera recording beside its audio (issue 15).
    r#"
    ALTER TABLE takes ADD COLUMN camera TEXT;                 -- the camera's name
    ALTER TABLE takes ADD COLUMN video_file TEXT;             -- inside the take's folder
    ALTER TABLE takes ADD COLUMN video_offset_ms INTEGER CHECK (video_offset_ms >= 0);
    "#,
];

/// The schema version this build writes and understands.
pub(crate) const LATEST: u32 = MIGRATIONS.len() as u32;

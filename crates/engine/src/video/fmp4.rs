//! A fragmented MP4 file of one H.264 track, written as it is recorded.
//!
//! Layout: `ftyp` + `moov` (the track's description, no samples) once the first key frame
//! brings the parameter sets, then a `moof` + `mdat` pair for every fragment of about half
//! a second. Each pair is written whole with one `write_all`, so a process killed at any
//! moment leaves complete fragments followed by at most one torn one, which
//! [`repair`] cuts off. Players read such a file progressively, like any MP4. The header's
//! durations (`mvhd`, `tkhd`, `mdhd`, `mehd`, all fixed-size fields) are written as 0 and
//! filled in place when the recording stops or the file is repaired: players take the
//! length from them rather than scanning every fragment.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use mp4_atom::{
    Avc1, Avcc, Decode, Dinf, Dref, Encode, FourCC, Ftyp, Hdlr, Mdhd, Mdia, Mehd, Mfhd, Minf, Moof,
    Moov, Mvex, Mvhd, Stbl, Stco, Stsd, Tfdt, Tfhd, Tkhd, Traf, Trak, Trex, Trun, TrunEntry, Url,
    Visual, Vmhd,
};

use crate::EngineError;

/// Ticks per second of the video track (the MPEG convention: exact for 15, 25, 30 fps).
pub const TIMESCALE: u32 = 90_000;
const TRACK_ID: u32 = 1;
/// `trun` sample flags: a sync sample (depends on nothing) and a dependent, non-sync one.
const KEY_FLAGS: u32 = 0x0200_0000;
const DELTA_FLAGS: u32 = 0x0101_0000;

/// One encoded picture: AVCC payload (4-byte big-endian lengths before each NAL unit).
#[derive(Debug, Clone)]
pub struct Sample {
    pub data: Vec<u8>,
    /// Decode (= presentation: no B-frames) time in [`TIMESCALE`] ticks from the first.
    pub time: u64,
    pub key: bool,
}

/// H.264 parameter sets, raw NAL units without start codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterSets {
    pub sps: Vec<u8>,
    pub pps: Vec<u8>,
}

/// Writes one H.264 track as fragments, ~`fragment_ticks` each.
pub struct Fmp4Writer {
    file: File,
    path: PathBuf,
    width: u16,
    height: u16,
    /// Default length of the last sample when nothing follows it.
    frame_ticks: u32,
    fragment_ticks: u64,
    sequence: u32,
    /// Samples not yet written; the last one waits for its successor's time.
    pending: Vec<Sample>,
    initialised: bool,
    written_samples: u64,
    /// Where the `moov` starts, and the header it holds (rewritten with durations).
    moov_at: u64,
    moov: Option<Moov>,
    /// End of the last written sample, in ticks.
    end_ticks: u64,
}

fn mp4_error(path: &Path, e: mp4_atom::Error) -> EngineError {
    EngineError::io(
        "write",
        path,
        std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()),
    )
}

impl Fmp4Writer {
    /// Creates (truncates) `path`. Nothing is written before the first key frame.
    pub fn create(
        path: &Path,
        width: u32,
        height: u32,
        fps: f64,
        fragment_ms: u32,
    ) -> Result<Self, EngineError> {
        let file = File::create(path).map_err(|e| EngineError::io("create", path, e))?;
        Ok(Self {
            file,
            path: path.to_owned(),
            width: width as u16,
            height: height as u16,
            frame_ticks: (TIMESCALE as f64 / fps.max(1.0)).round() as u32,
            fragment_ticks: TIMESCALE as u64 * fragment_ms as u64 / 1000,
            sequence: 0,
            pending: vec![],
            initialised: false,
            written_samples: 0,
            moov_at: 0,
            moov: None,
            end_ticks: 0,
        })
    }

    /// Samples written to the file so far (complete fragments only).
    pub fn written_samples(&self) -> u64 {
        self.written_samples
    }

    /// Writes the file header; call once, with the first key frame's parameter sets.
    pub fn write_init(&mut self, sets: &ParameterSets) -> Result<(), EngineError> {
        if self.initialised {
            return Ok(());
        }
        let mut buf = Vec::new();
        let (ftyp, moov) = init_segment(sets, self.width, self.height);
        ftyp.encode(&mut buf)
            .map_err(|e| mp4_error(&self.path, e))?;
        self.moov_at = buf.len() as u64;
        moov.encode(&mut buf)
            .map_err(|e| mp4_error(&self.path, e))?;
        self.moov = Some(moov);
        self.file
            .write_all(&buf)
            .map_err(|e| EngineError::io("write", &self.path, e))?;
        self.initialised = true;
        Ok(())
    }

    /// Queues a sample; writes a fragment when the queued ones span the fragment length.
    /// Samples before the header (no key frame yet) are dropped: nothing can decode them.
    pub fn push(&mut self, sample: Sample) -> Result<(), EngineError> {
        if !self.initialised {
            return Ok(());
        }
        let due = self
            .pending
            .first()
            .is_some_and(|first| sample.time.saturating_sub(first.time) >= self.fragment_ticks);
        self.pending.push(sample);
        if due {
            // Everything but the newest sample: its length is known only from the next.
            let last = self.pending.pop().expect("just pushed");
            self.write_fragment(Some(last.time))?;
            self.pending.push(last);
        }
        Ok(())
    }

    /// Writes what is queued, the last sample lasting `last_ticks` (one frame when
    /// `None`), and closes the file.
    pub fn finish(mut self, last_ticks: Option<u32>) -> Result<u64, EngineError> {
        if let Some(last) = self.pending.last() {
            let end = last.time + last_ticks.unwrap_or(self.frame_ticks).max(1) as u64;
            self.write_fragment(Some(end))?;
        }
        if let Some(moov) = self.moov.take() {
            write_durations(
                &mut self.file,
                &self.path,
                self.moov_at,
                moov,
                self.end_ticks,
            )?;
        }
        self.file
            .sync_data()
            .map_err(|e| EngineError::io("write", &self.path, e))?;
        Ok(self.written_samples)
    }

    /// Writes all pending samples as one `moof` + `mdat`; `end` is when the last ends.
    fn write_fragment(&mut self, end: Option<u64>) -> Result<(), EngineError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let samples = std::mem::take(&mut self.pending);
        let end = end.unwrap_or(samples.last().expect("not empty").time + self.frame_ticks as u64);
        let entries: Vec<TrunEntry> = samples
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let next = samples.get(i + 1).map_or(end, |n| n.time);
                TrunEntry {
                    duration: Some(next.saturating_sub(s.time).max(1) as u32),
                    size: Some(s.data.len() as u32),
                    flags: Some(if s.key { KEY_FLAGS } else { DELTA_FLAGS }),
                    cts: None,
                }
            })
            .collect();
        self.sequence += 1;
        let mut moof = Moof {
            mfhd: Mfhd {
                sequence_number: self.sequence,
            },
            traf: vec![Traf {
                tfhd: Tfhd {
                    track_id: TRACK_ID,
                    default_base_is_moof: true,
                    ..Default::default()
                },
                tfdt: Some(Tfdt {
                    base_media_decode_time: samples[0].time,
                }),
                trun: vec![Trun {
                    data_offset: Some(0),
                    samples: entries.into(),
                }],
                ..Default::default()
            }],
        };
        // The data offset counts from the start of the moof to the first sample byte, past
        // the mdat header; its own size does not change when it is filled in.
        let mut head = Vec::new();
        moof.encode(&mut head)
            .map_err(|e| mp4_error(&self.path, e))?;
        let payload: usize = samples.iter().map(|s| s.data.len()).sum();
        let mdat_header = 8;
        moof.traf[0].trun[0].data_offset = Some((head.len() + mdat_header) as i32);
        head.clear();
        moof.encode(&mut head)
            .map_err(|e| mp4_error(&self.path, e))?;
        head.reserve(mdat_header + payload);
        head.extend_from_slice(&((mdat_header + payload) as u32).to_be_bytes());
        head.extend_from_slice(b"mdat");
        for s in &samples {
            head.extend_from_slice(&s.data);
        }
        self.file
            .write_all(&head)
            .map_err(|e| EngineError::io("write", &self.path, e))?;
        self.written_samples += samples.len() as u64;
        self.end_ticks = end;
        Ok(())
    }
}

/// Rewrites the header at `moov_at` with the video's length (`media_ticks` at
/// [`TIMESCALE`]); every duration field has a fixed size, so the box keeps its length.
fn write_durations(
    file: &mut File,
    path: &Path,
    moov_at: u64,
    mut moov: Moov,
    media_ticks: u64,
) -> Result<(), EngineError> {
    let mut before = Vec::new();
    moov.encode(&mut before).map_err(|e| mp4_error(path, e))?;
    let ms = media_ticks * 1000 / TIMESCALE as u64;
    moov.mvhd.duration = ms;
    if let Some(mvex) = moov.mvex.as_mut() {
        mvex.mehd = Some(Mehd {
            fragment_duration: ms,
        });
    }
    for trak in &mut moov.trak {
        trak.tkhd.duration = ms;
        trak.mdia.mdhd.duration = media_ticks;
    }
    let mut after = Vec::new();
    moov.encode(&mut after).map_err(|e| mp4_error(path, e))?;
    if after.len() != before.len() {
        // Not a file of ours: leave its header alone rather than overwrite a fragment.
        return Err(invalid(path, "its header cannot be updated in place"));
    }
    let end = file
        .seek(SeekFrom::End(0))
        .map_err(|e| EngineError::io("write", path, e))?;
    file.seek(SeekFrom::Start(moov_at))
        .and_then(|_| file.write_all(&after))
        .and_then(|_| file.seek(SeekFrom::Start(end)).map(drop))
        .map_err(|e| EngineError::io("write", path, e))
}

fn init_segment(sets: &ParameterSets, width: u16, height: u16) -> (Ftyp, Moov) {
    let sps = &sets.sps;
    // profile_idc, constraint flags, level_idc follow the NAL header byte.
    let (profile, compat, level) = (
        sps.get(1).copied().unwrap_or(66),
        sps.get(2).copied().unwrap_or(0),
        sps.get(3).copied().unwrap_or(31),
    );
    let ftyp = Ftyp {
        major_brand: b"isom".into(),
        minor_version: 512,
        compatible_brands: vec![
            b"isom".into(),
            b"iso6".into(),
            b"avc1".into(),
            b"mp41".into(),
        ],
    };
    let avc1 = Avc1 {
        visual: Visual {
            data_reference_index: 1,
            width,
            height,
            horizresolution: 72.into(),
            vertresolution: 72.into(),
            frame_count: 1,
            compressor: "Greenroom H.264".into(),
            depth: 24,
        },
        avcc: Avcc {
            configuration_version: 1,
            avc_profile_indication: profile,
            profile_compatibility: compat,
            avc_level_indication: level,
            length_size: 4,
            sequence_parameter_sets: vec![sets.sps.clone()],
            picture_parameter_sets: vec![sets.pps.clone()],
            ext: None,
        },
        ..Default::default()
    };
    let moov = Moov {
        mvhd: Mvhd {
            timescale: 1000,
            rate: 1.into(),
            volume: 1.into(),
            next_track_id: TRACK_ID + 1,
            ..Default::default()
        },
        mvex: Some(Mvex {
            // Filled in with the length at the end (see write_durations).
            mehd: Some(Mehd {
                fragment_duration: 0,
            }),
            trex: vec![Trex {
                track_id: TRACK_ID,
                default_sample_description_index: 1,
                default_sample_duration: 0,
                default_sample_size: 0,
                default_sample_flags: 0,
            }],
        }),
        trak: vec![Trak {
            tkhd: Tkhd {
                track_id: TRACK_ID,
                enabled: true,
                in_movie: true,
                width: width.into(),
                height: height.into(),
                ..Default::default()
            },
            mdia: Mdia {
                mdhd: Mdhd {
                    timescale: TIMESCALE,
                    language: "und".into(),
                    ..Default::default()
                },
                hdlr: Hdlr {
                    handler: b"vide".into(),
                    name: "Greenroom camera".into(),
                },
                minf: Minf {
                    vmhd: Some(Vmhd::default()),
                    dinf: Dinf {
                        dref: Dref {
                            entries: vec![Url::default().into()],
                        },
                    },
                    stbl: Stbl {
                        stsd: Stsd {
                            codecs: vec![avc1.into()],
                        },
                        stco: Some(Stco::default()),
                        ..Default::default()
                    },
                    ..Default::default()
                },
            },
            ..Default::default()
        }],
        ..Default::default()
    };
    (ftyp, moov)
}

/// What a fragmented MP4 file holds, read from its boxes.
#[derive(Debug, Clone, PartialEq)]
pub struct VideoProbe {
    pub width: u32,
    pub height: u32,
    /// Pictures in complete fragments.
    pub frames: u64,
    pub key_frames: u64,
    /// From the first picture to the end of the last one.
    pub duration_ms: f64,
    pub fragments: u32,
    /// Bytes of complete boxes; anything after it is a torn fragment.
    pub valid_len: u64,
    pub file_len: u64,
    /// The length the header states, in ms (0 while recording; see the module doc).
    pub header_duration_ms: u64,
}

fn invalid(path: &Path, detail: impl Into<String>) -> EngineError {
    EngineError::InvalidArgument {
        name: "video".into(),
        detail: format!("{}: {}", path.display(), detail.into()),
    }
}

/// Reads the boxes of a file [`Fmp4Writer`] wrote (or one cut short by a crash).
pub fn probe(path: &Path) -> Result<VideoProbe, EngineError> {
    let mut file = File::open(path).map_err(|e| EngineError::io("open", path, e))?;
    let file_len = file
        .metadata()
        .map_err(|e| EngineError::io("read", path, e))?
        .len();
    let mut at = 0u64;
    let mut probe = VideoProbe {
        width: 0,
        height: 0,
        frames: 0,
        key_frames: 0,
        duration_ms: 0.0,
        fragments: 0,
        valid_len: 0,
        file_len,
        header_duration_ms: 0,
    };
    let (mut first, mut end) = (None::<u64>, 0u64);
    // A moof counts once its mdat is complete too.
    let mut open_moof: Option<(Moof, u64)> = None;
    while at + 8 <= file_len {
        file.seek(SeekFrom::Start(at))
            .map_err(|e| EngineError::io("read", path, e))?;
        let mut head = [0u8; 8];
        file.read_exact(&mut head)
            .map_err(|e| EngineError::io("read", path, e))?;
        let size = u32::from_be_bytes(head[..4].try_into().expect("4 bytes")) as u64;
        let kind = FourCC::new(&head[4..8].try_into().expect("4 bytes"));
        if size < 8 || at + size > file_len {
            break; // torn or not a box: the end of what is usable
        }
        let needs_body = kind == FourCC::new(b"moov") || kind == FourCC::new(b"moof");
        if needs_body {
            let mut body = vec![0u8; size as usize];
            file.seek(SeekFrom::Start(at))
                .map_err(|e| EngineError::io("read", path, e))?;
            file.read_exact(&mut body)
                .map_err(|e| EngineError::io("read", path, e))?;
            let mut cursor = std::io::Cursor::new(body.as_slice());
            if kind == FourCC::new(b"moov") {
                let moov = Moov::decode(&mut cursor).map_err(|e| invalid(path, e.to_string()))?;
                probe.header_duration_ms = moov.mvhd.duration;
                if let Some(t) = moov.trak.first() {
                    probe.width = u32::from(t.tkhd.width.integer());
                    probe.height = u32::from(t.tkhd.height.integer());
                }
                probe.valid_len = at + size;
            } else {
                let moof = Moof::decode(&mut cursor).map_err(|e| invalid(path, e.to_string()))?;
                open_moof = Some((moof, at));
            }
        } else if kind == FourCC::new(b"mdat") {
            if let Some((moof, _)) = open_moof.take() {
                for traf in &moof.traf {
                    let mut t = traf.tfdt.as_ref().map_or(end, |d| d.base_media_decode_time);
                    first.get_or_insert(t);
                    for run in &traf.trun {
                        for s in run.samples.iter() {
                            probe.frames += 1;
                            if s.flags == Some(KEY_FLAGS) {
                                probe.key_frames += 1;
                            }
                            t += u64::from(s.duration.unwrap_or(0));
                        }
                    }
                    end = end.max(t);
                }
                probe.fragments += 1;
                probe.valid_len = at + size;
            }
        } else if probe.valid_len == at {
            probe.valid_len = at + size; // ftyp and other whole boxes
        }
        at += size;
    }
    if let Some(first) = first {
        probe.duration_ms = (end - first) as f64 * 1000.0 / TIMESCALE as f64;
    }
    Ok(probe)
}

/// Cuts a torn last fragment off a file a crash left behind and writes the length of
/// what remains into its header; returns what remains.
pub fn repair(path: &Path) -> Result<VideoProbe, EngineError> {
    let mut p = probe(path)?;
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(|e| EngineError::io("open", path, e))?;
    if p.valid_len < p.file_len {
        file.set_len(p.valid_len)
            .map_err(|e| EngineError::io("repair", path, e))?;
        p.file_len = p.valid_len;
    }
    if let Some((at, moov)) = read_moov(&mut file, path)? {
        let ticks = (p.duration_ms * TIMESCALE as f64 / 1000.0).round() as u64;
        write_durations(&mut file, path, at, moov, ticks)?;
        p.header_duration_ms = ticks * 1000 / TIMESCALE as u64;
    }
    Ok(p)
}

/// The `moov` box and where it starts, when the file begins with `ftyp` + `moov`.
fn read_moov(file: &mut File, path: &Path) -> Result<Option<(u64, Moov)>, EngineError> {
    let mut at = 0u64;
    for _ in 0..2 {
        let mut head = [0u8; 8];
        file.seek(SeekFrom::Start(at))
            .and_then(|_| file.read_exact(&mut head))
            .map_err(|e| EngineError::io("read", path, e))?;
        let size = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as u64;
        if &head[4..8] == b"moov" {
            let mut body = vec![0u8; size as usize];
            file.seek(SeekFrom::Start(at))
                .and_then(|_| file.read_exact(&mut body))
                .map_err(|e| EngineError::io("read", path, e))?;
            let moov = Moov::decode(&mut std::io::Cursor::new(body.as_slice()))
                .map_err(|e| invalid(path, e.to_string()))?;
            return Ok(Some((at, moov)));
        }
        at += size.max(8);
    }
    Ok(None)
}

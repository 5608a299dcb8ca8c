// Generated from the Rust types by `src-tauri` (ipc.rs). Do not edit by hand:
// run `./x bindings` after changing a command or payload.

import type { Channel } from "@tauri-apps/api/core";

export type About = { version: string, 
/**
 * `linux`, `windows` or `macos`, as Rust names it.
 */
os: string, arch: string, data_dir: string, 
/**
 * The default model's name, if any model is installed.
 */
default_model: string | null, models_installed: number, speech_cpu: SpeechCpu, licences: Array<Licence>, };

export type AppError = { "code": "no_audio_server", "params": { detail: string, } } | { "code": "no_audio_device", "params": { direction: string, } } | { "code": "unknown_audio_device", "params": { device: string, } } | { "code": "permission_denied", "params": { device: string, } } | { "code": "device_busy", "params": { device: string, } } | { "code": "device_gone", "params": { device: string, } } | { "code": "unsupported_config", "params": { device: string, detail: string, } } | { "code": "audio", "params": { device: string, detail: string, } } | { "code": "camera", "params": { detail: string, } } | { "code": "io", "params": { action: string, path: string, detail: string, } } | { "code": "invalid_argument", "params": { name: string, detail: string, } } | { "code": "database", "params": { action: string, path: string, detail: string, } } | { "code": "database_corrupt", "params": { path: string, detail: string, } } | { "code": "database_too_new", "params": { path: string, found: number, supported: number, } } | { "code": "cpu_unsupported", "params": { built_for: string, missing: Array<string>, } } | { "code": "internal", "params": { detail: string, } } | { "code": "cancelled" } | ModelError;

/**
 * The inputs and outputs the user can pick on the Check screen.
 */
export type AudioChoices = { host: string | null, inputs: Array<AudioDevice>, outputs: Array<AudioDevice>, 
/**
 * The saved choice when it is still connected, else the system default.
 */
selected_input: string | null, selected_output: string | null, };

export type AudioDevice = { 
/**
 * Stable id `host:device` (cpal's `DeviceId`); survives restarts and re-plugging,
 * unlike an index.
 */
id: string, name: string, direction: Direction, is_default: boolean, 
/**
 * A PulseAudio monitor source: what a speaker plays, not a microphone.
 */
is_monitor: boolean, native: NativeFormat | null, 
/**
 * Why the native format could not be read, if it could not.
 */
format_error: string | null, };

export type AudioInventory = { hosts: Array<HostReport>, 
/**
 * The host the app uses: the first available in preference order.
 */
preferred_host: string | null, };

/**
 * Progress while the check runs, for the UI's prompts and meter.
 */
export type AudioProgress = { "kind": "recording", seconds: number, } | { "kind": "level", peak_dbfs: number, } | { "kind": "tone_playing" } | { "kind": "analysing" };

/**
 * Everything the audio preflight measured and concluded.
 */
export type AudioReport = { 
/**
 * The audio host the app used (`pulseaudio`, `alsa`), if any worked.
 */
host: string | null, input: CheckedDevice | null, output: CheckedDevice | null, checks: Array<Check>, overall: Status, stats: SignalStats | null, delivery: DeliveryStats | null, tone: ToneMatch | null, 
/**
 * Samples our own pipeline lost (ring buffer full); 0 unless the machine is starved.
 */
dropped_samples: number, elapsed_ms: number, };

/**
 * The cameras the user can pick; a synthetic source, when given, first under
 * [`SYNTHETIC_CAMERA_ID`].
 */
export type CameraChoices = { cameras: Array<CameraInfo>, selected: string | null, 
/**
 * Why listing failed (as opposed to finding none).
 */
error: string | null, };

/**
 * A camera as the OS lists it.
 */
export type CameraInfo = { 
/**
 * Stable id: the device path or platform id, not a position in a list.
 */
id: string, name: string, description: string, };

/**
 * What the engine measured while capturing from one camera.
 */
export type CameraMeasurement = { device_name: string, 
/**
 * Requested format; 0 means "no preference" (then only absolute floors apply).
 */
requested_width: number, requested_height: number, requested_fps: number, 
/**
 * Format the camera actually delivers (0 when unknown).
 */
delivered_width: number, delivered_height: number, 
/**
 * Frames received during the capture.
 */
frames: number, 
/**
 * Length of the capture, from the open request to its end.
 */
elapsed_ms: number, 
/**
 * Arrival of the first frame, from the open request; `None` when none came.
 */
first_frame_ms: number | null, 
/**
 * Arrival of the last frame, from the open request. With it the frame rate is exact;
 * without it the capture end stands in for the last frame.
 */
last_frame_ms: number | null, 
/**
 * Statistics of analysed frames (all of them or a sample; at least a few).
 */
per_frame: Array<FrameStats>, 
/**
 * Differences between consecutive *delivered* frames (each one against the previous
 * one, so one fewer than the analysed frames). Do not diff a frame with itself when a
 * reader polls faster than the camera delivers: that reads as frozen.
 */
diffs: Array<number>, };

/**
 * The result of a camera preflight.
 */
export type CameraReport = { 
/**
 * The camera's name (for a synthetic source, a description of it); `None` when no
 * camera could be found.
 */
device_name: string | null, source_kind: CameraSourceKind, 
/**
 * `camera.opens` first, then the picture checks (see the module doc).
 */
checks: Array<Check>, 
/**
 * What was measured; `None` when the camera did not open.
 */
measurement: CameraMeasurement | null, };

/**
 * Where frames come from.
 */
export type CameraSourceKind = "native" | "synthetic";

export type CatalogEntry = { model: CatalogModel, installed: boolean, 
/**
 * Bytes of an interrupted download kept for resuming.
 */
partial: number | null, };

/**
 * One downloadable model.
 */
export type CatalogModel = { 
/**
 * whisper.cpp's name, e.g. "base", "tiny.en-q8_0", "large-v3-turbo-q5_0".
 */
name: string, 
/**
 * The model without quantization suffix, e.g. "tiny.en", "large-v3-turbo".
 */
label: string, file: string, url: string, size: number, 
/**
 * Lower-case hex SHA-256 (Hugging Face LFS object id).
 */
sha256: string, 
/**
 * Lower-case hex SHA-1 as published by whisper.cpp.
 */
sha1: string, kind: ModelSize, multilingual: boolean, weight_type: WeightType, };

/**
 * One preflight verdict.
 */
export type Check = { 
/**
 * Stable id, e.g. `mic.level`; tests and the UI key on it.
 */
id: string, status: Status, title: Localized, 
/**
 * What was measured, when a number exists.
 */
measured: Measured | null, 
/**
 * The rule the value was judged by, language-neutral (e.g. `peak -24..-3 dBFS`).
 */
threshold: string | null, 
/**
 * What was found, in words, with the numbers.
 */
summary: Localized, 
/**
 * What to do about it; `None` when nothing needs doing.
 */
fix: Localized | null, };

/**
 * A device the check ran on.
 */
export type CheckedDevice = { id: string, name: string, format: NativeFormat | null, };

/**
 * What was recorded for "record 5 s and play it back".
 */
export type ClipInfo = { device_name: string, seconds: number, peak_dbfs: number, };

/**
 * Everything the coach found in one answer.
 */
export type Coaching = { lang: Lang, duration_ms: number, 
/**
 * Words in the transcript (punctuation-only tokens excluded).
 */
word_count: number, fillers: FillerReport, pace: PaceReport, pauses: PauseReport, hedges: HedgeReport, repeats: RepeatReport, 
/**
 * Present when the answer had an English-switch marker.
 */
switch: SwitchReport | null, 
/**
 * Present for behavioral answers.
 */
star: StarReport | null, cards: Array<MetricCard>, 
/**
 * The notable observations, one sentence each ("4 pauses over 2.5 s", "no result
 * stated").
 */
summary: Array<Localized>, };

/**
 * What [`delivery_stats`] found about how audio arrived.
 */
export type DeliveryStats = { callbacks: number, frames: number, 
/**
 * Time from the first to the last callback.
 */
span_ms: number, median_interval_ms: number, 
/**
 * Frames per second actually delivered; `None` with too few callbacks to tell.
 */
effective_rate_hz: number | null, 
/**
 * `(effective - nominal) / nominal`, in percent.
 */
rate_error_pct: number | null, 
/**
 * Pauses in delivery whose time was never made up (audio was lost).
 */
gaps: number, 
/**
 * Audio time lost in those gaps, in total.
 */
gap_ms: number, 
/**
 * The largest single loss.
 */
longest_gap_ms: number, };

export type DeviceInventory = { audio: AudioInventory, 
/**
 * What the OS itself lists (the sound server, or Windows's endpoints with their
 * states), to compare with what the app's audio layer sees.
 */
system_audio: SystemAudioView, cameras: Array<CameraInfo>, 
/**
 * Set when the camera backend failed (as opposed to finding none).
 */
camera_error: string | null, };

export type Direction = "input" | "output";

/**
 * Progress of [`download_model`], reported about ten times a second (also while the
 * server is silent, so the speed falls to 0).
 */
export type DownloadProgress = { stage: DownloadStage, 
/**
 * Bytes of the file present so far, including those from earlier, resumed tries.
 */
downloaded: number, 
/**
 * The file's size, when the catalog or the server says it.
 */
total: number | null, 
/**
 * Recent speed (over the last two seconds).
 */
bytes_per_s: number, };

/**
 * What a download is doing.
 */
export type DownloadStage = "downloading" | "verifying";

/**
 * One capture endpoint as Windows lists it, whatever its state.
 */
export type Endpoint = { name: string, state: EndpointState, };

/**
 * The state Windows keeps for an audio endpoint (MMDevice `DEVICE_STATE_*`).
 */
export type EndpointState = "active" | "disabled" | "not_present" | "unplugged";

/**
 * Export formats of `greenroom export` and the Review screen.
 */
export type ExportKind = "md" | "json" | "srt";

/**
 * One filler.
 */
export type FillerHit = { 
/**
 * Indices into the transcript's words (empty for inferred fillers).
 */
word_indices: Array<number>, 
/**
 * As transcribed ("Um,", "you know"); inferred ones read "(um)" or "(음)".
 */
text: string, 
/**
 * The lexicon entry id (`like`, `geu`); `None` for inferred fillers.
 */
entry: string | null, lang: Lang, start_ms: number, end_ms: number, 
/**
 * 0..1: how sure the context rules (or the voicing evidence) are.
 */
confidence: number, kind: FillerKind, };

/**
 * How a filler was found.
 */
export type FillerKind = "transcribed" | "inferred";

/**
 * Fillers in one answer; transcribed and inferred ones are kept apart.
 */
export type FillerReport = { 
/**
 * Transcribed fillers at or above the confidence threshold, in time order.
 */
hits: Array<FillerHit>, count: number, per_minute: number, 
/**
 * Words covered by fillers / all words (0..1).
 */
share_of_words: number, 
/**
 * Most frequent first, by the entry's canonical text.
 */
top: Array<Tally>, 
/**
 * Inferred fillers, in time order.
 */
inferred: Array<FillerHit>, inferred_count: number, inferred_per_minute: number, 
/**
 * The level above which a frame counted as voiced; `None` without an envelope.
 */
voiced_threshold_dbfs: number | null, };

/**
 * Brightness statistics of one frame.
 */
export type FrameStats = { 
/**
 * Mean luma, 0..255.
 */
mean_luma: number, 
/**
 * Population standard deviation of luma.
 */
luma_std: number, 
/**
 * Share (0..1) of pixels with luma <= [`DARK_LUMA`].
 */
dark_share: number, 
/**
 * Share (0..1) of pixels with luma >= [`BRIGHT_LUMA`] (blown out).
 */
bright_share: number, 
/**
 * Share (0..1) of [`UNIFORM_BLOCK`]-sized blocks whose luma std is below
 * [`FLAT_BLOCK_STD`]: near 1 for a flat card, low for a real scene with sensor noise.
 */
uniformity: number, };

/**
 * The range considered good; either end may be open.
 */
export type GoodRange = { min: number | null, max: number | null, unit: MetricUnit, };

export type HedgeReport = { hits: Array<PhraseHit>, count: number, per_minute: number, 
/**
 * By the entry's canonical text, most frequent first.
 */
top: Array<Tally>, };

/**
 * What one audio host sees.
 */
export type HostReport = { 
/**
 * cpal's host id, lowercase (`pulseaudio`, `alsa`).
 */
id: string, name: string, available: boolean, 
/**
 * Why the host is unavailable or could not list devices.
 */
error: string | null, inputs: Array<AudioDevice>, outputs: Array<AudioDevice>, };

export type ImportProgress = { stage: ImportStage, done: number, total: number, };

/**
 * What an import is doing, for progress bars.
 */
export type ImportStage = "copying" | "converting" | "verifying";

/**
 * One installed model, as recorded in the manifest.
 */
export type InstalledModel = { name: string, 
/**
 * File name inside the models dir.
 */
file: string, size: number, 
/**
 * Lower-case hex SHA-256 of the file.
 */
sha256: string, source: ModelSource, 
/**
 * Size class: tiny, base, small, medium, large.
 */
kind: ModelSize, 
/**
 * Readable model name from its shape, e.g. "base", "tiny.en", "large-v3-turbo".
 */
label: string, multilingual: boolean, weight_type: WeightType, 
/**
 * Unix time (seconds) of the install.
 */
added_at: number, };

/**
 * A short summary for status lines.
 */
export type InventorySummary = { 
/**
 * Name of the audio host in use, `None` when no host works.
 */
audio_host: string | null, inputs: number, outputs: number, cameras: number, 
/**
 * Names of the microphones the host sees (not monitors).
 */
input_names: Array<string>, output_names: Array<string>, };

/**
 * A value judged against its range, with the reason for the range.
 */
export type Judgement = { status: RangeStatus, range: GoodRange, why: Localized, };

/**
 * A kernel sound card that can capture.
 */
export type KernelCard = { index: number, name: string, };

/**
 * UI and advice language.
 */
export type Lang = "en" | "ko";

/**
 * A component and the licence it is used under.
 */
export type Licence = { component: string, licence: string, url: string, };

/**
 * A sentence in both languages the app speaks.
 */
export type Localized = { en: string, ko: string, };

export type Marker = { kind: MarkerKind, 
/**
 * Milliseconds from the start of the take's audio.
 */
at_ms: number, 
/**
 * How long the moment lasted, for markers that span time.
 */
length_ms: number | null, };

/**
 * A moment inside a take.
 */
export type MarkerKind = "english_switch" | "warning" | "delivery_gap";

export type Measured = { value: number, unit: Unit, };

/**
 * One level reading for the meter.
 */
export type MeterEvent = { "kind": "level", peak_dbfs: number, } | { "kind": "stopped", error: AppError, };

/**
 * One metric as the review screen shows it.
 */
export type MetricCard = { 
/**
 * Stable id (`fillers`, `pace.en`, `pauses`, ...); UI and history charts key on it.
 */
id: string, title: Localized, value: number | null, unit: MetricUnit, 
/**
 * The range considered good, why, and where the value sits.
 */
judgement: Judgement, 
/**
 * What was observed, in sentences with the numbers.
 */
feedback: Array<Localized>, };

/**
 * One metric over many takes, oldest first, for the history charts.
 */
export type MetricHistory = { id: string, title: Localized, unit: MetricUnit, points: Array<MetricPoint>, };

/**
 * One point of a metric's history across takes.
 */
export type MetricPoint = { take_id: TakeId, question_id: string, started_at_ms: number, value: number, unit: string, };

/**
 * Unit of a coaching value.
 */
export type MetricUnit = "wpm" | "spm" | "per_minute" | "percent" | "ms" | "count";

/**
 * Crosses to the UI as `{code, params}`, like the engine's errors (the engine's `Model`
 * variant carries it as it is).
 */
export type ModelError = { "code": "io", "params": { action: string, path: string, detail: string, } } | { "code": "invalid_argument", "params": { name: string, detail: string, } } | { "code": "invalid_model", "params": { path: string, detail: string, } } | { "code": "unknown_model", "params": { name: string, } } | { "code": "model_exists", "params": { name: string, } } | { "code": "cancelled" } | { "code": "download", "params": { url: string, detail: string, } } | { "code": "download_stalled", "params": { url: string, stall_ms: number, attempts: number, downloaded: number, } } | { "code": "download_http", "params": { url: string, status: number, reason: string, } } | { "code": "checksum_mismatch", "params": { name: string, algorithm: string, expected: string, actual: string, } };

/**
 * Progress of a download or import, for the progress bar.
 */
export type ModelJobEvent = { "kind": "download" } & DownloadProgress | { "kind": "import" } & ImportProgress;

/**
 * Whisper model size class, from the encoder's shape.
 */
export type ModelSize = "tiny" | "base" | "small" | "medium" | "large";

/**
 * Where an installed model came from.
 */
export type ModelSource = { "type": "imported_ggml", path: string, } | { "type": "converted_ct2", path: string, quant: Quant | null, } | { "type": "download", url: string, };

export type ModelsOverview = { installed: Array<InstalledModel>, default: string | null, catalog: Array<CatalogEntry>, dir: string, };

/**
 * The format a device runs at natively; we record at this rate and resample in software.
 */
export type NativeFormat = { sample_rate: number, channels: number, sample_format: string, };

/**
 * A phrase used at least `phrase_min_count` times.
 */
export type OverusedPhrase = { 
/**
 * The phrase, normalised.
 */
text: string, 
/**
 * Words in the phrase (2-4).
 */
words: number, 
/**
 * Non-overlapping occurrences.
 */
count: number, 
/**
 * Index of the first word of each occurrence.
 */
word_indices: Array<number>, starts_ms: Array<number>, };

/**
 * Pace of one language part.
 */
export type PacePart = { lang: Lang, 
/**
 * The part's time window on the take's clock.
 */
from_ms: number, to_ms: number, 
/**
 * Words of the part's language in the window.
 */
words: number, 
/**
 * Syllables said in those words, digits and Latin terms as read in Korean (0 for
 * English parts).
 */
syllables: number, 
/**
 * Time those words take, long pauses excluded.
 */
speaking_ms: number, 
/**
 * Words (English) or syllables (Korean) per minute of speaking time.
 */
rate_per_minute: number | null, 
/**
 * The same count per minute of the whole window.
 */
overall_per_minute: number | null, 
/**
 * `wpm` or `spm`.
 */
unit: MetricUnit, judgement: Judgement, };

export type PaceReport = { parts: Array<PacePart>, };

/**
 * A gap between two words.
 */
export type Pause = { 
/**
 * Index of the word before the pause.
 */
after_word: number, start_ms: number, end_ms: number, duration_ms: number, 
/**
 * An inferred filler lies inside: a filled pause ("ummm") rather than silence.
 */
voiced: boolean, };

/**
 * Pauses in one answer.
 */
export type PauseReport = { threshold_ms: number, 
/**
 * Gaps between words of at least `threshold_ms`, in time order.
 */
pauses: Array<Pause>, 
/**
 * The longest gap between words, whatever its length.
 */
longest: Pause | null, 
/**
 * From the start of the take to the first word.
 */
time_to_first_word_ms: number | null, };

/**
 * A lexicon phrase found in the transcript (a hedge or a STAR cue).
 */
export type PhraseHit = { 
/**
 * Lexicon entry id.
 */
entry: string, 
/**
 * The words as transcribed.
 */
text: string, word_indices: Array<number>, lang: Lang, start_ms: number, end_ms: number, };

/**
 * One step of a session: a question, or one of its follow-ups.
 */
export type PlanItem = { question_id: string, 
/**
 * Index into the question's `follow_ups`; `None` for the question itself.
 */
follow_up: number | null, 
/**
 * Block label: `single`, `cs`, `scale`, `personal`, `behavioral-1`, `behavioral-2`.
 */
block: string, 
/**
 * Switch mode for this answer; pass it to [`schedule_switch`] with the question's
 * `english_switch`. Follow-ups and blocks without the switch are `Off`.
 */
english_switch: SwitchMode, };

/**
 * What to practise.
 */
export type PlanKind = { "kind": "single", question_id: string, } | { "kind": "round1", cs_track: Track, cs_questions: number, personal_questions: number, } | { "kind": "round2", behavioral_questions_per_block: number, };

export type PracticeCatalog = { tracks: Array<TrackInfo>, questions: Array<Question>, 
/**
 * Problems in the user's question files, one sentence each.
 */
issues: Array<string>, };

/**
 * Events of a running answer.
 */
export type PracticeEvent = { "kind": "progress", elapsed_ms: number, remaining_ms: number, peak_dbfs: number, } | { "kind": "warning", remaining_ms: number, } | { "kind": "english_switch", at_ms: number, } | { "kind": "delivery_gap", at_ms: number, length_ms: number, } | { "kind": "finished", take: Take, error: string | null, 
/**
 * Words of the transcript made while recording (`None`: no model installed, or
 * streaming failed — see `transcript_error`).
 */
transcript_words: number | null, transcript_error: string | null, };

/**
 * What the face detector saw while the take was recorded.
 */
export type PresenceReview = { summary: PresenceSummary, cards: Array<MetricCard>, };

/**
 * A take's (or a capture's) samples reduced to shares and medians.
 */
export type PresenceSummary = { samples: number, 
/**
 * Share (0..1) of samples with at least one face.
 */
face_visible_share: number, 
/**
 * Median over samples with a face of (face centre x - frame centre x) / frame width;
 * positive = face right of centre. `None` without any face.
 */
offset_x: number | null, 
/**
 * Same for y / height; positive = face *below* centre (image rows grow downward).
 */
offset_y: number | null, 
/**
 * Median face box height / frame height over samples with a face.
 */
face_height_share: number | null, 
/**
 * Median face_luma / surround_luma over samples with a face (below ~0.6 = backlit).
 */
backlight_ratio: number | null, 
/**
 * Share of samples with two or more faces.
 */
multiple_faces_share: number, 
/**
 * Share of samples, counted from the first sample with a face onward (that is also the
 * denominator), where no face was found while the last face seen was *not* touching
 * the frame edge: the person is there but turned away.
 */
looking_away_share: number, 
/**
 * Same, but the last face seen *was* at an edge: the person moved out of the frame.
 */
out_of_frame_share: number, };

/**
 * What the preview shows.
 */
export type PreviewInfo = { name: string, width: number, height: number, };

/**
 * Quantization the importer can apply when converting.
 */
export type Quant = "q8_0";

/**
 * One practice question.
 */
export type Question = { 
/**
 * Unique across the bank, `[a-z0-9]` words joined by `-`.
 */
id: string, track: Track, prompt: Localized, 
/**
 * Suggested preparation time, seconds.
 */
prep_s: number, 
/**
 * Suggested answer time (the auto-stop limit), seconds.
 */
answer_s: number, 
/**
 * Whether the surprise English switch may happen in this answer.
 */
english_switch: boolean, 
/**
 * Leadership Principle id (behavioral questions only).
 */
principle: string | null, 
/**
 * Follow-up questions, asked in order, each one level deeper.
 */
follow_ups: Array<Localized>, 
/**
 * File name the question was read from (e.g. `cs-os.toml`).
 */
source: string, };

/**
 * Where a value sits relative to its good range — a position, not a grade.
 */
export type RangeStatus = "below" | "within" | "above" | "not_measured";

/**
 * A word repeated immediately ("the the", "그 그").
 */
export type Repeat = { 
/**
 * The consecutive words (two or more).
 */
word_indices: Array<number>, 
/**
 * The repeated word, normalised.
 */
text: string, start_ms: number, };

export type RepeatReport = { immediate: Array<Repeat>, 
/**
 * Most used first.
 */
phrases: Array<OverusedPhrase>, };

export type Review = { take: Take, 
/**
 * `None` until the take is transcribed.
 */
transcript: Transcript | null, coaching: Coaching | null, 
/**
 * How the user looked on camera, for a take with video.
 */
presence: PresenceReview | null, 
/**
 * The coaching cards' histories, then the presence cards'.
 */
history: Array<MetricHistory>, };

/**
 * A stretch transcribed in one go (whisper's segment), for display and SRT.
 */
export type Segment = { text: string, start_ms: number, end_ms: number, lang: Lang, 
/**
 * Whisper's probability that the segment holds no speech.
 */
no_speech_prob: number, };

/**
 * One input as the sound server lists it.
 */
export type ServerSource = { name: string, description: string, muted: boolean, 
/**
 * Loudest channel volume in percent of nominal (100 = 0 dB).
 */
volume_pct: number | null, 
/**
 * Kernel card index backing this source, when it is a hardware device.
 */
alsa_card: number | null, };

export type Settings = { 
/**
 * UI and advice language.
 */
language: Lang, 
/**
 * Preferred input device id (`host:device`), if the user picked one.
 */
input_device: string | null, 
/**
 * Preferred output device id.
 */
output_device: string | null, 
/**
 * Preferred camera id.
 */
camera: string | null, };

/**
 * What [`analyze`] measured on a mono recording.
 */
export type SignalStats = { sample_count: number, sample_rate: number, duration_ms: number, 
/**
 * RMS of the whole recording (DC included), dBFS; a full-scale sine reads -3.0.
 */
rms_dbfs: number, 
/**
 * Largest absolute sample, dBFS.
 */
peak_dbfs: number, 
/**
 * Mean of the samples outside exact-zero runs (linear, -1..1).
 */
dc_offset: number, 
/**
 * All samples equal (zeros or a constant): a muted, blocked or denied device.
 */
digital_silence: boolean, 
/**
 * Share of samples with `|x| >= CLIP_LEVEL` (0..1).
 */
clipped_share: number, 
/**
 * Runs of at least [`CLIP_RUN_MIN`] clipped samples in a row.
 */
clip_runs: number, 
/**
 * Longest run of clipped samples, in samples.
 */
longest_clip_run: number, 
/**
 * 10th percentile of 20 ms window RMS (DC removed), dBFS: the room between words.
 */
noise_floor_dbfs: number, 
/**
 * 95th percentile of 20 ms window RMS (DC removed), dBFS: the loud parts of speech.
 */
speech_level_dbfs: number, 
/**
 * `speech_level_dbfs - noise_floor_dbfs`.
 */
snr_db: number, 
/**
 * Runs of exact zeros of at least [`DROPOUT_MIN_MS`] inside a live signal.
 */
dropouts: number, 
/**
 * Total length of those runs.
 */
dropout_ms: number, 
/**
 * Impulsive discontinuities (single-sample spikes, steps), merged within 2 ms.
 */
clicks: number, clicks_per_s: number, };

/**
 * The speech engine's CPU requirement and what this CPU lacks of it.
 */
export type SpeechCpu = { 
/**
 * The level whisper.cpp was built for (`x86-64-v3`, `x86-64-v2` or `native`).
 */
built_for: string, 
/**
 * Instruction set extensions it needs that this CPU does not have; empty: supported.
 */
missing: Array<string>, };

/**
 * The four parts of a STAR answer.
 */
export type StarElement = "situation" | "task" | "action" | "result";

/**
 * A cue found in the answer.
 */
export type StarEvidence = { 
/**
 * Lexicon entry id.
 */
cue: string, 
/**
 * The words as transcribed.
 */
text: string, word_indices: Array<number>, start_ms: number, };

export type StarPart = { part: StarElement, observed: boolean, 
/**
 * In time order.
 */
evidence: Array<StarEvidence>, };

export type StarReport = { 
/**
 * Situation, task, action, result, in that order.
 */
parts: Array<StarPart>, };

/**
 * What the UI asks for when an answer starts.
 */
export type StartAnswer = { question_id: string, follow_up: number | null, input: string | null, limit_s: number | null, switch: SwitchMode, seed: number, language: Lang, session_id: string | null, retake_of: string | null, 
/**
 * Record video from this camera (an id from `camera_choices`); audio only when `None`.
 * While the self-view shows this camera, the recording reads the same frames.
 */
camera: string | null, };

/**
 * Outcome of one check, ordered from best to worst so `max()` gives the overall result.
 */
export type Status = "pass" | "skipped" | "warn" | "fail";

/**
 * Why recording stopped.
 */
export type StopReason = "limit" | "manual" | "device_gone" | "disk_full" | "error" | "crash";

/**
 * How the surprise "continue in English" switch behaves for one answer.
 */
export type SwitchMode = { "mode": "off" } | { "mode": "random", probability: number, } | { "mode": "at", ms: number, };

export type SwitchReport = { switch_at_ms: number, 
/**
 * Words starting at or after the marker, by language (neutral tokens excluded).
 */
english_words_after: number, korean_words_after: number, 
/**
 * English / (English + Korean) after the marker; `None` when nothing was said.
 */
english_share: number | null, 
/**
 * Start of the first English word at or after the marker.
 */
first_english_at_ms: number | null, time_to_first_english_ms: number | null, 
/**
 * After the first English word, where a run of Korean words began.
 */
went_back_to_korean: boolean, back_to_korean_at_ms: number | null, };

export type SystemAudioView = { 
/**
 * `Some(os)` when this OS's own device list is not read (yet): nothing to compare.
 */
not_measured_on: string | null, 
/**
 * `None` when no sound server answered (or `pactl` is not installed).
 */
server_sources: Array<ServerSource> | null, kernel_capture_cards: Array<KernelCard>, 
/**
 * Windows: every capture endpoint with its state, and the defaults per role.
 */
endpoints: WindowsEndpoints | null, };

/**
 * One recorded answer and where its files are.
 */
export type Take = { id: TakeId, question_id: string, track: Track, prompt: Localized, follow_up: number | null, session_id: string | null, 
/**
 * Unix time in ms when recording started.
 */
started_at_ms: number, 
/**
 * Audio length; 0 until the take is finished or recovered.
 */
duration_ms: number, sample_rate: number, channels: number, input_device: string, status: TakeStatus, stop_reason: StopReason | null, 
/**
 * The first English-switch marker, if the switch happened.
 */
english_switch_ms: number | null, language: Lang, 
/**
 * `None` also when the original take was deleted.
 */
retake_of: TakeId | null, 
/**
 * In time order.
 */
markers: Array<Marker>, 
/**
 * The camera recorded with the take, by name; `None` for an audio-only take.
 */
camera: string | null, 
/**
 * `<data>/takes/<id>/video.mp4` when the take has video.
 */
video_path: string | null, 
/**
 * Where the video's first picture sits on the audio's clock, in ms.
 */
video_offset_ms: number | null, 
/**
 * `<data>/takes/<id>/`.
 */
dir: string, 
/**
 * `<data>/takes/<id>/audio.wav` (may be missing for a take that failed early).
 */
audio_path: string, };

/**
 * Which takes to list. The default lists all of them.
 */
export type TakeFilter = { question_id: string | null, track: Track | null, 
/**
 * At most this many, newest first.
 */
limit: number | null, };

/**
 * The id of one take: a ULID in its canonical upper-case form, so ids sort by creation
 * time and contain nothing but `[0-9A-Z]`. Deserializing one validates it like `parse`.
 */
export type TakeId = string;

/**
 * Where a take is in its life.
 */
export type TakeStatus = "recording" | "complete" | "recovered" | "interrupted";

/**
 * How often one filler occurred.
 */
export type Tally = { text: string, count: number, };

/**
 * Where a test tone was found in a capture.
 */
export type ToneMatch = { 
/**
 * When the tone started, ms from the start of the capture.
 */
onset_ms: number, 
/**
 * How long it lasted.
 */
duration_ms: number, 
/**
 * Peak amplitude of the tone in dBFS (a sine with peak 0.5 reads -6.0).
 */
level_dbfs: number, 
/**
 * Total harmonic distortion (harmonics 2..5 against the fundamental), percent.
 */
thd_pct: number, 
/**
 * Tone RMS against the capture's level outside the tone, dB.
 */
snr_db: number, };

/**
 * A practice track. Ids are the strings used in bank files, the CLI and the UI.
 */
export type Track = "cs-os" | "cs-network" | "cs-storage" | "cs-db" | "scale" | "behavioral" | "personal";

export type TrackInfo = { id: Track, name: Localized, count: number, };

/**
 * The transcript of one take or file.
 */
export type Transcript = { 
/**
 * Model name it came from (e.g. `base`).
 */
model: string, 
/**
 * Which pass made it.
 */
pass: TranscriptPass, 
/**
 * Length of the audio transcribed.
 */
duration_ms: number, 
/**
 * The English-switch moment the languages were split at, if any.
 */
switch_at_ms: number | null, segments: Array<Segment>, words: Array<Word>, };

/**
 * How a transcript was made: the quick one is ready when recording stops, the full one
 * (the accurate one) replaces it a few seconds later.
 */
export type TranscriptPass = "quick" | "full";

/**
 * Unit of a measured value; the UI formats numbers with it.
 */
export type Unit = "dbfs" | "db" | "percent" | "ms" | "hz" | "fps" | "pixels" | "count" | "ratio";

/**
 * The weight type of a whole model file (`ftype`): what its big matrices are stored as.
 */
export type WeightType = "f32" | "f16" | "bf16" | "q4_0" | "q4_1" | "q5_0" | "q5_1" | "q8_0" | "q2_k" | "q3_k" | "q4_k" | "q5_k" | "q6_k";

/**
 * Windows's own view of its microphones: every capture endpoint with its state, and the
 * default microphone for each role.
 */
export type WindowsEndpoints = { capture: Array<Endpoint>, 
/**
 * The default for "console" (most apps, and what cpal opens as the default).
 */
console_default: string | null, 
/**
 * The default for "communications" (what meeting apps open).
 */
communications_default: string | null, };

/**
 * One recognised word (or word piece joined into a word), on the take's clock.
 */
export type Word = { 
/**
 * As recognised, without surrounding spaces; may carry punctuation ("Hello,").
 */
text: string, start_ms: number, end_ms: number, 
/**
 * Mean token probability, 0..1.
 */
prob: number, 
/**
 * The language the stretch was transcribed in (forced, not guessed).
 */
lang: Lang, };

/** Every command: its argument object and its result. */
export interface Commands {
  device_summary: { args: Record<string, never>; ret: InventorySummary };
  device_inventory: { args: Record<string, never>; ret: DeviceInventory };
  about: { args: Record<string, never>; ret: About };
  get_settings: { args: Record<string, never>; ret: Settings };
  set_language: { args: { language: Lang }; ret: Settings };
  audio_choices: { args: Record<string, never>; ret: AudioChoices };
  choose_audio_devices: { args: { input: string | null; output: string | null }; ret: Settings };
  run_audio_check: { args: { input: string | null; output: string | null; speaker: boolean; onProgress: Channel<AudioProgress> }; ret: AudioReport };
  start_level_meter: { args: { input: string | null; onLevel: Channel<MeterEvent> }; ret: null };
  stop_level_meter: { args: Record<string, never>; ret: null };
  record_clip: { args: { input: string | null; seconds: number; onLevel: Channel<MeterEvent> }; ret: ClipInfo };
  play_clip: { args: { output: string | null }; ret: null };
  play_test_tone: { args: { output: string | null }; ret: null };
  camera_choices: { args: Record<string, never>; ret: CameraChoices };
  start_camera_preview: { args: { camera: string | null }; ret: PreviewInfo };
  stop_camera_preview: { args: Record<string, never>; ret: null };
  run_camera_check: { args: { camera: string | null }; ret: CameraReport };
  practice_catalog: { args: Record<string, never>; ret: PracticeCatalog };
  practice_plan: { args: { kind: PlanKind; seed: number }; ret: Array<PlanItem> };
  start_answer: { args: { request: StartAnswer; onEvent: Channel<PracticeEvent> }; ret: Take };
  stop_answer: { args: Record<string, never>; ret: Take };
  list_takes: { args: { filter: TakeFilter }; ret: Array<Take> };
  delete_take: { args: { id: string }; ret: boolean };
  models_overview: { args: Record<string, never>; ret: ModelsOverview };
  download_model: { args: { name: string; onProgress: Channel<ModelJobEvent> }; ret: InstalledModel };
  import_model: { args: { path: string; name: string | null; quantize: boolean; onProgress: Channel<ModelJobEvent> }; ret: InstalledModel };
  cancel_model_job: { args: Record<string, never>; ret: null };
  remove_model: { args: { name: string }; ret: InstalledModel };
  set_default_model: { args: { name: string }; ret: null };
  review_take: { args: { id: string }; ret: Review };
  export_take: { args: { id: string; format: ExportKind; lang: Lang }; ret: string };
  export_take_folder: { args: { id: string; lang: Lang }; ret: string };
  transcribe_take: { args: { id: string; model: string | null; onProgress: Channel<number> }; ret: Review };
  cancel_transcription: { args: Record<string, never>; ret: null };
}

export type CommandName = keyof Commands;

import { useContext, useEffect, useRef, useState } from "preact/hooks";
import type { AppError, FillerHit, MetricCard, Review as ReviewT, Take } from "../bindings";
import { HistoryChart } from "../components/HistoryChart";
import { LangContext, useT } from "../i18n";
import { call, channel, IpcError } from "../ipc";

const toError = (e: unknown): AppError =>
  e instanceof IpcError ? e.error : { code: "internal", params: { detail: String(e) } };

/** Where the shell serves a take's recording (custom protocol; Windows maps it to http). */
export function takeFileUrl(id: string, file: "audio.wav" | "video.mp4"): string {
  const windows = typeof navigator !== "undefined" && /Windows/.test(navigator.userAgent);
  return `${windows ? "http://take.localhost" : "take://localhost"}/${id}/${file}`;
}

export const takeAudioUrl = (id: string): string => takeFileUrl(id, "audio.wav");

/** How far the video may drift from the audio (the clock) before it is put back. */
const VIDEO_DRIFT_S = 0.15;

/** The video position that shows the moment the audio is at (`offsetMs`: when the video's first picture was taken). */
export function videoTimeFor(audioS: number, offsetMs: number | null): number {
  return Math.max(0, audioS - (offsetMs ?? 0) / 1000);
}

/** Fetches a take's file into a blob URL (WebKitGTK's player cannot read custom schemes). */
function useBlobUrl(url: string | null): string | null {
  const [blob, setBlob] = useState<string | null>(null);
  useEffect(() => {
    if (!url) return;
    let made: string | null = null;
    let alive = true;
    fetch(url)
      .then((r) => (r.ok ? r.blob() : Promise.reject(new Error(`HTTP ${r.status}`))))
      .then((b) => {
        if (!alive) return;
        made = URL.createObjectURL(b);
        setBlob(made);
      })
      .catch(() => setBlob(null));
    return () => {
      alive = false;
      if (made) URL.revokeObjectURL(made);
      setBlob(null);
    };
  }, [url]);
  return blob;
}

export function formatCard(c: MetricCard): string {
  if (c.value === null) return "—";
  switch (c.unit) {
    case "wpm":
      return `${c.value.toFixed(0)} wpm`;
    case "spm":
      return `${c.value.toFixed(0)} syl/min`;
    case "per_minute":
      return `${c.value.toFixed(1)}/min`;
    case "percent":
      return `${c.value.toFixed(0)} %`;
    case "ms":
      return `${(c.value / 1000).toFixed(1)} s`;
    case "count":
      return c.value.toFixed(0);
  }
}

function rangeText(c: MetricCard): string {
  const { min, max } = c.judgement.range;
  const f = (v: number) => (c.unit === "ms" ? `${(v / 1000).toFixed(1)} s` : v.toFixed(0));
  if (min !== null && max !== null) return `${f(min)}–${f(max)}`;
  if (min !== null) return `≥ ${f(min)}`;
  if (max !== null) return `≤ ${f(max)}`;
  return "";
}

/** A transcript word with its highlights. */
type Token =
  | { kind: "word"; i: number; text: string; start: number; filler: FillerHit | null }
  | { kind: "pause"; ms: number; at: number }
  | { kind: "inferred"; at: number }
  | { kind: "switch"; at: number }
  | { kind: "gap"; ms: number; at: number };

export function transcriptTokens(r: ReviewT): Token[] {
  const t = r.transcript;
  const c = r.coaching;
  if (!t) return [];
  const fillerAt = new Map<number, FillerHit>();
  c?.fillers.hits.forEach((h) => h.word_indices.forEach((i) => fillerAt.set(i, h)));
  const pauseAfter = new Map<number, number>();
  c?.pauses.pauses.forEach((p) => pauseAfter.set(p.after_word, p.duration_ms));
  const inferred = c?.fillers.inferred ?? [];
  const switchAt = r.take.english_switch_ms ?? t.switch_at_ms;
  // Where the microphone stalled and audio is missing (not a pause the speaker made).
  const gaps = (r.take.markers ?? [])
    .filter((m) => m.kind === "delivery_gap")
    .map((m) => ({ at: m.at_ms, ms: m.length_ms ?? 0 }));
  // Marks between words (hesitations, the switch, stalls), in time order.
  const marks: Extract<Token, { at: number }>[] = [
    ...inferred.map((h) => ({ kind: "inferred" as const, at: h.start_ms })),
    ...(switchAt === null ? [] : [{ kind: "switch" as const, at: switchAt }]),
    ...gaps.map((g) => ({ kind: "gap" as const, ...g })),
  ].sort((a, b) => a.at - b.at);
  const out: Token[] = [];
  let next = 0;
  t.words.forEach((w, i) => {
    while (next < marks.length && marks[next].at <= w.start_ms) out.push(marks[next++]);
    out.push({ kind: "word", i, text: w.text, start: w.start_ms, filler: fillerAt.get(i) ?? null });
    const pause = pauseAfter.get(i);
    if (pause !== undefined) out.push({ kind: "pause", ms: pause, at: w.end_ms });
  });
  out.push(...marks.slice(next));
  return out;
}

/** Replay a take with its transcript, coaching cards and history; compare two takes. */
/** One metric: value, the good range and why, what was observed; a click charts its history. */
function Card({ card: c, other, active, onPick }: { card: MetricCard; other?: MetricCard; active: boolean; onPick: () => void }) {
  const t = useT();
  const lang = useContext(LangContext);
  return (
    <button type="button" class={`metric ${c.judgement.status} ${active ? "active" : ""}`} data-card={c.id} onClick={onPick}>
      <span class="title">{c.title[lang]}</span>
      <span class="value">{formatCard(c)}</span>
      {other && <span class="compare">{t("review.vs", { v: formatCard(other) })}</span>}
      <span class="range">{t("review.range", { r: rangeText(c) })}</span>
      <span class="why">{c.judgement.why[lang]}</span>
      {c.feedback.map((f, i) => (
        <span class="feedback" key={i}>
          {f[lang]}
        </span>
      ))}
    </button>
  );
}

export function Review({ onError }: { onError: (e: AppError) => void }) {
  const t = useT();
  const lang = useContext(LangContext);
  const [takes, setTakes] = useState<Take[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [review, setReview] = useState<ReviewT | null>(null);
  const [compare, setCompare] = useState<ReviewT | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const [chart, setChart] = useState<string>("fillers");
  const audio = useRef<HTMLAudioElement>(null);
  const video = useRef<HTMLVideoElement>(null);
  const audioUrl = useBlobUrl(review ? takeAudioUrl(review.take.id) : null);
  const videoUrl = useBlobUrl(review?.take.video_path ? takeFileUrl(review.take.id, "video.mp4") : null);
  const videoOffset = review?.take.video_offset_ms ?? null;

  // The audio is the clock (it was recorded by sample count); the muted video follows it.
  const followAudio = () => {
    const a = audio.current;
    const v = video.current;
    if (!a || !v) return;
    const want = videoTimeFor(a.currentTime, videoOffset);
    if (Math.abs(v.currentTime - want) > VIDEO_DRIFT_S) v.currentTime = want;
    if (a.paused !== v.paused) (a.paused ? Promise.resolve(v.pause()) : v.play()).catch(() => {});
  };

  useEffect(() => {
    call("list_takes", { filter: { question_id: null, track: null, limit: 100 } }).then((ts) => {
      setTakes(ts);
      if (ts.length) open(ts[0].id);
    }, (e) => onError(toError(e)));
  }, []);

  const open = (id: string) => {
    setSelected(id);
    setCompare(null);
    setExported(null);
    call("review_take", { id }).then(setReview, (e) => onError(toError(e)));
  };

  const transcribe = async (id = selected) => {
    if (!id) return;
    setProgress(0);
    try {
      const done = await call("transcribe_take", { id, model: null, onProgress: channel<number>(setProgress) });
      // The user may have opened another take meanwhile.
      setReview((now) => (now?.take.id === id ? done : now));
    } catch (e) {
      const err = toError(e);
      if (err.code !== "cancelled") onError(err);
    } finally {
      setProgress(null);
    }
  };

  // The transcript made while recording is quick; the full pass replaces it right away.
  useEffect(() => {
    if (review?.transcript?.pass === "quick" && progress === null) transcribe(review.take.id);
  }, [review?.take.id, review?.transcript?.pass]);

  const playFrom = (ms: number) => {
    const a = audio.current;
    if (!a) return;
    a.currentTime = ms / 1000;
    if (video.current) video.current.currentTime = videoTimeFor(ms / 1000, videoOffset);
    a.play().catch(() => {});
  };

  const doExport = (format: "md" | "json" | "srt") =>
    selected && call("export_take", { id: selected, format, lang }).then(setExported, (e) => onError(toError(e)));

  const sameQuestion = takes.filter((x) => review && x.question_id === review.take.question_id && x.id !== review.take.id);
  const history = review?.history.find((h) => h.id === chart) ?? review?.history[0];

  return (
    <section class="screen wide" data-testid="screen-review">
      <h2>{t("review.title")}</h2>
      {takes.length === 0 && <p class="empty">{t("review.empty")}</p>}
      {takes.length > 0 && (
        <div class="review">
          <aside class="panel take-list">
            <ul data-testid="review-takes">
              {takes.map((tk) => (
                <li key={tk.id} class={tk.id === selected ? "active" : ""}>
                  <button type="button" onClick={() => open(tk.id)} data-take={tk.id}>
                    <span class="prompt-cell">{tk.prompt[lang]}</span>
                    <small>
                      {new Date(tk.started_at_ms).toLocaleString(lang === "ko" ? "ko-KR" : "en-US")} · {(tk.duration_ms / 1000).toFixed(0)} s
                    </small>
                  </button>
                </li>
              ))}
            </ul>
          </aside>
          {review && (
            <div class="stage" data-testid="review-detail" data-take={review.take.id}>
              <div class="card question">
                <p class="prompt-main">{review.take.prompt[lang]}</p>
                {review.take.video_path && (
                  <video
                    ref={video}
                    class="take-video"
                    muted
                    playsInline
                    preload="auto"
                    src={videoUrl ?? undefined}
                    data-testid="video-player"
                    data-ready={videoUrl ? "true" : "false"}
                    aria-label={t("review.video")}
                  />
                )}
                <audio
                  ref={audio}
                  controls
                  preload="auto"
                  src={audioUrl ?? undefined}
                  data-testid="player"
                  data-ready={audioUrl ? "true" : "false"}
                  onPlay={followAudio}
                  onPause={followAudio}
                  onSeeked={followAudio}
                  onTimeUpdate={followAudio}
                />
              </div>
              {!review.transcript && (
                <div class="actions">
                  <button type="button" class="primary" data-testid="transcribe" disabled={progress !== null} onClick={() => transcribe()}>
                    {t("review.transcribe")}
                  </button>
                  {progress !== null && (
                    <>
                      <progress max={1} value={progress} data-testid="transcribe-progress" />
                      <button type="button" onClick={() => call("cancel_transcription").catch(() => {})}>{t("models.cancel")}</button>
                    </>
                  )}
                </div>
              )}
              {review.transcript && (
                <>
                  <p class="pass-note" data-testid="transcript-pass" data-pass={review.transcript.pass}>
                    {review.transcript.pass === "quick" ? t("review.pass.quick") : t("review.pass.full")}{" "}
                    {review.transcript.pass === "quick" && progress !== null && (
                      <>
                        {t("review.pass.refining")} <progress max={1} value={progress} data-testid="refine-progress" />
                      </>
                    )}
                    {review.transcript.pass === "quick" && progress === null && (
                      <button type="button" data-testid="refine" onClick={() => transcribe()}>
                        {t("review.pass.refine")}
                      </button>
                    )}
                  </p>
                  <div class="legend">
                    <span class="w filler">{t("review.legend.filler")}</span>
                    <span class="inferred">{t("review.legend.inferred")}</span>
                    <span class="pause">{t("review.legend.pause")}</span>
                  </div>
                  <p class="transcript" data-testid="transcript">
                    {transcriptTokens(review).map((tok, k) => {
                      if (tok.kind === "word")
                        return (
                          <span
                            key={k}
                            class={`w ${tok.filler ? "filler" : ""}`}
                            data-start={tok.start}
                            data-filler={tok.filler ? tok.filler.kind : undefined}
                            title={`${(tok.start / 1000).toFixed(1)} s`}
                            onClick={() => playFrom(tok.start)}
                          >
                            {tok.text}{" "}
                          </span>
                        );
                      if (tok.kind === "pause")
                        return (
                          <span key={k} class="pause" data-testid="pause-mark">
                            ⏸ {(tok.ms / 1000).toFixed(1)} s{" "}
                          </span>
                        );
                      if (tok.kind === "gap")
                        return (
                          <span key={k} class="gap-mark" data-testid="gap-mark" onClick={() => playFrom(tok.at)}>
                            {t("review.gapMark", { s: (tok.ms / 1000).toFixed(1) })}{" "}
                          </span>
                        );
                      if (tok.kind === "inferred")
                        return (
                          <span key={k} class="inferred" data-filler="inferred" onClick={() => playFrom(tok.at)}>
                            (um?){" "}
                          </span>
                        );
                      return (
                        <span key={k} class="switch-mark" data-testid="switch-mark" onClick={() => playFrom(tok.at)}>
                          {t("review.switchMark", { s: (tok.at / 1000).toFixed(1) })}
                        </span>
                      );
                    })}
                  </p>
                </>
              )}
              {review.presence && (
                <div class="panel" data-testid="presence">
                  <h3>{t("review.presence")}</h3>
                  <div class="cards" data-testid="presence-cards">
                    {review.presence.cards.map((c) => (
                      <Card key={c.id} card={c} other={compare?.presence?.cards.find((x) => x.id === c.id)} active={chart === c.id} onPick={() => setChart(c.id)} />
                    ))}
                  </div>
                </div>
              )}
              {review.coaching && (
                <>
                  <ul class="summary" data-testid="review-summary">
                    {review.coaching.summary.map((s, i) => (
                      <li key={i}>{s[lang]}</li>
                    ))}
                  </ul>
                  <div class="cards" data-testid="metric-cards">
                    {review.coaching.cards.map((c) => (
                      <Card key={c.id} card={c} other={compare?.coaching?.cards.find((x) => x.id === c.id)} active={chart === c.id} onPick={() => setChart(c.id)} />
                    ))}
                  </div>
                </>
              )}
              {history && (
                <div class="panel">
                  <h3>{t("review.history", { metric: history.title[lang] })}</h3>
                  <HistoryChart history={history} label={history.title[lang]} highlight={review.take.id} />
                </div>
              )}
              <div class="actions">
                {sameQuestion.length > 0 && (
                  <label class="inline">
                    <span>{t("review.compare")}</span>
                    <select
                      data-testid="compare-select"
                      onChange={(e) => {
                        const id = (e.target as HTMLSelectElement).value;
                        if (id) call("review_take", { id }).then(setCompare, (err) => onError(toError(err)));
                        else setCompare(null);
                      }}
                    >
                      <option value="">—</option>
                      {sameQuestion.map((x) => (
                        <option key={x.id} value={x.id}>
                          {new Date(x.started_at_ms).toLocaleString(lang === "ko" ? "ko-KR" : "en-US")}
                        </option>
                      ))}
                    </select>
                  </label>
                )}
                <button type="button" onClick={() => doExport("md")} data-testid="export-md">Markdown</button>
                <button type="button" onClick={() => doExport("json")}>JSON</button>
                <button type="button" onClick={() => doExport("srt")} disabled={!review.transcript}>SRT</button>
                <button
                  type="button"
                  data-testid="export-folder"
                  onClick={() => call("export_take_folder", { id: review.take.id, lang }).then(setExported, (e) => onError(toError(e)))}
                >
                  {t(review.take.video_path ? "review.exportFolderVideo" : "review.exportFolder")}
                </button>
              </div>
              {exported && <p class="note" data-testid="exported">{t("review.exported", { path: exported })}</p>}
            </div>
          )}
        </div>
      )}
    </section>
  );
}

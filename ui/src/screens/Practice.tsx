import { useContext, useEffect, useRef, useState } from "preact/hooks";
import type { AppError, Lang, PlanItem, PracticeCatalog, PracticeEvent, Question, SwitchMode, Take, Track } from "../bindings";
import { LangContext, useT } from "../i18n";
import { call, channel, IpcError } from "../ipc";
import { SelfView } from "../components/SelfView";

const toError = (e: unknown): AppError =>
  e instanceof IpcError ? e.error : { code: "internal", params: { detail: String(e) } };

type Phase = "idle" | "prep" | "answer" | "done";
type Mode = "single" | "round1" | "round2";
type SwitchChoice = "off" | "random" | "at";

/** A short two-tone chime for the English switch (no audio file to ship). */
function chime() {
  try {
    const ctx = new AudioContext();
    [880, 1320].forEach((f, i) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = f;
      gain.gain.setValueAtTime(0.0001, ctx.currentTime + i * 0.18);
      gain.gain.exponentialRampToValueAtTime(0.25, ctx.currentTime + i * 0.18 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + i * 0.18 + 0.3);
      osc.connect(gain).connect(ctx.destination);
      osc.start(ctx.currentTime + i * 0.18);
      osc.stop(ctx.currentTime + i * 0.18 + 0.32);
    });
  } catch {
    // No audio output in this webview: the banner still shows.
  }
}

const fmt = (ms: number) => {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
};

export function switchMode(choice: SwitchChoice, atSeconds: number): SwitchMode {
  if (choice === "off") return { mode: "off" };
  if (choice === "at") return { mode: "at", ms: Math.round(atSeconds * 1000) };
  return { mode: "random", probability: 0.5 };
}

/** Timed answers: pick a question or a round, prep, answer against the clock, retake. */
export function Practice({ onError }: { onError: (e: AppError) => void }) {
  const t = useT();
  const lang = useContext(LangContext);
  const [catalog, setCatalog] = useState<PracticeCatalog | null>(null);
  const [mode, setMode] = useState<Mode>("single");
  const [track, setTrack] = useState<Track>("personal");
  const [csTrack, setCsTrack] = useState<Track>("cs-os");
  const [roundSize, setRoundSize] = useState(3);
  const [plan, setPlan] = useState<PlanItem[]>([]);
  const [step, setStep] = useState(0);
  const [questionId, setQuestionId] = useState<string | null>(null);
  const [followUp, setFollowUp] = useState<number | null>(null);
  const [prep, setPrep] = useState<number | null>(null);
  const [limit, setLimit] = useState<number | null>(null);
  const [switchChoice, setSwitchChoice] = useState<SwitchChoice>("random");
  const [switchAt, setSwitchAt] = useState(30);
  // Video beside the audio: on by default when a camera is there, audio-only stays a choice.
  const [camera, setCamera] = useState<string | null>(null);
  const [video, setVideo] = useState(true);
  const [answerLang, setAnswerLang] = useState<Lang>("ko");
  const [phase, setPhase] = useState<Phase>("idle");
  const [prepLeft, setPrepLeft] = useState(0);
  const [remaining, setRemaining] = useState(0);
  const [level, setLevel] = useState(-60);
  const [switched, setSwitched] = useState<number | null>(null);
  const [stalled, setStalled] = useState<{ at_ms: number; length_ms: number } | null>(null);
  const [warned, setWarned] = useState(false);
  const [lastTake, setLastTake] = useState<Take | null>(null);
  const [transcriptWords, setTranscriptWords] = useState<number | null>(null);
  const [takes, setTakes] = useState<Take[]>([]);
  const prepTimer = useRef<number | undefined>(undefined);

  const question: Question | undefined = catalog?.questions.find((q) => q.id === questionId);
  const prompt = question ? (followUp === null ? question.prompt : question.follow_ups[followUp]) : null;
  const prepS = prep ?? question?.prep_s ?? 30;
  const limitS = limit ?? question?.answer_s ?? 120;

  const refreshTakes = () =>
    call("list_takes", { filter: { question_id: null, track: null, limit: 20 } }).then(setTakes, (e) => onError(toError(e)));

  const pickRandom = (c: PracticeCatalog, tr: Track, avoid?: string | null) => {
    const pool = c.questions.filter((q) => q.track === tr && q.id !== avoid);
    const q = pool[Math.floor(Math.random() * pool.length)];
    setQuestionId(q?.id ?? null);
    setFollowUp(null);
  };

  useEffect(() => {
    call("practice_catalog").then((c) => {
      setCatalog(c);
      pickRandom(c, "personal");
    }, (e) => onError(toError(e)));
    refreshTakes();
    // The camera chosen on the Check screen (or the first one); none: audio only.
    call("camera_choices").then(
      (c) => setCamera(c.cameras.length > 0 ? c.selected ?? c.cameras[0].id : null),
      () => setCamera(null),
    );
    return () => {
      window.clearInterval(prepTimer.current);
      call("stop_answer").catch(() => {});
    };
  }, []);

  const startPlan = async (m: Mode) => {
    setMode(m);
    if (m === "single") {
      setPlan([]);
      return;
    }
    const kind =
      m === "round1"
        ? ({ kind: "round1", cs_track: csTrack, cs_questions: roundSize, personal_questions: roundSize + 1 } as const)
        : ({ kind: "round2", behavioral_questions_per_block: roundSize } as const);
    try {
      const items = await call("practice_plan", { kind, seed: Date.now() });
      setPlan(items);
      setStep(0);
      goTo(items[0]);
    } catch (e) {
      onError(toError(e));
    }
  };

  const goTo = (item: PlanItem | undefined) => {
    if (!item) return;
    setQuestionId(item.question_id);
    setFollowUp(item.follow_up);
    setPhase("idle");
    setSwitched(null);
    setWarned(false);
  };

  const onEvent = (ev: PracticeEvent) => {
    if (ev.kind === "progress") {
      setRemaining(ev.remaining_ms);
      setLevel(ev.peak_dbfs);
    } else if (ev.kind === "warning") setWarned(true);
    else if (ev.kind === "english_switch") {
      setSwitched(ev.at_ms);
      chime();
    } else if (ev.kind === "delivery_gap") {
      setStalled({ at_ms: ev.at_ms, length_ms: ev.length_ms });
    } else if (ev.kind === "finished") {
      setLastTake(ev.take);
      setTranscriptWords(ev.transcript_words);
      setPhase("done");
      if (ev.error) onError({ code: "audio", params: { device: ev.take.input_device, detail: ev.error } });
      refreshTakes();
    }
  };

  const record = async (retakeOf: string | null) => {
    if (!question) return;
    setPhase("answer");
    setRemaining(limitS * 1000);
    setSwitched(null);
    setStalled(null);
    setWarned(false);
    const planItem = plan[step];
    const sw = mode === "single" ? switchMode(switchChoice, switchAt) : planItem?.english_switch ?? { mode: "off" };
    try {
      await call("start_answer", {
        request: {
          question_id: question.id,
          follow_up: followUp,
          input: null,
          limit_s: limitS,
          switch: switchChoice === "at" ? switchMode("at", switchAt) : sw,
          seed: Date.now(),
          language: answerLang,
          session_id: null,
          retake_of: retakeOf,
          camera: video ? camera : null,
        },
        onEvent: channel<PracticeEvent>(onEvent),
      });
    } catch (e) {
      setPhase("idle");
      onError(toError(e));
    }
  };

  const start = (retakeOf: string | null = null) => {
    if (!question || phase === "prep" || phase === "answer") return;
    setLastTake(null);
    if (prepS <= 0) {
      record(retakeOf);
      return;
    }
    setPhase("prep");
    setPrepLeft(prepS);
    const until = Date.now() + prepS * 1000;
    window.clearInterval(prepTimer.current);
    prepTimer.current = window.setInterval(() => {
      const left = Math.ceil((until - Date.now()) / 1000);
      setPrepLeft(left);
      if (left <= 0) {
        window.clearInterval(prepTimer.current);
        record(retakeOf);
      }
    }, 200);
  };

  const stop = () => {
    if (phase === "prep") {
      window.clearInterval(prepTimer.current);
      setPhase("idle");
      return;
    }
    if (phase !== "answer") return;
    call("stop_answer").catch((e) => onError(toError(e)));
  };

  const next = () => {
    if (mode !== "single" && step + 1 < plan.length) {
      setStep(step + 1);
      goTo(plan[step + 1]);
    } else if (catalog && question) {
      setPhase("idle");
      pickRandom(catalog, track, question.id);
    }
  };

  // Space starts/stops, R retakes, N goes on — except while typing in a field.
  const keyRef = useRef<(e: KeyboardEvent) => void>(() => {});
  keyRef.current = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement;
    if (["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName)) return;
    if (e.code === "Space") {
      e.preventDefault();
      if (phase === "answer" || phase === "prep") stop();
      else start();
    } else if (e.key === "r" || e.key === "R") {
      if (phase === "done" && lastTake) start(lastTake.id);
    } else if (e.key === "n" || e.key === "N") {
      if (phase === "idle" || phase === "done") next();
    }
  };
  useEffect(() => {
    const h = (e: KeyboardEvent) => keyRef.current(e);
    window.addEventListener("keydown", h);
    return () => window.removeEventListener("keydown", h);
  }, []);

  const other: Lang = lang === "ko" ? "en" : "ko";
  const busy = phase === "prep" || phase === "answer";
  const trackName = (id: Track) => catalog?.tracks.find((x) => x.id === id)?.name[lang] ?? id;

  return (
    <section class="screen wide" data-testid="screen-practice">
      <h2>{t("practice.title")}</h2>
      <div class="practice">
        <aside class="panel setup">
          <label>
            <span>{t("practice.mode")}</span>
            <select data-testid="mode-select" value={mode} disabled={busy} onChange={(e) => startPlan((e.target as HTMLSelectElement).value as Mode)}>
              <option value="single">{t("practice.mode.single")}</option>
              <option value="round1">{t("practice.mode.round1")}</option>
              <option value="round2">{t("practice.mode.round2")}</option>
            </select>
          </label>
          {mode === "single" && (
            <label>
              <span>{t("practice.track")}</span>
              <select
                data-testid="track-select"
                value={track}
                disabled={busy}
                onChange={(e) => {
                  const tr = (e.target as HTMLSelectElement).value as Track;
                  setTrack(tr);
                  if (catalog) pickRandom(catalog, tr);
                }}
              >
                {catalog?.tracks.map((tr) => (
                  <option key={tr.id} value={tr.id}>
                    {tr.name[lang]} ({tr.count})
                  </option>
                ))}
              </select>
            </label>
          )}
          {mode === "round1" && (
            <label>
              <span>{t("practice.csTrack")}</span>
              <select value={csTrack} disabled={busy} onChange={(e) => setCsTrack((e.target as HTMLSelectElement).value as Track)}>
                {(["cs-os", "cs-network", "cs-storage", "cs-db"] as Track[]).map((id) => (
                  <option key={id} value={id}>
                    {trackName(id)}
                  </option>
                ))}
              </select>
            </label>
          )}
          {mode !== "single" && (
            <label>
              <span>{t("practice.roundSize")}</span>
              <input
                data-testid="round-size"
                type="number"
                min={1}
                max={10}
                value={roundSize}
                disabled={busy}
                onInput={(e) => setRoundSize(Math.max(1, Math.min(10, Number((e.target as HTMLInputElement).value) || 1)))}
              />
              <button type="button" class="link" disabled={busy} onClick={() => startPlan(mode)}>
                {t("practice.newRound")}
              </button>
            </label>
          )}
          {mode === "single" && catalog && (
            <label>
              <span>{t("practice.question")}</span>
              <select
                data-testid="question-select"
                value={questionId ?? ""}
                disabled={busy}
                onChange={(e) => {
                  setQuestionId((e.target as HTMLSelectElement).value);
                  setFollowUp(null);
                  setPhase("idle");
                }}
              >
                {catalog.questions
                  .filter((q) => q.track === track)
                  .map((q) => (
                    <option key={q.id} value={q.id}>
                      {q.prompt[lang]}
                    </option>
                  ))}
              </select>
            </label>
          )}
          <div class="row2">
            <label>
              <span>{t("practice.prep")}</span>
              <input data-testid="prep-input" type="number" min={0} max={600} value={prepS} disabled={busy} onInput={(e) => setPrep(Number((e.target as HTMLInputElement).value))} />
            </label>
            <label>
              <span>{t("practice.limit")}</span>
              <input data-testid="limit-input" type="number" min={5} max={1800} value={limitS} disabled={busy} onInput={(e) => setLimit(Number((e.target as HTMLInputElement).value))} />
            </label>
          </div>
          {camera !== null && (
            <label class="inline">
              <input type="checkbox" data-testid="video-toggle" checked={video} disabled={busy} onChange={(e) => setVideo((e.target as HTMLInputElement).checked)} />
              <span>{t("practice.video")}</span>
            </label>
          )}
          <label>
            <span>{t("practice.answerLang")}</span>
            <select value={answerLang} disabled={busy} onChange={(e) => setAnswerLang((e.target as HTMLSelectElement).value as Lang)}>
              <option value="ko">한국어</option>
              <option value="en">English</option>
            </select>
          </label>
          <label>
            <span>{t("practice.switch")}</span>
            <select data-testid="switch-select" value={switchChoice} disabled={busy} onChange={(e) => setSwitchChoice((e.target as HTMLSelectElement).value as SwitchChoice)}>
              <option value="random">{t("practice.switch.random")}</option>
              <option value="off">{t("practice.switch.off")}</option>
              <option value="at">{t("practice.switch.at")}</option>
            </select>
          </label>
          {switchChoice === "at" && (
            <label>
              <span>{t("practice.switchAt")}</span>
              <input data-testid="switch-at-input" type="number" min={0} value={switchAt} disabled={busy} onInput={(e) => setSwitchAt(Number((e.target as HTMLInputElement).value))} />
            </label>
          )}
          {catalog && catalog.issues.length > 0 && (
            <details class="issues">
              <summary>{t("practice.bankIssues", { n: catalog.issues.length })}</summary>
              <ul>
                {catalog.issues.map((i) => (
                  <li key={i}>{i}</li>
                ))}
              </ul>
            </details>
          )}
        </aside>
        <div class="stage">
          {mode !== "single" && plan.length > 0 && (
            <p class="note" data-testid="plan-step">
              {t("practice.step", { n: step + 1, total: plan.length, block: plan[step]?.block ?? "" })}
            </p>
          )}
          <div class={`card question ${phase}`} data-testid="question-card">
            {prompt ? (
              <>
                {followUp !== null && <span class="tag">{t("practice.followUp", { n: followUp + 1 })}</span>}
                <p class="prompt-main" data-testid="question-text">{prompt[lang]}</p>
                <p class="prompt-other">{prompt[other]}</p>
              </>
            ) : (
              <p class="empty">{t("practice.empty")}</p>
            )}
          </div>
          {camera !== null && video && <SelfView camera={camera} onError={onError} />}
          {switched !== null && phase === "answer" && (
            <div class="switch-banner" role="alert" data-testid="switch-banner" data-at={switched}>
              <strong>Continue your answer in English</strong>
              <span>지금부터 영어로 이어서 답하세요</span>
            </div>
          )}
          {stalled !== null && (phase === "answer" || phase === "done") && (
            <p class="notice" role="status" data-testid="stall-notice">
              {t("practice.stalled", { s: (stalled.length_ms / 1000).toFixed(1), at: (stalled.at_ms / 1000).toFixed(1) })}
            </p>
          )}
          <div class={`timer ${warned ? "warn" : ""}`} data-testid="timer" data-phase={phase}>
            {phase === "prep" && (
              <>
                <span class="label">{t("practice.prepLeft")}</span>
                <span class="time">{fmt(prepLeft * 1000)}</span>
              </>
            )}
            {phase === "answer" && (
              <>
                <span class="label">{warned ? t("practice.wrapUp") : t("practice.recording")}</span>
                <span class="time" data-testid="remaining">{fmt(remaining)}</span>
                <div class="bar"><div style={{ width: `${Math.max(0, Math.min(100, ((level + 60) / 60) * 100))}%` }} /></div>
              </>
            )}
            {phase === "idle" && <span class="label">{t("practice.ready", { prep: prepS, limit: limitS })}</span>}
            {phase === "done" && lastTake && (
              <span class="label" data-testid="take-saved">
                {t("practice.saved", { s: (lastTake.duration_ms / 1000).toFixed(1) })}
                {lastTake.english_switch_ms !== null && ` · ${t("practice.englishFrom", { s: (lastTake.english_switch_ms / 1000).toFixed(1) })}`}
                {transcriptWords !== null && ` · ${t("practice.transcribed", { n: transcriptWords })}`}
              </span>
            )}
          </div>
          <div class="actions">
            {!busy && (
              <button type="button" class="primary" data-testid="start-answer" disabled={!question} onClick={() => start()}>
                {t("practice.start")} <kbd>Space</kbd>
              </button>
            )}
            {busy && (
              <button type="button" class="primary" data-testid="stop-answer" onClick={stop}>
                {t("practice.stop")} <kbd>Space</kbd>
              </button>
            )}
            {phase === "done" && lastTake && (
              <button type="button" data-testid="retake" onClick={() => start(lastTake.id)}>
                {t("practice.retake")} <kbd>R</kbd>
              </button>
            )}
            {phase === "done" && question && followUp === null && question.follow_ups.length > 0 && mode === "single" && (
              <button type="button" data-testid="follow-up" onClick={() => { setFollowUp(0); setPhase("idle"); }}>
                {t("practice.followUpNext")}
              </button>
            )}
            {phase === "done" && question && followUp !== null && followUp + 1 < question.follow_ups.length && mode === "single" && (
              <button type="button" onClick={() => { setFollowUp(followUp + 1); setPhase("idle"); }}>
                {t("practice.followUpNext")}
              </button>
            )}
            {!busy && (
              <button type="button" data-testid="next-question" onClick={next}>
                {mode === "single" ? t("practice.skip") : t("practice.next")} <kbd>N</kbd>
              </button>
            )}
          </div>
        </div>
      </div>
      <h3>{t("practice.takes")}</h3>
      {takes.length === 0 ? (
        <p class="note">{t("practice.noTakes")}</p>
      ) : (
        <table class="takes" data-testid="takes-list">
          <tbody>
            {takes.map((tk) => (
              <tr key={tk.id} data-take={tk.id} data-status={tk.status}>
                <td>{new Date(tk.started_at_ms).toLocaleString(lang === "ko" ? "ko-KR" : "en-US")}</td>
                <td class="prompt-cell">{tk.prompt[lang]}</td>
                <td>{(tk.duration_ms / 1000).toFixed(1)} s</td>
                <td>{t(`take.status.${tk.status}`)}</td>
                <td data-testid="take-switch">{tk.english_switch_ms !== null ? t("practice.englishFrom", { s: (tk.english_switch_ms / 1000).toFixed(1) }) : ""}</td>
                <td>
                  <button type="button" class="link" onClick={() => call("delete_take", { id: tk.id }).then(refreshTakes, (e) => onError(toError(e)))}>
                    {t("practice.delete")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

import { useEffect, useRef, useState } from "preact/hooks";
import type { AppError, AudioChoices, AudioProgress, AudioReport, ClipInfo, MeterEvent } from "../bindings";
import { CheckList } from "../components/CheckList";
import { LevelMeter } from "../components/LevelMeter";
import { useT } from "../i18n";
import { call, channel, IpcError } from "../ipc";

type Phase = "idle" | "quiet" | "speak" | "tone" | "analysing";
type ClipState = "idle" | "recording" | "playing" | "done";

const toError = (e: unknown): AppError =>
  e instanceof IpcError ? e.error : { code: "internal", params: { detail: String(e) } };

/** The audio half of the Check screen: pickers, live meter, the measured check, playback. */
export function AudioCheck({ onError }: { onError: (e: AppError) => void }) {
  const t = useT();
  const [choices, setChoices] = useState<AudioChoices | null>(null);
  const [input, setInput] = useState<string | null>(null);
  const [output, setOutput] = useState<string | null>(null);
  const [peak, setPeak] = useState<number | null>(null);
  const [phase, setPhase] = useState<Phase>("idle");
  const [report, setReport] = useState<AudioReport | null>(null);
  const [clip, setClip] = useState<ClipState>("idle");
  const [clipInfo, setClipInfo] = useState<ClipInfo | null>(null);
  const [heard, setHeard] = useState<"yes" | "no" | null>(null);
  const busy = phase !== "idle" || clip === "recording" || clip === "playing";
  const phaseTimer = useRef<number | undefined>(undefined);

  const onMeter = (m: MeterEvent) => {
    if (m.kind === "level") setPeak(m.peak_dbfs);
    else {
      setPeak(null);
      onError(m.error);
    }
  };

  const startMeter = (id: string | null) =>
    call("start_level_meter", { input: id, onLevel: channel<MeterEvent>(onMeter) }).catch((e) => onError(toError(e)));

  useEffect(() => {
    let alive = true;
    call("audio_choices").then((c) => {
      if (!alive) return;
      setChoices(c);
      setInput(c.selected_input);
      setOutput(c.selected_output);
      if (c.selected_input) startMeter(c.selected_input);
    }, (e) => onError(toError(e)));
    // The meter runs only while this screen is visible.
    const onVisibility = () => {
      if (document.hidden) call("stop_level_meter").catch(() => {});
      else if (alive) startMeter(inputRef.current);
    };
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      alive = false;
      document.removeEventListener("visibilitychange", onVisibility);
      window.clearTimeout(phaseTimer.current);
      call("stop_level_meter").catch(() => {});
    };
  }, []);
  const inputRef = useRef(input);
  inputRef.current = input;

  const choose = (nextInput: string | null, nextOutput: string | null) => {
    setInput(nextInput);
    setOutput(nextOutput);
    setReport(null);
    call("choose_audio_devices", { input: nextInput, output: nextOutput }).catch((e) => onError(toError(e)));
    if (nextInput !== input) startMeter(nextInput);
  };

  const run = async () => {
    setReport(null);
    setHeard(null);
    setPhase("quiet");
    await call("stop_level_meter").catch(() => {});
    const onProgress = channel<AudioProgress>((p) => {
      if (p.kind === "level") setPeak(p.peak_dbfs);
      else if (p.kind === "recording") {
        // Ask for silence first (noise floor), then a sentence (speech level).
        window.clearTimeout(phaseTimer.current);
        phaseTimer.current = window.setTimeout(() => setPhase("speak"), p.seconds * 400);
      } else if (p.kind === "tone_playing") setPhase((ph) => (ph === "quiet" ? "tone" : ph));
      else if (p.kind === "analysing") setPhase("analysing");
    });
    try {
      setReport(await call("run_audio_check", { input, output, speaker: output !== null, onProgress }));
    } catch (e) {
      onError(toError(e));
    } finally {
      window.clearTimeout(phaseTimer.current);
      setPhase("idle");
      startMeter(input);
    }
  };

  const recordAndPlay = async () => {
    setClip("recording");
    try {
      const info = await call("record_clip", { input, seconds: 5, onLevel: channel<MeterEvent>(onMeter) });
      setClipInfo(info);
      setClip("playing");
      await call("play_clip", { output });
      setClip("done");
    } catch (e) {
      setClip("idle");
      onError(toError(e));
    } finally {
      startMeter(input);
    }
  };

  const loopback = report?.checks.find((c) => c.id === "speaker.loopback");
  const prompt: Record<Phase, string> = {
    idle: "",
    quiet: t("check.audio.quiet"),
    tone: t("check.audio.tone"),
    speak: t("check.audio.speak"),
    analysing: t("check.audio.analysing"),
  };

  return (
    <section class="panel" data-testid="audio-check">
      <h3>{t("check.audio.title")}</h3>
      {choices && choices.inputs.length === 0 && <p class="empty">{t("check.audio.noInputs")}</p>}
      <div class="pickers">
        <label>
          <span>{t("check.audio.input")}</span>
          <select
            data-testid="input-select"
            value={input ?? ""}
            disabled={busy || !choices}
            onChange={(e) => choose((e.target as HTMLSelectElement).value || null, output)}
          >
            {choices?.inputs.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t("check.audio.output")}</span>
          <select
            data-testid="output-select"
            value={output ?? ""}
            disabled={busy || !choices}
            onChange={(e) => choose(input, (e.target as HTMLSelectElement).value || null)}
          >
            {choices?.outputs.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <LevelMeter peakDbfs={peak} label={t("check.audio.level")} />
      <div class="actions">
        <button type="button" class="primary" data-testid="run-audio-check" disabled={busy || !input} onClick={run}>
          {phase === "idle" ? t("check.audio.run") : t("check.audio.running")}
        </button>
        <button type="button" data-testid="record-playback" disabled={busy || !input} onClick={recordAndPlay}>
          {clip === "recording" ? t("check.clip.recording") : clip === "playing" ? t("check.clip.playing") : t("check.clip.record")}
        </button>
      </div>
      {phase !== "idle" && (
        <p class="prompt" data-testid="audio-prompt" data-phase={phase}>
          {prompt[phase]}
        </p>
      )}
      {clip === "done" && clipInfo && (
        <p class="note" data-testid="clip-done">
          {t("check.clip.done", { seconds: clipInfo.seconds.toFixed(1), peak: clipInfo.peak_dbfs.toFixed(0) })}
        </p>
      )}
      {report && (
        <>
          <p class={`overall ${report.overall}`} data-testid="audio-overall" data-status={report.overall}>
            {t(`check.overall.${report.overall}`)}
          </p>
          <CheckList checks={report.checks} testid="audio-results" />
          {loopback && loopback.status === "warn" && (
            <div class="fallback" data-testid="hear-fallback">
              <p>{t("check.audio.didYouHear")}</p>
              <button type="button" onClick={() => call("play_test_tone", { output }).catch((e) => onError(toError(e)))}>
                {t("check.audio.playAgain")}
              </button>
              <button type="button" onClick={() => setHeard("yes")}>{t("check.audio.heardYes")}</button>
              <button type="button" onClick={() => setHeard("no")}>{t("check.audio.heardNo")}</button>
              {heard && <p class="note">{t(heard === "yes" ? "check.audio.heardYesNote" : "check.audio.heardNoNote")}</p>}
            </div>
          )}
        </>
      )}
    </section>
  );
}

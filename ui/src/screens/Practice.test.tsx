import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import type { PracticeCatalog, Question, Take } from "../bindings";
import { setTransport } from "../ipc";
import { Practice, switchMode } from "./Practice";

const q: Question = {
  id: "personal-intro",
  track: "personal",
  prompt: { en: "Introduce yourself.", ko: "자기소개를 해 주세요." },
  prep_s: 0,
  answer_s: 60,
  english_switch: true,
  principle: null,
  follow_ups: [{ en: "Why this role?", ko: "왜 이 직무인가요?" }],
  source: "personal.toml",
};

const catalog: PracticeCatalog = {
  tracks: [{ id: "personal", name: { en: "Personal", ko: "인성" }, count: 1 }],
  questions: [q],
  issues: [],
};

const take = (over: Partial<Take> = {}): Take => ({
  id: "01J0000000000000000000000A",
  question_id: q.id,
  track: "personal",
  prompt: q.prompt,
  follow_up: null,
  session_id: null,
  started_at_ms: 1_700_000_000_000,
  duration_ms: 10_000,
  sample_rate: 48_000,
  channels: 1,
  input_device: "pulseaudio:vmic",
  status: "complete",
  stop_reason: "limit",
  english_switch_ms: 4_000,
  language: "ko",
  retake_of: null,
  markers: [],
  dir: "/tmp/x",
  audio_path: "/tmp/x/audio.wav",
  camera: null,
  video_path: null,
  video_offset_ms: null,
  ...over,
});

type Listener = { onmessage: (m: unknown) => void };

function script(cameras: { id: string; name: string; description: string }[] = []) {
  const calls: { cmd: string; args: Record<string, unknown> }[] = [];
  let events: Listener | null = null;
  setTransport(async (cmd, args) => {
    calls.push({ cmd, args });
    switch (cmd) {
      case "practice_catalog":
        return catalog;
      case "list_takes":
        return [];
      case "camera_choices":
        return { cameras, selected: cameras[0]?.id ?? null, error: null };
      case "start_camera_preview":
        return { name: cameras[0]?.name ?? "", kind: "synthetic", width: 1280, height: 720, fps: 30 };
      case "start_answer":
        events = args.onEvent as Listener;
        return take({ status: "recording", duration_ms: 0 });
      case "stop_answer":
        return take();
      default:
        return null;
    }
  });
  return { calls, emit: (m: unknown) => events?.onmessage(m) };
}

describe("Practice", () => {
  it("maps the switch choice to the engine's modes", () => {
    expect(switchMode("off", 3)).toEqual({ mode: "off" });
    expect(switchMode("at", 4.5)).toEqual({ mode: "at", ms: 4500 });
    expect(switchMode("random", 0)).toEqual({ mode: "random", probability: 0.5 });
  });

  it("starts on Space, shows the switch banner only when the engine says so, then the saved take", async () => {
    const { calls, emit } = script();
    vi.stubGlobal("AudioContext", undefined);
    render(<Practice onError={() => {}} />);
    await waitFor(() => expect(screen.getByTestId("question-text").textContent).toBe("Introduce yourself."));
    fireEvent.keyDown(window, { code: "Space", key: " " });
    await waitFor(() => expect(calls.some((c) => c.cmd === "start_answer")).toBe(true));
    const start = calls.find((c) => c.cmd === "start_answer")!.args.request as Record<string, unknown>;
    expect(start).toMatchObject({ question_id: "personal-intro", follow_up: null, limit_s: 60, language: "ko", camera: null });
    // No camera: no self-view, no video choice.
    expect(screen.queryByTestId("self-view")).toBeNull();
    expect(screen.queryByTestId("video-toggle")).toBeNull();
    expect(screen.queryByTestId("switch-banner")).toBeNull();
    emit({ kind: "progress", elapsed_ms: 3000, remaining_ms: 57000, peak_dbfs: -20 });
    await waitFor(() => expect(screen.getByTestId("remaining").textContent).toBe("0:57"));
    emit({ kind: "english_switch", at_ms: 4000 });
    await waitFor(() => expect(screen.getByTestId("switch-banner").dataset.at).toBe("4000"));
    emit({ kind: "warning", remaining_ms: 15000 });
    await waitFor(() => expect(screen.getByTestId("timer").className).toContain("warn"));
    emit({ kind: "finished", take: take(), error: null, transcript_words: 42, transcript_error: null });
    await waitFor(() => expect(screen.getByTestId("take-saved").textContent).toContain("English from 4.0 s"));
    expect(screen.getByTestId("take-saved").textContent).toContain("transcript ready (42 words)");
    // R retakes with a link to the first take.
    fireEvent.keyDown(window, { key: "r" });
    await waitFor(() => expect(calls.filter((c) => c.cmd === "start_answer").length).toBe(2));
    const retake = calls.filter((c) => c.cmd === "start_answer")[1].args.request as Record<string, unknown>;
    expect(retake.retake_of).toBe("01J0000000000000000000000A");
  });

  it("records video from the chosen camera with the self-view on, and audio only when unticked", async () => {
    const { calls } = script([{ id: "synthetic", name: "Synthetic camera", description: "" }]);
    vi.stubGlobal("AudioContext", undefined);
    render(<Practice onError={() => {}} />);
    await waitFor(() => expect(screen.getByTestId("self-view")).toBeTruthy());
    await waitFor(() => expect(calls.some((c) => c.cmd === "start_camera_preview" && c.args.camera === "synthetic")).toBe(true));
    fireEvent.keyDown(window, { code: "Space", key: " " });
    await waitFor(() => expect(calls.some((c) => c.cmd === "start_answer")).toBe(true));
    expect((calls.find((c) => c.cmd === "start_answer")!.args.request as Record<string, unknown>).camera).toBe("synthetic");
  });

  it("leaves the camera out when video is unticked", async () => {
    const { calls } = script([{ id: "synthetic", name: "Synthetic camera", description: "" }]);
    vi.stubGlobal("AudioContext", undefined);
    render(<Practice onError={() => {}} />);
    const toggle = (await waitFor(() => screen.getByTestId("video-toggle"))) as HTMLInputElement;
    fireEvent.click(toggle);
    await waitFor(() => expect(screen.queryByTestId("self-view")).toBeNull());
    fireEvent.keyDown(window, { code: "Space", key: " " });
    await waitFor(() => expect(calls.some((c) => c.cmd === "start_answer")).toBe(true));
    expect((calls.find((c) => c.cmd === "start_answer")!.args.request as Record<string, unknown>).camera).toBeNull();
  });
});

import { describe, expect, it, vi } from "vitest";
import { render, screen, waitFor } from "@testing-library/preact";
import type { Review as ReviewT, Take, Transcript, TranscriptPass } from "../bindings";
import { setTransport } from "../ipc";
import { Review } from "./Review";

const take: Take = {
  id: "01J0000000000000000000000A",
  question_id: "personal-intro",
  track: "personal",
  prompt: { en: "Introduce yourself.", ko: "자기소개를 해 주세요." },
  follow_up: null,
  session_id: null,
  started_at_ms: 1_700_000_000_000,
  duration_ms: 4_000,
  sample_rate: 48_000,
  channels: 1,
  input_device: "pulseaudio:vmic",
  status: "complete",
  stop_reason: "manual",
  english_switch_ms: null,
  language: "en",
  retake_of: null,
  markers: [],
  dir: "/tmp/x",
  audio_path: "/tmp/x/audio.wav",
  camera: null,
  video_path: null,
  video_offset_ms: null,
};

const transcript = (pass: TranscriptPass, words: string[]): Transcript => ({
  model: "base",
  pass,
  duration_ms: 4_000,
  switch_at_ms: null,
  segments: [],
  words: words.map((text, i) => ({ text, start_ms: i * 500, end_ms: i * 500 + 400, prob: 0.9, lang: "en" })),
});

const review = (t: Transcript): ReviewT => ({ take, transcript: t, coaching: null, presence: null, history: [] });

/** The shell: the take was transcribed while recording; a full pass gives other words. */
function shell(fullPass: () => Promise<ReviewT>) {
  const calls: string[] = [];
  setTransport(async (cmd, args) => {
    calls.push(cmd);
    switch (cmd) {
      case "list_takes":
        return [take];
      case "review_take":
        return review(transcript("quick", ["I", "lead", "teams"]));
      case "transcribe_take":
        (args.onProgress as { onmessage: (p: number) => void }).onmessage(0.5);
        return fullPass();
      default:
        return null;
    }
  });
  return calls;
}

describe("Review", () => {
  vi.stubGlobal("fetch", () => Promise.reject(new Error("no take files in tests")));

  it("replaces the quick transcript with the full pass and says which it shows", async () => {
    let finish: (r: ReviewT) => void = () => {};
    const calls = shell(() => new Promise((done) => (finish = done)));
    render(<Review onError={() => {}} />);
    const pass = await screen.findByTestId("transcript-pass");
    expect(pass.dataset.pass).toBe("quick");
    expect(screen.getByTestId("transcript").textContent).toContain("lead");
    // The full pass starts by itself, with its progress shown.
    await waitFor(() => expect(calls).toContain("transcribe_take"));
    expect(await screen.findByTestId("refine-progress")).toBeTruthy();
    finish(review(transcript("full", ["I", "led", "teams"])));
    await waitFor(() => expect(screen.getByTestId("transcript-pass").dataset.pass).toBe("full"));
    expect(screen.getByTestId("transcript").textContent).toContain("led");
    expect(screen.queryByTestId("refine-progress")).toBeNull();
    expect(calls.filter((c) => c === "transcribe_take")).toHaveLength(1);
  });

  it("keeps the quick transcript and offers the pass again when it was stopped", async () => {
    const errors: unknown[] = [];
    const calls = shell(() => Promise.reject({ code: "cancelled" }));
    render(<Review onError={(e) => errors.push(e)} />);
    await waitFor(() => expect(calls).toContain("transcribe_take"));
    // Once it stopped, the button offers it again (and is not pressed by itself).
    expect(await screen.findByTestId("refine")).toBeTruthy();
    expect(screen.getByTestId("transcript-pass").dataset.pass).toBe("quick");
    expect(calls.filter((c) => c === "transcribe_take")).toHaveLength(1);
    // Stopping it (a new answer started) is not an error to show.
    expect(errors).toEqual([]);
  });
});

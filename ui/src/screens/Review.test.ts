import { describe, expect, it } from "vitest";
import type { Review } from "../bindings";
import { takeFileUrl, transcriptTokens, videoTimeFor } from "./Review";

const word = (text: string, start_ms: number, end_ms: number, lang: "en" | "ko" = "en") => ({ text, start_ms, end_ms, prob: 0.9, lang });

function review(): Review {
  const words = [word("음,", 0, 300, "ko"), word("저는", 400, 800, "ko"), word("I", 5000, 5200), word("think", 5200, 5600)];
  return {
    take: { english_switch_ms: 4000, markers: [{ kind: "delivery_gap", at_ms: 4500, length_ms: 3000 }] } as unknown as Review["take"],
    transcript: { model: "base", pass: "full", duration_ms: 7000, switch_at_ms: 4000, segments: [], words },
    coaching: {
      fillers: {
        hits: [{ word_indices: [0], text: "음", entry: "eum", lang: "ko", start_ms: 0, end_ms: 300, confidence: 0.9, kind: "transcribed" }],
        inferred: [{ word_indices: [], text: "", entry: null, lang: "ko", start_ms: 1500, end_ms: 1900, confidence: 0.6, kind: "inferred" }],
      },
      pauses: { pauses: [{ after_word: 1, start_ms: 800, end_ms: 5000, duration_ms: 4200, voiced: true }] },
    } as unknown as Review["coaching"],
    presence: null,
    history: [],
  };
}

describe("transcriptTokens", () => {
  it("puts fillers, the inferred hesitation, the long pause and the switch marker in place", () => {
    const kinds = transcriptTokens(review()).map((t) => (t.kind === "word" ? `${t.text}${t.filler ? "*" : ""}` : t.kind));
    expect(kinds).toEqual(["음,*", "저는", "pause", "inferred", "switch", "gap", "I", "think"]);
  });
});

describe("video follows the audio", () => {
  it("maps the audio's time to the video's, the first picture taken offset ms in", () => {
    expect(videoTimeFor(10, 120)).toBeCloseTo(9.88);
    expect(videoTimeFor(10, null)).toBe(10);
    // Before the first picture the video shows its first frame, never a negative time.
    expect(videoTimeFor(0.05, 120)).toBe(0);
  });

  it("serves audio and video from the take's folder only", () => {
    expect(takeFileUrl("01JABC", "video.mp4")).toBe("take://localhost/01JABC/video.mp4");
    expect(takeFileUrl("01JABC", "audio.wav")).toBe("take://localhost/01JABC/audio.wav");
  });
});

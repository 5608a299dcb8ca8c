import { describe, expect, it } from "vitest";
import type { Review } from "../bindings";
import { transcriptTokens } from "./Review";

const word = (text: string, start_ms: number, end_ms: number, lang: "en" | "ko" = "en") => ({ text, start_ms, end_ms, prob: 0.9, lang });

function review(): Review {
  const words = [word("음,", 0, 300, "ko"), word("저는", 400, 800, "ko"), word("I", 5000, 5200), word("think", 5200, 5600)];
  return {
    take: { english_switch_ms: 4000, markers: [{ kind: "delivery_gap", at_ms: 4500, length_ms: 3000 }] } as unknown as Review["take"],
    transcript: { model: "base", duration_ms: 7000, switch_at_ms: 4000, segments: [], words },
    coaching: {
      fillers: {
        hits: [{ word_indices: [0], text: "음", entry: "eum", lang: "ko", start_ms: 0, end_ms: 300, confidence: 0.9, kind: "transcribed" }],
        inferred: [{ word_indices: [], text: "", entry: null, lang: "ko", start_ms: 1500, end_ms: 1900, confidence: 0.6, kind: "inferred" }],
      },
      pauses: { pauses: [{ after_word: 1, start_ms: 800, end_ms: 5000, duration_ms: 4200, voiced: true }] },
    } as unknown as Review["coaching"],
    history: [],
  };
}

describe("transcriptTokens", () => {
  it("puts fillers, the inferred hesitation, the long pause and the switch marker in place", () => {
    const kinds = transcriptTokens(review()).map((t) => (t.kind === "word" ? `${t.text}${t.filler ? "*" : ""}` : t.kind));
    expect(kinds).toEqual(["음,*", "저는", "pause", "inferred", "switch", "gap", "I", "think"]);
  });
});

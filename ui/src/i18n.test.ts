import { describe, expect, it } from "vitest";
import { en, ko } from "./i18n/messages";
import { translate } from "./i18n";
import { errorMessage } from "./i18n/errors";

const hangul = /[\uac00-\ud7a3]/;

describe("messages", () => {
  it("Korean has exactly the English keys, each translated", () => {
    expect(Object.keys(ko).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(ko)) {
      if (key === "app.title") continue; // the product name stays
      expect(text, key).toMatch(hangul);
    }
  });

  it("fills placeholders and leaves unknown ones visible", () => {
    expect(translate("en", "status.host", { host: "PulseAudio" })).toBe("Audio: PulseAudio");
    expect(translate("ko", "status.counts", { inputs: 2, outputs: 1, cameras: 0 })).toBe(
      "입력 2개 · 출력 1개 · 카메라 0대",
    );
    expect(translate("en", "status.host")).toBe("Audio: {host}");
  });
});

describe("errors", () => {
  it("renders a typed error in both languages with its parameters", () => {
    const err = { code: "device_busy", params: { device: "USB Mic" } } as const;
    expect(errorMessage(err, "en")).toContain("“USB Mic” is in use");
    expect(errorMessage(err, "ko")).toMatch(hangul);
    expect(errorMessage(err, "ko")).toContain("USB Mic");
  });
});

import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import type { AudioReport, Check as CheckT } from "../bindings";
import { setTransport } from "../ipc";
import { AudioCheck } from "./AudioCheck";

const check = (id: string, status: CheckT["status"], fix: string | null = null): CheckT => ({
  id,
  status,
  title: { en: `title ${id}`, ko: `제목 ${id}` },
  measured: { value: -41.24, unit: "dbfs" },
  threshold: "peak -30..-1 dBFS",
  summary: { en: `summary ${id}`, ko: `요약 ${id}` },
  fix: fix ? { en: fix, ko: `${fix} (ko)` } : null,
});

const report: AudioReport = {
  host: "pulseaudio",
  input: null,
  output: null,
  checks: [check("mic.level", "warn", "Move closer"), check("speaker.loopback", "warn", "Turn it up")],
  overall: "warn",
  stats: null,
  delivery: null,
  tone: null,
  dropped_samples: 0,
  elapsed_ms: 4000,
};

function script() {
  const calls: { cmd: string; args: Record<string, unknown> }[] = [];
  setTransport(async (cmd, args) => {
    calls.push({ cmd, args });
    switch (cmd) {
      case "audio_choices":
        return {
          host: "PulseAudio",
          inputs: [
            { id: "pulseaudio:vmic", name: "VirtualMic", direction: "input", is_default: true, is_monitor: false, native: null, format_error: null },
            { id: "pulseaudio:sinemic", name: "SineMic", direction: "input", is_default: false, is_monitor: false, native: null, format_error: null },
          ],
          outputs: [{ id: "pulseaudio:vspk", name: "VirtualSpeaker", direction: "output", is_default: true, is_monitor: false, native: null, format_error: null }],
          selected_input: "pulseaudio:sinemic",
          selected_output: "pulseaudio:vspk",
        };
      case "start_level_meter":
        (args.onLevel as { onmessage: (m: unknown) => void }).onmessage({ kind: "level", peak_dbfs: -18 });
        return null;
      case "run_audio_check": {
        const ch = args.onProgress as { onmessage: (m: unknown) => void };
        ch.onmessage({ kind: "recording", seconds: 4 });
        ch.onmessage({ kind: "level", peak_dbfs: -7 });
        return report;
      }
      default:
        return null;
    }
  });
  return calls;
}

describe("AudioCheck", () => {
  it("preselects the saved device and starts the meter on it", async () => {
    const calls = script();
    render(<AudioCheck onError={() => {}} />);
    await waitFor(() => expect((screen.getByTestId("input-select") as HTMLSelectElement).value).toBe("pulseaudio:sinemic"));
    await waitFor(() => expect(screen.getByTestId("level-meter").dataset.level).toBe("-18.0"));
    expect(calls.find((c) => c.cmd === "start_level_meter")?.args.input).toBe("pulseaudio:sinemic");
  });

  it("runs the check and shows each verdict with value, threshold and fix", async () => {
    const calls = script();
    render(<AudioCheck onError={() => {}} />);
    await waitFor(() => expect((screen.getByTestId("run-audio-check") as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByTestId("run-audio-check"));
    const results = await screen.findByTestId("audio-results");
    const level = results.querySelector('[data-check="mic.level"]') as HTMLElement;
    expect(level.dataset.status).toBe("warn");
    expect(level.textContent).toContain("-41.2 dBFS");
    expect(level.textContent).toContain("peak -30..-1 dBFS");
    expect(level.textContent).toContain("Move closer");
    expect(screen.getByTestId("audio-overall").dataset.status).toBe("warn");
    // The speaker was not heard: the manual fallback appears.
    expect(screen.getByTestId("hear-fallback")).toBeTruthy();
    const run = calls.find((c) => c.cmd === "run_audio_check")!;
    expect(run.args).toMatchObject({ input: "pulseaudio:sinemic", output: "pulseaudio:vspk", speaker: true });
  });

  it("remembers a newly picked input", async () => {
    const calls = script();
    render(<AudioCheck onError={() => {}} />);
    await waitFor(() => expect((screen.getByTestId("input-select") as HTMLSelectElement).value).toBe("pulseaudio:sinemic"));
    fireEvent.change(screen.getByTestId("input-select"), { target: { value: "pulseaudio:vmic" } });
    expect(calls).toContainEqual({ cmd: "choose_audio_devices", args: { input: "pulseaudio:vmic", output: "pulseaudio:vspk" } });
  });
});

import { describe, expect, it, beforeEach } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { App } from "./App";
import { setTransport, call, IpcError } from "./ipc";

type Calls = { cmd: string; args: Record<string, unknown> }[];

function script(answers: Record<string, (args: Record<string, unknown>) => unknown>): Calls {
  const calls: Calls = [];
  setTransport(async (cmd, args) => {
    calls.push({ cmd, args });
    const answer = answers[cmd];
    if (!answer) throw { code: "internal", params: { detail: `unscripted ${cmd}` } };
    return answer(args);
  });
  return calls;
}

const summary = {
  audio_host: "PulseAudio",
  inputs: 2,
  outputs: 1,
  cameras: 0,
  input_names: ["VirtualMic", "SineMic"],
  output_names: ["VirtualSpeaker"],
};

describe("App", () => {
  let calls: Calls;
  beforeEach(() => {
    calls = script({
      get_settings: () => ({ language: "en", input_device: null, output_device: null, camera: null }),
      set_language: (a) => ({ language: a.language, input_device: null, output_device: null, camera: null }),
      device_summary: () => summary,
      audio_choices: () => ({ host: null, inputs: [], outputs: [], selected_input: null, selected_output: null }),
      stop_level_meter: () => null,
    });
  });

  it("shows the status line from the engine's inventory", async () => {
    render(<App />);
    const status = await screen.findByTestId("status-line");
    await waitFor(() => expect(status.textContent).toContain("Audio: PulseAudio"));
    expect(status.textContent).toContain("2 inputs · 1 outputs · 0 cameras");
    expect(status.textContent).toContain("VirtualMic, SineMic");
  });

  it("navigates between screens", async () => {
    render(<App />);
    expect(screen.getByTestId("screen-check")).toBeTruthy();
    fireEvent.click(screen.getByTestId("nav-models"));
    expect(screen.getByTestId("screen-models").textContent).toContain("Whisper");
    expect(screen.queryByTestId("screen-check")).toBeNull();
  });

  it("switches to Korean and saves the choice", async () => {
    render(<App />);
    fireEvent.change(screen.getByTestId("lang-select"), { target: { value: "ko" } });
    await waitFor(() => expect(screen.getByTestId("nav-practice").textContent).toBe("연습"));
    expect(calls).toContainEqual({ cmd: "set_language", args: { language: "ko" } });
  });

  it("shows a typed error localized", async () => {
    script({
      get_settings: () => ({ language: "en", input_device: null, output_device: null, camera: null }),
      device_summary: () => {
        throw { code: "no_audio_server", params: { detail: "connection refused" } };
      },
      audio_choices: () => ({ host: null, inputs: [], outputs: [], selected_input: null, selected_output: null }),
      stop_level_meter: () => null,
    });
    render(<App />);
    const banner = await screen.findByTestId("error-banner");
    expect(banner.dataset.code).toBe("no_audio_server");
    expect(banner.textContent).toContain("No audio server is running");
  });
});

describe("call", () => {
  it("wraps foreign rejections as internal errors", async () => {
    setTransport(async () => {
      throw "Command device_summary not allowed by ACL";
    });
    const err = await call("device_summary").catch((e) => e);
    expect(err).toBeInstanceOf(IpcError);
    expect((err as IpcError).error).toEqual({
      code: "internal",
      params: { detail: "Command device_summary not allowed by ACL" },
    });
  });
});

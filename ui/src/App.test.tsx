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

const about = {
  version: "0.1.0",
  os: "windows",
  arch: "x86_64",
  data_dir: "C:\\Users\\me\\AppData\\Roaming\\dev.greenroom.app",
  default_model: null,
  models_installed: 0,
  speech_cpu: { built_for: "x86-64-v3", missing: [] },
  licences: [{ component: "Whisper models (OpenAI)", licence: "MIT", url: "https://github.com/openai/whisper" }],
};

const base = { name: "base", label: "Base", size: 147951465, multilingual: true, sha256: null, sha1: "x", url: "https://example/ggml-base.bin", quant: null };
const installed = { name: "base", label: "Base", size: 147951465, multilingual: true, source: { type: "download", url: base.url }, quant: null };
const overview = (models: unknown[]) => () => ({
  installed: models,
  default: models.length ? "base" : null,
  catalog: [{ model: base, installed: models.length > 0, partial: null }],
  dir: "/models",
});

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
      about: () => about,
      models_overview: overview([installed]),
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
    expect(await screen.findByTestId("screen-check")).toBeTruthy();
    expect(screen.queryByTestId("welcome")).toBeNull();
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
      about: () => about,
      models_overview: overview([installed]),
    });
    render(<App />);
    const banner = await screen.findByTestId("error-banner");
    expect(banner.dataset.code).toBe("no_audio_server");
    expect(banner.textContent).toContain("No audio server is running");
  });
});

describe("first run", () => {
  const answers = (models: () => unknown, extra: Record<string, (a: Record<string, unknown>) => unknown> = {}) => ({
    get_settings: () => ({ language: "en", input_device: null, output_device: null, camera: null }),
    device_summary: () => summary,
    audio_choices: () => ({ host: null, inputs: [], outputs: [], selected_input: null, selected_output: null }),
    stop_level_meter: () => null,
    about: () => about,
    models_overview: models,
    ...extra,
  });

  it("welcomes a user with no model, with the OS's permission note, and skips to Check", async () => {
    script(answers(overview([])));
    render(<App />);
    const welcome = await screen.findByTestId("welcome");
    expect(welcome.textContent).toContain("Welcome to Greenroom");
    await waitFor(() => expect(screen.getByTestId("welcome-permission").dataset.os).toBe("windows"));
    expect(screen.getByTestId("welcome-permission").textContent).toContain("Let desktop apps access");
    await waitFor(() => expect(screen.getByTestId("welcome-download").textContent).toContain("base, 141 MiB"));
    expect(screen.queryByTestId("screen-check")).toBeNull();
    fireEvent.click(screen.getByTestId("welcome-skip"));
    expect(await screen.findByTestId("screen-check")).toBeTruthy();
    expect(screen.queryByTestId("welcome")).toBeNull();
  });

  it("downloads the recommended model and goes straight to Check", async () => {
    let models: unknown[] = [];
    const calls = script(
      answers(() => overview(models)(), {
        download_model: () => {
          models = [installed];
          return installed;
        },
      }),
    );
    render(<App />);
    const download = await screen.findByTestId("welcome-download");
    await waitFor(() => expect((download as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(download);
    expect(await screen.findByTestId("screen-check")).toBeTruthy();
    expect(calls.find((c) => c.cmd === "download_model")?.args.name).toBe("base");
  });

  it("a failed import keeps the welcome and says why", async () => {
    script(
      answers(overview([]), {
        import_model: () => {
          throw { code: "invalid_model", params: { path: "/tmp/x", detail: "not ggml" } };
        },
      }),
    );
    render(<App />);
    fireEvent.input(await screen.findByTestId("welcome-import-path"), { target: { value: "/tmp/x" } });
    fireEvent.click(screen.getByTestId("welcome-import"));
    const banner = await screen.findByTestId("error-banner");
    expect(banner.dataset.code).toBe("invalid_model");
    expect(screen.getByTestId("welcome")).toBeTruthy();
  });

  it("the About box shows the version, data folder and the speech engine's CPU level", async () => {
    script(answers(overview([installed])));
    render(<App />);
    fireEvent.click(await screen.findByTestId("about-button"));
    expect((await screen.findByTestId("about-version")).textContent).toBe("0.1.0");
    expect(screen.getByTestId("about-data").textContent).toContain("dev.greenroom.app");
    expect(screen.getByTestId("about-cpu").dataset.supported).toBe("true");
    expect(screen.getByTestId("about-licences").textContent).toContain("Whisper models (OpenAI)");
    fireEvent.click(screen.getByTestId("about-close"));
    expect(screen.queryByTestId("about-dialog")).toBeNull();
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

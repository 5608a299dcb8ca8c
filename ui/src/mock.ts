// Stand-in for the shell when the UI runs in a plain browser (`npm run dev`), so screens can
// be built and looked at without Rust. Never used inside the app; unit tests script their
// own answers with setTransport.
import type { AudioReport, Settings } from "./bindings";

const settings: Settings = { language: "en", input_device: null, output_device: null, camera: null };

type Listener = { onmessage: (m: unknown) => void };
let meterTimer: ReturnType<typeof setInterval> | undefined;

const mockReport: AudioReport = {
  host: "pulseaudio",
  input: { id: "mock:mic", name: "Mock Microphone", format: { sample_rate: 48000, channels: 1, sample_format: "f32" } },
  output: { id: "mock:spk", name: "Mock Speaker", format: null },
  checks: [
    {
      id: "mic.level",
      status: "pass",
      title: { en: "Input level", ko: "입력 음량" },
      measured: { value: -9.2, unit: "dbfs" },
      threshold: "peak -30..-1 dBFS",
      summary: { en: "Speech peaks at -9.2 dBFS.", ko: "말소리 최대 음량은 -9.2 dBFS예요." },
      fix: null,
    },
  ],
  overall: "pass",
  stats: null,
  delivery: null,
  tone: null,
  dropped_samples: 0,
  elapsed_ms: 4100,
};

export async function mockInvoke(cmd: string, args: Record<string, unknown>): Promise<unknown> {
  switch (cmd) {
    case "get_settings":
      return { ...settings };
    case "models_overview":
      return { installed: [], default: null, catalog: [], dir: "/home/me/.local/share/dev.greenroom.app/models" };
    case "about":
      return {
        version: "0.1.0",
        os: "linux",
        arch: "x86_64",
        data_dir: "/home/me/.local/share/dev.greenroom.app",
        default_model: null,
        models_installed: 0,
        speech_cpu: { built_for: "x86-64-v3", missing: [] },
        licences: [],
      };
    case "set_language":
      settings.language = args.language as Settings["language"];
      return { ...settings };
    case "device_summary":
      return {
        audio_host: "Mock",
        inputs: 1,
        outputs: 1,
        cameras: 0,
        input_names: ["Mock Microphone"],
        output_names: ["Mock Speaker"],
      };
    case "audio_choices":
      return {
        host: "Mock",
        inputs: [{ id: "mock:mic", name: "Mock Microphone", direction: "input", is_default: true, is_monitor: false, native: null, format_error: null }],
        outputs: [{ id: "mock:spk", name: "Mock Speaker", direction: "output", is_default: true, is_monitor: false, native: null, format_error: null }],
        selected_input: "mock:mic",
        selected_output: "mock:spk",
      };
    case "choose_audio_devices":
      settings.input_device = args.input as string | null;
      settings.output_device = args.output as string | null;
      return { ...settings };
    case "start_level_meter": {
      clearInterval(meterTimer);
      const ch = args.onLevel as Listener;
      meterTimer = setInterval(() => ch.onmessage({ kind: "level", peak_dbfs: -30 + Math.random() * 20 }), 50);
      return null;
    }
    case "stop_level_meter":
      clearInterval(meterTimer);
      return null;
    case "run_audio_check": {
      const ch = args.onProgress as Listener;
      ch.onmessage({ kind: "recording", seconds: 4 });
      await new Promise((r) => setTimeout(r, 1000));
      ch.onmessage({ kind: "analysing" });
      return mockReport;
    }
    default:
      throw { code: "internal", params: { detail: `mock has no command ${cmd}` } };
  }
}

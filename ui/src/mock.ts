// Stand-in for the shell when the UI runs in a plain browser (`npm run dev`) or in unit
// tests, so screens can be built and tested without Rust. Never used inside the app.
import type { Settings } from "./bindings";

const settings: Settings = { language: "en", input_device: null, output_device: null, camera: null };

export async function mockInvoke(cmd: string, args: Record<string, unknown>): Promise<unknown> {
  switch (cmd) {
    case "get_settings":
      return { ...settings };
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
    default:
      throw { code: "internal", params: { detail: `mock has no command ${cmd}` } };
  }
}

// Generated from the Rust types by `src-tauri` (ipc.rs). Do not edit by hand:
// run `./x bindings` after changing a command or payload.

export type AppError = { "code": "no_audio_server", "params": { detail: string, } } | { "code": "no_audio_device", "params": { direction: string, } } | { "code": "unknown_audio_device", "params": { device: string, } } | { "code": "permission_denied", "params": { device: string, } } | { "code": "device_busy", "params": { device: string, } } | { "code": "device_gone", "params": { device: string, } } | { "code": "unsupported_config", "params": { device: string, detail: string, } } | { "code": "audio", "params": { device: string, detail: string, } } | { "code": "camera", "params": { detail: string, } } | { "code": "io", "params": { action: string, path: string, detail: string, } } | { "code": "invalid_argument", "params": { name: string, detail: string, } } | { "code": "internal", "params": { detail: string, } };

export type AudioDevice = { 
/**
 * Stable id `host:device` (cpal's `DeviceId`); survives restarts and re-plugging,
 * unlike an index.
 */
id: string, name: string, direction: Direction, is_default: boolean, 
/**
 * A PulseAudio monitor source: what a speaker plays, not a microphone.
 */
is_monitor: boolean, native: NativeFormat | null, 
/**
 * Why the native format could not be read, if it could not.
 */
format_error: string | null, };

export type AudioInventory = { hosts: Array<HostReport>, 
/**
 * The host the app uses: the first available in preference order.
 */
preferred_host: string | null, };

/**
 * A camera as the OS lists it.
 */
export type CameraInfo = { 
/**
 * Stable id: the device path or platform id, not a position in a list.
 */
id: string, name: string, description: string, };

export type DeviceInventory = { audio: AudioInventory, cameras: Array<CameraInfo>, 
/**
 * Set when the camera backend failed (as opposed to finding none).
 */
camera_error: string | null, };

export type Direction = "input" | "output";

/**
 * What one audio host sees.
 */
export type HostReport = { 
/**
 * cpal's host id, lowercase (`pulseaudio`, `alsa`).
 */
id: string, name: string, available: boolean, 
/**
 * Why the host is unavailable or could not list devices.
 */
error: string | null, inputs: Array<AudioDevice>, outputs: Array<AudioDevice>, };

/**
 * A short summary for status lines.
 */
export type InventorySummary = { 
/**
 * Name of the audio host in use, `None` when no host works.
 */
audio_host: string | null, inputs: number, outputs: number, cameras: number, 
/**
 * Names of the microphones the host sees (not monitors).
 */
input_names: Array<string>, output_names: Array<string>, };

/**
 * UI and advice language.
 */
export type Lang = "en" | "ko";

/**
 * The format a device runs at natively; we record at this rate and resample in software.
 */
export type NativeFormat = { sample_rate: number, channels: number, sample_format: string, };

export type Settings = { 
/**
 * UI and advice language.
 */
language: Lang, 
/**
 * Preferred input device id (`host:device`), if the user picked one.
 */
input_device: string | null, 
/**
 * Preferred output device id.
 */
output_device: string | null, 
/**
 * Preferred camera id.
 */
camera: string | null, };

/** Every command: its argument object and its result. */
export interface Commands {
  device_summary: { args: Record<string, never>; ret: InventorySummary };
  device_inventory: { args: Record<string, never>; ret: DeviceInventory };
  get_settings: { args: Record<string, never>; ret: Settings };
  set_language: { args: { language: Lang }; ret: Settings };
}

export type CommandName = keyof Commands;

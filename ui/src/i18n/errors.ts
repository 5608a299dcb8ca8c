// Localized sentences for every error code the shell can send. Typed as a Record over the
// generated AppError union: adding a code in Rust without a sentence here fails `tsc`.
import type { AppError, Lang } from "../bindings";

type Params<C extends AppError["code"]> = Extract<AppError, { code: C }>["params"];
type Render = { [C in AppError["code"]]: (p: Params<C>) => string };

const en: Render = {
  no_audio_server: () =>
    "No audio server is running. Start PulseAudio or PipeWire (or log in to a desktop session) and try again.",
  no_audio_device: (p) => `No ${p.direction} device was found. Plug one in or enable it in your sound settings.`,
  unknown_audio_device: (p) => `The device “${p.device}” is not connected any more. Pick another one.`,
  permission_denied: (p) =>
    `Access to “${p.device}” was denied. Allow microphone/camera access for Greenroom in your system's privacy settings.`,
  device_busy: (p) => `“${p.device}” is in use by another application. Close it (Zoom, Teams, OBS…) and try again.`,
  device_gone: (p) => `“${p.device}” disappeared. Check the cable or Bluetooth connection.`,
  unsupported_config: (p) => `“${p.device}” cannot run in the requested format (${p.detail}).`,
  audio: (p) => `Audio error on “${p.device}”: ${p.detail}`,
  camera: (p) => `Camera error: ${p.detail}`,
  io: (p) => `Could not ${p.action} ${p.path}: ${p.detail}`,
  invalid_argument: (p) => `Invalid ${p.name}: ${p.detail}`,
  internal: (p) => `Internal error: ${p.detail}`,
};

const ko: Render = {
  no_audio_server: () =>
    "오디오 서버가 실행 중이 아니에요. PulseAudio나 PipeWire를 시작한 뒤(또는 데스크톱에 로그인한 뒤) 다시 시도해 주세요.",
  no_audio_device: (p) =>
    `${p.direction === "input" ? "입력" : "출력"} 장치를 찾지 못했어요. 장치를 연결하거나 소리 설정에서 켜 주세요.`,
  unknown_audio_device: (p) => `“${p.device}” 장치가 더 이상 연결되어 있지 않아요. 다른 장치를 골라 주세요.`,
  permission_denied: (p) =>
    `“${p.device}” 접근이 거부되었어요. 시스템 개인정보 설정에서 Greenroom의 마이크/카메라 접근을 허용해 주세요.`,
  device_busy: (p) => `다른 앱이 “${p.device}”를 사용 중이에요. Zoom, Teams, OBS 등을 닫고 다시 시도해 주세요.`,
  device_gone: (p) => `“${p.device}” 연결이 끊겼어요. 케이블이나 블루투스 연결을 확인해 주세요.`,
  unsupported_config: (p) => `“${p.device}”는 요청한 형식으로 동작할 수 없어요 (${p.detail}).`,
  audio: (p) => `“${p.device}” 오디오 오류: ${p.detail}`,
  camera: (p) => `카메라 오류: ${p.detail}`,
  io: (p) => `${p.path} 파일 작업(${p.action})에 실패했어요: ${p.detail}`,
  invalid_argument: (p) => `잘못된 ${p.name}: ${p.detail}`,
  internal: (p) => `내부 오류: ${p.detail}`,
};

export function errorMessage(err: AppError, lang: Lang): string {
  const table = lang === "ko" ? ko : en;
  // The cast is safe: `table[err.code]` takes exactly the params of `err`'s code.
  const render = table[err.code] as (p: unknown) => string;
  return render("params" in err ? err.params : undefined);
}

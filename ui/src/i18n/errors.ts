// Localized sentences for every error code the shell can send. Typed as a Record over the
// generated AppError union: adding a code in Rust without a sentence here fails `tsc`.
import type { AppError, Lang } from "../bindings";

type Params<C extends AppError["code"]> = Extract<AppError, { code: C }> extends { params: infer P } ? P : undefined;
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
  database: (p) => `Could not ${p.action} the take index ${p.path}: ${p.detail}`,
  database_corrupt: (p) =>
    `The take index ${p.path} is damaged (${p.detail}). Your recordings are still in the takes folder; move the file aside and restart Greenroom to rebuild it.`,
  database_too_new: (p) =>
    `The take index ${p.path} was written by a newer Greenroom (version ${p.found}, this one knows ${p.supported}). Update Greenroom; nothing was changed.`,
  invalid_model: (p) => `${p.path} is not a usable Whisper model: ${p.detail}`,
  unknown_model: (p) => `No installed model is named “${p.name}”.`,
  cpu_unsupported: (p) =>
    `This computer's processor lacks ${p.missing.join(", ")}, which the speech engine needs (${p.built_for}: Intel Core 4th generation or AMD Ryzen and newer). Checks, practice and review work; transcription does not on this computer.`,
  model_exists: (p) => `A model named “${p.name}” is already installed. Remove it first or choose another name.`,
  cancelled: () => "Cancelled.",
  download: (p) => `Could not download ${p.url}: ${p.detail}. What arrived is kept; try again to resume.`,
  download_stalled: (p) =>
    `The download of ${p.url} stalled (no data for ${(p.stall_ms / 1000).toFixed(1)} s, ${p.attempts} tries). ${p.downloaded} bytes are kept; try again to resume.`,
  download_http: (p) => `The server answered HTTP ${p.status} ${p.reason} for ${p.url}.`,
  checksum_mismatch: (p) =>
    `The download of “${p.name}” is not the expected file (${p.algorithm} ${p.actual}, expected ${p.expected}). It was deleted; nothing was installed.`,
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
  database: (p) => `녹음 목록 ${p.path} 작업(${p.action})에 실패했어요: ${p.detail}`,
  database_corrupt: (p) =>
    `녹음 목록 ${p.path} 파일이 손상되었어요 (${p.detail}). 녹음 파일은 takes 폴더에 그대로 있어요. 이 파일을 다른 곳으로 옮기고 Greenroom을 다시 시작하세요.`,
  database_too_new: (p) =>
    `녹음 목록 ${p.path}은(는) 더 새로운 Greenroom에서 만들어졌어요 (버전 ${p.found}, 현재 버전은 ${p.supported}까지 지원). Greenroom을 업데이트하세요. 아무것도 바꾸지 않았어요.`,
  invalid_model: (p) => `${p.path}은(는) 사용할 수 있는 Whisper 모델이 아니에요: ${p.detail}`,
  unknown_model: (p) => `“${p.name}”이라는 이름의 설치된 모델이 없어요.`,
  cpu_unsupported: (p) =>
    `이 컴퓨터의 프로세서(CPU)에는 음성 인식 엔진에 필요한 ${p.missing.join(", ")} 명령어가 없어요 (${p.built_for}: 인텔 4세대 코어 또는 AMD 라이젠 이상). 점검, 연습, 리뷰는 되지만 이 컴퓨터에서는 받아쓰기를 할 수 없어요.`,
  model_exists: (p) => `“${p.name}” 모델이 이미 설치되어 있어요. 먼저 삭제하거나 다른 이름을 고르세요.`,
  cancelled: () => "취소했어요.",
  download: (p) => `${p.url} 다운로드에 실패했어요: ${p.detail}. 받은 부분은 남겨 두었으니 다시 시도하면 이어서 받아요.`,
  download_stalled: (p) =>
    `${p.url} 다운로드가 멈췄어요 (${(p.stall_ms / 1000).toFixed(1)}초 동안 데이터 없음, ${p.attempts}번 시도). 받은 ${p.downloaded}바이트는 남겨 두었으니 다시 시도하면 이어서 받아요.`,
  download_http: (p) => `서버가 ${p.url}에 대해 HTTP ${p.status} ${p.reason}(으)로 응답했어요.`,
  checksum_mismatch: (p) =>
    `“${p.name}” 다운로드 파일이 예상과 달라요 (${p.algorithm} ${p.actual}, 예상 ${p.expected}). 파일을 지웠고 아무것도 설치하지 않았어요.`,
  internal: (p) => `내부 오류: ${p.detail}`,
};

export function errorMessage(err: AppError, lang: Lang): string {
  const table = lang === "ko" ? ko : en;
  // The cast is safe: `table[err.code]` takes exactly the params of `err`'s code.
  const render = table[err.code] as (p: unknown) => string;
  return render("params" in err ? err.params : undefined);
}

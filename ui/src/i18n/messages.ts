// UI text in both languages. `en` is the reference: `ko` must have exactly the same keys
// (checked by the type below and by i18n.test.ts).

export const en = {
  "app.title": "Greenroom",
  "app.tagline": "Rehearse the interview before the interview",
  "nav.check": "Check",
  "nav.practice": "Practice",
  "nav.review": "Review",
  "nav.models": "Models",
  "lang.label": "Language",
  "status.loading": "Looking for devices…",
  "status.host": "Audio: {host}",
  "status.noHost": "No audio server or device found",
  "status.counts": "{inputs} inputs · {outputs} outputs · {cameras} cameras",
  "status.inputs": "Microphones: {names}",
  "status.refresh": "Refresh",
  "check.title": "Check your mic, speakers and camera",
  "check.empty":
    "Here Greenroom will measure your microphone, speakers and camera — level, silence, clipping, noise, crackle, loopback, frame rate, black or frozen picture — and tell you how to fix what is wrong.",
  "practice.title": "Practice answers",
  "practice.empty":
    "Here you will answer timed interview questions: CS fundamentals, large-traffic design, behavioral questions in STAR form and personal questions — with a surprise switch to English.",
  "review.title": "Review your takes",
  "review.empty":
    "Here you will replay each take with its transcript: filler words, pace, long pauses, hedges and how your English part went, and see your progress over time.",
  "models.title": "Speech recognition models",
  "models.empty":
    "Here you will manage the local Whisper models used for transcription: install, import a faster-whisper model, choose the default. Nothing leaves your computer.",
  "error.title": "Something went wrong",
} as const;

export type MessageKey = keyof typeof en;

export const ko: Record<MessageKey, string> = {
  "app.title": "Greenroom",
  "app.tagline": "면접 전에 면접을 연습하세요",
  "nav.check": "점검",
  "nav.practice": "연습",
  "nav.review": "복기",
  "nav.models": "모델",
  "lang.label": "언어",
  "status.loading": "장치를 찾는 중…",
  "status.host": "오디오: {host}",
  "status.noHost": "오디오 서버나 장치를 찾지 못했어요",
  "status.counts": "입력 {inputs}개 · 출력 {outputs}개 · 카메라 {cameras}대",
  "status.inputs": "마이크: {names}",
  "status.refresh": "새로고침",
  "check.title": "마이크, 스피커, 카메라 점검",
  "check.empty":
    "여기서 마이크, 스피커, 카메라를 측정해요. 음량, 무음, 클리핑, 잡음, 지직거림, 루프백, 프레임 속도, 검은 화면이나 멈춘 화면까지 확인하고 고치는 방법을 알려 드려요.",
  "practice.title": "답변 연습",
  "practice.empty":
    "여기서 시간 제한이 있는 면접 질문에 답해요. CS 기초, 대규모 트래픽 설계, STAR 형식의 행동 질문, 인성 질문이 있고, 예고 없이 영어로 전환하라는 요청이 나와요.",
  "review.title": "녹음 복기",
  "review.empty":
    "여기서 각 녹음을 대본과 함께 다시 들어요. 군말, 말 빠르기, 긴 멈춤, 얼버무림, 영어 답변을 확인하고 시간에 따른 변화를 볼 수 있어요.",
  "models.title": "음성 인식 모델",
  "models.empty":
    "여기서 받아쓰기에 쓰는 로컬 Whisper 모델을 관리해요. 설치하고, faster-whisper 모델을 가져오고, 기본 모델을 고를 수 있어요. 아무것도 컴퓨터 밖으로 나가지 않아요.",
  "error.title": "문제가 생겼어요",
};

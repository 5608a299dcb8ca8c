#!/usr/bin/env bash
# faster-whisper (CTranslate2) for the transcription benchmark (issue 6, part (b)): the same
# Whisper weights that our importer converts, run by the engine they were made for.
#
# It lives in its own virtualenv in a cache OUTSIDE the repository
# (${GREENROOM_FW_VENV:-${XDG_CACHE_HOME:-~/.cache}/greenroom-bench/faster-whisper-venv}),
# installed from PyPI with pip: faster-whisper and what it depends on (ctranslate2,
# tokenizers, numpy, av, onnxruntime, huggingface-hub), all wheels. Nothing else is
# downloaded: the models are the local CT2 folders from scripts/models.sh (ct2/tiny.en,
# ct2/base, with their tokenizer.json), loaded with local_files_only.
#
#   scripts/bench-faster-whisper.sh setup          # create / check the virtualenv
#   scripts/bench-faster-whisper.sh python         # print its python
#   scripts/bench-faster-whisper.sh run ARGS...    # setup, then bench_faster_whisper.py ARGS
#                                                  # (--help for them)
set -euo pipefail

FW_VERSION="${GREENROOM_FW_VERSION:-1.2.1}"
VENV="${GREENROOM_FW_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/greenroom-bench/faster-whisper-venv}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY="$VENV/bin/python"

log() { printf '==> %s\n' "$*" >&2; }
die() {
  printf 'bench-faster-whisper: %s\n' "$*" >&2
  exit 1
}

installed() {
  [ -x "$PY" ] && [ "$("$PY" -c 'import faster_whisper; print(faster_whisper.__version__)' 2>/dev/null)" = "$FW_VERSION" ]
}

setup() {
  installed && return 0
  command -v python3 >/dev/null || die "python3 is needed"
  if [ ! -x "$PY" ]; then
    log "creating the virtualenv $VENV"
    mkdir -p "$(dirname "$VENV")"
    python3 -m venv "$VENV" || die "python3 -m venv failed (on Debian: apt-get install python3-venv)"
  fi
  log "installing faster-whisper==$FW_VERSION from PyPI into $VENV"
  "$PY" -m pip install --quiet --disable-pip-version-check --only-binary=:all: \
    "faster-whisper==$FW_VERSION" ||
    die "pip could not install faster-whisper==$FW_VERSION (see the pip output above)"
  installed || die "faster-whisper does not import after installing it"
}

cmd="${1:-setup}"
[ $# -gt 0 ] && shift
case "$cmd" in
setup) setup ;;
python)
  setup
  echo "$PY"
  ;;
run)
  setup
  exec "$PY" "$HERE/bench_faster_whisper.py" "$@"
  ;;
*) die "unknown command '$cmd' (setup, python, run)" ;;
esac

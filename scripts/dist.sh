# What a user downloads. Sourced by scripts/lib.sh.
#
# `./x dist` builds release binaries and writes to dist/:
#   greenroom_<v>_amd64.deb, greenroom-<v>-1.x86_64.rpm   `tauri bundle` (no download)
#   Greenroom_<v>_windows_x64.zip                          portable: unzip, double-click
#   Greenroom_<v>_windows_x64-setup.exe                    NSIS installer (our script)
# `./x test` packages the binaries its tests built (debug profile; whisper.cpp has the same
# x86-64-v3 flags in both) the same way, and tests the packages: the .deb installed with apt
# into a clean Debian 12 root and started there, the zip and the installer under Wine.

# shellcheck shell=bash

DEBROOT_CACHE="$HOME/.cache/greenroom-debroot"

app_version() {
  sed -n 's/^version = "\(.*\)"$/\1/p' "$ROOT/Cargo.toml" | head -1
}

dist_dir() {
  realpath -m "${GREENROOM_DIST_DIR:-$ROOT/dist}"
}

# deb_depends BINARY...: the packages whose shared libraries the binaries link (asked of
# dpkg-shlibdeps, as a Debian package build would), and what they load at run time that
# no linker sees: GStreamer's WAV, MP4 and audio sink plugins for the player (base, good),
# its H.264 decoder for take videos (libav), and Korean fonts.
deb_depends() {
  local tmp libs
  tmp="$(mktemp -d)"
  mkdir -p "$tmp/debian"
  printf 'Source: greenroom\n\nPackage: greenroom\nArchitecture: amd64\n' >"$tmp/debian/control"
  libs="$(cd "$tmp" && dpkg-shlibdeps -O --ignore-missing-info "$@" 2>/dev/null |
    sed -n 's/^shlibs:Depends=//p')"
  rm -rf "$tmp"
  [ -n "$libs" ] || die "dpkg-shlibdeps found no libraries for $*"
  echo "$libs, gstreamer1.0-plugins-base, gstreamer1.0-plugins-good, gstreamer1.0-libav, fonts-noto-cjk"
}

# package_linux PROFILE: the .deb (and .rpm) from target/PROFILE's binaries into dist/.
package_linux() {
  local profile="$1" bins stage out deps flag=() kinds="${2:-deb,rpm}"
  bins="${CARGO_TARGET_DIR:-$ROOT/target}/$profile"
  out="$(dist_dir)"
  for b in greenroom-desktop greenroom; do
    [ -x "$bins/$b" ] || die "$bins/$b is missing: build it first"
  done
  # tauri bundle takes the app from <target>/<profile>/: give it a stage with stripped
  # copies (the test build carries debug info), so what is packaged is what ships.
  stage="$out/stage/linux"
  rm -rf "$stage" && mkdir -p "$stage/$profile" "$out"
  strip --strip-debug -o "$stage/$profile/greenroom-desktop" "$bins/greenroom-desktop"
  strip --strip-debug -o "$stage/$profile/greenroom" "$bins/greenroom"
  deps="$(deb_depends "$stage/$profile/greenroom-desktop" "$stage/$profile/greenroom")"
  third_party_licences "$stage/THIRD-PARTY-LICENSES.txt" x86_64-unknown-linux-gnu
  [ "$profile" = debug ] && flag=(--debug)
  log "tauri bundle ($kinds, $profile): Depends: $deps"
  python3 - "$stage/config.json" "$stage/$profile/greenroom" "$deps" "$stage/THIRD-PARTY-LICENSES.txt" <<'PY'
import json, sys
path, cli, deps, licences = sys.argv[1:]
depends = [d.strip() for d in deps.split(",") if d.strip()]
files = {"/usr/bin/greenroom": cli, "/usr/share/doc/greenroom/THIRD-PARTY-LICENSES.txt": licences}
json.dump({"bundle": {"linux": {
    "deb": {"files": files, "depends": depends, "recommends": ["pulseaudio | pipewire-pulse"]},
    "rpm": {"files": files},
}}}, open(path, "w"))
PY
  (cd "$ROOT" && CARGO_TARGET_DIR="$stage" ui/node_modules/.bin/tauri bundle "${flag[@]}" \
    --bundles "$kinds" --config "$stage/config.json" >"$stage/bundle.log" 2>&1) ||
    { cat "$stage/bundle.log" >&2; die "tauri bundle failed"; }
  local v f
  v="$(app_version)"
  # Debian's and Fedora's own file names (tauri names them after the product).
  for f in "$stage/$profile"/bundle/deb/*.deb; do [ -f "$f" ] && cp -f "$f" "$out/greenroom_${v}_amd64.deb"; done
  for f in "$stage/$profile"/bundle/rpm/*.rpm; do [ -f "$f" ] && cp -f "$f" "$out/greenroom-${v}-1.x86_64.rpm"; done
  log "Linux packages: $(cd "$out" && ls -1 ./*.deb ./*.rpm 2>/dev/null | tr '\n' ' ')"
}

# third_party_licences DEST TRIPLE: every crate resolved for that target, with its licence
# as the crate declares it (cargo metadata).
third_party_licences() {
  local dest="$1" triple="$2"
  cargo metadata --format-version 1 --locked --filter-platform "$triple" 2>/dev/null |
    python3 -c '
import json, sys
m = json.load(sys.stdin)
ours = set(m["workspace_members"])
used = {n["id"] for n in m["resolve"]["nodes"]}
print("Greenroom links the following Rust crates (name, version, licence, source).")
print("whisper.cpp and ggml (MIT) are compiled in through whisper-rs-sys; SQLite (public")
print("domain) through libsqlite3-sys. Whisper models are not included: see About.\n")
for p in sorted(m["packages"], key=lambda p: (p["name"], p["version"])):
    if p["id"] in used and p["id"] not in ours:
        print(p["name"], p["version"], " ", p.get("license") or "see repository", " ", p.get("repository") or "")
' >"$dest"
  [ -s "$dest" ] || die "could not list the third-party licences"
}

# package_windows PROFILE [COMPRESSOR]: the portable zip and the installer from the Windows
# build's PROFILE binaries into dist/.
package_windows() {
  local profile="$1" compressor="${2:-lzma}" bins out stage version zipname setup
  bins="$(win_target_dir)/$WIN_TRIPLE/$profile"
  out="$(dist_dir)"
  version="$(app_version)"
  for f in greenroom-desktop.exe greenroom.exe WebView2Loader.dll; do
    [ -f "$bins/$f" ] || die "$bins/$f is missing: build for Windows first (./x windows)"
  done
  stage="$out/stage/windows/Greenroom"
  rm -rf "$out/stage/windows" && mkdir -p "$stage" "$out"
  x86_64-w64-mingw32-strip --strip-debug -o "$stage/greenroom-desktop.exe" "$bins/greenroom-desktop.exe"
  x86_64-w64-mingw32-strip --strip-debug -o "$stage/greenroom.exe" "$bins/greenroom.exe"
  cp "$bins/WebView2Loader.dll" "$stage/"
  sed 's/$/\r/' "$ROOT/LICENSE" >"$stage/LICENSE.txt"
  third_party_licences "$stage/THIRD-PARTY-LICENSES.txt" "$WIN_TRIPLE"
  sed 's/$/\r/' >"$stage/README.txt" <<EOF
Greenroom $version for Windows 10 and 11 (64-bit)

Start greenroom-desktop.exe. It needs the Microsoft Edge WebView2 Runtime, which Windows
10 and 11 include; if Greenroom does not open, install it from
https://developer.microsoft.com/microsoft-edge/webview2/

greenroom.exe is the same program as a command line: greenroom.exe --help

Your takes, transcripts and models are kept in %APPDATA%\\dev.greenroom.app; removing
this folder or uninstalling Greenroom does not delete them.

Greenroom 은 Windows 10/11(64비트)용이에요. greenroom-desktop.exe 를 실행하세요.
EOF
  zipname="Greenroom_${version}_windows_x64.zip"
  rm -f "$out/$zipname"
  (cd "$out/stage/windows" && zip -q -r -X "$out/$zipname" Greenroom)
  setup="$out/Greenroom_${version}_windows_x64-setup.exe"
  log "makensis ($compressor)"
  makensis -V2 -DVERSION="$version" -DSTAGE="$stage" -DOUTFILE="$setup" \
    -DICON="$ROOT/src-tauri/icons/icon.ico" -DCOMPRESSOR="$compressor" \
    "$ROOT/packaging/windows/installer.nsi" >/dev/null || die "makensis failed"
  log "Windows packages: $out/$zipname, $setup"
}

# The release build of everything, then every package (./x dist).
dist_all() {
  build_ui
  log "release build (Linux)"
  cargo build --release --locked -p greenroom-desktop -p greenroom-cli
  package_linux release
  setup_windows_tools
  log "release build (Windows)"
  win_cargo build --release --workspace
  copy_webview2_loader release
  package_windows release lzma
  ls -l "$(dist_dir)"/*.deb "$(dist_dir)"/*.rpm "$(dist_dir)"/*.zip "$(dist_dir)"/*.exe
}

# A clean Debian 12 root (minbase, from Debian's mirror), made once and kept as a tarball.
clean_root_tarball() {
  local tar="$DEBROOT_CACHE/bookworm-minbase.tar"
  if [ ! -s "$tar" ]; then
    mkdir -p "$DEBROOT_CACHE"
    log "mmdebstrap: a clean Debian 12 root (once) into $tar"
    # mmdebstrap writes a tarball when the name ends in .tar.
    mmdebstrap --quiet --variant=minbase bookworm "$DEBROOT_CACHE/partial.tar" \
      http://deb.debian.org/debian >&2 || die "mmdebstrap failed"
    mv "$DEBROOT_CACHE/partial.tar" "$tar"
  fi
  echo "$tar"
}

DEB_ROOT_MOUNTS=()
deb_root_cleanup() {
  local i
  for ((i = ${#DEB_ROOT_MOUNTS[@]} - 1; i >= 0; i--)); do
    umount -l "${DEB_ROOT_MOUNTS[$i]}" 2>/dev/null || true
  done
  DEB_ROOT_MOUNTS=()
}

bind_into() {
  local root="$1" path="$2"
  mkdir -p "$root$path"
  mount --bind "$path" "$root$path" || die "could not bind $path into $root"
  DEB_ROOT_MOUNTS+=("$root$path")
}

# The .deb in a clean Debian 12 root: `apt-get install ./greenroom_*.deb` pulls exactly
# what it declares (nothing else is there), then the CLI and the app must run. Inside the
# harness: the root sees its PulseAudio and its Xvfb through bind mounts.
# deb_cli_subcommands ROOT RUN...: every subcommand `greenroom --help` lists, run for real
# from the installed package (nothing of the build machine inside the root), in the order a
# user meets them: a take is recorded, transcribed with an imported model, reviewed and
# exported. A subcommand added to the CLI without a line here fails the test.
deb_cli_subcommands() {
  local root="$1" sub out take
  shift
  local run=("$@")
  local subs
  subs="$("${run[@]}" greenroom --help | awk '/^Commands:/{on=1; next} on && /^  [a-z]/{print $1} on && /^$/{exit}')"
  [ -n "$subs" ] || die "greenroom --help listed no subcommands"
  [ -n "${GREENROOM_TEST_MODELS:-}" ] || die "the clean-root test needs the test models (setup_models)"
  cp "$GREENROOM_TEST_MODELS/tiny.en.ggml" "$root/tmp/tiny.en.ggml"
  # Run one command in the root; $1 is what it is for, the rest the arguments.
  deb_cli() {
    local what="$1"
    shift
    out="$("${run[@]}" greenroom "$@" 2>"$ARTIFACTS/deb-cli.err")" ||
      { cat "$ARTIFACTS/deb-cli.err" >&2; die "greenroom $* ($what) failed in the clean root"; }
  }
  for sub in $subs; do
    [ "$sub" = help ] && continue
    deb_cli "$sub --help" "$sub" --help
  done
  deb_cli questions questions --track cs-os
  grep -q '^  os-process-vs-thread ' <<<"$out" || die "greenroom questions did not list os-process-vs-thread"
  deb_cli models models import /tmp/tiny.en.ggml --name tiny.en
  deb_cli models models list
  deb_cli practice practice --question os-process-vs-thread --prep 0 --limit 5 \
    --english-switch off --answer-lang en --input pulseaudio:sinemic --no-transcribe --json </dev/null
  take="$(python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])' <<<"$out")" ||
    die "greenroom practice --json printed no take id"
  deb_cli takes takes list --json
  grep -q "$take" <<<"$out" || die "greenroom takes list does not list take $take"
  deb_cli transcribe transcribe "$take" --json
  deb_cli review review "$take" --json
  deb_cli export export "$take" --folder /tmp/greenroom-export
  [ -s "$root/tmp/greenroom-export/greenroom-$take/report.md" ] || die "greenroom export wrote no report.md"
  deb_cli about about --json
  # `check` measures the harness's SineMic (no speaker test: nothing listens in the root);
  # exit 1 is a failed check, which is an answer, not a crash.
  "${run[@]}" greenroom check audio --input pulseaudio:sinemic --no-speaker --seconds 1 \
    >"$ARTIFACTS/deb-check.txt" 2>&1 || [ $? -eq 1 ] ||
    { cat "$ARTIFACTS/deb-check.txt" >&2; die "greenroom check failed in the clean root"; }
  for sub in $subs; do
    case "$sub" in
      help | devices | check | practice | questions | takes | transcribe | models | review | export | about) ;;
      *) die "greenroom $sub is not run by the clean-root test (scripts/dist.sh deb_cli_subcommands)" ;;
    esac
  done
}

test_deb_in_clean_root() {
  local deb tar root shot win pid
  [ "$(id -u)" -eq 0 ] || die "the clean-root test needs root (chroot, mounts)"
  deb="$(ls -1 "$(dist_dir)"/greenroom_*_amd64.deb | head -1)"
  [ -f "$deb" ] || die "no .deb in $(dist_dir)"
  tar="$(clean_root_tarball)"
  root="$(mktemp -d /tmp/greenroom-root.XXXXXX)"
  trap 'deb_root_cleanup; rm -rf "$root"; harness_cleanup' EXIT INT TERM
  tar -C "$root" -xf "$tar" || die "could not unpack $tar"
  mount -t proc proc "$root/proc" || die "could not mount /proc in $root"
  DEB_ROOT_MOUNTS+=("$root/proc")
  bind_into "$root" /dev
  bind_into "$root" /dev/pts
  mount -t tmpfs tmpfs "$root/dev/shm" || die "could not mount /dev/shm in $root"
  DEB_ROOT_MOUNTS+=("$root/dev/shm")
  bind_into "$root" /tmp/.X11-unix
  bind_into "$root" "$XDG_RUNTIME_DIR"
  # Downloads are kept between runs; what is installed is not.
  mkdir -p "$DEBROOT_CACHE/archives/partial" "$root/var/cache/apt/archives"
  mount --bind "$DEBROOT_CACHE/archives" "$root/var/cache/apt/archives" ||
    die "could not bind the apt cache into $root"
  DEB_ROOT_MOUNTS+=("$root/var/cache/apt/archives")
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  # The harness's PulseAudio admits clients that hold its cookie, as a desktop session's does.
  if [ -f "$HOME/.config/pulse/cookie" ]; then
    mkdir -p "$root/root/.config/pulse"
    cp "$HOME/.config/pulse/cookie" "$root/root/.config/pulse/cookie"
  fi
  cp "$deb" "$root/tmp/"
  log "apt-get install ./$(basename "$deb") in a clean Debian 12 root"
  chroot "$root" apt-get update -qq || die "apt-get update failed in the clean root"
  chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "/tmp/$(basename "$deb")" >"$ARTIFACTS/deb-install.log" 2>&1 ||
    { tail -30 "$ARTIFACTS/deb-install.log" >&2; die "apt-get install of the .deb failed"; }
  local run=(chroot "$root" env HOME=/root GREENROOM_HOME=/root/greenroom-data
    XDG_RUNTIME_DIR="$XDG_RUNTIME_DIR" DISPLAY="$DISPLAY")
  local version
  version="$("${run[@]}" greenroom --version)" || die "greenroom --version failed in the clean root"
  [ "$version" = "greenroom $(app_version)" ] || die "greenroom --version said '$version'"
  "${run[@]}" greenroom devices >"$ARTIFACTS/deb-devices.txt" 2>&1 ||
    { cat "$ARTIFACTS/deb-devices.txt" >&2; die "greenroom devices failed in the clean root"; }
  grep -q VirtualMic "$ARTIFACTS/deb-devices.txt" ||
    die "greenroom devices in the clean root did not list the harness's VirtualMic"
  grep -q '^Name\[ko\]=그린룸$' "$root/usr/share/applications/Greenroom.desktop" ||
    die "the desktop entry has no Korean name"
  [ -s "$root/usr/share/doc/greenroom/THIRD-PARTY-LICENSES.txt" ] || die "the licence list is not installed"
  [ -f "$root/usr/share/icons/hicolor/128x128/apps/greenroom-desktop.png" ] ||
    die "the 128x128 icon is not installed"
  deb_cli_subcommands "$root" "${run[@]}"
  log "greenroom --version and every subcommand: ok; starting the app under Xvfb"
  "${run[@]}" greenroom-desktop >"$ARTIFACTS/deb-app.log" 2>&1 &
  pid=$!
  win=""
  for _ in $(seq 300); do
    win="$(xwininfo -root -tree 2>/dev/null | grep -m1 '"Greenroom' || true)"
    [ -n "$win" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$win" ] || { cat "$ARTIFACTS/deb-app.log" >&2; die "the installed app opened no window"; }
  # The page renders after the window maps: wait until the screen is more than the
  # window's empty background (a blank window has a handful of colours).
  shot="$ARTIFACTS/deb-app.png"
  local colours=0
  for _ in $(seq 40); do
    sleep 0.5
    import -window root "$shot" 2>/dev/null || continue
    colours="$(identify -format '%k' "$shot")"
    [ "$colours" -gt 200 ] && break
  done
  # A moment more for the device list, so the picture shows the app at work.
  sleep 3 && import -window root "$shot" 2>/dev/null || true
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  [ "$colours" -gt 200 ] ||
    { cat "$ARTIFACTS/deb-app.log" >&2; die "the installed app's window stayed blank ($colours colours, $shot)"; }
  log "the installed app drew its window ($colours colours): $shot"
  deb_root_cleanup
  rm -rf "$root"
  trap - EXIT INT TERM
}

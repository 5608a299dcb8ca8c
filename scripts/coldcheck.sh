# Nothing may depend on what an earlier build left behind. Sourced by scripts/lib.sh.
#
# - with_host_registry CMD...: runs CMD where cargo's registry holds only the packages a
#   build for this machine's own target downloads, and cargo may not download more
#   (CARGO_NET_OFFLINE). `./x test` builds the Linux side this way: a build script or an
#   ./x step that needs a package of another target (e.g. `cargo metadata --offline`
#   without --filter-platform, which worked only where a Windows build had filled the
#   registry) fails here on every run, as it would on a fresh machine. It costs a `cargo
#   fetch` and a few hundred symlinks: the registry keeps its path (a private mount
#   namespace shows the host-only view in its place), so nothing is rebuilt for it.
# - cold_check [--warm]: the README's test command (.ci/run) in a fresh clone with HOME,
#   CARGO_HOME (the toolchain only), npm's and pip's caches and every ~/.cache folder the
#   project uses empty: the whole cold path, timed; with --warm, again in a second fresh
#   clone on the caches the first run left, as CI runs on a used machine.

# shellcheck shell=bash

host_triple() {
  rustc -vV | sed -n 's/^host: //p'
}

# The registry packages (name-version) of a build for the host, from the lock file.
host_registry_packages() {
  cargo metadata --locked --offline --format-version 1 --filter-platform "$(host_triple)" |
    python3 -c '
import json, sys
for p in json.load(sys.stdin)["packages"]:
    if (p.get("source") or "").startswith("registry+"):
        print(p["name"] + "-" + p["version"])'
}

with_host_registry() {
  local registry view host
  registry="$(realpath -m "${CARGO_HOME:-$HOME/.cargo}/registry")"
  host="$(host_triple)"
  log "cargo fetch for $host only (what a fresh machine's host build downloads)"
  cargo fetch --locked --target "$host" --quiet || die "cargo fetch --target $host failed"
  if ! unshare --mount --propagation private true 2>/dev/null; then
    [ -z "${CI:-}" ] || die "the host-only registry guard needs a mount namespace (root or user namespaces)"
    log "skipped: host-only registry guard (unshare --mount is not allowed here); running unguarded"
    "$@"
    return
  fi
  view="$(mktemp -d /tmp/greenroom-host-registry.XXXXXX)"
  host_registry_packages >"$view/packages" || { rm -rf "$view"; die "cargo metadata for $host failed"; }
  log "guard: $(wc -l <"$view/packages") host packages of $(ls "$registry"/cache/*/ | grep -c '\.crate$') in the registry; cargo offline"
  local rc=0
  unshare --mount --propagation private env CARGO_NET_OFFLINE=true \
    bash -c '
      set -e
      registry="$1" view="$2"; shift 2
      mkdir -p "$view/real" "$view/reg"
      mount --bind "$registry" "$view/real"
      ln -s "$view/real/index" "$view/reg/index"
      for idx in "$view"/real/cache/*/; do
        idx="$(basename "$idx")"
        mkdir -p "$view/reg/cache/$idx" "$view/reg/src/$idx"
        while read -r pkg; do
          [ -e "$view/real/cache/$idx/$pkg.crate" ] &&
            ln -s "$view/real/cache/$idx/$pkg.crate" "$view/reg/cache/$idx/$pkg.crate"
          [ -e "$view/real/src/$idx/$pkg" ] && ln -s "$view/real/src/$idx/$pkg" "$view/reg/src/$idx/$pkg"
          true
        done <"$view/packages"
      done
      mount --bind "$view/reg" "$registry"
      exec "$@"
    ' guard "$registry" "$view" "$@" || rc=$?
  rm -rf "$view"
  return $rc
}

# The guard's own check, on every run: inside it, the call the old engine build script
# made (every target's packages, offline) must fail and the host's must work.
check_host_registry_guard() {
  if cargo metadata --locked --offline --format-version 1 >/dev/null 2>&1; then
    die "guard: cargo metadata for every target worked offline: the registry is not host-only"
  fi
  cargo metadata --locked --offline --format-version 1 --filter-platform "$(host_triple)" >/dev/null ||
    die "guard: cargo metadata for the host failed offline"
  log "guard: every-target metadata fails offline, the host's works"
}

# ci_in_fresh_clone BASE HOME NAME: clones the committed HEAD into BASE/NAME and runs
# .ci/run there as CI does, with HOME and nothing else of this machine's user; the log goes
# to BASE/NAME.log and the wall time (s) into CI_ELAPSED.
ci_in_fresh_clone() {
  local base="$1" home="$2" name="$3" clone="$1/$3" path start rc=0
  git clone --quiet "$ROOT" "$clone" || die "git clone $ROOT failed"
  path="$home/.cargo/bin:$(tr ':' '\n' <<<"$PATH" | grep -v -x -e "${CARGO_HOME:-$HOME/.cargo}/bin" | paste -sd:)"
  log "$name run of $(git -C "$clone" rev-parse --short HEAD) in $clone (HOME=$home): bash .ci/run"
  start=$(date +%s)
  (
    cd "$clone"
    # shellcheck disable=SC2046 # the machine's pip settings, one word each
    env -i PATH="$path" HOME="$home" USER="${USER:-root}" LOGNAME="${LOGNAME:-root}" \
      CARGO_HOME="$home/.cargo" RUSTUP_HOME="$(realpath -m "${RUSTUP_HOME:-$HOME/.rustup}")" \
      PYENV_ROOT="$(realpath -m "${PYENV_ROOT:-$HOME/.pyenv}")" \
      npm_config_cache="$home/.npm" TERM="${TERM:-dumb}" LANG=C.UTF-8 CI=true \
      $(env | grep -E '^PIP_[A-Z_]+=' | tr '\n' ' ') \
      bash .ci/run
  ) >"$base/$name.log" 2>&1 || rc=$?
  CI_ELAPSED=$(($(date +%s) - start))
  if [ $rc -ne 0 ]; then
    tail -40 "$base/$name.log" >&2
    die "$name run FAILED (exit $rc) after $((CI_ELAPSED / 60)) min $((CI_ELAPSED % 60)) s; log and caches kept in $base"
  fi
  log "$name run passed in $((CI_ELAPSED / 60)) min $((CI_ELAPSED % 60)) s"
}

# ./x cold-check [--warm]: .ci/run from empty caches; with --warm, then once more in a
# second fresh clone on the caches the first left (what CI's time is on a used machine).
cold_check() {
  local base home tool warm="" cold_s
  [ "${1:-}" = "--warm" ] && warm=1
  base="$(mktemp -d /tmp/greenroom-cold.XXXXXX)"
  home="$base/home"
  mkdir -p "$home/.cargo/bin"
  # The toolchain and nothing else: rustup's proxies (not what `cargo install` put beside
  # them), the rustup home with its toolchains, pyenv's Python.
  for tool in cargo rustc rustdoc cargo-clippy clippy-driver cargo-fmt rustfmt rustup; do
    [ -e "${CARGO_HOME:-$HOME/.cargo}/bin/$tool" ] &&
      ln -s "$(realpath "${CARGO_HOME:-$HOME/.cargo}/bin/rustup")" "$home/.cargo/bin/$tool"
  done
  # CI's clone has the shared folder beside it; so do these.
  [ -d "$ROOT/../shared" ] && ln -s "$(realpath "$ROOT/../shared")" "$base/shared"
  ci_in_fresh_clone "$base" "$home" cold
  cold_s=$CI_ELAPSED
  local summary="cold $((cold_s / 60)) min $((cold_s % 60)) s"
  if [ -n "$warm" ]; then
    ci_in_fresh_clone "$base" "$home" warm
    summary="$summary; warm $((CI_ELAPSED / 60)) min $((CI_ELAPSED % 60)) s"
  fi
  log "cold check passed: $summary (CI's limit: 90 min)"
  if [ -z "${GREENROOM_COLD_KEEP:-}" ]; then
    cp "$base"/*.log /tmp/ && rm -rf "$base"
    log "removed $base (GREENROOM_COLD_KEEP=1 keeps it); logs copied to /tmp/{cold,warm}.log"
  fi
}

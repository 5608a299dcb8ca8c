# Real people's speech for the transcription evaluation (crates/engine/tests/realspeech.rs).
#
# - The English clips and one Korean sentence are in the shared folder beside the
#   repository (../shared/realspeech, with MANIFEST.tsv): used from there, never copied.
# - Spontaneous Korean: the KsponSpeech samples that sooftware/kospeech committed in
#   data/sample/ at commit 7982bc9c (AI Hub; research use, never committed or shipped).
#   Only samples 000001-000050 are used, for development; 000051-000100 are held out and
#   never extracted. Nothing here downloads them: with a git copy of that repository (any
#   clone or snapshot that holds its history), run
#       bash scripts/realspeech.sh kspon PATH/TO/kospeech/.git
#   to write 16 kHz WAVs, UTF-8 transcripts (the originals are CP949) and a MANIFEST.tsv in
#   the shared folder's format into ${GREENROOM_KSPON_CACHE:-~/.cache/greenroom-realspeech/ksponspeech}.

# shellcheck shell=bash

KSPON_COMMIT=7982bc9c
KSPON_LAST_DEV=50

kspon_cache() {
  local git_dir="$1" cache n name tmp
  cache="$(realpath -m "${GREENROOM_KSPON_CACHE:-$HOME/.cache/greenroom-realspeech/ksponspeech}")"
  git --git-dir="$git_dir" cat-file -e "$KSPON_COMMIT^{commit}" 2>/dev/null ||
    { echo "realspeech: $git_dir has no commit $KSPON_COMMIT (sooftware/kospeech)" >&2; return 1; }
  mkdir -p "$cache" || return 1
  tmp="$(mktemp -d)"
  printf 'file\tlang\tseconds\tsource_repo\tsource_path\tlicence\ttranscript_source\ttranscript\n' >"$tmp/MANIFEST.tsv"
  for n in $(seq 1 "$KSPON_LAST_DEV"); do
    name="$(printf 'KaiSpeech_%06d' "$n")"
    git --git-dir="$git_dir" show "$KSPON_COMMIT:data/sample/$name.pcm" >"$tmp/$name.pcm" &&
      git --git-dir="$git_dir" show "$KSPON_COMMIT:data/sample/$name.txt" | iconv -f CP949 -t UTF-8 >"$tmp/$name.txt" ||
      { rm -rf "$tmp"; echo "realspeech: cannot read $name from $git_dir" >&2; return 1; }
    sox -t raw -r 16000 -e signed -b 16 -c 1 "$tmp/$name.pcm" "$tmp/$(printf 'ko_kspon_%03d.wav' "$n")" || { rm -rf "$tmp"; return 1; }
    printf 'ko_kspon_%03d.wav\tko\t%s\tsooftware/kospeech@%s\tdata/sample/%s.pcm\tKsponSpeech (AI Hub): research use, evaluation only, never redistributed\tdata/sample/%s.txt (CP949)\t%s\n' \
      "$n" "$(soxi -D "$tmp/$(printf 'ko_kspon_%03d.wav' "$n")")" "$KSPON_COMMIT" "$name" "$name" "$(tr '\t\n' '  ' <"$tmp/$name.txt")" >>"$tmp/MANIFEST.tsv"
    rm -f "$tmp/$name.pcm" "$tmp/$name.txt"
  done
  rm -rf "${cache:?}"/* && mv "$tmp"/* "$cache"/ && rmdir "$tmp"
  echo "realspeech: $KSPON_LAST_DEV KsponSpeech development clips in $cache" >&2
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-}" in
    kspon) kspon_cache "${2:?the git directory of sooftware/kospeech}" ;;
    *) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
fi

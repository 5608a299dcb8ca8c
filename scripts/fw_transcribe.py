"""faster-whisper over the real-speech clips, as a user of it would run it: its defaults
(beam 5, temperature fallback, previous-text conditioning, no VAD), the language forced,
the model on the CPU with its default compute type. Reads `name<TAB>lang<TAB>wav` lines on
stdin, prints one JSON object a line: {"name", "text", "seconds"} (seconds: transcription
time). Run with the virtualenv of scripts/bench-faster-whisper.sh."""

import argparse
import json
import os
import sys
import time

# The benchmark's reader (16 kHz mono 16-bit only), from the script beside this one.
from bench_faster_whisper import read_wav


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--model", required=True, help="CTranslate2 model folder")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--beam-size", type=int, default=5)
    args = p.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from faster_whisper import WhisperModel

    model = WhisperModel(
        args.model, device="cpu", cpu_threads=args.threads, num_workers=1, local_files_only=True
    )
    for line in sys.stdin:
        if not line.strip():
            continue
        name, lang, wav = line.rstrip("\n").split("\t")
        audio = read_wav(wav)
        t = time.perf_counter()
        segments, _ = model.transcribe(audio, language=lang, beam_size=args.beam_size)
        text = " ".join(s.text.strip() for s in segments)
        print(json.dumps({"name": name, "text": text, "seconds": time.perf_counter() - t}), flush=True)


if __name__ == "__main__":
    main()

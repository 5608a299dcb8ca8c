"""Times faster-whisper on a 16 kHz mono WAV file, the way the Rust transcription benchmark
times our pipeline: model loaded once (not timed), one warm-up run, then the best of N runs;
greedy decoding, a forced language, the same filler prompt, no context carried between
windows, word timestamps, no VAD. Prints one JSON object.

Run through scripts/bench-faster-whisper.sh (its own virtualenv)."""

import argparse
import json
import os
import sys
import time
import wave

import numpy as np


def read_wav(path):
    with wave.open(path, "rb") as w:
        if w.getframerate() != 16000 or w.getnchannels() != 1 or w.getsampwidth() != 2:
            sys.exit(f"{path}: need 16 kHz mono 16-bit")
        data = w.readframes(w.getnframes())
    return np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--model", required=True, help="CTranslate2 model folder")
    p.add_argument("--audio", required=True, help="16 kHz mono 16-bit WAV")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--compute-type", default="int8")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--lang", default="en")
    p.add_argument("--prompt", default=None)
    p.add_argument("--beam-size", type=int, default=1)
    args = p.parse_args()

    # Nothing from the network: the folder has config, model, tokenizer and vocabulary.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from faster_whisper import WhisperModel, __version__
    import ctranslate2

    audio = read_wav(args.audio)
    t = time.perf_counter()
    model = WhisperModel(
        args.model,
        device="cpu",
        compute_type=args.compute_type,
        cpu_threads=args.threads,
        num_workers=1,
        local_files_only=True,
    )
    load_s = time.perf_counter() - t

    def once():
        t = time.perf_counter()
        segments, _ = model.transcribe(
            audio,
            language=args.lang,
            task="transcribe",
            beam_size=args.beam_size,
            best_of=1,
            initial_prompt=args.prompt,
            condition_on_previous_text=False,
            word_timestamps=True,
            vad_filter=False,
        )
        segments = list(segments)  # the generator does the work
        elapsed = time.perf_counter() - t
        text = " ".join(s.text.strip() for s in segments)
        words = sum(len(s.words or []) for s in segments)
        return elapsed, text, words

    once()
    runs = []
    for _ in range(max(1, args.runs)):
        elapsed, text, words = once()
        runs.append(elapsed)
    print(
        json.dumps(
            {
                "faster_whisper": __version__,
                "ctranslate2": ctranslate2.__version__,
                "compute_type": args.compute_type,
                "threads": args.threads,
                "audio_s": len(audio) / 16000.0,
                "load_s": load_s,
                "runs_s": runs,
                "best_s": min(runs),
                "words": words,
                "text": text,
            }
        )
    )


if __name__ == "__main__":
    main()

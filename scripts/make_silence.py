#!/usr/bin/env python3
"""Write content/pages/media/silence.mp3: N seconds of digital silence, for offline playback tests.

MPEG-2 Layer III, 16 kHz mono, 8 kbit/s: each frame is a 4-byte header, 9 bytes of side
information and padding, all zero, which decoders play as silence (36 bytes per 36 ms).
Made by hand so no encoder is needed; the output is byte-for-byte reproducible.
"""

import sys
from pathlib import Path

SECONDS = 30
HEADER = bytes([0xFF, 0xF3, 0x18, 0xC4])  # MPEG-2, Layer III, no CRC, 8 kbit/s, 16 kHz, mono
FRAME = HEADER + bytes(36 - len(HEADER))   # 72 * 8000 / 16000 = 36 bytes, 576 samples


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else \
        Path(__file__).resolve().parent.parent / "content" / "pages" / "media" / "silence.mp3"
    frames = round(SECONDS * 16000 / 576)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(FRAME * frames)
    print(f"{out}: {frames} frames, {frames * 576 / 16000:.1f} s, {len(FRAME) * frames} bytes")


if __name__ == "__main__":
    main()

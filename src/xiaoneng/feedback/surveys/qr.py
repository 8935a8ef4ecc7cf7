"""QR codes of answering links, made locally: PNG for printing, SVG for scaling."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg


def qr_png(data: str, *, box_size: int = 12) -> bytes:
    image = qrcode.make(data, box_size=box_size, border=2,
                        error_correction=qrcode.constants.ERROR_CORRECT_M)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def qr_svg_bytes(data: str) -> bytes:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2,
                        error_correction=qrcode.constants.ERROR_CORRECT_M)
    return image.to_string(encoding="utf-8")

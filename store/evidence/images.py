"""Photos and screenshots: metadata out, orientation applied, pixels kept.

A picture is decoded within the pixel limit (checked from its header before
any pixel is decoded) and written anew, so nothing but pixels survives: EXIF
(GPS, camera, dates, maker notes, serial numbers), XMP, IPTC, comments, text
chunks, embedded previews and anything appended after the image data.

* JPEG is re-encoded at quality 95 with its own chroma subsampling kept;
  PNG is re-encoded losslessly; WebP losslessly when it was lossless,
  otherwise at quality 95; HEIC becomes JPEG (quality 95).
* The EXIF orientation is applied to the pixels first, so the picture looks
  the same and no tag is needed.
* A colour profile is kept only when it is a standard one (sRGB, Display P3,
  Adobe RGB); any other profile can name a device or a person, so the pixels
  are converted to sRGB and the profile dropped.
* Animated pictures are refused: keeping one frame would silently drop
  evidence, and a screenshot says what the reporter wants to show.
"""

import io
import struct
import zlib

from PIL import Image, ImageCms, JpegImagePlugin, UnidentifiedImageError

from . import errors
from .kinds import Kind
from .limits import EvidenceLimits

_PILLOW_FORMAT = {Kind.JPEG: "JPEG", Kind.PNG: "PNG", Kind.WEBP: "WEBP"}
_DECODE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, struct.error, zlib.error, IndexError, TypeError)
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_ORIENTATION = 0x0112
_STANDARD_PROFILES = ("srgb", "display p3", "adobe rgb (1998)")
JPEG_QUALITY = 95


class Picture:
    """A decoded picture and what was found around its pixels."""

    def __init__(self, image: Image.Image, removed: list[str], orientation: int, subsampling: int):
        self.image = image
        self.removed = removed
        self.orientation = orientation
        self.subsampling = subsampling


def clean_image(data: bytes, kind: Kind, limits: EvidenceLimits) -> tuple[bytes, Kind, list[str], int, int]:
    """The cleaned picture: (bytes, kind written, what was removed, width, height)."""
    picture = _open_heic(data, limits) if kind is Kind.HEIC else _open(data, kind, limits)
    image = picture.image
    if picture.orientation in _TRANSPOSE:
        image = image.transpose(_TRANSPOSE[picture.orientation])
        picture.image = image  # the unturned pixels are freed now, not after encoding
        picture.removed.append("rotation setting (the picture was turned upright)")
    image, icc = _colour_profile(image, picture.removed)
    out_kind = Kind.JPEG if kind is Kind.HEIC else kind
    if kind is Kind.HEIC:
        picture.removed.append("converted from HEIC to JPEG")
    data_out = _encode(image, out_kind, icc, picture.subsampling, lossless=_is_lossless_webp(data))
    return data_out, out_kind, _unique(picture.removed), image.width, image.height


def clean_embedded(data: bytes, limits: EvidenceLimits) -> tuple[bytes, list[str]]:
    """A picture inside an Office document: metadata out, format kept.

    The document's layout was made with the picture as it displays, so its
    orientation tag is kept (alone) rather than applied. A picture that
    carries nothing to remove is left byte for byte as it was.
    """
    kind = Kind.JPEG if data.startswith(b"\xff\xd8\xff") else Kind.PNG if data.startswith(b"\x89PNG") else None
    if kind is None:
        return data, []
    picture = _open(data, kind, limits)
    image, icc = _colour_profile(picture.image, picture.removed)
    if not picture.removed:
        return data, []
    exif = Image.Exif()
    if picture.orientation in _TRANSPOSE:
        exif[_ORIENTATION] = picture.orientation
    encoded = _encode(image, kind, icc, picture.subsampling, lossless=True, exif=exif.tobytes() if exif else b"")
    return encoded, _unique(picture.removed)


def _open(data: bytes, kind: Kind, limits: EvidenceLimits) -> Picture:
    try:
        image = Image.open(io.BytesIO(data), formats=[_PILLOW_FORMAT[kind]])
    except Image.DecompressionBombError:
        raise errors.picture_too_large(limits.max_pixels) from None
    except (UnidentifiedImageError, *_DECODE_ERRORS):
        raise errors.damaged("picture") from None
    _check_size(image.width, image.height, limits)
    if kind is not Kind.JPEG and getattr(image, "is_animated", False):
        raise errors.animated()
    subsampling = JpegImagePlugin.get_sampling(image) if kind is Kind.JPEG else -1
    extra_frames = getattr(image, "n_frames", 1) > 1  # a phone's multi-picture JPEG: previews, depth
    try:
        image.load()
        exif = image.getexif()
    except Image.DecompressionBombError:
        raise errors.picture_too_large(limits.max_pixels) from None
    except _DECODE_ERRORS:
        raise errors.damaged("picture") from None
    removed = _describe(image, exif)
    if extra_frames:
        removed.append("extra pictures stored inside the photo (previews, depth)")
    orientation = exif.get(_ORIENTATION, 1) if exif else 1
    image.info = {key: image.info[key] for key in ("icc_profile", "transparency") if key in image.info}
    return Picture(image, removed, orientation if isinstance(orientation, int) else 1, subsampling)


def _open_heic(data: bytes, limits: EvidenceLimits) -> Picture:
    import pillow_heif  # imported on demand: libheif is large and only phones' photos need it

    try:
        heif = pillow_heif.open_heif(io.BytesIO(data), convert_hdr_to_8bit=True)
        width, height = heif.size
    except (RuntimeError, IndexError, *_DECODE_ERRORS):
        raise errors.damaged("picture") from None
    _check_size(width, height, limits)
    try:
        # libheif turns the picture upright as it decodes (the container's
        # own rotation), and pillow_heif resets the EXIF orientation to match.
        image = heif.to_pillow()
        image.load()
    except (RuntimeError, *_DECODE_ERRORS):
        raise errors.damaged("picture") from None
    info = image.info
    exif = Image.Exif()
    if info.get("exif"):
        try:
            exif.load(info["exif"])
        except _DECODE_ERRORS:
            pass  # unreadable EXIF is dropped all the same; it just cannot be itemised
    removed = _describe(image, exif, has_exif=bool(info.get("exif")))
    if info.get("original_orientation") not in (None, 1):
        removed.append("rotation setting (the picture was turned upright)")
    if info.get("thumbnails") or info.get("depth_images") or info.get("aux"):
        removed.append("extra pictures stored inside the photo (previews, depth)")
    image.info = {"icc_profile": info["icc_profile"]} if info.get("icc_profile") else {}
    if image.mode != "RGB":
        image = image.convert("RGB")
    return Picture(image, removed, 1, 2)


def _check_size(width: int, height: int, limits: EvidenceLimits) -> None:
    if width * height > limits.max_pixels or max(width, height) > limits.max_side:
        raise errors.picture_too_large(limits.max_pixels, width, height)
    if width < 1 or height < 1:
        raise errors.damaged("picture")


def _describe(image: Image.Image, exif: Image.Exif, has_exif: bool | None = None) -> list[str]:
    """What the picture carries besides pixels, in the words a reporter sees."""
    removed = []
    if has_exif if has_exif is not None else bool(image.info.get("exif") or exif):
        removed.append("photo details (EXIF)")
        removed += _describe_exif(exif)
    info = image.info
    if info.get("xmp") or info.get("XML:com.adobe.xmp"):
        removed.append("editing details (XMP)")
    if info.get("photoshop") or any(segment == "APP13" for segment, _ in getattr(image, "applist", [])):
        removed.append("caption and author details (IPTC)")
    if info.get("comment"):
        removed.append("comment")
    if getattr(image, "text", None):
        removed.append("text notes")
    return removed


def _describe_exif(exif: Image.Exif) -> list[str]:
    found: list[str] = []
    try:
        main = dict(exif)
        details = dict(exif.get_ifd(0x8769))
        gps = exif.get_ifd(0x8825)
    except _DECODE_ERRORS:
        return found
    if gps:
        found.append("location (GPS)")
    if main.get(0x010F) or main.get(0x0110):
        found.append("camera make and model")
    if main.get(0x0132) or details.get(0x9003) or details.get(0x9004):
        found.append("date taken")
    if details.get(0xA431) or details.get(0xA435) or details.get(0xA420):
        found.append("camera serial number")
    if details.get(0x927C):
        found.append("camera maker's notes")
    if main.get(0x0131):
        found.append("editing software")
    if main.get(0x013B) or main.get(0x8298) or details.get(0xA430):
        found.append("author")
    return found


def _colour_profile(image: Image.Image, removed: list[str]) -> tuple[Image.Image, bytes | None]:
    """(picture, profile to embed): standard profiles kept, others converted away."""
    icc = image.info.pop("icc_profile", None)
    if not icc:
        return image, None
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        description = ImageCms.getProfileDescription(profile).strip().lower()
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        removed.append("colour profile")
        return image, None
    if description.startswith(_STANDARD_PROFILES):
        return image, icc
    removed.append("colour profile (colours converted to standard ones)")
    if image.mode not in ("RGB", "RGBA"):
        return image, None
    try:
        converted = ImageCms.profileToProfile(image, profile, ImageCms.createProfile("sRGB"), outputMode=image.mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image, None
    return converted or image, None


def _encode(
    image: Image.Image, kind: Kind, icc: bytes | None, subsampling: int, lossless: bool, exif: bytes = b""
) -> bytes:
    out = io.BytesIO()
    options: dict = {"icc_profile": icc} if icc else {}
    if exif:
        options["exif"] = exif
    if kind is Kind.JPEG:
        if image.mode not in ("L", "RGB", "CMYK"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=JPEG_QUALITY, subsampling=subsampling, **options)
    elif kind is Kind.PNG:
        if "transparency" in image.info:
            options["transparency"] = image.info["transparency"]
        image.save(out, "PNG", **options)
    else:
        webp = {"lossless": True, "exact": True} if lossless else {"quality": JPEG_QUALITY}
        image.save(out, "WEBP", **webp, **options)
    return out.getvalue()


def _is_lossless_webp(data: bytes) -> bool:
    return data[:4] == b"RIFF" and b"VP8L" in data[12:4096] and b"VP8 " not in data[12:4096]


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


# JPEG segments that carry pixels or how to decode them; everything else
# (APP1 EXIF/XMP, APP2 ICC/multi-picture, APP13 IPTC, COM …) is metadata.
# APP0 (JFIF) and APP14 (Adobe colour transform) change how pixels decode.
_JPEG_KEEP = {0xE0, 0xEE}


def strip_jpeg_metadata(data: bytes) -> tuple[bytes, list[str]]:
    """Drop a JPEG's metadata segments without re-encoding (for pictures in PDFs).

    A PDF's own colour space decides the colours, so nothing it needs is lost.
    Raises ValueError when the segments cannot be followed.
    """
    if not data.startswith(b"\xff\xd8"):
        raise ValueError("not a JPEG")
    out: list[bytes] = [b"\xff\xd8"]
    removed: list[str] = []
    pos = 2
    while True:
        if pos + 4 > len(data) or data[pos] != 0xFF:
            raise ValueError("broken JPEG segments")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xDA:  # start of scan: entropy-coded data follows, kept whole
            out.append(data[pos:])
            return b"".join(out), _unique(removed)
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        segment = data[pos : pos + 2 + length]
        if length < 2 or len(segment) != length + 2:
            raise ValueError("broken JPEG segments")
        if (0xE0 <= marker <= 0xEF and marker not in _JPEG_KEEP) or marker == 0xFE:
            removed += _describe_segment(marker, segment[4:])
        else:
            out.append(segment)
        pos += 2 + length


def _describe_segment(marker: int, body: bytes) -> list[str]:
    if marker == 0xE1 and body.startswith(b"Exif\x00\x00"):
        exif = Image.Exif()
        try:
            exif.load(body)
        except _DECODE_ERRORS:
            return ["photo details (EXIF)"]
        return ["photo details (EXIF)", *_describe_exif(exif)]
    if marker == 0xE1:
        return ["editing details (XMP)"]
    if marker == 0xED:
        return ["caption and author details (IPTC)"]
    if marker == 0xFE:
        return ["comment"]
    return ["other picture details"]

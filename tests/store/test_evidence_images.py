"""Pictures: metadata out (checked in the raw file), orientation applied, pixels kept."""

import io
import time
import tracemalloc

import pytest
from PIL import Image, ImageChops, ImageOps, ImageStat

from store.evidence import EvidenceLimits, EvidenceRefused, Kind, clean

from . import evidence_samples as samples

# JPEG markers that carry metadata: APP1 (EXIF/XMP) … APP15 except APP0 (JFIF)
# and APP14 (Adobe colour transform), and COM.
METADATA_MARKERS = set(range(0xE1, 0xF0)) - {0xEE} | {0xFE}


def mean_difference(a: Image.Image, b: Image.Image) -> float:
    assert a.size == b.size
    return sum(ImageStat.Stat(ImageChops.difference(a.convert("RGB"), b.convert("RGB"))).mean) / 3


def test_phone_photo_loses_all_metadata_and_is_turned_upright():
    original = samples.phone_photo(640, 480, orientation=6)
    assert samples.AUTHOR.encode() in original and b"Exif" in original  # the sample really carries them

    cleaned = clean(original, "IMG_2041.JPG")

    assert cleaned.kind is Kind.JPEG and cleaned.name == "IMG_2041.jpg"
    assert not set(samples.jpeg_segments(cleaned.data)) & METADATA_MARKERS
    for secret in (samples.AUTHOR, samples.CAMERA_MODEL, samples.TAKEN, "Exif", "xpacket", "adobe"):
        assert secret.encode() not in cleaned.data
    result = Image.open(io.BytesIO(cleaned.data))
    assert not result.getexif()
    # Orientation 6 is displayed turned 90° clockwise: the cleaned picture holds
    # those displayed pixels, so it is 480 wide and looks like what a viewer showed.
    assert (cleaned.width, cleaned.height) == result.size == (480, 640)
    displayed = ImageOps.exif_transpose(Image.open(io.BytesIO(original)))
    assert mean_difference(result, displayed) < 2.0
    for words in (
        "location (GPS)",
        "camera make and model",
        "date taken",
        "camera serial number",
        "camera maker's notes",
        "author",
        "editing details (XMP)",
        "comment",
        "rotation setting (the picture was turned upright)",
    ):
        assert words in cleaned.removed


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_orientation_is_applied_to_the_pixels(orientation):
    original = samples.phone_photo(120, 80, orientation=orientation)
    cleaned = clean(original, "x.jpg")
    displayed = ImageOps.exif_transpose(Image.open(io.BytesIO(original)))
    assert mean_difference(Image.open(io.BytesIO(cleaned.data)), displayed) < 3.0


def test_jpeg_keeps_its_chroma_subsampling_and_high_quality():
    source = samples.scene(400, 300)
    out = io.BytesIO()
    source.save(out, "JPEG", quality=97, subsampling=0, exif=samples.phone_exif(1).tobytes())
    cleaned = clean(out.getvalue(), "x.jpg")
    from PIL import JpegImagePlugin

    assert JpegImagePlugin.get_sampling(Image.open(io.BytesIO(cleaned.data))) == 0  # 4:4:4 stays 4:4:4
    assert mean_difference(Image.open(io.BytesIO(cleaned.data)), source) < 1.5


def test_png_text_chunks_and_exif_are_removed_and_pixels_are_identical():
    original = samples.png_with_notes()
    cleaned = clean(original, "screenshot.png")
    assert cleaned.kind is Kind.PNG
    assert set(samples.png_chunks(cleaned.data)) <= {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND", b"sRGB", b"gAMA"}
    assert samples.AUTHOR.encode() not in cleaned.data
    assert (
        ImageChops.difference(
            Image.open(io.BytesIO(cleaned.data)).convert("RGB"), Image.open(io.BytesIO(original)).convert("RGB")
        ).getbbox()
        is None
    )
    assert "text notes" in cleaned.removed and "location (GPS)" in cleaned.removed


def test_png_transparency_survives():
    image = Image.new("RGBA", (50, 40), (10, 20, 30, 0))
    image.paste((200, 0, 0, 255), (10, 10, 30, 30))
    out = io.BytesIO()
    image.save(out, "PNG")
    cleaned = Image.open(io.BytesIO(clean(out.getvalue(), "x.png").data))
    assert cleaned.mode == "RGBA" and ImageChops.difference(cleaned, image).getbbox() is None


@pytest.mark.parametrize("lossless", [False, True])
def test_webp_loses_exif_and_xmp_and_keeps_its_compression(lossless):
    original = samples.webp_photo(lossless)
    cleaned = clean(original, "x.webp")
    chunks = samples.webp_chunks(cleaned.data)
    assert b"EXIF" not in chunks and b"XMP " not in chunks
    assert (b"VP8L" in chunks) is lossless
    assert mean_difference(Image.open(io.BytesIO(cleaned.data)), Image.open(io.BytesIO(original))) < (
        0.01 if lossless else 2
    )


def test_heic_from_a_phone_becomes_an_upright_jpeg_without_metadata():
    original = samples.heic_photo(orientation=6)
    cleaned = clean(original, "IMG_0001.HEIC")
    assert cleaned.kind is Kind.JPEG and cleaned.name == "IMG_0001.jpg"
    assert "converted from HEIC to JPEG" in cleaned.removed and "location (GPS)" in cleaned.removed
    assert not set(samples.jpeg_segments(cleaned.data)) & METADATA_MARKERS
    assert samples.AUTHOR.encode() not in cleaned.data
    import pillow_heif

    displayed = pillow_heif.open_heif(io.BytesIO(original)).to_pillow()  # libheif's own upright picture
    result = Image.open(io.BytesIO(cleaned.data))
    assert result.size == displayed.size
    assert mean_difference(result, displayed) < 3.0


def test_identifying_colour_profile_is_converted_away_and_standard_one_kept():
    from PIL import ImageCms

    standard = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()  # "sRGB built-in"
    # The same profile renamed as a calibration tool names it: after a person.
    custom = standard.replace("sRGB built-in".encode("utf-16-be"), "G Przybylska!".encode("utf-16-be"))
    assert custom != standard
    for profile, kept in ((custom, False), (standard, True)):
        out = io.BytesIO()
        samples.scene(80, 60).save(out, "JPEG", icc_profile=profile)
        cleaned = clean(out.getvalue(), "x.jpg")
        assert (Image.open(io.BytesIO(cleaned.data)).info.get("icc_profile") is not None) is kept
        assert "G Przybylska".encode("utf-16-be") not in cleaned.data
        assert ("colour profile (colours converted to standard ones)" in cleaned.removed) is not kept


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_animated_pictures_are_refused(fmt):
    with pytest.raises(EvidenceRefused, match="moving pictures"):
        clean(samples.animated(fmt), "a." + fmt.lower())


def test_picture_claiming_ten_billion_pixels_is_refused_from_its_header():
    bomb = samples.png_claiming(100_000, 100_000)
    started = time.monotonic()
    with pytest.raises(EvidenceRefused, match="too large"):
        clean(bomb, "bomb.png")
    assert time.monotonic() - started < 1


@pytest.mark.parametrize("width, height", [(8000, 7000), (30_000, 10), (60_000, 60_000)])
def test_pictures_over_the_pixel_or_side_limit_are_refused_before_decoding(width, height):
    tracemalloc.start()
    try:
        with pytest.raises(EvidenceRefused, match="too large"):
            clean(samples.jpeg_claiming(width, height), "x.jpg")
        assert tracemalloc.get_traced_memory()[1] < 20 * 1024 * 1024
    finally:
        tracemalloc.stop()


def test_a_smaller_pixel_limit_is_honoured():
    with pytest.raises(EvidenceRefused, match=r"0\.01 million pixels"):
        clean(samples.phone_photo(200, 100, 1), "x.jpg", EvidenceLimits(max_pixels=10_000))


def test_compressed_text_bomb_in_a_png_is_bounded():
    bomb = samples.png_with_text_bomb(200 * 1024 * 1024)
    assert len(bomb) < 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(EvidenceRefused, match="damaged or incomplete"):  # Pillow stops at 1 MB of text
            clean(bomb, "bomb.png")
        assert tracemalloc.get_traced_memory()[1] < 64 * 1024 * 1024
    finally:
        tracemalloc.stop()


def test_pixel_data_bomb_decodes_only_what_the_picture_needs():
    bomb = samples.png_with_pixel_bomb()
    started = time.monotonic()
    cleaned = clean(bomb, "bomb.png")
    assert (cleaned.width, cleaned.height) == (1000, 1000)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_truncated_pictures_are_refused_as_damaged(cut):
    for data in (samples.phone_photo(), samples.png_with_notes()):
        with pytest.raises(EvidenceRefused, match="damaged or incomplete"):
            clean(data[: int(len(data) * cut)], "x")


def test_truncated_heic_is_refused_as_damaged():
    data = samples.heic_photo()
    with pytest.raises(EvidenceRefused, match="damaged or incomplete"):
        clean(data[: len(data) // 2], "x.heic")

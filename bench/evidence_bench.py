"""Time and peak memory of cleaning evidence files, as ratios to bare work in the same run.

    python bench/evidence_bench.py [--repeat 3]

Two workloads, each measured in fresh child processes (so one's memory does
not hide the next one's peak) against a baseline measured the same way:

* a 12-megapixel phone photo (4000 × 3000 JPEG with EXIF GPS, orientation 6):
  ``clean()`` against a bare Pillow decode + encode (quality 95) of the same file;
* a 20 MiB submission of 5 files (two 12 MP photos, a screenshot PNG, a PDF with
  photos, a Word file with a photo): ``clean_submission()`` against the bare
  equivalent per file (Pillow decode + encode; pypdf read + write of every page;
  a zip read + rewrite of every entry).

Time is the median of --repeat runs (wall clock); memory is the child's peak
resident size (VmHWM) above what it held once the input was in memory.
Inputs are generated into a temporary folder and removed afterwards.
"""

import argparse
import importlib
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))


def _photo(width: int, height: int, orientation: int) -> bytes:
    from PIL import Image, ImageChops

    from tests.store import evidence_samples as samples

    base = samples.scene(width, height)
    noise = Image.effect_noise((width, height), 18).convert("RGB")  # sensor noise makes a realistic file size
    picture = ImageChops.add(base, noise, scale=1.0, offset=-100)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=92, exif=samples.phone_exif(orientation).tobytes())
    return out.getvalue()


def make_inputs(folder: str) -> dict[str, list[str]]:
    from PIL import Image

    from tests.store import evidence_samples as samples

    photo = _photo(4000, 3000, 6)
    files = {"photo.jpg": photo, "second.jpg": _photo(4000, 3000, 1)}
    screenshot = io.BytesIO()
    samples.scene(1170, 2532).save(screenshot, "PNG")
    files["screenshot.png"] = screenshot.getvalue()
    files["report.docx"] = samples.office_file("docx", {"word/media/image2.jpeg": _photo(2000, 1500, 1)})
    used = sum(len(data) for data in files.values())
    files["scan.pdf"] = _pdf_with_photos(20 * 1024 * 1024 - used - 4096)
    paths = {}
    for name, data in files.items():
        paths[name] = os.path.join(folder, name)
        with open(paths[name], "wb") as out:
            out.write(data)
    assert Image.open(paths["photo.jpg"]).size == (4000, 3000)
    return {"photo": [paths["photo.jpg"]], "submission": list(paths.values())}


def _pdf_with_photos(budget: int) -> bytes:
    """A scanned-looking PDF: pages of JPEG photos, filling ``budget`` bytes."""
    import pypdf
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, NumberObject

    writer = pypdf.PdfWriter()
    writer.add_metadata({"/Author": "Bench Author"})
    used, index = 0, 0
    while True:
        jpeg = _photo(1240, 1754, 1)
        if used + len(jpeg) > budget:
            break
        used += len(jpeg)
        index += 1
        image = DecodedStreamObject()
        image._data = jpeg
        image.update(
            {
                NameObject(k): v
                for k, v in {
                    "/Type": NameObject("/XObject"),
                    "/Subtype": NameObject("/Image"),
                    "/Width": NumberObject(1240),
                    "/Height": NumberObject(1754),
                    "/ColorSpace": NameObject("/DeviceRGB"),
                    "/BitsPerComponent": NumberObject(8),
                    "/Filter": NameObject("/DCTDecode"),
                }.items()
            }
        )
        page = writer.add_blank_page(595, 842)
        content = DecodedStreamObject()
        content.set_data(b"q 595 0 0 842 0 0 cm /Im1 Do Q")
        page[NameObject("/Contents")] = writer._add_object(content)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/XObject"): DictionaryObject({NameObject("/Im1"): writer._add_object(image)})}
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def bare(data: bytes, name: str) -> None:
    """The least work that reads and writes the same file without cleaning it."""
    if name.endswith((".jpg", ".png")):
        from PIL import Image

        image = Image.open(io.BytesIO(data))
        image.load()
        image.save(io.BytesIO(), image.format, **({"quality": 95} if image.format == "JPEG" else {}))
    elif name.endswith(".pdf"):
        import pypdf

        writer = pypdf.PdfWriter()
        for page in pypdf.PdfReader(io.BytesIO(data)).pages:
            writer.add_page(page)
        writer.write(io.BytesIO())
    else:
        with (
            zipfile.ZipFile(io.BytesIO(data)) as source,
            zipfile.ZipFile(io.BytesIO(), "w", zipfile.ZIP_DEFLATED) as out,
        ):
            for info in source.infolist():
                out.writestr(info.filename, source.read(info))


def child(mode: str, paths: list[str]) -> None:
    from store.evidence import clean_submission  # imported before measuring, as a web worker has it

    for module in ("PIL.Image", "pypdf"):  # loaded before measuring too: only the loading matters
        importlib.import_module(module)

    files = []
    for path in paths:
        with open(path, "rb") as source:
            files.append((source.read(), os.path.basename(path)))
    before = _reset_peak()
    started = time.perf_counter()
    if mode == "clean":
        clean_submission(files)
    else:
        for data, name in files:
            bare(data, name)
    seconds = time.perf_counter() - started
    peak = _status_kb("VmHWM") - before
    print(json.dumps({"seconds": seconds, "peak_mb": peak / 1024}))


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def _reset_peak() -> int:
    """Start the peak-memory count afresh; the resident size now.

    ru_maxrss is inherited from the parent (which made the inputs), so the
    kernel's high-water mark is reset instead (Linux: clear_refs 5).
    """
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")
    return _status_kb("VmRSS")


def measure(mode: str, paths: list[str], repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, __file__, "--child", mode, *paths], capture_output=True, text=True, check=True, timeout=600
        )
        runs.append(json.loads(out.stdout))
    return {"seconds": statistics.median(r["seconds"] for r in runs), "peak_mb": max(r["peak_mb"] for r in runs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1:])
        return
    with tempfile.TemporaryDirectory(prefix="evidence-bench-") as folder:
        workloads = make_inputs(folder)
        for label, paths in workloads.items():
            size = sum(os.path.getsize(p) for p in paths) / (1024 * 1024)
            cleaned = measure("clean", paths, args.repeat)
            baseline = measure("bare", paths, args.repeat)
            print(f"{label}: {len(paths)} file(s), {size:.1f} MiB")
            print(f"  clean    {cleaned['seconds']:.2f} s, peak +{cleaned['peak_mb']:.0f} MB")
            print(f"  baseline {baseline['seconds']:.2f} s, peak +{baseline['peak_mb']:.0f} MB")
            print(
                f"  ratio    time {cleaned['seconds'] / baseline['seconds']:.2f}x,"
                f" memory {cleaned['peak_mb'] / max(baseline['peak_mb'], 1):.2f}x"
            )


if __name__ == "__main__":
    main()

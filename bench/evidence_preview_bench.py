"""Time to show evidence in the adviser's terminal, as ratios to bare decoding in the same run.

    python bench/evidence_preview_bench.py [--repeat 7]

Two workloads, each timed in the real viewer (``EvidenceViewer`` in a headless
Textual app at 120×36, from pushing the modal until the picture is on screen)
and against a baseline measured the same way in the same process:

* a 12-megapixel phone photo (4000 × 3000 JPEG, sensor noise for a realistic
  size): against Pillow decoding the same JPEG fully (``Image.open().load()``);
  target: shown in at most 1 s;
* the first page of a 20-page PDF: against PDFium opening it and rendering
  page 1 at 72 dpi.

Every figure is the median of --repeat runs (wall clock). The viewer's time
also includes loading in a worker, scaling, drawing the half-blocks and
Textual's own refresh.
"""

import argparse
import asyncio
import io
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

SIZE = (120, 36)
TARGET_SECONDS = 1.0


def photo_12mp() -> bytes:
    from PIL import Image, ImageChops

    from tests.store import evidence_samples as samples

    base = samples.scene(4000, 3000)
    noise = Image.effect_noise((4000, 3000), 18).convert("RGB")  # sensor noise: a realistic file size
    picture = ImageChops.add(base, noise, scale=1.0, offset=-100)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=92)
    return out.getvalue()


def pdf_20_pages() -> bytes:
    from tests.tui import evidence_files

    return evidence_files.pdf(pages=20)


def baseline_jpeg(data: bytes) -> None:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        image.load()


def baseline_pdf(data: bytes) -> None:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    page = document[0]
    page.render(scale=1).to_pil()
    page.close()
    document.close()


async def _show(name: str, kind: str, data: bytes) -> float:
    """Seconds from opening the viewer until its picture is drawn."""
    from textual.app import App

    from adviser_tui.modals.evidence_viewer import EvidenceItem, EvidenceViewer
    from adviser_tui.widgets.evidence_preview import EvidencePreview

    app = App()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        started = time.perf_counter()
        app.push_screen(EvidenceViewer(EvidenceItem(name, kind, len(data), [], lambda: data)))
        while True:
            await asyncio.sleep(0.002)
            screen = app.screen
            previews = screen.query(EvidencePreview) if isinstance(screen, EvidenceViewer) else []
            if previews:
                preview = previews.first()
                if preview.state == "error":
                    raise SystemExit(f"{name}: {preview.message}")
                if preview.renders:
                    break
        await pilot.pause()  # the frame with the picture
        return time.perf_counter() - started


def median_seconds(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def median_shown(name: str, kind: str, data: bytes, repeat: int) -> float:
    asyncio.run(_show(name, kind, data))  # warm-up: imports, PDFium's first load
    return statistics.median(asyncio.run(_show(name, kind, data)) for _ in range(repeat))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)

    photo = photo_12mp()
    pdf = pdf_20_pages()
    print(
        f"inputs: 12 MP JPEG {len(photo) / 1e6:.1f} MB; 20-page PDF {len(pdf) / 1e6:.2f} MB; viewer at {SIZE[0]}×{SIZE[1]}"
    )
    failed = False
    for label, name, kind, data, baseline in (
        ("12 MP photo", "photo.jpg", "JPEG", photo, baseline_jpeg),
        ("PDF page 1 of 20", "letter.pdf", "PDF", pdf, baseline_pdf),
    ):
        base = median_seconds(lambda d=data, b=baseline: b(d), args.repeat)
        shown = median_shown(name, kind, data, args.repeat)
        verdict = ""
        if label == "12 MP photo":
            ok = shown <= TARGET_SECONDS
            failed |= not ok
            verdict = f"  target ≤ {TARGET_SECONDS:g} s: {'met' if ok else 'MISSED'}"
        print(
            f"{label:18} shown in {shown * 1000:7.1f} ms   baseline {base * 1000:7.1f} ms   "
            f"ratio {shown / base:5.2f}{verdict}"
        )
    print(f"(medians of {args.repeat} runs; baselines: Pillow full decode, PDFium page 1 at 72 dpi)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

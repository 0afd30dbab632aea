"""Time to show evidence in the adviser's terminal, as ratios to bare decoding in the same run.

    python bench/evidence_preview_bench.py [--repeat 7] [--graphics halfblocks,kitty,sixel]

Two workloads, each timed in the real viewer (``EvidenceViewer`` in a headless
Textual app at 120×36, from pushing the modal until the picture is on screen)
and against a baseline measured the same way in the same process:

* a 12-megapixel phone photo (4000 × 3000 JPEG, sensor noise for a realistic
  size): against Pillow decoding the same JPEG fully (``Image.open().load()``);
  target: shown in at most 1 s;
* the first page of a 20-page PDF: against PDFium opening it and rendering
  page 1 at 72 dpi.

Each is shown in every drawing mode asked for (``--graphics``; cells of
10 × 20 pixels for kitty and sixel): half-blocks until they are on screen,
kitty until the picture has been handed to the terminal (the escape
sequences built and written), sixel until its first image has been written.
The bytes the terminal would receive for the picture (what an SSH link
carries) are printed beside the time.

Every figure is the median of --repeat runs (wall clock). The viewer's time
also includes loading in a worker, scaling, drawing and Textual's own
refresh.
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


async def _show(name: str, kind: str, data: bytes, mode: str = "halfblocks") -> tuple[float, int]:
    """Seconds from opening the viewer until its picture is drawn, and the bytes written for it besides frames."""
    from textual.app import App

    from adviser_tui.modals.evidence_viewer import EvidenceItem, EvidenceViewer
    from adviser_tui.terminal_graphics import Graphics
    from adviser_tui.widgets.evidence_preview import EvidencePreview
    from adviser_tui.widgets.graphics import SixelPicture

    app = App()
    app.graphics = Graphics(mode, (10, 20))  # type: ignore[attr-defined]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        written: list[str] = []
        app._driver.write = written.append  # type: ignore[union-attr]  # headless: frames are not written
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
                if preview.renders and mode != "sixel":
                    break
                sixels = screen.query(SixelPicture)
                if sixels and sixels.first().writes:
                    break
        if mode != "sixel":
            await pilot.pause()  # the frame with the picture
        return time.perf_counter() - started, sum(len(w.encode()) for w in written)


def median_seconds(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def median_shown(name: str, kind: str, data: bytes, repeat: int, mode: str) -> tuple[float, int]:
    asyncio.run(_show(name, kind, data, mode))  # warm-up: imports, PDFium's first load
    runs = [asyncio.run(_show(name, kind, data, mode)) for _ in range(repeat)]
    return statistics.median(t for t, _ in runs), max(b for _, b in runs)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--graphics", default="halfblocks,kitty,sixel", help="drawing modes, comma-separated")
    args = parser.parse_args(argv)
    modes = [m.strip() for m in args.graphics.split(",") if m.strip()]

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
        for mode in modes:
            shown, sent = median_shown(name, kind, data, args.repeat, mode)
            verdict = ""
            if label == "12 MP photo":
                ok = shown <= TARGET_SECONDS
                failed |= not ok
                verdict = f"  target ≤ {TARGET_SECONDS:g} s: {'met' if ok else 'MISSED'}"
            print(
                f"{label:18} {mode:10} shown in {shown * 1000:7.1f} ms   baseline {base * 1000:7.1f} ms   "
                f"ratio {shown / base:5.2f}   sent {sent / 1000:6.0f} kB{verdict}"
            )
    print(f"(medians of {args.repeat} runs; baselines: Pillow full decode, PDFium page 1 at 72 dpi)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Which way the adviser's terminal can draw pictures: kitty graphics, sixel, or Unicode half-blocks.

``choose(setting, environ, stdin, stdout)`` runs once, before Textual takes
the terminal (``app.run``): afterwards Textual's input thread reads every
answer and would take a terminal's reply for typed keys. The setting is
``Config.evidence_graphics`` (or ``TELLUS_EVIDENCE_GRAPHICS`` for one session):

* ``halfblocks``, ``kitty``, ``sixel``: that, without asking the terminal
  (the cell size then comes from the kernel's window size, else 10×20);
* ``auto``: half-blocks inside tmux or screen (``TMUX``, or ``TERM`` naming
  them: they do not pass graphics through) and when stdin or stdout is not a
  terminal; otherwise the terminal is asked, in one write, for kitty graphics
  (a query ``a=q`` that stores nothing), its name and version (XTVERSION),
  its cell size in pixels (``CSI 16 t``), its sixel colour registers
  (XTSMGRAPHICS) and its primary device attributes
  (DA1, ``CSI c``). Every terminal answers DA1 and answers in order, so the DA1
  reply means every answer that will come has come: the wait is one round
  trip. A terminal that answers nothing is given ``PROBE_SECONDS``, then the
  app starts with half-blocks.

Kitty graphics are drawn with Unicode placeholders, which only kitty 0.28 and
later and Ghostty draw; other terminals answering the kitty query (WezTerm,
Konsole, older kitty) would show the placeholder characters, so they get
sixel if their DA1 reply offers it (attribute 4: WezTerm, foot, mlterm,
``xterm -ti vt340``), else half-blocks. Sixel also needs the cell size in
pixels (a terminal does not scale sixel), so without it: half-blocks.

Nothing here imports Textual: it is plain terminal I/O with a bound on the
time and on the bytes read.
"""

import os
import re
import select
import termios
import time
from dataclasses import dataclass

from store.config import EVIDENCE_GRAPHICS, ConfigError, graphics_error

ENV = "TELLUS_EVIDENCE_GRAPHICS"
# How long a terminal that answers nothing holds up the start of the app.
PROBE_SECONDS = 1.0
# The most bytes read while waiting: the answers are well under 200.
MAX_ANSWER_BYTES = 4096
# A cell's size in pixels when the terminal does not say (a common 10×20 font).
DEFAULT_CELL = (10, 20)

# The query's image id; ``a=q`` asks whether an image could be loaded and stores nothing.
QUERY_ID = 31
KITTY_QUERY = f"\x1b_Gi={QUERY_ID},s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\"
XTVERSION_QUERY = "\x1b[>0q"
CELL_SIZE_QUERY = "\x1b[16t"
COLOURS_QUERY = "\x1b[?1;1;0S"  # XTSMGRAPHICS: how many sixel colour registers
DA1_QUERY = "\x1b[c"
QUERIES = KITTY_QUERY + XTVERSION_QUERY + CELL_SIZE_QUERY + COLOURS_QUERY + DA1_QUERY

_KITTY_ANSWER = re.compile(r"\x1b_G([^;\x1b]*);([^\x1b]*)\x1b\\")
_XTVERSION_ANSWER = re.compile(r"\x1bP>\|([^\x1b]{0,80})\x1b\\")
_CELL_ANSWER = re.compile(r"\x1b\[6;(\d{1,4});(\d{1,4})t")
_COLOURS_ANSWER = re.compile(r"\x1b\[\?1;0;(\d{1,6})S")
_DA1_ANSWER = re.compile(r"\x1b\[\?([\d;]{0,80})c")
_VERSION = re.compile(r"(\d+)\.(\d+)(?:\.(\d+))?")


@dataclass(frozen=True)
class Graphics:
    """How pictures are drawn: ``mode`` is "kitty", "sixel" or "halfblocks"; ``cell`` is (width, height) in pixels."""

    mode: str = "halfblocks"
    cell: tuple[int, int] = DEFAULT_CELL
    reason: str = "the default"
    colours: int = 256  # sixel colour registers to use


HALFBLOCKS = Graphics()


@dataclass(frozen=True)
class Answers:
    """What a terminal said to ``QUERIES``."""

    complete: bool = False  # the DA1 reply came (so every other answer that will come has come)
    kitty: bool = False  # the kitty query was answered OK
    sixel: bool = False  # DA1 lists attribute 4
    name: str = ""  # XTVERSION, e.g. "kitty(0.35.2)", "XTerm(379)", "ghostty 1.1.3"
    cell: tuple[int, int] | None = None  # (width, height) in pixels
    colours: int | None = None  # sixel colour registers

    @property
    def kitty_placeholders(self) -> bool:
        """Whether this terminal draws kitty's Unicode placeholders (kitty ≥ 0.28, Ghostty)."""
        name = self.name.lower()
        if name.startswith("ghostty"):
            return True
        if name.startswith("kitty"):
            version = _VERSION.search(name)
            return version is not None and (int(version[1]), int(version[2])) >= (0, 28)
        return False


def parse_answers(text: str) -> Answers:
    """The answers found in what the terminal sent back (anything else in ``text`` is ignored)."""
    kitty = any(f"i={QUERY_ID}" in keys.split(",") and status == "OK" for keys, status in _KITTY_ANSWER.findall(text))
    da1 = _DA1_ANSWER.search(text)
    sixel = da1 is not None and "4" in da1[1].split(";")
    version = _XTVERSION_ANSWER.search(text)
    name = "".join(ch for ch in version[1] if ch.isprintable()) if version else ""
    cell_answer = _CELL_ANSWER.search(text)
    cell = None
    if cell_answer:
        height, width = int(cell_answer[1]), int(cell_answer[2])
        if 2 <= width <= 200 and 2 <= height <= 400:
            cell = (width, height)
    colours_answer = _COLOURS_ANSWER.search(text)
    colours = int(colours_answer[1]) if colours_answer else None
    return Answers(complete=da1 is not None, kitty=kitty, sixel=sixel, name=name, cell=cell, colours=colours)


def probe(fd_in: int, fd_out: int, timeout: float = PROBE_SECONDS) -> Answers:
    """Ask the terminal on ``fd_in``/``fd_out`` (a tty) and wait at most ``timeout`` seconds for its answers.

    Echo and line editing are off while waiting (so nothing appears on screen)
    and restored afterwards, whatever happens. Keys typed during the wait are
    read with the answers and dropped.
    """
    saved = termios.tcgetattr(fd_in)
    quiet = termios.tcgetattr(fd_in)
    quiet[3] &= ~(termios.ECHO | termios.ICANON)
    quiet[6][termios.VMIN] = 0
    quiet[6][termios.VTIME] = 0
    received = b""
    try:
        termios.tcsetattr(fd_in, termios.TCSANOW, quiet)
        os.write(fd_out, QUERIES.encode("ascii"))
        deadline = time.monotonic() + timeout
        while len(received) < MAX_ANSWER_BYTES:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            readable, _, _ = select.select([fd_in], [], [], left)
            if not readable:
                break
            chunk = os.read(fd_in, MAX_ANSWER_BYTES - len(received))
            if not chunk:
                break
            received += chunk
            if _DA1_ANSWER.search(received.decode("latin-1")):
                break
        if not _DA1_ANSWER.search(received.decode("latin-1")):
            # No complete answer: drop whatever part of one has arrived, so the app does not read it as keys.
            termios.tcflush(fd_in, termios.TCIFLUSH)
    finally:
        termios.tcsetattr(fd_in, termios.TCSADRAIN, saved)
    return parse_answers(received.decode("utf-8", errors="replace"))


def pixel_cell(fd: int) -> tuple[int, int] | None:
    """The cell size in pixels from the kernel's window size (TIOCGWINSZ), when the terminal fills it in."""
    import fcntl
    import struct

    try:
        rows, columns, width, height = struct.unpack("HHHH", fcntl.ioctl(fd, termios.TIOCGWINSZ, b"\0" * 8))
    except OSError:
        return None
    if rows and columns and width and height:
        cell = (width // columns, height // rows)
        if 2 <= cell[0] <= 200 and 2 <= cell[1] <= 400:
            return cell
    return None


def setting_from(setting: str, environ) -> str:
    """The mode asked for: ``TELLUS_EVIDENCE_GRAPHICS`` when set (one adviser's session), else the configuration."""
    value = environ.get(ENV, "").strip()
    if value:
        if value not in EVIDENCE_GRAPHICS:
            raise ConfigError(graphics_error(ENV, value))
        return value
    return setting


def in_multiplexer(environ) -> bool:
    term = environ.get("TERM", "")
    return bool(environ.get("TMUX")) or term.startswith(("screen", "tmux"))


def decide(answers: Answers, cell: tuple[int, int] | None = None) -> Graphics:
    """The drawing mode for a terminal that gave ``answers`` (``cell``: the kernel's idea of the cell size)."""
    cell = answers.cell or cell
    if not answers.complete:
        return Graphics("halfblocks", reason="the terminal did not answer in time")
    if answers.kitty and answers.kitty_placeholders:
        return Graphics("kitty", cell or DEFAULT_CELL, reason=f"{answers.name} draws kitty graphics")
    older = f"{answers.name or 'the terminal'} answers kitty graphics but draws no Unicode placeholders"
    if answers.sixel and cell is not None:
        colours = max(2, min(256, answers.colours or 256))
        return Graphics("sixel", cell, reason="the terminal offers sixel graphics", colours=colours)
    if answers.sixel:
        return Graphics("halfblocks", reason="the terminal offers sixel but did not say its cell size")
    if answers.kitty:
        return Graphics("halfblocks", reason=older)
    return Graphics("halfblocks", reason="the terminal offers no graphics the app can use")


def forced(setting: str) -> Graphics:
    """The drawing mode a setting gives without asking the terminal ("auto" then means half-blocks)."""
    if setting in ("kitty", "sixel"):
        return Graphics(setting, DEFAULT_CELL, reason=f"{setting} was asked for")
    return Graphics("halfblocks", reason="half-blocks were asked for" if setting == "halfblocks" else "not asked")


def choose(setting: str, environ, stdin=None, stdout=None, timeout: float = PROBE_SECONDS) -> Graphics:
    """The drawing mode for this session (see the module's docstring); asks the terminal only for ``auto``."""
    mode = setting_from(setting, environ)
    fd_out = _fileno(stdout)
    cell = pixel_cell(fd_out) if fd_out is not None and os.isatty(fd_out) else None
    if mode == "halfblocks":
        return Graphics("halfblocks", reason="half-blocks were asked for")
    if mode in ("kitty", "sixel"):
        return Graphics(mode, cell or DEFAULT_CELL, reason=f"{mode} was asked for")
    if in_multiplexer(environ):
        return Graphics("halfblocks", reason="tmux or screen does not pass pictures through")
    fd_in = _fileno(stdin)
    if fd_in is None or fd_out is None or not (os.isatty(fd_in) and os.isatty(fd_out)):
        return Graphics("halfblocks", reason="not a terminal")
    try:
        answers = probe(fd_in, fd_out, timeout)
    except (OSError, termios.error):
        return Graphics("halfblocks", reason="the terminal could not be asked")
    return decide(answers, cell)


def prepare_colours(graphics: Graphics, environ) -> None:
    """For kitty graphics, make Textual write 24-bit colour (``COLORTERM``), before the app is made.

    A placeholder's colour is its image id: reduced to the nearest of 256 colours it would name another image.
    SSH does not pass COLORTERM on, and Rich takes ``TERM=xterm-kitty`` for 256 colours; every terminal that
    draws kitty placeholders has 24-bit colour.
    """
    if graphics.mode == "kitty" and not environ.get("COLORTERM"):
        environ["COLORTERM"] = "truecolor"


def _fileno(stream) -> int | None:
    if stream is None:
        return None
    try:
        return stream.fileno()
    except (AttributeError, OSError, ValueError):
        return None

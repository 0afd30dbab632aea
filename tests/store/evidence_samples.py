"""Sample files for the evidence cleaner, made on the spot (nothing binary is committed).

Real-looking ones (a phone photo with GPS, a PDF and Office files with their
authors) and hostile ones (bombs, lies in headers, polyglots). The readers
at the end look at raw file structure independently of the cleaner.
"""

import io
import struct
import zipfile
import zlib

from PIL import Image, ImageDraw
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

AUTHOR = "Gwenllian Przybylska-Haddad"  # Welsh, Polish and Arabic roots: a name that must vanish
COMPANY = "Prifysgol Aberdaugleddau Estates"
CAMERA_MAKE = "Fairphone"
CAMERA_MODEL = "FP5 Secret Edition"
TAKEN = "2026:03:14 09:26:53"
GPS = {1: "N", 2: (51.0, 42.0, 43.5), 3: "W", 4: (5.0, 2.0, 11.25)}
LOCAL_PATH = "C:\\Users\\gprzybylska\\Documents\\Templates\\Complaint.dotm"


# --- pictures ---------------------------------------------------------------


def scene(width: int = 640, height: int = 480) -> Image.Image:
    """A picture whose four corners differ, so a rotation or flip shows."""
    image = Image.new("RGB", (width, height), (240, 240, 235))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, width // 3, height // 3], fill=(200, 30, 30))  # top left red
    draw.rectangle([width * 2 // 3, 0, width, height // 3], fill=(30, 160, 40))  # top right green
    draw.rectangle([0, height * 2 // 3, width // 3, height], fill=(30, 40, 200))  # bottom left blue
    draw.ellipse([width // 3, height // 3, width * 2 // 3, height * 2 // 3], fill=(250, 200, 0))
    return image


def phone_exif(orientation: int = 6) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = CAMERA_MAKE
    exif[0x0110] = CAMERA_MODEL
    exif[0x0131] = "PhotoEditor 3.1"
    exif[0x013B] = AUTHOR
    exif[0x0132] = TAKEN
    exif[0x0112] = orientation
    details = exif.get_ifd(0x8769)
    details[0x9003] = TAKEN
    details[0xA431] = "SN-48151623"
    details[0x927C] = b"MakerNote:" + AUTHOR.encode()
    exif.get_ifd(0x8825).update(GPS)
    return exif


XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>' + AUTHOR + "</dc:creator>"
    "</rdf:Description></rdf:RDF></x:xmpmeta>"
)


def phone_photo(width: int = 640, height: int = 480, orientation: int = 6, image: Image.Image | None = None) -> bytes:
    """A JPEG as a phone writes it: EXIF with GPS, camera, date, orientation; XMP; a comment."""
    out = io.BytesIO()
    (image or scene(width, height)).save(
        out, "JPEG", quality=92, exif=phone_exif(orientation).tobytes(), xmp=XMP.encode(), comment=AUTHOR.encode()
    )
    return out.getvalue()


def png_with_notes() -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", AUTHOR)
    info.add_text("Comment", "taken outside the " + COMPANY, zip=True)
    info.add_itxt("XML:com.adobe.xmp", XMP)
    out = io.BytesIO()
    scene(320, 200).save(out, "PNG", pnginfo=info, exif=phone_exif(1).tobytes())
    return out.getvalue()


def webp_photo(lossless: bool = False) -> bytes:
    out = io.BytesIO()
    scene(320, 240).save(out, "WEBP", lossless=lossless, quality=90, exif=phone_exif(1).tobytes(), xmp=XMP.encode())
    return out.getvalue()


def heic_photo(orientation: int = 6) -> bytes:
    import pillow_heif

    heif = pillow_heif.from_pillow(scene(320, 240))
    out = io.BytesIO()
    heif.save(out, quality=90, exif=phone_exif(orientation).tobytes(), xmp=XMP.encode())
    return out.getvalue()


def animated(format_: str) -> bytes:
    frames = [scene(64, 48), scene(64, 48).transpose(Image.Transpose.FLIP_LEFT_RIGHT)]
    out = io.BytesIO()
    frames[0].save(out, format_, save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_claiming(width: int, height: int, idat: bytes | None = None) -> bytes:
    """A PNG whose header claims a size its tiny data never fills."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    idat = idat if idat is not None else zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def png_with_text_bomb(expanded: int = 200 * 1024 * 1024) -> bytes:
    """A 1 × 1 PNG with a compressed text chunk that would expand to ``expanded`` bytes."""
    squeeze = zlib.compressobj(9)
    bomb = b"".join(squeeze.compress(b"\x00" * (1024 * 1024)) for _ in range(expanded // (1024 * 1024)))
    bomb += squeeze.flush()
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"zTXt", b"Comment\x00\x00" + bomb)
        + _chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + _chunk(b"IEND", b"")
    )


def png_with_pixel_bomb() -> bytes:
    """A 1000 × 1000 PNG whose pixel data expands far beyond what the picture needs."""
    squeeze = zlib.compressobj(9)
    bomb = b"".join(squeeze.compress(b"\x00" * (1024 * 1024)) for _ in range(300)) + squeeze.flush()
    return png_claiming(1000, 1000, bomb)


def jpeg_claiming(width: int, height: int) -> bytes:
    """A real small JPEG whose frame header is rewritten to claim another size."""
    data = bytearray(phone_photo(64, 48, 1))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


# --- PDF --------------------------------------------------------------------


def pdf_with_author(pages: int = 2, with_picture: bool = True) -> bytes:
    """A PDF with an information dictionary, XMP, an attachment, a script, a comment and a photo."""
    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )
    resources = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
    picture = None
    if with_picture:
        jpeg = phone_photo(64, 48, 1)
        picture_stream = DecodedStreamObject()
        picture_stream._data = jpeg
        picture_stream.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Image"),
                NameObject("/Width"): NumberObject(64),
                NameObject("/Height"): NumberObject(48),
                NameObject("/ColorSpace"): NameObject("/DeviceRGB"),
                NameObject("/BitsPerComponent"): NumberObject(8),
                NameObject("/Filter"): NameObject("/DCTDecode"),
            }
        )
        picture = writer._add_object(picture_stream)
        resources[NameObject("/XObject")] = DictionaryObject({NameObject("/Im1"): picture})
    for number in range(1, pages + 1):
        page = writer.add_blank_page(595, 842)
        content = DecodedStreamObject()
        drawing = f"BT /F1 24 Tf 72 720 Td (Evidence page {number}) Tj ET".encode()
        if picture is not None:
            drawing += b" q 128 0 0 96 72 500 cm /Im1 Do Q"
        content.set_data(drawing)
        page[NameObject("/Contents")] = writer._add_object(content)
        page[NameObject("/Resources")] = resources
        page[NameObject("/PieceInfo")] = DictionaryObject(
            {NameObject("/Illustrator"): DictionaryObject({NameObject("/Private"): TextStringObject(AUTHOR)})}
        )
        note = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Text"),
                NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (72, 600, 92, 620)]),
                NameObject("/Contents"): TextStringObject("see the second paragraph"),
                NameObject("/T"): TextStringObject(AUTHOR),
                NameObject("/M"): TextStringObject("D:20260314092653+00'00'"),
            }
        )
        page[NameObject("/Annots")] = ArrayObject([writer._add_object(note)])
    writer.add_metadata({"/Author": AUTHOR, "/Creator": "Microsoft Word for " + COMPANY, "/Title": "Complaint"})
    writer.xmp_metadata = XMP.encode()
    writer.add_attachment("contacts.txt", ("Call " + AUTHOR).encode())
    writer.root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- Office Open XML ---------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _core() -> str:
    return (
        DECL + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>Complaint</dc:title><dc:creator>{AUTHOR}</dc:creator>"
        f"<cp:lastModifiedBy>{AUTHOR}</cp:lastModifiedBy><cp:revision>7</cp:revision>"
        '<dcterms:created xsi:type="dcterms:W3CDTF">2026-03-14T09:26:00Z</dcterms:created>'
        "</cp:coreProperties>"
    )


def _app(application: str) -> str:
    return (
        DECL + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
        ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Template>Normal.dotm</Template><TotalTime>42</TotalTime><Application>{application}</Application>"
        f"<Company>{COMPANY}</Company><Manager>{AUTHOR}</Manager></Properties>"
    )


def _custom() -> str:
    return (
        DECL + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"'
        ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="MSIP_Label_Owner">'
        f"<vt:lpwstr>{AUTHOR.lower().replace(' ', '.')}@example.ac.uk</vt:lpwstr></property></Properties>"
    )


_PACKAGE_TYPES = {
    "docx": ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    "docm": ("word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"),
    "xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    "pptx": (
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    ),
}


def _content_types(main: str, main_type: str, extra: dict[str, str]) -> str:
    overrides = {
        main: main_type,
        "docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
        "docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
        "docProps/custom.xml": "application/vnd.openxmlformats-officedocument.custom-properties+xml",
        **extra,
    }
    return (
        DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="jpeg" ContentType="image/jpeg"/>'
        '<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.oleObject"/>'
        '<Default Extension="xlsx" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"/>'
        '<Default Extension="zip" ContentType="application/zip"/>'
        + "".join(f'<Override PartName="/{name}" ContentType="{kind}"/>' for name, kind in overrides.items())
        + "</Types>"
    )


def _root_rels(main: str) -> str:
    return (
        DECL + f'<Relationships xmlns="{REL}">'
        f'<Relationship Id="rId1" Type="{R}/officeDocument" Target="{main}"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        f'<Relationship Id="rId3" Type="{R}/extended-properties" Target="docProps/app.xml"/>'
        f'<Relationship Id="rId4" Type="{R}/custom-properties" Target="docProps/custom.xml"/>'
        "</Relationships>"
    )


def word_parts() -> dict[str, bytes | str]:
    document = (
        DECL + f'<w:document xmlns:w="{W}" xmlns:r="{R}" xmlns:mc="{MC}" xmlns:w14="{W14}" xmlns:w15="{W15}"'
        ' mc:Ignorable="w14 w15">'
        "<!-- saved by " + AUTHOR + " -->"
        '<w:body><w:p><w:r><w:t xml:space="preserve">Dw i\'n adrodd: zażółć gęślą jaźń — تقرير 📸 &amp; more  </w:t></w:r>'
        f'<w:ins w:id="1" w:author="{AUTHOR}" w:date="2026-03-14T09:30:00Z"><w:r><w:t>inserted</w:t></w:r></w:ins>'
        f'<w:del w:id="2" w:author="Dr Ieuan Jones" w:date="2026-03-14T09:31:00Z"><w:r><w:delText>gone</w:delText></w:r></w:del>'
        '<w:commentRangeStart w:id="0"/><w:r><w:t>noted</w:t></w:r><w:commentRangeEnd w:id="0"/>'
        '<w:r><w:drawing><a:blip xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" r:embed="rId9"/></w:drawing></w:r>'
        "</w:p><w:sectPr/></w:body></w:document>"
    )
    comments = (
        DECL + f'<w:comments xmlns:w="{W}"><w:comment w:id="0" w:author="{AUTHOR}" w:initials="GP"'
        ' w:date="2026-03-14T09:32:00Z"><w:p><w:r><w:t>This is what he said.</w:t></w:r></w:p></w:comment></w:comments>'
    )
    people = (
        DECL + f'<w15:people xmlns:w15="{W15}"><w15:person w15:author="{AUTHOR}">'
        f'<w15:presenceInfo w15:providerId="AD" w15:userId="S::gp@example.ac.uk::1234"/></w15:person></w15:people>'
    )
    settings = DECL + f'<w:settings xmlns:w="{W}" xmlns:r="{R}"><w:attachedTemplate r:id="rId1"/></w:settings>'
    settings_rels = (
        DECL + f'<Relationships xmlns="{REL}"><Relationship Id="rId1" Type="{R}/attachedTemplate"'
        f' Target="file:///{LOCAL_PATH}" TargetMode="External"/></Relationships>'
    )
    document_rels = (
        DECL + f'<Relationships xmlns="{REL}">'
        f'<Relationship Id="rId1" Type="{R}/comments" Target="comments.xml"/>'
        f'<Relationship Id="rId2" Type="{R}/settings" Target="settings.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.microsoft.com/office/2011/relationships/people" Target="people.xml"/>'
        f'<Relationship Id="rId9" Type="{R}/image" Target="media/image1.jpeg"/>'
        f'<Relationship Id="rId10" Type="{R}/hyperlink" Target="https://example.org/policy" TargetMode="External"/>'
        "</Relationships>"
    )
    return {
        "word/document.xml": document,
        "word/comments.xml": comments,
        "word/people.xml": people,
        "word/settings.xml": settings,
        "word/_rels/settings.xml.rels": settings_rels,
        "word/_rels/document.xml.rels": document_rels,
        "word/media/image1.jpeg": phone_photo(64, 48, 6),
    }


def excel_parts() -> dict[str, bytes | str]:
    x = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    return {
        "xl/workbook.xml": DECL + f'<workbook xmlns="{x}" xmlns:r="{R}" xmlns:mc="{MC}"'
        ' xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac">'
        f'<fileSharing userName="{AUTHOR}"/>'
        '<mc:AlternateContent><mc:Choice Requires="x15"><x15ac:absPath url="C:\\Users\\gprzybylska\\Desktop\\"/>'
        '</mc:Choice></mc:AlternateContent><sheets><sheet name="Incidents" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/comments1.xml": DECL + f'<comments xmlns="{x}"><authors><author>{AUTHOR}</author></authors>'
        '<commentList><comment ref="A1" authorId="0"><text><t>check date</t></text></comment></commentList></comments>',
        "xl/persons/person.xml": DECL
        + '<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">'
        f'<person displayName="{AUTHOR}" id="{{0F1}}" userId="gp@example.ac.uk" providerId="AD"/></personList>',
        "xl/printerSettings/printerSettings1.bin": "\\\\PRINTSRV-HR\\Floor3-Estates".encode("utf-16-le").ljust(
            64, b"\0"
        )
        + bytes(156),
    }


def powerpoint_parts() -> dict[str, bytes | str]:
    p = "http://schemas.openxmlformats.org/presentationml/2006/main"
    return {
        "ppt/presentation.xml": DECL + f'<p:presentation xmlns:p="{p}"/>',
        "ppt/commentAuthors.xml": DECL + f'<p:cmAuthorLst xmlns:p="{p}"><p:cmAuthor id="1" name="{AUTHOR}"'
        ' initials="GP" lastIdx="1" clrIdx="0"/></p:cmAuthorLst>',
        "ppt/authors.xml": DECL
        + '<p188:authorLst xmlns:p188="http://schemas.microsoft.com/office/powerpoint/2018/8/main">'
        f'<p188:author id="{{A1}}" name="{AUTHOR}" initials="GP" userId="gp@example.ac.uk" providerId="AD"/></p188:authorLst>',
    }


def office_file(
    kind: str = "docx", extra: dict[str, bytes | str] | None = None, content_types: dict | None = None
) -> bytes:
    """An Office package with its author everywhere an author hides."""
    main, main_type = _PACKAGE_TYPES[kind]
    parts = {"docx": word_parts, "docm": word_parts, "xlsx": excel_parts, "pptx": powerpoint_parts}[kind]()
    parts.update(extra or {})
    files = {
        "[Content_Types].xml": _content_types(
            main,
            main_type,
            {
                "xl/printerSettings/printerSettings1.bin": "application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings",
                **(content_types or {}),
            },
        ),
        "_rels/.rels": _root_rels(main),
        "docProps/core.xml": _core(),
        "docProps/app.xml": _app(
            {"docx": "Microsoft Office Word", "xlsx": "Microsoft Excel"}.get(kind, "Microsoft Office PowerPoint")
        ),
        "docProps/custom.xml": _custom(),
        **parts,
    }
    return zip_of(files)


def zip_of(files: dict[str, bytes | str], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as package:
        for name, data in files.items():
            entry = zipfile.ZipInfo(name, date_time=(2026, 3, 14, 9, 26, 52))
            entry.compress_type = compression
            package.writestr(entry, data.encode() if isinstance(data, str) else data)
    return out.getvalue()


def zeros_entry(size: int) -> bytes:
    """``size`` bytes of zeros (compressed by the zip writer to almost nothing)."""
    return bytes(size)


# --- raw readers (independent of the cleaner) --------------------------------


def jpeg_segments(data: bytes) -> list[int]:
    """The markers of a JPEG's header segments, up to the start of scan."""
    assert data[:2] == b"\xff\xd8"
    markers, pos = [], 2
    while True:
        marker = data[pos + 1]
        markers.append(marker)
        if marker == 0xDA:
            return markers
        pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")


def png_chunks(data: bytes) -> list[bytes]:
    chunks, pos = [], 8
    while pos < len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        chunks.append(data[pos + 4 : pos + 8])
        pos += 12 + length
    return chunks


def webp_chunks(data: bytes) -> list[bytes]:
    chunks, pos = [], 12
    while pos + 8 <= len(data):
        chunks.append(data[pos : pos + 4])
        length = int.from_bytes(data[pos + 4 : pos + 8], "little")
        pos += 8 + length + (length & 1)
    return chunks


def zip_texts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {info.filename: package.read(info) for info in package.infolist()}

"""Media, documents, images, GIS data, and Nix/Guix read verbs. Known-safe shapes
(tools/__init__.py).

These tools read a file and print what it holds or write a converted copy. What keeps them
ordinary is where they read from and where they write:

* inputs are plain local files with a media, image, document or GIS suffix: never a URL or a
  protocol (ffmpeg's ``concat:``/``subfile,``/``pipe:``/``file:``, GDAL's ``/vsicurl/`` and
  ``PG:``, ImageMagick's coder prefixes ``msl:``/``ephemeral:``/``text:``, ``@list`` files,
  ``|command`` names), never a playlist, a VRT or a PostScript/SVG program (formats that name
  other files or run code);
* outputs are data files with a suffix of their kind (``_MEDIA_OUT``...) in the working tree,
  /tmp or a plain directory of the home: never a dot-file, code, a configuration or a system
  path (the suffix lists hold no script, page, SVG or VRT);
* options are allow-lists: never an option that reads a file of arguments or options
  (exiftool ``-@``, GDAL ``--optfile``, qpdf ``@file``, ffmpeg ``-/opt``), evaluates code
  (exiftool ``-if``/``-p``/``-api``/``-config``, ImageMagick ``-script``/``-fx``-style
  ``-draw``/``-annotate @file``), writes elsewhere (``-o``, ``-write``, ``-w``, tee/hls/segment
  muxers, ``-report``/``-progress``/``-vstats_file``) or carries a password;
* ffmpeg filtergraphs name listed filters only (never ``movie``/``amovie``/``sendcmd``/
  ``subtitles``/``ass``/``drawtext`` (textfile=)/``frei0r``/``ladspa``/``lv2``/stats files).

Residual risk, said plainly: these decoders choose a format by content, not by name, so a file
the agent wrote under a media name may still reach a rich decoder (ImageMagick's SVG/MVG or
Ghostscript coders, ffmpeg's HLS/concat demuxers with their own safety defaults). The host's
ImageMagick policy.xml and ffmpeg's protocol whitelists are what close that; the guard cannot
see a file's content.

Nix: ``nix build``, ``nix flake check``/``show``/``metadata`` and ``nix path-info ./result``
(a flake when ./result is not a link into the store) evaluate (and build) a flake.nix of the
tree, the tree's code as a Makefile is for ``make`` (with the sandbox off, as on many
single-user installs, its builders run as the user). build.py's tools are ordinary only because
flow.py's write memory holds them after the session wrote their build files; these verbs are
listed only when ``nix`` is in flow.CODE_RUNNERS and ``*.nix`` is in rules.CODE_FILE
(``TREE_FLAKE_WATCHED``). ``nix develop``, ``nix shell``, ``nix run`` and ``guix shell`` run a
command parse.py cannot unwrap (or a registry's package): held.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..flow import CODE_RUNNERS, runs_as_code
from ..options import Opts, opts
from ..parse import SimpleCommand
from ..rules import CODE_FILE
from ..shapes import ANY, Check, Entry, Pairs, Shape, Tool, Words, operands_match

NONE = opts("")

#: the tree's flake is code only the write memory can watch (module docstring)
TREE_FLAKE_WATCHED = "nix" in CODE_RUNNERS and bool(
    CODE_FILE.search("flake.nix") and CODE_FILE.search("nix/default.nix"))


def _words(text: str) -> frozenset[str]:
    """A set of names or suffixes written as a block of words."""
    return frozenset(text.split())


_VIDEO = _words("mp4 m4v mkv webm mov avi wmv flv mpg mpeg ts mts m2ts 3gp ogv mxf vob y4m")
_AUDIO = _words("mp3 wav flac ogg oga opus m4a aac wma aif aiff amr ac3 caf")
#: raster images only (never svg/mvg/msl/ps/eps/pdf/txt: formats that are programs or name
#: other files to the decoder)
_IMAGE = _words("png jpg jpeg gif webp bmp tif tiff heic heif avif ico")
_MEDIA = _VIDEO | _AUDIO | _IMAGE
_PDF = _words("pdf")
#: what a converter may write: data of its kind (a PDF is data to ImageMagick's writer)
_IMAGE_OUT = _IMAGE | _PDF
_TEXT_OUT = _words("txt tsv")
#: vector GIS data (never .vrt/.ovf: XML that names other files, or Python pixel functions)
_VECTOR = _words("shp gpkg geojson json geojsonl fgb csv kml kmz gml gpx parquet tab mif "
                    "dbf zip")
_VECTOR_OUT = _words("shp gpkg geojson json geojsonl fgb csv kml gml gpx parquet")
_RASTER = _words("tif tiff gtiff img jp2 png jpg jpeg nc asc grd dem bil hgt dt2 webp")
_RASTER_OUT = _words("tif tiff img jp2 png jpg jpeg nc asc webp")
_SRS_FILE = _words("prj wkt") | _VECTOR | _RASTER

#: one component of a path: no dot-file, no expansion, no protocol (``:``), no pipe, no
#: ImageMagick list (``@``); spaces are one word to the tool (quoted)
_PART = r"[A-Za-z0-9_][A-Za-z0-9_.+,= -]{0,127}"
_REL = re.compile(rf"(?:\./)?(?:{_PART}/){{0,15}}{_PART}")
#: where a converted copy may land besides the tree: scratch, or a plain path of the home
_OUT_ROOTS = re.compile(rf"(?:/tmp/|/var/tmp/|~/)(?:{_PART}/){{0,15}}{_PART}")
#: an image sequence's pattern (frame_%03d.png) in the file name only
_SEQ = re.compile(r"%0?[1-9]?d")


def _suffix(v: str) -> str:
    base = v.rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def _parts_ok(v: str) -> bool:
    return ".." not in v.split("/")


def plain_local(v: str) -> bool:
    """A plain local path: relative, absolute or in the home; no URL, protocol, pipe or
    dot-file."""
    return bool(v.startswith("/") and _REL.fullmatch(v[1:]) or v.startswith("~/") and
                _REL.fullmatch(v[2:]) or _REL.fullmatch(v))


def local_input(v: str, kinds: frozenset[str], seq: bool = False) -> str | None:
    """Why ``v`` is not a plain local file of one of ``kinds`` (a suffix), or None: no URL,
    protocol or coder prefix, no pipe, no list file, no dot-file. Reading above the tree is
    fine (secrets are the catalogue's secret check); ``seq``: ``%03d`` names a sequence."""
    name = _SEQ.sub("1", v) if seq else v
    if v == "-":
        return None  # stdin: what a pipe the guard judged gives it
    if not plain_local(name):
        return f"{v!r} is not a plain local file (no URL, protocol, prefix, pipe or dot-file)"
    if _suffix(name) not in kinds:
        return f"{v!r} is not a file of the kinds the tool is known to read harmlessly here"
    return None


def data_output(v: str, kinds: frozenset[str], seq: bool = False) -> str | None:
    """Why ``v`` is not a data file of one of ``kinds`` in the tree, /tmp or the home's plain
    directories (never a dot-file, ``..``, code, a configuration or a system path), or None."""
    name = _SEQ.sub("1", v) if seq else v
    if not (_REL.fullmatch(name) or _OUT_ROOTS.fullmatch(name)) or not _parts_ok(name):
        return f"writes {v!r}: not a plain path in the working tree, /tmp or the home"
    if _suffix(name) not in kinds:
        return f"writes {v!r}: not a data file of the tool's kind (media, image, text...)"
    if runs_as_code(name):
        # its bytes are the input's (a crafted PDF's text, a stream copy): CMakeLists.txt,
        # requirements.txt, a test's .txt or a .ts would run later (red team s15 B2)
        return f"writes {v!r}: a file some tool loads as code by its name"
    return None


def _values(pairs: Pairs, *names: str) -> list[str]:
    return [v for k, v in pairs or () if k in names and v is not None]


def _has(pairs: Pairs, *names: str) -> bool:
    return any(k in names for k, _ in pairs or ())


# --- value kinds (merged into safe.KINDS) --------------------------------------------------------
#: ffprobe's writers and their options (json=c=1, csv=p=0, default=nw=1:nk=1)
_FF_WRITER = re.compile(r"(?:default|compact|csv|flat|ini|json|xml)(?:=[A-Za-z0-9_=:.|]{0,80})?")
#: formats a muxer or demuxer may be forced to: files of one kind, never tee/hls/segment/dash/
#: concat/lavfi/rtp/sdp (they name or reach other files and hosts)
_FF_FORMATS = frozenset({"mp4", "matroska", "webm", "mov", "mp3", "wav", "flac", "ogg", "opus",
                         "image2", "gif", "null", "mpegts", "adts", "ipod", "ismv", "avi",
                         "s16le", "f32le", "rawvideo", "yuv4mpegpipe", "apng", "webp"})
#: ImageMagick geometry: 50%, 800x600>, 100x100+10+20, 10000@ (never a leading @: a file)
_IM_GEOM = re.compile(r"[0-9][0-9.x%!<>^@+-]{0,39}|x[0-9][0-9.%!<>^+-]{0,38}|[+-][0-9.]{1,10}")
_SRS = re.compile(r"(?:EPSG|ESRI|IAU_2015):[0-9]{1,7}(?:\+[0-9]{1,7})?|OGC:CRS84|WGS84|"
                  r"CRS84|NAD83|NAD27", re.I)
#: GDAL/OGR output formats that write one data file (never VRT, PGDump/PostgreSQL, MEM)
_GDAL_FORMATS = frozenset(f.lower() for f in (
    "GTiff", "COG", "PNG", "JPEG", "netCDF", "GPKG", "AAIGrid", "XYZ", "HFA", "JP2OpenJPEG",
    "WEBP", "EHdr", "ENVI", "GeoJSON", "GeoJSONSeq", "ESRI Shapefile", "CSV", "FlatGeobuf",
    "KML", "LIBKML", "GML", "GPX", "Parquet", "MapInfo File", "SQLite"))
#: creation and warp options: settings of the file written, never a path or a program
_GDAL_CO = frozenset({
    "COMPRESS", "TILED", "BLOCKXSIZE", "BLOCKYSIZE", "BLOCKSIZE", "PREDICTOR", "BIGTIFF",
    "QUALITY", "ZLEVEL", "NUM_THREADS", "PHOTOMETRIC", "INTERLEAVE", "COPY_SRC_OVERVIEWS",
    "SPARSE_OK", "JPEG_QUALITY", "WEBP_LEVEL", "LEVEL", "OVERVIEWS", "RESAMPLING",
    "SPATIAL_INDEX", "GEOMETRY_NAME", "FID", "ENCODING", "COORDINATE_PRECISION", "RFC7946",
    "WRITE_BBOX", "GEOMETRY", "SEPARATOR", "COMPRESSION", "OVERWRITE", "LAUNDER", "PRECISION",
    "ROW_GROUP_SIZE", "INIT_DEST", "UNIFIED_SRC_NODATA", "SAMPLE_GRID", "SOURCE_EXTRA",
    "OPTIMIZE_SIZE", "CUTLINE_ALL_TOUCHED", "SKIP_NOSOURCE", "WRITE_FLUSH", "FORMAT"})
_NIX_FEATURES = frozenset({"nix-command", "flakes"})


def _kind_gdal_option(v: str) -> str | None:
    key, eq, val = v.partition("=")
    return None if eq and key.upper() in _GDAL_CO and re.fullmatch(r"[A-Za-z0-9_.,-]{0,40}",
                                                                    val) else \
        f"{v!r} is not a creation or warp setting known to name no file or program"


KINDS: dict[str, Callable[[str], str | None]] = {
    "ffwriter": lambda v: None if _FF_WRITER.fullmatch(v) else
    f"{v!r} is not one of ffprobe's writers",
    "ffformat": lambda v: None if v in _FF_FORMATS else
    f"format {v!r} may name or reach other files or hosts",
    "imgeom": lambda v: None if _IM_GEOM.fullmatch(v) else f"{v!r} is not a geometry",
    # ImageMagick: an argument starting with @ is read from that file
    "imtext": lambda v: None if not v.startswith("@") and "\n" not in v else
    f"{v!r} reads a file (@) or spans lines",
    "srs": lambda v: None if _SRS.fullmatch(v) else
    f"{v!r} is not an EPSG/ESRI code (a file or a PROJ string may name other files)",
    "gdalfmt": lambda v: None if v.lower() in _GDAL_FORMATS else
    f"format {v!r} is not one that writes one data file",
    "gdalco": _kind_gdal_option,
    "ogrsql": lambda v: ogr_sql_why(v, select=True),
    "ogrwhere": lambda v: ogr_sql_why(v, select=False),
    "ogrdialect": lambda v: None if v.upper() in ("OGRSQL", "SQLITE", "INDIRECT_SQLITE") else
    f"SQL dialect {v!r}",
    # mediainfo --Output: a format name or an inline template, never a template file
    "mioutput": lambda v: None if re.fullmatch(r"[A-Za-z0-9_;%.,:() -]{1,200}", v) and
    "file" not in v.lower() else f"--Output {v!r} reads a template file",
    "nixfeat": lambda v: None if set(v.split()) <= _NIX_FEATURES and v.split() else
    f"experimental features {v!r}",
    # nix build -o: the result link in the tree under its usual name
    "nixlink": lambda v: None if re.fullmatch(r"(?:[A-Za-z0-9_][A-Za-z0-9_-]{0,63}/){0,3}"
                                              r"result(?:-[A-Za-z0-9_]{1,32})?", v) else
    f"{v!r} is not a result link in the tree",
}


# --- ffmpeg and ffprobe --------------------------------------------------------------------------
#: filters that compute on frames and samples and name no file, host, plugin or command
#: (never movie/amovie (read any file), sendcmd/zmq/azmq (commands), subtitles/ass
#: (read a file), drawtext (textfile=, fontfile=), frei0r/ladspa/lv2/lensfun/dnn_* (load
#: code), psnr/ssim/vidstabdetect/signature/metadata/libvmaf (write or read stats files))
_FILTERS = _words("""
scale crop fps thumbnail select aselect setpts asetpts trim atrim format aformat pad transpose
hflip vflip rotate volume loudnorm aresample showinfo ashowinfo silencedetect blackdetect
cropdetect idet null anull palettegen paletteuse split asplit concat amix amerge overlay atempo
setsar setdar tile yadif bwdif unsharp boxblur gblur fade afade drawbox eq hue
colorchannelmixer zoompan framestep reverse areverse hqdn3d deband scdet ebur128 astats
volumedetect pan channelsplit channelmap highpass lowpass equalizer acompressor showwavespic
showspectrumpic negate edgedetect colorkey chromakey alphamerge alphaextract lut lutrgb lutyuv
geq setfield tinterlace interlace fieldorder minterpolate tpad apad afftdn anlmdn denoise
nlmeans super2x xstack hstack vstack mpdecimate decimate framerate blend limiter
""")
_FILTER_NAME = re.compile(r"([a-z0-9_]+)(?:@[A-Za-z0-9_]+)?")


def filter_names(graph: str) -> list[str] | None:
    """The filter names of an ffmpeg filtergraph, read as its parser reads them (``'...'``
    quotes and ``\\`` escapes; ``,`` and ``;`` end a filter, ``[label]`` links), or None when
    the graph does not parse into plain names."""
    names: list[str] = []
    seg: list[str] = []
    quote = False
    i, n = 0, len(graph)

    def end() -> bool:
        text = "".join(seg).strip()
        seg.clear()
        if not text:
            return True
        m = _FILTER_NAME.match(text)
        if m is None or (m.end() < len(text) and text[m.end()] != "="):
            return False
        # ffmpeg 7 reads an option whose name starts with ``/`` from the file its value names
        # (``setpts=/expr=/etc/x``), and prints it when it does not parse (red team s15 B3):
        # no argument of a filter may start with a slash, quoted or not
        if re.search(r"(?:\A|[=:])[\s'\\]*+/", text[m.end():]):
            return False
        names.append(m.group(1))
        return True

    while i < n:
        ch = graph[i]
        if ch == "\\":
            seg.append(graph[i:i + 2])
            i += 2
            continue
        if ch == "'":
            quote = not quote
            seg.append(ch)
        elif not quote and ch in ",;":
            if not end():
                return None
        elif not quote and ch == "[":
            j = graph.find("]", i)
            if j < 0 or not re.fullmatch(r"[A-Za-z0-9_:.]*", graph[i + 1:j]):
                return None
            if "".join(seg).strip() and not end():  # an output label ends the filter
                return None
            i = j + 1
            continue
        elif not quote and ch == "]":
            return None
        else:
            seg.append(ch)
        i += 1
    if quote or not end():
        return None
    return names


def _filters_why(pairs: Pairs) -> str | None:
    for v in _values(pairs, "-vf", "-af", "-filter_complex"):
        names = filter_names(v)
        if names is None:
            return f"the filtergraph {v!r} does not read as plain filter names"
        bad = [f for f in names if f not in _FILTERS]
        if bad:
            return f"filter {bad[0]!r} is not one known to name no file, command or plugin"
    return None


def _ff_inputs_why(pairs: Pairs, ops: Words) -> str | None:
    for v in _values(pairs, "-i") + list(ops):
        why = local_input(v, _MEDIA, seq=True)
        if why:
            return why
    return None


def _ffprobe(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """ffprobe: one plain local media file (by -i or as the operand)."""
    given = _values(pairs, "-i")
    if len(given) + len(ops) != 1:
        return "ffprobe reads one input"
    return _ff_inputs_why(pairs, ops)


def _ffmpeg(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """ffmpeg: plain local media inputs (-i), listed filters, and every operand an output:
    a media or image file of the tree, /tmp or the home, or stdout/null."""
    inputs = _values(pairs, "-i")
    if not inputs:
        return "ffmpeg without an input"
    for v in inputs:
        why = local_input(v, _MEDIA, seq=True)
        if why:
            return why
    if not ops:
        return "ffmpeg without an output"
    for o in ops:
        if o in ("-", "/dev/null"):
            continue
        why = data_output(o, _MEDIA, seq=True)
        if why:
            return why
        if o in inputs:
            return f"{o!r} is both an input and the output"
    return _filters_why(pairs)


_FF_COMMON = "-v|-loglevel:word -hide_banner -nostdin "


def ff_opts(spec: str) -> Opts:
    """``opts`` for ffmpeg, whose option names hold a stream specifier (``-c:v``): written
    with ``%`` for that colon here, since ``:`` starts an option's kind in ``opts``."""
    o = opts(spec, "go")
    raw = Opts("go", {k.replace("%", ":"): v.replace("%", ":") for k, v in o.alias.items()},
               {k.replace("%", ":"): v for k, v in o.kind.items()}, ())
    return opts("", "go") + raw
_FFPROBE = Shape(check="media-ffprobe", allow=opts(
    _FF_COMMON + "-i:any -show_entries:any -show_format -show_streams -show_chapters "
    "-show_programs -show_error -show_frames -show_packets -select_streams:any -count_packets "
    "-count_frames -of|-print_format:ffwriter -pretty -read_intervals:any -sexagesimal -unit "
    "-prefix -byte_binary_prefix -show_private_data -bitexact -version -formats -codecs",
    "go"))
#: ffmpeg: never -attach/-dump_attachment (files in and out), -pass/-passlogfile,
#: -vstats_file, -report, -progress URL, -sdp_file, -filter_script/-filter_complex_script,
#: -/OPTION (a value from a file), -x264-params/-x265-params (stats files), -vpre/-fpre
#: (preset files), -protocol_whitelist, -pattern_type glob, -safe, -f tee/hls/segment/concat/
#: lavfi/rtp (ffformat)
_FFMPEG = Shape(check="media-ffmpeg", allow=ff_opts(
    _FF_COMMON + "-i:any -y -n -stats -nostats -threads:num -f:ffformat "
    "-c|-codec:word -c%v|-codec%v|-vcodec:word -c%a|-codec%a|-acodec:word "
    "-c%s|-codec%s|-scodec:word -b%v:any -b%a:any -crf:num -preset:word -tune:word "
    "-profile%v:word -level:any -q%v|-qscale%v:num -q%a|-qscale%a:num "
    "-frames%v|-vframes:num -frames%a:num -r:any -framerate:any -s:any -aspect:any -an -vn "
    "-sn -dn -ar:num -ac:num -pix_fmt:word -sample_fmt:word -vf|-filter%v:any "
    "-af|-filter%a:any -filter_complex|-lavfi:any -map:any -map_metadata:any "
    "-map_chapters:any -metadata:any -movflags:any -t:any -ss:any -to:any -sseof:any "
    "-itsoffset:any -shortest -update:num -g:num -maxrate:any -bufsize:any -minrate:any "
    "-fps_mode|-vsync:word -loop:num -start_number:num -strict:any -tag%v:word "
    "-disposition:any -hwaccel:word -copyts -avoid_negative_ts:word -ignore_unknown "
    "-max_muxing_queue_size:num -compression_level:num -lossless:num -quality:any "
    "-channel_layout:word -version -formats -codecs -filters"))


# --- exiftool ------------------------------------------------------------------------------------
#: exiftool's reading options (case as exiftool matches them), from its own option table:
#: formats, groups, tag ids, recursion, embedded data. The value-taking ones name a format,
#: an extension, a directory to skip or a tag.
_EXIF_FLAG = re.compile(
    r"(?i:-?(?:a|duplicates)|b(?:inary)?|(?:ee|extractembedded)[0-9]*|fast[0-9]*|"
    r"g(?:roupheadings|roupnames)?[0-9:]*|htmldump[-+]?[0-9]*|m|ignoreminorerrors|"
    r"-?n|-?printconv|q(?:uiet)?|r(?:ecurse)?|s(?:hort)?[0-9]*|scanforxmp|-?sort|"
    r"-?struct|u(?:nknown2?)?|v(?:erbose)?[0-9]*|csv|j(?:son)?|ver|"
    r"list(?:[wfrdx]|wf|g[0-9]*|geo)?|decimal|composite|-composite|escapehtml|eh|"
    r"ec|escapec|ex|escapexml|forceprint|htmlformat|hex|long|latin|veryshort|table|tab|"
    r"xmlformat)|[DeEfhHlLSTtX]|-e")
_EXIF_VALUED = re.compile(r"(?i:c(?:oordformat)?|dateformat|-?ext(?:ension)?|i(?:gnore)?|"
                          r"sep(?:arator)?|exclude|lang)|[dx]")
#: every other option exiftool knows (its option table): writes, output files, argument and
#: config files, Perl code, passwords, servers, long-running modes
_EXIF_OTHER = re.compile(
    r"(?i)@|api|args|argformat|charset|config|common_args|(?:csv|j|json)\+?=.*|csvdelim|"
    r"diff|delete_original!?|list_dir|echo[0-9]?|efile[0-9]*!?|execute[0-9]*|f[-+]?[0-9]*|"
    r"fixbase[-+]?[0-9]*|file[0-9]+|fileorder[0-9]*|globaltimeshift|geotag|if[0-9]*|k|pause|"
    r"listitem|nop|o|out|overwrite_original(?:_in_place)?|plot|p-?|printformat-?|password|"
    r"progress[0-9]*(?::.*)?|purge[0-9]*|require|restore_original|srcfile|stay_open|use|"
    r"userparam|(?:w|textout|tagout)[!+]*|-?(?:wext|tagoutext)|wm|writemode|php|z|zip|"
    r"(?:all|add)?tagsfromfile(?:=.*)?", re.S)
#: a value assigned or copied (-TAG=, -TAG+=, -TAG<=FILE, -SRC>DST, -DST<SRC): a write
_EXIF_WRITE = re.compile(r"[<>=]")
#: a tag selector (-TAG, --TAG, -GROUP:TAG, -GPS*, -TAG#), as exiftool's own check reads it
_EXIF_TAG = re.compile(r"-?(?:[-_0-9A-Z*]+:)*[-_0-9A-Z*?]+#?", re.I)


#: files exiftool reads here by name: media, documents and camera raw files (never JSON, XML or
#: text: exiftool prints every key of a JSON file, a credentials file's too)
_EXIF_FILES = _MEDIA | _PDF | _words("cr2 cr3 nef arw dng orf rw2 raf psd svg xmp mts")


def _exif_files_why(files: list[str], exts: list[str], excluded: bool) -> str | None:
    """Files of the kinds above; a directory only with ``-ext`` of those kinds (exiftool
    reads every file of a directory, a JSON credentials file's keys too, and ``-r`` its
    subdirectories: never hidden ones, as ``-r.`` is not listed)."""
    for f in files:
        if f == "-":
            continue
        if re.search(r"^[\s<>&|]|\|", f) or not plain_local(f.rstrip("/") or "/"):
            return f"{f!r} is not a plain file name"
        if _suffix(f.rstrip("/")) in _EXIF_FILES and not f.endswith("/"):
            continue
        if excluded or not exts or any(e.lower().lstrip(".") not in _EXIF_FILES for e in exts):
            return f"{f!r}: a directory (or a file not of a media kind) is read only with " \
                   "-ext of media kinds"
    return None


def _exiftool(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """exiftool in read mode: listed options, tag selectors (never ``-TAG=``, ``-TAG<``,
    ``-SRC>DST``: writes, renames), plain local media files. Walks the words as exiftool's
    loop does: its options are matched first, a word matching none of them is a tag."""
    if any(w.lower() == "-common_args" for w in rest):
        return "-common_args"
    files: list[str] = []
    exts: list[str] = []
    excluded = False
    i, end = 0, False
    while i < len(rest):
        w = rest[i]
        i += 1
        if w.startswith("\u2212"):
            return f"{w!r}: exiftool reads a minus sign as an option dash"
        if end or not w.startswith("-") or w == "-":
            files.append(w)
            continue
        name = w[1:]
        if name == "-":
            end = True
            continue
        if _EXIF_VALUED.fullmatch(name):
            if i >= len(rest):
                return f"{w} without its value"
            v = rest[i]
            i += 1
            low = name.lower()
            if low.lstrip("-") in ("x", "exclude") and not _EXIF_TAG.fullmatch(v):
                return f"{w} {v!r} is not a tag name"
            if low in ("ext", "extension"):
                exts.append(v)
            excluded |= low in ("-ext", "-extension")
            if "\n" in v:
                return f"{w}: a value over several lines"
            continue
        if _EXIF_FLAG.fullmatch(name):
            continue
        if _EXIF_OTHER.fullmatch(name) or _EXIF_WRITE.search(name) or \
                not _EXIF_TAG.fullmatch(name):
            return f"{w} is not one of exiftool's reading options or a tag selector " \
                   "(writes, output files, argument and config files, code are not ordinary)"
    if not files:
        return None if any(re.fullmatch(r"(?i)-(?:ver|list[a-z0-9]*)", w) for w in rest) \
            else "exiftool without a file"
    return _exif_files_why(files, exts, excluded)


_EXIFTOOL = Shape(check="media-exiftool", values=("-d", "-c", "-ext", "-i", "-sep", "-x",
                                                  "-lang", "-dateFormat", "-coordFormat",
                                                  "-extension", "-ignore", "-separator",
                                                  "-exclude"))


# --- mediainfo, sox, pdf tools -------------------------------------------------------------------
def _local_files(kinds: frozenset[str] | None, lo: int = 1, hi: int | None = None) -> Check:
    def check(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
        if len(ops) < lo or (hi is not None and len(ops) > hi):
            return "not the number of files the tool reads"
        for o in ops:
            if kinds is None:
                if not plain_local(o.rstrip("/") or "/"):
                    return f"{o!r} is not a plain local file or directory"
                continue
            why = local_input(o, kinds)
            if why:
                return why
        return None
    return check


#: mediainfo: never --LogFile (writes), --Output=file:// (a template file), a URL (it
#: fetches it)
_MEDIAINFO = Shape(check="media-mediainfo", allow=opts(
    "-f|--Full --Output:mioutput --Inform:mioutput --Language:word --Version -h|--Help "
    "--Details:?num", abbrev=False))
_SOXI_FLAGS = "-t -r -c -s -d -D -b -B -p -e -a -T -V:?num "
#: soxi / sox --i: a file's header (sox names starting with | run a command, URLs run wget)
_SOXI = Shape(check="media-audio", allow=opts(_SOXI_FLAGS + "--version"))


def _sox(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``sox --i`` (soxi's mode, only as sox's first word) or ``sox --version``: any other
    sox records (-d), plays, runs effects or writes."""
    if c.args[:1] == ("--version",) and len(c.args) == 1:
        return None
    if c.args[:1] not in (("--i",), ("--info",)):
        return "sox other than --i (its soxi mode) records, plays or writes"
    return _local_files(_AUDIO)(c, rest, ops, pairs)


_SOX = Shape(check="media-sox", allow=opts(_SOXI_FLAGS + "--i|--info --version",
                                          abbrev=False))
#: poppler's pdfinfo: never -opw/-upw (passwords)
_PDFINFO = Shape(check="media-pdf-in", allow=opts(
    "-f:num -l:num -box -meta -custom -js -struct -struct-text -url -isodates -rawdates "
    "-dests -enc:word -listenc -v", "go"))
_PDFTEXT_OPTS = opts(
    "-f:num -l:num -r:num -x:num -y:num -W:num -H:num -layout -fixed:num -raw -nodiag "
    "-htmlmeta -bbox -bbox-layout -tsv -cropbox -enc:word -eol:word -nopgbrk -q "
    "-colspacing:num -v", "go")


def _pdftotext(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``pdftotext IN [OUT]``: a local PDF, its text to a .txt/.tsv or stdout; without OUT the
    text lands next to the PDF (IN with .txt), which must then be a place to write."""
    if not 1 <= len(ops) <= 2:
        return "pdftotext reads one PDF and writes one text file"
    why = local_input(ops[0], _PDF)
    if why:
        return why
    out = ops[1] if len(ops) == 2 else (
        "" if ops[0] == "-" else re.sub(r"\.[^./]*$", "", ops[0]) + ".txt")
    if out in ("-", ""):
        return None if out == "-" else "pdftotext of stdin names its output"
    return data_output(out, _TEXT_OUT)


def _pdfimages(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if not _has(pairs, "-list"):
        return "pdfimages without -list writes every image under a name prefix"
    return _local_files(_PDF, 1, 1)(c, rest, ops, pairs)


_PDFIMAGES = Shape(check="media-pdfimages", allow=opts("-list -f:num -l:num -v", "go"))
#: qpdf: inspection only, one file; never a second operand (an output), --password*,
#: @file (arguments from a file), --replace-input, the transformation options
_QPDF = Shape(check="media-qpdf", allow=opts(
    "--check --show-npages --is-encrypted --requires-password --show-encryption "
    "--json:?word --json-key:word --show-pages --with-images --show-xref "
    "--check-linearization --show-linearization --show-object:word --version --help",
    abbrev=False))


def _qpdf(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if any(w.startswith("@") for w in rest):
        return "@FILE reads arguments from a file"
    if _has(pairs, "--version", "--help") and not ops:
        return None
    return _local_files(_PDF, 1, 1)(c, rest, ops, pairs)


# --- ImageMagick ---------------------------------------------------------------------------------
#: identify: header data and a format string (never -define, -limit, -authenticate
#: (a password), a -format @file)
_IM_IDENTIFY = ("-verbose -ping -format:imtext -quiet -regard-warnings -density:imgeom "
                "-units:word -precision:num -moments -features:num -unique -version "
                "-list:word ")
#: convert: geometry, colour and encoding settings; never -script, -write (a second output),
#: -draw (MVG: image 'text:FILE'), -annotate/-font/-profile/-clut (files), -fx, -process
#: (modules), -define, -set, -authenticate, -delegate settings
_IM_CONVERT = (
    "-resize:imgeom -thumbnail:imgeom -crop:imgeom -gravity:word -extent:imgeom "
    "-quality:num -strip -auto-orient -rotate:num -flip -flop -colorspace:word -type:word "
    "-background:imtext -flatten -alpha:word -trim -repage:imgeom -sharpen:imgeom "
    "-blur:imgeom -negate -normalize -despeckle -colors:num -depth:num -interlace:word "
    "-sampling-factor:imgeom -monochrome -grayscale:word -border:imgeom -bordercolor:imtext "
    "-scale:imgeom -sample:imgeom -shave:imgeom -append -level:imtext -modulate:imtext "
    "-brightness-contrast:imtext -gamma:num -transparent:imtext -fuzz:imgeom -compress:word "
    "-layers:word -coalesce -delay:num -loop:num -fill:imtext -dither:word -posterize:num "
    "-adaptive-resize:imgeom -resample:imgeom -auto-level -auto-gamma -contrast-stretch:imgeom "
    "-enhance -equalize -unsharp:imgeom -colorize:imtext -orient:word -page:imgeom ")
#: +options that take no value
_IM_PLUS = frozenset({"+repage", "+append", "+adjoin", "+dither", "+antialias", "+matte"})
_IM_FRAME = re.compile(r"\[[0-9x+,-]{1,20}\]$")


def _im_names(ops: Words) -> tuple[list[str], str | None]:
    out = []
    for o in ops:
        if o.startswith("+"):
            if o not in _IM_PLUS:
                return [], f"{o} is not one of the +options known to take no file"
            continue
        out.append(o)
    return out, None


def _im_file(v: str, kinds: frozenset[str], output: bool) -> str | None:
    name = _IM_FRAME.sub("", v) if not output else v
    if "@" in name:
        return f"{v!r}: ImageMagick reads @ names as lists of files"
    return data_output(name, kinds, seq=True) if output else local_input(name, kinds)


def _identify(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    names, why = _im_names(ops)
    if why:
        return why
    if _has(pairs, "-version", "-list") and not names:
        return None
    if not names:
        return "identify without a file"
    for n in names:
        why = _im_file(n, _IMAGE, output=False)
        if why:
            return why
    return None


def _convert(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    names, why = _im_names(ops)
    if why:
        return why
    if _has(pairs, "-version", "-list") and not names:
        return None
    if len(names) < 2:
        return "convert reads images and writes one (the last name)"
    for n in names[:-1]:
        why = _im_file(n, _IMAGE, output=False)
        if why:
            return why
    return _im_file(names[-1], _IMAGE_OUT, output=True)


def _magick(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``magick [convert|identify] ...``: IM7's front end; any other tool of it (mogrify in
    place, conjure (MSL scripts), import (the screen), display, montage, compare...) is not
    listed."""
    if ops[:1] == ("identify",):
        return _identify(c, rest, ops[1:], pairs)
    if ops[:1] == ("convert",):
        ops = ops[1:]
    if ops[:1] and re.fullmatch(r"[a-z-]+", ops[0]) and "." not in ops[0]:
        return f"magick {ops[0]!r} is not one of its listed tools (convert, identify)"
    return _convert(c, rest, ops, pairs)


_IDENTIFY = Shape(check="media-identify", allow=opts(_IM_IDENTIFY, "go"))
_CONVERT = Shape(check="media-convert", allow=opts(_IM_CONVERT + "-quiet -version -list:word "
                                                   "-verbose -density:imgeom -units:word",
                                                   "go"))
_MAGICK = Shape(check="media-magick", allow=opts(_IM_CONVERT + _IM_IDENTIFY, "go"))


# --- GDAL / OGR ----------------------------------------------------------------------------------
#: OGR SQL and SQLite: a read with listed functions only (never SpatiaLite's BlobFromFile/
#: ExportSHP/ImportSHP/XB_LoadXML..., load_extension, readfile/writefile: they reach files)
_SQL_FUNCS = _words("""
count sum avg min max abs round lower upper length substr substring trim ltrim rtrim coalesce
ifnull nullif cast concat st_area st_length st_perimeter st_buffer st_intersects st_within
st_contains st_transform st_centroid st_x st_y st_srid st_geometrytype st_isvalid st_makevalid
st_simplify st_union st_envelope st_astext st_asbinary st_intersection st_distance
st_pointonsurface st_isempty st_npoints st_numgeometries st_minx st_miny st_maxx st_maxy
""")
_SQL_KEYWORDS = _words("""
select from where and or not in is null like ilike between as distinct order by asc desc
limit offset group having case when then else end exists on join left inner cross outer
union all escape
""")
_SQL_WRITES = _words("""
attach detach pragma insert update delete drop create alter replace vacuum reindex analyze
begin commit savepoint release rollback with into values trigger load_extension
""")


def ogr_sql_why(sql: str, select: bool) -> str | None:
    """Why ``sql`` (ogr2ogr -sql, or -where's condition) is not a plain read of the source
    with listed functions, or None."""
    if re.search(r";|--|/\*|\\", sql):
        return "SQL with several statements or comments"
    text = re.sub(r"'(?:[^']|'')*+'", "0", sql)
    text = re.sub(r'"[^"]*"', "x", text)
    if "'" in text or '"' in text:
        return "SQL with an unclosed string"
    words = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text)
    if select and (not words or words[0].lower() != "select"):
        return "-sql must be a SELECT"
    for w in words:
        if w.lower() in _SQL_WRITES:
            return f"SQL {w!r} is not part of a read"
    for m in re.finditer(r"(?<![A-Za-z0-9_])([A-Za-z_][A-Za-z0-9_]*+)\s*+\(", text):
        f = m.group(1).lower()
        if f not in _SQL_FUNCS and f not in _SQL_KEYWORDS:
            return f"SQL function {m.group(1)!r} is not one known to reach no file"
    return None


_GDAL_COMMON = "-q|-quiet --version --formats "
_GIS_LAYER = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")


def _ogr2ogr(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """``ogr2ogr [-f FMT] OUT IN [LAYER...]``: a local vector file converted into a data
    file of the tree or /tmp."""
    if _has(pairs, "-version", "-formats") and not ops:
        return None
    if len(ops) < 2:
        return "ogr2ogr writes OUT from IN"
    why = data_output(ops[0], _VECTOR_OUT) or local_input(ops[1], _VECTOR)
    if why:
        return why
    bad = [o for o in ops[2:] if not _GIS_LAYER.fullmatch(o)]
    return f"{bad[0]!r} is not a layer name" if bad else None


def _raster_io(tool: str, last_out: bool) -> Check:
    def check(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
        if _has(pairs, "-version", "-formats") and not ops:
            return None
        if len(ops) < 2 or (not last_out and len(ops) != 2):
            return f"{tool} reads IN and writes OUT"
        for o in ops[:-1]:
            why = local_input(o, _RASTER)
            if why:
                return why
        return data_output(ops[-1], _RASTER_OUT)
    return check


def _gdalsrsinfo(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if _has(pairs, "-version") and not ops:
        return None
    if len(ops) != 1:
        return "gdalsrsinfo describes one SRS"
    if _SRS.fullmatch(ops[0]):
        return None
    return local_input(ops[0], _SRS_FILE)


_OGR2OGR = Shape(check="media-ogr2ogr", allow=opts(
    _GDAL_COMMON + "-f|-of:gdalfmt -t_srs:srs -s_srs:srs -a_srs:srs -nln:word -nlt:word "
    "-select:any -where:ogrwhere -sql:ogrsql -dialect:ogrdialect -overwrite -append -update "
    "-progress -skipfailures -makevalid -explodecollections -limit:num -simplify:num "
    "-segmentize:num -preserve_fid -unsetFid -emptyStrAsNull -dim:word -lco:gdalco "
    "-dsco:gdalco -gt:any", "go"))
#: gdal_translate/gdalwarp: never --config (settings: credentials, drivers), --optfile
#: (arguments from a file), -oo/-doo (open options), -cutline (another datasource), -of VRT
_GDAL_TRANSLATE = Shape(check="media-gdal-translate", allow=opts(
    _GDAL_COMMON + "-of:gdalfmt -ot:word -b:num -outsize:pair -tr:pair -r:word -a_srs:srs "
    "-a_nodata:any -co:gdalco -stats -sds -unscale -epo -eco -strict -expand:word -mask:num "
    "-noxmp", "go"))
_GDALWARP = Shape(check="media-gdalwarp", allow=opts(
    _GDAL_COMMON + "-of:gdalfmt -t_srs:srs -s_srs:srs -tr:pair -ts:pair -r:word -co:gdalco "
    "-wo:gdalco -overwrite -multi -dstnodata:any -srcnodata:any -ot:word -wm:num -tap "
    "-dstalpha -et:num -order:num -tps", "go"))
_GDALSRSINFO = Shape(check="media-gdalsrsinfo", allow=opts(
    "-o:word -e -p --single-line -V --version", "go"))


# --- Nix and Guix --------------------------------------------------------------------------------
_NIX_COMMON = ("--extra-experimental-features:nixfeat --experimental-features:nixfeat "
               "-v|--verbose --quiet -L|--print-build-logs --show-trace --log-format:word "
               "--offline --no-write-lock-file ")
#: a flake of the tree: ``.``, ``./sub``, with an output attribute (``.#pkg``)
_FLAKE_REF = re.compile(r"(?:\.|\./[A-Za-z0-9_][A-Za-z0-9_./-]{0,200})?"
                        r"(?:#[A-Za-z0-9_][A-Za-z0-9_.+-]{0,200})?")
#: a store path (nix-store also follows the result links a build leaves in the tree)
_STORE_PATH = re.compile(r"/nix/store/[a-z0-9]{32}-[A-Za-z0-9+._?=-]{1,200}(?:/[^/\s]+)*")
_RESULT_LINK = re.compile(r"(?:\./)?result(?:-[A-Za-z0-9_]{1,32})?")


#: the tree's own flake (never ``nixpkgs#x``, ``github:...``, ``path:/...``: a flake from a
#: registry or elsewhere, whose code evaluation or a build would run)
_flake_refs = operands_match(_FLAKE_REF, "the tree's flake")


def _store_paths(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """Store paths; a result link too for nix-store (it only follows links), and for the
    new CLI once the tree's flake is watched: ``nix path-info ./result`` reads a flake at
    ``./result`` when that is not a link into the store (its flake.nix evaluated)."""
    if not ops:
        return "names no store path"
    links = c.name == "nix-store" or TREE_FLAKE_WATCHED
    bad = [o for o in ops if not (_STORE_PATH.fullmatch(o) or links and
                                  _RESULT_LINK.fullmatch(o)) or ".." in o.split("/")]
    return f"{bad[0]!r} is not a store path (an installable or a flake is evaluated)" \
        if bad else None


def _nix_store(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if c.args == ("--version",):
        return None
    if not _has(pairs, "-q"):
        return "nix-store other than -q (--query) realises, deletes, imports or serves"
    return _store_paths(c, rest, ops, pairs)


def _nix_env(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if c.args == ("--version",):
        return None
    if not _has(pairs, "-q"):
        return "nix-env other than -q (--query) installs, erases or switches"
    bad = [o for o in ops if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.+-]{0,100}", o)]
    return f"{bad[0]!r} is not a package name" if bad else None


def _guix_package(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if ops or len(pairs or ()) != 1:
        return "guix package other than one listing (-I, -l, -s, -A) installs or removes"
    return None


_NIX_SUB: dict[str, Shape | Tool] = {
    "path-info": Shape(check="media-nix-paths", allow=opts(
        _NIX_COMMON + "-r|--recursive -s|--size -S|--closure-size -h|--human-readable "
        "--json --sigs", abbrev=False)),
    "--version": ANY,
}
if TREE_FLAKE_WATCHED:
    # the tree's flake evaluated (metadata: its description, inputs and nixConfig; the tree
    # copied into the store) and built (flow.py holds these after a session wrote it)
    _NIX_SUB["flake"] = Tool(allow=opts(_NIX_COMMON, abbrev=False), sub={
        **dict.fromkeys(("metadata", "info"), Shape(
            check="media-nix-flake", max_operands=1, allow=opts(_NIX_COMMON + "--json",
                                                                abbrev=False))),
        "show": Shape(check="media-nix-flake", max_operands=1, allow=opts(
            _NIX_COMMON + "--json --all-systems --legacy", abbrev=False)),
        "check": Shape(check="media-nix-flake", max_operands=1, allow=opts(
            _NIX_COMMON + "--no-build --all-systems --keep-going", abbrev=False))})
    _NIX_SUB["build"] = Shape(check="media-nix-flake", allow=opts(
        _NIX_COMMON + "--no-link -o|--out-link:nixlink --dry-run --json --print-out-paths "
        "--keep-going -j|--max-jobs:num --cores:num", abbrev=False))
#: nix: never run/shell/develop/profile/registry/repl/eval (code or a registry's package),
#: --option/--impure/--store/--builders/--substituters/--accept-flake-config/
#: --override-input (settings, programs, other stores), a flake from elsewhere
_NIX = Tool(allow=opts(_NIX_COMMON, abbrev=False), sub=_NIX_SUB)
_NIX_STORE = Shape(check="media-nix-store", allow=opts(
    "-q|--query --references --requisites|-R --referrers --referrers-closure --tree --graph "
    "--deriver|-d --size --hash --roots --outputs --include-outputs --version",
    abbrev=False))
_NIX_ENV = Shape(check="media-nix-env", allow=opts(
    "-q|--query --installed -a|--available -P|--attr-path -s|--status --out-path "
    "--description --json --no-name --system -c|--compare-versions --meta --drv-path "
    "--version", abbrev=False))
#: guix: describe, listings and searches of the channels' packages; never shell/install/
#: environment/pull/package -i/-r/-u/-m/-f/-e (code or packages by name), time-machine
_GUIX = Tool(allow=NONE, sub={
    "describe": Shape(max_operands=0, allow=opts("-f|--format:word --list-formats",
                                                 abbrev=False)),
    "package": Shape(check="media-guix-package", allow=opts(
        "-I|--list-installed:?word -l|--list-generations:?word -s|--search:any "
        "-A|--list-available:?word", abbrev=False)),
    "search": Shape(check="media-names", allow=NONE),
    "show": Shape(check="media-names", allow=NONE),
    "--version": ANY, "-V": ANY})


def _names(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    bad = [o for o in ops if not re.fullmatch(r"[A-Za-z0-9_^$.*+|()-][A-Za-z0-9_^$.*+|()@-]{0,100}",
                                              o) or "/" in o]
    if not ops:
        return "names nothing"
    return f"{bad[0]!r} is not a package name or a search pattern" if bad else None


CHECKS: dict[str, Check] = {
    "media-ffprobe": _ffprobe, "media-ffmpeg": _ffmpeg, "media-exiftool": _exiftool,
    "media-mediainfo": _local_files(None), "media-audio": _local_files(_AUDIO),
    "media-sox": _sox, "media-pdf-in": _local_files(_PDF, 1, 1),
    "media-pdftotext": _pdftotext, "media-pdfimages": _pdfimages, "media-qpdf": _qpdf,
    "media-identify": _identify, "media-convert": _convert, "media-magick": _magick,
    "media-ogr2ogr": _ogr2ogr, "media-gdal-translate": _raster_io("gdal_translate", False),
    "media-gdalwarp": _raster_io("gdalwarp", True), "media-gdalsrsinfo": _gdalsrsinfo,
    "media-nix-flake": _flake_refs, "media-nix-paths": _store_paths,
    "media-nix-store": _nix_store, "media-nix-env": _nix_env,
    "media-guix-package": _guix_package, "media-names": _names,
}

ENTRIES: dict[str, Entry] = {
    "ffprobe": _FFPROBE, "ffmpeg": _FFMPEG, "exiftool": _EXIFTOOL, "mediainfo": _MEDIAINFO,
    "soxi": _SOXI, "sox": _SOX, "pdfinfo": _PDFINFO,
    "pdftotext": Shape(check="media-pdftotext", allow=_PDFTEXT_OPTS),
    "pdfimages": _PDFIMAGES, "qpdf": _QPDF,
    "identify": _IDENTIFY, "convert": _CONVERT, "magick": _MAGICK,
    "ogr2ogr": _OGR2OGR, "gdal_translate": _GDAL_TRANSLATE, "gdalwarp": _GDALWARP,
    "gdalsrsinfo": _GDALSRSINFO,
    "nix": _NIX, "nix-store": _NIX_STORE, "nix-env": _NIX_ENV, "guix": _GUIX,
}

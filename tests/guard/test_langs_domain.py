"""Language toolchains and binary inspection (sshgate/guard/tools/langs.py): ordinary lines of
each tool are allowed; each left-out class (eval strings and -e of anything but the listed
forms, scripts and libraries loaded first, plugins, rule sets, JVM options, dependencies from
the command line, arguments to the program a build runs, prompts and servers, output onto
code or dot-files, installs and uploads, computed words where options stand) has a look-alike
that is held. Cross toolchains reuse their base tool's entry through ``cross_entry``."""

from __future__ import annotations

import re
import sys

import pytest

from sshgate.guard.safe import CATALOGUE
from sshgate.guard.tools import langs

from .expect import allowed, each, grouped_tests, held
from .test_redteam_s11 import held_last

#: the module (``sshgate.guard.classify`` is also the name of its function)
classify_module = sys.modules["sshgate.guard.classify"]

ALLOWED = {
    "versions": [
        "ghc --version", "ghc --numeric-version", "ghc --info", "ghc --print-libdir",
        "julia --version", "julia -v", "R --version", "Rscript --version", "kotlin -version",
        "opam --version", "dune --version", "ocaml -version", "ocaml -vnum", "ocamlc -version",
        "ocamlfind -version", "lein version", "lein --version", "clojure --version",
        "ghc --version | head -1", "julia --version 2>&1 | grep -o '[0-9.]*'",
    ],
    "opam": [
        "opam switch list", "opam switch show", "opam list", "opam list --installed -s",
        "opam list --roots", "opam list -i --columns=name,version", "opam list | grep lwt",
        "opam show lwt", "opam show lwt -f version", "opam env", "opam env --switch=default",
        "opam env | head", "opam var prefix", "opam config list", "opam repo list",
        "opam --cli=2.1 list --safe",
    ],
    "dune": [
        "dune build", "dune build @runtest", "dune build @install", "dune build @fmt",
        "dune build ./bin/main.exe --profile release", "dune build -j 4 --display short",
        "dune build @@default", "dune build @src/runtest", "dune build 2>&1 | head -40",
        "dune test", "dune test --force", "dune runtest test", "dune fmt", "dune clean",
        "dune exec ./bin/main.exe", "dune exec -- ./bin/main.exe",
        "dune exec ./bin/main.exe --profile release", "dune installed-libraries",
        "cd /srv/app && dune build",
    ],
    "ocamlfind": [
        "ocamlfind list", "ocamlfind list -describe", "ocamlfind query lwt",
        "ocamlfind query -r lwt.unix", "ocamlfind printconf", "ocamlfind printconf destdir",
    ],
    "haskell": [
        "hlint src/", "hlint .", "hlint src --json", "hlint . -j --no-summary",
        "hlint src app --json", "hlint src | head -30",
        "ormolu --mode check src/Main.hs",
        "ormolu -i src/Main.hs", "fourmolu --mode inplace src app", "fourmolu -c src/Lib.hs",
    ],
    "julia": [
        "julia --project=. -e 'using Pkg; Pkg.status()'", "julia -e 'using Pkg; Pkg.status()'",
        "julia --project -e 'import Pkg; Pkg.instantiate()'",
        "julia --project=. -e 'using Pkg; Pkg.test()'",
        "julia --project=@. -e 'using Pkg; Pkg.activate(\".\"); Pkg.instantiate()'",
        "julia --startup-file=no -e 'versioninfo()'", "julia -q -e 'println(VERSION)'",
        "julia --project=. -e 'using Pkg; Pkg.precompile()'",
    ],
    "R": [
        "Rscript -e 'sessionInfo()'", "Rscript -e \"devtools::test()\"",
        "Rscript -e 'packageVersion(\"dplyr\")'", "Rscript --vanilla -e 'R.version.string'",
        "Rscript -e 'testthat::test_dir(\"tests/testthat\")'",
        "Rscript -e 'lintr::lint_package()'", "Rscript -e 'renv::status()'",
        "Rscript -e 'devtools::document(); devtools::check()'",
        "Rscript -e '.libPaths()'", "Rscript scripts/x.R", "Rscript --vanilla scripts/fit.R "
        "--input data/train.csv",
    ],
    "clojure": [
        "clj-kondo --lint src test", "clj-kondo --lint src", "clj-kondo --lint src --parallel",
        "clj-kondo --lint src --fail-level error", "clojure -M:test", "clj -M:test",
        "clojure -M:test:dev", "clojure -X:test", "clojure -X:deps tree", "clojure -Spath",
        "clojure -Stree", "clojure -P -M:test", "clojure -Sforce -M:test",
        "lein test", "lein test my.ns-test", "lein test :only my.ns-test/parses",
        "lein test :integration", "lein deps", "lein deps :tree", "lein check",
        "lein uberjar", "lein clean", "lein classpath", "lein -o test",
        "lein test 2>&1 | tail -20",
    ],
    "adb": [
        "adb devices", "adb devices -l", "adb version", "adb get-state",
        "adb shell getprop ro.build.version.release",
        "adb -s emulator-5554 shell getprop ro.product.model",
        "adb -s 192.168.1.20:5555 shell getprop ro.build.version.sdk",
        "adb shell pm list packages", "adb shell pm list packages -3",
        "adb shell pm list packages | grep example", "adb shell wm size", "sudo adb devices",
    ],
    "fastlane": [
        "bundle exec fastlane lanes", "fastlane lanes", "fastlane list", "fastlane --version",
    ],
    "go": [
        "govulncheck ./...", "govulncheck -json ./... | jq .", "govulncheck -show verbose ./...",
        "govulncheck -test ./...", "govulncheck -C api ./...", "govulncheck -format sarif ./...",
        "govulncheck -version",
    ],
    "swift and kotlin": [
        "swiftlint", "swiftlint lint", "swiftlint lint --strict", "swiftlint --fix",
        "swiftlint lint --reporter json", "swiftlint lint --config .swiftlint.yml Sources",
        "swiftlint --output swiftlint.txt", "swiftlint rules", "swiftlint version",
        "ktlint", "ktlint \"src/**/*.kt\"", "ktlint -F \"src/**/*.kt\"",
        "ktlint --reporter=json", "ktlint \"src/**/*.kt\" \"!src/generated/**\"",
        "ktlint --relative --reporter=plain?group_by_file", "ktlint --editorconfig=.editorconfig",
        "detekt", "detekt --input src/main/kotlin",
        "detekt -i src/main/kotlin,src/test/kotlin -c detekt.yml",
        "detekt -r txt:build/reports/detekt.txt --build-upon-default-config",
        "detekt --auto-correct --parallel", "detekt-cli --input src -b detekt-baseline.xml",
    ],
    "binutils": [
        "objcopy -O ihex app.elf app.hex", "objcopy -O binary build/app.elf build/app.bin",
        "objcopy -O srec -j .text -j .data app.elf app.srec", "objcopy -S app.elf /tmp/app.bin",
        "objcopy --version", "ar t libfoo.a", "ar tv build/libx.a | head", "ar t libfoo.a x.o",
        "ar --version",
    ],
}

HELD = {
    "versions and prompts": [
        "ghc", "ghc Main.hs", "ghc -e 'System.Process.callCommand \"id\"'",
        "ghc --version Main.hs", "ghc --make -fplugin=Evil Main.hs", "ghci", "runghc x.hs",
        "R", "R -e 'system(\"id\")'", "R CMD INSTALL .", "R --vanilla < x.R",
        "kotlin x.jar", "kotlin -e 'println(1)'", "kotlin script.main.kts", "ocaml x.ml",
        "ocaml", "julia", "Rscript", "clojure", "clj", "lein repl",
    ],
    "julia": [
        "julia -e 'run(`id`)'", "julia -e 'using Pkg; Pkg.add(\"X\")'",
        "julia -e 'using Pkg; run(`id`)'", "julia -E '1+1'",
        "julia -e 'using Pkg; Pkg.status() # ; x'", "julia -e 'Pkg.status( ); rm(\"x\")'",
        "julia -L /tmp/x.jl -e 'using Pkg; Pkg.status()'",
        "julia --load=/tmp/x.jl -e 'using Pkg; Pkg.status()'", "julia -i -e 'using Pkg'",
        "julia --sysimage=/tmp/x.so -e 'using Pkg; Pkg.status()'", "julia -J /tmp/x.so --version",
        "julia --project=/tmp/p -e 'using Pkg; Pkg.status()'",
        "julia --machine-file hosts -e 'using Pkg; Pkg.status()'",
        "julia -p 4 -e 'using Pkg; Pkg.status()'",
        "julia --bug-report=rr -e 'using Pkg; Pkg.status()'",
        "julia --startup-file=yes -e 'using Pkg; Pkg.status()'",
        "julia --track-allocation=user -e 'using Pkg; Pkg.test()'",
        "julia -e 'using Pkg; Pkg.status()' x.jl", "julia -e \"$CMD\"",
        "julia $OPT -e 'using Pkg; Pkg.status()'", "julia --version -e 'run(`id`)'",
        "julia /tmp/x.jl", "julia ../x.jl",
        "JULIA_PROJECT=/tmp/p julia -e 'using Pkg; Pkg.status()'",
        "JULIA_LOAD_PATH=/tmp julia -e 'using Pkg; Pkg.status()'",
        "JULIA_DEPOT_PATH=/tmp/d julia -e 'using Pkg; Pkg.status()'",
    ],
    "R": [
        "Rscript -e 'system(\"id\")'", "Rscript -e 'sessionInfo(); system(\"id\")'",
        "Rscript -e 'packageVersion(\"x\"); unlink(\"~\", recursive=TRUE)'",
        "Rscript -e 'testthat::test_dir(\"/etc\")'", "Rscript -e 'testthat::test_dir(\"../x\")'",
        "Rscript -e 'install.packages(\"x\")'", "Rscript -e 'source(\"/tmp/x.R\")'",
        "Rscript --default-packages=evil -e 'sessionInfo()'",
        "Rscript -e 'sessionInfo()' --args x", "Rscript -f x.R", "Rscript -e \"$X\"",
        "Rscript /tmp/x.R", "R_PROFILE_USER=/tmp/x.R Rscript -e 'sessionInfo()'",
        "R_LIBS=/tmp/lib Rscript -e 'devtools::test()'",
        "Rscript -e 'readLines(\"~/.ssh/id_rsa\")'",
    ],
    "opam": [
        "opam install lwt", "opam install . --deps-only", "opam remove lwt", "opam upgrade",
        "opam update", "opam pin add x /tmp/x", "opam repo add evil https://x", "opam init",
        "opam exec -- rm -rf ~", "opam switch create 5.1.0", "opam switch set 4.14",
        "opam switch remove default", "opam switch", "opam config set x y", "opam var x=y",
        "opam --root /tmp/r list", "opam list -y", "opam env --switch=$S", "opam source lwt",
        "eval $(opam env)", "eval \"$(opam env)\"", "opam env > ~/.bashrc",
        "OPAMROOT=/tmp/o opam list", "opam show /tmp/x.opam", "opam list $P",
    ],
    "dune": [
        "dune build --root /tmp", "dune build --workspace /tmp/ws",
        "dune build --config-file /tmp/c", "dune build --build-dir /tmp/b", "dune build -w",
        "dune build --watch", "dune build --passive-watch-mode",
        "dune build --diff-command 'sh -c id'", "dune build --instrument-with bisect_ppx",
        "dune build --trace-file /tmp/t", "dune build ../x", "dune build /etc/passwd",
        "dune build $T", "dune build @runtest -- -x", "dune exec rm -- -rf /", "dune exec ls",
        "dune exec ./bin/main.exe foo", "dune exec ./bin/main.exe -- --port 8080",
        "dune exec /tmp/x.exe", "dune exec ./../x.exe", "dune exec ./bin/main.sh",
        "dune exec --no-build ./x.exe", "dune install", "dune uninstall", "dune utop",
        "dune top", "dune rpc ping", "dune pkg lock", "dune clean --root /tmp",
        "OCAMLPARAM=_,pp=/tmp/x dune build", "DUNE_CONFIG__CACHE=enabled dune build",
    ],
    "ocamlfind": [
        "ocamlfind ocamlopt -package lwt x.ml", "ocamlfind install x META",
        "ocamlfind remove x", "ocamlfind -toolchain evil list", "ocamlfind query ../x",
    ],
    "haskell": [
        "hlint --refactor src", "hlint --refactor-options='-i' src", "hlint --datadir /tmp/d src",
        "hlint --report=/tmp/x.html src", "hlint --report src", "hlint /etc/", "hlint ../x",
        "hlint -h /tmp/h.yaml src", "hlint $D", "hlint --git", "hlint --cpp-file=/etc/shadow src",
        "ormolu --ghc-opt -pgmF/tmp/x -i src/Main.hs", "ormolu -i /etc/x.hs",
        "fourmolu -i ../x.hs",
    ],
    "clojure": [
        "clj-kondo --lint /etc", "clj-kondo --lint src --config '{:hooks {:x y}}'",
        "clj-kondo --config /tmp/c.edn --lint src", "clj-kondo --copy-configs --lint src",
        "clj-kondo --cache-dir /tmp/c --lint src", "clj-kondo --lint \"$(clojure -Spath)\"",
        "clojure -M", "clojure -M -e '(System/exit 0)'", "clojure -M:test -e '(spit \"x\" 1)'",
        "clojure -M:test -m evil.core", "clojure -M:test script.clj", "clojure -M:repl",
        "clojure -M:nrepl", "clj -M:dev:repl", "clojure -M:test:cider-nrepl",
        "clojure -X:deploy", "clojure -X:test clojure.core/eval", "clojure -X:deps tree :x 1",
        "clojure -X:test :dirs '[\"test\"]'", "clojure -J-javaagent:/tmp/a.jar -M:test",
        "clojure -Sdeps '{:deps {e/e {:local/root \"/tmp/e\"}}}' -M:test",
        "clojure -Scp /tmp -M:test", "clojure -Spom", "clojure -T:build jar",
        "clojure -M:test -- x", "clojure -M:$A", "clojure -M:test -X:dev",
        "CLJ_JVM_OPTS=-javaagent:/tmp/a.jar clojure -M:test",
        "lein run", "lein trampoline run", "lein do clean, test", "lein deploy clojars",
        "lein install", "lein update-in : assoc :x 1 -- test", "lein with-profile +x test",
        "lein test '$(id)'", "lein test ../x", "lein test $T", "lein deps :why x",
        "lein change version set 1", "lein new app x", "lein vcs push", "lein sub test",
        "LEIN_JVM_OPTS=-javaagent:/tmp/a.jar lein test",
        "JAVA_TOOL_OPTIONS=-javaagent:/tmp/a.jar lein test",
    ],
    "adb": [
        "adb shell", "adb shell rm -rf /sdcard", "adb shell getprop 'ro.x; rm -rf /sdcard'",
        "adb shell 'getprop ro.x; reboot'", "adb shell getprop ro.x ro.y",
        "adb shell pm uninstall com.x", "adb shell pm list packages '; reboot'",
        "adb shell pm list packages -3 x; reboot", "adb shell dumpsys", "adb shell cat /data/x",
        "adb shell -x getprop ro.x", "adb install app.apk", "adb uninstall com.x",
        "adb push notes.txt /sdcard/", "adb pull /sdcard/x", "adb root", "adb remount",
        "adb reboot", "adb logcat", "adb logcat -d", "adb forward tcp:1 tcp:2",
        "adb reverse tcp:1 tcp:2", "adb tcpip 5555", "adb -a devices",
        "adb -H evil.example.com devices", "adb -P 1 devices", "adb -L tcp:evil:1 devices",
        "adb backup -all", "adb sideload x.zip", "adb -s $S shell getprop ro.x",
        "adb -s \"$S\" shell getprop ro.x", "adb shell getprop $P",
        "ADB_SERVER_SOCKET=tcp:evil.example.com:5037 adb devices",
    ],
    "fastlane": [
        "fastlane", "fastlane beta", "fastlane ios release", "fastlane run upload_to_testflight",
        "fastlane action x", "fastlane init", "fastlane env", "bundle exec fastlane deploy",
        "fastlane lanes --json",
    ],
    "go": [
        "govulncheck -db https://evil.example ./...", "govulncheck -db file:///tmp/db ./...",
        "govulncheck -mode extract -o x ./...", "govulncheck /etc", "govulncheck ../x/...",
        "govulncheck -C /tmp ./...", "govulncheck $P",
    ],
    "swift and kotlin": [
        "swiftlint analyze", "swiftlint --cache-path /tmp/c", "swiftlint lint "
        "--use-script-input-files", "swiftlint lint --compiler-log-path /tmp/l",
        "swiftlint lint --config /tmp/x.yml", "swiftlint lint /etc", "swiftlint --output ~/.bashrc",
        "swiftlint --output .git/hooks/pre-commit", "swiftlint --write-baseline /etc/x",
        "swiftlint lint $X",
        "ktlint -R /tmp/rules.jar", "ktlint --ruleset=/tmp/r.jar",
        "ktlint --reporter=json,output=/home/u/.bashrc",
        "ktlint --reporter=plain,artifact=/tmp/r.jar",
        "ktlint installGitPreCommitHook", "ktlint installGitPrePushHook", "ktlint \"/etc/**\"",
        "ktlint \"../x/**/*.kt\"", "ktlint --baseline=.git/hooks/pre-commit",
        "ktlint --editorconfig=/tmp/e", "ktlint $P",
        "detekt --plugins /tmp/p.jar", "detekt -p /tmp/p.jar", "detekt --classpath /tmp",
        "detekt --generate-config", "detekt -gc", "detekt --jdk-home /tmp/j",
        "detekt -r txt:/home/u/.bashrc", "detekt -r txt:src/Main.kt", "detekt --input /etc",
        "detekt --input src,/etc", "detekt -c /tmp/c.yml", "detekt --create-baseline -b x.xml",
    ],
    "binutils": [
        "objcopy app.elf", "objcopy -O ihex app.elf", "objcopy app.elf app.elf",
        "objcopy -O elf32-littlearm a.elf b.elf", "objcopy -O binary a.elf ~/.bashrc",
        "objcopy -O binary a.elf .git/hooks/pre-commit", "objcopy -O binary a.elf run.sh",
        "objcopy -O binary a.elf /usr/bin/x.bin", "objcopy -O ihex a.elf ../x.hex",
        "objcopy -I binary -O ihex /etc/shadow x.hex", "objcopy -I binary -O ihex x.txt x.hex",
        "objcopy -B arm -O ihex x.txt x.hex",
        "objcopy --add-section .x=/etc/hostname a.elf b.bin",
        "objcopy --update-section .x=notes.txt a.elf b.bin",
        "objcopy --dump-section .text=/tmp/x.sh a.elf b.bin",
        "objcopy --redefine-syms=/etc/hostname a.elf b.bin",
        "objcopy -O binary ~/.ssh/id_rsa x.bin",
        "objcopy -O binary $IN out.bin", "objcopy -O ihex a.elf $OUT",
        "objcopy -O ihex a.elf -- x.hex", "sudo objcopy -O ihex /usr/bin/ls /usr/bin/ls",
        "ar x libfoo.a", "ar rcs libfoo.a x.o", "ar d libfoo.a x.o", "ar p libfoo.a x.o",
        "ar t --plugin /tmp/p.so libfoo.a", "ar --plugin /tmp/p.so t libfoo.a",
        "ar t @/etc/hostname", "ar t ~/.ssh/id_rsa", "ar t", "ar t notes.txt",
    ],
}


test_held, test_allowed = grouped_tests(HELD, ALLOWED)



# --- cross toolchains -----------------------------------------------------------------------
@pytest.mark.parametrize(("name", "base"), [
    ("arm-none-eabi-objdump", "objdump"), ("arm-none-eabi-size", "size"),
    ("arm-none-eabi-nm", "nm"), ("aarch64-linux-gnu-readelf", "readelf"),
    ("riscv64-unknown-elf-objcopy", "objcopy"), ("avr-objcopy", "objcopy"),
    ("x86_64-w64-mingw32-objdump", "objdump"), ("arm-linux-gnueabihf-addr2line", "addr2line"),
    ("arm-none-eabi-c++filt", "c++filt"), ("mips-linux-gnu-strings", "strings"),
    ("arm-none-eabi-ar", "ar"), ("xtensa-esp32-elf-size", "size"),
    # gcc-ar is ar with the system's LTO plugin: a listing still only lists
    ("arm-none-eabi-gcc-ar", "ar")])
def test_cross_reader_is_the_base_entry(name: str, base: str) -> None:
    assert langs.cross_entry(name, CATALOGUE) is CATALOGUE[base]


@pytest.mark.parametrize("name", [
    "evil-objdump", "objdump", "arm-objdump-x", "arm-none-eabi-strip", "arm-none-eabi-ranlib",
    "arm-none-eabi-gdb-py", "arm-a-b-c-d-objdump", "arm-../x-nm",
    "ARM-none-eabi-nm", "arm-none-eabi-", "x86_64-linux-gnu-python3", "arm-none-eabi-sh"])
def test_other_names_are_not_cross_tools(name: str) -> None:
    assert langs.cross_entry(name, CATALOGUE) is None


def test_cross_compilers_are_asked_only() -> None:
    for name in ("arm-none-eabi-gcc", "aarch64-linux-gnu-g++", "riscv64-unknown-elf-cpp",
                 "avr-gcc", "arm-none-eabi-gfortran"):
        assert langs.cross_entry(name, CATALOGUE) is langs.CROSS_COMPILER, name
    for name in ("arm-none-eabi-as", "aarch64-linux-gnu-ld", "arm-none-eabi-gdb"):
        assert langs.cross_entry(name, CATALOGUE) is langs.CROSS_VERSION_ONLY, name


CROSS_ALLOWED = [
    "arm-none-eabi-gcc --version", "arm-none-eabi-gcc -dumpmachine",
    "arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -print-multi-directory",
    "arm-none-eabi-size build/app.elf", "arm-none-eabi-size -A build/app.elf",
    "arm-none-eabi-objdump -h build/app.elf", "arm-none-eabi-objdump -d build/app.elf | head -50",
    "arm-none-eabi-nm -S -n build/app.elf", "aarch64-linux-gnu-readelf -h build/app",
    "riscv64-unknown-elf-objcopy -O ihex in.elf out.hex",
    "avr-objcopy -O ihex -R .eeprom firmware.elf firmware.hex",
    "avr-size --format=avr firmware.elf", "x86_64-w64-mingw32-objdump -p app.exe",
    "arm-linux-gnueabihf-addr2line -e app.elf 0x1234", "aarch64-linux-gnu-ld --version",
    "arm-none-eabi-gdb --version", "arm-none-eabi-ar t libx.a",
    "sudo aarch64-linux-gnu-readelf -d /usr/aarch64-linux-gnu/lib/libc.so.6",
]
CROSS_HELD = [
    "arm-none-eabi-gcc -c main.c -o main.o", "arm-none-eabi-gcc main.c",
    "arm-none-eabi-gcc -specs=nosys.specs main.c", "arm-none-eabi-gcc -wrapper /tmp/x,-x --version",
    "arm-none-eabi-gcc --version -o ~/.bashrc", "arm-none-eabi-gcc -mcpu cortex-m4 -v",
    "arm-none-eabi-gdb -ex 'shell id'",
    "arm-none-eabi-gdb app.elf", "aarch64-linux-gnu-ld -o x x.o", "arm-none-eabi-as -v",
    "arm-none-eabi-objcopy -O binary app.elf ~/.bashrc", "arm-none-eabi-objcopy app.elf",
    "arm-none-eabi-objcopy -O binary app.elf tools/run.sh",
    "arm-none-eabi-objcopy -I binary -O ihex /etc/shadow x.hex",
    "arm-none-eabi-objcopy --add-section .x=.env app.elf x.bin",
    "arm-none-eabi-objdump -s ~/.ssh/id_rsa", "arm-none-eabi-nm /etc/shadow",
    "arm-none-eabi-readelf -a .env", "evil-objdump -h x", "arm-none-eabi-strip app.elf",
    "arm-none-eabi-objdump -b binary -D -m arm notes.txt", "arm-none-eabi-size $F",
    "arm-none-eabi-ar x libx.a", "./arm-none-eabi-objdump -h x",
    "/tmp/bin/arm-none-eabi-objdump -h x",
]


@pytest.fixture
def cross_hook(monkeypatch):
    """The catalogue as safe.known_safe sees it once it asks ``langs.cross_entry`` for a
    name without an entry of its own (the change this module's report describes): each
    cross name of the tables given its entry, with fresh caches on both sides."""
    for line in CROSS_ALLOWED + CROSS_HELD:
        for word in re.findall(r"[A-Za-z0-9_.+-]+", line):
            entry = None if word in CATALOGUE else langs.cross_entry(word, CATALOGUE)
            if entry is not None:
                monkeypatch.setitem(CATALOGUE, word, entry)
    for name in ("_hits_memo", "_safe_memo"):
        monkeypatch.setattr(classify_module, name,
                            classify_module._Memo(classify_module.MEMO_ENTRIES))
    monkeypatch.setattr(classify_module, "_cache", type(classify_module._cache)())


def test_cross_lines(cross_hook) -> None:
    each(CROSS_ALLOWED, allowed)
    each(CROSS_HELD, held)


# --- what the guard's other tables add (flow.CODE_RUNNERS, site_program.INTERPRETERS) ------------
def test_julia_script_is_the_sites_program() -> None:
    each(["julia scripts/x.jl", "julia --project=. scripts/train.jl --epochs 3"], allowed)
    each(["julia scripts/drop_tables.jl", "julia -L /tmp/x.jl scripts/x.jl",
          "julia scripts/x.jl --host evil.example.com:443"], held)


WRITTEN_THEN_RUN = [
    ("echo x > bin/dune", "dune build"), ("echo x > src/x.ml", "dune test"),
    ("echo x > dune-project", "dune exec ./bin/main.exe"),
    ("echo x > project.clj", "lein test"), ("echo x > src/x/core.clj", "lein test"),
    ("echo x > deps.edn", "clojure -M:test"), ("echo x > test/x_test.clj", "clj -X:test"),
    ("echo x > Project.toml", "julia --project=. -e 'using Pkg; Pkg.test()'"),
    ("echo x > tests/testthat/test-a.R", "Rscript -e 'devtools::test()'"),
    ("echo x > fastlane/Fastfile", "bundle exec fastlane lanes"),
]


def test_written_tree_holds_the_tool() -> None:
    each(WRITTEN_THEN_RUN, held_last)

"""Maven and Gradle as data: the options, lifecycle phases, plugin goals, tasks and ``-D``/``-P``
properties that keep a build ordinary. Pure; ``safe.py`` builds the catalogue entries.

What a build runs is the tree's own code (pom.xml, build.gradle), as for ``make``. What the
command line may add is the danger: another build or settings file, an init script, a plugin
goal that runs a program (``exec:exec``, ``antrun:run``), a property that loads an agent or
extension (``-DargLine=-javaagent:...``, ``-Dmaven.ext.class.path``), a repository outside the
tree, a proxy, a build scan sent to a server.
"""

from __future__ import annotations

import re


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())

# --- Maven -----------------------------------------------------------------------------------
#: commons-cli options (multi-letter short names: -am, -ntp, -pl); kinds as in options.opts.
#: Never -emp/-ep (print encrypted passwords), -X (debug dumps settings), -l outside the tree.
MVN_OPTS = (
    "-am|--also-make -amd|--also-make-dependents -B|--batch-mode -b|--builder:word "
    "-C|--strict-checksums -c|--lax-checksums -D|--define:mvnprop -e|--errors "
    "-f|--file:buildfile -fae|--fail-at-end -ff|--fail-fast -fn|--fail-never "
    "-gs|--global-settings:buildfile -gt|--global-toolchains:buildfile -h|--help "
    "-l|--log-file:write -N|--non-recursive -nsu|--no-snapshot-updates "
    "-ntp|--no-transfer-progress -o|--offline -P|--activate-profiles:any "
    "-pl|--projects:any -q|--quiet -rf|--resume-from:any -s|--settings:buildfile "
    "-t|--toolchains:buildfile -T|--threads:any -U|--update-snapshots -v|--version "
    "-V|--show-version --color:word -llr|--legacy-local-repository -up")
#: the default, clean and site lifecycles' phases (``deploy`` publishes: not here)
MVN_PHASES = _names("""
validate initialize generate-sources process-sources generate-resources process-resources
compile process-classes generate-test-sources process-test-sources generate-test-resources
process-test-resources test-compile process-test-classes test prepare-package package
pre-integration-test integration-test post-integration-test verify install
pre-clean clean post-clean
""")
#: ``prefix:goal`` of plugins that report, check or format; never exec:*, antrun:*,
#: help:effective-settings and help:evaluate (server passwords, ``${env.X}``), a full
#: ``group:artifact:version:goal``
MVN_GOALS = _names("""
dependency:tree dependency:list dependency:resolve dependency:resolve-plugins
dependency:analyze dependency:go-offline dependency:sources help:effective-pom help:describe
help:active-profiles versions:display-dependency-updates
versions:display-plugin-updates versions:display-property-updates spotless:check
spotless:apply checkstyle:check checkstyle:checkstyle spotbugs:check pmd:check pmd:pmd
jacoco:report jacoco:check surefire:test failsafe:integration-test failsafe:verify
clean:clean compiler:compile compiler:testCompile jar:jar enforcer:enforce
license:check fmt:check fmt:format javadoc:javadoc
""")
#: ``-Dname[=value]`` that only select tests, skip steps, set versions or output details
#: (name -> kind of the value); never exec.*, argLine (JVM options: -javaagent), proxies,
#: maven.ext.class.path, maven.repo.local (even in the tree: a plugin jar the agent downloads
#: there would run), *.executable, *.jvm
MVN_PROPS: dict[str, str] = {
    **dict.fromkeys(_names("""
skipTests maven.test.skip skipITs maven.javadoc.skip maven.source.skip checkstyle.skip
spotbugs.skip pmd.skip cpd.skip jacoco.skip enforcer.skip gpg.skip license.skip
spotless.check.skip spotless.apply.skip maven.main.skip maven.test.failure.ignore
failIfNoTests surefire.failIfNoSpecifiedTests trimStackTrace skipNexusStagingDeployMojo
maven.install.skip maven.deploy.skip assembly.skipAssembly dependency-check.skip
style.color verbose quiet skip
"""), "word"),
    **dict.fromkeys(_names("""
test it.test groups excludedGroups revision changelist sha1 maven.compiler.source
maven.compiler.target maven.compiler.release includes excludes scope outputType
artifact project.version
"""), "any"),
}

# --- Gradle --------------------------------------------------------------------------------------
#: never -I/--init-script outside the tree, -g/--gradle-user-home (its init.d scripts run),
#: --scan (sends the build's environment to a server), -d/--debug (logs credentials, Gradle
#: warns), --write-verification-metadata/--export-keys (writes the trust file),
#: --dependency-verification=off, --include-build outside the tree
GRADLE_OPTS = (
    "-x|--exclude-task:any --offline --refresh-dependencies -q|--quiet -i|--info "
    "-w|--warn -s|--stacktrace -S|--full-stacktrace --build-cache --no-build-cache "
    "--configuration-cache --no-configuration-cache --configure-on-demand --parallel "
    "--no-parallel --max-workers:num --continue --daemon --no-daemon --foreground "
    "--console:word --warning-mode:word --priority:word -P|--project-prop:gprop "
    "-D|--system-prop:gsysprop -I|--init-script:buildfile -b|--build-file:buildfile "
    "-c|--settings-file:buildfile -p|--project-dir:buildfile "
    "--include-build:buildfile -m|--dry-run --rerun-tasks --rerun --no-rebuild -a "
    "--status --stop -v|--version -h|--help --write-locks --update-locks:any "
    "--dependency-verification|-F:gverify --watch-fs --no-watch-fs --profile --no-scan "
    "--tests:any --configuration:any --dependency:any --all --fail-fast "
    "--offline --no-problems-report")
#: tasks a project ordinarily has that build, check, test, report or format, by their full
#: names (Gradle resolves abbreviations: ``pub`` would be ``publish``); never run, bootRun,
#: publish, wrapper (rewrites gradlew's download URL), properties (prints secrets)
GRADLE_TASKS = _names("""
build assemble check test clean classes testClasses compileJava compileTestJava
compileKotlin compileTestKotlin compileGroovy compileScala jar bootJar war bootWar javadoc
dependencies dependencyInsight projects tasks help buildEnvironment javaToolchains
outgoingVariants resolvableConfigurations lint lintDebug lintRelease assembleDebug
assembleRelease bundleDebug bundleRelease testDebugUnitTest testReleaseUnitTest
spotlessCheck spotlessApply ktlintCheck ktlintFormat detekt checkstyleMain checkstyleTest
pmdMain pmdTest spotbugsMain jacocoTestReport jacocoTestCoverageVerification
integrationTest publishToMavenLocal shadowJar distZip distTar installDist
""")
#: Gradle's own -P names set its behaviour; -D only these system properties
GRADLE_SPECIAL_PROP = re.compile(r"^(org\.gradle\.|systemProp\.|gradle\.)")
GRADLE_SYSPROPS: dict[str, str] = {
    "test.single": "any", "file.encoding": "word", "org.gradle.parallel": "word",
    "org.gradle.caching": "word",
    "org.gradle.console": "word", "org.gradle.warning.mode": "word",
    "org.gradle.workers.max": "word", "org.gradle.daemon": "word",
}
GRADLE_VERIFY = frozenset({"strict", "lenient"})

_PROP_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


def property_kind(table: dict[str, str], value: str) -> str | None:
    """``NAME[=VALUE]``: the kind of VALUE the table allows for NAME, or None."""
    name, _, _ = value.partition("=")
    return table.get(name) if _PROP_NAME.match(name) else None


def gradle_project_prop(value: str) -> str | None:
    """None when ``-PNAME=VALUE`` sets a property of the build only; else why not."""
    name = value.partition("=")[0]
    if not _PROP_NAME.match(name) or GRADLE_SPECIAL_PROP.match(name):
        return f"-P{name} is not a plain project property"
    return None


def gradle_task(op: str) -> bool:
    """``test``, ``:app:test``, ``app:build``: a listed task of a plain project path."""
    *project, task = op.split(":")
    return task in GRADLE_TASKS and all(re.fullmatch(r"[A-Za-z0-9_.-]*", p) for p in project)


def maven_split(words: tuple[str, ...]) -> tuple[str, ...]:
    """commons-cli attaches values to -D, -P and -T (``-Dx=y``, ``-Pprod``, ``-T4``): split them
    so that a Go-style reading sees ``-D x=y``."""
    out: list[str] = []
    for w in words:
        if len(w) > 2 and w[0] == "-" and w[1] in "DPT" and w[2] != "-" and not w.startswith(
                "--"):
            out.extend((w[:2], w[2:]))
        else:
            out.append(w)
    return tuple(out)


__all__ = ["GRADLE_OPTS", "GRADLE_SYSPROPS", "GRADLE_TASKS", "GRADLE_VERIFY", "MVN_GOALS",
           "MVN_OPTS", "MVN_PHASES", "MVN_PROPS", "gradle_project_prop", "gradle_task",
           "maven_split", "property_kind"]

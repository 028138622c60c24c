"""Site operations beyond the famous tools: HPC schedulers and modules, bioinformatics
pipelines, storage (ZFS, LVM, md, Ceph), mail servers and package state, read-only and
ordinary forms. Known-safe shapes (tools/__init__.py)."""

from __future__ import annotations

import re

from ..options import opts
from ..parse import SimpleCommand
from ..rules import is_system_path
from ..shapes import Check, Entry, Pairs, Shape, Tool, Words
from ..site_program import SCRIPT_PATH, argument_why, says

#: a name the tool looks up (a job id, a node, a pool, a module, a parameter): never a path
#: up, an option, an expansion or a URL
_PLAIN = re.compile(r"\A[A-Za-z0-9_][A-Za-z0-9_.:@,+%=/-]*+\Z")
#: a dataset, image or volume spec (``tank/data``, ``volumes/vol-123``, ``pool@snap``)
_SPEC = re.compile(r"\A[A-Za-z0-9_][A-Za-z0-9_.:@+/-]*+\Z")


def _plain_ops(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    for o in ops:
        if not _PLAIN.fullmatch(o) or ".." in o.split("/") or "://" in o:
            return f"{o!r} is not a plain name"
    return None


def _plain_specs(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    for o in ops:
        if not _SPEC.fullmatch(o) or ".." in o.split("/"):
            return f"{o!r} is not a plain name"
    return None


def _local(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """htslib and its kin open ``http(s)://``, ``ftp://``, ``s3://``, ``gs://`` operands and
    option values as files (a request to a host the agent names, signed with the login's
    cloud credentials for s3): local files only."""
    for w in rest:
        if "://" in w:
            return f"{w!r} is a remote file (a request to a host the agent names)"
    return None


def _bio(spec: str, style: str = "gnu") -> Shape:
    """A reader of local sequence or interval files (never a URL: _local)."""
    return Shape(check="site-local", allow=opts(spec, style))


def _no_system(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """Tools that write an index or report beside their input (``samtools index x.bam`` makes
    ``x.bam.bai``): never an input in a system directory, never a path up or a home."""
    why = _local(c, rest, ops, pairs)
    if why:
        return why
    for o in ops:
        if ".." in o.split("/") or o.startswith("~") or (o.startswith("/") and
                                                          is_system_path(o)):
            return f"{o!r} lies in a system directory or outside the tree"
    return None


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: a tool asked only about itself (``--version``), or a subcommand that takes nothing
_JUST_ASKED = Shape(max_operands=0, allow=opts(""))
#: a subcommand that takes one name, or plain names, and no option
_ONE = Shape(max_operands=1, allow=opts(""))
_NAMES = Shape(check="site-plain", allow=opts(""))


# --- HPC: SLURM ---------------------------------------------------------------------------
_SLURM_COMMON = "-M|--clusters:any -v|--verbose -Q|--quiet --json --yaml "

# squeue/sinfo/sprio/sshare/sstat/sdiag only print the controller's state; none of their
# options writes, runs or loads anything (checked against their man pages)
_SQUEUE = Shape(max_operands=0, allow=opts(
    _SLURM_COMMON + "-u|--user:any -A|--account:any -p|--partition:any -j|--jobs:any "
    "-t|--states:any -o|--format:any -O|--Format:any -l|--long --me -h|--noheader "
    "-r|--array -s|--steps:?any --start -i|--iterate:num -S|--sort:any -n|--name:any "
    "-q|--qos:any -w|--nodelist:any -a|--all -R|--reservation:any -L|--licenses:any "
    "-P|--priority --noconvert --array-unique --federation --local --sibling "
    "--hide"))
_SINFO = Shape(max_operands=0, allow=opts(
    _SLURM_COMMON + "-a|--all -d|--dead -e|--exact -h|--noheader -i|--iterate:num -l|--long "
    "-n|--nodes:any -N|--Node -o|--format:any -O|--Format:any -p|--partition:any "
    "-r|--responding -R|--list-reasons -s|--summarize -S|--sort:any -t|--states:any "
    "-T|--reservation --noconvert --federation --local --hide"))
# never -B/--batch-script (prints a job's script), --env-vars (a job's environment:
# secrets), -f/--file (reads another accounting file), -c/--completion
_SACCT = Shape(max_operands=0, allow=opts(
    _SLURM_COMMON + "-a|--allusers -A|--accounts:any -b|--brief -D|--duplicates "
    "-E|--endtime:any -S|--starttime:any -j|--jobs:any -l|--long -n|--noheader "
    "-N|--nodelist:any -o|--format:any -p|--parsable -P|--parsable2 -s|--state:any "
    "-u|--user:any -X|--allocations -r|--partition:any -q|--qos:any --name:any "
    "-L|--allclusters --units:word -e|--helpformat --delimiter:any -T|--truncate "
    "-x|--associations:any -g|--group:any -k|--timelimit-min:any -K|--timelimit-max:any "
    "-W|--wckeys:any --noconvert -i|--nnodes:any -I|--ncpus:any --array --whole-hetjob:?any"))
_SPRIO = Shape(max_operands=0, allow=opts(
    _SLURM_COMMON + "-j|--jobs:any -u|--user:any -l|--long -n|--norm -o|--format:any "
    "-h|--noheader -p|--partition:any -w|--weights -S|--sort:any --sibling --local "
    "--federation"))
_SSHARE = Shape(max_operands=0, allow=opts(
    _SLURM_COMMON + "-a|--all -A|--accounts:any -l|--long -m|--partition -n|--noheader "
    "-p|--parsable -P|--parsable2 -u|--users:any -U|--Users -o|--format:any"))
_SSTAT = Shape(max_operands=0, allow=opts(
    "-j|--jobs:any -o|--format|--fields:any -a|--allsteps -n|--noheader -p|--parsable "
    "-P|--parsable2 -i|--pidformat -e|--helpformat --noconvert -v|--verbose --json --yaml"))
# never -r/--reset (zeroes the controller's counters)
_SDIAG = Shape(max_operands=0, allow=opts("-a|--all -i|--sort-by-id -t|--sort-by-time "
                                          "-T|--sort-by-time2 --json --yaml -M|--cluster:any"))
# report names and key=value conditions only; sreport has no mode that changes anything
_SREPORT = Shape(check="site-plain", allow=opts(
    _SLURM_COMMON + "-a|--all_clusters -n|--noheader -p|--parsable -P|--parsable2 "
    "-t|--time:word -T|--tres:any --local"))

#: what ``scontrol show`` may show (slurm.conf is readable by every user of the cluster)
_SCONTROL_SHOW = _words(
    "job jobs node nodes partition partitions reservation reservations config "
    "license licenses step steps topology hostnames hostlist hostlistsorted "
    "federation frontend burstbuffer daemons aliases assoc_mgr dwstatus")


def _computed(c: SimpleCommand, word: str) -> bool:
    """``word`` is one the shell computes (``"$(cat .last_job)"``)."""
    return any(d and a == word for a, d in zip(c.argv, c.dynamic or (), strict=False))


def _check_scontrol_show(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """A listed entity (literal), then its name: plain, or computed (a job id kept in a file:
    scontrol has no option that writes, runs or loads, so no word it becomes is harmful)."""
    if not ops or _computed(c, ops[0]) or ops[0].lower() not in _SCONTROL_SHOW:
        return "scontrol show of something other than a listed entity"
    return _plain_ops(c, rest, tuple(o for o in ops[1:] if not _computed(c, o)), pairs)


def _check_seff(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    # seff takes -d and -h only: a computed job id changes nothing else
    return _plain_ops(c, rest, tuple(o for o in ops if not _computed(c, o)), pairs)


_SCONTROL_FLAGS = "-d|--details -o|--oneline -a|--all -Q|--quiet -v|--verbose --json --yaml " \
                  "-M|--clusters:any --local --sibling --federation"
# scontrol: show, ping, version only; never update/delete/create/hold/requeue/suspend/
# reconfigure/shutdown/takeover/write (each changes the cluster or writes a file)
_SCONTROL = Tool(allow=opts(_SCONTROL_FLAGS), sub={
    "show": Shape(check="site-scontrol-show", max_operands=2, dynamic_ok=True,
                  allow=opts(_SCONTROL_FLAGS)),
    "ping": _JUST_ASKED, "version": _JUST_ASKED,
    "--version": _JUST_ASKED, "-V": _JUST_ASKED})

_SACCTMGR_ENTITIES = _words(
    "account accounts association associations assoc cluster clusters "
    "event events federation federations problem problems qos resource resources "
    "reservation reservations runawayjobs stats tres transaction transactions user "
    "users wckey wckeys")


def _check_sacctmgr_show(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if not ops or ops[0].lower() not in _SACCTMGR_ENTITIES:
        return "sacctmgr show without a listed entity"
    # runawayjobs asks to fix what it finds (an answer on stdin changes the database)
    if ops[0].lower() == "runawayjobs":
        return "sacctmgr show runawayjobs offers to fix the jobs it lists"
    return _plain_ops(c, rest, ops[1:], pairs)


_SACCTMGR_FLAGS = "-n|--noheader -p|--parsable -P|--parsable2 -r|--readonly " \
                  "-s|--associations -Q|--quiet -v|--verbose --json --yaml"
# sacctmgr show/list only; never add/create/modify/delete/dump/load/archive, never -i
# (commits without asking)
_SACCTMGR_SHOW = Shape(check="site-sacctmgr-show", allow=opts(_SACCTMGR_FLAGS))
_SACCTMGR = Tool(allow=opts(_SACCTMGR_FLAGS), sub={
    "show": _SACCTMGR_SHOW, "list": _SACCTMGR_SHOW, "--version": _JUST_ASKED, "-V": _JUST_ASKED})

#: a job script of the working tree: a plain relative path (never one in scratch, a home or
#: a system directory), as the site's programs are (site_program.py)
_JOB_SCRIPT = re.compile(r"\A(?:\./)?+(?:[A-Za-z0-9_][A-Za-z0-9_.+-]*+/)*+"
                         r"[A-Za-z0-9_][A-Za-z0-9_.+-]*+\Z")


def _check_sbatch(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """sbatch runs the tree's job script later on a compute node, as make runs the tree's
    Makefile: a script of the tree (flow.py's CODE_RUNNERS holds it after the session wrote
    the tree), whose name and arguments say nothing destructive. Without a script sbatch
    reads one from stdin: held."""
    if not ops:
        return "sbatch without a job script reads the script from stdin"
    script, args = ops[0], ops[1:]
    if not _JOB_SCRIPT.fullmatch(script) or not SCRIPT_PATH.fullmatch(script):
        return f"{script!r} is not a job script of the working tree"
    hit = says(script, name=True)
    if hit:
        return f"the job script's name says {hit!r}"
    for a in args:
        why = argument_why(a)
        if why:
            return why
    return None


# never --wrap (a command line), --export/--export-file/--get-user-env (environment:
# LD_PRELOAD), -D/--chdir (another tree), -i/--input (a file as stdin), --uid/--gid,
# --container, --mail-user (sends mail to an address), --propagate, -o/-e into anything but
# a safe write target
_SBATCH = Shape(check="site-sbatch", allow=opts(
    "-p|--partition:any -t|--time:any -N|--nodes:any -n|--ntasks:num "
    "-c|--cpus-per-task:num --mem:any --mem-per-cpu:any --mem-per-gpu:any --gres:any "
    "-G|--gpus:any --gpus-per-node:any --gpus-per-task:any --cpus-per-gpu:num "
    "-J|--job-name:any -a|--array:any -d|--dependency:any -A|--account:any -q|--qos:any "
    "--ntasks-per-node:num --ntasks-per-core:num --exclusive:?any -C|--constraint:any "
    "--parsable --test-only -W|--wait -H|--hold --begin:any --nice:?num "
    "-o|--output:write -e|--error:write --open-mode:word --mail-type:any "
    "-x|--exclude:any -w|--nodelist:any --reservation:any -Q|--quiet -v|--verbose "
    "--time-min:any --signal:any --requeue --no-requeue --kill-on-invalid-dep:word "
    "-M|--clusters:any --comment:any -s|--oversubscribe --contiguous --hint:word "
    "--distribution|-m:any --threads-per-core:num --tmp:any --licenses|-L:any "
    "--wckey:any --priority:any --deadline:any -S|--core-spec:num"))

# --- HPC: environment modules ---------------------------------------------------------------
#: subcommands of Lmod / Environment Modules that list, show or load modules by name from
#: the site's MODULEPATH; never use/unuse (a directory of modulefiles: code), source (a
#: modulefile by path), save/restore/savelist-edits (collections), initadd (shell startup
#: files), append-path/prepend-path/setenv (the environment later commands run in)
_MODULE_READ = _words(
    "list avail av spider show display whatis keyword key help is-loaded is-avail "
    "info-loaded savelist describe overview ov --version -v")
#: save/restore: a collection of the loaded modules' names, kept in a dot-directory of the
#: home (~/.lmod.d, ~/.module) that no ordinary command writes
_MODULE_LOAD = _words(
    "save restore "
    "load add try-load try-add unload rm del swap switch sw purge refresh reload")
#: Lmod's other commands: ``ml use DIR`` is ``module use DIR``, never a module's name
_LMOD_COMMANDS = _words(
    "use unuse source s r reset initadd initrm setenv unsetenv append-path "
    "prepend-path remove-path setdefault sd getdefault gd disable mcc mt record sandbox "
    "tablelist update category cat gettitle sl")
#: a module's name: site names (``gcc/12.2.0``, ``cuda/12.2``); never a path (a modulefile
#: anywhere is code), never ``use.own`` (puts ~/privatemodules, which ordinary commands may
#: write, on the module path)
_MODULE_NAME = re.compile(r"\A[A-Za-z0-9_][A-Za-z0-9_.+-]*+(?:/[A-Za-z0-9_][A-Za-z0-9_.+-]*+)*+\Z")


def _module_names(names: Words) -> str | None:
    for n in names:
        if not _MODULE_NAME.fullmatch(n) or n.lower().startswith("use.own"):
            return f"{n!r} is not a module's name"
    return None


def _check_module(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if c.name == "ml" and not ops:
        return None  # ml: module list
    if not ops:
        return None if any(k == "--version" for k, _ in pairs or ()) else \
            "module without a subcommand"
    sub, names = ops[0], ops[1:]
    if sub in _MODULE_READ:
        # a search text or a module's name (spider's regular expression is text)
        return None if all(_PLAIN.fullmatch(n) and ".." not in n for n in names) else \
            "module's operands are not plain names"
    if sub in _MODULE_LOAD:
        return _module_names(names)
    if c.name == "ml" and sub not in _LMOD_COMMANDS:
        return _module_names(ops)  # ml NAME: module load NAME
    return f"module {sub} is not a listing or a load by name"


# never -D/--debug? (harmless, but Lmod's --config, --mt, -r/--regexp are fine too): listed
# only, every other option is unknown
_MODULE = Shape(check="site-module", allow=opts(
    "-t|--terse -l|--long -d|--default -q|--quiet -w|--width:num -r|--regexp "
    "--redirect --no_redirect -s|--style:word -T|--trace -D|--debug -i|--icase "
    "--nx|--no_extensions -a|--all --version"))

# --- HPC: parallel file systems, MPI, interconnect ------------------------------------------
_LFS_FIND = Shape(allow=opts(
    "-name|--name:any -iname|--iname:any -type|--type|-t:word -size|--size|-s:any "
    "-mtime|--mtime|-M:any -atime|--atime|-A:any -ctime|--ctime|-C:any "
    "-maxdepth|--maxdepth|-D:num -mindepth|--mindepth:num -user|--user|-u:any "
    "-group|--group|-g:any -uid|--uid:any -gid|--gid:any -pool|--pool:any "
    "-stripe-count|--stripe-count|-c:any -stripe-size|--stripe-size|-S:any "
    "-print|--print|-p -print0|--print0|-0 -layout|--layout|-L:any -newer:any "
    "-ost|--ost|-O:any -mdt|--mdt|-m:any", "go"))
_LFS_STRIPE = ("-c|--stripe-count -i|--stripe-index|--stripe-offset -S|--stripe-size "
               "-p|--pool -L|--layout -d|--directory -D|--default -v|--verbose "
               "-q|--quiet -y|--yaml -r|--recursive -R|--raw -M|--mdt-index|--mdt "
               "-N|--component-count -I|--comp-id:?any -g|--generation "
               "--component-start:?any --component-end:?any --component-flags:?any "
               "--extension-size:?any -h|--hex-idx")
# lfs: space, quotas, layouts and a find that only prints; never setstripe/migrate/
# mirror/swap_layouts/hsm_*/rm_entry/mkdir/setdirstripe/setquota/ladvise/data_version
# (layouts, data movement, deletion, quotas)
_LFS = Tool(allow=opts(""), sub={
    "df": Shape(max_operands=1, secrets_ok=True, allow=opts(
        "-h|--human-readable -i|--inodes -l|--lazy -p|--pool:any -v|--verbose "
        "--mdt|-m --ost|-o")),
    "quota": Shape(max_operands=1, allow=opts(
        "-u:any -g:any -p:any -h -v -q -t --pool:any --busage --blimit --iusage --ilimit")),
    "getstripe": Shape(secrets_ok=True, allow=opts(_LFS_STRIPE)),
    "getdirstripe": Shape(secrets_ok=True, allow=opts(
        "-c|--mdt-count -i|--mdt-index -t|--mdt-hash -D|--default -r|--recursive -v "
        "-y|--yaml")),
    "find": _LFS_FIND, "osts": _ONE, "mdts": _ONE,
    "path2fid": Shape(secrets_ok=True, allow=opts("--parents")),
    "check": Shape(check="site-lfs-check", max_operands=1, allow=opts("")),
    "--version": _JUST_ASKED, "version": _JUST_ASKED})


def _check_lfs_check(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    return None if ops and ops[0] in ("servers", "osts", "mds", "mgts", "mdts") else \
        "lfs check of something other than servers"


# ompi_info only prints the build and the MCA parameters; no option writes or runs
_OMPI_INFO = Shape(max_operands=0, allow=opts(
    "-a|--all --parsable|--parseable --param:pair --level:num -V|--version --path:word "
    "--arch -c|--config --hostname --internal --pretty --selected-only -h|--help "
    "--show-failed --show-version:pair", "go"))
#: launchers: only asked their version (they run programs on many nodes)
_VERSION_ONLY = Tool(allow=opts(""), sub={"--version": _JUST_ASKED, "-V": _JUST_ASKED,
                                          "-version": _JUST_ASKED})
# GPFS and BeeGFS reports; never their mm*/--set* commands (changes)
_MMLSQUOTA = Shape(check="site-plain", allow=opts(
    "-u:any -g:any -j:any -e -C:any --block-size:any -v -q -Y --human-readable"))
_MMDF = Shape(check="site-plain", max_operands=1, allow=opts(
    "-d -F -m -P:any --block-size:any -Y"))
# beegfs-ctl: listing modes only (never --setpattern, --removenode, --migrate, --setquota,
# --createfile, --createdir, --disposeunused...)
_BEEGFS_MODES = ("--listnodes", "--listtargets", "--getquota", "--getentryinfo",
                 "--listmirrorgroups", "--serverstats", "--clientstats", "--storagebench")
_BEEGFS = Shape(check="site-beegfs", secrets_ok=True, allow=opts(
    "--listnodes --listtargets --getquota --getentryinfo --listmirrorgroups --serverstats "
    "--nodetype:word --state --longnodes --nicdetails --uid:any --gid:any --all --csv "
    "--spaceinfo --verbose --route --mount:any --nodeid:num --perinterval:num "
    "--history:num --interval:num --names --unmounted", abbrev=False))


def _check_beegfs(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    modes = [k for k, _ in pairs or () if k in _BEEGFS_MODES]
    if len(modes) != 1 or modes[0] == "--storagebench":
        return "beegfs-ctl without exactly one listing mode"
    return None


# --- bioinformatics -----------------------------------------------------------------------
_SAM_IO = "-@|--threads:num -o|--output:write -O|--output-fmt:any --verbosity:num "
# samtools: reads and reports; never -T/--reference, -L, -R, -N, -U, -X (read or write other
# files), --input-fmt-option/--output-fmt-option, fastq/fasta/split/merge/import (write
# files their options name), reheader -c (runs a command), tview
_SAMTOOLS = Tool(allow=opts(""), sub={
    "view": _bio(
        _SAM_IO + "-H|--header-only -h|--with-header --no-header -c|--count -b|--bam "
        "-C|--cram -u|--uncompressed -1|--fast -F|--excl-flags|--exclude-flags:any "
        "-f|--incl-flags|--require-flags:any -G:any --rf|--incl-any-flags:any "
        "-q|--min-MQ:num -l|--library:any -r|--read-group:any -d|--tag:any "
        "-e|--expr:any -s|--subsample:any --subsample-seed:num -M|--use-index "
        "-x|--remove-tag:any -B|--remove-B -m|--min-qlen:num -p|--unmap "
        "-P|--fetch-pairs --no-PG -k|--keep-tag:any -S"),
    **{n: _bio(_SAM_IO) for n in ("flagstat", "idxstats")},
    "stats": _bio(
        "-@|--threads:num -c|--coverage:any -d|--remove-dups -f|--required-flag:any "
        "-F|--filtering-flag:any -i|--insert-size:num -I|--id:any -m|--most-inserts:any "
        "-q|--trim-quality:num -s|--sam -x|--sparse -p|--remove-overlaps"),
    "depth": _bio(
        "-a -aa -H -Q|--min-MQ:num -q|--min-BQ:num -r|--region:any -l:num -d:num -s -J "
        "-g:any -G:any -@:num -o:write -X"),
    "coverage": _bio("-r|--region:any -m|--histogram -A|--ascii -w|--n-bins:num "
                                 "-o|--output:write -H|--no-header -q|--min-MQ:num "
                                 "-Q|--min-BQ:num"),
    # quickcheck has no other option: a glob's names change nothing
    "quickcheck": Shape(check="site-local", dynamic_ok=True, allow=opts("-v -q -u")),
    # faidx/index write an index beside their input
    "faidx": Shape(check="site-no-system", allow=opts(
        "-o|--output:write -n|--length:num -c|--continue -i|--reverse-complement "
        "--mark-strand:any --fai-idx:write --gzi-idx:write")),
    "index": Shape(check="site-no-system", allow=opts("-b|--bai -c|--csi -m|--min-shift:num "
                                                      "-@|--threads:num -o:write")),
    "sort": Shape(check="site-no-system", allow=opts(
        "-@|--threads:num -o:write -O|--output-fmt:any -l:num -m:any -n -t:any "
        "-T:write --no-PG --write-index")),
    "--version": _JUST_ASKED, "version": _JUST_ASKED, "help": _ONE})

_BCF_COMMON = "--threads:num -o|--output:write -O|--output-type:any -r|--regions:any " \
              "-s|--samples:any -i|--include:any -e|--exclude:any "
# bcftools: views, queries and stats; never plugin/+NAME (loads a shared object), -R/-S/-T
# (region/sample files), annotate/csq/consensus (read other files), --write-index to another
# place, -W
_BCFTOOLS = Tool(allow=opts(""), sub={
    "view": _bio(
        _BCF_COMMON + "-h|--header-only -H|--no-header -G|--drop-genotypes "
        "-v|--types:any -V|--exclude-types:any -m|--min-alleles:num -M|--max-alleles:num "
        "-c|--min-ac:any -C|--max-ac:any -f|--apply-filters:any -a|--trim-alt-alleles "
        "-k|--known -n|--novel -p|--phased -P|--exclude-phased -U|--exclude-uncalled "
        "-u|--uncalled -x|--private -X|--exclude-private -t|--targets:any "
        "-l|--compression-level:num --no-version -q|--min-af:any -Q|--max-af:any"),
    "query": _bio(
        _BCF_COMMON + "-f|--format:any -H|--print-header -l|--list-samples "
        "-u|--allow-undef-tags -t|--targets:any -a|--annots:any --disable-automatic-newline"),
    "stats": _bio(
        _BCF_COMMON + "-f|--apply-filters:any -d|--depth:any -v|--verbose "
        "-c|--collapse:word -1|--1st-allele-only -t|--targets:any"),
    "index": Shape(check="site-no-system", allow=opts(
        "-s|--stats -n|--nrecords -t|--tbi -c|--csi -f|--force --threads:num "
        "-m|--min-shift:num")),
    "norm": _bio(
        _BCF_COMMON + "-m|--multiallelics:any -f|--fasta-ref:any -d|--rm-dup:any "
        "-N|--do-not-normalize -c|--check-ref:word -a|--atomize -t|--targets:any"),
    "--version": _JUST_ASKED, "version": _JUST_ASKED})

# bedtools: set arithmetic over interval files, printed; never getfasta -fo (another
# output) or any option outside the lists (bedtools takes no program, plugin or script)
_BED_IO = "-a:any -b:any -i:any -g:any -abam:any -ibam:any -sorted -header -s -S -f:num " \
          "-F:num -r -e -bed -split -nonamecheck "
_BEDTOOLS = Tool(allow=opts("", "go"), sub={
    "intersect": _bio(_BED_IO + "-wa -wb -loj -wo -wao -u -c -C -v -names:any "
                                  "-filenames -sortout", "go"),
    "coverage": _bio(_BED_IO + "-hist -d -counts -mean", "go"),
    "merge": _bio(_BED_IO + "-d:num -c:any -o:any -delim:any", "go"),
    "sort": _bio(_BED_IO + "-sizeA -sizeD -chrThenSizeA -chrThenSizeD "
                             "-chrThenScoreA -chrThenScoreD -faidx:any", "go"),
    "closest": _bio(_BED_IO + "-d -D:word -io -iu -id -t:word -k:num -mdb:word",
                                "go"),
    "genomecov": _bio(_BED_IO + "-bg -bga -d -dz -max:num -scale:num -5 -3 "
                                  "-strand:any", "go"),
    "subtract": _bio(_BED_IO + "-A -N", "go"),
    "complement": _bio(_BED_IO, "go"),
    "window": _bio(_BED_IO + "-w:num -l:num -r:num -sw -sm -Sm -u -c -v",
                               "go"),
    "--version": _JUST_ASKED, "--help": _JUST_ASKED})

# tabix/bgzip: index, query, (de)compress; never -R/-T (region files), -f/--force on bgzip
# (overwrites), tabix -D (downloads an index)
_TABIX = Shape(check="site-no-system", allow=opts(
    "-p|--preset:word -s|--sequence:num -b|--begin:num -e|--end:num -S|--skip-lines:num "
    "-c|--comment:any -0|--zero-based -C|--csi -m|--min-shift:num -f|--force "
    "-h|--print-header -H|--only-header -l|--list-chroms -@|--threads:num --cache:num "
    "--verbosity:num"))
_BGZIP = Shape(check="site-no-system", allow=opts(
    "-c|--stdout -d|--decompress -k|--keep -i|--index -I|--index-name:write "
    "-l|--compress-level:num -@|--threads:num -t|--test -r|--reindex -b|--offset:num "
    "-s|--size:num -g|--rebgzip --binary"))

_SEQKIT_G = "-j|--threads:num -o|--out-file:write -w|--line-width:num --quiet " \
            "-t|--seq-type:word "
# seqkit: stats and views; never --infile-list or -f/--pattern-file (read other files),
# split/split2 (write many files)
_SEQKIT = Tool(allow=opts(_SEQKIT_G), sub={
    "stats": _bio(_SEQKIT_G + "-a|--all -T|--tabular -b|--basename "
                              "-e|--skip-err -N|--N:any -G|--gap-letters:any"),
    "head": _bio(_SEQKIT_G + "-n|--number:num"),
    "seq": _bio(_SEQKIT_G + "-n|--name -s|--seq -q|--qual -i|--only-id "
                            "-m|--min-len:num -M|--max-len:num -r|--reverse "
                            "-p|--complement -u|--upper-case -l|--lower-case"),
    "fx2tab": _bio(_SEQKIT_G + "-n|--name -l|--length -g|--gc -H|--header-line "
                               "-i|--only-id"),
    "grep": _bio(_SEQKIT_G + "-p|--pattern:any -r|--use-regexp "
                             "-v|--invert-match -n|--by-name -s|--by-seq -i|--ignore-case"),
    "version": _JUST_ASKED, "--version": _JUST_ASKED})

# FastQC / MultiQC: reports into a directory; never fastqc -c/-a/-l (contaminant, adapter,
# limits files), -j/--java (a program to run), multiqc -c/--config, --cl-config, --template,
# --pdf (runs pandoc), -n/--filename (a report name that may be a path)
_FASTQC = Shape(check="site-no-system", allow=opts(
    "-o|--outdir:wdir -t|--threads:num -f|--format:word --noextract --extract "
    "-q|--quiet --nogroup --casava --nano --nofilter -k|--kmers:num --svg --memory:num "
    "-d|--dir:wdir --min_length:num -v|--version"))
_MULTIQC = _bio(
    "-o|--outdir:wdir -f|--force -i|--title:any -m|--module:word -e|--exclude:word "
    "-d|--dirs --flat --interactive --no-data-dir -z|--zip-data-dir -q|--quiet "
    "-v|--verbose -x|--ignore:any --fullnames -s|--fn_as_s_name -p|--export "
    "--no-megaqc-upload --no-ansi -b|--comment:any")

#: snakemake: the Snakefile is Python, evaluated by every use (flow.py's CODE_RUNNERS holds
#: it after the session wrote the tree): the tree's pipeline and what it reports; never
#: -s/--snakefile, -d/--directory, --configfile, --config but plain KEY=WORD (values the
#: rules splice into shell commands: no blank, quote, ``$``, ``/`` or ``;``), --profile but a
#: directory of the tree (its config.yaml is the tree's code too), --executor/--cluster*,
#: --wrapper-prefix (code from a URL),
#: --delete-all-output/--delete-temp-output/--cleanup-metadata/--unlock/--touch/
#: -F/-R/--forcerun (delete or rewrite results), --shadow-prefix/--conda-prefix
_SNAKEMAKE = Shape(check="site-snakemake", allow=opts(
    "--profile:intree --config|-C:any --list-incomplete-files|--lif --list-untracked|--lu "
    "-n|--dry-run|--dryrun -p|--printshellcmds -r|--reason -q|--quiet:?any "
    "-c|--cores:?any -j|--jobs:?any --summary|-S --detailed-summary|-D --list|-l "
    "--list-target-rules|--lt --list-rules --dag --rulegraph --filegraph --lint:?word "
    "--report:write -k|--keep-going --use-conda --use-singularity --use-apptainer "
    "--rerun-incomplete|--ri --rerun-triggers:any --latency-wait:num --max-jobs-per-second:num "
    "--keep-incomplete --nolock --show-failed-logs "
    "--resources|--res:any --set-threads:any --max-threads:num --conda-frontend:word "
    "--list-input-changes --list-code-changes --list-params-changes --li --lc --lp "
    "--version -v --verbose --debug-dag --notemp --nt --all-temp --retries:num "
    "--until:any --omit-from:any --allowed-rules:any -T"))


_SMK_CONFIG = re.compile(r"\A[A-Za-z_][A-Za-z0-9_]*+=[A-Za-z0-9_][A-Za-z0-9_.,:+-]*+\Z")


def _check_snakemake(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """Targets of the tree; --config values as plain words. snakemake's --config (and
    --quiet) take every later word up to the next option: any word with ``=`` is a setting
    and must be KEY=plain-word, any other is a target of the tree."""
    configs = [v for k, v in pairs or () if k == "--config"]
    for v in (*configs, *(o for o in ops if "=" in o)):
        if v is None or not _SMK_CONFIG.fullmatch(v):
            return f"--config {v!r} is not KEY=plain-word"
    return _check_in_tree_ops(c, rest, tuple(o for o in ops if "=" not in o), pairs)


def _check_in_tree_ops(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """Operands are targets of the tree: rule names or relative paths, no way up."""
    for o in ops:
        if o.startswith(("/", "~", "-")) or ".." in o.split("/") or "://" in o or \
                not _PLAIN.fullmatch(o):
            return f"{o!r} is not a target in the working tree"
    return None


_NF_GLOBAL = opts("-q|-quiet -bg -version|-v -log:write -syslog:any", "go")
#: nextflow run: the tree's own pipeline (a ``.nf`` file of the tree, or the tree); never a
#: pipeline by name (pulled from a remote repository: code from elsewhere), -c/-C/
#: -params-file (configuration), --PARAM (values the processes splice into scripts),
#: -with-tower/-with-weblog/-N (send data elsewhere), -hub/-user/-r/-latest (a remote
#: revision), -with-docker/-with-singularity/-with-conda=NAME (an image or environment from
#: elsewhere that the processes run in)
_NF_RUN = Shape(check="site-nf-run", max_operands=1, allow=opts(
    "-profile:word -resume:?any -with-report:write -with-trace:write -with-timeline:write "
    "-with-dag:write -w|-work-dir:wdir -name:word -ansi-log:word -q|-quiet -stub-run|-stub "
    "-preview -dump-hashes -without-docker -process.echo", "go"))


def _check_nf_run(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if not ops:
        return "nextflow run without a pipeline"
    p = ops[0]
    if p != "." and not (p.endswith(".nf") and _JOB_SCRIPT.fullmatch(p)):
        return f"{p!r} is not a pipeline of the working tree (a name pulls one from elsewhere)"
    hit = says(p, name=True)
    return f"the pipeline's name says {hit!r}" if hit else None


# nextflow: the tree's pipeline, its resolved configuration and the run log; never clean
# (deletes work dirs), drop/pull/clone (repositories), secrets, console, kuberun, plugin,
# self-update; never log -t (a template file)
_NEXTFLOW = Tool(allow=_NF_GLOBAL, sub={
    "run": _NF_RUN,
    "log": Shape(check="site-plain", max_operands=1, allow=opts(
        # never -F/-filter (a Groovy expression: code), -t/-template (a file)
        "-f|-fields:any -after:word -before:word -but:word -l|-list-fields "
        "-q|-quiet -s:any -H|-header", "go")),
    "config": Shape(check="site-nf-config", max_operands=1, allow=opts(
        "-profile:word -flat -properties -show-profiles|-a -sort -value:any", "go")),
    "list": _JUST_ASKED, "info": Shape(max_operands=0, allow=opts("-d", "go")),
    "-version": _JUST_ASKED, "-v": _JUST_ASKED, "--version": _JUST_ASKED, "version": _JUST_ASKED})


def _check_nf_config(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    """The working tree's configuration (``.`` or a directory of the tree); never a
    pipeline by name (``nf-core/x``: pulled from elsewhere)."""
    if ops and ops[0] != "." and (_check_in_tree_ops(c, rest, ops, pairs) or "/" in ops[0]):
        return f"{ops[0]!r} is not the working tree (a name pulls a pipeline from elsewhere)"
    return None


# aligners: stdout or a write target; never an index built somewhere else
_BWA = Tool(allow=opts(""), sub={
    "mem": _bio("-t:num -k:num -w:num -d:num -r:num -c:num -A:num -B:num "
                            "-O:any -E:any -L:any -U:num -p -R:any -M -v:num -T:num -a "
                            "-C -Y -K:num -Y -o:write -5 -q -H:any -x:word", "go"),
    "index": Shape(check="site-no-system", allow=opts("-a:word -p:write -b:num", "go"))})
_MINIMAP2 = _bio(
    "-a -x:word -t:num -o:write -c --cs:?any -N:num -k:num -w:num -L --MD -Y -R:any "
    "--secondary:word -I:any -K:any -p:num --eqx -H -P -r:any -g:any -s:num --sam-hit-only "
    "--version")
# fastp: reads in, reads and reports out (never --adapter_fasta? harmless; listed only)
_FASTP = _bio(
    "-i|--in1:any -I|--in2:any -o|--out1:write -O|--out2:write -j|--json:write "
    "-h|--html:write -R|--report_title:any -w|--thread:num -q|--qualified_quality_phred:num "
    "-l|--length_required:num --detect_adapter_for_pe -A|--disable_adapter_trimming "
    "-g|--trim_poly_g -x|--trim_poly_x -3|--cut_tail -5|--cut_front -V|--verbose "
    "-z|--compression:num --dedup --version")

# --- storage ------------------------------------------------------------------------------
_LVM_DISPLAY = Shape(secrets_ok=True, allow=opts(
    "-a|--all -c|--colon -C|--columns -m|--maps -s|--short -v|--verbose -o|--options:any "
    "-O|--sort:any -S|--select:any --units:word --noheadings --nosuffix --separator:any "
    "--readonly -P|--partial --foreign --shared -H|--history"))
# iscsiadm: the sessions and the node and discovery records, listed; never -T/-p with -m
# node (prints the record, CHAP secrets in it), -o (new/delete/update), --login/--logout,
# -m discovery -t (sends a discovery to a host), -m fw/iface changes
_ISCSIADM = Shape(check="site-iscsiadm", allow=opts(
    "-m|--mode:word -P|--print:num -r|--sid:num -s|--stats"))


def _check_iscsiadm(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    kv = dict(pairs or ())
    mode = kv.get("-m")
    if mode == "session":
        return None
    if mode in ("node", "discovery", "discoverydb") and set(kv) <= {"-m", "-P"}:
        return None
    return "iscsiadm in a mode other than a listing"


def _check_needs_option(*flags: str) -> Check:
    def check(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
        if not any(k in flags for k, _ in pairs or ()):
            return f"{c.name} without {' or '.join(flags)}"
        return None
    return check


def _check_needrestart(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    modes = [v for k, v in pairs or () if k == "-r"]
    # batch (-b) and OpenMetrics (-o) modes "never show any UI dialogs nor restart anything"
    # (README.batch.md); -r l lists only; -p checks only (nagios)
    if modes == ["l"] or (not modes and any(k in ("-p", "-b", "-o") for k, _ in pairs or ())):
        return None
    return "needrestart restarts services unless told -r l (list only), -b (batch) or -p"


# Ceph (written by the observe helper, session 12, moved here)
_CEPH_FMT = "-f|--format:word --connect-timeout:num "
_CEPH_READ = Shape(check="site-plain", allow=opts(_CEPH_FMT, abbrev=False))
_CEPH_BARE = Shape(max_operands=0, allow=opts(_CEPH_FMT, abbrev=False))


def _ceph_group(*verbs: str) -> Tool:
    return Tool(allow=opts(_CEPH_FMT, abbrev=False), sub={v: _CEPH_READ for v in verbs})


#: cluster state; never auth (keys), config-key (secrets), config (settings, some secret),
#: tell/daemon (commands to daemons), orch (service specs with passwords), crash archive/rm,
#: and never -c/--conf, -k/--keyring, -n/--name/--id/--user, -m (another cluster or identity)
_CEPH = Tool(allow=opts(_CEPH_FMT + "--cluster:word", abbrev=False), sub={
    "-s": _CEPH_BARE, "status": _CEPH_BARE,
    # never health mute/unmute (hides an alert)
    "health": Tool(allow=opts(_CEPH_FMT, abbrev=False), sub={"detail": _CEPH_BARE},
                   bare=_CEPH_BARE),
    "df": _CEPH_READ, "versions": _CEPH_BARE, "quorum_status": _CEPH_BARE,
    "osd": Tool(allow=opts(_CEPH_FMT, abbrev=False), sub={
        **{v: _CEPH_READ for v in ("tree", "df", "perf", "stat", "ls", "find", "metadata",
                                   "utilization", "blocked-by")},
        # never crush add/remove/reweight/move/set-device-class (move data)
        "crush": Tool(allow=opts(_CEPH_FMT, abbrev=False), sub={
            "tree": _CEPH_READ, "dump": _CEPH_BARE, "show-tunables": _CEPH_BARE,
            "rule": _ceph_group("ls", "dump"), "class": _ceph_group("ls", "ls-osd")}),
        "pool": _ceph_group("ls", "stats", "get", "autoscale-status")}),
    "pg": _ceph_group("stat", "dump_stuck", "ls", "ls-by-pool", "ls-by-osd", "query"),
    "mon": _ceph_group("stat", "dump"),
    # never mgr module enable/disable, mgr fail
    "mgr": Tool(allow=opts(_CEPH_FMT, abbrev=False), sub={
        "stat": _CEPH_BARE, "module": _ceph_group("ls")}),
    "fs": _ceph_group("status", "ls", "dump"),
    "crash": _ceph_group("ls", "ls-new", "info", "stat"),
    "--version": _JUST_ASKED, "-v": _JUST_ASKED, "version": _CEPH_BARE})

_RBD_G = "-p|--pool:word --format:word --pretty-format --namespace:word "
# rbd: images listed and described; never rm/export/import/map/resize/snap rm|purge|
# rollback/trash mv|purge/feature/lock, never -c/-k/--id/-m (another identity or cluster)
_RBD_READ = Shape(check="site-specs", allow=opts(_RBD_G + "-l|--long", abbrev=False))
_RBD = Tool(allow=opts(_RBD_G, abbrev=False), sub={
    **{v: _RBD_READ for v in ("ls", "list", "info", "du", "disk-usage", "status",
                              "showmapped", "device")},
    "snap": Tool(allow=opts(_RBD_G, abbrev=False), sub={"ls": _RBD_READ, "list": _RBD_READ}),
    "trash": Tool(allow=opts(_RBD_G, abbrev=False), sub={"ls": _RBD_READ,
                                                         "list": _RBD_READ}),
    "--version": _JUST_ASKED, "-v": _JUST_ASKED})
# rados: usage and pools; never get/put/rm/cleanup/bench/setomapval (data in the pool)
_RADOS = Tool(allow=opts("-p|--pool:word -f|--format:word", abbrev=False), sub={
    "df": Shape(max_operands=0, allow=opts("-p|--pool:word -f|--format:word")),
    "lspools": _JUST_ASKED, "--version": _JUST_ASKED, "-v": _JUST_ASKED})
# radosgw-admin: bucket statistics and names, user ids; never user info (prints access and
# secret keys), key/caps/zone/period get (system keys), anything that creates or removes
_RGW_OPTS = opts("--bucket:any --uid:word --format:word --tenant:word --max-entries:num",
                 abbrev=False)
_RADOSGW = Tool(allow=opts("--format:word", abbrev=False), sub={
    "bucket": Tool(allow=opts("--format:word", abbrev=False), sub={
        "stats": Shape(max_operands=0, allow=_RGW_OPTS),
        "list": Shape(max_operands=0, allow=_RGW_OPTS),
        "limit": Tool(allow=opts(""), sub={"check": Shape(max_operands=0, allow=_RGW_OPTS)})}),
    "user": Tool(allow=opts("--format:word", abbrev=False), sub={
        "list": Shape(max_operands=0, allow=_RGW_OPTS),
        "stats": Shape(max_operands=0, allow=_RGW_OPTS)}),
    "--version": _JUST_ASKED})
_CEPH_VOLUME = Tool(allow=opts(""), sub={
    "lvm": Tool(allow=opts(""), sub={"list": Shape(secrets_ok=True, allow=opts(
        "--format:word"))}),
    "inventory": Shape(secrets_ok=True, allow=opts("--format:word")), "--version": _JUST_ASKED})
# cephadm: daemons listed; never shell/enter/exec (a shell in a container), rm-*, deploy,
# bootstrap, adopt, --image
_CEPHADM = Tool(allow=opts(""), sub={
    "ls": Shape(max_operands=0, allow=opts("--no-detail --legacy-dir:any")),
    "version": _JUST_ASKED, "check-host": _JUST_ASKED,
    "list-networks": _JUST_ASKED})

# ZFS-on-Linux's ARC reports: never arcstat -o (writes a file)
_ARCSTAT = Shape(check="site-plain", max_operands=2, allow=opts(
    "-a -f:any -s:any -x -v -p -H -z"))
_ARC_SUMMARY = Shape(max_operands=0, allow=opts(
    "-a|--alternate -d|--description -g|--graph -p|--page:num -r|--raw -s|--section:word"))

# --- mail ---------------------------------------------------------------------------------
# postqueue: the queue listed (-p, -j) or flushed (delivery retried now); never -c (another
# configuration directory), -i/-s with anything but an id or a site
_POSTQUEUE = Shape(check="site-postqueue", max_operands=0, allow=opts(
    "-p -j -f -i:word -s:any -v"))


def _check_postqueue(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if not pairs or not any(k in ("-p", "-j", "-f", "-i", "-s") for k, _ in pairs):
        return "postqueue without a mode"
    return None


# postconf: parameters by name (with Postfix 2.8 and later NAME=VALUE edits main.cf even
# without -e); never -e/-X/-#/-o (edit), -c (another configuration), -P/-F/-M with
# name=value (edit master.cf)
_POSTCONF = Shape(check="site-postconf", allow=opts(
    "-n -d -h -H -m -l -a -A -b -t -T:word -x -M -F -P -f -v"))
_POSTCONF_NAME = re.compile(r"\A[A-Za-z0-9_.+/-]++\Z")


def _check_postconf(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    for o in ops:
        if not _POSTCONF_NAME.fullmatch(o) or ".." in o:
            return f"{o!r} is not a parameter's name (NAME=VALUE edits the configuration)"
    return None


# postcat: a queued message's envelope and headers by queue id (-q with -h or -e); never
# the body (-b, or neither -h nor -e: the content of someone's mail), a file by path
# (postcat FILE reads any file), -c (another configuration)
_POSTCAT = Shape(check="site-postcat", allow=opts("-q -h -e -v -o -s:num -d"))
_QUEUE_ID = re.compile(r"\A[0-9A-Za-z]{6,}+\Z")


def _check_postcat(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    keys = {k for k, _ in pairs or ()}
    if "-q" not in keys or not keys & {"-h", "-e"}:
        return "postcat of a message's body (or of a file): the content of someone's mail"
    if not ops or any(not _QUEUE_ID.fullmatch(o) for o in ops):
        return "postcat of something other than queue ids"
    return None


# qshape: the queue's age histogram; never -c (another configuration directory)
_QSHAPE = Shape(check="site-qshape", allow=opts("-s -p -m:num -b:num -t:num -l -w:num -N"))


def _check_qshape(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    q = {"hold", "incoming", "active", "deferred", "maildrop", "bounce", "corrupt", "defer",
         "trace", "saved"}
    return None if all(o in q for o in ops) else "qshape of something other than a queue"


# pflogsumm / eximstats summarise mail logs to stdout; never eximstats -html=/-xls=/-charts
# (write files), pflogsumm --config? (not listed)
_PFLOGSUMM = Shape(allow=opts(
    "-d:word -e -h:num -u:num -i|--iso_date_time|--iso-date-time -m|--uucp_mung "
    "-q --problems_first|--problems-first --rej_add_from|--rej-add-from --smtpd_stats|"
    "--smtpd-stats --verbose_msg_detail|--verbose-msg-detail --zero_fill|--zero-fill "
    "--detail:num --bounce_detail|--bounce-detail:num --deferral_detail|--deferral-detail:num "
    "--reject_detail|--reject-detail:num --no_no_msg_size|--no-no-msg-size "
    "--ignore_case|--ignore-case --mailq --smtp_detail|--smtp-detail:num"))
_EXIMSTATS = Shape(allow=opts(
    "-ne -nr -nt -nvr -t:num -h:num -byhost -bydomain -byemail -byemaildomain -txt "
    "-include_original_destination -emptyok", "go"))
# postfix check/status only; never start/stop/reload/abort/flush/set-permissions/upgrade-
# configuration, -c (another configuration), -D (runs a debugger command)
_POSTFIX = Tool(allow=opts("-v"), sub={"check": _JUST_ASKED,
                                       "status": _JUST_ASKED})

_DOVE_USER = "-u:any -A "
# doveadm: who's logged in, errors, quotas and mailbox names; never -F (users read from a
# file: its lines come back in errors), -S (a socket path); never auth/pw/user (password
# hashes and userdb fields), fetch/search/expunge/move/copy (mail content, changes),
# kick, reload, stop, -c/-o (another configuration or a setting), -D? (listed only)
_DOVEADM = Tool(allow=opts("-f|--formatter:word -v"), sub={
    # never who -a (a socket path of the agent's choosing)
    "who": Shape(check="site-plain", allow=opts("-1 -f:word")),
    "log": Tool(allow=opts(""), sub={"errors": Shape(max_operands=0, allow=opts("-s:num"))}),
    "quota": Tool(allow=opts(""), sub={"get": Shape(check="site-plain", allow=opts(
        _DOVE_USER))}),
    "mailbox": Tool(allow=opts(""), sub={
        "list": Shape(check="site-plain", allow=opts(_DOVE_USER + "-s")),
        "status": Shape(check="site-mailbox", allow=opts(_DOVE_USER + "-t"))}),
    # headers' fields and metadata of messages (as postcat -h); never body, text, hdr (the
    # whole header block), body.snippet, binary.*
    "fetch": Shape(check="site-dove-fetch", allow=opts(_DOVE_USER)),
    "service": Tool(allow=opts(""), sub={"status": _NAMES}),
    "process": Tool(allow=opts(""), sub={"status": _NAMES}),
    "--version": _JUST_ASKED})
# doveconf prints settings with passwords hidden; never -P (shows them), -x (expands
# <file includes), -c (another configuration)
_DOVECONF = Shape(check="site-plain", allow=opts("-n -a -N -d -h -S -m:word -f:any -s"))
# dovecot itself starts the server: only its version and its settings
_DOVECOT = Shape(check="site-dovecot", max_operands=0, allow=opts("--version -n -a"))

#: exim's listing modes: the queue (-bp*), a count, the version, an address routed without
#: sending (-bt), a message's headers or log (-Mvh, -Mvl); never -be (expansions run
#: programs: ${run}), -C/-D (another configuration, macros), -bh (a fake SMTP session),
#: -bP (prints settings, secrets), -Mvb/-Mvc (a message's body), -M/-Mrm/-Mf... (changes)
_EXIM_MODES = {"-bp": 0, "-bpc": 0, "-bpr": 0, "-bpu": 0, "-bpa": 0, "-bpra": 0, "-bpru": 0,
               "-bV": 0, "-bt": -1, "-Mvh": -2, "-Mvl": -2, "--version": 0}
_EXIM_ID = re.compile(r"\A[0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4}\Z")
_ADDRESS = re.compile(r"\A[A-Za-z0-9_.+-]++(?:@[A-Za-z0-9.-]++)?\Z")


#: doveadm mailbox status fields ('messages unseen') and mailbox names (with blanks)
_MAILBOX_WORDS = re.compile(r"\A[A-Za-z0-9_.@+ -]++\Z")
_FETCH_FIELD = re.compile(r"\A(?:uid|guid|flags|mailbox|mailbox-guid|seq|size\.physical|"
                          r"size\.virtual|date\.(?:received|sent|saved)(?:\.unixtime)?|"
                          r"pop3\.uidl|hdr\.[A-Za-z0-9-]++)\Z")


def _check_mailbox(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    for o in ops:
        if not _MAILBOX_WORDS.fullmatch(o) or ".." in o:
            return f"{o!r} is not a mailbox's name or a status field"
    return None


def _check_dove_fetch(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if not ops:
        return "doveadm fetch without fields"
    for f in ops[0].split():
        if not _FETCH_FIELD.fullmatch(f):
            return f"doveadm fetch of {f!r} (a message's content)"
    return _check_mailbox(c, rest, ops[1:], pairs)


def _check_exim(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if not rest or rest[0] not in _EXIM_MODES:
        return "exim in a mode other than a listing"
    kind, args = _EXIM_MODES[rest[0]], rest[1:]
    if kind == 0 and args:
        return f"exim {rest[0]} takes nothing more"
    if kind and not args:
        return f"exim {rest[0]} without what it looks at"
    pat = _ADDRESS if kind == -1 else _EXIM_ID
    return next((f"{a!r} is not an address or a message id" for a in args
                 if not pat.fullmatch(a)), None)


_EXIM = Shape(check="site-exim")
# exiqgrep: exim -bp filtered; never -E (the exim program to run), -C (a configuration)
_EXIQGREP = Shape(max_operands=0, allow=opts(
    "-f:any -r:any -s:any -y:num -o:num -z -x -c -l -i -b -R -a -G:any"))
#: opendkim-testkey: the published key checked in DNS; never -k (a private key file), -x
#: (a configuration file)
_OPENDKIM_TESTKEY = Shape(max_operands=0, allow=opts("-d:any -s:any -v -vv -vvv"))
# rspamc: the scanner's counters; never learn_*, fuzzy_add/del (change its data), -h
# (another host: the controller password goes there), -P (a password), -c (configuration)
_RSPAMC = Tool(allow=opts("-j|--json --ucl"), sub={
    "stat": _JUST_ASKED, "counters": _JUST_ASKED,
    "uptime": _JUST_ASKED})
#: sendmail and mailq: the queue only (any other use sends mail or reads a configuration)
_SENDMAIL = Tool(allow=opts(""), sub={"-bp": _JUST_ASKED})
_MAILQ = Shape(max_operands=0, allow=opts("-v"))

# --- package state ------------------------------------------------------------------------
# apt-mark: what is held, manual or automatic; never hold/unhold/auto/manual (changes)
_APT_MARK = Tool(allow=opts(""), sub={n: _NAMES for n in (
    "showhold", "showmanual", "showauto", "showinstall", "showremove", "showpurge")})
# checkrestart (debian-goodies): processes that use deleted libraries, listed; never
# -b/--blacklist (reads a file)
_CHECKRESTART = Shape(max_operands=0, allow=opts(
    "-v|--verbose -t|--terse -a|--all -p|--packages -m|--machine -n|--nolsof "
    "-i|--ignore:word -e|--excludepid:num"))
# needs-restarting (dnf/yum-utils): listed only
_NEEDS_RESTARTING = Shape(max_operands=0, allow=opts(
    "-r|--reboothint -s|--services -u|--useronly"))
# unattended-upgrade: only its dry run (downloads, installs nothing); never --apt-debug?
# (harmless) listed only, never without --dry-run (installs)
_UNATTENDED = Shape(check="site-dry-run", max_operands=0, allow=opts(
    "--dry-run -d|--debug -v|--verbose --apt-debug"))
# debsecan: never --source (a URL its data comes from), --whitelist/--update-whitelist,
# --cron/--mailto (send mail), --config
_DEBSECAN = Shape(max_operands=0, allow=opts(
    "--suite:word --only-fixed --format:word --no-obsolete"))
# snap / flatpak / zypper / pacman: listings; never install/remove/refresh/run/set/get
# (snap get prints a snap's settings, secrets among them), --root/-R/--config/-p (another
# system, repository or configuration)
_SNAP = Tool(allow=opts(""), sub={
    "list": Shape(check="site-plain", allow=opts("--all")),
    "info": Shape(check="site-plain", allow=opts("--verbose")),
    "version": _JUST_ASKED, "services": _NAMES,
    "changes": _NAMES, "connections": _NAMES,
    "--version": _JUST_ASKED})
_FLATPAK_READ = Shape(check="site-plain", allow=opts(
    "--user --system -d|--show-details --app --runtime --columns:any -a|--all"))
_FLATPAK = Tool(allow=opts("-v|--verbose"), sub={
    "list": _FLATPAK_READ, "info": _FLATPAK_READ, "remotes": _FLATPAK_READ,
    "--version": _JUST_ASKED})
_ZYP_READ = Shape(check="site-plain", allow=opts(
    "-i|--installed-only -u|--uninstalled-only -t|--type:word -s|--details -r|--repo:word "
    "--match-exact -a|--all --category:word --severity:word --issues:?any"))
_ZYPPER = Tool(allow=opts("-q|--quiet -x|--xmlout -n|--non-interactive --no-refresh "
                          "-v|--verbose -t|--terse"), sub={
    **{n: _ZYP_READ for n in ("lu", "list-updates", "se", "search", "if", "info", "lr",
                              "repos", "lp", "list-patches", "pa", "packages", "pch",
                              "patch-check", "ps", "patches")},
    "--version": _JUST_ASKED, "-V": _JUST_ASKED})
# pacman: the -Q queries only; never -S/-R/-U/-D/-F/-T or --config/--root/--dbpath/
# --hookdir/--gpgdir (another system's data or hooks)
_PACMAN = Shape(check="site-pacman", allow=opts(
    "-Q|--query -i|--info -l|--list -o|--owns -e|--explicit -d|--deps -t|--unrequired "
    "-u|--upgrades -k|--check -s|--search -m|--foreign -n|--native -g|--groups "
    "-c|--changelog -q|--quiet -p|--file --color:word -V|--version"))


def _check_pacman(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    keys = {k for k, _ in pairs or ()}
    if "-Q" not in keys and keys != {"-V"}:
        return "pacman other than a query (-Q)"
    if "-p" in keys:
        return "pacman -Qp reads a package file"
    return None


#: dnf/yum history and updateinfo: listed (safe.py's package tools); never history undo/
#: redo/rollback/replay/store (change the system)
_PKG_HISTORY = frozenset({"list", "info", "summary", "userinstalled", "stats", "package-list"})


def _check_pkg_history(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if not ops or ops[0] in _PKG_HISTORY or ops[0].isdigit() or ops[0] == "last":
        return None if all(_PLAIN.fullmatch(o) for o in ops) else "not plain names"
    return f"history {ops[0]} changes the system"


_SNAPSHOT = re.compile(r"\A[A-Za-z0-9_][A-Za-z0-9_.:/-]*+@[A-Za-z0-9_][A-Za-z0-9_.:-]*+\Z")


def _check_snapshot(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    if not ops or any(not _SNAPSHOT.fullmatch(o) or ".." in o for o in ops):
        return "zfs snapshot of something other than dataset@name"
    return None


def _check_updateinfo(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    return None if all(_PLAIN.fullmatch(o) for o in ops) else "not plain names"


#: MPI compiler wrappers asked what they would run (never a compile: as gcc, code of the tree)
_MPICC_ASK = frozenset({"--showme", "--showme:version", "--showme:compile", "--showme:link",
                        "--showme:libdirs", "--showme:incdirs", "--showme:libs",
                        "--showme:command", "-show", "-compile_info", "-link_info",
                        "--version", "-v", "-showme"})


def _check_mpicc(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    return None if len(rest) == 1 and rest[0] in _MPICC_ASK else \
        f"{c.name} other than --showme/-show/--version (a compile)"


# postsuper -r: queued mail requeued (through cleanup again, nothing lost); never -d (deletes
# mail), -h/-H (holds, releases held mail), -p/-s (purge, repair), -c (another configuration)
_POSTSUPER = Shape(check="site-postsuper", allow=opts("-r:any -v"))


def _check_postsuper(c: SimpleCommand, rest: Words, ops: Words, pairs: Pairs) -> str | None:
    ids = [v for k, v in pairs or () if k == "-r"]
    if not ids or any(v != "ALL" and not _QUEUE_ID.fullmatch(v or "") for v in ids):
        return "postsuper other than -r (requeue) of queue ids or ALL"
    return _check_qshape(c, rest, ops, pairs)


ENTRIES: dict[str, Entry] = {
    # SLURM
    "squeue": _SQUEUE, "sinfo": _SINFO, "sacct": _SACCT, "sprio": _SPRIO, "sshare": _SSHARE,
    "sstat": _SSTAT, "sdiag": _SDIAG, "sreport": _SREPORT, "scontrol": _SCONTROL,
    "sacctmgr": _SACCTMGR, "sbatch": _SBATCH,
    # seff (slurm-contrib): one job's efficiency
    "seff": Shape(check="site-seff", max_operands=1, dynamic_ok=True, allow=opts("-d -h")),
    # environment modules
    "module": _MODULE, "ml": _MODULE,
    # file systems, MPI, interconnect
    "lfs": _LFS, "ompi_info": _OMPI_INFO, "mpirun": _VERSION_ONLY, "mpiexec": _VERSION_ONLY,
    "mpichversion": _JUST_ASKED, "mmlsquota": _MMLSQUOTA, "mmdf": _MMDF,
    "beegfs-ctl": _BEEGFS,
    # never -d? listed only; ibstat/ibstatus/ibv_devinfo print the HCAs' state
    "ibstat": Shape(check="site-plain", max_operands=2, allow=opts(
        "-l|--list_of_cas -s|--short -p|--port_list -d|--debug -v|--verbose -V|--version")),
    "ibstatus": Shape(check="site-plain", max_operands=2, allow=opts("")),
    "ibv_devinfo": Shape(max_operands=0, allow=opts(
        "-d|--ib-dev:word -i|--ib-port:num -l|--list -v|--verbose")),
    # never -f/--filesystem? harmless; quota reports only (setquota/edquota are others)
    "quota": Shape(check="site-plain", allow=opts(
        "-s|--human-readable -v|--verbose -u|--user -g|--group -q|--quiet -w|--no-wrap "
        "-l|--local-only -Q|--quiet-refuse -p|--raw-grace -A|--nfs-all "
        "-f|--filesystem:any")),
    # bioinformatics
    "samtools": _SAMTOOLS, "bcftools": _BCFTOOLS, "bedtools": _BEDTOOLS, "tabix": _TABIX,
    "bgzip": _BGZIP, "seqkit": _SEQKIT, "fastqc": _FASTQC, "multiqc": _MULTIQC,
    "snakemake": _SNAKEMAKE, "nextflow": _NEXTFLOW, "bwa": _BWA, "minimap2": _MINIMAP2,
    "fastp": _FASTP, "gatk": _VERSION_ONLY, "blastn": _VERSION_ONLY,
    **dict.fromkeys(("STAR", "hisat2", "bowtie2", "kraken2", "salmon", "spades.py",
                     "megahit", "prokka", "trimmomatic", "cutadapt", "mash", "diamond",
                     "mafft", "iqtree2", "plink", "plink2", "vcftools"), _VERSION_ONLY),
    # featureCounts: counts per gene to a table (-o) and its .summary; never -G (a FASTA it
    # reads), --tmpDir elsewhere, -A (an alias file)
    "featureCounts": Shape(allow=opts(
        "-a:any -F:word -o:write -T:num -p --countReadPairs -B -C -s:any -t:word -g:word "
        "-M -O --fraction --primary -Q:num -f --largestOverlap --minOverlap:num "
        "--ignoreDup --verbose -v -R:word", "go")),
    **dict.fromkeys(("mpicc", "mpicxx", "mpic++", "mpif90", "mpifort", "mpif77", "mpiCC"),
                    Shape(check="site-mpicc")),
    # SCSI devices listed (sysfs); no option writes
    "lsscsi": Shape(check="site-plain", max_operands=1, allow=opts(
        "-g|--generic -s|--size -t|--transport -l|--long -L|--list -v|--verbose "
        "-c|--classic -d|--device -H|--hosts -k|--kname -p|--protection -i|--scsi_id "
        "-w|--wwn -u|--unit -x|--lunhex -b|--brief -N|--no-nvme -C|--controllers "
        "-j|--json:?any")),
    "postsuper": _POSTSUPER,
    # storage
    **dict.fromkeys(("lvdisplay", "vgdisplay", "pvdisplay"), _LVM_DISPLAY),
    "lvm": Tool(allow=opts(""), sub={"version": _JUST_ASKED}),
    "iscsiadm": _ISCSIADM,
    # file system headers: metadata only (a device operand is not read as data)
    "xfs_info": Shape(secrets_ok=True, max_operands=1, allow=opts("")),
    "tune2fs": Shape(check="site-tune2fs", secrets_ok=True, max_operands=1, allow=opts("-l")),
    # never -i (an image file), -o (superblock options), -b is bad blocks (listed)
    "dumpe2fs": Shape(secrets_ok=True, max_operands=1, allow=opts("-h -x -b")),
    # exportfs lists only: never -a/-r/-u/-o/-f (export, unexport, flush)
    "exportfs": Shape(max_operands=0, allow=opts("-v -s")),
    "showmount": Shape(check="site-plain", max_operands=1, allow=opts(
        "-e|--exports -a|--all -d|--directories --no-headers")),
    "nfsstat": Shape(max_operands=0, allow=opts(
        "-c|--client -s|--server -n|--nfs -r|--rpc -o:word -v|--verbose -l|--list "
        "-m|--mounts -2 -3 -4 -Z|--sleep:?num")),
    "arcstat": _ARCSTAT, "arc_summary": _ARC_SUMMARY,
    "ceph": _CEPH, "rbd": _RBD, "rados": _RADOS, "radosgw-admin": _RADOSGW,
    "ceph-volume": _CEPH_VOLUME, "cephadm": _CEPHADM,
    # mail
    "postqueue": _POSTQUEUE, "mailq": _MAILQ, "postconf": _POSTCONF, "postcat": _POSTCAT,
    "qshape": _QSHAPE, "pflogsumm": _PFLOGSUMM, "postfix": _POSTFIX, "doveadm": _DOVEADM,
    "doveconf": _DOVECONF, "dovecot": _DOVECOT, "exim": _EXIM, "exim4": _EXIM,
    "exiqgrep": _EXIQGREP, "eximstats": _EXIMSTATS, "opendkim-testkey": _OPENDKIM_TESTKEY,
    "rspamc": _RSPAMC, "sendmail": _SENDMAIL,
    "spamassassin": _VERSION_ONLY,
    # package state
    "apt-mark": _APT_MARK, "checkrestart": _CHECKRESTART,
    "needs-restarting": _NEEDS_RESTARTING, "unattended-upgrade": _UNATTENDED,
    "unattended-upgrades": _UNATTENDED, "debsecan": _DEBSECAN,
    # services that hold old libraries, listed (-r l) or checked (-p); never -c (a config
    # file), -u (a UI module: code), -f (a frontend), another restart mode
    "needrestart": Shape(check="site-needrestart", max_operands=0, allow=opts(
        "-r:word -b -o -l -k -p -q -v -n -w -m:word")),
    "checkupdates": Shape(max_operands=0, allow=opts("-n|--nocolor")),
    "snap": _SNAP, "flatpak": _FLATPAK, "zypper": _ZYPPER, "pacman": _PACMAN,
}

CHECKS: dict[str, Check] = {
    "site-plain": _plain_ops, "site-local": _local, "site-specs": _plain_specs,
    "site-no-system": _no_system,
    "site-scontrol-show": _check_scontrol_show, "site-sacctmgr-show": _check_sacctmgr_show,
    "site-sbatch": _check_sbatch, "site-module": _check_module,
    "site-lfs-check": _check_lfs_check, "site-beegfs": _check_beegfs,
    "site-in-tree": _check_in_tree_ops, "site-snakemake": _check_snakemake,
    "site-nf-run": _check_nf_run,
    "site-nf-config": _check_nf_config, "site-iscsiadm": _check_iscsiadm,
    "site-tune2fs": _check_needs_option("-l"), "site-needrestart": _check_needrestart,
    "site-postqueue": _check_postqueue, "site-postconf": _check_postconf,
    "site-postcat": _check_postcat, "site-qshape": _check_qshape, "site-exim": _check_exim,
    "site-dovecot": _check_needs_option("--version", "-n", "-a"),
    "site-dry-run": _check_needs_option("--dry-run"), "site-pacman": _check_pacman,
    "site-pkg-history": _check_pkg_history, "site-updateinfo": _check_updateinfo,
    "site-snapshot": _check_snapshot, "site-seff": _check_seff,
    "site-mailbox": _check_mailbox, "site-mpicc": _check_mpicc,
    "site-postsuper": _check_postsuper, "site-dove-fetch": _check_dove_fetch,
}

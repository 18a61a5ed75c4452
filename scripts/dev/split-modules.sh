#!/usr/bin/env bash
# Moves the single-module layout (java/src/{main,test}/...) into the Maven modules java/{core,model,studies,cli}
# with `git mv` (issue #14, item 6). Idempotent: files already in a module stay; run it again after merging a branch
# that still adds files under java/src and only those move. Fails, moving nothing, on a package it has no module for.
#   Usage (repository root, clean or not): scripts/dev/split-modules.sh [--dry-run]
#
# Where a file goes:
#  - main sources and resources: by package (the table below; a sub-package goes with its parent unless listed).
#    META-INF/services/* files are split line by line: each implementation is listed in its own module's file.
#  - test fixtures that used to ship in main (FIXTURES below) become test sources.
#  - test sources (and the fixtures): the LOWEST module that has everything the file uses: its imports, fully
#    qualified names, same-package classes (main or test, resolved recursively) and third-party packages
#    (THIRD_PARTY below). So a shared helper (SharedData, GpuTestSupport, ...) lands low enough for every module
#    that uses it; modules above see it through the test-jar of the module below (see the poms).
#  - test resources: the lowest module among the tests that name the file; else by package.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
exec python3 - "$@" <<'PY'
import os, re, subprocess, sys
from collections import defaultdict

# ---------------------------------------------------------------- tables
MODULES = ["core", "model", "studies", "cli"]          # lowest first; a module may use those before it
DIRS = {m: "java/" + m for m in MODULES}
PACKAGES = {                                           # package -> module (a sub-package inherits, unless listed)
    "dev.mipeaks": "core",                             # root classes only (ExitCode, MipeaksException, ...)
    "dev.mipeaks.io": "core",
    "dev.mipeaks.mi": "core",                          # incl. mi.reference (the dense *-ref estimators)
    "dev.mipeaks.mi.torch": "model",                   # nhsic-paper-f32: the paper's path on LibTorch
    "dev.mipeaks.gpu": "core",
    "dev.mipeaks.model": "model",
    "dev.mipeaks.generate": "model",
    "dev.mipeaks.pipeline": "studies",
    "dev.mipeaks.analysis": "studies",
    "dev.mipeaks.eval": "studies",
    "dev.mipeaks.scaling": "studies",
    "dev.mipeaks.suppress": "studies",
    "dev.mipeaks.demo": "studies",
    "dev.mipeaks.study": "studies",
    "dev.mipeaks.trace": "studies",                    # the trace study (ModelSession + generate)
    "dev.mipeaks.report": "studies",
    "dev.mipeaks.cli": "cli",
}
RESOURCE_ROOTS = {"demo": "dev.mipeaks.demo"}          # main resources outside dev/mipeaks/: the package that reads them
FIXTURES = [                                           # main sources that are test fixtures
    "dev/mipeaks/gpu/ReferenceEstimator.java",
    "dev/mipeaks/gpu/DeviceCheck.java",
    "dev/mipeaks/model/ReferenceModel.java",
    "dev/mipeaks/model/RandomCheckpoint.java",
]
THIRD_PARTY = {                                        # package prefix -> lowest module whose classpath has it
    "java.": "core", "javax.": "core", "jdk.": "core", "sun.": "core",
    "com.fasterxml.jackson.": "core", "jcuda.": "core", "org.junit.": "core",
    "org.bytedeco.": "model", "ai.djl.": "model", "com.sun.jna.": "model", "com.hubspot.jinjava.": "model",
    "jinjava.": "model",
    "org.matheclipse.": "studies", "org.hipparchus.": "studies", "org.jfree.": "studies",
    "org.apache.commons.csv.": "studies",
    "picocli.": "cli",
}

OLD = "java/src"
dry = "--dry-run" in sys.argv[1:]
rank = {m: i for i, m in enumerate(MODULES)}


def die(msg):
    print("split-modules: " + msg, file=sys.stderr)
    sys.exit(2)


def module_of_package(pkg, what):
    if pkg in PACKAGES:
        return PACKAGES[pkg]
    p = pkg
    while "." in p and p != "dev.mipeaks":
        p = p.rsplit(".", 1)[0]
        if p in PACKAGES and p != "dev.mipeaks":
            return PACKAGES[p]
    die(f"{what}: package {pkg} has no module; add it to PACKAGES in scripts/dev/split-modules.sh")


def files_under(root):
    out = []
    if not os.path.isdir(root):
        return out
    tracked = set(subprocess.run(["git", "ls-files", "-z", root], capture_output=True, check=True,
                                 text=True).stdout.split("\0"))
    for d, _, fs in os.walk(root):
        for f in fs:
            p = os.path.join(d, f)
            if p not in tracked:
                die(f"{p} is not tracked by git: commit or remove it first")
            out.append(p)
    return sorted(out)


def strip_code(src):
    """Java source without comments and string/char literals (so prose does not count as a dependency)."""
    src = re.sub(r'"""(?:.|\n)*?"""', '""', src)
    return re.sub(r'//[^\n]*|/\*(?:.|\n)*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'',
                  lambda m: "" if m.group(0).startswith("/") else '""', src)


def package_of(src, path):
    m = re.search(r"^\s*package\s+([\w.]+)\s*;", src, re.M)
    if not m:
        die(f"{path}: no package line")
    return m.group(1)


def third_party_module(name, path):
    pref = next((k for k in sorted(THIRD_PARTY, key=len, reverse=True) if (name + ".").startswith(k)), None)
    if pref is None:
        die(f"{path}: third-party import {name} has no module; add its prefix to THIRD_PARTY")
    return THIRD_PARTY[pref]


FIXTURE_CLASSES = {f[:-5].replace("/", ".") for f in FIXTURES}


def check_main(path, src, pkg, mod):
    """A main source may only use its own module and those below it, and no test fixture: else fail, naming both."""
    code = strip_code(src)
    names = [m.group(2) for m in re.finditer(r"^\s*import\s+(static\s+)?([\w.]+?)(\.\*)?\s*;", code, re.M)]
    names += re.findall(r"\bdev\.mipeaks(?:\.[a-z]\w*)*\.[A-Z]\w*", re.sub(r"^\s*import\s[^;]*;", "", code, flags=re.M))
    for name in names:
        if name.startswith("dev.mipeaks."):
            parts = name.split(".")
            i = next((i for i, x in enumerate(parts) if x[:1].isupper()), len(parts))
            if ".".join(parts[:i + 1]) in FIXTURE_CLASSES:
                die(f"{path} uses the test fixture {'.'.join(parts[:i + 1])}: main code cannot, once it is a test source")
            used = module_of_package(".".join(parts[:i]), path)
        else:
            used = third_party_module(name, path)
        if rank[used] > rank[mod]:
            die(f"{path} (module {mod}) uses {name} (module {used}): modules only use the ones below them")


moves = []                                  # (src, dst)
services = defaultdict(list)                # (module, service file rel path) -> lines

# ---------------------------------------------------------------- main sources and resources
main_class = {}                             # fqcn -> module (main classes that stay main)
src_main = f"{OLD}/main/java/"
test_like = {}                              # path -> (rel path under java/, kind) for the dependency pass
for p in files_under(f"{OLD}/main/java"):
    rel = p[len(src_main):]
    if not rel.endswith(".java"):
        die(f"{p}: not a .java file under src/main/java")
    if rel in FIXTURES:
        test_like[p] = rel
        continue
    src = open(p, encoding="utf-8").read()
    pkg = package_of(src, p)
    mod = module_of_package(pkg, p)
    check_main(p, src, pkg, mod)
    main_class[pkg + "." + os.path.basename(rel)[:-5]] = mod
    moves.append((p, f"{DIRS[mod]}/src/main/java/{rel}"))
res_main = f"{OLD}/main/resources/"
for p in files_under(f"{OLD}/main/resources"):
    rel = p[len(res_main):]
    if rel.startswith("META-INF/services/"):
        for line in open(p, encoding="utf-8").read().splitlines():
            impl = line.split("#")[0].strip()
            if not impl:
                continue
            pkg = impl.split("$")[0].rsplit(".", 1)[0]
            services[(module_of_package(pkg, f"{p}: {impl}"), rel)].append(line)
        continue
    parts = rel.split("/")
    if parts[:2] == ["dev", "mipeaks"]:
        pkg = ".".join(parts[:-1])
    elif parts[0] in RESOURCE_ROOTS:
        pkg = RESOURCE_ROOTS[parts[0]]
    else:
        die(f"{p}: resource outside dev/mipeaks/ with no module; add its folder to RESOURCE_ROOTS")
    moves.append((p, f"{DIRS[module_of_package(pkg, p)]}/src/main/resources/{rel}"))

# ---------------------------------------------------------------- test sources (+ fixtures): lowest module
src_test = f"{OLD}/test/java/"
for p in files_under(f"{OLD}/test/java"):
    rel = p[len(src_test):]
    if not rel.endswith(".java"):
        die(f"{p}: not a .java file under src/test/java")
    test_like[p] = rel
# test classes already moved (a second run): their module is where they are
placed_test = {}
for m in MODULES:
    base = f"{DIRS[m]}/src/test/java/"
    for d, _, fs in os.walk(base):
        for f in fs:
            if f.endswith(".java"):
                rel = os.path.join(d, f)[len(base):]
                placed_test[rel[:-5].replace("/", ".")] = m
    base = f"{DIRS[m]}/src/main/java/"
    for d, _, fs in os.walk(base):
        for f in fs:
            if f.endswith(".java"):
                main_class[os.path.join(d, f)[len(base):-5].replace("/", ".")] = m

info = {}                                   # fqcn -> (path, package, code)
for p, rel in test_like.items():
    src = open(p, encoding="utf-8").read()
    pkg = package_of(src, p)
    # class names in strings are used too: a child JVM started on "dev.mipeaks.cli.Main" needs the cli module
    named = re.findall(r'"(dev\.mipeaks(?:\.[a-z]\w*)*\.[A-Z]\w*)', src)
    info[pkg + "." + os.path.basename(rel)[:-5]] = (p, pkg, strip_code(src), named)
by_package = defaultdict(set)               # package -> simple names of all classes (main + test)
for fq in list(main_class) + list(info) + list(placed_test):
    pkg, simple = fq.rsplit(".", 1)
    by_package[pkg].add(simple)


def deps(fq):
    """(classes of dev.mipeaks used, lowest module for the third-party packages used)."""
    path, pkg, code, named = info[fq]
    used, floor = set(named), "core"
    for m in re.finditer(r"^\s*import\s+(static\s+)?([\w.]+)(\.\*)?\s*;", code, re.M):
        name, star = m.group(2), m.group(3)
        if name.startswith("dev.mipeaks."):
            if star and not m.group(1):
                used |= {name + "." + s for s in by_package.get(name, ())}
            else:
                parts = name.split(".")
                i = next((i for i, s in enumerate(parts) if s[:1].isupper()), None)
                if i is None:
                    die(f"{path}: cannot read the import {name}")
                used.add(".".join(parts[:i + 1]))
        else:
            m = third_party_module(name, path)
            if rank[m] > rank[floor]:
                floor = m
    body = re.sub(r"^\s*(package|import)\s[^;]*;", "", code, flags=re.M)
    for m in re.finditer(r"\bdev\.mipeaks(?:\.[a-z]\w*)*\.([A-Z]\w*)", body):
        used.add(m.group(0))
    for tok in set(re.findall(r"\b[A-Z]\w*\b", body)):
        if tok in by_package.get(pkg, ()):
            used.add(pkg + "." + tok)
    used.discard(fq)
    return used, floor


# the lowest module of each test class: its own floor, raised to that of every class it uses, to a fixed point
# (test helpers may use each other in cycles)
dep = {fq: deps(fq) for fq in info}
mod = {fq: floor for fq, (_, floor) in dep.items()}
# integration tests (*IT) run from the cli module's failsafe, after the launcher's jar is packaged
for fq in mod:
    if fq.endswith("IT"):
        mod[fq] = "cli"


def module_of_class(fq):
    while True:
        if fq in info:
            return mod[fq]
        if fq in main_class:
            return main_class[fq]
        if fq in placed_test:
            return placed_test[fq]
        outer = fq.rsplit(".", 1)[0]          # a nested class: its outer class's module
        if not outer[outer.rfind(".") + 1:][:1].isupper():
            return "core"                     # not a class of ours (e.g. a package name in a string)
        fq = outer


changed = True
while changed:
    changed = False
    for fq, (used, _) in dep.items():
        for u in used:
            m = module_of_class(u)
            if rank[m] > rank[mod[fq]]:
                mod[fq], changed = m, True
memo = mod
test_module = {}
for fq, (p, *_) in info.items():
    test_module[p] = memo[fq]
    moves.append((p, f"{DIRS[memo[fq]]}/src/test/java/{test_like[p]}"))

res_test = f"{OLD}/test/resources/"
for p in files_under(f"{OLD}/test/resources"):
    rel = p[len(res_test):]
    name = os.path.basename(rel)
    users = [test_module[q] for q in test_module if name in open(q, encoding="utf-8").read()]
    if users:
        mod = min(users, key=rank.get)
    else:
        parts = rel.split("/")
        mod = module_of_package(".".join(parts[:-1]) if parts[:2] == ["dev", "mipeaks"] else
                                RESOURCE_ROOTS.get(parts[0], "?"), p)
    moves.append((p, f"{DIRS[mod]}/src/test/resources/{rel}"))

# ---------------------------------------------------------------- apply
for src, dst in moves:
    print(f"{src} -> {dst}")
for (mod, rel), lines in sorted(services.items()):
    print(f"{OLD}/main/resources/{rel} [{len(lines)} lines] -> {DIRS[mod]}/src/main/resources/{rel}")
if dry:
    sys.exit(0)
for src, dst in moves:
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    if os.path.exists(dst):
        die(f"{dst} exists already (moving {src})")
    subprocess.run(["git", "mv", src, dst], check=True)
service_files = {rel for (_, rel) in services}
for rel in sorted(service_files):
    subprocess.run(["git", "rm", "-q", f"{OLD}/main/resources/{rel}"], check=True)
for (mod, rel), lines in sorted(services.items()):
    dst = f"{DIRS[mod]}/src/main/resources/{rel}"
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    old = open(dst, encoding="utf-8").read().splitlines() if os.path.exists(dst) else []
    merged = old + [l for l in lines if l not in old]
    with open(dst, "w", encoding="utf-8") as f:
        f.write("\n".join(merged) + "\n")
    subprocess.run(["git", "add", dst], check=True)
# empty folders left behind
for d, _, _ in sorted(os.walk(OLD), key=lambda t: -len(t[0])) if os.path.isdir(OLD) else []:
    if not os.listdir(d):
        os.rmdir(d)
print(f"split-modules: {len(moves)} files moved, {len(services)} service files written")
PY

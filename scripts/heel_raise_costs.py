#!/usr/bin/env python3
"""Instructions per sample by stage of the heel-raise chain (issue 16), from a
callgrind output of benchmarks/callgrind_heel_raise:

  valgrind --tool=callgrind --callgrind-out-file=cg.out --toggle-collect='run_chain*' \
      build/release/benchmarks/callgrind_heel_raise W
  python3 scripts/heel_raise_costs.py cg.out N      (N: the n the program printed)

Self cost is attributed by source file (orientation.hpp: the filter,
sagittal_axis.hpp: the axis finder, ...) and, for Eigen / libstdc++ /
intrinsic headers, by the compiled function it was inlined into. The
segmenter's per-rep work is the inclusive cost of the functions step() calls
once or twice per rep (finalize, declare_top, lift_slope, begin_finishing,
begin_candidate, announce_start, emit); the heel-contact watch is what push()
spends in watch_contact_sample (per sample for ~1 s after each rep). The
off-axis rate and the history-ring lines are read from the line-level
annotation. Needs callgrind_annotate (valgrind)."""
import re, subprocess, sys
from collections import defaultdict

def annotate(path, *args):
    return subprocess.run(["callgrind_annotate", "--threshold=100", "--auto=no", *args, path],
                          capture_output=True, text=True).stdout

def rows(text):
    for line in text.splitlines():
        m = re.match(r"^\s*([\d,]+) \([ \d.]+%\)\s+(\S[^:]*):(.*)$", line)
        if m:
            yield int(m.group(1).replace(",", "")), m.group(2), m.group(3)

def stage_of(file, func):
    base = file.split("/")[-1]
    by_file = {"orientation.hpp": "filter", "sagittal_axis.hpp": "finder", "plantarflexion.hpp": "tracker",
               "segmenter.hpp": "segmenter", "sos_filter.hpp": "segmenter", "lanes.hpp": "segmenter",
               "sets.hpp": "sets", "imu_reps.hpp": "glue", "event_queue.hpp": "queues",
               "heel_raise_chain_data.hpp": "loop", "callgrind_heel_raise.cpp": "loop"}
    if (base in by_file and "/soleus/" in file) or base in ("heel_raise_chain_data.hpp", "callgrind_heel_raise.cpp"):
        return by_file[base]
    for key, st in (("BasicOrientationFilter", "filter"), ("BasicSagittalAxisFinder", "finder"),
                    ("BasicPlantarflexionTracker", "tracker"), ("Segmenter<", "segmenter"),
                    ("RepCounter<", "segmenter"), ("stream_heel_raise_chain", "glue")):
        if key in func.split("(")[0]:
            return st
    return "other"

def main(path, n):
    self_text = annotate(path)
    incl_text = annotate(path, "--inclusive=yes")
    total = 0
    cost = defaultdict(int)
    for c, f, fn in rows(self_text):
        if f == "PROGRAM TOTALS" or "TOTALS" in fn:
            continue
        cost[stage_of(f, fn)] += c
        total += c
    # per-rep entry points of the segmenter (inclusive)
    per_rep = 0
    for c, f, fn in rows(incl_text):
        name = fn.split("[")[0]
        if f.endswith("segmenter.hpp") and re.search(r"Segmenter<\d+>::(finalize<|declare_top<|begin_finishing\(|begin_candidate\(|lift_slope\(|announce_start<|emit<)", name) and "[" in fn:
            per_rep += c
    # heel-contact watch run from push() (per sample for ~1 s after a rep;
    # the part run from finalize() is in the per-rep figure)
    tree = subprocess.run(["callgrind_annotate", "--tree=caller", "--auto=no", "--threshold=100", path], capture_output=True, text=True).stdout
    contact = 0
    block = []
    for line in tree.splitlines():
        if not line.strip():
            block = []
            continue
        block.append(line)
        if "*  " in line and "watch_contact_sample" in line:
            for b in block[:-1]:
                m = re.match(r"^\s*([\d,]+) .*<.*RepCounter<.*::push", b)
                if m:
                    contact += int(m.group(1).replace(",", ""))
    # line-level: off-axis rate and ring buffers
    ann = subprocess.run(["callgrind_annotate", "--auto=yes", "--context=0", path], capture_output=True, text=True).stdout
    off_axis = ring = reads = 0
    cur = None
    for line in ann.splitlines():
        if line.startswith("-- Auto-annotated source:"):
            cur = line.split(":", 1)[1].strip()
            continue
        m = re.match(r"^\s*([\d,]+) \([ \d.]+%\)\s{4}(.*)$", line)
        if not m or cur is None:
            continue
        c, src = int(m.group(1).replace(",", "")), m.group(2)
        if cur.endswith("imu_reps.hpp") and ("off_mean_" in src or "off_axis" in src or "perp2" in src or "along" in src
                                             or "const Vec3 d(w[0]" in src):
            off_axis += c
        if cur.endswith("segmenter.hpp") and any(k in src for k in ("Slot& s = hist_[", "s.t = t;", "s.x = static_cast", "s.y = static_cast",
                                                                  "s.acc = static_cast", "s.off = static_cast", "++hist_total_;",
                                                                  "if (hist_n_ < HistoryCapacity) ++hist_n_;", "newest_ = static_cast")):
            ring += c
        if cur.endswith("segmenter.hpp") and "const Slot& at(std::int64_t k) const" in src:
            reads += c
    print(f"{path}: total {total/n:.0f} instructions per sample (n {n})")
    seg_sample = cost["segmenter"] - per_rep - contact
    out = [("orientation filter", cost["filter"]), ("axis finder", cost["finder"]), ("plantarflexion tracker (own)", cost["tracker"]),
           ("segmenter per sample", seg_sample), ("segmenter per rep (finalize, declare_top, lift_slope, ...)", per_rep),
           ("heel-contact watch after a rep (from push)", contact),
           ("RepCounter push/drain + set tracker (sets.hpp)", cost["sets"]), ("off-axis rate (imu_reps)", off_axis),
           ("chain glue (imu_reps, rest)", cost["glue"] - off_axis), ("event queues", cost["queues"]),
           ("benchmark loop", cost["loop"]), ("other", cost["other"])]
    for k, v in out:
        print(f"  {k:60s} {v/n:7.1f}")
    print(f"  {'(of the segmenter: history ring writes)':60s} {ring/n:7.1f}")
    print(f"  {'(of the segmenter: history reads at(), mostly per rep)':60s} {reads/n:7.1f}")
    return {k: v / n for k, v in out}

if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], int(sys.argv[2]))

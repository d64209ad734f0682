#!/bin/bash -eu
# Builds every cargo-fuzz target of sockswire for ClusterFuzzLite / OSS-Fuzz and leaves in
# $OUT, per target T:
#   T                   the libFuzzer binary (cargo fuzz build -O, as rustls and httparse do)
#   T_seed_corpus.zip   fuzz/seeds/T + fuzz/grown/T + fuzz/regressions/T, flat
#   T.dict              fuzz/socks.dict (SOCKS versions, commands, ATYPs, Tor codes, ...)
#
# The same script runs outside Docker (fuzz/oss_fuzz_local.sh, .ci/run): set SRC (the
# checkout, or a symlink to it, at $SRC/sockswire), OUT, and SANITIZER. SANITIZER=address is
# what ClusterFuzzLite builds; coverage is handled by OSS-Fuzz's cargo wrapper; none (a local
# extra) builds without ASan, faster.
# -eu here too: the shebang's flags are lost when run as `bash build.sh`.
set -euo pipefail
: "${SRC:?SRC must be set}" "${OUT:?OUT must be set}"
SANITIZER=${SANITIZER:-address}

cd "$SRC/sockswire"
case "$SANITIZER" in
  address | coverage) san=() ;;  # cargo fuzz's default is ASan; OSS-Fuzz adds coverage flags
  none) san=(--sanitizer none) ;;
  *) echo "build.sh: SANITIZER=$SANITIZER is not supported for Rust (address, coverage, none)" >&2
     exit 1 ;;
esac

triple=$(rustc -vV | sed -n 's/^host: //p')
cargo fuzz build -O "${san[@]}" --target-dir fuzz/target
bin=fuzz/target/$triple/release

mkdir -p "$OUT"
n=0
for t in $(cargo fuzz list); do
  cp "$bin/$t" "$OUT/$t"
  cp fuzz/socks.dict "$OUT/$t.dict"
  # A flat zip (names prefixed by where they came from), python3's zipfile: no zip needed.
  python3 - "$OUT/${t}_seed_corpus.zip" "$t" <<'PY'
import os, sys, zipfile
out, target = sys.argv[1], sys.argv[2]
count = 0
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for kind in ("seeds", "grown", "regressions"):
        d = os.path.join("fuzz", kind, target)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            path = os.path.join(d, name)
            if os.path.isfile(path):
                z.write(path, f"{kind}-{name}")
                count += 1
if count == 0:
    sys.exit(f"build.sh: no seeds for {target} (fuzz/seeds/{target}/ is empty)")
PY
  n=$((n + 1))
done
echo "build.sh: $n targets in $OUT (sanitizer: $SANITIZER)"

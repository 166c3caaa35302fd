#!/usr/bin/env bash
# Build the oracle corpus with scapy inside a fresh, empty network namespace (never the root one).
# scapy only builds packets and writes files there; the namespace has no interfaces to send on, and it
# disappears with the process (unshare --net creates an anonymous namespace, nothing to delete).
#   scripts/oracle-corpus.sh OUTDIR      (default: fixtures/oracle/corpus)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$here/fixtures/oracle/corpus}"
py=/usr/bin/python3   # Debian's python3 with python3-scapy, not a pyenv one
if ! "$py" -c 'import scapy' 2>/dev/null; then
  echo "oracle-corpus: scapy is missing: apt-get install -y python3-scapy" >&2
  exit 2
fi
if ! unshare --net true 2>/dev/null; then
  echo "oracle-corpus: cannot create a network namespace (unshare --net needs root or user namespaces)" >&2
  exit 2
fi
mkdir -p "$out"
# Scapy warns about the empty namespace (no routes, lo without address); that is the point.
exec unshare --net "$py" "$here/fixtures/oracle/generate.py" "$out" 2> >(grep -v -E 'WARNING: (Interface lo|No IPv4 address|more No IPv4)' >&2)

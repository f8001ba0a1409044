#!/bin/sh
# Runs bench/storecmp against the store of REF (default: the last commit of
# schema 1) and of the working tree, side by side, in one run.
#   bench/store.sh [REF]
set -eu
cd "$(dirname "$0")/.."
ref=${1:-$(git log --format=%H -1 --grep '^store: schema 2' )^}
tmp=$(mktemp -d)
trap 'git worktree remove --force "$tmp/old" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
git worktree add -q --detach "$tmp/old" "$ref"
mkdir -p "$tmp/old/bench/storecmp"
cp bench/storecmp/main.go "$tmp/old/bench/storecmp/"
(cd "$tmp/old" && go build -o "$tmp/old.bin" ./bench/storecmp)
go build -o "$tmp/new.bin" ./bench/storecmp
dump=store/testdata/v1/dump.jsonl.gz
for mode in "size -n 200" "amp -n 20" "unchanged"; do
	for v in old new; do
		printf '%s (%s): ' "$v" "$( [ $v = old ] && git rev-parse --short "$ref" || echo 'this tree')"
		"$tmp/$v.bin" -dump "$dump" -mode $mode
	done
done

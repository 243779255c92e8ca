#!/usr/bin/env bash
# gungraun-runner at exactly the gungraun version native/Cargo.lock locks (a
# runner of another version records zero counts). A cold `cargo install`
# takes about 15 minutes, so setup starts it in the background and only the
# step that needs the runner waits for it.
#   scripts/gungraun-runner.sh --start  begin the install in the background, unless
#                                       the right runner is on PATH or an install runs
#   scripts/gungraun-runner.sh --wait   wait for that install (or install now), then
#                                       check the version; prints the install time
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(awk '/^name = "gungraun"$/ { getline; gsub(/version = |"/, ""); print; exit }' native/Cargo.lock)
[ -n "$version" ] || { echo "gungraun-runner.sh: no gungraun version locked in native/Cargo.lock" >&2; exit 2; }
pidfile=.tools/gungraun-runner.pid
log=.tools/gungraun-runner.log
current() { gungraun-runner --version 2>/dev/null | awk '{print $2}'; }
running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

case "${1:-}" in
  --start)
    [ "$(current)" = "$version" ] && exit 0
    running && exit 0
    mkdir -p .tools
    date +%s > .tools/gungraun-runner.started
    echo "setup: installing gungraun-runner $version in the background (cargo install --locked; log $log)" >&2
    nohup cargo install --locked --quiet "gungraun-runner@$version" >"$log" 2>&1 </dev/null &
    echo $! > "$pidfile"
    ;;
  --wait)
    if [ "$(current)" != "$version" ] && running; then
      echo "waiting for the gungraun-runner $version install (log $log) ..." >&2
      while running; do sleep 5; done
    fi
    if [ "$(current)" != "$version" ]; then
      [ -f "$log" ] && { echo "the background install did not give gungraun-runner $version; its log ends:" >&2; tail -5 "$log" >&2; }
      echo "installing gungraun-runner $version (cargo install --locked)" >&2
      date +%s > .tools/gungraun-runner.started
      cargo install --locked --quiet "gungraun-runner@$version" >&2
    fi
    [ "$(current)" = "$version" ] || { echo "gungraun-runner.sh: gungraun-runner on PATH is '$(current)', not $version (is ~/.cargo/bin on PATH?)" >&2; exit 1; }
    if [ -f .tools/gungraun-runner.started ]; then
      echo "gungraun-runner $version ready, $(( $(date +%s) - $(cat .tools/gungraun-runner.started) )) s after its install started" >&2
      rm -f .tools/gungraun-runner.started "$pidfile"
    fi
    ;;
  *) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; [ "${1:-}" = --help ] || [ "${1:-}" = -h ]; exit $? ;;
esac

#!/bin/sh
# A service example keeps answering while its lists change: a new list
# version takes over, and a broken one leaves the previous version serving.
# Usage: example_reload.sh signal|poll WORK_DIR COMMAND...
#   signal: the example reloads on SIGHUP (service.c, service.cc)
#   poll:   the example notices changed files itself (service.py)
set -eu
how=$1
work=$2
shift 2
rm -rf "$work"
mkdir -p "$work/lists"
write_list() { printf '! deter-list 1\n! name: t\n! category: demo\n%s\n' "$1" > "$work/lists/t.list"; }
write_list "quiet harbour"
mkfifo "$work/requests"
# The files exist before the example starts: the waits below read them at
# once, and the example's shell opens them only when it is scheduled.
: > "$work/answers"
: > "$work/log"
"$@" "$work/lists" < "$work/requests" > "$work/answers" 2> "$work/log" &
pid=$!
exec 3> "$work/requests"

# Waits (up to 20 s) until FILE has N lines / holds TEXT.
wait_lines() {
  i=0
  while [ "$(wc -l < "$1")" -lt "$2" ]; do
    i=$((i + 1)); [ $i -le 200 ] || { echo "timed out waiting for $1"; cat "$work/log"; exit 1; }
    sleep 0.1
  done
}
wait_text() {
  i=0
  while ! grep -q "$2" "$1"; do
    i=$((i + 1)); [ $i -le 200 ] || { echo "timed out waiting for '$2'"; cat "$work/log"; exit 1; }
    sleep 0.1
  done
}
change() {
  if [ "$how" = signal ]; then
    kill -HUP $pid
    wait_text "$work/log" "$1"
  else
    sleep 1.2   # past the example's poll interval and the file time resolution
  fi
}

echo "quiet harbour" >&3
wait_lines "$work/answers" 1

write_list "amber lighthouse"
change "reloaded"
echo "amber lighthouse" >&3
wait_lines "$work/answers" 2

write_list "@@   "   # broken: an empty exception
change "reload failed"
echo "amber lighthouse" >&3
echo "quiet harbour" >&3
exec 3>&-
wait $pid

cat "$work/answers"
expected=$(printf 'prompt\tdemo\tt.list:4\nprompt\tdemo\tt.list:4\nprompt\tdemo\tt.list:4\nallow\t\t')
[ "$(cat "$work/answers")" = "$expected" ] || { echo "unexpected answers"; cat "$work/log"; exit 1; }
grep -q "reload failed" "$work/log" || { echo "the broken list was not reported"; exit 1; }
echo "example_reload: ok"

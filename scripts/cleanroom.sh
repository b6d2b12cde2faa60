#!/usr/bin/env bash
# Runs the README's two commands (scripts/demo.sh, scripts/test.sh) in a fresh
# minimal Debian chroot, so that nothing a developer's machine happens to have
# can make them pass.
#
#   scripts/cleanroom.sh SUITE [--keep] [--shell] [--rev REV]
#
# SUITE: bookworm (Debian 12) or trixie (Debian 13); any suite debootstrap
# knows works (forky: testing, its Release file may be expired and is
# accepted).  The chroot is made with `debootstrap --variant=minbase` from the
# mirror this machine's own apt sources name, under $CLEANROOM_DIR (default
# /var/tmp).  A clean clone of HEAD goes to /work/main inside it and
# ../shared to /work/shared, as in CI.  /proc, /sys, /dev and /dev/pts are
# bind-mounted and always unmounted again, with anything the suite mounted
# below the chroot (network namespaces), even when a command fails.
#   --keep   leave the chroot on disk (its path is printed) instead of removing it
#   --shell  open a shell in the chroot instead of running the two commands
#   --rev R  test commit R instead of HEAD; `--rev worktree` commits the work
#            tree as it is (tracked and untracked files, .gitignore obeyed) to
#            refs/cleanroom/worktree first, without touching index or branch
# Needs root.  Exit status: that of the two commands (0 when both pass).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
suite=""
keep=0
shell=0
rev=HEAD
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) keep=1; shift;;
    --shell) shell=1; keep=1; shift;;
    --rev) rev=$2; shift 2;;
    -h|--help) sed -n '2,21p' "$0"; exit 0;;
    -*) echo "cleanroom.sh: unknown option $1" >&2; exit 2;;
    *) suite=$1; shift;;
  esac
done
[ -n "$suite" ] || { echo "usage: scripts/cleanroom.sh SUITE [--keep] [--shell]" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "cleanroom.sh: needs root (debootstrap, chroot, mounts)" >&2; exit 2; }
[ -d "$top/../shared" ] || { echo "cleanroom.sh: $top/../shared is missing" >&2; exit 2; }

if ! command -v debootstrap >/dev/null; then
  echo "cleanroom.sh: installing debootstrap" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap >&2
fi

# The first Debian archive this machine's apt sources name (one-line or
# deb822 format), not its security archive; deb.debian.org when none.
mirror() {
  local files=(/etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources)
  local m
  m=$(cat "${files[@]}" 2>/dev/null |
      sed -n -e 's/^deb \(\[[^]]*\] \)\{0,1\}\(https\{0,1\}:[^ ]*\) .*/\2/p' -e 's/^URIs: *\(https\{0,1\}:[^ ]*\).*/\1/p' |
      grep -E '/debian/?$' | grep -v -e security -e debug | head -n 1 || true)
  echo "${m:-http://deb.debian.org/debian}"
}

root=$(mktemp -d "${CLEANROOM_DIR:-/var/tmp}/cleanroom-$suite.XXXXXX")
chmod 755 "$root"   # a chroot's / as any system's: apt's _apt user reads below it
cleanup() {
  # deepest first: whatever the suite mounted inside, then our bind mounts
  local mnt
  for mnt in $(awk -v r="$root" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/mounts | sort -r); do
    umount "$mnt" 2>/dev/null || umount -l "$mnt" || true
  done
  if [ "$keep" = 1 ]; then
    echo "cleanroom.sh: chroot kept in $root" >&2
  else
    rm -rf --one-file-system "$root"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

url=$(mirror)
echo "cleanroom.sh: debootstrap $suite from $url into $root" >&2
start=$SECONDS
if ! debootstrap --variant=minbase "$suite" "$root" "$url" >"$root.debootstrap.log" 2>&1; then
  tail -n 20 "$root.debootstrap.log" >&2
  rm -f "$root.debootstrap.log"
  exit 1
fi
rm -f "$root.debootstrap.log"
case "$suite" in
  forky|testing|sid|unstable)
    echo 'Acquire::Check-Valid-Until "false";' >"$root/etc/apt/apt.conf.d/99cleanroom";;
esac
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
echo "cleanroom.sh: $suite made in $((SECONDS - start)) s" >&2

# The work tree as a commit of its own: a temporary index, the branch untouched.
snapshot() {
  local idx tree
  idx=$(mktemp)
  rm -f "$idx"
  GIT_INDEX_FILE=$idx git -C "$top" add -A
  tree=$(GIT_INDEX_FILE=$idx git -C "$top" write-tree)
  rm -f "$idx"
  git -C "$top" update-ref refs/cleanroom/worktree \
    "$(git -C "$top" commit-tree "$tree" -p HEAD -m "cleanroom: work tree")"
  echo refs/cleanroom/worktree
}
[ "$rev" = worktree ] && rev=$(snapshot)
mkdir -p "$root/work"
git clone -q --no-hardlinks "$top" "$root/work/main"
if [ "$rev" != HEAD ]; then
  git -C "$root/work/main" fetch -q "$top" "$rev"
  git -C "$root/work/main" checkout -q FETCH_HEAD
fi
echo "cleanroom.sh: testing $(git -C "$root/work/main" log -1 --format='%h %s' | cut -c1-72)" >&2
cp -a "$top/../shared" "$root/work/shared"

for m in proc sys dev dev/pts; do
  mkdir -p "$root/$m"
  mount --bind "/$m" "$root/$m"
done
# no host mounts propagate back out of the chroot's /sys (network namespaces)
mount --make-rslave "$root/sys" 2>/dev/null || true

run_in() {
  chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
}
if [ "$shell" = 1 ]; then
  run_in bash -c 'cd /work/main && exec bash -i'
  exit 0
fi
start=$SECONDS
rc=0
run_in bash -c 'cd /work/main && scripts/demo.sh >/tmp/demo.out' || rc=$?
if [ "$rc" -ne 0 ]; then
  echo "cleanroom.sh: $suite: scripts/demo.sh FAILED (exit $rc)" >&2
  tail -n 20 "$root/tmp/demo.out" >&2 || true
  exit "$rc"
fi
echo "cleanroom.sh: $suite: scripts/demo.sh passed in $((SECONDS - start)) s ($(wc -l <"$root/tmp/demo.out") lines)" >&2
start=$SECONDS
run_in bash -c 'cd /work/main && scripts/test.sh' || rc=$?
echo "cleanroom.sh: $suite: scripts/test.sh $([ "$rc" -eq 0 ] && echo passed || echo "FAILED (exit $rc)") in $((SECONDS - start)) s" >&2
exit "$rc"

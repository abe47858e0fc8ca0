#!/bin/sh
# deps.sh - install the Debian packages listed in scripts/debian-packages
# that are missing.  As root: apt-get update && apt-get install.  Otherwise
# print the exact command and fail, so nothing half-works.
#
# Two sets: "build" is what building and running httptool need (make
# demo installs only these); "test" is what the tests add (peers such as
# nginx, tshark, chromium; make test installs both).
#
# usage: scripts/deps.sh [build|test|all]          install (default all)
#        scripts/deps.sh --list [build|test|all]   print the set, one a line
set -eu
here=$(dirname "$0")
list=""
if [ "${1:-}" = --list ]; then
	list=1
	shift
fi
want=${1:-all}
case "$want" in
build|test|all) ;;
*) echo "usage: $0 [--list] [build|test|all]" >&2; exit 2 ;;
esac
missing=""
section=""
while IFS= read -r line; do
	case "$line" in
	"# build") section=build; continue ;;
	"# test") section=test; continue ;;
	"#"*|"") continue ;;
	esac
	if [ "$want" != all ] && [ "$section" != "$want" ]; then continue; fi
	pkg=${line%%[ 	#]*}
	if [ -n "$list" ]; then
		echo "$pkg"
		continue
	fi
	if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $pkg"
	fi
done < "$here/debian-packages"
[ -n "$list" ] && exit 0

if [ -z "$missing" ]; then
	exit 0
fi
cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing Debian packages:$missing" >&2
	echo "deps: install them as root with:" >&2
	echo "  sudo sh -c '$cmd'" >&2
	exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: missing packages:$missing, and no apt-get here; install them with your package manager" >&2
	exit 1
fi
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends $missing >&2

# Shared by Scripts/hplab, Scripts/test and the test.d scripts: install what a fresh Debian
# machine with only Swift lacks. As root, apt-get installs it; otherwise we say what to run.

hplab_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# ensure_package DEBIAN-PACKAGE CHECK-COMMAND...: runs CHECK-COMMAND; when it fails, installs
# the package (as root) or stops with the command that would install it.
ensure_package() {
  local package="$1"
  shift
  if "$@" >/dev/null 2>&1; then return 0; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "hplab: installing $package (apt-get)" >&2
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -qq "$package" >/tmp/hplab-apt.log 2>&1; then
      apt-get update -qq >>/tmp/hplab-apt.log 2>&1 || true
      apt-get install -y -qq "$package" >>/tmp/hplab-apt.log 2>&1 || {
        echo "hplab: apt-get install $package failed; see /tmp/hplab-apt.log" >&2
        return 1
      }
    fi
    "$@" >/dev/null 2>&1 && return 0
    echo "hplab: $package is installed but '$*' still fails" >&2
    return 1
  fi
  echo "hplab: this needs the Debian package '$package'. Install it with:" >&2
  echo "    sudo apt-get install -y $package" >&2
  return 1
}

# The line editor: libedit's headers and pkg-config file (the runtime library ships with Swift).
ensure_libedit() {
  ensure_package pkg-config command -v pkg-config || return 1
  ensure_package libedit-dev pkg-config --exists libedit
}

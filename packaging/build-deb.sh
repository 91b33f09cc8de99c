#!/bin/sh
# Builds the Debian package: target/debian/slarapport_VERSION-1_ARCH.deb (under
# $CARGO_TARGET_DIR when that is set). Needs cargo-deb: cargo install cargo-deb --locked
#
#   packaging/build-deb.sh [CARGO BUILD OPTIONS]    e.g. packaging/build-deb.sh -j1
#   packaging/build-deb.sh --assets BIN DIR          only write what BIN generates into DIR
#
# It builds the release binary, has that binary generate its man page and shell completions
# (so they always match it) into target/release/packaging/, then lets cargo-deb package the
# files listed in Cargo.toml ([package.metadata.deb]): the binary, those generated files, the
# systemd template units (packaging/systemd/), the README and packaging/copyright, with the
# maintainer scripts of packaging/debian/. tests/packaging.rs checks that list and runs the
# --assets part with the test build.
set -eu

# The generated files, as Cargo.toml's assets name them under target/release/packaging/.
generate() {
  bin=$1 dir=$2
  mkdir -p "$dir/completions"
  "$bin" man > "$dir/slarapport.1"
  gzip -9 -n -f "$dir/slarapport.1"
  "$bin" completions bash > "$dir/completions/slarapport.bash"
  "$bin" completions zsh > "$dir/completions/_slarapport"
  "$bin" completions fish > "$dir/completions/slarapport.fish"
}

if [ "${1:-}" = --assets ]; then
  [ $# -eq 3 ] || { echo "usage: $0 --assets BIN DIR" >&2; exit 2; }
  generate "$2" "$3"
  exit 0
fi

cd "$(dirname "$0")/.."

if ! cargo deb --version >/dev/null 2>&1; then
  echo "error: cargo-deb is not installed" >&2
  echo "hint: cargo install cargo-deb --locked" >&2
  exit 2
fi
target=${CARGO_TARGET_DIR:-target}
cargo build --release --locked "$@"
generate "$target/release/slarapport" "$target/release/packaging"
cargo deb --no-build

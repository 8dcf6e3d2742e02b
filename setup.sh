#!/usr/bin/env bash
# kafkasim setup: installs what is missing (Debian 12 packages), builds, then runs something.
#
#   ./setup.sh studio [ARGS...]   install, build, open the studio on the default lesson
#                                 (scenarios/00-first-look.toml)
#                                 (with no display: say so and run it headless instead)
#   ./setup.sh test               install, build (and a sanitized build in build-asan/), run the
#                                 whole test suite in both (what CI runs; tests/README.md)
#   ./setup.sh build              install and build only
#   ./setup.sh deps               install only
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

PACKAGES=(
  build-essential cmake pkg-config git
  libimgui-dev libstb-dev libglfw3-dev libgl-dev   # the studio: Dear ImGui 1.86, GLFW, OpenGL
  libsqlite3-dev libtomlplusplus-dev               # recordings, scenario files
  libmimalloc-dev                                  # the allocator every program links
  catch2 libbenchmark-dev clang-format             # tests, benchmarks, style check
  clang-14 libclang-rt-14-dev llvm-14              # sanitized tree: ASan, UBSan, libFuzzer,
                                                   # llvm-symbolizer for their reports
  xvfb xauth libgl1-mesa-dri fonts-dejavu-core     # headless studio tests (Mesa llvmpipe), font
)

install_deps() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

build() {
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build -j"$(nproc)"
}

# The sanitized tree (tests/README.md): the engine, the CLI and the libFuzzer harnesses built
# with clang, ASan and UBSan, every report fatal; no studio.
build_sanitized() {
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++-14 \
    -DKAFKASIM_SANITIZE=ON -DKAFKASIM_GUI=OFF >/dev/null
  cmake --build build-asan -j"$(nproc)"
}

cmd="${1:-studio}"
shift || true
case "$cmd" in
  deps) install_deps ;;
  build) install_deps; build ;;
  test)
    install_deps
    build
    build_sanitized
    # Both trees run even when the first fails, so one pass shows everything that broke.
    status=0
    (cd build && ctest --output-on-failure -j"$(nproc)") || status=1
    (cd build-asan && ctest --output-on-failure -j"$(nproc)") || status=1
    exit "$status"
    ;;
  studio)
    install_deps
    build
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
      exec ./build/kafkasim-gui "$@"
    fi
    echo "setup: no display (DISPLAY is not set), so the studio cannot open a window;"
    echo "setup: running the default lesson headless instead."
    [ $# -eq 0 ] && set -- scenarios/00-first-look.toml
    exec ./build/kafkasim run "$@"
    ;;
  *)
    echo "setup.sh: unknown command \"$cmd\" (expected studio, test, build or deps)" >&2
    exit 2
    ;;
esac

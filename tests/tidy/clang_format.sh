#!/usr/bin/env bash
# Every C++ file of the project is clang-format clean (.clang-format at the top).
set -u
root="$1"
fmt="$2"
cd "$root" || exit 1
files=$(git ls-files '*.h' '*.cpp' 2>/dev/null || find engine app tests -name '*.h' -o -name '*.cpp')
[ -n "$files" ] || files=$(find engine app tests -name '*.h' -o -name '*.cpp')
if ! out=$("$fmt" --dry-run --Werror $files 2>&1); then
  echo "$out" | head -40
  echo "clang-format: files above need formatting (run: clang-format -i <file>)"
  exit 1
fi
echo "clang-format: ok"

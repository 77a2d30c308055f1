#!/usr/bin/env bash
# Smoke-test the frozen app in dist/ (after `pyinstaller build.spec`): it must start with no
# Python and no checkout, find its bundled resources, pass --selftest and calculate right.
#   scripts/smoke-dist.sh [path/to/ldn-desktop]        (default: dist/ldn-desktop/ldn-desktop)
set -euo pipefail
cd "$(dirname "$0")/.."
app="${1:-dist/ldn-desktop/ldn-desktop}"
[[ -x "$app" ]] || { echo "smoke-dist: no frozen app at $app (run: make dist)" >&2; exit 1; }

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export LDN_DESKTOP_DATA_DIR="$scratch/data"   # never the real user's database or log
export QT_QPA_PLATFORM=offscreen
# Run from an empty folder with no Python around, so nothing can come from the checkout.
app="$(cd "$(dirname "$app")" && pwd)/$(basename "$app")"
cd "$scratch"
unset PYTHONPATH PYTHONHOME
fail() { echo "smoke-dist: FAILED: $*" >&2; exit 1; }

version="$("$app" --version)" || fail "--version exited $?"
echo "$version"
[[ "$version" == "ldn-desktop "[0-9]* ]] || fail "--version printed '$version'"

"$app" --selftest | tee selftest.txt || fail "--selftest exited non-zero (see above)"
grep -q "(frozen," selftest.txt || fail "--selftest did not run frozen"
grep -q "found in .*_internal/resources\|found in .*Resources/resources" selftest.txt \
  || fail "resources were not found inside the bundle"

# DOMAIN.md's worked example: 4.5 mg x 30, size 1, 10 % overage, assay 99.5 %, water 1.5 %,
# filler-only fill 200 mg -> make 33, drug 148.5 mg, weigh 151.5 mg, filler 6,448.5 mg.
"$app" calc capsule --dose 4.5mg --quantity 30 --size 1 --overage 10% --assay 99.5 \
  --water 1.5 --fill-mg 200 --json > calc.json || fail "calc capsule exited $?"
for expected in '"units_to_make": 33' '"drug_mg_total": "148.5"' \
                '"text": "151.5 mg"' '"text": "6,448.5 mg"'; do
  grep -qF "$expected" calc.json || fail "calc capsule --json lacks $expected"
done
echo "calc capsule --json: 33 capsules, drug 148.5 mg, weigh 151.5 mg, filler 6,448.5 mg"

# A bare number is refused with one line and exit 2, not a traceback.
set +e
"$app" calc capsule --dose 4.5 --quantity 30 > /dev/null 2> refused.txt
code=$?
set -e
[[ $code -eq 2 ]] || fail "a bare dose '4.5' exited $code, expected 2"
[[ $(wc -l < refused.txt) -eq 1 ]] && ! grep -q Traceback refused.txt \
  || fail "a bare dose did not give one clear line: $(cat refused.txt)"
echo "refused a bare dose: $(cat refused.txt)"
echo "smoke-dist: the frozen app passed"

#!/usr/bin/env bash
# A real CUPS print queue for the tests marked `cups`: LDN_TEST_PDF, a cups-pdf virtual
# printer that writes every job it receives as a PDF file (PLATFORM.md, "Qt").
#
#   scripts/cups-test-queue.sh          start cupsd if needed, add the queue, print where
#                                       cups-pdf writes its files (the last line of output)
#   scripts/cups-test-queue.sh --remove remove the queue again
#
# Needs root (or sudo) for cupsd and lpadmin, and the packages cups-daemon, cups-client and
# printer-driver-cups-pdf (scripts/system-deps.sh test installs them). The tests read the
# output folder from LDN_TEST_PDF_DIR, or else from /etc/cups/cups-pdf.conf as this does.
set -euo pipefail
QUEUE=LDN_TEST_PDF

if [[ $(id -u) -eq 0 ]]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
  echo "cups-test-queue: needs root or sudo to run cupsd and lpadmin" >&2; exit 1; fi

for tool in cupsd lpadmin lpinfo lpstat; do
  command -v "$tool" >/dev/null || [[ -x /usr/sbin/$tool ]] || {
    echo "cups-test-queue: $tool is missing (apt-get install cups-daemon cups-client printer-driver-cups-pdf)" >&2
    exit 1
  }
done
export PATH="$PATH:/usr/sbin"

if [[ "${1:-}" == "--remove" ]]; then
  $sudo lpadmin -x "$QUEUE" 2>/dev/null || true
  exit 0
fi

# cupsd: a service manager may run it; on a bare CI container it is started here, in the
# background (it daemonises itself without -f).
if ! lpstat -r 2>/dev/null | grep -q "is running"; then
  $sudo cupsd
  for _ in $(seq 50); do
    lpstat -r 2>/dev/null | grep -q "is running" && break
    sleep 0.1
  done
  lpstat -r 2>/dev/null | grep -q "is running" || { echo "cups-test-queue: cupsd did not start" >&2; exit 1; }
fi

# The cups-pdf PPD, wherever this distribution keeps it (lpinfo -m lists the models).
ppd=$(lpinfo -m 2>/dev/null | grep -i 'cups-pdf' | grep -i 'pdf' | head -n 1 | cut -d' ' -f1)
[[ -n "$ppd" ]] || { echo "cups-test-queue: no cups-pdf model in 'lpinfo -m' (install printer-driver-cups-pdf)" >&2; exit 1; }

$sudo lpadmin -p "$QUEUE" -E -v cups-pdf:/ -m "$ppd"
$sudo cupsenable "$QUEUE" 2>/dev/null || true
$sudo cupsaccept "$QUEUE" 2>/dev/null || true

# Where cups-pdf writes: the "Out" setting of cups-pdf.conf, ${HOME} being the home of the
# user who printed; jobs from an unknown user go to AnonDirName.
conf=/etc/cups/cups-pdf.conf
out='${HOME}/PDF'
if [[ -r "$conf" ]]; then
  configured=$(awk '$1 == "Out" {print $2}' "$conf" | tail -n 1)
  [[ -n "$configured" ]] && out=$configured
fi
home=$(getent passwd "$(id -un)" | cut -d: -f6)
out_dir=${out//\$\{HOME\}/$home}
out_dir=${out_dir//\$\{USER\}/$(id -un)}
echo "queue $QUEUE ready (model $ppd)"
echo "$out_dir"

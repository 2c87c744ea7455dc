#!/usr/bin/env bash
# System packages the tests need: Debian's Chromium for the browser tests; Pango and
# fonts for WeasyPrint's PDF reports; poppler-utils (pdftoppm, pdftotext) to check the
# PDFs. Installed with apt when missing; a no-op when all are present.
set -euo pipefail
packages=(chromium libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils)
need=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || need+=("$package")
done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing system packages: ${need[*]} (run as root, or install them with apt)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null

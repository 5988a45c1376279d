#!/usr/bin/env bash
# Extracts one MIB module from an RFC's text (IETF code component), dropping
# the page footers, headers and form feeds that split it across pages.
# Usage: extract-rfc-mib.sh RFC.txt MODULE-NAME > MODULE-NAME.txt
# Used once to produce mib/builtin/*.txt from the RFCs in shared/reference.
set -euo pipefail
rfc="$1"; module="$2"
awk -v module="$module" '
  $0 ~ "^ *" module " DEFINITIONS ::= BEGIN" { on = 1 }
  on && /^RFC [0-9]+ / { next }                 # page header
  on && /\[Page [0-9]+\]$/ { next }             # page footer
  on { gsub(/\f/, ""); print }
  on && /^ *END *$/ { exit }
' "$rfc" | cat -s

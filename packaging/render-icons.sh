#!/bin/sh
# Renders the committed PNG icons from their SVG sources (run by hand after editing an SVG;
# nothing renders at build or install time). Needs rsvg-convert (Debian: librsvg2-bin).
# 16 px comes from a drawing on a 16-pixel grid, every other size from the full drawing.
set -eu
cd "$(dirname "$0")/.."
out=resources/icons
for size in 16 32 48 64 128 256 512; do
  source=$out/marginalia.svg
  [ "$size" = 16 ] && source=packaging/icons/marginalia-small.svg
  rsvg-convert --width "$size" --height "$size" "$source" --output "$out/marginalia-$size.png"
done
echo "rendered $(ls $out/marginalia-*.png | wc -l) PNG icons into $out"

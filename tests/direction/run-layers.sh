#!/usr/bin/env bash
# The decoder's parts call each other one way only (ARCHITECTURE.md).
src=$2
exec python3 "$src/tools/check-layers.py" "$src"

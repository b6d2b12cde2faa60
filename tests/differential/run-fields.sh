#!/usr/bin/env bash
# The field table mirrors Wireshark 4.0's isakmp.* fields (names, types, bases, masks).
exec python3 "$2/tests/differential/check_fields.py" "$1/isakmpdump"

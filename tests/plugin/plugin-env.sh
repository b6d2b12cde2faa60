# Sourced by the tests that run tshark with the plugin loaded
# (tests/plugin/run-plugin.sh, tests/pq/run-plugin-esp.sh); not a test itself.
#
#   plugin_env BUILD_DIR SOURCE_DIR TMP
#
# exits 77 (skipped) without tshark, the plugin or isakmpdump; sets
#   plugin      the ike.so to load: BUILD_DIR's, or for a sanitized (or
#               coverage) BUILD_DIR one built again without sanitizers in
#               BUILD_DIR/plugin-nosan (tshark cannot load an ASan plugin;
#               the ike target only, incrementally)
#   abi         the installed tshark's major.minor (its plugin folder)
#   compat      (-E compat=4.0) under tshark 4.0, which prints booleans (1, not
#               True) and strings in -T fields its own way; empty otherwise
#   true_value  how this tshark prints a true boolean in -T fields
# and installs the plugin in TMP/.local/lib/wireshark/plugins/ABI/epan/, the
# personal plugin folder of HOME=TMP.  Wireshark ignores personal plugins when
# run as root, so
#
#   as_user CMD...
#
# runs CMD as `nobody` (when we are root) with HOME=TMP: whatever it reads
# under TMP must be made readable (chmod -R a+rX "$tmp").
plugin_env() {
  local build=$1 src=$2
  tmp=$3
  plugin="$build/plugin/ike.so"
  command -v tshark >/dev/null || { echo "SKIP: tshark missing"; exit 77; }
  [ -f "$plugin" ] || { echo "SKIP: $plugin not built (Wireshark not found?)"; exit 77; }
  [ -x "$build/isakmpdump" ] || { echo "SKIP: $build/isakmpdump not built"; exit 77; }
  abi=$(python3 "$src/tests/tshark_version.py" version)
  [ -n "$abi" ] || { echo "SKIP: cannot tell the tshark version"; exit 77; }
  compat=() true_value=True
  if [ "$(python3 "$src/tests/tshark_version.py" compat)" = 4.0 ]; then
    compat=(-E compat=4.0) true_value=1
  fi
  cache_value() { sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt" 2>/dev/null; }
  if [ "$(cache_value ISAKMP_SANITIZE)" = ON ] || [ "$(cache_value ISAKMP_COVERAGE)" = ON ]; then
    local nosan="$build/plugin-nosan" cc btype start=$SECONDS
    cc=$(cache_value CMAKE_C_COMPILER)
    btype=$(cache_value CMAKE_BUILD_TYPE)
    # (one build at a time: ctest -j runs plugin.plugin and pq.plugin-esp together)
    if ! { flock 9 && cmake -S "$src" -B "$nosan" -DISAKMP_SANITIZE=OFF -DISAKMP_COVERAGE=OFF \
             -DISAKMP_FUZZ=OFF -DCMAKE_BUILD_TYPE="${btype:-Debug}" ${cc:+-DCMAKE_C_COMPILER="$cc"} &&
           cmake --build "$nosan" --target ike -j2; } 9>"$build/plugin-nosan.lock" >"$tmp/nosan.log" 2>&1; then
      echo "FAIL: building the plugin without sanitizers in $nosan:"
      tail -20 "$tmp/nosan.log"
      exit 1
    fi
    plugin="$nosan/plugin/ike.so"
    echo "built $plugin without sanitizers ($((SECONDS - start)) s)"
  fi
  mkdir -p "$tmp/.local/lib/wireshark/plugins/$abi/epan"
  cp "$plugin" "$tmp/.local/lib/wireshark/plugins/$abi/epan/"
  chmod -R a+rX "$tmp"    # mktemp made it private; tshark runs as nobody
}

as_user() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u nobody -- env HOME="$tmp" LC_ALL=C "$@"
  else
    env HOME="$tmp" LC_ALL=C "$@"
  fi
}

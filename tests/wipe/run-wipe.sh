#!/usr/bin/env bash
# Wiping the compiler cannot remove (issue 18): a memset of a stack buffer
# that is not read again is a dead store, and gcc -O2 deletes it (it did in
# v2_skeyseed_candidate, v2_child_keys, v1_candidate, verify_v2_psk_auth).
# Every function below wipes a secret, a derived key or a line holding one;
# this compiles their files at -O2 (whatever the build type; -fno-inline so
# that each keeps its own symbol, isra/constprop clones included) and checks
# in objdump's disassembly that each still calls secure_wipe (or
# explicit_bzero).  It fails when someone puts a memset back.
#   run-wipe.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
build=${1:?BUILD_DIR}
src=${2:?SOURCE_DIR}
command -v objdump >/dev/null || { echo "objdump not installed"; exit 77; }
cc=${CC:-cc}
declare -A funcs=(
  [decoder/keying/derive.c]="bytes_free v2_sa_free v2_publish v2_skeyseed_candidate esp_out v2_child_keys v2_create_done"
  [decoder/keying/derive_v1.c]="v1_sa_free v1_candidate v1_publish v1_keymat_out v1_qm_keys"
  [decoder/keying/verify.c]="verify_v2_psk_auth"
  [decoder/crypto/kdf.c]="xcbc_mac kdf_prf kdf_prf_plus kdf_v2_skeyseed kdf_v2_sa_keys kdf_v1_skeyid_sig kdf_v1_skeyid_pke v1_expand_ka kdf_v1_keymat"
  [decoder/keys/export.c]="wipe_array export_add_esp export_text_free"
  [decoder/keys/secrets.c]="fields_free"
  [decoder/keys/entry.c]="secrets_each_line secrets_words_free"
  [decoder/keys/charon_log.c]="bytes_wipe"
  [decoder/keys/unpack.c]="gunzip unxz unzstd wipe"
  [decoder/keys/load.c]="isakmp_ctx_load_keys load_plain"
  [decoder/keys/xfrm.c]="key_free state_add"
  [decoder/keys/pluto.c]="bytes_wipe str_wipe"
  [decoder/keys/tcpdump_esp.c]="add_sa"
  [decoder/esp/esp.c]="state_keys_free"
  [decoder/keying/eap_msk.c]="challenge_response eap_mschapv2_msk nt_hash start_key"
  [decoder/core/secure.c]="secure_free"
)
flags=(-O2 -fno-inline -std=gnu11 -D_GNU_SOURCE -DHAVE_KSBA=1 -I"$src/include" -I"$src/decoder"
       $(pkg-config --cflags glib-2.0 libgcrypt ksba 2>/dev/null))
# the decompressors are compiled in when their libraries are there, as in the build
pkg-config --exists zlib && flags+=(-DHAVE_ZLIB=1)
pkg-config --exists liblzma && flags+=(-DHAVE_LZMA=1)
pkg-config --exists libzstd && flags+=(-DHAVE_ZSTD=1)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# a call in the same object, or the relocation of a call to another one
wipe_call='(call|jmp)[[:space:]].*<(secure_wipe|explicit_bzero)>|R_[A-Z0-9_]+[[:space:]]+(secure_wipe|explicit_bzero|__explicit_bzero_chk)([-+]|$)'
fail=0 checked=0
for file in "${!funcs[@]}"; do
  obj="$tmp/$(basename "$file" .c).o"
  if ! "$cc" "${flags[@]}" -c "$src/$file" -o "$obj" 2>"$tmp/err"; then
    echo "FAIL: $file does not compile at -O2:"; cat "$tmp/err"; fail=1; continue
  fi
  objdump -dr --no-show-raw-insn "$obj" > "$tmp/dis"
  for fn in ${funcs[$file]}; do
    # the bodies of fn and of its clones (fn.isra.0, fn.constprop.0, ...)
    body=$(awk -v fn="$fn" '/^[0-9a-f]+ <.*>:$/ { name = $2; sub(/^</, "", name); sub(/>:$/, "", name);
                                                   keep = (name == fn || index(name, fn ".") == 1); next }
                            keep' "$tmp/dis")
    checked=$((checked + 1))
    if [ -z "$body" ]; then
      echo "FAIL: $file: no function $fn at -O2 (renamed? update tests/wipe/run-wipe.sh)"; fail=1
    elif ! grep -qE "$wipe_call" <<<"$body"; then
      echo "FAIL: $file: $fn no longer calls secure_wipe at -O2 (a memset the compiler removes?)"; fail=1
    fi
  done
done
echo "wipe: $checked functions checked"
[ "$fail" = 0 ] && echo "wipe: every one calls secure_wipe at -O2"
exit "$fail"

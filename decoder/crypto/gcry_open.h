/*
 * Opening keyed libgcrypt cipher handles, shared by crypto.c (per message,
 * through its cache) and keyed.c (once per SA).  Apart from crypto.h so
 * that only the two files that call libgcrypt's cipher API see gcrypt.h.
 */
#ifndef ISAKMP_CRYPTO_GCRY_OPEN_H
#define ISAKMP_CRYPTO_GCRY_OPEN_H

#include <gcrypt.h>

#include "crypto/crypto.h"

/* libgcrypt's mode for a cipher kind (GCRY_CIPHER_MODE_*; 0 for CK_NULL). */
int crypto_cipher_mode(cipher_kind k);

/* A cipher handle opened transient (libgcrypt wipes it on close) with its
 * key set; NULL when libgcrypt refuses either.  The caller closes it. */
gcry_cipher_hd_t crypto_open_cipher(int algo, int mode, const uint8_t *key, size_t key_len);

#endif

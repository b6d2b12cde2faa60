/*
 * Shared by the libFuzzer harnesses: fixed key sets (one per cipher family),
 * stamping their SPIs / cookies into a message, walking a decoded tree so every
 * accessor runs, and splitting an input into length-prefixed records.
 *
 * Each harness defines LLVMFuzzerTestOneInput (and may define
 * LLVMFuzzerInitialize); it is linked either with libFuzzer
 * (-fsanitize=fuzzer, clang) or with replay.c, a plain main() that runs the
 * entry point over files (any compiler).
 */
#ifndef ISAKMP_FUZZ_COMMON_H
#define ISAKMP_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "isakmp/isakmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* One key set: the SPIs (IKEv2) or cookies (IKEv1) its keys belong to. */
typedef struct {
    int version;          /* 1 or 2 */
    int builtin;          /* 1 for the harness's own sets, 0 for the peer suite's */
    uint8_t ispi[8], rspi[8];
    int v1_enc;           /* IKEv1: encryption algorithm attribute (RFC 2409 App. A) */
    int v1_keylen;        /* IKEv1: key length attribute in bits, 0 when none */
    int v1_hash;          /* IKEv1: hash algorithm attribute */
    size_t v1_iv_len;     /* IKEv1: cipher block size */
} fz_keyset;

/* The key sets: the built-in ones, then those of the peer suite's tables when
 * they are found (ISAKMP_FUZZ_KEYDIR, else the shared directory the build
 * knows).  Built once; never freed. */
size_t fz_keyset_count(void);
const fz_keyset *fz_keyset_get(size_t i);

/* The key set whose initiator SPI / cookie the message already carries (so
 * seeds from the peer captures decrypt with their own keys), or NULL. */
const fz_keyset *fz_keyset_for(const uint8_t *msg, size_t len);

/* Loads every key set into ctx (all tables, through isakmp_ctx_load_keys_mem). */
void fz_load_keys(isakmp_ctx *ctx);

/* Writes the key set's SPIs (or cookies) into the first 16 bytes of msg. */
void fz_stamp(const fz_keyset *ks, uint8_t *msg, size_t len);

/* IKEv1 built-in key sets: decodes the Main Mode messages 1-4 that negotiate the key
 * set's cipher and exchange KE payloads (so the IV chain can start), as frames
 * 1..4 through ctx.  Returns the next frame number. */
uint32_t fz_v1_preamble(isakmp_ctx *ctx, const fz_keyset *ks);

/* Decodes one message and walks its tree through every public accessor,
 * formatting every value (so the writers' code paths run too), then frees it. */
void fz_decode_walk(isakmp_ctx *ctx, const uint8_t *data, size_t len, uint32_t frame,
                    uint16_t port, int flags);

/* Oracle for field-directed decoding (isakmp_ctx_set_fields): the messages
 * go through fresh contexts (with the key sets when `keys`), full trees and
 * directed to one field at a time, for three fields chosen from `seed`
 * (mostly fields the full trees have, one any field); the values of each,
 * message by message, must be equal, or the process aborts. */
typedef struct {
    const uint8_t *data;
    size_t len;
    uint16_t port;
    bool tcp;
} fz_msg;
void fz_direction_oracle(const fz_msg *msgs, size_t n, bool keys, uint32_t seed);

/* FNV-1a of the input, to choose things from it. */
uint32_t fz_hash(const uint8_t *p, size_t n);

/* Record splitting: [selector u8][length u16 big-endian][bytes].  Returns
 * false at the end; a short last record takes what is left. */
typedef struct {
    const uint8_t *p;
    size_t left;
} fz_reader;
int fz_next_record(fz_reader *r, uint8_t *sel, const uint8_t **msg, size_t *len);

#endif

/*
 * The structure-aware mutator the fuzzer glue shares (mutator.c): one IKE
 * message in (the UDP payload, as a parser under test gets it), one mutant
 * out, made with the edit API (include/isakmp/edit.h, docs/mutate.md).
 *
 * Configuration from the environment, read once:
 *   ISAKMP_MUTATOR_KEYS   key files as isakmpdump -k takes them, separated
 *                         by ':' (Wireshark tables, secrets files, logs):
 *                         encrypted messages are mutated in plaintext and
 *                         encrypted again, ICVs right
 *   ISAKMP_MUTATOR_BREAK  1: mutations may break one length or chain
 *   ISAKMP_MUTATOR_INNER  1: with keys, only inside the encrypted payloads
 */
#ifndef ISAKMP_MUTATOR_H
#define ISAKMP_MUTATOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct imut imut;

imut *imut_new(uint64_t seed);
void imut_free(imut *m);

/* A mutant of in (n bytes) into out (at most max bytes); donor (may be
 * NULL) gives payloads to splice; splice_only: only splicing (crossover).
 * Returns the mutant's length, 0 when the input gives no structure to
 * mutate (the caller then mutates bytes). */
size_t imut_mutate(imut *m, const uint8_t *in, size_t n, const uint8_t *donor, size_t dn,
                   uint8_t *out, size_t max, bool splice_only);

/* What the mutator did so far: structured mutants made, inputs it could
 * not parse (or change), and mutants made inside encrypted payloads. */
void imut_counts(const imut *m, uint64_t *made, uint64_t *failed, uint64_t *encrypted);

#endif

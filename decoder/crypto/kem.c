/* ML-KEM decapsulation through libgcrypt's gcry_kem (kem.h). */
#include <gcrypt.h>
#include <string.h>

#include "crypto/kem.h"

/* IKEv2 Transform Type 4 IDs (IANA "Key Exchange Method Transform IDs") and
 * FIPS 203's sizes: decapsulation key, ciphertext. */
static const struct {
    uint16_t group;
    int algo;                   /* enum gcry_kem_algos, when libgcrypt has it */
    size_t dk_len, ct_len;
} mlkem[] = {
#ifdef HAVE_GCRY_KEM
    { 35, GCRY_KEM_MLKEM512, 1632, 768 },
    { 36, GCRY_KEM_MLKEM768, 2400, 1088 },
    { 37, GCRY_KEM_MLKEM1024, 3168, 1568 },
#else
    { 35, 0, 1632, 768 },
    { 36, 0, 2400, 1088 },
    { 37, 0, 3168, 1568 },
#endif
};

bool kem_is_mlkem(uint16_t group) { return group >= 35 && group <= 37; }

bool kem_available(void)
{
#ifdef HAVE_GCRY_KEM
    return true;
#else
    return false;
#endif
}

bool kem_dk_has_ek(uint16_t group, const uint8_t *dk, size_t dk_len, const uint8_t *ek, size_t ek_len)
{
    for (size_t i = 0; i < sizeof mlkem / sizeof mlkem[0]; i++) {
        if (mlkem[i].group != group)
            continue;
        size_t pke = (mlkem[i].dk_len - 96) / 2;   /* 384k */
        return dk_len == mlkem[i].dk_len && ek && ek_len == pke + 32 &&
               !memcmp(dk + pke, ek, ek_len);
    }
    return false;
}

bool kem_decap(uint16_t group, const uint8_t *dk, size_t dk_len, const uint8_t *ct, size_t ct_len,
               uint8_t out[KEM_SHARED_LEN])
{
    for (size_t i = 0; i < sizeof mlkem / sizeof mlkem[0]; i++) {
        if (mlkem[i].group != group)
            continue;
        if (!kem_available() || dk_len != mlkem[i].dk_len || ct_len != mlkem[i].ct_len)
            return false;
#ifdef HAVE_GCRY_KEM
        return gcry_kem_decap(mlkem[i].algo, dk, dk_len, ct, ct_len, out, KEM_SHARED_LEN, NULL,
                              0) == 0;
#else
        (void)dk;
        (void)ct;
        (void)out;
        return false;
#endif
    }
    return false;
}

/*
 * ESP (RFC 4303) decryption with the SAs a context knows: the loaded esp_sa
 * lines, `ip xfrm state` output, and every CHILD_SA whose keys were derived
 * (isakmp_ctx_esp_sa_count / isakmp_ctx_esp_sa_get).  Included by
 * isakmp/isakmp.h.
 *
 * The caller hands over the ESP packet as its transport carried it (IP
 * protocol 50, UDP-encapsulated after RFC 3948's port 4500, or one RFC 8229
 * / 9329 TCP record without its length), starting with the SPI.  The SA is
 * found by SPI and destination address (an SA loaded with a wildcard
 * address matches any).  Ciphers: NULL, AES-CBC, AES-CTR, AES-GCM (8, 12,
 * 16 octet ICV), AES-CCM (8, 12, 16), ChaCha20-Poly1305, 3DES, DES,
 * Camellia-CBC and AES-GMAC (RFC 4543, integrity only); integrity: HMAC-MD5-96, HMAC-SHA-1-96, HMAC-SHA-256-128,
 * -384-192, -512-256, AES-XCBC-96, AES-CMAC-96, and Wireshark's "ANY n bits
 * [No Checking]" (the length only).
 *
 * Per SA the context keeps a replay window (64 packets) and the highest
 * sequence number seen, from which the high 32 bits of an extended
 * sequence number (RFC 4303 Appendix A) are inferred.  Whether an SA uses
 * ESN is not in esp_sa: the ICV is tried without first, then with, and the
 * answer kept for the SA.  Decrypting the same frame twice counts it once.
 */
#ifndef ISAKMP_ESP_H
#define ISAKMP_ESP_H

#include "isakmp/isakmp.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What became of one ESP packet. */
typedef enum {
    ISAKMP_ESP_OK = 0,        /* ICV verified (when the SA has one), decrypted, trailer sound */
    ISAKMP_ESP_NO_KEY,        /* no SA for this SPI and destination */
    ISAKMP_ESP_ICV_FAILED,    /* the ICV (or AEAD tag) does not match: wrong key, or damage */
    ISAKMP_ESP_BAD_TRAILER,   /* decrypted, no ICV to check, but the padding or next header
                                 is wrong: most likely a wrong key or cipher */
    ISAKMP_ESP_MALFORMED,     /* too short for the SA's IV and ICV, or not whole blocks */
    ISAKMP_ESP_UNSUPPORTED    /* the SA names an algorithm this library does not do */
} isakmp_esp_verdict;

/* The result of isakmp_ctx_esp_decrypt.  Strings are static or owned by the
 * context (valid until it is freed or keys are added). */
typedef struct {
    isakmp_esp_verdict verdict;
    uint32_t spi, seq;          /* from the header */
    uint64_t seq64;             /* with the inferred ESN high bits (esn), else seq */
    bool esn;                   /* the ICV verified with extended sequence numbers */
    bool replay;                /* this sequence number was seen before on the SA */
    bool old;                   /* older than the replay window (64 packets) */
    bool integrity;             /* an ICV or AEAD tag was checked */
    bool tunnel;                /* next header 4 (IPv4) or 41 (IPv6): inner is a whole packet */
    bool dummy;                 /* next header 59: a dummy packet (RFC 4303 2.6) */
    size_t sa;                  /* the SA's index for isakmp_ctx_esp_sa_get (valid unless NO_KEY) */
    const char *encr_alg, *integ_alg;   /* the SA's algorithms as esp_sa names them */
    size_t iv_len, icv_len;
    uint8_t pad_len, next_header;       /* the ESP trailer (verdict OK or BAD_TRAILER) */
    const uint8_t *inner;       /* the payload data after the IV without padding and
                                   trailer: an IP packet in tunnel mode, the transport
                                   header and data in transport mode; points into out */
    size_t inner_len;
} isakmp_esp_result;

/* Decrypts the ESP packet pkt->data (pkt->len bytes from the SPI; the
 * addresses, frame number and time of pkt are used too) into out, which
 * must hold pkt->len bytes.  Fills *res and returns its verdict.  The ICV
 * is checked before anything is decrypted; a packet that fails it is not
 * decrypted (inner NULL).  Counted in the SA's statistics unless the frame
 * was decrypted before. */
ISAKMP_API isakmp_esp_verdict isakmp_ctx_esp_decrypt(isakmp_ctx *ctx, const isakmp_packet *pkt,
                                                     uint8_t *out, size_t outsize,
                                                     isakmp_esp_result *res);

/* The name of a verdict: "ok", "no key", "ICV failed", "bad trailer",
 * "malformed", "unsupported". */
ISAKMP_API const char *isakmp_esp_verdict_name(isakmp_esp_verdict v);

/* Traffic seen on one ESP SA (one direction) so far. */
typedef struct {
    uint64_t packets, bytes;    /* packets decrypted (verdict OK), their inner bytes */
    uint64_t icv_failed, bad_trailer, replays, old;
    int64_t first_sec, last_sec;        /* times of the first and last packet with any verdict */
    int32_t first_usec, last_usec;      /* but NO_KEY; 0 when none */
    uint32_t first_frame, last_frame;
    uint64_t highest_seq;       /* with ESN high bits */
    bool esn;                   /* the SA turned out to use extended sequence numbers */
} isakmp_esp_sa_stats;

/* The statistics of SA i (as isakmp_ctx_esp_sa_get numbers them); false
 * when i is out of range.  An SA no packet reached has all zeros. */
ISAKMP_API bool isakmp_ctx_esp_sa_stats(isakmp_ctx *ctx, size_t i, isakmp_esp_sa_stats *out);

#ifdef __cplusplus
}
#endif

#endif

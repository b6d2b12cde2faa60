/*
 * libgcrypt wrappers: initialisation, secure memory, the IKEv2 cipher kinds
 * (RFC 3602, 5930/3686, 5282/4106/4309, 7634), HMAC (RFC 2104),
 * AES-XCBC-MAC-96 (RFC 3566) and AES-CMAC (RFC 4493/4494).
 */
#include <pthread.h>
#include <gcrypt.h>
#include <glib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "crypto/gcry_open.h"

static void crypto_setup(void)
{
    /* The Wireshark plugin's host may have set libgcrypt up already. */
    if (!gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P)) {
        gcry_check_version(NULL);
        gcry_control(GCRYCTL_DISABLE_SECMEM_WARN);
        /* a fixed pool: libgcrypt's secure allocator is a first-fit scan, so
         * a pool that grew with thousands of SAs would make every allocation
         * slow; what does not fit goes to ordinary memory, wiped on free */
        gcry_control(GCRYCTL_INIT_SECMEM, 65536, 0);
        gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
    }
}

void crypto_init(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, crypto_setup);
}

void *crypto_secure_alloc(size_t n)
{
    crypto_init();
    return secure_alloc(n);
}

void crypto_secure_free(void *p, size_t n) { secure_free(p, n); }
bool crypto_secure_available(void) { return secure_available(); }

/* ---------------------------------------------------------------- handle cache */

/* libgcrypt's open + setkey (the key schedule; for HMAC the padded inner
 * and outer keys) cost more than decrypting or MACing a short IKE message,
 * and an SA's messages come together (an exchange, its retransmissions, the
 * SA's partition of a batch with --threads).  So each thread keeps its last
 * few handles with their keys set and reuses one when the algorithm, the
 * mode and the key bytes are the same: no key schedule per message.  The
 * copies of the keys are in secure memory and wiped; crypto_cache_flush
 * closes the handles (isakmp_ctx_free), and a thread's are closed when it
 * ends.  A miss takes the next slot round robin; when that slot holds a
 * handle of the same algorithm and mode, it is given the new key in place
 * (a capture of many SAs misses on every SA's first messages: an open and
 * a close each time were a dozen allocations). */
#define HC_SLOTS 8
#define HC_KEY_MAX 64

typedef struct {
    bool used, md;             /* md: a gcry_md_hd_t (HMAC), else a gcry_cipher_hd_t */
    int algo, mode;
    size_t klen;
    uint8_t *key;              /* HC_KEY_MAX bytes of secure memory */
    void *h;
} hc_slot;

typedef struct {
    hc_slot s[HC_SLOTS];
    unsigned next;             /* the slot a miss replaces (round robin) */
} hcache;

static pthread_key_t hc_key;
static pthread_once_t hc_once = PTHREAD_ONCE_INIT;

static void hc_close(hc_slot *e)
{
    if (!e->used)
        return;
    if (e->md)
        gcry_md_close(e->h);
    else
        gcry_cipher_close(e->h);
    secure_free(e->key, HC_KEY_MAX);
    *e = (hc_slot){ 0 };
}

static void hc_destroy(void *p)
{
    hcache *c = p;
    for (unsigned i = 0; i < HC_SLOTS; i++)
        hc_close(&c->s[i]);
    g_free(c);
}

static void hc_setup(void) { pthread_key_create(&hc_key, hc_destroy); }

static hcache *hc_get(void)
{
    pthread_once(&hc_once, hc_setup);
    hcache *c = pthread_getspecific(hc_key);
    if (!c) {
        c = g_new0(hcache, 1);
        pthread_setspecific(hc_key, c);
    }
    return c;
}

void crypto_cache_flush(void)
{
    pthread_once(&hc_once, hc_setup);
    hcache *c = pthread_getspecific(hc_key);
    if (c) {
        pthread_setspecific(hc_key, NULL);
        hc_destroy(c);
    }
}

/* The cached handle for (md, algo, mode, key), or NULL. */
static void *hc_find(hcache *c, bool md, int algo, int mode, const uint8_t *key, size_t klen)
{
    for (unsigned i = 0; i < HC_SLOTS; i++) {
        hc_slot *e = &c->s[i];
        if (e->used && e->md == md && e->algo == algo && e->mode == mode && e->klen == klen &&
            memcmp(e->key, key, klen) == 0)
            return e->h;
    }
    return NULL;
}

/* On a miss: the slot next in turn, rekeyed in place with `key` when it
 * holds a handle of the same kind, which it returns (reset); else NULL. */
static void *hc_rekey(hcache *c, bool md, int algo, int mode, const uint8_t *key, size_t klen)
{
    hc_slot *e = &c->s[c->next];
    if (!e->used || e->md != md || e->algo != algo || e->mode != mode || klen > HC_KEY_MAX)
        return NULL;
    gcry_error_t err = md ? gcry_md_setkey(e->h, key, klen) : gcry_cipher_setkey(e->h, key, klen);
    if (err) {   /* (the key was taken when the handle was opened: not expected) */
        hc_close(e);
        return NULL;
    }
    if (md)
        gcry_md_reset(e->h);
    else
        gcry_cipher_reset(e->h);
    secure_wipe(e->key, HC_KEY_MAX);
    memcpy(e->key, key, klen);
    e->klen = klen;
    c->next = (c->next + 1) % HC_SLOTS;
    return e->h;
}

/* Keeps h (its key set) for reuse; a key too long to keep: h is closed later
 * by the caller (returns false). */
static bool hc_keep(hcache *c, bool md, int algo, int mode, const uint8_t *key, size_t klen,
                    void *h)
{
    if (klen > HC_KEY_MAX)
        return false;
    uint8_t *copy = secure_alloc(HC_KEY_MAX);
    if (!copy)
        return false;
    hc_slot *e = &c->s[c->next];
    c->next = (c->next + 1) % HC_SLOTS;
    hc_close(e);
    memcpy(copy, key, klen);
    *e = (hc_slot){ .used = true, .md = md, .algo = algo, .mode = mode, .klen = klen,
                    .key = copy, .h = h };
    return true;
}

/* ---------------------------------------------------------------- ciphers */

gcry_cipher_hd_t crypto_open_cipher(int algo, int mode, const uint8_t *key, size_t key_len)
{
    gcry_cipher_hd_t h;
    crypto_init();
    if (gcry_cipher_open(&h, algo, mode, 0 /* transient: libgcrypt wipes it on close */))
        return NULL;
    if (gcry_cipher_setkey(h, key, key_len)) {
        gcry_cipher_close(h);
        return NULL;
    }
    return h;
}

/* A handle for (algo, mode, key) from the thread's cache, reset (its key
 * kept), or opened and kept; *own: the caller closes it (not kept). */
static gcry_cipher_hd_t cached_cipher(int algo, int mode, const uint8_t *key, size_t key_len,
                                      bool *own)
{
    hcache *c = hc_get();
    gcry_cipher_hd_t h = hc_find(c, false, algo, mode, key, key_len);
    *own = false;
    if (h) {
        gcry_cipher_reset(h);
        return h;
    }
    if ((h = hc_rekey(c, false, algo, mode, key, key_len)) != NULL)
        return h;
    h = crypto_open_cipher(algo, mode, key, key_len);
    if (h && !hc_keep(c, false, algo, mode, key, key_len, h))
        *own = true;
    return h;
}

static void done_cipher(gcry_cipher_hd_t h, bool own)
{
    if (own)
        gcry_cipher_close(h);
}

bool crypto_block_decrypt(int gcry_algo, int mode, const uint8_t *key, size_t key_len,
                          const uint8_t *iv, const uint8_t *in, size_t len, uint8_t *out)
{
    size_t blk = gcry_cipher_get_algo_blklen(gcry_algo);
    if (!blk || len % blk)
        return false;
    bool own;
    gcry_cipher_hd_t h = cached_cipher(gcry_algo, mode, key, key_len, &own);
    if (!h)
        return false;
    bool ok = (!iv || !gcry_cipher_setiv(h, iv, blk)) &&
              !gcry_cipher_decrypt(h, out, len, in, len);
    done_cipher(h, own);
    return ok;
}

/* RFC 3686 4: nonce (the key's last 4 bytes) | IV | block counter from 1. */
static bool ctr_decrypt(const cipher_alg *a, const uint8_t *key, const uint8_t *iv,
                        const uint8_t *in, size_t len, uint8_t *out)
{
    uint8_t ctr[16] = { 0 };
    memcpy(ctr, key + a->key_len, 4);
    memcpy(ctr + 4, iv, 8);
    ctr[15] = 1;
    bool own;
    gcry_cipher_hd_t h = cached_cipher(a->gcry_algo, GCRY_CIPHER_MODE_CTR, key, a->key_len, &own);
    if (!h)
        return false;
    bool ok = !gcry_cipher_setctr(h, ctr, 16) && !gcry_cipher_decrypt(h, out, len, in, len);
    done_cipher(h, own);
    return ok;
}

int crypto_cipher_mode(cipher_kind k)
{
    switch (k) {
    case CK_CBC: return GCRY_CIPHER_MODE_CBC;
    case CK_CTR: return GCRY_CIPHER_MODE_CTR;
    case CK_GCM: case CK_GMAC: return GCRY_CIPHER_MODE_GCM;
    case CK_CCM: return GCRY_CIPHER_MODE_CCM;
    case CK_CHACHA: return GCRY_CIPHER_MODE_POLY1305;
    default: return 0;
    }
}

/* RFC 5282 4 / RFC 7634 2: nonce = salt | IV; AAD authenticated first. */
static bool aead_decrypt(const cipher_alg *a, const uint8_t *key, const uint8_t *iv,
                         const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len,
                         uint8_t *out, const uint8_t *tag, bool *tag_ok)
{
    uint8_t nonce[16];
    size_t nlen = a->salt_len + a->iv_len;
    memcpy(nonce, key + a->key_len, a->salt_len);
    memcpy(nonce + a->salt_len, iv, a->iv_len);
    bool own;
    gcry_cipher_hd_t h = cached_cipher(a->gcry_algo, crypto_cipher_mode(a->kind), key, a->key_len, &own);
    if (!h)
        return false;
    bool ok = !gcry_cipher_setiv(h, nonce, nlen);
    if (ok && a->kind == CK_CCM) {
        uint64_t params[3] = { len, aad_len, a->icv_len };
        ok = !gcry_cipher_ctl(h, GCRYCTL_SET_CCM_LENGTHS, params, sizeof params);
    }
    ok = ok && !gcry_cipher_authenticate(h, aad, aad_len);
    ok = ok && !gcry_cipher_decrypt(h, out, len, in, len);
    if (ok)
        *tag_ok = gcry_cipher_checktag(h, tag, a->icv_len) == 0;
    done_cipher(h, own);
    return ok;
}

bool crypto_decrypt(const cipher_alg *a, const uint8_t *key, const uint8_t *iv,
                    const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len,
                    uint8_t *out, const uint8_t *tag, bool *tag_ok)
{
    *tag_ok = false;
    switch (a->kind) {
    case CK_NULL:
        memmove(out, in, len);
        return true;
    case CK_CBC:
        return crypto_block_decrypt(a->gcry_algo, GCRY_CIPHER_MODE_CBC, key, a->key_len, iv, in,
                                    len, out);
    case CK_CTR:
        return ctr_decrypt(a, key, iv, in, len, out);
    case CK_GMAC:
        return false;   /* ESP only (RFC 4543): crypto_keyed_gmac */
    default:
        return aead_decrypt(a, key, iv, aad, aad_len, in, len, out, tag, tag_ok);
    }
}

/* The reverse of crypto_decrypt, for the edit API (keying/edit_crypt.c):
 * encrypts `len` bytes (in may equal out); AEAD kinds authenticate aad and
 * write the icv_len-byte tag into tag.  False when the inputs do not fit. */
static bool ctr_encrypt(const cipher_alg *a, const uint8_t *key, const uint8_t *iv,
                        const uint8_t *in, size_t len, uint8_t *out)
{
    return ctr_decrypt(a, key, iv, in, len, out);   /* CTR is its own inverse */
}

static bool aead_encrypt(const cipher_alg *a, const uint8_t *key, const uint8_t *iv,
                         const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len,
                         uint8_t *out, uint8_t *tag)
{
    uint8_t nonce[16];
    size_t nlen = a->salt_len + a->iv_len;
    memcpy(nonce, key + a->key_len, a->salt_len);
    memcpy(nonce + a->salt_len, iv, a->iv_len);
    gcry_cipher_hd_t h = crypto_open_cipher(a->gcry_algo, crypto_cipher_mode(a->kind), key, a->key_len);
    if (!h)
        return false;
    bool ok = !gcry_cipher_setiv(h, nonce, nlen);
    if (ok && a->kind == CK_CCM) {
        uint64_t params[3] = { len, aad_len, a->icv_len };
        ok = !gcry_cipher_ctl(h, GCRYCTL_SET_CCM_LENGTHS, params, sizeof params);
    }
    ok = ok && !gcry_cipher_authenticate(h, aad, aad_len);
    ok = ok && !gcry_cipher_encrypt(h, out, len, in, len);
    ok = ok && !gcry_cipher_gettag(h, tag, a->icv_len);
    gcry_cipher_close(h);
    return ok;
}

bool crypto_block_encrypt(int gcry_algo, int mode, const uint8_t *key, size_t key_len,
                          const uint8_t *iv, const uint8_t *in, size_t len, uint8_t *out)
{
    size_t blk = gcry_cipher_get_algo_blklen(gcry_algo);
    if (!blk || len % blk)
        return false;
    gcry_cipher_hd_t h = crypto_open_cipher(gcry_algo, mode, key, key_len);
    if (!h)
        return false;
    bool ok = (!iv || !gcry_cipher_setiv(h, iv, blk)) &&
              !gcry_cipher_encrypt(h, out, len, in, len);
    gcry_cipher_close(h);
    return ok;
}

bool crypto_encrypt(const cipher_alg *a, const uint8_t *key, const uint8_t *iv,
                    const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len,
                    uint8_t *out, uint8_t *tag)
{
    switch (a->kind) {
    case CK_NULL:
        memmove(out, in, len);
        return true;
    case CK_CBC:
        return crypto_block_encrypt(a->gcry_algo, GCRY_CIPHER_MODE_CBC, key, a->key_len, iv, in,
                                    len, out);
    case CK_CTR:
        return ctr_encrypt(a, key, iv, in, len, out);
    case CK_GMAC:
        return false;   /* ESP only */
    default:
        return aead_encrypt(a, key, iv, aad, aad_len, in, len, out, tag);
    }
}

/* ---------------------------------------------------------------- integrity */

bool crypto_hmac(int gcry_md, const uint8_t *key, size_t key_len, const uint8_t *data,
                 size_t len, uint8_t *out, size_t out_len)
{
    gcry_md_hd_t h;
    crypto_init();
    size_t dlen = gcry_md_get_algo_dlen(gcry_md);
    if (!dlen || out_len > dlen)
        return false;
    hcache *c = hc_get();
    bool own = false;
    if ((h = hc_find(c, true, gcry_md, 0, key, key_len)) != NULL) {
        gcry_md_reset(h);   /* back to the keyed state */
    } else if ((h = hc_rekey(c, true, gcry_md, 0, key, key_len)) != NULL) {
        /* the slot's handle, keyed anew */
    } else {
        if (gcry_md_open(&h, gcry_md, GCRY_MD_FLAG_HMAC /* transient: wiped on close */))
            return false;
        if (gcry_md_setkey(h, key, key_len)) {
            gcry_md_close(h);
            return false;
        }
        own = !hc_keep(c, true, gcry_md, 0, key, key_len, h);
    }
    gcry_md_write(h, data, len);
    memcpy(out, gcry_md_read(h, gcry_md), out_len);
    if (own)
        gcry_md_close(h);
    return true;
}

static void xor16(uint8_t *a, const uint8_t *b)
{
    for (int i = 0; i < 16; i++)
        a[i] ^= b[i];
}

/* RFC 3566 4: K1..K3 from the key, CBC-MAC under K1, last block with K2/K3. */
bool crypto_aes_xcbc(const uint8_t key[16], const uint8_t *data, size_t len, uint8_t out[16])
{
    uint8_t k[3][16], e[16] = { 0 }, last[16] = { 0 };
    gcry_cipher_hd_t h = crypto_open_cipher(GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_ECB, key, 16);
    if (!h)
        return false;
    for (int i = 0; i < 3; i++) {
        memset(k[i], i + 1, 16);
        gcry_cipher_encrypt(h, k[i], 16, NULL, 0);
    }
    gcry_cipher_setkey(h, k[0], 16);
    size_t full = len ? (len - 1) / 16 : 0;   /* blocks before the last one */
    for (size_t b = 0; b < full; b++) {
        xor16(e, data + 16 * b);
        gcry_cipher_encrypt(h, e, 16, NULL, 0);
    }
    size_t rest = len - 16 * full;
    memcpy(last, data + 16 * full, rest);
    if (rest < 16)
        last[rest] = 0x80;
    xor16(last, rest == 16 ? k[1] : k[2]);
    xor16(e, last);
    bool ok = !gcry_cipher_encrypt(h, e, 16, NULL, 0);
    memcpy(out, e, 16);
    secure_wipe(k, sizeof k);
    gcry_cipher_close(h);
    return ok;
}

bool crypto_aes_cmac(const uint8_t *key, size_t key_len, const uint8_t *data, size_t len,
                     uint8_t out[16])
{
    gcry_mac_hd_t h;
    crypto_init();
    if (gcry_mac_open(&h, GCRY_MAC_CMAC_AES, 0 /* transient: wiped on close */, NULL))
        return false;
    size_t olen = 16;
    bool ok = !gcry_mac_setkey(h, key, key_len) && !gcry_mac_write(h, data, len) &&
              !gcry_mac_read(h, out, &olen);
    gcry_mac_close(h);
    return ok;
}

bool crypto_integ(const integ_alg *a, const uint8_t *key, size_t key_len, const uint8_t *data,
                  size_t len, uint8_t *out)
{
    uint8_t full[16];
    switch (a->kind) {
    case IK_HMAC:
        return crypto_hmac(a->gcry_md, key, key_len, data, len, out, a->icv_len);
    case IK_XCBC:
        if (key_len != 16 || !crypto_aes_xcbc(key, data, len, full))
            return false;
        break;
    case IK_CMAC:
        if (!crypto_aes_cmac(key, key_len, data, len, full))
            return false;
        break;
    default:
        return false;
    }
    memcpy(out, full, a->icv_len);
    return true;
}

bool crypto_hash2(int gcry_md, const uint8_t *a, size_t alen, const uint8_t *b, size_t blen,
                  uint8_t *out, size_t out_max, size_t *out_len)
{
    gcry_md_hd_t h;
    crypto_init();
    size_t dlen = gcry_md_get_algo_dlen(gcry_md);
    if (!dlen || dlen > out_max || gcry_md_open(&h, gcry_md, 0))
        return false;
    gcry_md_write(h, a, alen);
    if (b)
        gcry_md_write(h, b, blen);
    memcpy(out, gcry_md_read(h, gcry_md), dlen);
    *out_len = dlen;
    gcry_md_close(h);
    return true;
}

/*
 * EAP keys: which methods make an MSK (RFC 3748 7.10) and EAP-MSCHAPv2's
 * MSK from the password (RFC 2759 8, RFC 3079 3).
 */
#include <gcrypt.h>
#include <glib.h>
#include <string.h>

#include "crypto/kdf.h"
#include "core/secure.h"
#include "keying/eap_msk.h"

bool eap_method_makes_msk(uint8_t type)
{
    switch (type) {   /* RFC 3748 5: the methods without keys */
    case 0: case 1: case 2: case 3:   /* none seen, Identity, Notification, Legacy Nak */
    case 4: case 5: case 6:           /* MD5-Challenge, OTP, GTC */
        return false;
    default:
        return true;
    }
}

/* ---------------------------------------------------------------- packets */

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

/* EAP type 26 data: OpCode | MS-CHAPv2-ID | MS-Length | Value-Size | Value | Name. */
void eap_mschapv2_learn(eap_mschapv2 *x, const uint8_t *pkt, size_t n)
{
    if (!pkt || n < 10 || pkt[4] != 26)
        return;
    size_t len = be16(pkt + 2);
    if (len < 10 || len > n)
        return;
    const uint8_t *d = pkt + 5;          /* after code, id, length, type */
    size_t dn = len - 5, ms = be16(d + 2);
    if (ms < 5 || ms > dn)
        return;
    uint8_t op = d[0], vsize = d[4];
    const uint8_t *v = d + 5;
    if ((size_t)5 + vsize > ms)
        return;
    if (op == 1 && pkt[0] == 1 && vsize == 16) {          /* Challenge (in a Request) */
        memcpy(x->auth_challenge, v, 16);
        x->have_challenge = true;
        x->have_response = false;
    } else if (op == 2 && pkt[0] == 2 && vsize == 49) {   /* Response */
        memcpy(x->peer_challenge, v, 16);
        memcpy(x->nt_response, v + 24, 24);   /* after 8 reserved octets */
        size_t nl = ms - 5 - vsize;
        if (nl >= sizeof x->name)
            nl = sizeof x->name - 1;
        memcpy(x->name, v + vsize, nl);
        x->name[nl] = 0;
        x->have_response = true;
    }
}

/* ---------------------------------------------------------------- RFC 2759 */

/* NtPasswordHash: MD4 of the password in UTF-16LE (RFC 2759 8.3). */
static bool nt_hash(const char *pw, size_t plen, uint8_t out[16])
{
    glong n = 0;
    gunichar2 *u = g_utf8_to_utf16(pw, (glong)plen, NULL, &n, NULL);
    if (!u || gcry_md_test_algo(GCRY_MD_MD4)) {
        g_free(u);
        return false;
    }
    uint8_t *le = g_malloc((gsize)n * 2 + 1);
    for (glong i = 0; i < n; i++) {
        le[2 * i] = (uint8_t)(u[i] & 0xff);
        le[2 * i + 1] = (uint8_t)(u[i] >> 8);
    }
    gcry_md_hash_buffer(GCRY_MD_MD4, out, le, (size_t)n * 2);
    secure_wipe(le, (size_t)n * 2);
    secure_wipe(u, (size_t)n * 2);
    g_free(le);
    g_free(u);
    return true;
}

/* 7 key octets spread over 8 DES key octets (parity bits left 0: unused). */
static void des_key(const uint8_t in[7], uint8_t k[8])
{
    k[0] = in[0] & 0xfe;
    for (int i = 1; i < 7; i++)
        k[i] = (uint8_t)(in[i - 1] << (8 - i) | in[i] >> i);
    k[7] = (uint8_t)(in[6] << 1);
}

/* ChallengeResponse (RFC 2759 8.5): the 8-octet challenge under three DES
 * keys from the password hash padded to 21 octets. */
static bool challenge_response(const uint8_t ch[8], const uint8_t hash[16], uint8_t out[24])
{
    uint8_t z[21] = { 0 }, k[8];
    memcpy(z, hash, 16);
    bool ok = true;
    for (int i = 0; i < 3 && ok; i++) {
        gcry_cipher_hd_t h;
        des_key(z + 7 * i, k);
        ok = !gcry_cipher_open(&h, GCRY_CIPHER_DES, GCRY_CIPHER_MODE_ECB, 0);
        if (!ok)
            break;
        gcry_error_t e = gcry_cipher_setkey(h, k, 8);   /* a weak key is still set */
        ok = (!e || gcry_err_code(e) == GPG_ERR_WEAK_KEY) &&
             !gcry_cipher_encrypt(h, out + 8 * i, 8, ch, 8);
        gcry_cipher_close(h);
    }
    secure_wipe(z, sizeof z);
    secure_wipe(k, sizeof k);
    return ok;
}

bool eap_mschapv2_nt_response(const eap_mschapv2 *x, const char *password, size_t plen,
                              uint8_t out[24])
{
    uint8_t h[16], ch[20];
    if (!x->have_challenge || !x->have_response)
        return false;
    kdf_crypto_init();
    /* ChallengeHash (8.2): SHA-1(PeerChallenge | AuthenticatorChallenge | UserName)[0..7] */
    gcry_md_hd_t md;
    if (gcry_md_open(&md, GCRY_MD_SHA1, 0))
        return false;
    gcry_md_write(md, x->peer_challenge, 16);
    gcry_md_write(md, x->auth_challenge, 16);
    const char *user = strrchr(x->name, '\\');   /* "DOMAIN\user": the user part only */
    user = user ? user + 1 : x->name;
    gcry_md_write(md, user, strlen(user));
    memcpy(ch, gcry_md_read(md, GCRY_MD_SHA1), 20);
    gcry_md_close(md);
    bool ok = nt_hash(password, plen, h) && challenge_response(ch, h, out);
    secure_wipe(h, sizeof h);
    return ok;
}

/* ---------------------------------------------------------------- RFC 3079 */

static const char magic1[] = "This is the MPPE Master Key";
static const char magic2[] =
    "On the client side, this is the send key; on the server side, it is the receive key.";
static const char magic3[] =
    "On the client side, this is the receive key; on the server side, it is the send key.";

/* GetAsymmetricStartKey (3.4) for a 16-octet key: SHA-1(MasterKey |
 * SHSpad1 | magic | SHSpad2)[0..15]. */
static void start_key(const uint8_t master[16], const char *magic, uint8_t out[16])
{
    uint8_t pad1[40], pad2[40], d[20];
    memset(pad1, 0, sizeof pad1);
    memset(pad2, 0xf2, sizeof pad2);
    gcry_md_hd_t md;
    if (gcry_md_open(&md, GCRY_MD_SHA1, 0))
        return;
    gcry_md_write(md, master, 16);
    gcry_md_write(md, pad1, sizeof pad1);
    gcry_md_write(md, magic, strlen(magic));
    gcry_md_write(md, pad2, sizeof pad2);
    memcpy(d, gcry_md_read(md, GCRY_MD_SHA1), 20);
    gcry_md_close(md);
    memcpy(out, d, 16);
    secure_wipe(d, sizeof d);
}

bool eap_mschapv2_msk(const eap_mschapv2 *x, const char *password, size_t plen,
                      uint8_t msk[EAP_MSCHAPV2_MSK_LEN])
{
    uint8_t h[16], hh[16], master[20];
    if (!x->have_response)
        return false;
    kdf_crypto_init();
    if (!nt_hash(password, plen, h))
        return false;
    gcry_md_hash_buffer(GCRY_MD_MD4, hh, h, 16);   /* PasswordHashHash */
    /* GetMasterKey (3.4): SHA-1(PasswordHashHash | NT-Response | Magic1)[0..15] */
    gcry_md_hd_t md;
    bool ok = !gcry_md_open(&md, GCRY_MD_SHA1, 0);
    if (ok) {
        gcry_md_write(md, hh, 16);
        gcry_md_write(md, x->nt_response, 24);
        gcry_md_write(md, magic1, strlen(magic1));
        memcpy(master, gcry_md_read(md, GCRY_MD_SHA1), 20);
        gcry_md_close(md);
        secure_wipe(msk, EAP_MSCHAPV2_MSK_LEN);
        start_key(master, magic2, msk);         /* MasterReceiveKey (authenticator's) */
        start_key(master, magic3, msk + 16);    /* MasterSendKey */
    }
    secure_wipe(h, sizeof h);
    secure_wipe(hh, sizeof hh);
    secure_wipe(master, sizeof master);
    return ok;
}

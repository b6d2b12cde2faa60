/*
 * IKEv1 key derivation driven by the decoder (RFC 2409 5, 5.5, Appendix B):
 * Phase 1 SKEYID and SKEYID_d/a/e and Ka from loaded secrets, HASH_I /
 * HASH_R, Quick Mode HASH(1..3), Informational / Mode Config HASH(1), and
 * each Quick Mode SA's KEYMAT (with and without PFS) for export.
 */
#include <gcrypt.h>
#include <string.h>

#include "derive_int.h"
#include "dh.h"
#include "export.h"
#include "verify.h"

static void v1_qm_free(gpointer p)
{
    v1_qm *q = p;
    bytes_free(q->ni);
    bytes_free(q->nr);
    bytes_free(q->kei);
    bytes_free(q->ker);
    g_free(q);
}

void v1_sa_free(gpointer p)
{
    v1_sa *sa = p;
    GByteArray *all[] = { sa->sai_b, sa->ni, sa->nr, sa->kei, sa->ker, sa->idi, sa->idr, sa->hash_r };
    for (size_t i = 0; i < G_N_ELEMENTS(all); i++)
        bytes_free(all[i]);
    g_hash_table_destroy(sa->qm);
    memset(&sa->k, 0, sizeof sa->k);
    g_free(sa);
}

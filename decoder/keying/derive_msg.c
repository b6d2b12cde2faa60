/*
 * After each message: what it said goes to the derivation of its IKE
 * version (derive.c for IKEv2, derive_v1.c for IKEv1).  Apart from both, so
 * that neither half of derivation calls the other back.
 */
#include "core/ike_types.h"
#include "keying/derive.h"
#include "keying/derive_int.h"

void kdf_msg_done(dec_t *d)
{
    if (d->depth)
        return;
    /* Without loaded secrets only Aggressive Mode is followed (for psk-crack). */
    bool secrets = d->ctx->kdf && d->ctx->kdf->secrets->len > 0;
    if (!secrets && !(d->version == 1 && d->exch == V1_EXCH_AGGRESSIVE))
        return;
    if (dec_stateless(d))
        return;   /* what is learnt is kept in the SA */
    if (d->version == 2)
        v2_done(d);
    else if (d->version == 1)
        v1_done(d);
}

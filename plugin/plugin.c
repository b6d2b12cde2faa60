/*
 * The Wireshark plugin entry points: the symbols Wireshark looks for in an
 * epan plugin (four in 4.0, plus plugin_describe from 4.2), and the protocol
 * "IKE" (filter prefix "ike") whose fields, trees and notes all come from
 * libisakmp.
 */
#include <wireshark.h>

#include "ike.h"

#ifndef IKE_PLUGIN_VERSION
#define IKE_PLUGIN_VERSION ISAKMP_VERSION_STRING
#endif

/* Wireshark loads a plugin only when these match the running version. */
WS_DLL_PUBLIC_DEF const gchar plugin_version[] = IKE_PLUGIN_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);

/* A dissector, for `tshark -G plugins` (Wireshark 4.2+; compat.h). */
IKE_PLUGIN_DESCRIBE(WS_PLUGIN_DESC_DISSECTOR)

int proto_ike = -1;

static void proto_register_ike(void)
{
    /* The full name must differ from the built-in ISAKMP dissector's: both
     * are registered at once and Wireshark refuses duplicates. */
    proto_ike = proto_register_protocol("Internet Key Exchange (libisakmp)", "IKE", "ike");
    ike_fields_register(proto_ike);
    ike_transport_register(proto_ike);
    ike_prefs_register(proto_ike);
    ike_coexist_register(proto_ike);
}

static void proto_reg_handoff_ike(void)
{
    ike_transport_handoff();
    ike_coexist_handoff();
}

void plugin_register(void)
{
    static const proto_plugin plug = {
        .register_protoinfo = proto_register_ike,
        .register_handoff = proto_reg_handoff_ike,
    };
    proto_register_plugin(&plug);
}

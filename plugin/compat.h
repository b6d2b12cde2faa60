/*
 * Every difference between the Wireshark versions the plugin builds against
 * (4.0 on Debian 12, 4.4 on Debian 13, 4.6 compile-checked by
 * tests/plugin/run-ws-next.sh), keyed on ws_version.h, so the rest of the
 * plugin has no version tests.  4.2 (in no Debian release) is assumed to
 * behave as 4.0 where 4.4 changed things.
 */
#ifndef IKE_PLUGIN_COMPAT_H
#define IKE_PLUGIN_COMPAT_H

#include <ws_version.h>

#define IKE_WS_AT_LEAST(major, minor)                                                      \
    (WIRESHARK_VERSION_MAJOR > (major) ||                                                  \
     (WIRESHARK_VERSION_MAJOR == (major) && WIRESHARK_VERSION_MINOR >= (minor)))

/* The types the UAT buffer macros (UAT_BUFFER_CB_DEF) store, and the type of
 * a boolean preference's variable: 4.4 moved both off the old char / glib
 * types. */
#if IKE_WS_AT_LEAST(4, 4)
typedef unsigned char ike_uat_byte;
typedef bool ike_pref_bool;
#else
typedef char ike_uat_byte;
typedef gboolean ike_pref_bool;
#endif

/* 4.4 deprecates tvb_get_guint8 (warnings are errors here); 4.0 has only it. */
#if IKE_WS_AT_LEAST(4, 4)
#define ike_tvb_get_u8 tvb_get_uint8
#else
#define ike_tvb_get_u8 tvb_get_guint8
#endif

/* 4.6 renamed pntoh64 (wsutil/pint.h) to pntohu64. */
#if IKE_WS_AT_LEAST(4, 6)
#define ike_pntoh64 pntohu64
#else
#define ike_pntoh64 pntoh64
#endif

/* 4.2+ asks a plugin what it is (plugin_describe); without the answer
 * `tshark -G plugins` lists it as "unknown".  4.0 has no such symbol, so
 * the macro defines the function there as nothing. */
#if IKE_WS_AT_LEAST(4, 2)
#include <wsutil/plugins.h>
#define IKE_PLUGIN_DESCRIBE(flags)                                                         \
    WS_DLL_PUBLIC uint32_t plugin_describe(void);                                          \
    uint32_t plugin_describe(void) { return (flags); }
#else
#define IKE_PLUGIN_DESCRIBE(flags)
#endif

#endif

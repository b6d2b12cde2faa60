#!/usr/bin/env bash
# The edit API against a live strongSwan charon (issue #23, item 4): mutated,
# correctly encrypted CREATE_CHILD_SA and IKE_AUTH requests that the
# responder decrypts and parses.
#
# Two namespaces joined by a veth pair, one charon in each (own
# strongswan.conf, private /run, log with `ike 4` for the keys and `enc 2`
# for the parser's lines), as samples/generate runs them.  Each round makes
# a new IKEv2 SA (PSK, AES-CBC-256/HMAC-SHA2-256, ECP-256, ESP through
# kernel-libipsec) and captures the template on the veth: a CREATE_CHILD_SA
# request (a second CHILD_SA), or the IKE_AUTH request, which then never
# reaches the responder's daemon (see one_round).  The initiator's daemon
# is killed (SIGKILL: no DELETE goes out, its address and port are free),
# and tests/live_mutants, in its namespace, reads the capture with the keys
# of the daemons' logs and sends the mutants with the message ID the
# responder expects, one at a time, waiting for each response.  When the
# SA stops answering (a mutant made charon delete it) a new round starts.
# Then the responder's log is read per received packet
# (tests/mutate/live_log.py): each mutant was decrypted (no integrity
# failure) and its inner payloads parsed, or refused by the parser, and how.
#
# Usage: run-live-charon.sh BUILD_DIR SOURCE_DIR   (exit 77: skipped)
# Needs root, iproute2, strongSwan's charon and swanctl, tcpdump, python3.
# Namespaces: named ones (`ip netns`), as samples/generate makes them; or,
# inside a chroot whose / is no mount point (`ip netns exec` cannot work
# there; ctest in the project's Debian chroots), unnamed ones held by a
# `sleep` of ours (unshare --net) and entered with nsenter, each charon in a
# mount namespace of its own (unshare -m) for its private /run: only when
# the mount that holds /run does not propagate (not "shared"), so that the
# bind mount cannot leak out.  From the host, LIVE_CHROOT=TREE uses the
# Debian tree TREE's charon, swanctl, tcpdump and python3 (TREE must bind
# /work at the same path; build the tools in it).
# LIVE_N CREATE_CHILD_SA mutants (default 30), LIVE_AUTH_N IKE_AUTH mutants
# (8, one IKE_SA each), LIVE_SEED (1), LIVE_BREAK=1 (broken lengths and
# chains too), LIVE_KEEP=DIR (keep logs, captures, the per-mutant table).
set -uo pipefail
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd)
ROOT=${LIVE_CHROOT:-}
N=${LIVE_N:-30} AUTH_N=${LIVE_AUTH_N:-8} SEED=${LIVE_SEED:-1}
skip() { echo "skipped: $*"; exit 77; }
log() { printf '[live-charon] %s\n' "$*" >&2; }
rx() { if [ -n "$ROOT" ]; then chroot "$ROOT" "$@"; else "$@"; fi; }

[ "$(id -u)" = 0 ] || skip "not root"
[ -x "$ROOT/usr/lib/ipsec/charon" ] || skip "no $ROOT/usr/lib/ipsec/charon (strongswan-charon)"
[ -x "$ROOT/usr/sbin/swanctl" ] || skip "no swanctl (strongswan-swanctl)"
# the proposals below (ECP-256, AES-GCM) come from charon's openssl plugin,
# which Debian packages apart from charon
[ -e "$ROOT/usr/lib/ipsec/plugins/libstrongswan-openssl.so" ] ||
	skip "no charon openssl plugin (libstrongswan-standard-plugins)"
[ -x "$ROOT/usr/bin/tcpdump" ] || [ -x "$ROOT/usr/sbin/tcpdump" ] || skip "no tcpdump"
[ -x "$build/tests/live_mutants" ] || skip "no $build/tests/live_mutants"
[ -e "$ROOT/dev/net/tun" ] || skip "no /dev/net/tun (kernel-libipsec needs it)"
rx python3 -c '' 2>/dev/null || skip "no python3"

# one user of namespaces and daemons at a time, when the machine's users
# agree on a lock file (LIVE_LOCK)
lock=${LIVE_LOCK:-}
if [ -n "$lock" ] && [ -d "$(dirname "$lock")" ]; then
	exec 9>"$lock"
	flock -w 900 9 || skip "$lock held by another user of namespaces for 15 minutes"
fi

tag=lmut$$
NS_I=$tag-i NS_R=$tag-r
WORK=$build/live-charon.$$
PIDS=()
rm -rf "$WORK"; mkdir -p "$WORK"

stop_pid() {
	local pid=$1 sig=${2:-TERM} i
	kill -0 "$pid" 2>/dev/null || return 0
	kill -"$sig" "$pid" 2>/dev/null || true
	for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
	kill -KILL "$pid" 2>/dev/null || true
}
teardown_net() {
	local ns pid
	for ns in "$NS_I" "$NS_R"; do
		ns_exists "$ns" || continue
		for pid in $(ns_pids "$ns"); do stop_pid "$pid"; done
		ns_del "$ns"
	done
}
cleanup() {
	local pid
	for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
	PIDS=()
	teardown_net
	if [ -n "${LIVE_KEEP:-}" ]; then mkdir -p "$LIVE_KEEP" && cp -r "$WORK"/. "$LIVE_KEEP"/; fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- namespaces
declare -A HOLD   # unshare mode: namespace handle -> the PID holding it
# True when the mount that holds /run is not shared (a bind mount on /run
# in a new mount namespace then stays there): its mount ID, from an open
# descriptor, looked up in this view of the mounts and in PID 1's (a
# chroot's own view lacks the mount its / lies in).
run_mount_private() {
	local id line
	exec 8</run || return 1
	id=$(awk '/^mnt_id:/ { print $2 }' /proc/self/fdinfo/8)
	exec 8<&-
	line=$(awk -v id="$id" '$1 == id' /proc/self/mountinfo /proc/1/mountinfo 2>/dev/null | head -1)
	[ -n "$line" ] && ! grep -q 'shared:' <<<"$line"
}
if [ -n "$ROOT" ] || mountpoint -q /; then
	MODE=netns
	command -v ip >/dev/null || skip "no ip (iproute2)"
else
	MODE=unshare
	command -v nsenter >/dev/null && command -v unshare >/dev/null || skip "no nsenter / unshare (util-linux)"
	run_mount_private || skip "inside a chroot whose /run lies on a shared mount: a private /run could leak (run from the host with LIVE_CHROOT=TREE)"
fi
ns_net() { echo "/proc/${HOLD[$1]}/ns/net"; }
# nsx NS CMD...: CMD in namespace NS
nsx() {
	local ns=$1; shift
	if [ "$MODE" = netns ]; then ip netns exec "$ns" ${ROOT:+chroot "$ROOT"} "$@"
	else nsenter --net="$(ns_net "$ns")" "$@"; fi
}
# nsx_private_run NS DIR CMD...: CMD in NS with DIR as its /run
nsx_private_run() {
	local ns=$1 dir=$2; shift 2
	if [ "$MODE" = netns ]; then   # ip netns exec makes a mount namespace already
		nsx "$ns" sh -c 'mount --bind "$1" /run && shift && exec "$@"' sh "$dir" "$@"
	else
		nsx "$ns" unshare -m --propagation unchanged \
			sh -c 'mount --bind "$1" /run && shift && exec "$@"' sh "$dir" "$@"
	fi
}
ipn() { local ns=$1; shift; if [ "$MODE" = netns ]; then ip -n "$ns" "$@"; else nsx "$ns" ip "$@"; fi; }
ns_ref() { if [ "$MODE" = netns ]; then echo "$1"; else echo "${HOLD[$1]}"; fi; }   # for ip ... netns
ns_exists() {
	if [ "$MODE" = netns ]; then ip netns list 2>/dev/null | grep -qw "$1"
	else [ -n "${HOLD[$1]:-}" ] && kill -0 "${HOLD[$1]}" 2>/dev/null; fi
}
ns_add() {
	if [ "$MODE" = netns ]; then ip netns add "$1"; return; fi
	unshare --net sleep 1000000 &
	HOLD[$1]=$!
	local i; for i in $(seq 50); do
		[ "$(readlink "/proc/${HOLD[$1]}/ns/net")" != "$(readlink /proc/self/ns/net)" ] && return 0
		sleep 0.02
	done
	return 1
}
# every process in namespace NS (but its holder)
ns_pids() {
	local ns=$1 p want
	if [ "$MODE" = netns ]; then ip netns pids "$ns" 2>/dev/null; return; fi
	want=$(readlink "$(ns_net "$ns")") || return 0
	for p in /proc/[0-9]*; do
		p=${p#/proc/}
		[ "$p" = "${HOLD[$ns]}" ] && continue
		[ "$(readlink /proc/$p/ns/net 2>/dev/null)" = "$want" ] && echo "$p"
	done
}
ns_del() {
	if [ "$MODE" = netns ]; then ip netns del "$1" 2>/dev/null || true
	else stop_pid "${HOLD[$1]}"; unset "HOLD[$1]"; fi
}

setup_net() {
	teardown_net
	ns_add "$NS_I" && ns_add "$NS_R" &&
	ip link add veth-i netns "$(ns_ref "$NS_I")" type veth peer name veth-r netns "$(ns_ref "$NS_R")" &&
	ipn "$NS_I" link set lo up && ipn "$NS_R" link set lo up &&
	ipn "$NS_I" addr add 10.99.0.1/24 dev veth-i &&
	ipn "$NS_R" addr add 10.99.0.2/24 dev veth-r &&
	ipn "$NS_I" addr add 10.99.1.1/32 dev lo &&
	ipn "$NS_R" addr add 10.99.2.1/32 dev lo &&
	ipn "$NS_I" addr add 10.99.3.1/32 dev lo &&
	ipn "$NS_R" addr add 10.99.4.1/32 dev lo &&
	ipn "$NS_I" link set veth-i up && ipn "$NS_R" link set veth-r up
}

# trap_natt on|off: in the initiator's namespace, UDP to port 4500 leaves
# by trap0, a veth whose peer (trap1, same namespace) drops it (no local
# address, no forwarding); a permanent neighbour entry saves the ARP
# exchange that nobody would answer.  tcpdump -i any sees it on trap0.
trap_natt() {
	local mac
	if [ "$1" = off ]; then ipn "$NS_I" rule del ipproto 17 dport 4500 table 100; return; fi
	ipn "$NS_I" link add trap0 type veth peer name trap1 &&
	ipn "$NS_I" link set trap0 up && ipn "$NS_I" link set trap1 up &&
	mac=$(ipn "$NS_I" -br link show trap1 | awk '{ print $3 }') &&
	ipn "$NS_I" route add default dev trap0 table 100 &&
	ipn "$NS_I" neigh add 10.99.0.2 lladdr "$mac" dev trap0 nud permanent &&
	ipn "$NS_I" rule add ipproto 17 dport 4500 table 100
}

write_conf() {   # DIR SIDE [charon settings]
	local dir=$1 side=$2 extra=${3:-} l r lts rts lts3 rts3
	if [ "$side" = ini ]; then l=10.99.0.1 r=10.99.0.2 lts=10.99.1.0/24 rts=10.99.2.0/24
		lts3=10.99.3.0/24 rts3=10.99.4.0/24
	else l=10.99.0.2 r=10.99.0.1 lts=10.99.2.0/24 rts=10.99.1.0/24
		lts3=10.99.4.0/24 rts3=10.99.3.0/24; fi
	mkdir -p "$dir/run" "$dir/swanctl"
	cat >"$dir/strongswan.conf" <<EOF
charon {
	load_modular = no
	load = random nonce openssl pem pkcs1 x509 pubkey gmp aes sha1 sha2 hmac kdf kernel-libipsec kernel-netlink socket-default vici
	retransmit_tries = 1
	retransmit_timeout = 1.0
	$extra
	plugins {
		vici { socket = unix://$dir/run/charon.vici }
		kernel-libipsec { raw_esp = yes }
	}
	syslog { daemon { default = -1 } }
	filelog {
		debug {
			path = $dir/charon.log
			time_format = %H:%M:%S
			ike_name = yes
			append = no
			flush_line = yes
			default = 1
			ike = 4
			enc = 2
			net = 1
			cfg = 1
			knl = 0
			esp = 0
		}
	}
}
EOF
	cat >"$dir/swanctl/swanctl.conf" <<EOF
connections {
	s {
		version = 2
		local_addrs = $l
		remote_addrs = $r
		proposals = aes256-sha256-ecp256
		rekey_time = 3600s
		mobike = no
		encap = yes
		local { auth = psk
			id = $side.live.libisakmp.test }
		remote { auth = psk }
		children {
			s {
				local_ts = $lts
				remote_ts = $rts
				esp_proposals = aes256-sha256-ecp256
				rekey_time = 1200s
				start_action = none
			}
			t {
				local_ts = $lts3
				remote_ts = $rts3
				esp_proposals = aes256-sha256-ecp256
				rekey_time = 1200s
				start_action = none
			}
		}
	}
}
secrets { ike-psk { secret = "libisakmp-live-psk" } }
EOF
}

start_charon() {   # NS DIR
	local ns=$1 dir=$2 i
	rm -rf "$dir/run"; mkdir -p "$dir/run"   # no socket or pid file of the last round
	nsx_private_run "$ns" "$dir/run" env STRONGSWAN_CONF="$dir/strongswan.conf" /usr/lib/ipsec/charon \
		>"$dir/charon.stdout" 2>&1 &
	PIDS+=($!)
	CHARON_PID=$!
	for i in $(seq 100); do [ -S "$dir/run/charon.vici" ] && return 0; sleep 0.05; done
	cat "$dir/charon.stdout" >&2
	return 1
}
sw() { local dir=$1; shift; SWANCTL_DIR="$dir/swanctl" rx swanctl "$@" --uri "unix://$dir/run/charon.vici"; }
start_capture() {   # FILE [INTERFACE]
	local i
	nsx "$NS_I" tcpdump -i "${2:-veth-i}" -n -s 0 -U --immediate-mode -w "$1" udp >"$1.log" 2>&1 &
	PIDS+=($!)
	for i in $(seq 100); do grep -q "listening on" "$1.log" 2>/dev/null && return 0; sleep 0.05; done
	return 1
}

# The PIDs of what runs in a namespace, by name: $! is the shell that
# started `ip netns exec`, not the daemon or tcpdump (all are ours: the
# namespace is).
pid_in() { local ns=$1 comm=$2 p; for p in $(ns_pids "$ns"); do
	[ "$(cat /proc/$p/comm 2>/dev/null)" = "$comm" ] && echo "$p"; done; }
stop_capture() { local p; sleep 0.3; for p in $(pid_in "$NS_I" tcpdump); do stop_pid "$p"; done; }

# one_round KIND K SEED COUNT: a new IKE_SA, its template captured, then up
# to COUNT mutants (fewer when charon deletes the SA); files $WORK/KIND-K.*
#   ccsa  the template is a CREATE_CHILD_SA request (a second CHILD_SA in
#         the IKE_SA: SA, Nonce, KE, TSi, TSr: proposal selection, DH, TS
#         narrowing); mutants with the message IDs the responder expects
#   auth  the template is the IKE_AUTH request, which never reaches the
#         responder's daemon: the initiator floats to port 4500 (encap =
#         yes), and a routing rule in its namespace sends UDP to port 4500
#         out of a trap veth pair of its own (captured there, dropped at
#         the other end: no forwarding) until its daemon is killed; then
#         the mutant goes to the responder as message 1.
#         AUTH covers IKE_SA_INIT, the nonce and IDi: a mutant that leaves
#         IDi alone still authenticates.  One mutant per IKE_SA (message 1
#         is the only IKE_AUTH request a responder takes).
one_round() {
	local kind=$1 k=$2 seed=$3 count=$4 tag=$1-$2 xargs=() n p rc mark swpid=
	[ "$kind" = auth ] && xargs=(-m 1)
	setup_net || { log "network setup failed"; return 1; }
	if [ "$kind" = auth ]; then trap_natt on || { log "trap for port 4500 failed"; return 1; }; fi
	start_charon "$NS_R" "$res" || { log "responder did not start"; return 1; }
	start_charon "$NS_I" "$ini" || { log "initiator did not start"; return 1; }
	sw "$res" --load-all --noprompt >"$WORK/swanctl.out" 2>&1 &&
	sw "$ini" --load-all --noprompt >>"$WORK/swanctl.out" 2>&1 || { cat "$WORK/swanctl.out" >&2; return 1; }
	# auth: -i any, for the IKE_AUTH request on trap0 (and on trap1: a copy)
	start_capture "$WORK/$tag.pcap" "$( [ "$kind" = auth ] && echo any || echo veth-i)" ||
		{ log "tcpdump did not start"; return 1; }
	if [ "$kind" = ccsa ]; then
		sw "$ini" --initiate --child s --timeout 15 >>"$WORK/swanctl.out" 2>&1 ||
			{ cat "$WORK/swanctl.out" >&2; log "IKE_SA not established"; return 1; }
		sw "$ini" --initiate --child t --timeout 15 >>"$WORK/swanctl.out" 2>&1 ||
			{ cat "$WORK/swanctl.out" >&2; log "CREATE_CHILD_SA failed"; return 1; }
		sleep 0.5
	else
		sw "$ini" --initiate --child s --timeout 5 >>"$WORK/swanctl.out" 2>&1 &
		swpid=$!
		for p in $(seq 40); do grep -q 'IKE_AUTH request 1' "$ini/charon.log" 2>/dev/null && break; sleep 0.05; done
		sleep 0.2
	fi
	stop_capture
	# the initiator goes without a word: no DELETE, its address and port free
	for p in $(pid_in "$NS_I" charon); do stop_pid "$p" KILL; done
	[ "$kind" = auth ] && trap_natt off
	[ -n "$swpid" ] && wait "$swpid"
	# the keys: the responder's log (strongSwan 5.9 derives a responder's
	# IKE keys only when IKE_AUTH arrives: for those, the initiator's)
	cp "$res/charon.log" "$WORK/$tag.setup.log"
	cp "$ini/charon.log" "$WORK/$tag.initiator.log"
	mark=$(wc -l <"$res/charon.log")
	start_capture "$WORK/$tag.mutants.pcap" || return 1
	nsx "$NS_I" "$build/tests/live_mutants" -k "$WORK/$tag.setup.log" -k "$WORK/$tag.initiator.log" -x "$( [ "$kind" = auth ] && echo 35 || echo 36)" \
		-l 10.99.0.1 -r 10.99.0.2 -n "$count" -s "$seed" -w 1.5 "${xargs[@]}" \
		${LIVE_BREAK:+-b} "$WORK/$tag.pcap" >"$WORK/$tag.tsv" 2>"$WORK/$tag.err"
	rc=$?
	sleep 0.5
	stop_capture
	if [ "$rc" != 0 ] && [ "$rc" != 3 ]; then cat "$WORK/$tag.err" >&2; log "live_mutants failed ($rc)"; return 1; fi
	[ -n "$(pid_in "$NS_R" charon)" ] || { log "$tag: the responder's charon is gone (crash?)"; : >"$WORK/$tag.crash"; }
	cp "$res/charon.stdout" "$WORK/$tag.stdout" 2>/dev/null
	tail -n +$((mark + 1)) "$res/charon.log" >"$WORK/$tag.mutants.log"
	n=$(grep -vc '^template' "$WORK/$tag.tsv")
	for p in "${PIDS[@]}"; do stop_pid "$p"; done
	PIDS=()
	teardown_net
	[ "$n" -gt 0 ] || { log "$tag sent nothing"; return 1; }
	ROUND_SENT=$n
}

ini=$WORK/ini res=$WORK/res
write_conf "$ini" ini
write_conf "$res" res
sent=0 round=0
while [ "$sent" -lt "$N" ] && [ "$round" -lt "$N" ]; do
	round=$((round + 1))
	log "CREATE_CHILD_SA round $round: a new IKE_SA ($sent of $N mutants sent)"
	one_round ccsa "$round" $((SEED + round - 1)) $((N - sent)) || exit 1
	sent=$((sent + ROUND_SENT))
done
for k in $(seq "$AUTH_N"); do
	log "IKE_AUTH round $k of $AUTH_N"
	one_round auth "$k" $((SEED + 1000 + k)) 1 || exit 1
done
rx python3 "$src/tests/mutate/live_log.py" "$WORK"

#!/usr/bin/env bash
# The edit API against a live strongSwan charon (issue #23, item 4): mutated,
# correctly encrypted CREATE_CHILD_SA requests that the responder decrypts
# and parses.
#
# Two namespaces joined by a veth pair, one charon in each (own
# strongswan.conf, private /run, log with `ike 4` for the keys and `enc 2`
# for the parser's lines), as samples/generate runs them.  The initiator
# establishes an IKEv2 SA (PSK, AES-CBC-256/HMAC-SHA2-256, ECP-256, ESP
# through kernel-libipsec) and rekeys its CHILD_SA: the CREATE_CHILD_SA
# request is the template, captured on the veth.  The initiator's daemon is
# then killed (SIGKILL: no DELETE goes out, its port is free), and
# tests/live_mutants, in its namespace and from its address and port, reads
# the capture with the keys of the responder's log, and sends the mutants
# with the message ID the responder expects, one at a time, waiting for
# each response.  When the SA stops answering (a mutant made charon delete
# it) a new round starts from a new SA.  Then the responder's log is read
# per received packet (tests/mutate/live_log.py): each mutant was decrypted
# (no integrity failure) and its inner payloads parsed, or rejected by the
# parser, and how.
#
# Usage: run-live-charon.sh BUILD_DIR SOURCE_DIR   (exit 77: skipped)
# Needs root, iproute2 with `ip netns exec` working (not inside a chroot
# whose / is no mount point: run from the host with LIVE_CHROOT=TREE, the
# Debian tree whose charon, swanctl, tcpdump and python3 are used; TREE must
# bind /work at the same path), strongSwan's charon and swanctl, tcpdump.
# LIVE_N mutants (default 30), LIVE_SEED (1), LIVE_BREAK=1 (broken lengths
# and chains too), LIVE_KEEP=DIR (keep logs, captures, the per-mutant table).
set -uo pipefail
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd)
ROOT=${LIVE_CHROOT:-}
N=${LIVE_N:-30} SEED=${LIVE_SEED:-1}
skip() { echo "skipped: $*"; exit 77; }
log() { printf '[live-charon] %s\n' "$*" >&2; }
rx() { if [ -n "$ROOT" ]; then chroot "$ROOT" "$@"; else "$@"; fi; }
nsx() { local ns=$1; shift; ip netns exec "$ns" ${ROOT:+chroot "$ROOT"} "$@"; }

[ "$(id -u)" = 0 ] || skip "not root"
command -v ip >/dev/null || skip "no ip (iproute2)"
[ -x "$ROOT/usr/lib/ipsec/charon" ] || skip "no $ROOT/usr/lib/ipsec/charon (strongswan-charon)"
[ -x "$ROOT/usr/sbin/swanctl" ] || skip "no swanctl (strongswan-swanctl)"
[ -x "$ROOT/usr/bin/tcpdump" ] || [ -x "$ROOT/usr/sbin/tcpdump" ] || skip "no tcpdump"
[ -x "$build/tests/live_mutants" ] || skip "no $build/tests/live_mutants"
[ -e "$ROOT/dev/net/tun" ] || skip "no /dev/net/tun (kernel-libipsec needs it)"
rx python3 -c '' 2>/dev/null || skip "no python3"

# one user of namespaces and daemons at a time on this machine
lock=${LIVE_LOCK:-/work/wt/netns.lock}
if [ -d "$(dirname "$lock")" ]; then
	exec 9>"$lock"
	flock 9
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
		ip netns list 2>/dev/null | grep -qw "$ns" || continue
		for pid in $(ip netns pids "$ns" 2>/dev/null); do stop_pid "$pid"; done
		ip netns del "$ns" 2>/dev/null || true
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

# `ip netns exec` must work here (inside a chroot it does not)
ip netns add "$NS_I" 2>/dev/null || skip "ip netns add failed"
nsx "$NS_I" true 2>/dev/null || skip "ip netns exec does not work here (inside a chroot? run from the host with LIVE_CHROOT=TREE)"
ip netns del "$NS_I"

setup_net() {
	teardown_net
	ip netns add "$NS_I" && ip netns add "$NS_R" &&
	ip link add veth-i netns "$NS_I" type veth peer name veth-r netns "$NS_R" &&
	ip -n "$NS_I" link set lo up && ip -n "$NS_R" link set lo up &&
	ip -n "$NS_I" addr add 10.99.0.1/24 dev veth-i &&
	ip -n "$NS_R" addr add 10.99.0.2/24 dev veth-r &&
	ip -n "$NS_I" addr add 10.99.1.1/32 dev lo &&
	ip -n "$NS_R" addr add 10.99.2.1/32 dev lo &&
	ip -n "$NS_I" addr add 10.99.3.1/32 dev lo &&
	ip -n "$NS_R" addr add 10.99.4.1/32 dev lo &&
	ip -n "$NS_I" link set veth-i up && ip -n "$NS_R" link set veth-r up
}

write_conf() {   # DIR SIDE
	local dir=$1 side=$2 l r lts rts lts3 rts3
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
	nsx "$ns" sh -c 'mount --bind "$1" /run && exec env STRONGSWAN_CONF="$2" /usr/lib/ipsec/charon' \
		sh "$dir/run" "$dir/strongswan.conf" >"$dir/charon.stdout" 2>&1 &
	PIDS+=($!)
	CHARON_PID=$!
	for i in $(seq 100); do [ -S "$dir/run/charon.vici" ] && return 0; sleep 0.05; done
	cat "$dir/charon.stdout" >&2
	return 1
}
sw() { local dir=$1; shift; SWANCTL_DIR="$dir/swanctl" rx swanctl "$@" --uri "unix://$dir/run/charon.vici"; }
start_capture() {   # FILE
	local i
	nsx "$NS_I" tcpdump -i veth-i -n -s 0 -U --immediate-mode -w "$1" udp >"$1.log" 2>&1 &
	PIDS+=($!)
	for i in $(seq 100); do grep -q "listening on" "$1.log" 2>/dev/null && return 0; sleep 0.05; done
	return 1
}

# The PIDs of what runs in a namespace, by name: $! is the shell that
# started `ip netns exec`, not the daemon or tcpdump (all are ours: the
# namespace is).
pid_in() { local ns=$1 comm=$2 p; for p in $(ip netns pids "$ns"); do
	[ "$(cat /proc/$p/comm 2>/dev/null)" = "$comm" ] && echo "$p"; done; }
stop_capture() { local p; sleep 0.3; for p in $(pid_in "$NS_I" tcpdump); do stop_pid "$p"; done; }

ini=$WORK/ini res=$WORK/res
write_conf "$ini" ini
write_conf "$res" res
sent=0 round=0 fail=0
: >"$WORK/mutants.tsv"
while [ "$sent" -lt "$N" ] && [ "$round" -lt "$N" ]; do
	round=$((round + 1))
	log "round $round: new SA ($sent of $N mutants sent so far)"
	setup_net || { log "network setup failed"; fail=1; break; }
	start_charon "$NS_R" "$res" || { log "responder did not start"; fail=1; break; }
	start_charon "$NS_I" "$ini" || { log "initiator did not start"; fail=1; break; }
	sw "$res" --load-all --noprompt >"$WORK/swanctl.out" 2>&1 &&
	sw "$ini" --load-all --noprompt >>"$WORK/swanctl.out" 2>&1 || { cat "$WORK/swanctl.out" >&2; fail=1; break; }
	start_capture "$WORK/setup-$round.pcap" || { log "tcpdump did not start"; fail=1; break; }
	sw "$ini" --initiate --child s --timeout 15 >>"$WORK/swanctl.out" 2>&1 ||
		{ cat "$WORK/swanctl.out" >&2; log "IKE_SA not established"; fail=1; break; }
	# the template: a second CHILD_SA in the same IKE_SA (CREATE_CHILD_SA
	# with SA, Nonce, KE, TSi, TSr: proposal selection, DH, TS narrowing)
	sw "$ini" --initiate --child t --timeout 15 >>"$WORK/swanctl.out" 2>&1 ||
		{ cat "$WORK/swanctl.out" >&2; log "CREATE_CHILD_SA failed"; fail=1; break; }
	sleep 0.5
	stop_capture
	# the initiator goes without a word: no DELETE, its address and port free
	for p in $(pid_in "$NS_I" charon); do stop_pid "$p" KILL; done
	cp "$res/charon.log" "$WORK/responder-$round.log"   # the keys, before the mutants
	mark=$(wc -l <"$res/charon.log")
	start_capture "$WORK/mutants-$round.pcap" || { fail=1; break; }
	nsx "$NS_I" "$build/tests/live_mutants" -k "$WORK/responder-$round.log" -x 36 \
		-l 10.99.0.1 -r 10.99.0.2 -n $((N - sent)) -s $((SEED + round - 1)) -w 1.5 \
		${LIVE_BREAK:+-b} "$WORK/setup-$round.pcap" >"$WORK/round-$round.tsv" 2>"$WORK/round-$round.err"
	rc=$?
	sleep 0.5
	stop_capture
	cat "$WORK/round-$round.err" >&2
	if [ "$rc" != 0 ] && [ "$rc" != 3 ]; then log "live_mutants failed ($rc)"; fail=1; break; fi
	rpid=$(pid_in "$NS_R" charon)
	[ -n "$rpid" ] || { log "round $round: the responder's charon is gone (crash?)"; : >"$WORK/crash-$round"; }
	tail -n +$((mark + 1)) "$res/charon.log" >"$WORK/responder-mutants-$round.log"
	n=$(grep -vc '^template' "$WORK/round-$round.tsv")
	grep -v '^template' "$WORK/round-$round.tsv" | sed "s/^/$round\t/" >>"$WORK/mutants.tsv"
	grep '^template' "$WORK/round-$round.tsv" | sed "s/^/$round\t/" >>"$WORK/templates.tsv"
	sent=$((sent + n))
	for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
	PIDS=()
	teardown_net
	[ "$n" -gt 0 ] || { log "round $round sent nothing"; fail=1; break; }
done
[ "$fail" = 0 ] || exit 1
rx python3 "$src/tests/mutate/live_log.py" "$WORK"

#!/usr/bin/env bash
# The Neutron DVR lab: builds seed 001's namespaces for real (from fixtures/neutron-dvr/scenario.yaml),
# captures on every device while traffic runs both ways, and checks the model against the captures
# with `dpconform check`; then the extra phase's probes (routers' own addresses, fragments, IP
# options, broadcasts, INVALID conntrack...) the same way. Then it builds the deployment again broken
# on purpose and shows that the check fails and names the stage. Exit 0 only when the clean and extra
# runs match AND every breakage is caught.
#
#   sudo bash lab/dvr/run.sh            (npm run lab:dvr)
#   LAB_ONLY=clean bash lab/dvr/run.sh  only the clean run;  LAB_KEEP_CAPTURES=DIR copies its pcaps there
#   LAB_ONLY=extra bash lab/dvr/run.sh  only the extra phase: traffic the golden captures do not hold
#                                       (must match too; LAB_KEEP_CAPTURES works the same)
#
# Safety: every namespace is named dpc<pid><phase>-..., everything runs inside those namespaces with
# `ip netns exec`, and teardown deletes only those names and kills only the PIDs this script started.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SCENARIO=${SCENARIO:-$ROOT/fixtures/neutron-dvr/scenario.yaml}
# The extra phase builds the scenario's MTU variant (tenant devices at 1450, as under VXLAN; see its header).
EXTRA_SCENARIO=${EXTRA_SCENARIO:-$ROOT/fixtures/neutron-dvr/scenario-mtu.yaml}
RUN_ID=${RUN_ID:-$(date +%Y%m%d-%H%M%S)-$$}
OUT_ROOT=$ROOT/lab/out/$RUN_ID
TRAFFIC=$HERE/traffic.py
CLI=$ROOT/dist/harness/cli/main.js

die() { echo "lab: $*" >&2; exit 2; }
[ "$(id -u)" = 0 ] || die "needs root (network namespaces); CI runs it as root"
for t in ip iptables-restore tcpdump ethtool python3 node; do command -v "$t" >/dev/null || die "missing $t (apt-get install -y iproute2 iptables tcpdump ethtool python3)"; done

# Build dist/ (plan.js and the CLI). tsc emits even when an unrelated file has type errors.
(cd "$ROOT" && npx tsc -p tsconfig.build.json >/dev/null 2>&1); [ -f "$ROOT/dist/lab/dvr/plan.js" ] || die "dist/lab/dvr/plan.js not built"

OWNED_NS=()    # namespaces this run created, deleted on exit
OWNED_PIDS=()  # processes this run started (tcpdump, servers), killed on exit

teardown() {
  local p n
  for p in "${OWNED_PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${OWNED_PIDS[@]}"; do wait "$p" 2>/dev/null; done
  OWNED_PIDS=()
  for n in "${OWNED_NS[@]}"; do ip netns del "$n" 2>/dev/null; done
  OWNED_NS=()
}
trap teardown EXIT
trap 'exit 130' INT TERM

in_ns() { local ns; ns=$(lab_ns "$1") || return 1; shift; ip netns exec "$ns" "$@"; }

start_captures() {
  local dir=$1 entry labns scen dev role f
  for entry in "${LAB_CAPTURES[@]}"; do
    IFS='|' read -r labns scen dev role <<<"$entry"
    f="$dir/$scen.$dev.pcap"
    ip netns exec "$labns" tcpdump -i "$dev" --immediate-mode -U -n -s 0 -w "$f" 2>"$f.log" &
    OWNED_PIDS+=($!)
  done
  # tcpdump prints "listening on" once its socket is bound; traffic before that would be missed.
  for entry in "${LAB_CAPTURES[@]}"; do
    IFS='|' read -r labns scen dev role <<<"$entry"
    for _ in $(seq 50); do grep -q 'listening on' "$dir/$scen.$dev.pcap.log" 2>/dev/null && break; sleep 0.1; done
  done
}

stop_captures() {
  sleep 0.5
  local p
  for p in "${OWNED_PIDS[@]}"; do kill -INT "$p" 2>/dev/null; done
  for p in "${OWNED_PIDS[@]}"; do wait "$p" 2>/dev/null; done
  OWNED_PIDS=()
}

# Every traffic kind, both ways. Fixed ids/ports so runs compare. Failures are reported, not fatal:
# the check is what judges the dataplane. Arguments: the groups to send after the warm-up
# (fip: the floating-IP VM both ways; snat: the VM without a floating IP, through snat-).
send_traffic() {
  local VM=vm-a7884fb1 VM2=vm-3b6f0d2e EXT=ext-host FIP=172.30.89.140 FAR=172.30.0.11 srv groups=" $* "
  step() { echo "  $*"; "$@" | sed 's/^/    /'; sleep 0.3; }
  # Warm-up (lab/dvr/cases.ts replays it in every case): one ping per VM resolves every neighbour.
  step in_ns $VM python3 "$TRAFFIC" ping $FAR 4097                       # VM -> world (SNAT fixed -> floating)
  step in_ns $VM2 python3 "$TRAFFIC" ping $FAR 20481                     # VM2 -> qrouter -> snat- (SNAT to the gateway IP)
  if [[ $groups == *" snat "* ]]; then
    in_ns $EXT python3 "$TRAFFIC" tcp-server 8080 >/dev/null & srv=$!; OWNED_PIDS+=($srv); sleep 0.3
    step in_ns $VM2 python3 "$TRAFFIC" tcp-client $FAR 8080 40011        # TCP through central SNAT
    step in_ns $VM2 python3 "$TRAFFIC" udp $FAR 33333 40013              # port unreachable un-SNATed in snat-
    step in_ns $VM2 python3 "$TRAFFIC" udp $FAR 33434 40015 --ttl 2      # time exceeded from the snat namespace
    in_ns $EXT python3 "$TRAFFIC" udp-echo 7777 2 >/dev/null & srv=$!; OWNED_PIDS+=($srv); sleep 0.3
    step in_ns $VM2 python3 "$TRAFFIC" udp $FAR 7777 40030 --bind 10.0.111.5
    step in_ns $VM2 python3 "$TRAFFIC" udp $FAR 7777 40030 --bind 10.0.111.6   # same SNAT tuple: the kernel picks the port
    step in_ns $VM2 python3 "$TRAFFIC" ping $FAR 24577 --bind 10.0.111.5 --tag clash
    step in_ns $VM2 python3 "$TRAFFIC" ping $FAR 24577 --bind 10.0.111.6 --tag clash   # same SNAT tuple: the kernel picks the id
  fi
  if [[ $groups == *" extra "* ]]; then
    # Traffic the golden captures do not hold (LAB_ONLY=extra): the routers' own addresses, hairpin,
    # east-west, closed TCP ports, TTL expiry after DNAT, fragments and IP options.
    step in_ns $EXT python3 "$TRAFFIC" ping 172.30.89.129 8201          # fg's own address: fip answers
    step in_ns $VM python3 "$TRAFFIC" ping 10.0.111.1 8202              # qr-'s address: qrouter answers
    step in_ns $VM python3 "$TRAFFIC" ping 169.254.106.114 8203         # rfp-'s address: qrouter answers
    step in_ns $VM python3 "$TRAFFIC" ping 169.254.106.115 8204         # fpr-'s address: fip answers the SNATed echo
    step in_ns $VM python3 "$TRAFFIC" ping $FIP 8205                    # the VM's own floating IP: hairpin DNAT+SNAT
    step in_ns $VM2 python3 "$TRAFFIC" ping $FIP 8206                   # VM2 -> the floating IP (DNAT, no SNAT)
    step in_ns $VM python3 "$TRAFFIC" ping 10.0.111.5 8207              # east-west on the tenant subnet
    step in_ns $EXT python3 "$TRAFFIC" tcp-client $FIP 2222 40041       # closed port: the VM's RST back through DNAT
    step in_ns $VM python3 "$TRAFFIC" tcp-client $FAR 9999 40042        # closed port: ext's RST back through float SNAT
    step in_ns $VM2 python3 "$TRAFFIC" tcp-client $FAR 9999 40043       # closed port: ext's RST back through central SNAT
    step in_ns $EXT python3 "$TRAFFIC" udp $FIP 33335 40044 --ttl 2     # TTL expires in qrouter after DNAT
    step in_ns $VM python3 "$TRAFFIC" udp $FAR 33336 40045 --size 3000  # fragments through float SNAT
    step in_ns $EXT python3 "$TRAFFIC" udp $FIP 33337 40046 --size 3000 # fragments through DNAT
    step in_ns $VM2 python3 "$TRAFFIC" udp $FAR 33338 40047 --size 3000 # fragments through central SNAT
    step in_ns $VM python3 "$TRAFFIC" udp $FAR 33339 40048 --rr 2       # IP Record Route option: qrouter fills slot 2
    step in_ns $VM python3 "$TRAFFIC" udp $FAR 33341 40050 --rr 3       # three slots: qrouter and fip
    step in_ns $VM python3 "$TRAFFIC" udp $FAR 33340 40049 --size 3000 --ttl 1  # fragments expire in qrouter: the quote is the reassembled header
    step in_ns $EXT python3 "$TRAFFIC" tcp-client $FIP 2222 40041       # the closed port's 5-tuple again (conntrack CLOSE -> new SYN)
    step in_ns $EXT python3 "$TRAFFIC" ping 172.30.89.126 8208          # qg-'s address: the snat namespace answers
    step in_ns $VM2 python3 "$TRAFFIC" ping 10.0.111.2 8209             # sg-'s address: the snat namespace answers
    step in_ns $VM python3 "$TRAFFIC" ping 172.30.89.129 8210           # fg-'s address from the VM: through the float SNAT
    step in_ns $VM python3 "$TRAFFIC" udp 10.0.111.1 33342 40051        # UDP to qr-'s address: no socket in qrouter
    step in_ns $EXT python3 "$TRAFFIC" udp 172.30.89.129 33343 40052    # UDP to fg-'s address: no socket in fip
    step in_ns $EXT python3 "$TRAFFIC" udp 172.30.89.126 33344 40053    # UDP to qg-'s address: no socket in snat-
    step in_ns $VM python3 "$TRAFFIC" udp 169.254.106.114 33345 40056   # UDP to rfp-'s address: the error comes from it, not from qr-
    step in_ns $VM python3 "$TRAFFIC" udp 169.254.106.115 33346 40057   # UDP to fpr-'s address: fip's error un-SNATed by qrouter
    step in_ns $VM python3 "$TRAFFIC" tcp-client 10.0.111.1 2223 40054  # TCP to qr-'s address: nothing listens in qrouter
    step in_ns $EXT python3 "$TRAFFIC" tcp-client 172.30.89.126 2224 40055  # TCP to qg-'s address: nothing listens in snat-
    step in_ns $VM python3 "$TRAFFIC" udp $FIP 33347 40058              # UDP hairpin to a closed port: the VM's own error back through DNAT+SNAT
    step in_ns $VM python3 "$TRAFFIC" tcp-client $FIP 2225 40059        # TCP hairpin: SYN and the VM's RST through DNAT+SNAT
    step in_ns $VM python3 "$TRAFFIC" ping 10.0.111.255 8211 --broadcast  # the tenant subnet's broadcast address
    step in_ns $VM python3 "$TRAFFIC" ping 10.0.111.1 8212 --rr 2       # echo request with Record Route to qr-'s address
    step in_ns $VM python3 "$TRAFFIC" ping 10.0.111.1 8213 --rr 3       # three slots: the reply claims the last for itself
    step in_ns $VM python3 "$TRAFFIC" tcp-client 10.0.111.1 2226 40061 --rr 2  # SYN with Record Route to qr-'s address: the RST echoes it
    step in_ns $VM python3 "$TRAFFIC" ping 10.0.111.1 8214 --rr 1 # a full option (the VM fills its only slot): echoed as it is
    step in_ns $VM2 python3 "$TRAFFIC" udp $FIP 33351 40071 --ttl 1     # TTL expires in qrouter after DNAT: what does the quote show?
    step in_ns $VM python3 "$TRAFFIC" ping $FIP 8215 --ttl 1            # the hairpin with TTL 1: DNATed, then expired
    step in_ns $VM python3 "$TRAFFIC" udp-badsum 10.0.111.9 $FAR 33352 40072   # a wrong UDP checksum through the float SNAT
    step in_ns $VM2 python3 "$TRAFFIC" udp-badsum 10.0.111.5 $FAR 33353 40073  # ... and through the central SNAT
    step in_ns $VM python3 "$TRAFFIC" ping 255.255.255.255 8216 --broadcast   # the limited broadcast
    step in_ns $VM python3 "$TRAFFIC" ip-proto 10.0.111.9 $FAR 47        # a protocol without ports (GRE) through the float SNAT
    step in_ns $VM python3 "$TRAFFIC" ip-proto 10.0.111.9 10.0.111.1 47  # ... to qr-'s address: no handler for it in qrouter
    step in_ns $EXT python3 "$TRAFFIC" ping $FIP 8217 --type 0          # a stray echo reply to the floating IP: can it open a connection?
    step in_ns $EXT python3 "$TRAFFIC" udp $FIP 33354 40074 --rr 3      # Record Route inbound through fip and qrouter (DNAT)
    step in_ns $VM python3 "$TRAFFIC" udp $FAR 33355 40075 --rr 2 --ttl 1  # Record Route expiring in qrouter: quoted with the checksum left stale at receive
    # Second round (session 9; in captures-s9 since its session 10 recapture): TOS bits through NAT, fragmented
    # echo, TTL in the central SNAT path, ICMP timestamp and source port 0 through DNAT.
    step in_ns $VM python3 "$TRAFFIC" udp $FAR 33360 40080 --tos 186    # DSCP EF + ECT(0) through the float SNAT (the error quotes it)
    step in_ns $EXT python3 "$TRAFFIC" udp $FIP 33361 40081 --tos 187   # DSCP EF + CE through DNAT
    step in_ns $VM2 python3 "$TRAFFIC" udp $FAR 33362 40082 --tos 186   # ... and through the central SNAT
    step in_ns $EXT python3 "$TRAFFIC" ping $FIP 8220 --size 3000       # a fragmented echo through DNAT, answered fragmented
    step in_ns $VM python3 "$TRAFFIC" ping $FAR 8221 --size 3000 --tos 2  # ... and through the float SNAT, ECT(0)
    step in_ns $VM2 python3 "$TRAFFIC" tcp-client $FAR 9998 40083 --ttl 2  # SYN expires in snat- after qrouter's hairpin
    step in_ns $VM2 python3 "$TRAFFIC" tcp-client $FAR 9997 40084 --ttl 1  # SYN expires in qrouter on the way to snat-
    step in_ns $EXT python3 "$TRAFFIC" ping $FIP 8222 --type 13         # ICMP timestamp request to the floating IP
    step in_ns $EXT python3 "$TRAFFIC" udp-raw 172.30.0.11 $FIP 33363 0 # UDP from source port 0 through DNAT
    step in_ns $VM python3 "$TRAFFIC" udp-raw 10.0.111.9 $FAR 33364 0   # ... and through the float SNAT
    step in_ns $EXT python3 "$TRAFFIC" eth-ping eth0 fa:16:3e:6f:c7:c5 172.30.0.11 169.254.106.115 8223  # fpr-'s link-local address from outside: fip answers
    step in_ns $EXT python3 "$TRAFFIC" eth-ping eth0 fa:16:3e:6f:c7:c5 172.30.0.11 169.254.106.114 8224  # rfp-'s: qrouter has no route back
    step in_ns $VM python3 "$TRAFFIC" ping $FAR 8225 --type 13          # a timestamp request through the float SNAT
    step in_ns $EXT python3 "$TRAFFIC" ping $FIP 8226 --type 17         # address mask request: conntrack takes it as NEW, the VM ignores it
    step in_ns $EXT python3 "$TRAFFIC" ping $FIP 8227 --type 15         # information request: the same
    step in_ns $VM python3 "$TRAFFIC" ping $FIP 8228 --size 3000       # the hairpin with fragments: reassembled, DNAT+SNAT, fragmented again
    step in_ns $VM2 python3 "$TRAFFIC" ping $FAR 8229 --size 3000      # a fragmented echo through the central SNAT
    step in_ns $VM python3 "$TRAFFIC" ping 224.0.0.1 8230              # all-hosts multicast on the tenant subnet
    step in_ns $VM python3 "$TRAFFIC" ping 10.0.111.0 8231 --broadcast # the subnet's network address
    step in_ns $EXT python3 "$TRAFFIC" eth-ping eth0 fa:16:3e:6f:c7:c5 172.30.89.140 172.30.89.140 8232  # a spoofed source: the floating IP itself
    step in_ns $EXT python3 "$TRAFFIC" eth-ping eth0 fa:16:3e:6f:c7:c5 172.30.89.129 $FIP 8233  # a spoofed source: fg-'s own address, martian in fip
    step in_ns $EXT python3 "$TRAFFIC" eth-ping eth0 fa:16:3e:6f:c7:c5 127.0.0.1 $FIP 8234      # loopback source (route_localnet 0): martian
    step in_ns $EXT python3 "$TRAFFIC" eth-ping eth0 fa:16:3e:6f:c7:c5 0.0.0.0 $FIP 8235        # zero source to a unicast address: martian
    step in_ns $EXT python3 "$TRAFFIC" eth-ping eth0 fa:16:3e:6f:c7:c5 224.0.0.5 $FIP 8236      # multicast source: martian
    step in_ns $EXT python3 "$TRAFFIC" eth-ping eth0 fa:16:3e:6f:c7:c5 172.30.0.11 127.0.0.1 8237  # loopback destination: martian destination
    step in_ns $VM python3 "$TRAFFIC" udp-raw 10.0.111.255 $FAR 33370 40090  # the subnet's broadcast address as the source
    step in_ns $VM python3 "$TRAFFIC" udp-raw 10.0.111.9 $FAR 33371 40091 --opt 9e04aabb  # an unknown IP option through the float SNAT
    # Malformed IP options (session 10): ip_options_compile at receive answers ICMP parameter problem
    # pointing at the bad byte and drops the packet.
    step in_ns $VM python3 "$TRAFFIC" udp-raw 10.0.111.9 $FAR 33372 40092 --opt 0702      # Record Route of length 2 (pointer: its length byte)
    step in_ns $VM python3 "$TRAFFIC" udp-raw 10.0.111.9 $FAR 33373 40093 --opt 070804    # an option longer than what is left of the header
    step in_ns $VM python3 "$TRAFFIC" udp-raw 10.0.111.9 10.0.111.1 33374 40094 --opt 0702  # ... addressed to qr-'s address (local input)
    step in_ns $EXT python3 "$TRAFFIC" udp-raw 172.30.0.11 $FIP 33375 40095 --opt 07070300000000  # RR pointer 3, inbound: fip answers
    step in_ns $VM python3 "$TRAFFIC" udp-raw 10.0.111.9 $FAR 33376 40096 --opt 0001      # a byte after End of Options: set to End, header checksum redone when forwarded
    # MTU (session 11; this phase builds scenario-mtu.yaml: the tenant devices at 1450, the rest at 1500).
    # Raw datagrams from ext-host (IP id 0x4545) of 1500 bytes, and fragments of 1500, toward the tenant
    # network: through the central SNAT (the reply direction of VM2's UDP connection 40140 <-> 7790, out
    # of sg-) and through the DNAT (out of qr-).
    step in_ns $VM2 python3 "$TRAFFIC" udp $FAR 7790 40140                    # opens the connection (port unreachable back)
    step in_ns $EXT python3 "$TRAFFIC" udp-frags $FAR 172.30.89.126 40140 7790 1480 --df    # DF, too big for sg-: fragmentation needed
    step in_ns $EXT python3 "$TRAFFIC" udp-frags $FAR 172.30.89.126 40140 7790 1480         # no DF: fragmented out of sg-
    step in_ns $EXT python3 "$TRAFFIC" udp-frags $FAR $FIP 33395 40141 1480 --df            # DF, too big for qr- (no route back in qrouter)
    step in_ns $EXT python3 "$TRAFFIC" udp-frags $FAR $FIP 33396 40142 1480                 # no DF: fragmented out of qr-
    step in_ns $EXT python3 "$TRAFFIC" udp-frags $FAR $FIP 33397 40143 1480 1480 48         # fragments of 1500: reassembled, cut again for qr-
    step in_ns $EXT python3 "$TRAFFIC" udp-frags $FAR 172.30.89.126 40140 7790 1480 1480 48 --df  # DF fragments of 1500: too big for sg-
    step in_ns $EXT python3 "$TRAFFIC" udp-frags $FAR $FIP 33398 40144 600 1400 48          # unequal fragments that fit: their sizes kept?
    step in_ns $EXT python3 "$TRAFFIC" udp-frags $FAR 172.30.89.126 40140 7790 1000 1000 48 --df  # DF fragments that fit sg-, their sum does not
    step in_ns $EXT python3 "$TRAFFIC" udp-frags $FAR $FIP 33400 40146 1464 --opt 070b040000000000000000  # Record Route (not copied): the later fragment's becomes NOPs
    # ICMP error rate limiting (session 10): qrouter's per-destination bucket (inet_peer_xrlim_allow:
    # 6 at once, then one per icmp_ratelimit = 1 s) for 10.0.111.6, to which nothing was sent before:
    # 10 TTL-1 datagrams at once get 6 time exceeded, 3 more 2.5 s later get 2. The sysctls it depends on,
    # as this kernel has them in a new namespace:
    in_ns qrouter-517ba029-f811-4af8-9cfd-6cef0babd1d1 sysctl net.ipv4.icmp_ratelimit net.ipv4.icmp_ratemask net.ipv4.icmp_msgs_per_sec net.ipv4.icmp_msgs_burst | sed 's/^/    /'
    step in_ns $VM2 python3 "$TRAFFIC" udp-series $FAR 33390 40110 0 0 0 0 0 0 0 0 0 0 2.5 2.5 2.5 --wait 3.5 --ttl 1 --bind 10.0.111.6
    # An ICMP error to the namespace's own address (session 10): VM2's datagrams to 172.30.0.98 (nobody's)
    # are SNATed to 172.30.89.126 in the snat namespace and queued there; on FAILED its host unreachables go
    # to 172.30.89.126 itself, are un-SNATed at OUTPUT (RELATED to the connection) and routed again: out of
    # sg- to VM2 (nf_nat_ipv4_local_fn -> ip_route_me_harder).
    step in_ns $VM2 python3 "$TRAFFIC" udp-series 172.30.0.98 33392 40120 0 0.3 --wait 4.5 --bind 10.0.111.5
    # Neighbour resolution over time (session 10): 172.30.0.99 is on fg-'s subnet but nobody has it. fip
    # queues the datagrams and ARPs (retrans_time 1 s, mcast_solicit 3), then marks the entry FAILED and
    # answers each queued one with host unreachable; the fourth, sent after the failure, starts it again
    # (the fifth waits behind it).
    # Last of the phase: the restart's retransmits and errors come after the last input (check runs the
    # model's pending timers up to the end of the capture).
    step in_ns $VM python3 "$TRAFFIC" udp-series 172.30.0.99 33380 40100 0 0.3 0.6 4.0 4.5 --wait 7.8
  fi
  [[ $groups == *" fip "* ]] || return 0
  step in_ns $EXT python3 "$TRAFFIC" ping $FIP 8194                      # world -> floating IP (DNAT, proxy ARP)
  in_ns $EXT python3 "$TRAFFIC" tcp-server 8080 >/dev/null & srv=$!; OWNED_PIDS+=($srv); sleep 0.3
  step in_ns $VM python3 "$TRAFFIC" tcp-client $FAR 8080 40001
  in_ns $VM python3 "$TRAFFIC" tcp-server 22 >/dev/null & srv=$!; OWNED_PIDS+=($srv); sleep 0.3
  step in_ns $EXT python3 "$TRAFFIC" tcp-client $FIP 22 40002
  step in_ns $VM python3 "$TRAFFIC" udp $FAR 33333 40003                 # port unreachable back through SNAT
  step in_ns $EXT python3 "$TRAFFIC" udp $FIP 33333 40004                # port unreachable back through DNAT
  step in_ns $VM python3 "$TRAFFIC" udp $FAR 33434 40005 --ttl 2         # time exceeded from the fip namespace
  step in_ns $VM python3 "$TRAFFIC" ping $FAR 12291 --ttl 1              # time exceeded from qrouter
  step in_ns $EXT python3 "$TRAFFIC" ping $FIP 16388 --ttl 1             # time exceeded from fip, inbound
}

# Deliberate breakages, applied after the build: the scenario (and so the model) keeps the truth.
break_snat() { in_ns qrouter-517ba029-f811-4af8-9cfd-6cef0babd1d1 iptables -t nat -R neutron-l3-agent-float-snat 1 -s 10.0.111.9/32 -j SNAT --to-source 172.30.89.141; }
break_proxyarp() { in_ns fip-cb1f1abb-443c-49df-b863-ba4cebf10d18 sysctl -qw net.ipv4.conf.fg-73de653f-c4.proxy_arp=0; }
break_gateway_snat() { in_ns snat-517ba029-f811-4af8-9cfd-6cef0babd1d1 iptables -t nat -R neutron-l3-agent-snat 1 -o qg-cf417cb0-53 -j SNAT --to-source 172.30.89.127; }

# phase NAME BREAKAGE EXPECT STAGE GROUPS...: build, (break), capture traffic, tear down, check.
# EXPECT: pass|fail; STAGE: the model stage the first divergence must name (- for none); GROUPS: send_traffic's.
# The namespace prefix takes the phase name's first letter: every phase name starts with its own.
phase() {
  local name=$1 breakage=$2 expect=$3 stage=$4 dir=$OUT_ROOT/$1 prefix="dpc$$${1:0:1}" entry labns scen dev role rc
  local SCENARIO=$SCENARIO
  [ "$name" = extra ] && SCENARIO=$EXTRA_SCENARIO
  shift 4
  mkdir -p "$dir"
  echo "== $name (namespaces $prefix-*)"
  node "$ROOT/dist/lab/dvr/plan.js" "$SCENARIO" "$prefix" >"$dir/plan.sh" || die "plan failed"
  # shellcheck disable=SC1090
  source "$dir/plan.sh"
  OWNED_NS+=("${LAB_NS[@]}")
  lab_build || die "build failed (see above)"
  [ "$breakage" = none ] || { echo "  breaking: $breakage"; "break_$breakage" || die "breakage $breakage failed"; }
  start_captures "$dir"
  send_traffic "$@"
  stop_captures
  teardown
  local args=()
  for entry in "${LAB_CAPTURES[@]}"; do
    IFS='|' read -r labns scen dev role <<<"$entry"
    args+=(--capture "$scen:$dev=$dir/$scen.$dev.pcap")
  done
  node "$CLI" check --scenario "$SCENARIO" --model neutron-dvr "${args[@]}" >"$dir/check.txt" 2>&1
  rc=$?
  sed 's/^/  | /' "$dir/check.txt" | head -40
  if [ "$expect" = pass ] && [ $rc -eq 0 ]; then echo "  OK: the model matches the real kernel at every device"; return 0; fi
  if [ "$expect" = fail ] && [ $rc -eq 1 ]; then
    if grep -q "first: .*stage [^)]*$stage" "$dir/check.txt"; then echo "  OK: breakage '$breakage' detected at stage $stage"; return 0; fi
    echo "  FAILED: breakage '$breakage' detected but the first divergence does not name stage $stage"; return 1
  fi
  echo "  FAILED: expected check to $expect, exit code $rc"
  return 1
}

status=0
start=$SECONDS
if [ "${LAB_ONLY:-}" = extra ]; then
  phase extra none pass - extra || status=1
  if [ -n "${LAB_KEEP_CAPTURES:-}" ]; then mkdir -p "$LAB_KEEP_CAPTURES" && cp "$OUT_ROOT"/extra/*.pcap "$LAB_KEEP_CAPTURES"/; fi
  echo "lab: $((SECONDS - start)) s"; echo "lab: captures and check output in $OUT_ROOT; exit $status"; exit $status
fi
phase clean none pass - fip snat || status=1
if [ -n "${LAB_KEEP_CAPTURES:-}" ]; then mkdir -p "$LAB_KEEP_CAPTURES" && cp "$OUT_ROOT"/clean/*.pcap "$LAB_KEEP_CAPTURES"/; fi
if [ "${LAB_ONLY:-}" != clean ]; then
  # The extra probes against today's kernel too, not only against captures-s9 (a kernel that changed
  # its answer to one of them shows up here, not as a silently stale golden).
  phase extra none pass - extra || status=1
  phase snat-to-other-fip snat fail 'qrouter-517ba029/nf_nat:POSTROUTING' fip || status=1
  phase proxyarp-removed proxyarp fail 'arp_proxy' fip || status=1
  phase gateway-snat-wrong-address gateway_snat fail 'snat-517ba029/nf_nat:POSTROUTING' warm-up-only || status=1
fi
echo "lab: $((SECONDS - start)) s"
echo "lab: captures and check output in $OUT_ROOT; exit $status"
exit $status

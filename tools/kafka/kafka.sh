#!/usr/bin/env bash
# tools/kafka/kafka.sh — a real, single-node Apache Kafka 4 broker (KRaft, combined broker +
# controller, no ZooKeeper, no Docker) for Tickler's integration tests and benchmarks.
#
# The jars come from Maven Central through tools/kafka/pom.xml and are cached outside the
# repository in ${TICKLER_TOOLS_CACHE:-$HOME/.cache/tickler-tools}/kafka-<version>/libs (resolved
# once; later starts reuse them). Everything about one broker — config, data, logs, pid, ports —
# lives in the <state-dir> the caller chooses, so tests can run several brokers side by side.
# The broker listens on 127.0.0.1 only, on free ports picked at the first start.
#
# Usage:
#   kafka.sh start     <state-dir>   start (first time: pick ports, write server.properties, format
#                                    storage), wait until it serves, create the topics, print
#                                    host:port of the bootstrap server; the broker keeps running
#   kafka.sh stop      <state-dir>   SIGTERM, up to 20 s, then SIGKILL; idempotent
#   kafka.sh restart   <state-dir>   stop + start on the same ports and data (no re-format)
#   kafka.sh bootstrap <state-dir>   print host:port
#   kafka.sh status    <state-dir>   exit 0 if the broker process is alive
#   kafka.sh tool      <state-dir> <main-class> [args...]
#                                    run a Kafka CLI class on the broker's classpath, e.g.
#                                    org.apache.kafka.tools.TopicCommand --bootstrap-server "$(kafka.sh bootstrap D)" --list
#   kafka.sh fetch                   only resolve the jars (e.g. to warm a CI cache)
#
# How tests use it:  S=$(mktemp -d); BOOT=$(tools/kafka/kafka.sh start "$S"); ...point daprd's
# pubsub.kafka component at $BOOT...; tools/kafka/kafka.sh restart "$S" to bounce the broker
# under load; tools/kafka/kafka.sh stop "$S" in the teardown (always).
#
# Environment:
#   TICKLER_TOOLS_CACHE  jar cache root (default ~/.cache/tickler-tools)
#   KAFKA_TOPICS         topics created at start, space-separated, each NAME or NAME:PARTITIONS
#                        (default "task-events reminders task-updates notifications"); set it to
#                        "" for none
#   KAFKA_PARTITIONS     partitions of a topic without :N, and of auto-created topics (default 4)
#   KAFKA_DLQ            1 (default): also create NAME.dlq with 1 partition for every topic
#   KAFKA_START_TIMEOUT  seconds to wait for the broker (default 60)
#   KAFKA_STOP_TIMEOUT   seconds between SIGTERM and SIGKILL (default 20)
#   KAFKA_HEAP_OPTS      default "-Xms128m -Xmx384m"
#   KAFKA_JVM_OPTS       default "-XX:+UseSerialGC -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError"
#   KAFKA_LOG_LEVEL      root log level of <state-dir>/kafka.log (default WARN)
#   JAVA, MVN            java / mvn executables (Java 17+ is required by Kafka 4)
#
# Files in <state-dir>: server.properties, cluster-id, bootstrap (host:port), controller
# (host:port), pid, data/ (log.dirs), kafka.log (log4j2), kafka.out (stdout/stderr of the JVM),
# tools.log (format/admin/CLI classes).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly here
version=$(sed -n 's:.*<kafka\.version>\([^<]*\)</kafka\.version>.*:\1:p' "$here/pom.xml" | head -n 1)
readonly version
[[ -n $version ]] || { echo "kafka.sh: no <kafka.version> in $here/pom.xml" >&2; exit 2; }
cache=${TICKLER_TOOLS_CACHE:-$HOME/.cache/tickler-tools}/kafka-$version
readonly cache
readonly libs=$cache/libs
readonly log4j_conf=$here/log4j2.properties
JAVA=${JAVA:-java}
MVN=${MVN:-mvn}

die() { echo "kafka.sh: $*" >&2; exit 1; }
note() { echo "kafka.sh: $*" >&2; }

usage() {
  sed -n '/^# Usage:/,/^# How tests/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}

# --- the jars ---------------------------------------------------------------------------------

pom_stamp() { sha256sum "$here/pom.xml" | cut -d' ' -f1; }

# Resolve the broker's jars into $libs unless a complete copy for this pom is there already.
# Serialised with flock so that tests starting brokers in parallel resolve once.
ensure_libs() {
  local stamp
  stamp=$(pom_stamp)
  if [[ -f $cache/libs.ok && $(cat "$cache/libs.ok") == "$stamp" ]]; then return 0; fi
  mkdir -p "$cache"
  exec 8>"$cache/.lock"
  flock 8
  if [[ ! -f $cache/libs.ok || $(cat "$cache/libs.ok") != "$stamp" ]]; then
    command -v "$MVN" >/dev/null || die "mvn not found (apt-get install maven), needed once to fetch Kafka $version"
    note "resolving Kafka $version jars from Maven Central into $libs (once) ..."
    local t0=$SECONDS
    rm -rf "$cache/libs.tmp" "$cache/libs.ok"
    if ! "$MVN" -B -q -f "$here/pom.xml" dependency:copy-dependencies \
        -Dkafka.libs.dir="$cache/libs.tmp" >"$cache/mvn.log" 2>&1; then
      tail -n 40 "$cache/mvn.log" >&2
      die "mvn could not resolve Kafka $version (full log: $cache/mvn.log)"
    fi
    [[ -f $cache/libs.tmp/kafka_2.13-$version.jar ]] || die "kafka_2.13-$version.jar missing after resolution"
    rm -rf "$libs"
    mv "$cache/libs.tmp" "$libs"
    echo "$stamp" >"$cache/libs.ok"
    note "resolved $(find "$libs" -name '*.jar' | wc -l) jars in $((SECONDS - t0)) s"
  fi
  flock -u 8
  exec 8>&-
}

# --- the admin helper (readiness + topics in one JVM, compiled once into the cache) ------------

read -r -d '' helper_src <<'JAVA' || true
import java.util.*;
import java.util.concurrent.*;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;

/** kafka.sh's helper: wait until the broker serves, then create the topics. */
public final class TicklerKafkaAdmin {
  public static void main(String[] a) throws Exception {
    String bootstrap = a[0];
    long pid = Long.parseLong(a[1]);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(a[2]));
    String clusterId = a[3];
    Map<String, Integer> topics = new LinkedHashMap<>();
    for (int i = 4; i < a.length; i++) {
      String[] p = a[i].split(":");
      topics.put(p[0], Integer.parseInt(p[1]));
    }
    Properties c = new Properties();
    c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
    c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
    c.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "100");
    c.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
    try (Admin admin = Admin.create(c)) {
      while (true) {
        alive(pid);
        try {
          DescribeClusterResult r = admin.describeCluster();
          String id = r.clusterId().get(5, TimeUnit.SECONDS);
          if (!clusterId.equals(id)) {
            // Someone else's broker on our port (ours failed to bind): never talk to it.
            fail(bootstrap + " is answered by another Kafka cluster (" + id + "), not ours (" + clusterId + ")");
          }
          if (!r.nodes().get(5, TimeUnit.SECONDS).isEmpty()) break;
        } catch (ExecutionException | TimeoutException e) {
          // not up yet
        }
        if (System.nanoTime() > deadline) fail("broker did not answer a metadata request in time");
        Thread.sleep(200);
      }
      while (true) {
        alive(pid);
        Set<String> have = admin.listTopics().names().get(10, TimeUnit.SECONDS);
        List<NewTopic> create = new ArrayList<>();
        topics.forEach((name, parts) -> {
          if (!have.contains(name)) create.add(new NewTopic(name, parts, (short) 1));
        });
        if (create.isEmpty()) break;
        for (Map.Entry<String, KafkaFuture<Void>> f : admin.createTopics(create).values().entrySet()) {
          try {
            f.getValue().get(15, TimeUnit.SECONDS);
          } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
              if (System.nanoTime() > deadline) fail("cannot create topic " + f.getKey() + ": " + e.getCause());
            }
          }
        }
        if (System.nanoTime() > deadline) fail("topics not created in time");
      }
      // Every partition of every topic has a leader before the tests start producing.
      while (!topics.isEmpty()) {
        alive(pid);
        boolean ready = true;
        try {
          for (TopicDescription d : admin.describeTopics(topics.keySet()).allTopicNames()
                                         .get(10, TimeUnit.SECONDS).values()) {
            for (var p : d.partitions()) if (p.leader() == null || p.leader().isEmpty()) ready = false;
          }
        } catch (ExecutionException e) {
          ready = false;
        }
        if (ready) break;
        if (System.nanoTime() > deadline) fail("topic partitions have no leader in time");
        Thread.sleep(200);
      }
    }
  }

  static void alive(long pid) {
    if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) fail("broker process " + pid + " exited");
  }

  static void fail(String why) {
    System.err.println("kafka.sh: " + why);
    System.exit(3);
  }
}
JAVA

helper_dir() { echo "$cache/helper-$(printf '%s' "$helper_src" | sha256sum | cut -c1-12)"; }

ensure_helper() {
  local dir
  dir=$(helper_dir)
  [[ -f $dir/TicklerKafkaAdmin.class ]] && return 0
  mkdir -p "$dir.tmp.$$"
  printf '%s\n' "$helper_src" >"$dir.tmp.$$/TicklerKafkaAdmin.java"
  local javac=javac
  command -v javac >/dev/null || javac=$(dirname "$(readlink -f "$(command -v "$JAVA")")")/javac
  "$javac" -nowarn -cp "$libs/*" -d "$dir.tmp.$$" "$dir.tmp.$$/TicklerKafkaAdmin.java" \
    || die "cannot compile the admin helper (needs a JDK 17+: javac)"
  rm -rf "$dir"
  mv "$dir.tmp.$$" "$dir" 2>/dev/null || rm -rf "$dir.tmp.$$"   # lost a race: theirs is as good
}

# --- the broker process -------------------------------------------------------------------------

# java for short-lived client classes: small heap, fast start, logs to <state>/tools.log. Extra
# classpath entries go AFTER the jars, so that the broker's CDS archive (a prefix) still applies.
client_java() {
  local state=$1 heap=$2 cp=$3 cds=()
  shift 3
  if [[ ${KAFKA_CDS:-1} == 1 && -s $(cds_archive) ]]; then
    cds=("-XX:SharedArchiveFile=$(cds_archive)" -Xlog:cds=off -Xlog:cds+dynamic=off)
  fi
  "$JAVA" "-Xmx$heap" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData "${cds[@]}" \
    -Djava.net.preferIPv4Stack=true \
    -Dlog4j2.configurationFile="$log4j_conf" -Dtickler.kafka.log="$state/tools.log" \
    -cp "$libs/*$cp" "$@"
}

run_tool_java() {
  local state=$1
  shift
  client_java "$state" 256m "" "$@"
}

# Class-data sharing: loading and verifying the broker's classes is most of its start-up, ~9 s of
# CPU on a 2-core machine; with a CDS archive of them it is ~5 s. The first broker started without
# an archive records one when it stops (-XX:ArchiveClassesAtExit, JDK 13+); later starts map it.
# The archive is keyed by the JDK build and the jar set and lives beside the jars; a stale one is
# ignored by the JVM (-Xshare:auto). KAFKA_CDS=0 turns this off.
cds_archive() {
  local jvm key
  jvm=$(readlink -f "$(command -v "$JAVA")")
  key=$({ stat -L -c '%n %s %Y' "$jvm" "$(dirname "$jvm")/../lib/server/libjvm.so" 2>/dev/null || true
          cat "$cache/libs.ok"; } | sha256sum | cut -c1-12)
  echo "$cache/cds-$key.jsa"
}

cds_opts() {   # JVM options for the broker; notes a pending archive in <state>/cds-pending
  local state=$1 archive
  [[ ${KAFKA_CDS:-1} == 1 ]] || return 0
  archive=$(cds_archive)
  rm -f "$state/cds-pending"
  if [[ -s $archive ]]; then
    echo "-XX:SharedArchiveFile=$archive -Xlog:cds=off -Xlog:cds+dynamic=off"
  else
    echo "$archive.$$.tmp" >"$state/cds-pending"
    echo "-XX:ArchiveClassesAtExit=$archive.$$.tmp -Xlog:cds=off -Xlog:cds+dynamic=off"
  fi
}

cds_collect() {   # after the broker exited: publish the archive it recorded, if any
  local state=$1 killed=${2:-0} tmp
  [[ -f $state/cds-pending ]] || return 0
  tmp=$(cat "$state/cds-pending")
  rm -f "$state/cds-pending"
  if [[ $killed == 0 && -s $tmp ]]; then mv -f "$tmp" "${tmp%.*.tmp}"; else rm -f "$tmp"; fi
}

# The pid in <state>/pid if that process is alive (not a zombie) and is our kafka.Kafka. Bash
# builtins only: stop polls it.
live_pid() {
  local state=$1 pid stat args=() i
  [[ -f $state/pid ]] || return 1
  read -r pid <"$state/pid" || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  { read -r stat <"/proc/$pid/stat" && mapfile -d '' args <"/proc/$pid/cmdline"; } 2>/dev/null || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z && ${stat:0:1} != X ]] || return 1
  for ((i = 0; i + 1 < ${#args[@]}; i++)); do
    if [[ ${args[i]} == kafka.Kafka && ${args[i + 1]} == "$state/server.properties" ]]; then
      echo "$pid"
      return 0
    fi
  done
  return 1
}

wait_gone() {   # wait_gone <state> <seconds>: 0 once the broker is gone, 1 if still alive then
  local state=$1 deadline=$((SECONDS + $2))
  while live_pid "$state" >/dev/null; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

# Prints N distinct free loopback TCP ports, one per line. They are taken below the kernel's
# ephemeral range (ip_local_port_range), so that no outgoing connection can be holding one of them
# when the broker binds it again on `restart`.
free_ports() {
  local n=$1 lo=20000 hi=32768 range got=() p
  range=$(cat /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo "32768 60999")
  hi=${range%%[[:space:]]*}
  ((hi - lo >= 1000)) || { lo=1024; }
  if command -v python3 >/dev/null 2>&1; then
    python3 - "$n" "$lo" "$hi" <<'PY' && return 0
import random, socket, sys
n, lo, hi = map(int, sys.argv[1:4])
socks = []
while len(socks) < n:
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", random.randrange(lo, hi)))
        socks.append(s)
    except OSError:
        s.close()
for s in socks:
    print(s.getsockname()[1])
PY
  fi
  while ((${#got[@]} < n)); do
    p=$((lo + (RANDOM * 32768 + RANDOM) % (hi - lo)))
    [[ " ${got[*]} " == *" $p "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then got+=("$p"); fi
  done
  printf '%s\n' "${got[@]}"
}

new_cluster_id() {   # a Kafka Uuid: 16 random bytes, base64url without padding, not starting with '-'
  local id
  while :; do
    id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    [[ ${#id} == 22 && $id != -* && $id != AAAAAAAAAAAAAAAAAAAAA* ]] && { echo "$id"; return; }
  done
}

write_config() {
  local state=$1 ports bport cport
  mapfile -t ports < <(free_ports 2)
  bport=${ports[0]} cport=${ports[1]}
  cat >"$state/server.properties" <<EOF
# Written by tools/kafka/kafka.sh (test broker; single node, KRaft combined mode).
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$bport,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$bport
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$state/data

# One broker: every internal topic has one replica.
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1

auto.create.topics.enable=true
num.partitions=${KAFKA_PARTITIONS:-4}
group.initial.rebalance.delay.ms=0

# After a crash (kill -9) the restarted broker cannot register until the controller has expired
# the dead incarnation's session: 5 s instead of the default 9 s.
broker.session.timeout.ms=5000
broker.heartbeat.interval.ms=1000

# Small machine (2 cores): few threads.
num.network.threads=2
num.io.threads=2
num.recovery.threads.per.data.dir=1
background.threads=2
log.cleaner.threads=1
group.coordinator.threads=1
# The cleaner (compaction of __consumer_offsets) allocates this up front: 128 MiB by default.
log.cleaner.dedupe.buffer.size=16777216
EOF
  echo "127.0.0.1:$bport" >"$state/bootstrap"
  echo "127.0.0.1:$cport" >"$state/controller"
}

format_storage() {
  local state=$1 id
  id=$(new_cluster_id)
  if ! run_tool_java "$state" kafka.tools.StorageTool format -t "$id" -c "$state/server.properties" \
      >>"$state/tools.log" 2>&1; then
    tail -n 30 "$state/tools.log" >&2
    die "kafka-storage format failed"
  fi
  echo "$id" >"$state/cluster-id"
}

topic_specs() {   # NAME:PARTITIONS per line from KAFKA_TOPICS / KAFKA_PARTITIONS / KAFKA_DLQ
  local t name parts
  for t in ${KAFKA_TOPICS-task-events reminders task-updates notifications}; do
    name=${t%%:*}
    parts=${KAFKA_PARTITIONS:-4}
    [[ $t == *:* ]] && parts=${t#*:}
    echo "$name:$parts"
    if [[ ${KAFKA_DLQ:-1} == 1 && $name != *.dlq ]]; then echo "$name.dlq:1"; fi
  done
}

show_failure() {
  local state=$1
  echo "----- last errors in $state/kafka.log -----" >&2
  grep -E '^\[[^]]*\] (ERROR|FATAL)' "$state/kafka.log" 2>/dev/null | tail -n 8 >&2 || true
  echo "----- tail of $state/kafka.log -----" >&2
  tail -n 30 "$state/kafka.log" >&2 2>/dev/null || true
  echo "----- tail of $state/kafka.out -----" >&2
  tail -n 20 "$state/kafka.out" >&2 2>/dev/null || true
}

cmd_start() {
  [[ $# == 1 ]] || usage
  mkdir -p "$1"
  local state pid specs
  state=$(cd "$1" && pwd)
  ensure_libs
  ensure_helper
  if ! pid=$(live_pid "$state"); then
    [[ -f $state/server.properties ]] || write_config "$state"
    [[ -f $state/data/meta.properties ]] || format_storage "$state"
    local cds
    cds=$(cds_opts "$state")
    # shellcheck disable=SC2086  # word splitting of the option strings is intended
    setsid "$JAVA" ${KAFKA_HEAP_OPTS:--Xms128m -Xmx384m} \
      ${KAFKA_JVM_OPTS:--XX:+UseSerialGC -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError} \
      $cds -Djava.awt.headless=true -Djava.net.preferIPv4Stack=true \
      -Dlog4j2.configurationFile="$log4j_conf" -Dtickler.kafka.log="$state/kafka.log" \
      -Dtickler.kafka.level="${KAFKA_LOG_LEVEL:-WARN}" \
      -cp "$libs/*" kafka.Kafka "$state/server.properties" \
      </dev/null >>"$state/kafka.out" 2>&1 &
    pid=$!
    echo "$pid" >"$state/pid"
  fi
  mapfile -t specs < <(topic_specs)
  if ! client_java "$state" 96m ":$(helper_dir)" TicklerKafkaAdmin "$(cat "$state/bootstrap")" "$pid" \
      "${KAFKA_START_TIMEOUT:-60}" "$(cat "$state/cluster-id")" "${specs[@]}"; then
    show_failure "$state"
    cmd_stop "$state" >/dev/null 2>&1 || true
    die "Kafka did not come up (state dir $state)"
  fi
  cat "$state/bootstrap"
}

cmd_stop() {
  [[ $# == 1 ]] || usage
  local state=$1 pid killed=0
  [[ -d $state ]] || return 0
  state=$(cd "$state" && pwd)
  if pid=$(live_pid "$state"); then
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_gone "$state" "${KAFKA_STOP_TIMEOUT:-20}"; then
      note "broker $pid ignored SIGTERM for ${KAFKA_STOP_TIMEOUT:-20} s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      killed=1
      wait_gone "$state" 10 || die "broker $pid survived SIGKILL"
    fi
    echo "[$(date -u +%Y-%m-%dT%H:%M:%S)] kafka.sh: broker $pid stopped$( ((killed)) && echo ' (SIGKILL)')" \
      >>"$state/kafka.log"
  fi
  rm -f "$state/pid"
  cds_collect "$state" "$killed"
}

cmd_bootstrap() {
  [[ $# == 1 ]] || usage
  [[ -f $1/bootstrap ]] || die "no broker was ever started in $1"
  cat "$1/bootstrap"
}

cmd_status() {
  [[ $# == 1 ]] || usage
  local state
  state=$(cd "$1" 2>/dev/null && pwd) || return 1
  live_pid "$state" >/dev/null
}

cmd_tool() {
  [[ $# -ge 2 ]] || usage
  local state
  mkdir -p "$1"
  state=$(cd "$1" && pwd)
  shift
  ensure_libs
  run_tool_java "$state" "$@"
}

case ${1:-} in
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  restart) shift; [[ $# == 1 ]] || usage; cmd_stop "$1"; cmd_start "$1" ;;
  bootstrap) shift; cmd_bootstrap "$@" ;;
  status) shift; cmd_status "$@" ;;
  tool) shift; cmd_tool "$@" ;;
  fetch) ensure_libs; echo "$libs" ;;
  *) usage ;;
esac

#!/usr/bin/env bash
# Generates the Strimzi CustomResourceDefinitions (Kafka, KafkaNodePool, KafkaTopic, KafkaUser)
# with Strimzi's CrdGenerator from the io.strimzi:api classes of the version pinned in pom.xml,
# into a cache directory outside the repo, once per version. Prints that directory last.
# Needs Maven and a Java 21 or newer (Strimzi 1.x is built for 21).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { echo "tools/deploy-check/strimzi: $*" >&2; }

version="$(sed -n 's|.*<strimzi.version>\(.*\)</strimzi.version>.*|\1|p' "$here/pom.xml")"
[[ -n "$version" ]] || { log "no strimzi.version in pom.xml"; exit 1; }
cache_root="${TICKLER_TOOLS_CACHE:-$HOME/.cache/tickler-tools}"
out="$cache_root/strimzi-crds-$version"
if [[ -s "$out/kafka.yaml" && -s "$out/kafkanodepool.yaml" && -s "$out/kafkatopic.yaml" ]]; then
  echo "$out"; exit 0
fi

java_major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
java=""
for j in "${JAVA21_HOME:-}/bin/java" /usr/lib/jvm/temurin-25-jdk-amd64/bin/java /usr/lib/jvm/*/bin/java "$(command -v java || true)"; do
  [[ -x "$j" ]] || continue
  if (( $(java_major "$j") >= 21 )); then java="$j"; break; fi
done
[[ -n "$java" ]] || { log "no Java 21 or newer found (set JAVA21_HOME); Strimzi $version needs it"; exit 1; }
command -v mvn >/dev/null || { log "mvn is not on PATH (scripts/deps.sh deploy installs it)"; exit 1; }

mkdir -p "$cache_root"
tmp="$(mktemp -d "$cache_root/.strimzi-crds.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
log "fetching io.strimzi:api and crd-generator $version ..."
mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies -DexcludeTransitive=true \
  -DoutputDirectory="$tmp/lib" >&2
log "generating the CRDs with $java ..."
"$java" -cp "$tmp/lib/*" io.strimzi.crdgenerator.CrdGenerator \
  --label app:strimzi --label strimzi.io/crd-install:true \
  --target-kube 1.16+ --crd-api-version v1 --api-versions v1 --storage-version v1 --yaml \
  io.strimzi.api.kafka.model.kafka.Kafka="$tmp/kafka.yaml" \
  io.strimzi.api.kafka.model.nodepool.KafkaNodePool="$tmp/kafkanodepool.yaml" \
  io.strimzi.api.kafka.model.topic.KafkaTopic="$tmp/kafkatopic.yaml" \
  io.strimzi.api.kafka.model.user.KafkaUser="$tmp/kafkauser.yaml" >&2
mkdir -p "$out"
mv -f "$tmp"/*.yaml "$out/"
echo "$out"

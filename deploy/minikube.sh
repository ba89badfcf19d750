#!/usr/bin/env bash
# Tickler on Minikube, from nothing to a tested install:
#   1. Minikube (profile tickler) with the ingress and metrics-server addons
#   2. Dapr from its Helm chart into dapr-system
#   3. the Strimzi operator and the Kafka cluster + topics of deploy/kafka/strimzi (namespace kafka)
#   4. PostgreSQL for trying it out (deploy/helm/tickler-postgres) and the services' Secrets
#   5. the image, built inside Minikube from deploy/docker/Dockerfile
#   6. helm upgrade --install of deploy/helm/tickler with values-minikube.yaml, then helm test
#   7. the URL
# Each step checks what it needs first and says what failed and what to look at. Re-running is
# safe: every step is an install-or-upgrade. See docs/deploy-kubernetes.md.
#
#   ./deploy/minikube.sh            everything
#   ./deploy/minikube.sh --no-build reuse the image already in Minikube
#   ./deploy/minikube.sh --delete   remove the Minikube profile
#
# Environment: MINIKUBE_PROFILE (tickler), MINIKUBE_CPUS (4), MINIKUBE_MEMORY (8192),
# DAPR_VERSION (1.16.0), STRIMZI_VERSION (1.2.0), NAMESPACE (tickler), RELEASE (tickler),
# SMTP_URL (none: no email; else the Secret smtp-url the notifier mails reminders through).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
profile="${MINIKUBE_PROFILE:-tickler}"
ns="${NAMESPACE:-tickler}"
release="${RELEASE:-tickler}"
dapr_version="${DAPR_VERSION:-1.16.0}"
strimzi_version="${STRIMZI_VERSION:-1.2.0}"
build=1

step() { printf '\n==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
fail() {
  printf '\nFAILED: %s\n' "$1" >&2
  shift
  for hint in "$@"; do printf '  - %s\n' "$hint" >&2; done
  exit 1
}
need() {
  command -v "$1" >/dev/null || fail "$1 is not installed" "${2:-install $1 and run this again}"
}
kc() { kubectl --context "$profile" "$@"; }
hm() { helm --kube-context "$profile" "$@"; }

case "${1:-}" in
  --no-build) build=0 ;;
  --delete) minikube delete -p "$profile"; exit 0 ;;
  "") ;;
  *) echo "usage: $0 [--no-build|--delete]" >&2; exit 2 ;;
esac

step "prerequisites"
need minikube "https://minikube.sigs.k8s.io/docs/start/"
need kubectl "https://kubernetes.io/docs/tasks/tools/"
need helm "Helm 3.19 or newer: https://helm.sh/docs/intro/install/ (or build the pinned one: tools/deploy-check/build.sh)"
need openssl
helm_version=$(helm version --short)
[[ $helm_version =~ ^v3\.([0-9]+)\. ]] && ((BASH_REMATCH[1] >= 19)) \
  || fail "helm v3.19 or a later v3 is needed (found $helm_version)"

step "1/7 Minikube (profile $profile)"
if minikube status -p "$profile" >/dev/null 2>&1; then
  info "already running"
else
  minikube start -p "$profile" --cpus "${MINIKUBE_CPUS:-4}" --memory "${MINIKUBE_MEMORY:-8192}" \
    --kubernetes-version=stable --addons=ingress,metrics-server \
    || fail "minikube start failed" "minikube logs -p $profile" \
            "a driver is needed (docker, podman, kvm2, …): minikube start --driver=…"
fi
minikube addons enable ingress -p "$profile" >/dev/null
minikube addons enable metrics-server -p "$profile" >/dev/null
kc cluster-info >/dev/null 2>&1 \
  || fail "cannot reach the cluster's API server (context $profile)" "kubectl config get-contexts" "minikube status -p $profile"
for what in "create namespaces" "create clusterroles" "create customresourcedefinitions"; do
  # shellcheck disable=SC2086
  kc auth can-i $what >/dev/null 2>&1 || fail "RBAC: this user cannot $what" \
    "Dapr and Strimzi install cluster-wide resources: use a cluster-admin context"
done
kc get storageclass -o name | grep -q . \
  || fail "no StorageClass: Kafka and PostgreSQL need persistent volumes" \
          "minikube addons enable default-storageclass storage-provisioner -p $profile"
kc get storageclass -o jsonpath='{.items[?(@.metadata.annotations.storageclass\.kubernetes\.io/is-default-class=="true")].metadata.name}' | grep -q . \
  || fail "no default StorageClass" "kubectl patch storageclass standard -p '{\"metadata\":{\"annotations\":{\"storageclass.kubernetes.io/is-default-class\":\"true\"}}}'"
info "API server, RBAC and a default StorageClass: ok"

step "2/7 Dapr $dapr_version (Helm chart dapr/dapr into dapr-system)"
hm repo add dapr https://dapr.github.io/helm-charts >/dev/null 2>&1 || true
hm repo update dapr >/dev/null || fail "cannot reach the Dapr Helm repository" "check the network / proxy settings"
hm upgrade --install dapr dapr/dapr --version "$dapr_version" -n dapr-system --create-namespace \
  --set global.ha.enabled=false --set global.logAsJson=true --wait --timeout 10m \
  || fail "Dapr did not install" "kubectl -n dapr-system get pods" "kubectl -n dapr-system describe pods"
for d in dapr-operator dapr-sidecar-injector dapr-sentry; do
  kc -n dapr-system rollout status "deploy/$d" --timeout=5m >/dev/null \
    || fail "Dapr's $d is not ready" "kubectl -n dapr-system logs deploy/$d"
done
kc -n dapr-system rollout status statefulset/dapr-scheduler-server --timeout=5m >/dev/null \
  || fail "the Dapr scheduler (Jobs API, used by the notifier) is not ready" \
          "kubectl -n dapr-system describe statefulset dapr-scheduler-server (it needs a PersistentVolume)"
info "Dapr control plane ready"

step "3/7 Strimzi $strimzi_version and the Kafka cluster (namespace kafka)"
hm upgrade --install strimzi oci://quay.io/strimzi-helm/strimzi-kafka-operator --version "$strimzi_version" \
  -n kafka --create-namespace --wait --timeout 10m \
  || fail "the Strimzi operator did not install" "kubectl -n kafka get pods" "kubectl -n kafka logs deploy/strimzi-cluster-operator"
kc -n kafka apply -f "$repo/deploy/kafka/strimzi/" >/dev/null \
  || fail "the Kafka resources were refused" "a Strimzi release with the kafka.strimzi.io/v1 API is needed (1.0 or newer)"
info "waiting for Kafka (KRaft) to be ready (first start pulls images; up to 10 minutes)"
kc -n kafka wait kafka/tickler-kafka --for=condition=Ready --timeout=10m >/dev/null \
  || fail "Kafka is not ready" "kubectl -n kafka get kafka tickler-kafka -o yaml (status.conditions)" \
          "kubectl -n kafka get pods; kubectl -n kafka get pvc (storage?)"
kc -n kafka wait kafkatopic --all --for=condition=Ready --timeout=5m >/dev/null \
  || fail "not every topic is ready" "kubectl -n kafka get kafkatopics" "kubectl -n kafka logs deploy/tickler-kafka-entity-operator -c topic-operator"
info "Kafka and $(kc -n kafka get kafkatopics -o name | wc -l) topics ready"

step "4/7 PostgreSQL (dev) and the services' Secrets (namespace $ns)"
kc create namespace "$ns" --dry-run=client -o yaml | kc apply -f - >/dev/null
hm upgrade --install tickler-postgres "$repo/deploy/helm/tickler-postgres" -n "$ns" --wait --timeout 5m \
  || fail "PostgreSQL did not start" "kubectl -n $ns describe statefulset tickler-postgres-postgres"
pg_secret=tickler-postgres-postgres
secret_value() { kc -n "$ns" get secret "$1" -o "jsonpath={.data.$2}" | base64 -d; }
for role in api notifier auditor state; do
  url="$(secret_value "$pg_secret" "tickler-$role-url")"
  kc -n "$ns" create secret generic "$role-database-url" --from-literal="$role-database-url=$url" \
    --dry-run=client -o yaml | kc apply -f - >/dev/null
done
if ! kc -n "$ns" get secret jwt-secret >/dev/null 2>&1; then
  kc -n "$ns" create secret generic jwt-secret --from-literal="jwt-secret=$(openssl rand -hex 32)" >/dev/null
fi
info "Secrets api-database-url notifier-database-url auditor-database-url state-database-url jwt-secret: ok"
if [[ -n "${SMTP_URL:-}" ]]; then
  kc -n "$ns" create secret generic smtp-url --from-literal="smtp-url=$SMTP_URL" \
    --dry-run=client -o yaml | kc apply -f - >/dev/null
  info "Secret smtp-url: ok (email on; mailed links start with the chart's publicUrl)"
fi

step "5/7 the image tickler:dev, built inside Minikube"
if (( build )); then
  minikube image build -p "$profile" -t tickler:dev -f deploy/docker/Dockerfile "$repo" \
    || fail "the image did not build" "the Dockerfile builds the C++ binary and web/: see the output above"
fi
minikube image ls -p "$profile" | grep -q 'tickler:dev' \
  || fail "tickler:dev is not in Minikube's image store" "run without --no-build"
info "tickler:dev available to the cluster (pullPolicy Never)"

step "6/7 helm upgrade --install $release (values-minikube.yaml)"
previous="$(hm -n "$ns" history "$release" --max 1 -o json 2>/dev/null | sed -n 's/.*"revision":\([0-9]*\).*/\1/p' || true)"
if ! hm upgrade --install "$release" "$repo/deploy/helm/tickler" -n "$ns" \
      -f "$repo/deploy/helm/tickler/values-minikube.yaml" --wait --timeout 10m; then
  kc -n "$ns" get pods -o wide >&2 || true
  kc -n "$ns" get events --sort-by=.lastTimestamp 2>/dev/null | tail -20 >&2 || true
  if [[ -n "$previous" ]]; then
    echo "rolling back to revision $previous" >&2
    hm -n "$ns" rollback "$release" "$previous" --wait || true
  fi
  fail "the release did not become ready" \
       "migrations: kubectl -n $ns logs job/$release-tickler-migrate" \
       "a service: kubectl -n $ns logs deploy/$release-tickler-api -c tickler (and -c daprd)" \
       "image: kubectl -n $ns describe pod … (ErrImageNeverPull means the image is not in Minikube)"
fi
# Every service pod must carry its sidecar: without the injector's webhook the pods start alone.
for role in api notifier recurrer auditor realtime assistant frontend; do
  containers="$(kc -n "$ns" get pods -l "app.kubernetes.io/instance=$release,app.kubernetes.io/component=$role" \
    -o jsonpath='{.items[0].spec.containers[*].name}')"
  [[ " $containers " == *" daprd "* ]] || fail "the $role pod has no daprd sidecar (containers: $containers)" \
    "kubectl -n dapr-system logs deploy/dapr-sidecar-injector" "is the pod annotated dapr.io/enabled=true?"
done
info "every service runs beside its Dapr sidecar"

step "7/7 helm test and the consumer groups"
hm test "$release" -n "$ns" --logs --timeout 5m \
  || fail "helm test failed" "kubectl -n $ns logs $release-tickler-test-api"
groups="$(kc -n kafka exec tickler-kafka-dual-role-0 -c kafka -- \
  bin/kafka-consumer-groups.sh --bootstrap-server localhost:9092 --list 2>/dev/null || true)"
for g in tickler-notifier tickler-recurrer tickler-auditor tickler-assistant; do
  grep -qx "$g" <<<"$groups" || fail "consumer group $g is missing: its subscription did not start" \
    "kubectl -n $ns logs deploy/$release-tickler-${g#tickler-} -c daprd | grep -i kafka"
done
grep -q '^tickler-realtime-' <<<"$groups" \
  || fail "no realtime consumer group (tickler-realtime-<pod>)" "kubectl -n $ns logs deploy/$release-tickler-realtime -c daprd"
info "consumer groups: $(tr '\n' ' ' <<<"$groups")"

ip="$(minikube ip -p "$profile")"
host="$(kc -n "$ns" get ingress "$release-tickler" -o jsonpath='{.spec.rules[0].host}')"
cat <<EOF

Tickler is up on Minikube.
  Add to /etc/hosts:   $ip $host
  Then open:           http://$host/
  Or without DNS:      curl -H 'Host: $host' http://$ip/healthz
  Pods:                kubectl --context $profile -n $ns get pods
  Remove:              $0 --delete
EOF

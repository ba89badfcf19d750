package main

// Negative tests: each check is given a broken input and must reject it with the expected
// message, so a check that silently passes everything cannot go unnoticed.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

const goodDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: t-tickler-api
spec:
  replicas: 1
  selector:
    matchLabels: {app.kubernetes.io/component: api}
  template:
    metadata:
      labels: {app.kubernetes.io/component: api, app.kubernetes.io/part-of: tickler}
      annotations:
        dapr.io/enabled: "true"
        dapr.io/app-id: tickler-api
        dapr.io/app-port: "8080"
        dapr.io/config: t-tickler-api
        dapr.io/enable-metrics: "true"
        dapr.io/metrics-port: "9090"
        dapr.io/enable-app-health-check: "true"
        dapr.io/app-health-check-path: /healthz
        dapr.io/sidecar-cpu-request: 50m
        dapr.io/sidecar-memory-request: 64Mi
        dapr.io/sidecar-memory-limit: 256Mi
        dapr.io/app-token-secret: t-app
        dapr.io/api-token-secret: t-api
    spec:
      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
      containers:
        - name: tickler
          image: ghcr.io/tickler-dev/tickler:0.1.0
          ports: [{name: http, containerPort: 8080}]
          startupProbe: {httpGet: {path: /healthz, port: http}}
          livenessProbe: {httpGet: {path: /healthz, port: http}}
          readinessProbe: {httpGet: {path: /readyz, port: http}}
          resources: {requests: {cpu: 50m, memory: 64Mi}, limits: {memory: 128Mi}}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
---
apiVersion: dapr.io/v1alpha1
kind: Configuration
metadata:
  name: t-tickler-api
spec:
  secrets:
    scopes:
      - storeName: tickler-secrets
        defaultAccess: deny
`

const goodComponent = `apiVersion: dapr.io/v1alpha1
kind: Component
metadata:
  name: tickler-pubsub
spec:
  type: pubsub.kafka
  version: v1
  metadata:
    - name: brokers
      value: kafka:9092
    - name: authType
      value: none
    - name: version
      value: 3.6.0
scopes: [tickler-api]
`

const goodTopic = `apiVersion: kafka.strimzi.io/v1
kind: KafkaTopic
metadata:
  name: reminders
  labels: {strimzi.io/cluster: tickler-kafka}
spec:
  topicName: reminders
  partitions: 4
  replicas: 1
`

const goodRule = `apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: t
spec:
  groups:
    - name: g
      rules:
        - alert: A
          expr: sum(tickler_http_requests_total) > 1
          labels: {severity: warning}
`

type selfCase struct {
	name string
	want string // a piece of the expected error
	run  func() []error
}

// SelfTest runs every negative case and records one check per case.
func SelfTest(r *report, v *Validator, cc *ComponentChecker, repo, helm, tickler string) {
	schemaOf := func(y string) func() []error {
		return func() []error {
			docs, errs := ParseDocs("fixture", []byte(y))
			for _, d := range docs {
				_, e := v.Validate(d)
				errs = append(errs, e...)
				errs = append(errs, cc.Check(d)...)
			}
			return errs
		}
	}
	policyOf := func(y string) func() []error {
		return func() []error {
			docs, errs := ParseDocs("fixture", []byte(y))
			for _, d := range docs {
				_, e := v.Validate(d)
				errs = append(errs, e...)
			}
			if len(errs) > 0 {
				return append(errs, fmt.Errorf("fixture invalid before the policy ran"))
			}
			return Policy(docs)
		}
	}
	deliveryOf := func(y string) func() []error {
		return func() []error {
			docs, errs := ParseDocs("fixture", []byte(y))
			for _, d := range docs {
				_, e := v.Validate(d)
				errs = append(errs, e...)
			}
			if len(errs) > 0 {
				return append(errs, fmt.Errorf("fixture invalid before the check ran"))
			}
			return DeliveryPolicy(docs)
		}
	}
	dockerOf := func(dockerfile string) func() []error {
		return func() []error {
			dir, _ := os.MkdirTemp("", "deploy-check-docker")
			defer os.RemoveAll(dir)
			_ = os.WriteFile(filepath.Join(dir, ".dockerignore"), []byte("*\n!src/\n"), 0o644)
			_ = os.MkdirAll(filepath.Join(dir, "src"), 0o755)
			p := filepath.Join(dir, "Dockerfile")
			_ = os.WriteFile(p, []byte(dockerfile), 0o644)
			_, errs := LintDockerfile(p, dir)
			return errs
		}
	}
	lintWith := func(set ...string) func() []error {
		return func() []error {
			args := []string{"lint", "--strict", filepath.Join(repo, "deploy/helm/tickler")}
			for _, s := range set {
				args = append(args, "--set", s)
			}
			if out, err := run(helm, args...); err != nil {
				return []error{fmt.Errorf("%s", out)}
			}
			return nil
		}
	}
	goodDockerfile := `FROM debian:12.11-slim AS build
RUN echo build
FROM debian:12.11-slim
LABEL org.opencontainers.image.title=t org.opencontainers.image.description=d org.opencontainers.image.version=v org.opencontainers.image.revision=r org.opencontainers.image.created=c org.opencontainers.image.source=s org.opencontainers.image.licenses=MIT
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*
COPY src/ /src/
USER 10001
HEALTHCHECK CMD ["true"]
ENTRYPOINT ["/usr/local/bin/tickler"]
`
	cases := []selfCase{
		{"Kubernetes: a misspelled field", `unknown field "spec.replica"`,
			schemaOf(strings.Replace(goodDeployment, "  replicas: 1", "  replica: 1", 1))},
		{"Kubernetes: a wrong type", "replicas",
			schemaOf(strings.Replace(goodDeployment, "  replicas: 1", "  replicas: one", 1))},
		{"Kubernetes: a duplicate key", `key "replicas" already set`,
			schemaOf(strings.Replace(goodDeployment, "  replicas: 1", "  replicas: 1\n  replicas: 2", 1))},
		{"an unknown kind", "unknown kind",
			schemaOf("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n")},
		{"Dapr Component: a misspelled field", `unknown field "spec.metdata"`,
			schemaOf(strings.Replace(goodComponent, "  metadata:\n    - name: brokers", "  metdata:\n    - name: brokers", 1))},
		{"Dapr Component: metadata the component does not read", `"consumerGroupp" is not read by pubsub.kafka`,
			schemaOf(strings.Replace(goodComponent, "    - name: authType", "    - name: consumerGroupp\n      value: g\n    - name: authType", 1))},
		{"Dapr Component: a value outside allowedValues", `saslMechanism="SCRAM-SHA-512" is not one of`,
			schemaOf(strings.Replace(goodComponent, "      value: none", "      value: password\n    - name: saslMechanism\n      value: SCRAM-SHA-512", 1))},
		{"Dapr Resiliency: a wrong type", "maxRetries",
			schemaOf("apiVersion: dapr.io/v1alpha1\nkind: Resiliency\nmetadata: {name: r}\nspec:\n  policies:\n    retries:\n      r: {policy: constant, maxRetries: many}\n  targets: {}\n")},
		{"Strimzi KafkaTopic: a misspelled field", `unknown field "spec.partitons"`,
			schemaOf(strings.Replace(goodTopic, "partitions: 4", "partitons: 4", 1))},
		{"Strimzi KafkaTopic: a wrong type", "spec.partitions",
			schemaOf(strings.Replace(goodTopic, "partitions: 4", "partitions: four", 1))},
		{"Strimzi KafkaNodePool: a missing required field and a bad enum", "spec.roles",
			schemaOf("apiVersion: kafka.strimzi.io/v1\nkind: KafkaNodePool\nmetadata: {name: p, labels: {strimzi.io/cluster: c}}\nspec:\n  replicas: 1\n  storage: {type: ephemeral}\n  roles: [leader]\n")},
		{"Strimzi Kafka: a CEL rule of the CRD", "valueFrom property is required",
			schemaOf("apiVersion: kafka.strimzi.io/v1\nkind: Kafka\nmetadata: {name: k}\nspec:\n  kafka:\n    listeners: [{name: plain, port: 9092, type: internal, tls: false}]\n    metricsConfig: {type: jmxPrometheusExporter}\n")},
		{"PrometheusRule: a misspelled field", `unknown field "spec.groups[0].rules[0].exprr"`,
			schemaOf(strings.Replace(goodRule, "expr:", "exprr:", 1))},
		{"PromQL: a syntax error", "PromQL",
			func() []error {
				docs, _ := ParseDocs("fixture", []byte(strings.Replace(goodRule, "> 1", "> > 1", 1)))
				for _, d := range docs {
					v.Validate(d)
				}
				_, errs := CheckMonitoring(repo, nil, docs)
				return errs
			}},
		{"PromQL: a metric nobody exports", "tickler_no_such_metric",
			func() []error {
				docs, _ := ParseDocs("fixture", []byte(strings.Replace(goodRule, "tickler_http_requests_total", "tickler_no_such_metric", 1)))
				for _, d := range docs {
					v.Validate(d)
				}
				_, errs := CheckMonitoring(repo, nil, docs)
				return errs
			}},
		{"policy: the fixture Deployment passes", "",
			policyOf(goodDeployment)},
		{"delivery: a lease shorter than two webhook timeouts", "under twice TICKLER_WEBHOOK_TIMEOUT_MS",
			deliveryOf(notifierWith("10", "6000", ""))},
		{"delivery: the CA file outside every mount", "not in any volume mount",
			deliveryOf(notifierWith("60", "5000", "/etc/tickler/outbound-ca/ca.crt"))},
		{"delivery: an egress policy without SMTP", "no SMTP port",
			deliveryOf(notifierWith("60", "5000", "") + notifierEgressWithoutSMTP)},
		{"secrets: an allowed secret no Role lets the pods read", "secret jwt-secret is allowed",
			func() []error {
				y := strings.Replace(goodDeployment, "        defaultAccess: deny\n",
					"        defaultAccess: deny\n        allowedSecrets: [api-database-url, jwt-secret]\n", 1)
				docs, errs := ParseDocs("fixture", []byte(y+secretsRoleWithout))
				for _, d := range docs {
					_, e := v.Validate(d)
					errs = append(errs, e...)
				}
				if len(errs) > 0 {
					return append(errs, fmt.Errorf("fixture invalid before the check ran"))
				}
				return SecretsReadable(docs)
			}},
		{"policy: no probes", "no liveness or readiness probe",
			policyOf(strings.Replace(strings.Replace(goodDeployment, "          livenessProbe: {httpGet: {path: /healthz, port: http}}\n", "", 1), "          readinessProbe: {httpGet: {path: /readyz, port: http}}\n", "", 1))},
		{"policy: no resources", "no cpu/memory requests",
			policyOf(strings.Replace(goodDeployment, "          resources: {requests: {cpu: 50m, memory: 64Mi}, limits: {memory: 128Mi}}\n", "", 1))},
		{"policy: may run as root", "runAsNonRoot is not set",
			policyOf(strings.Replace(goodDeployment, "runAsNonRoot: true, ", "", 1))},
		{"policy: a writable root filesystem", "readOnlyRootFilesystem is not true",
			policyOf(strings.Replace(goodDeployment, "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false", 1))},
		{"policy: a missing Dapr annotation", "missing Dapr annotation dapr.io/app-port",
			policyOf(strings.Replace(goodDeployment, "        dapr.io/app-port: \"8080\"\n", "", 1))},
		{"policy: a misspelled Dapr annotation", `unknown Dapr annotation "dapr.io/app-prot"`,
			policyOf(strings.Replace(goodDeployment, "dapr.io/metrics-port:", "dapr.io/app-prot:", 1))},
		{"policy: the wrong Dapr app id", `want "tickler-api"`,
			policyOf(strings.Replace(goodDeployment, "dapr.io/app-id: tickler-api", "dapr.io/app-id: api", 1))},
		{"policy: an unscoped Component", "not scoped",
			policyOf(goodDeployment + "---\n" + strings.Replace(goodComponent, "scopes: [tickler-api]\n", "", 1))},
		{"policy: Kafka protocol older than 2.1.0", "older than 2.1.0",
			policyOf(goodDeployment + "---\n" + strings.Replace(goodComponent, "3.6.0", "2.0.0", 1))},
		{"policy: an image without a tag", "not pinned",
			policyOf(strings.Replace(goodDeployment, "tickler:0.1.0", "tickler", 1))},
		{"Dockerfile: the fixture passes", "", dockerOf(goodDockerfile)},
		{"Dockerfile: an unpinned base image", `"debian:latest" is latest`,
			dockerOf(strings.Replace(goodDockerfile, "FROM debian:12.11-slim\n", "FROM debian:latest\n", 1))},
		{"Dockerfile: a moving tag", "moving tag",
			dockerOf(strings.Replace(goodDockerfile, "FROM debian:12.11-slim AS build", "FROM debian:bookworm-slim AS build", 1))},
		{"Dockerfile: runs as root", "no USER",
			dockerOf(strings.Replace(goodDockerfile, "USER 10001\n", "", 1))},
		{"Dockerfile: no HEALTHCHECK", "no HEALTHCHECK",
			dockerOf(strings.Replace(goodDockerfile, "HEALTHCHECK CMD [\"true\"]\n", "", 1))},
		{"Dockerfile: apt lists left behind", "/var/lib/apt/lists",
			dockerOf(strings.Replace(goodDockerfile, " && rm -rf /var/lib/apt/lists/*", "", 1))},
		{"Dockerfile: a COPY source excluded by .dockerignore", "excluded by .dockerignore",
			func() []error {
				return dockerOf(strings.Replace(goodDockerfile, "COPY src/ /src/", "COPY Dockerfile /x", 1))()
			}},
		{"values.schema.json: an unknown key", "additional properties 'replica' not allowed",
			lintWith("api.replica=3")},
		{"values.schema.json: Kafka protocol 2.0.0", "/kafka/version",
			lintWith("kafka.version=2.0.0")},
		{"values.schema.json: the CA file from a Secret and a ConfigMap at once", "/notifier/caFile",
			lintWith("notifier.caFile.secretName=a", "notifier.caFile.configMapName=b")},
		{"values.schema.json: a lease beyond an hour", "/notifier/delivery/leaseSeconds",
			lintWith("notifier.delivery.leaseSeconds=7200")},
	}
	if tickler != "" {
		cases = append(cases,
			selfCase{"ldd: a library the runtime stage lacks", "libical",
				func() []error {
					_, errs := LddCheck(tickler, []string{"ca-certificates", "libboost-json1.81.0", "libboost-url1.81.0", "libcurl4", "libdate-tz3", "libfmt9", "libpq5", "libsodium23", "libspdlog1.10", "libsqlite3-0", "libssl3", "libstdc++6", "tzdata"})
					return errs
				}},
			selfCase{"ldd: a package the binary does not need", "installs libxml2",
				func() []error {
					_, errs := LddCheck(tickler, []string{"ca-certificates", "libboost-json1.81.0", "libboost-url1.81.0", "libdate-tz3", "libfmt9", "libical3", "libpq5", "libsodium23", "libspdlog1.10", "libsqlite3-0", "libcurl4", "libssl3", "libstdc++6", "tzdata", "libxml2"})
					return errs
				}})
	}
	for _, c := range cases {
		errs := c.run()
		var problem []error
		switch {
		case c.want == "" && len(errs) > 0:
			problem = append([]error{fmt.Errorf("the valid fixture was rejected")}, errs...)
		case c.want != "" && len(errs) == 0:
			problem = []error{fmt.Errorf("the broken input was accepted")}
		case c.want != "" && !strings.Contains(joinErrs(errs), c.want):
			problem = append([]error{fmt.Errorf("rejected, but not with %q", c.want)}, errs...)
		}
		r.check("self-test: "+c.name, problem)
	}
}

func joinErrs(errs []error) string {
	var b strings.Builder
	for _, e := range errs {
		b.WriteString(e.Error())
		b.WriteString("\n")
	}
	return b.String()
}

// notifierWith is the fixture Deployment as the notifier with the given delivery settings.
func notifierWith(lease, timeoutMs, caFile string) string {
	env := "          env:\n" +
		"            - {name: TICKLER_DELIVERY_MAX_ATTEMPTS, value: \"8\"}\n" +
		"            - {name: TICKLER_DELIVERY_LEASE, value: \"" + lease + "\"}\n" +
		"            - {name: TICKLER_WEBHOOK_TIMEOUT_MS, value: \"" + timeoutMs + "\"}\n"
	if caFile != "" {
		env += "            - {name: TICKLER_OUTBOUND_CA_FILE, value: \"" + caFile + "\"}\n"
	}
	d := strings.Replace(goodDeployment, "tickler-api", "tickler-notifier", -1)
	d = strings.Replace(d, "component: api", "component: notifier", -1)
	return strings.Replace(d, "          ports: [{name: http, containerPort: 8080}]\n",
		"          ports: [{name: http, containerPort: 8080}]\n"+env, 1)
}

const notifierEgressWithoutSMTP = `
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: t-tickler-notifier-egress
spec:
  podSelector:
    matchLabels: {app.kubernetes.io/component: notifier}
  policyTypes: [Egress]
  egress:
    - ports: [{port: 53, protocol: UDP}]
    - to: [{ipBlock: {cidr: 0.0.0.0/0}}]
      ports: [{port: 443, protocol: TCP}]
`

const secretsRoleWithout = `
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: t-tickler-secrets-reader
rules:
  - apiGroups: [""]
    resources: [secrets]
    resourceNames: [api-database-url]
    verbs: [get]
`

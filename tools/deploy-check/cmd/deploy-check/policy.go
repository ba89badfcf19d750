package main

// Policy checks over one rendering of the chart: what a valid-but-wrong deployment would miss.
// Every workload has probes, resources and a non-root, read-only, unprivileged securityContext;
// every Tickler Deployment carries the Dapr annotations its role needs; every Dapr Component is
// scoped to apps that exist; Services, Ingresses, HPAs and PDBs point at things that exist.

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	componentsv1alpha1 "github.com/dapr/dapr/pkg/apis/components/v1alpha1"
	configurationv1alpha1 "github.com/dapr/dapr/pkg/apis/configuration/v1alpha1"
	"github.com/dapr/dapr/pkg/injector/annotations"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// The Dapr sidecar annotations Dapr 1.16's injector reads (the constants of its annotations
// package, so a rename upstream fails the build); any other dapr.io/ key is a typo.
var knownDaprAnnotations = map[string]bool{}

func init() {
	for _, k := range []string{
		annotations.KeyEnabled, annotations.KeyAppPort, annotations.KeyConfig, annotations.KeyAppProtocol,
		annotations.KeyAppID, annotations.KeyEnableProfiling, annotations.KeyLogLevel,
		annotations.KeyAPITokenSecret, annotations.KeyAppTokenSecret, annotations.KeyLogAsJSON,
		annotations.KeyAppMaxConcurrency, annotations.KeyEnableMetrics, annotations.KeyMetricsPort,
		annotations.KeyEnableDebug, annotations.KeyDebugPort, annotations.KeyEnv, annotations.KeyEnvFromSecret,
		annotations.KeyAPIGRPCPort, annotations.KeyInternalGRPCPort,
		annotations.KeyCPURequest, annotations.KeyCPULimit, annotations.KeyMemoryRequest, annotations.KeyMemoryLimit,
		annotations.KeySidecarListenAddresses, annotations.KeyLivenessProbeDelaySeconds,
		annotations.KeyLivenessProbeTimeoutSeconds, annotations.KeyLivenessProbePeriodSeconds,
		annotations.KeyLivenessProbeThreshold, annotations.KeyReadinessProbeDelaySeconds,
		annotations.KeyReadinessProbeTimeoutSeconds, annotations.KeyReadinessProbePeriodSeconds,
		annotations.KeyReadinessProbeThreshold, annotations.KeySidecarImage, annotations.KeySidecarSeccompProfileType,
		annotations.KeyHTTPMaxRequestSize, annotations.KeyMaxBodySize, annotations.KeyHTTPReadBufferSize,
		annotations.KeyReadBufferSize, annotations.KeyGracefulShutdownSeconds, annotations.KeyBlockShutdownDuration,
		annotations.KeyEnableAPILogging, annotations.KeyUnixDomainSocketPath, annotations.KeyVolumeMountsReadOnly,
		annotations.KeyVolumeMountsReadWrite, annotations.KeyDisableBuiltinK8sSecretStore,
		annotations.KeyEnableAppHealthCheck, annotations.KeyAppHealthCheckPath, annotations.KeyAppHealthProbeInterval,
		annotations.KeyAppHealthProbeTimeout, annotations.KeyAppHealthThreshold, annotations.KeyPlacementHostAddresses,
		annotations.KeySchedulerHostAddresses, annotations.KeyPluggableComponents,
		annotations.KeyPluggableComponentsSocketsFolder, annotations.KeyPluggableComponentContainer,
		annotations.KeyPluggableComponentsInjection, annotations.KeyAppChannel, annotations.KeyAppSSL,
		annotations.KeySentryRequestJwtAudiences,
	} {
		knownDaprAnnotations[k] = true
	}
}

// The annotations every Tickler Deployment must carry, with a value check where one applies.
var requiredDaprAnnotations = []string{
	annotations.KeyEnabled, annotations.KeyAppID, annotations.KeyAppPort, annotations.KeyConfig,
	annotations.KeyEnableMetrics, annotations.KeyMetricsPort, annotations.KeyEnableAppHealthCheck,
	annotations.KeyAppHealthCheckPath, annotations.KeyCPURequest, annotations.KeyMemoryRequest,
	annotations.KeyMemoryLimit, annotations.KeyAppTokenSecret, annotations.KeyAPITokenSecret,
}

// Which Dapr components each role's code uses (src/app/role_process.cpp), by component type.
var roleComponents = map[string][]string{
	"tickler-api":      {"pubsub.kafka", "secretstores.kubernetes"},
	"tickler-notifier": {"pubsub.kafka", "secretstores.kubernetes", "state.postgresql", "bindings.cron"},
	"tickler-recurrer": {"pubsub.kafka"},
	"tickler-auditor":  {"pubsub.kafka", "secretstores.kubernetes"},
	"tickler-realtime": {"pubsub.kafka", "secretstores.kubernetes"},
	// Conversations in the state store, account deletions from task-events, the LLM key.
	"tickler-assistant": {"pubsub.kafka", "secretstores.kubernetes", "state.postgresql"},
}

type podOwner struct {
	doc  *Doc
	kind string
	spec *corev1.PodSpec
	meta map[string]string // pod template annotations
	lbls map[string]string // pod template labels
}

// Policy checks a set of documents rendered together; each failure is one error.
func Policy(docs []*Doc) []error {
	var errs []error
	fail := func(d *Doc, format string, a ...interface{}) {
		errs = append(errs, fmt.Errorf("%s: %s", d, fmt.Sprintf(format, a...)))
	}
	var pods []podOwner
	deployments := map[string]*appsv1.Deployment{}
	services := map[string]*corev1.Service{}
	configs := map[string]*configurationv1alpha1.Configuration{}
	var components []*Doc
	var hpas, pdbs, ingresses []*Doc
	appIDs := map[string]bool{}
	haveTest := false
	for _, d := range docs {
		switch o := d.Typed.(type) {
		case *appsv1.Deployment:
			deployments[o.Name] = o
			pods = append(pods, podOwner{d, "Deployment", &o.Spec.Template.Spec, o.Spec.Template.Annotations, o.Spec.Template.Labels})
			if id := o.Spec.Template.Annotations[annotations.KeyAppID]; id != "" {
				appIDs[id] = true
			}
			if o.Spec.Selector == nil || !labels.SelectorFromSet(o.Spec.Selector.MatchLabels).Matches(labels.Set(o.Spec.Template.Labels)) {
				fail(d, "the selector does not match the pod template's labels")
			}
		case *appsv1.StatefulSet:
			pods = append(pods, podOwner{d, "StatefulSet", &o.Spec.Template.Spec, o.Spec.Template.Annotations, o.Spec.Template.Labels})
		case *batchv1.Job:
			pods = append(pods, podOwner{d, "Job", &o.Spec.Template.Spec, o.Spec.Template.Annotations, o.Spec.Template.Labels})
		case *corev1.Pod:
			pods = append(pods, podOwner{d, "Pod", &o.Spec, o.Annotations, o.Labels})
			if o.Annotations["helm.sh/hook"] == "test" {
				haveTest = true
			}
		case *corev1.Service:
			services[o.Name] = o
		case *configurationv1alpha1.Configuration:
			configs[o.Name] = o
		case *componentsv1alpha1.Component:
			components = append(components, d)
		case *autoscalingv2.HorizontalPodAutoscaler:
			hpas = append(hpas, d)
		case *policyv1.PodDisruptionBudget:
			pdbs = append(pdbs, d)
		case *networkingv1.Ingress:
			ingresses = append(ingresses, d)
		}
	}

	for _, p := range pods {
		errs = append(errs, podPolicy(p)...)
	}

	// Tickler's Deployments: the Dapr annotations of their role.
	for _, p := range pods {
		if p.kind != "Deployment" || p.lbls["app.kubernetes.io/part-of"] != "tickler" {
			continue
		}
		a := p.meta
		for k := range a {
			if strings.HasPrefix(k, "dapr.io/") && !knownDaprAnnotations[k] {
				fail(p.doc, "unknown Dapr annotation %q (not read by Dapr 1.16's sidecar injector)", k)
			}
		}
		for _, k := range requiredDaprAnnotations {
			if a[k] == "" {
				fail(p.doc, "missing Dapr annotation %s", k)
			}
		}
		for _, k := range []string{annotations.KeyEnabled, annotations.KeyEnableMetrics, annotations.KeyEnableAppHealthCheck} {
			if a[k] != "" && a[k] != "true" {
				fail(p.doc, "%s is %q, want \"true\"", k, a[k])
			}
		}
		role := p.lbls["app.kubernetes.io/component"]
		if want := "tickler-" + role; a[annotations.KeyAppID] != "" && a[annotations.KeyAppID] != want {
			fail(p.doc, "Dapr app id %q, want %q (the services name each other by these ids)", a[annotations.KeyAppID], want)
		}
		if port := a[annotations.KeyAppPort]; port != "" {
			found := false
			for _, c := range p.spec.Containers {
				for _, cp := range c.Ports {
					if strconv.Itoa(int(cp.ContainerPort)) == port {
						found = true
					}
				}
			}
			if !found {
				fail(p.doc, "Dapr app-port %s is no container port of the pod", port)
			}
		}
		if cfg := a[annotations.KeyConfig]; cfg != "" {
			c, ok := configs[cfg]
			if !ok {
				fail(p.doc, "Dapr config %q is not rendered with the chart", cfg)
			} else if c.Spec.Secrets == nil || len(c.Spec.Secrets.Scopes) == 0 {
				fail(p.doc, "Dapr config %q does not scope secrets", cfg)
			} else {
				for _, s := range c.Spec.Secrets.Scopes {
					if s.DefaultAccess != "deny" {
						fail(p.doc, "Dapr config %q: secret store %s is not default-deny", cfg, s.StoreName)
					}
				}
			}
		}
		if path := a[annotations.KeyAppHealthCheckPath]; path != "" && path != "/healthz" {
			fail(p.doc, "app health check path %q, want /healthz", path)
		}
	}

	// Components: scoped, to apps that exist, and present for every role that needs them.
	typesByApp := map[string]map[string]bool{}
	for _, d := range components {
		c := d.Typed.(*componentsv1alpha1.Component)
		if len(c.Scopes) == 0 {
			fail(d, "the component is not scoped: every app in the namespace would load it")
		}
		for _, s := range c.Scopes {
			if !appIDs[s] {
				fail(d, "scope %q is no Dapr app id of this rendering", s)
			}
			if typesByApp[s] == nil {
				typesByApp[s] = map[string]bool{}
			}
			typesByApp[s][c.Spec.Type] = true
		}
		if c.Spec.Type == "pubsub.kafka" {
			errs = append(errs, kafkaPolicy(d, c)...)
		}
	}
	if len(components) > 0 {
		for app, types := range roleComponents {
			if !appIDs[app] {
				continue
			}
			for _, t := range types {
				if !typesByApp[app][t] {
					errs = append(errs, fmt.Errorf("%s uses a %s component but none is scoped to it", app, t))
				}
			}
		}
	}

	// Services select pods; their named target ports exist.
	for _, s := range services {
		if len(s.Spec.Selector) == 0 {
			continue
		}
		sel := labels.SelectorFromSet(s.Spec.Selector)
		matched := false
		for _, p := range pods {
			if p.kind != "Job" && p.kind != "Pod" && sel.Matches(labels.Set(p.lbls)) {
				matched = true
				for _, sp := range s.Spec.Ports {
					if sp.TargetPort.StrVal != "" && !hasNamedPort(p.spec, sp.TargetPort.StrVal) {
						errs = append(errs, fmt.Errorf("Service %s: target port %q is not a port of %s", s.Name, sp.TargetPort.StrVal, p.doc))
					}
				}
			}
		}
		if !matched {
			errs = append(errs, fmt.Errorf("Service %s selects no workload", s.Name))
		}
	}
	for _, d := range hpas {
		h := d.Typed.(*autoscalingv2.HorizontalPodAutoscaler)
		if _, ok := deployments[h.Spec.ScaleTargetRef.Name]; !ok || h.Spec.ScaleTargetRef.Kind != "Deployment" {
			fail(d, "scales %s %s, which is not rendered", h.Spec.ScaleTargetRef.Kind, h.Spec.ScaleTargetRef.Name)
		}
		if h.Spec.MinReplicas != nil && *h.Spec.MinReplicas > h.Spec.MaxReplicas {
			fail(d, "minReplicas > maxReplicas")
		}
	}
	for _, d := range pdbs {
		p := d.Typed.(*policyv1.PodDisruptionBudget)
		matched := false
		for _, dep := range deployments {
			if p.Spec.Selector != nil && labels.SelectorFromSet(p.Spec.Selector.MatchLabels).Matches(labels.Set(dep.Spec.Template.Labels)) {
				matched = true
			}
		}
		if !matched {
			fail(d, "selects no Deployment")
		}
	}
	wsRoute := false
	mcpRoute := false
	chatRoute := false
	for _, d := range ingresses {
		ing := d.Typed.(*networkingv1.Ingress)
		for _, r := range ing.Spec.Rules {
			if r.HTTP == nil {
				continue
			}
			for _, p := range r.HTTP.Paths {
				if p.Backend.Service == nil {
					continue
				}
				s, ok := services[p.Backend.Service.Name]
				if !ok {
					fail(d, "path %s: backend Service %s is not rendered", p.Path, p.Backend.Service.Name)
					continue
				}
				found := false
				for _, sp := range s.Spec.Ports {
					if sp.Name == p.Backend.Service.Port.Name || (p.Backend.Service.Port.Number != 0 && sp.Port == p.Backend.Service.Port.Number) {
						found = true
					}
				}
				if !found {
					fail(d, "path %s: Service %s has no such port", p.Path, s.Name)
				}
				if p.Path == "/api/ws" && strings.HasSuffix(s.Name, "-realtime") {
					wsRoute = true
				}
				if p.Path == "/mcp" && strings.HasSuffix(s.Name, "-api") {
					mcpRoute = true
				}
				if p.Path == "/api/chat" && strings.HasSuffix(s.Name, "-assistant") {
					chatRoute = true
				}
			}
		}
	}
	if len(ingresses) > 0 && !wsRoute {
		errs = append(errs, fmt.Errorf("no Ingress routes /api/ws to the realtime Service"))
	}
	if len(ingresses) > 0 && !mcpRoute {
		errs = append(errs, fmt.Errorf("no Ingress routes /mcp to the api Service"))
	}
	if len(ingresses) > 0 && !chatRoute {
		errs = append(errs, fmt.Errorf("no Ingress routes /api/chat to the assistant Service"))
	}
	if len(deployments) > 0 && len(components) > 0 && !haveTest {
		errs = append(errs, fmt.Errorf("no helm test Pod (helm.sh/hook: test) is rendered"))
	}
	sort.Slice(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
	return errs
}

func hasNamedPort(spec *corev1.PodSpec, name string) bool {
	for _, c := range spec.Containers {
		for _, p := range c.Ports {
			if p.Name == name {
				return true
			}
		}
	}
	return false
}

// podPolicy: resources, probes, security context of every container of a workload.
func podPolicy(p podOwner) []error {
	var errs []error
	fail := func(format string, a ...interface{}) {
		errs = append(errs, fmt.Errorf("%s: %s", p.doc, fmt.Sprintf(format, a...)))
	}
	psc := p.spec.SecurityContext
	podNonRoot := psc != nil && psc.RunAsNonRoot != nil && *psc.RunAsNonRoot
	if psc == nil || psc.SeccompProfile == nil || psc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
		fail("pod securityContext.seccompProfile is not RuntimeDefault")
	}
	if p.spec.HostNetwork || p.spec.HostPID || p.spec.HostIPC {
		fail("uses the host's network, PID or IPC namespace")
	}
	for _, c := range append(append([]corev1.Container{}, p.spec.InitContainers...), p.spec.Containers...) {
		where := "container " + c.Name
		if strings.HasSuffix(c.Image, ":latest") || !regexp.MustCompile(`[:@]`).MatchString(lastPathPart(c.Image)) {
			fail("%s: image %q is not pinned to a tag or digest", where, c.Image)
		}
		r := c.Resources
		if r.Requests.Cpu().IsZero() || r.Requests.Memory().IsZero() {
			fail("%s: no cpu/memory requests", where)
		}
		if r.Limits.Memory().IsZero() {
			fail("%s: no memory limit", where)
		}
		sc := c.SecurityContext
		if sc == nil {
			fail("%s: no securityContext", where)
			continue
		}
		if !podNonRoot && (sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot) {
			fail("%s: runAsNonRoot is not set (pod or container)", where)
		}
		if sc.RunAsUser != nil && *sc.RunAsUser == 0 {
			fail("%s: runs as uid 0", where)
		}
		if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
			fail("%s: allowPrivilegeEscalation is not false", where)
		}
		if sc.Privileged != nil && *sc.Privileged {
			fail("%s: privileged", where)
		}
		if sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
			fail("%s: readOnlyRootFilesystem is not true", where)
		}
		if sc.Capabilities == nil || !containsCap(sc.Capabilities.Drop, "ALL") {
			fail("%s: capabilities do not drop ALL", where)
		}
		if p.kind == "Deployment" || p.kind == "StatefulSet" {
			if c.LivenessProbe == nil || c.ReadinessProbe == nil {
				fail("%s: no liveness or readiness probe", where)
			}
			if p.lbls["app.kubernetes.io/part-of"] == "tickler" {
				if c.LivenessProbe == nil || c.LivenessProbe.HTTPGet == nil || c.LivenessProbe.HTTPGet.Path != "/healthz" {
					fail("%s: the liveness probe is not GET /healthz", where)
				}
				if c.ReadinessProbe == nil || c.ReadinessProbe.HTTPGet == nil || c.ReadinessProbe.HTTPGet.Path != "/readyz" {
					fail("%s: the readiness probe is not GET /readyz", where)
				}
				if c.StartupProbe == nil {
					fail("%s: no startup probe", where)
				}
			}
		}
	}
	return errs
}

func lastPathPart(image string) string {
	if i := strings.LastIndex(image, "/"); i >= 0 {
		return image[i+1:]
	}
	return image
}

func containsCap(caps []corev1.Capability, want corev1.Capability) bool {
	for _, c := range caps {
		if c == want {
			return true
		}
	}
	return false
}

var versionRE = regexp.MustCompile(`^(\d+)\.(\d+)\.(\d+)$`)

// kafkaPolicy: the protocol version Kafka 4 accepts, and a consumer group per realtime replica.
func kafkaPolicy(d *Doc, c *componentsv1alpha1.Component) []error {
	var errs []error
	md := map[string]string{}
	for _, m := range c.Spec.Metadata {
		md[strings.ToLower(m.Name)] = m.Value.String()
	}
	v := versionRE.FindStringSubmatch(md["version"])
	if v == nil {
		errs = append(errs, fmt.Errorf("%s: pubsub.kafka without a Kafka protocol version (the default 2.0.0 is refused by Kafka 4)", d))
	} else {
		major, _ := strconv.Atoi(v[1])
		minor, _ := strconv.Atoi(v[2])
		if major < 2 || (major == 2 && minor < 1) {
			errs = append(errs, fmt.Errorf("%s: Kafka protocol version %s is older than 2.1.0", d, md["version"]))
		}
	}
	for _, s := range c.Scopes {
		if s == "tickler-realtime" && !strings.Contains(md["consumerid"], "{podName}") {
			errs = append(errs, fmt.Errorf("%s: the realtime replicas' component needs consumerID with {podName} (one consumer group per replica)", d))
		}
	}
	return errs
}

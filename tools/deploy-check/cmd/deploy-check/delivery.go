package main

// The notifier's delivery settings (docs/notifications.md): the delivery flags set and
// consistent, the outbound CA file a key of a mounted Secret or ConfigMap, and an egress
// NetworkPolicy of the notifier that still lets DNS, https webhooks and SMTP out.

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// Ports a mail server listens on for submission or relay; the egress policy must allow one.
var smtpPorts = map[int32]bool{25: true, 465: true, 587: true, 2525: true}

// DeliveryPolicy checks the notifier Deployment and the NetworkPolicies that select it.
func DeliveryPolicy(docs []*Doc) []error {
	var errs []error
	fail := func(d *Doc, format string, a ...interface{}) {
		errs = append(errs, fmt.Errorf("%s: %s", d, fmt.Sprintf(format, a...)))
	}
	var notifier *appsv1.Deployment
	var notifierDoc *Doc
	var policies []*Doc
	for _, d := range docs {
		switch o := d.Typed.(type) {
		case *appsv1.Deployment:
			if o.Spec.Template.Annotations["dapr.io/app-id"] == "tickler-notifier" {
				notifier, notifierDoc = o, d
			}
		case *networkingv1.NetworkPolicy:
			policies = append(policies, d)
		}
	}
	if notifier == nil {
		return nil
	}
	spec := &notifier.Spec.Template.Spec
	var app *corev1.Container
	for i := range spec.Containers {
		if spec.Containers[i].Name == "tickler" {
			app = &spec.Containers[i]
		}
	}
	if app == nil {
		fail(notifierDoc, "the notifier has no tickler container")
		return errs
	}
	env := map[string]string{}
	for _, e := range app.Env {
		env[e.Name] = e.Value
	}
	number := func(name string) int {
		v, ok := env[name]
		if !ok {
			fail(notifierDoc, "the notifier does not set %s", name)
			return 0
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			fail(notifierDoc, "%s=%q is not a positive number", name, v)
		}
		return n
	}
	number("TICKLER_DELIVERY_MAX_ATTEMPTS")
	lease := number("TICKLER_DELIVERY_LEASE")
	timeout := number("TICKLER_WEBHOOK_TIMEOUT_MS")
	if lease > 0 && timeout > 0 && lease*1000 < 2*timeout {
		fail(notifierDoc, "TICKLER_DELIVERY_LEASE (%d s) is under twice TICKLER_WEBHOOK_TIMEOUT_MS (%d ms): a slow attempt would outlive its lease and be sent twice", lease, timeout)
	}
	if ca, ok := env["TICKLER_OUTBOUND_CA_FILE"]; ok {
		errs = append(errs, caFileMounted(notifierDoc, spec, app, ca)...)
	}
	podLabels := labels.Set(notifier.Spec.Template.Labels)
	for _, d := range policies {
		np := d.Typed.(*networkingv1.NetworkPolicy)
		egress := false
		for _, t := range np.Spec.PolicyTypes {
			egress = egress || t == networkingv1.PolicyTypeEgress
		}
		sel := labels.SelectorFromSet(np.Spec.PodSelector.MatchLabels)
		if !egress || !sel.Matches(podLabels) {
			continue
		}
		if !egressAllows(np, 53, "", corev1.ProtocolUDP) {
			fail(d, "selects the notifier but lets no DNS (UDP 53) out")
		}
		if !egressAllows(np, 443, "0.0.0.0/0", corev1.ProtocolTCP) {
			fail(d, "selects the notifier but lets no https (TCP 443) out to the internet: webhooks fail")
		}
		smtp := false
		for port := range smtpPorts {
			smtp = smtp || egressAllows(np, port, "0.0.0.0/0", corev1.ProtocolTCP)
		}
		if !smtp {
			fail(d, "selects the notifier but lets no SMTP port (25, 465, 587, 2525) out to the internet: email fails")
		}
	}
	return errs
}

// caFileMounted: the CA file lies in a read-only mount of a Secret or ConfigMap holding its key.
func caFileMounted(d *Doc, spec *corev1.PodSpec, app *corev1.Container, file string) []error {
	for _, m := range app.VolumeMounts {
		if path.Dir(file) != path.Clean(m.MountPath) {
			continue
		}
		key := path.Base(file)
		for _, v := range spec.Volumes {
			if v.Name != m.Name {
				continue
			}
			var items []corev1.KeyToPath
			switch {
			case v.Secret != nil:
				items = v.Secret.Items
			case v.ConfigMap != nil:
				items = v.ConfigMap.Items
			default:
				return []error{fmt.Errorf("%s: the CA file %s is on volume %s, neither a Secret nor a ConfigMap", d, file, v.Name)}
			}
			if !m.ReadOnly {
				return []error{fmt.Errorf("%s: the CA file's volume %s is mounted writable", d, v.Name)}
			}
			if len(items) == 0 {
				return nil // every key of the source is a file
			}
			for _, it := range items {
				if it.Path == key {
					return nil
				}
			}
			return []error{fmt.Errorf("%s: volume %s has no item %s for the CA file %s", d, v.Name, key, file)}
		}
	}
	return []error{fmt.Errorf("%s: TICKLER_OUTBOUND_CA_FILE=%s is not in any volume mount of the tickler container", d, file)}
}

// egressAllows: some egress rule lets TCP/UDP `port` out to `cidr` (to anywhere for "").
func egressAllows(np *networkingv1.NetworkPolicy, port int32, cidr string, proto corev1.Protocol) bool {
	for _, r := range np.Spec.Egress {
		portOK := len(r.Ports) == 0
		for _, p := range r.Ports {
			pr := corev1.ProtocolTCP
			if p.Protocol != nil {
				pr = *p.Protocol
			}
			if pr == proto && (p.Port == nil || p.Port.IntVal == port) {
				portOK = true
			}
		}
		if !portOK {
			continue
		}
		if cidr == "" || len(r.To) == 0 {
			return true
		}
		for _, to := range r.To {
			if to.IPBlock != nil && strings.TrimSpace(to.IPBlock.CIDR) == cidr && len(to.IPBlock.Except) == 0 {
				return true
			}
		}
	}
	return false
}

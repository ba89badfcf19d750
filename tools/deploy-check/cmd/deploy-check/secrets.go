package main

// Secrets an app's Dapr Configuration allows must also be readable by the pods' service
// account: the Kubernetes secret store reads them with it, and a Role that leaves one out
// fails at run time only (403 from the API server when the role asks for the secret).

import (
	"fmt"

	configurationv1alpha1 "github.com/dapr/dapr/pkg/apis/configuration/v1alpha1"
	rbacv1 "k8s.io/api/rbac/v1"
)

// SecretsReadable: every allowed secret of a Configuration is in a Role's resourceNames.
func SecretsReadable(docs []*Doc) []error {
	readable := map[string]bool{}
	haveRole := false
	for _, d := range docs {
		role, ok := d.Typed.(*rbacv1.Role)
		if !ok {
			continue
		}
		for _, r := range role.Rules {
			for _, res := range r.Resources {
				if res != "secrets" {
					continue
				}
				haveRole = true
				for _, n := range r.ResourceNames {
					readable[n] = true
				}
			}
		}
	}
	if !haveRole {
		return nil
	}
	var errs []error
	for _, d := range docs {
		c, ok := d.Typed.(*configurationv1alpha1.Configuration)
		if !ok || c.Spec.Secrets == nil {
			continue
		}
		for _, s := range c.Spec.Secrets.Scopes {
			for _, name := range s.AllowedSecrets {
				if !readable[name] {
					errs = append(errs, fmt.Errorf("%s: secret %s is allowed in store %s but no Role lets the pods get it", d, name, s.StoreName))
				}
			}
		}
	}
	return errs
}

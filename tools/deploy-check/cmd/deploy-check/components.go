package main

// Dapr Component metadata checked against the component's own metadata.yaml in
// github.com/dapr/components-contrib (the version Dapr 1.16 builds with): a metadata name the
// component does not read, or a value outside its allowedValues, fails. Dapr reads metadata
// names case-insensitively, so does this check.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	componentsv1alpha1 "github.com/dapr/dapr/pkg/apis/components/v1alpha1"
	"sigs.k8s.io/yaml"
)

type contribField struct {
	Name          string   `json:"name"`
	AllowedValues []string `json:"allowedValues"`
}

type contribMetadata struct {
	Type                          string `json:"type"`
	Name                          string `json:"name"`
	Version                       string `json:"version"`
	Metadata                      []contribField
	AuthenticationProfiles        []struct{ Metadata []contribField } `json:"authenticationProfiles"`
	BuiltinAuthenticationProfiles []struct {
		Name     string
		Metadata []contribField
	} `json:"builtinAuthenticationProfiles"`
}

// Metadata the Dapr runtime itself reads for every component of a kind, beside the component's.
var runtimeMetadata = map[string][]string{
	"pubsub":   {"consumerID"},
	"bindings": {"direction", "route"},
	"state":    {"keyPrefix", "actorStateStore"},
}

type ComponentChecker struct {
	contribDir string
	cache      map[string]*contribMetadata
}

func NewComponentChecker(contribDir string) *ComponentChecker {
	return &ComponentChecker{contribDir: contribDir, cache: map[string]*contribMetadata{}}
}

func (cc *ComponentChecker) load(typ, version string) (*contribMetadata, error) {
	key := typ + "/" + version
	if m, ok := cc.cache[key]; ok {
		return m, nil
	}
	kind, name, ok := strings.Cut(typ, ".")
	if !ok {
		return nil, fmt.Errorf("component type %q is not <kind>.<name>", typ)
	}
	dir := filepath.Join(cc.contribDir, kind, strings.ReplaceAll(name, ".", "/"))
	candidates := []string{filepath.Join(dir, version, "metadata.yaml"), filepath.Join(dir, "metadata.yaml")}
	for _, f := range candidates {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		var m contribMetadata
		if err := yaml.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		if m.Version != "" && m.Version != version {
			continue
		}
		cc.cache[key] = &m
		return &m, nil
	}
	return nil, fmt.Errorf("no metadata.yaml for component type %s %s in components-contrib", typ, version)
}

func (cc *ComponentChecker) Check(d *Doc) []error {
	c, ok := d.Typed.(*componentsv1alpha1.Component)
	if !ok {
		return nil
	}
	m, err := cc.load(c.Spec.Type, c.Spec.Version)
	if err != nil {
		return []error{fmt.Errorf("%s: %w", d, err)}
	}
	allowed := map[string][]string{} // lower-case name → allowed values (nil: any)
	known := map[string]bool{}
	add := func(fs []contribField) {
		for _, f := range fs {
			n := strings.ToLower(f.Name)
			known[n] = true
			allowed[n] = append(allowed[n], f.AllowedValues...)
			if len(f.AllowedValues) == 0 {
				allowed[n] = append(allowed[n], "*")
			}
		}
	}
	add(m.Metadata)
	for _, p := range m.AuthenticationProfiles {
		add(p.Metadata)
	}
	for _, p := range m.BuiltinAuthenticationProfiles {
		add(p.Metadata)
	}
	kind, _, _ := strings.Cut(c.Spec.Type, ".")
	for _, n := range runtimeMetadata[kind] {
		known[strings.ToLower(n)] = true
		allowed[strings.ToLower(n)] = []string{"*"}
	}
	var errs []error
	for _, md := range c.Spec.Metadata {
		n := strings.ToLower(md.Name)
		if !known[n] {
			errs = append(errs, fmt.Errorf("%s: metadata %q is not read by %s %s (components-contrib metadata.yaml)", d, md.Name, c.Spec.Type, c.Spec.Version))
			continue
		}
		if md.SecretKeyRef.Name != "" {
			continue
		}
		vals := allowed[n]
		value := md.Value.String()
		if containsStr(vals, "*") || strings.Contains(value, "{") {
			continue
		}
		if !containsStr(vals, value) {
			errs = append(errs, fmt.Errorf("%s: metadata %s=%q is not one of %v", d, md.Name, value, vals))
		}
	}
	return errs
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

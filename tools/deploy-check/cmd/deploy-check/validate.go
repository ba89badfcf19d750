package main

// Schema validation of one rendered document: Kubernetes kinds, Dapr kinds and Prometheus
// Operator kinds decoded STRICTLY into their upstream Go types (unknown or duplicate fields and
// wrong types fail), and kinds with a CRD schema (Dapr, Strimzi) validated like the API server
// does: structural schema, pruning of unknown fields (reported as errors here), OpenAPI value
// validation and the CRD's CEL rules.

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	componentsv1alpha1 "github.com/dapr/dapr/pkg/apis/components/v1alpha1"
	configurationv1alpha1 "github.com/dapr/dapr/pkg/apis/configuration/v1alpha1"
	resiliencyv1alpha1 "github.com/dapr/dapr/pkg/apis/resiliency/v1alpha1"
	subscriptionsv2alpha1 "github.com/dapr/dapr/pkg/apis/subscriptions/v2alpha1"
	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/yaml"
)

// Doc is one YAML document of a rendering or a manifest file.
type Doc struct {
	Source string // e.g. "tickler[values-aks.yaml]: templates/services.yaml" or a file path
	JSON   []byte
	Obj    map[string]interface{}
	GVK    schema.GroupVersionKind
	Name   string
	Typed  runtime.Object // the strictly decoded object, when the kind has Go types
}

func (d *Doc) String() string {
	return fmt.Sprintf("%s %s/%s (%s)", d.GVK.GroupVersion(), d.GVK.Kind, d.Name, d.Source)
}

type crdSchema struct {
	crd        string
	structural *structuralschema.Structural
	validator  apiservervalidation.SchemaValidator
	cel        *cel.Validator
}

// Validator holds the strict codec and the CRD schemas.
type Validator struct {
	decoder runtime.Decoder
	scheme  *runtime.Scheme
	crds    map[schema.GroupVersionKind]*crdSchema
}

func NewValidator() (*Validator, error) {
	sch := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		clientgoscheme.AddToScheme,
		componentsv1alpha1.AddToScheme,
		configurationv1alpha1.AddToScheme,
		resiliencyv1alpha1.AddToScheme,
		subscriptionsv2alpha1.AddToScheme,
		monitoringv1.AddToScheme,
	} {
		if err := add(sch); err != nil {
			return nil, err
		}
	}
	codecs := serializer.NewCodecFactory(sch, serializer.EnableStrict)
	return &Validator{decoder: codecs.UniversalDeserializer(), scheme: sch,
		crds: map[schema.GroupVersionKind]*crdSchema{}}, nil
}

// LoadCRDs reads every CustomResourceDefinition in the YAML files of dir (non-recursive) and
// keeps the schema of each served version. Returns how many versions were loaded.
func (v *Validator) LoadCRDs(dir string) (int, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return n, err
		}
		for _, raw := range splitYAML(data) {
			var crd apiextensionsv1.CustomResourceDefinition
			if err := yaml.UnmarshalStrict(raw, &crd); err != nil {
				return n, fmt.Errorf("%s: %w", f, err)
			}
			if crd.Kind != "CustomResourceDefinition" {
				continue
			}
			for _, ver := range crd.Spec.Versions {
				if !ver.Served || ver.Schema == nil || ver.Schema.OpenAPIV3Schema == nil {
					continue
				}
				var internal apiextensions.CustomResourceValidation
				if err := apiextensionsv1.Convert_v1_CustomResourceValidation_To_apiextensions_CustomResourceValidation(ver.Schema, &internal, nil); err != nil {
					return n, fmt.Errorf("%s: %s %s: %w", f, crd.Name, ver.Name, err)
				}
				ss, err := structuralschema.NewStructural(internal.OpenAPIV3Schema)
				if err != nil {
					return n, fmt.Errorf("%s: %s %s: not a structural schema: %w", f, crd.Name, ver.Name, err)
				}
				sv, _, err := apiservervalidation.NewSchemaValidator(internal.OpenAPIV3Schema)
				if err != nil {
					return n, fmt.Errorf("%s: %s %s: %w", f, crd.Name, ver.Name, err)
				}
				gvk := schema.GroupVersionKind{Group: crd.Spec.Group, Version: ver.Name, Kind: crd.Spec.Names.Kind}
				v.crds[gvk] = &crdSchema{crd: crd.Name, structural: ss, validator: sv,
					cel: cel.NewValidator(ss, true, celconfig.PerCallLimit)}
				n++
			}
		}
	}
	return n, nil
}

// splitYAML splits a multi-document YAML stream, dropping documents that are empty or only
// comments.
func splitYAML(data []byte) [][]byte {
	var out [][]byte
	var cur bytes.Buffer
	flush := func() {
		doc := cur.Bytes()
		if hasContent(doc) {
			out = append(out, append([]byte(nil), doc...))
		}
		cur.Reset()
	}
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		trimmed := bytes.TrimRight(line, " \t\r\n")
		if bytes.Equal(trimmed, []byte("---")) || bytes.HasPrefix(trimmed, []byte("--- ")) {
			flush()
			continue
		}
		cur.Write(line)
	}
	flush()
	return out
}

func hasContent(doc []byte) bool {
	for _, line := range bytes.Split(doc, []byte("\n")) {
		t := bytes.TrimSpace(line)
		if len(t) > 0 && t[0] != '#' {
			return true
		}
	}
	return false
}

// ParseDocs turns a YAML stream into documents (YAML duplicate keys are errors).
func ParseDocs(source string, data []byte) ([]*Doc, []error) {
	var docs []*Doc
	var errs []error
	for i, raw := range splitYAML(data) {
		src := source
		if s := sourceComment(raw); s != "" {
			src = source + ": " + s
		} else {
			src = fmt.Sprintf("%s (document %d)", source, i+1)
		}
		js, err := yaml.YAMLToJSONStrict(raw)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: not valid YAML: %w", src, err))
			continue
		}
		var obj map[string]interface{}
		if err := yaml.Unmarshal(js, &obj); err != nil || obj == nil {
			errs = append(errs, fmt.Errorf("%s: not an object", src))
			continue
		}
		d := &Doc{Source: src, JSON: js, Obj: obj}
		apiVersion, _ := obj["apiVersion"].(string)
		kind, _ := obj["kind"].(string)
		gv, err := schema.ParseGroupVersion(apiVersion)
		if err != nil || apiVersion == "" || kind == "" {
			errs = append(errs, fmt.Errorf("%s: no apiVersion/kind", src))
			continue
		}
		d.GVK = gv.WithKind(kind)
		if md, ok := obj["metadata"].(map[string]interface{}); ok {
			d.Name, _ = md["name"].(string)
		}
		docs = append(docs, d)
	}
	return docs, errs
}

// Helm writes "# Source: chart/templates/x.yaml" before each document.
func sourceComment(doc []byte) string {
	for _, line := range bytes.Split(doc, []byte("\n")) {
		if s, ok := strings.CutPrefix(string(bytes.TrimSpace(line)), "# Source: "); ok {
			return s
		}
	}
	return ""
}

// Validate checks one document against its schema; the kinds it does not know are errors.
// It returns what it validated against ("types", "crd", or both).
func (v *Validator) Validate(d *Doc) (string, []error) {
	var errs []error
	var how []string
	typed := v.scheme.Recognizes(d.GVK)
	if typed {
		obj, _, err := v.decoder.Decode(d.JSON, nil, nil)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", d, err))
		} else {
			d.Typed = obj
		}
		how = append(how, "types")
	}
	if c, ok := v.crds[d.GVK]; ok {
		errs = append(errs, c.validate(d)...)
		how = append(how, "crd:"+c.crd)
	}
	if len(how) == 0 {
		errs = append(errs, fmt.Errorf("%s: unknown kind: no Go types and no CRD schema for %s", d, d.GVK))
	}
	return strings.Join(how, "+"), errs
}

func (c *crdSchema) validate(d *Doc) []error {
	var errs []error
	var obj map[string]interface{}
	if err := yaml.Unmarshal(d.JSON, &obj); err != nil {
		return []error{fmt.Errorf("%s: %w", d, err)}
	}
	for _, e := range apiservervalidation.ValidateCustomResource(nil, obj, c.validator) {
		errs = append(errs, fmt.Errorf("%s: %s", d, e.Error()))
	}
	celErrs, _ := c.cel.Validate(context.Background(), field.NewPath(""), c.structural, obj, nil, celconfig.RuntimeCELCostBudget)
	for _, e := range celErrs {
		errs = append(errs, fmt.Errorf("%s: %s", d, e.Error()))
	}
	// What the API server would drop silently is an error here: a misspelled field.
	var pruned map[string]interface{}
	_ = yaml.Unmarshal(d.JSON, &pruned)
	unknown := pruning.PruneWithOptions(pruned, c.structural, true, structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true})
	sort.Strings(unknown)
	for _, p := range unknown {
		errs = append(errs, fmt.Errorf("%s: unknown field %q (not in the schema of %s)", d, p, c.crd))
	}
	return errs
}

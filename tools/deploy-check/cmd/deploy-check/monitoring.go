package main

// The dashboard and the alerts: every PromQL expression parses (Prometheus' own parser), every
// metric it reads is in deploy/monitoring/metrics.yaml, and every Tickler metric listed there
// as exported is exported by the C++ sources.

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	"github.com/prometheus/prometheus/promql/parser"
	"sigs.k8s.io/yaml"
)

type metricInventory struct {
	Sources map[string][]string `json:"sources"`
	Pending []struct {
		Name string `json:"name"`
		What string `json:"what"`
	} `json:"pending"`
}

type MonitoringResult struct {
	Exprs   int
	Metrics map[string]bool
	Pending []string
}

var grafanaVarRE = regexp.MustCompile(`\$\{?[A-Za-z_][A-Za-z0-9_]*(:[a-z]+)?\}?`)

// promqlMetrics parses one expression and returns the metric names it selects.
func promqlMetrics(expr string) ([]string, error) {
	// Grafana's variables: an interval where one is expected, a plain word elsewhere.
	e := strings.NewReplacer("$__rate_interval", "5m", "$__interval", "1m", "$__range", "1h").Replace(expr)
	e = grafanaVarRE.ReplaceAllString(e, "x")
	ast, err := parser.NewParser(parser.Options{}).ParseExpr(e)
	if err != nil {
		return nil, err
	}
	var names []string
	parser.Inspect(ast, func(n parser.Node, _ []parser.Node) error {
		if vs, ok := n.(*parser.VectorSelector); ok {
			name := vs.Name
			if name == "" {
				for _, m := range vs.LabelMatchers {
					if m.Name == "__name__" {
						name = m.Value
					}
				}
			}
			names = append(names, name)
		}
		return nil
	})
	return names, nil
}

// CheckMonitoring checks the dashboard JSON, the PrometheusRule documents and the inventory.
func CheckMonitoring(repo string, dashboards []string, rules []*Doc) (*MonitoringResult, []error) {
	var errs []error
	res := &MonitoringResult{Metrics: map[string]bool{}}
	invPath := filepath.Join(repo, "deploy/monitoring/metrics.yaml")
	data, err := os.ReadFile(invPath)
	if err != nil {
		return res, []error{err}
	}
	var inv metricInventory
	if err := yaml.UnmarshalStrict(data, &inv); err != nil {
		return res, []error{fmt.Errorf("%s: %w", invPath, err)}
	}
	known := map[string]string{}
	for src, names := range inv.Sources {
		for _, n := range names {
			known[n] = src
		}
	}
	for _, p := range inv.Pending {
		known[p.Name] = "pending"
		res.Pending = append(res.Pending, p.Name)
	}
	use := func(where, expr string) {
		res.Exprs++
		names, err := promqlMetrics(expr)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: PromQL %q: %w", where, expr, err))
			return
		}
		for _, n := range names {
			res.Metrics[n] = true
			if _, ok := known[n]; !ok {
				errs = append(errs, fmt.Errorf("%s: metric %s is not in deploy/monitoring/metrics.yaml", where, n))
			}
		}
	}
	for _, f := range dashboards {
		data, err := os.ReadFile(f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		var dash struct {
			Title  string `json:"title"`
			UID    string `json:"uid"`
			Panels []struct {
				Title   string `json:"title"`
				Type    string `json:"type"`
				Targets []struct {
					Expr string `json:"expr"`
				} `json:"targets"`
			} `json:"panels"`
		}
		if err := json.Unmarshal(data, &dash); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", f, err))
			continue
		}
		if dash.Title == "" || dash.UID == "" {
			errs = append(errs, fmt.Errorf("%s: a dashboard needs a title and a uid", f))
		}
		for _, p := range dash.Panels {
			if p.Type != "row" && len(p.Targets) == 0 {
				errs = append(errs, fmt.Errorf("%s: panel %q has no query", f, p.Title))
			}
			for _, t := range p.Targets {
				use(fmt.Sprintf("%s: panel %q", filepath.Base(f), p.Title), t.Expr)
			}
		}
	}
	for _, d := range rules {
		r, ok := d.Typed.(*monitoringv1.PrometheusRule)
		if !ok {
			continue
		}
		for _, g := range r.Spec.Groups {
			for _, rule := range g.Rules {
				if rule.Alert != "" && rule.Labels["severity"] == "" {
					errs = append(errs, fmt.Errorf("%s: alert %s has no severity label", d, rule.Alert))
				}
				use(fmt.Sprintf("%s: rule %s", d, rule.Alert+rule.Record), rule.Expr.String())
			}
		}
	}
	// The Tickler metrics said to be exported must be in the sources.
	src := readSources(filepath.Join(repo, "src"))
	for _, n := range inv.Sources["tickler"] {
		base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(n, "_bucket"), "_count"), "_sum")
		if !strings.Contains(src, "\""+base) && !strings.Contains(src, " "+base) {
			errs = append(errs, fmt.Errorf("deploy/monitoring/metrics.yaml: %s is listed as exported but src/ does not export it", n))
		}
	}
	sort.Strings(res.Pending)
	return res, errs
}

func readSources(dir string) string {
	var b strings.Builder
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".cpp") || strings.HasSuffix(p, ".hpp")) || strings.HasSuffix(p, ".test.cpp") {
			return nil
		}
		data, _ := os.ReadFile(p)
		b.Write(data)
		return nil
	})
	return b.String()
}

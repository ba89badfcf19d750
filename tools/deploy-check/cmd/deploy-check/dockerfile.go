package main

// The Dockerfile, checked without an engine: parsed by BuildKit's own Dockerfile frontend
// (syntax and instruction errors are build errors there too), then linted: base images pinned,
// a non-root USER, a HEALTHCHECK, OCI labels, apt used cleanly, COPY sources present and not
// excluded by .dockerignore; and the runtime stage's packages compared with what
// `ldd build/tickler` needs (each shared library's Debian package, by dpkg -S).

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

var requiredOCILabels = []string{
	"org.opencontainers.image.title", "org.opencontainers.image.description",
	"org.opencontainers.image.version", "org.opencontainers.image.revision",
	"org.opencontainers.image.created", "org.opencontainers.image.source",
	"org.opencontainers.image.licenses",
}

// Packages the runtime stage may install that own no library of the binary, and why.
var dataPackages = map[string]string{
	"ca-certificates": "TLS to managed PostgreSQL and Kafka",
	"tzdata":          "IANA time zones of recurrence (libdate-tz reads /usr/share/zoneinfo)",
}

// DockerfileResult is what the lint found: the runtime stage's apt packages for the ldd check.
type DockerfileResult struct {
	RuntimePackages []string
	Stages          int
}

// LintDockerfile checks the Dockerfile at path; repo is the build context (for COPY sources
// and .dockerignore).
func LintDockerfile(dockerfile, repo string) (*DockerfileResult, []error) {
	var errs []error
	fail := func(format string, a ...interface{}) {
		errs = append(errs, fmt.Errorf("%s: %s", dockerfile, fmt.Sprintf(format, a...)))
	}
	data, err := os.ReadFile(dockerfile)
	if err != nil {
		return nil, []error{err}
	}
	res, err := parser.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, []error{fmt.Errorf("%s: %w", dockerfile, err)}
	}
	for _, w := range res.Warnings {
		fail("parser warning: %s", w.Short)
	}
	stages, metaArgs, err := instructions.Parse(res.AST, nil)
	if err != nil {
		return nil, []error{fmt.Errorf("%s: %w", dockerfile, err)}
	}
	if len(stages) == 0 {
		return nil, []error{fmt.Errorf("%s: no stage", dockerfile)}
	}
	args := map[string]string{}
	for _, a := range metaArgs {
		for _, kv := range a.Args {
			if kv.Value != nil {
				args[kv.Key] = *kv.Value
			}
		}
	}
	ignore := readDockerignore(filepath.Join(repo, ".dockerignore"))
	if ignore == nil {
		fail("no .dockerignore beside it in the build context")
	}
	stageNames := map[string]bool{}
	out := &DockerfileResult{Stages: len(stages)}
	for i, st := range stages {
		base := expandArgs(st.BaseName, args)
		if !stageNames[base] && base != "scratch" {
			if why := unpinned(base); why != "" {
				fail("stage %d (%s): base image %q %s", i, st.Name, base, why)
			}
		}
		if st.Name != "" {
			stageNames[st.Name] = true
		}
		last := i == len(stages)-1
		var user string
		health, entrypoint := false, false
		labels := map[string]bool{}
		for _, cmd := range st.Commands {
			switch c := cmd.(type) {
			case *instructions.RunCommand:
				line := strings.Join(c.CmdLine, " ")
				if strings.Contains(line, "apt-get install") {
					if !strings.Contains(line, "--no-install-recommends") {
						fail("stage %s: apt-get install without --no-install-recommends", st.Name)
					}
					if !strings.Contains(line, "rm -rf /var/lib/apt/lists") {
						fail("stage %s: apt-get install without removing /var/lib/apt/lists in the same RUN", st.Name)
					}
					if last {
						out.RuntimePackages = append(out.RuntimePackages, aptPackages(line)...)
					}
				}
				if regexp.MustCompile(`(curl|wget)[^|]*\|\s*(ba)?sh`).MatchString(line) {
					fail("stage %s: pipes a download into a shell", st.Name)
				}
			case *instructions.AddCommand:
				for _, src := range c.SourcePaths {
					if strings.Contains(src, "://") {
						fail("stage %s: ADD of a URL (%s): download in a RUN with a checksum instead", st.Name, src)
					}
				}
			case *instructions.CopyCommand:
				if c.From != "" {
					continue
				}
				for _, src := range c.SourcePaths {
					errs = append(errs, checkCopySource(dockerfile, repo, src, ignore)...)
				}
			case *instructions.UserCommand:
				user = c.User
			case *instructions.HealthCheckCommand:
				health = c.Health != nil && len(c.Health.Test) > 0 && c.Health.Test[0] != "NONE"
			case *instructions.EntrypointCommand:
				entrypoint = true
			case *instructions.LabelCommand:
				for _, kv := range c.Labels {
					labels[kv.Key] = true
				}
			}
		}
		if !last {
			continue
		}
		if user == "" {
			fail("the runtime stage sets no USER (it would run as root)")
		} else if u, _, _ := strings.Cut(user, ":"); u == "0" || u == "root" {
			fail("the runtime stage runs as root (USER %s)", user)
		}
		if !health {
			fail("the runtime stage has no HEALTHCHECK")
		}
		if !entrypoint {
			fail("the runtime stage has no ENTRYPOINT")
		}
		for _, l := range requiredOCILabels {
			if !labels[l] {
				fail("the runtime stage lacks the OCI label %s", l)
			}
		}
		if len(out.RuntimePackages) == 0 {
			fail("the runtime stage installs no packages (the binary needs its shared libraries)")
		}
	}
	return out, errs
}

var argRE = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?`)

func expandArgs(s string, args map[string]string) string {
	return argRE.ReplaceAllStringFunc(s, func(m string) string {
		return args[argRE.FindStringSubmatch(m)[1]]
	})
}

// unpinned says why an image reference is not pinned, or "".
func unpinned(ref string) string {
	if strings.Contains(ref, "@sha256:") {
		return ""
	}
	name := lastPathPart(ref)
	_, tag, ok := strings.Cut(name, ":")
	switch {
	case !ok:
		return "has no tag (means latest)"
	case tag == "latest":
		return "is latest"
	case !regexp.MustCompile(`\d`).MatchString(tag):
		return "is a moving tag without a version (pin a version or a digest)"
	}
	return ""
}

var aptOptionWithValue = map[string]bool{"-o": true, "-t": true}

// aptPackages: the package names of `apt-get install …` in a RUN line.
func aptPackages(line string) []string {
	var pkgs []string
	for _, part := range regexp.MustCompile(`&&|;|\|\|`).Split(line, -1) {
		fields := strings.Fields(part)
		for i := 0; i+1 < len(fields); i++ {
			if fields[i] == "apt-get" || fields[i] == "apt" {
				rest := fields[i+1:]
				for j := 0; j < len(rest); j++ {
					if rest[j] != "install" {
						continue
					}
					for k := j + 1; k < len(rest); k++ {
						f := rest[k]
						if aptOptionWithValue[f] {
							k++
							continue
						}
						if strings.HasPrefix(f, "-") || f == "\\" {
							continue
						}
						pkgs = append(pkgs, f)
					}
					break
				}
				break
			}
		}
	}
	return pkgs
}

type ignoreRule struct {
	pattern string
	negate  bool
}

func readDockerignore(p string) []ignoreRule {
	data, err := os.ReadFile(p)
	if err != nil {
		return nil
	}
	rules := []ignoreRule{}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		r := ignoreRule{}
		if strings.HasPrefix(line, "!") {
			r.negate = true
			line = line[1:]
		}
		r.pattern = strings.TrimSuffix(path.Clean(strings.TrimPrefix(line, "/")), "/")
		rules = append(rules, r)
	}
	return rules
}

// ignored: Docker's rule, the last matching pattern decides; a pattern naming a directory
// covers what is under it.
func ignored(rules []ignoreRule, rel string) bool {
	out := false
	for _, r := range rules {
		if ignoreMatch(r.pattern, rel) {
			out = !r.negate
		}
	}
	return out
}

func ignoreMatch(pattern, rel string) bool {
	parts := strings.Split(rel, "/")
	for i := len(parts); i >= 1; i-- {
		prefix := strings.Join(parts[:i], "/")
		if ok, _ := path.Match(pattern, prefix); ok {
			return true
		}
		if strings.HasPrefix(pattern, "**/") {
			for j := 0; j < i; j++ {
				if ok, _ := path.Match(pattern[3:], strings.Join(parts[j:i], "/")); ok {
					return true
				}
			}
		}
	}
	return false
}

func checkCopySource(dockerfile, repo, src string, ignore []ignoreRule) []error {
	rel := strings.TrimSuffix(path.Clean(src), "/")
	if strings.ContainsAny(rel, "*?[") {
		return nil
	}
	if _, err := os.Stat(filepath.Join(repo, rel)); err != nil {
		return []error{fmt.Errorf("%s: COPY source %s does not exist in the build context", dockerfile, src)}
	}
	if ignore != nil && ignored(ignore, rel) {
		return []error{fmt.Errorf("%s: COPY source %s is excluded by .dockerignore", dockerfile, src)}
	}
	return nil
}

// --- the runtime packages against ldd -------------------------------------------------------

// LddCheck compares the runtime stage's packages with the libraries ldd reports for the binary.
// Every library's package must be installed by the runtime stage or be a dependency of what
// it installs; every package it installs must own one of those libraries (or be a listed data
// package). Returns the number of libraries checked.
func LddCheck(binary string, runtimePkgs []string) (int, []error) {
	out, err := exec.Command("ldd", binary).CombinedOutput()
	if err != nil {
		return 0, []error{fmt.Errorf("ldd %s: %v: %s", binary, err, out)}
	}
	var errs []error
	libs := map[string]string{} // path → package
	for _, line := range strings.Split(string(out), "\n") {
		line = strings.TrimSpace(line)
		if strings.Contains(line, "not found") {
			errs = append(errs, fmt.Errorf("ldd %s: %s", binary, line))
			continue
		}
		var p string
		if _, after, ok := strings.Cut(line, "=> "); ok {
			p = strings.Fields(after)[0]
		} else if strings.HasPrefix(line, "/") {
			p = strings.Fields(line)[0]
		}
		if p == "" {
			continue // linux-vdso
		}
		pkg, err := dpkgOwner(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		libs[p] = pkg
	}
	listed := map[string]bool{}
	for _, p := range runtimePkgs {
		listed[p] = true
	}
	// Packages of every Debian system (the base image has them too).
	closure := dependencyClosure(append(append([]string{}, runtimePkgs...), "libc6", "libgcc-s1"))
	owners := map[string]bool{}
	paths := make([]string, 0, len(libs))
	for p := range libs {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		pkg := libs[p]
		owners[pkg] = true
		if !closure[pkg] {
			errs = append(errs, fmt.Errorf("the runtime stage lacks %s (package %s, needed by %s): add it to the apt-get install list", p, pkg, filepath.Base(binary)))
		}
	}
	for _, p := range runtimePkgs {
		if owners[p] {
			continue
		}
		if _, ok := dataPackages[p]; ok {
			continue
		}
		errs = append(errs, fmt.Errorf("the runtime stage installs %s, which owns no library that %s links: remove it (or list it as a data package with its reason)", p, filepath.Base(binary)))
	}
	return len(libs), errs
}

// dpkgOwner: the package owning a file, trying the path as given, resolved, and with or
// without /usr (Debian 12 merges /lib into /usr/lib; dpkg knows one of the two names).
func dpkgOwner(p string) (string, error) {
	cands := []string{p}
	if r, err := filepath.EvalSymlinks(p); err == nil {
		cands = append(cands, r)
	}
	for _, c := range append([]string{}, cands...) {
		if strings.HasPrefix(c, "/usr/") {
			cands = append(cands, strings.TrimPrefix(c, "/usr"))
		} else {
			cands = append(cands, "/usr"+c)
		}
	}
	for _, c := range cands {
		out, err := exec.Command("dpkg", "-S", c).Output()
		if err != nil {
			continue
		}
		first := strings.SplitN(strings.TrimSpace(string(out)), "\n", 2)[0]
		pkg, _, _ := strings.Cut(first, ":")
		pkg = strings.TrimSpace(strings.Split(pkg, ",")[0])
		return pkg, nil
	}
	return "", fmt.Errorf("dpkg -S: no package owns %s", p)
}

// dependencyClosure: the packages and their Depends/Pre-Depends, recursively, as installed.
func dependencyClosure(roots []string) map[string]bool {
	seen := map[string]bool{}
	queue := append([]string{}, roots...)
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if seen[p] {
			continue
		}
		seen[p] = true
		out, err := exec.Command("dpkg-query", "-W", "-f=${Depends}, ${Pre-Depends}", p).Output()
		if err != nil {
			continue
		}
		for _, dep := range strings.Split(string(out), ",") {
			for _, alt := range strings.Split(dep, "|") {
				name := strings.TrimSpace(strings.Fields(alt + " x")[0])
				name, _, _ = strings.Cut(name, ":")
				if name != "" && name != "x" && !seen[name] {
					queue = append(queue, name)
				}
			}
		}
	}
	return seen
}

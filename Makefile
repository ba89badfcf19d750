# The front door. `make run` starts Tickler; `make test` runs every test. Both install what is
# missing first (scripts/deps.sh).
.PHONY: build run test unit-test asan-test api-test integration-test up down format format-check tidy bench clean deps web-test deploy-check

ARGS ?=
# Cache compilations across clones of the repository (CI builds a fresh clone each time).
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

deps:
	@scripts/deps.sh build

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release
	@ln -sfn release/src/tickler build/tickler
	@scripts/build-web.sh

run: build
	build/tickler serve $(ARGS)

test:
	@scripts/deps.sh test
	@scripts/test.sh

unit-test: build
	ctest --preset release

asan-test: deps
	@cmake --preset asan-ubsan >/dev/null
	@cmake --build --preset asan-ubsan --target tickler_unit_tests
	ctest --preset asan-ubsan

api-test: build
	build/venv/bin/pytest -q tests/api

# The web UI: Vitest unit tests, then the browser tests (tests/e2e/browser) in chromium.
web-test: build
	@scripts/deps.sh web
	cd web && npx vitest run
	node --test --test-concurrency=1 --test-timeout=300000 --test-reporter=spec tests/e2e/browser/

# The distributed mode on this machine: PostgreSQL, Kafka, the Dapr scheduler and the five
# services each beside its daprd, on loopback (API on http://127.0.0.1:8080). `make down` stops it.
STACK ?= build/stack
up: build
	@scripts/deps.sh stack
	@python3 tools/stack/stack.py up $(STACK)

down:
	@python3 tools/stack/stack.py down $(STACK)

integration-test: build
	@scripts/deps.sh stack
	build/venv/bin/pytest -q -p no:cacheprovider tests/integration

# The Kubernetes deployment (deploy/), validated without a cluster: helm lint and template with
# every values file, every manifest strictly against its schema, policies, dashboard and
# alerts, the Dockerfile and the runtime libraries of build/tickler (tools/deploy-check).
deploy-check:
	@scripts/deps.sh deploy
	@tools/deploy-check/check.sh

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

format-check:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run -Werror

tidy: build
	git ls-files 'src/*.cpp' | grep -v '\.test\.cpp$$' | xargs clang-tidy -p build/release --quiet

bench: build
	@scripts/deps.sh bench
	bench/run.sh

clean:
	rm -rf build

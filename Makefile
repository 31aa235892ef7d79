# oneone — make targets. `make test` is what CI runs.
GO       ?= go
BIN      ?= bin/oneone
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
DIST     ?= dist
# release targets: GOOS/GOARCH
PLATFORMS ?= linux/amd64 linux/arm64 darwin/amd64 darwin/arm64
# the release's date (man pages): its commit's, so that a commit always gives the same files
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || date +%s)

.PHONY: build test bench lint fuzz demo clean release

# Benchmarks (issue 6): generates the repositories once under .bench/ (git
# fast-import), then prints medians with min, max and peak memory next to
# find, cat, git add+commit and git push measured in the same run.
bench: build
	$(GO) run ./bench/run -bin $(BIN)
	$(GO) test -run '^$$' -bench 'ParseNote|Audit$$' -benchmem -benchtime 20x ./notes/

build:
	$(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/oneone

# A release in $(DIST)/: a static binary per platform (CGO_ENABLED=0, no libc
# needed), the man pages generated from the commands, and SHA256SUMS over
# them all (check with `sha256sum -c SHA256SUMS`). Refuses a dirty tree: a
# release is a commit (`make release ALLOW_DIRTY=1` to try it anyway).
release:
	@case "$(VERSION)" in *-dirty) if [ -z "$(ALLOW_DIRTY)" ]; then \
		echo "release: the work tree has uncommitted changes ($(VERSION)): commit or stash them first" >&2; exit 1; fi;; esac
	rm -rf $(DIST) && mkdir -p $(DIST)/man
	@set -e; for p in $(PLATFORMS); do \
		os=$${p%/*}; arch=$${p#*/}; out=$(DIST)/oneone-$(VERSION)-$$os-$$arch; \
		echo "build $$out"; \
		CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $$out ./cmd/oneone; \
	done
	SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) $(GO) run -tags manpage -ldflags "-X main.version=$(VERSION)" ./cmd/oneone manpage $(DIST)/man
	cd $(DIST) && files=$$(find . -type f ! -name SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort) && \
		if command -v sha256sum >/dev/null; then sha256sum $$files; else shasum -a 256 $$files; fi > SHA256SUMS
	@echo "release $(VERSION) in $(DIST)/:" && cat $(DIST)/SHA256SUMS

test:
	$(GO) vet ./...
	$(GO) test -count=1 ./...

lint:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

demo:
	ONEONE_TODAY=2026-11-25 $(GO) run ./cmd/oneone --dir examples/team audit

clean:
	rm -rf bin .bench $(DIST)

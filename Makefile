# oneone — make targets. `make test` is what CI runs.
GO       ?= go
BIN      ?= bin/oneone
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)

.PHONY: build test bench lint fuzz demo clean

# Benchmarks (issue 6): generates the repositories once under .bench/ (git
# fast-import), then prints medians with min, max and peak memory next to
# find, cat, git add+commit and git push measured in the same run.
bench: build
	$(GO) run ./bench/run -bin $(BIN)
	$(GO) test -run '^$$' -bench 'ParseNote|Audit$$' -benchmem -benchtime 20x ./notes/

build:
	$(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/oneone

test:
	$(GO) vet ./...
	$(GO) test -count=1 ./...

lint:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

demo:
	ONEONE_TODAY=2026-11-25 $(GO) run ./cmd/oneone --dir examples/team audit

clean:
	rm -rf bin .bench

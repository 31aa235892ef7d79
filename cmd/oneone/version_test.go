package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestBuildVersion(t *testing.T) {
	vcs := func(version, rev, modified string) *debug.BuildInfo {
		bi := &debug.BuildInfo{Main: debug.Module{Path: "github.com/oneone/oneone", Version: version}}
		if rev != "" {
			bi.Settings = []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
		}
		return bi
	}
	const rev = "c805d9409796b38f027021823284eebccf980b96"
	tests := []struct {
		name, ldflags string
		bi            *debug.BuildInfo
		want          string
	}{
		{"make build: git describe", "v1.4.0-3-gc805d94", vcs("(devel)", "", ""), "v1.4.0-3-gc805d94"},
		{"make build, no tag", "c805d94-dirty", nil, "c805d94-dirty"},
		{"go build in a clone (Go 1.24+ pseudo-version)", "dev", vcs("v0.0.0-20261126020408-c805d9409796", rev, "false"), "dev (c805d94)"},
		{"go build in a clone, uncommitted changes", "dev", vcs("v0.0.0-20261126020408-c805d9409796+dirty", rev, "true"), "dev (c805d94, modified)"},
		{"go build after a tag", "dev", vcs("v1.4.1-0.20261126020408-c805d9409796", rev, "false"), "dev (c805d94)"},
		{"go build of a tag", "dev", vcs("v1.4.0", rev, "false"), "v1.4.0"},
		{"go build of a tag, modified", "dev", vcs("v1.4.0+dirty", rev, "true"), "v1.4.0+dirty"},
		{"go build before Go 1.24", "dev", vcs("(devel)", rev, "false"), "dev (c805d94)"},
		{"go install @v1.4.0", "dev", vcs("v1.4.0", "", ""), "v1.4.0"},
		{"go install @commit", "dev", vcs("v0.0.0-20261126020408-c805d9409796", "", ""), "v0.0.0-20261126020408-c805d9409796"},
		{"go build without vcs (worktree, -buildvcs=false)", "dev", vcs("(devel)", "", ""), "dev"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := buildVersion(tt.ldflags, tt.bi, tt.bi != nil); got != tt.want {
				t.Errorf("buildVersion = %q, want %q", got, tt.want)
			}
		})
	}
}

// `make build` stamps the binary with git describe: --version prints the tag
// or the commit, never "dev".
func TestMakeBuildPrintsTheCommit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	for _, tool := range []string{"make", "git"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("no %s", tool)
		}
	}
	top, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	want, err := exec.Command("git", "-C", top, "describe", "--tags", "--always", "--dirty").Output()
	if err != nil {
		t.Skipf("not a git checkout: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "oneone")
	mk := exec.Command("make", "-C", top, "build", "BIN="+bin)
	if out, err := mk.CombinedOutput(); err != nil {
		t.Fatalf("make build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if got, w := strings.TrimSpace(string(out)), "oneone version "+strings.TrimSpace(string(want)); got != w || strings.Contains(got, "dev") {
		t.Errorf("--version = %q, want %q", got, w)
	}
	_ = os.Remove(bin)
}

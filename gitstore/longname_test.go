package gitstore

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Names as long as a file system allows (255 bytes, ASCII or not) come from the
// remote and go back: their temporary files and conflict copies fit too.
func TestSyncLongFileNames(t *testing.T) {
	for _, name := range []string{
		strings.Repeat("n", 250) + ".md",          // 253 characters, as in the report
		strings.Repeat("é", 126) + ".md",          // 255 bytes, 129 characters
		strings.Repeat("x", 255),                  // 255 bytes, no extension
		"alice/" + strings.Repeat("ü", 127) + "a", // 255 bytes in a folder
	} {
		t.Run(name[:8], func(t *testing.T) {
			a, b, bare := pair(t, "daemon")
			a.write(name, "one\ntwo\nthree\n")
			a.mustSync()
			b.mustSync()
			want := map[string]string{"oneone.yaml": "manager: Dana\n", "alice/2026-11-25.md": note, name: "one\ntwo\nthree\n"}
			b.check(want)
			// the same line changed on both sides: the remote's version is kept beside it
			a.write(name, "one\nTWO from a\nthree\n")
			b.write(name, "one\nTWO from b\nthree\n")
			a.mustSync()
			res := b.mustSync()
			if len(res.Conflicts) != 1 {
				t.Fatalf("b sync: %+v", res)
			}
			cp := res.Conflicts[0].Copy
			if base := filepath.Base(cp); len(base) > 255 || !strings.Contains(base, ".conflict-") || filepath.Dir(cp) != filepath.Dir(name) {
				t.Fatalf("conflict copy %q (%d bytes)", cp, len(filepath.Base(cp)))
			}
			if got, err := os.ReadFile(filepath.Join(b.dir, cp)); err != nil || string(got) != "one\nTWO from a\nthree\n" {
				t.Fatalf("conflict copy holds %q, %v", got, err)
			}
			a.mustSync()
			want[name] = "one\nTWO from b\nthree\n"
			want[cp] = "one\nTWO from a\nthree\n"
			a.check(want)
			b.check(want)
			fsck(t, bare)
		})
	}
}

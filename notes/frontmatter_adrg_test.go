package notes

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/adrg/frontmatter"
	"gopkg.in/yaml.v3"
)

// TestSplitAgreesWithAdrgFrontmatter checks oneone's splitter (which it needs for
// byte offsets when editing a profile in place) against github.com/adrg/frontmatter
// on well-formed files: same YAML values, same body. The two differ on purpose
// where adrg/frontmatter is lenient: a BOM hides its frontmatter, and an
// unterminated block is taken for body without an error; oneone strips the BOM
// and reports the unterminated block.
func TestSplitAgreesWithAdrgFrontmatter(t *testing.T) {
	yamlFormat := frontmatter.NewFormat("---", "---", yaml.Unmarshal)
	inputs := []string{
		"---\ndate: 2026-11-25\nkind: goals\n---\n# 1:1\n\n## Feedback\n- good\n",
		"---\nname: Alice Chen\nthemes:\n  - title: Mentor\n    started: 2026-10-01\n---\nFree text.\n",
		"---\r\ndate: 2026-11-25\r\nstatus: held\r\n---\r\n## Feedback\r\nok\r\n",
		"---\nthemes:\n  Better communication: on-track\nmood: \"good: really\"\n---\n",
		"# no frontmatter at all\n\n## Feedback\n",
		"---\n---\nempty frontmatter\n",
	}
	for _, in := range inputs {
		var theirs map[string]any
		rest, err := frontmatter.Parse(bytes.NewReader([]byte(in)), &theirs, yamlFormat)
		if err != nil {
			t.Fatalf("adrg/frontmatter on %q: %v", in, err)
		}
		p, err := SplitFrontmatter([]byte(in))
		if err != nil {
			t.Fatalf("SplitFrontmatter(%q): %v", in, err)
		}
		var ours map[string]any
		if err := yaml.Unmarshal(p.Front, &ours); err != nil {
			t.Fatal(err)
		}
		if len(ours) == 0 && len(theirs) == 0 {
			ours, theirs = nil, nil
		}
		if !reflect.DeepEqual(ours, theirs) {
			t.Errorf("%q: values %v, adrg/frontmatter %v", in, ours, theirs)
		}
		if !bytes.Equal(bytes.TrimLeft(p.Body, "\r\n"), bytes.TrimLeft(rest, "\r\n")) {
			t.Errorf("%q: body %q, adrg/frontmatter %q", in, p.Body, rest)
		}
	}

	// Where oneone is stricter, on purpose.
	var v map[string]any
	if rest, err := frontmatter.Parse(bytes.NewReader([]byte("---\ndate: 2026-11-25\nno end\n")), &v, yamlFormat); err != nil || len(rest) == 0 {
		t.Logf("adrg/frontmatter on unterminated frontmatter: %q, %v", rest, err)
	}
	if _, err := SplitFrontmatter([]byte("---\ndate: 2026-11-25\nno end\n")); err == nil {
		t.Error("SplitFrontmatter must report unterminated frontmatter")
	}
	if p, err := SplitFrontmatter([]byte("\ufeff---\nkind: goals\n---\nx")); err != nil || !p.HasFront || !p.BOM {
		t.Errorf("SplitFrontmatter must see frontmatter behind a BOM: %+v, %v", p, err)
	}
}

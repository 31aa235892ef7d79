package notes

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// TestTaskLinesBigNote checks the line number of every task of a big note
// (findTasks counts lines incrementally, see there) against a count from
// the start of the body, for the goldmark path and the fast scanner alike.
func TestTaskLinesBigNote(t *testing.T) {
	var b strings.Builder
	b.WriteString("## Action items\n\n")
	want := map[string]int{}
	for i := range 3000 {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, "Some text\nover two lines %d.\n\n", i)
		case 1:
			b.WriteString("> quoted\n\n")
		case 2:
			b.WriteString("- plain item\n  - nested plain\n")
		}
		fmt.Fprintf(&b, "- [ ] task %d\n", i)
		if i%3 == 0 {
			fmt.Fprintf(&b, "  - [x] nested task %d\n", i)
		}
		if i%5 == 0 {
			fmt.Fprintf(&b, "- [-] dropped task %d\n", i)
		}
		b.WriteString("\n")
	}
	body := []byte(b.String())
	for _, line := range strings.Split(b.String(), "\n") {
		if k := strings.Index(line, "] "); k >= 0 {
			want[line[k+2:]] = 0
		}
	}
	for text := range want {
		k := bytes.Index(body, []byte("] "+text+"\n"))
		want[text] = bytes.Count(body[:k], []byte("\n")) + 1
	}
	for name, out := range map[string]parsedBody{"goldmark": slowBody(body), "parseMarkdown": parseMarkdown(body)} {
		if len(out.tasks) != len(want) {
			t.Fatalf("%s: %d tasks, want %d", name, len(out.tasks), len(want))
		}
		for _, task := range out.tasks {
			if task.Line != want[task.Text] {
				t.Fatalf("%s: %q on line %d, want %d", name, task.Text, task.Line, want[task.Text])
			}
		}
	}
}

package notes

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// FrontmatterSection is the section name of a match in a note's frontmatter.
const FrontmatterSection = "frontmatter"

// SearchQuery says what to look for and where.
type SearchQuery struct {
	Text  string    // matched case-insensitively, within one line
	Slugs []string  // the reports to search; empty means every report, archived ones included
	Since time.Time // first note date to search, inclusive; zero for no bound
	Until time.Time // last note date to search, inclusive; zero for no bound
}

// Hit is one line of a note that matches a search.
type Hit struct {
	Slug       string
	Name       string
	Date       time.Time
	File       string // repository-relative, with forward slashes
	Section    string // the level-2 heading the line is under, FrontmatterSection, or ""
	LineNumber int    // 1-based, counted in the file
	Line       string // the line, trimmed
	Spans      [][2]int
}

// Search finds the lines of notes (YYYY-MM-DD.md files in report folders)
// that contain q.Text, newest note first. It reads the files directly and
// parses only the ones that match. Searched are the body, except HTML
// comments (the template's prompts), and the frontmatter's values, except YAML
// comments and the names of top-level keys. Symbolic links, files larger than
// MaxNoteSize and binary files are skipped; unreadable files are returned as
// problems.
func (r *Repo) Search(q SearchQuery) ([]Hit, []Problem, error) {
	m, err := newMatcher(q.Text)
	if err != nil {
		return nil, nil, err
	}
	all, err := r.Slugs()
	if err != nil {
		return nil, nil, err
	}
	slugs := all
	if len(q.Slugs) > 0 {
		slugs = nil
		for _, s := range q.Slugs {
			if err := ValidateSlug(s); err != nil {
				return nil, nil, err
			}
			if !contains(all, s) {
				return nil, nil, r.unknownSlug(s)
			}
			if !contains(slugs, s) {
				slugs = append(slugs, s)
			}
		}
	}

	type result struct {
		files    []fileHits
		problems []Problem
	}
	results := make([]result, len(slugs))
	jobs := make(chan int)
	var wg sync.WaitGroup
	workers := min(max(2*runtime.GOMAXPROCS(0), 4), len(slugs))
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := &searcher{root: r.Root, m: m, since: q.Since, until: q.Until}
			for i := range jobs {
				results[i].files, results[i].problems = s.folder(slugs[i])
			}
		}()
	}
	for i := range slugs {
		jobs <- i
	}
	close(jobs)
	wg.Wait()

	// Sort whole files, newest first, then by slug; a file's lines stay in order.
	var files []fileHits
	var problems []Problem
	total := 0
	for i, res := range results {
		problems = append(problems, res.problems...)
		if len(res.files) == 0 {
			continue
		}
		name := slugs[i]
		if p, err := r.LoadProfile(slugs[i]); err == nil {
			name = p.Name
		}
		for _, f := range res.files {
			for j := range f.hits {
				f.hits[j].Name = name
			}
			total += len(f.hits)
		}
		files = append(files, res.files...)
	}
	sort.SliceStable(files, func(i, j int) bool {
		a, b := files[i].hits[0], files[j].hits[0]
		if !a.Date.Equal(b.Date) {
			return a.Date.After(b.Date)
		}
		return a.Slug < b.Slug
	})
	hits := make([]Hit, 0, total)
	for _, f := range files {
		hits = append(hits, f.hits...)
	}
	return hits, problems, nil
}

// fileHits are the hits of one file, in line order.
type fileHits struct{ hits []Hit }

// searcher is one worker's state: its buffers are reused from file to file.
type searcher struct {
	root         string
	m            *matcher
	since, until time.Time
	buf, low     []byte
	line         []byte // scratch for one lowered line
}

func (s *searcher) folder(slug string) ([]fileHits, []Problem) {
	dir := filepath.Join(s.root, slug)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, []Problem{{Slug: slug, Path: slug, Message: err.Error()}}
	}
	var files []fileHits
	var problems []Problem
	for _, e := range entries {
		name := e.Name()
		// only regular files named YYYY-MM-DD.md: no links, folders or conflict copies
		if len(name) != len("2006-01-02.md") || !strings.HasSuffix(name, ".md") || !e.Type().IsRegular() {
			continue
		}
		date, err := NoteDate(name)
		if err != nil {
			continue
		}
		if (!s.since.IsZero() && date.Before(s.since)) || (!s.until.IsZero() && date.After(s.until)) {
			continue
		}
		data, err := s.read(filepath.Join(dir, name))
		if err != nil {
			problems = append(problems, Problem{Slug: slug, Path: slug + "/" + name, Message: err.Error()})
			continue
		}
		if data == nil || !s.m.mayMatch(data, &s.low) || bytes.IndexByte(data, 0) >= 0 {
			continue
		}
		if hits := s.m.scan(data, Hit{Slug: slug, Date: date, File: slug + "/" + name}, &s.line); len(hits) > 0 {
			files = append(files, fileHits{hits})
		}
	}
	return files, problems
}

// read returns the content of a note into the worker's buffer, or nil for
// a link, a file that is not regular or one larger than MaxNoteSize.
func (s *searcher) read(path string) ([]byte, error) { return readNoteFile(path, &s.buf) }

// matcher finds a query in text, ignoring letter case. ASCII queries, the
// common case, compare bytes after ASCII lowering; others compare runes with
// Unicode simple case folding.
type matcher struct {
	ascii bool
	low   []byte // the ASCII query, lowered
	runes []rune // the query, folded
	// variants are the encodings of the first non-ASCII rune's case forms: a file
	// that holds none of them cannot match.
	variants [][]byte
}

func newMatcher(q string) (*matcher, error) {
	if strings.TrimSpace(q) == "" {
		return nil, errors.New("the search text is empty: give a word or phrase, e.g. oneone search roadmap")
	}
	if strings.ContainsAny(q, "\n\r\x00") {
		return nil, errors.New("the search text spans lines: search for one line of text")
	}
	if !utf8.ValidString(q) {
		return nil, errors.New("the search text is not valid UTF-8")
	}
	m := &matcher{ascii: true}
	for i := 0; i < len(q); i++ {
		if q[i] >= utf8.RuneSelf {
			m.ascii = false
			break
		}
	}
	if m.ascii {
		m.low = lowerASCII(nil, []byte(q))
		return m, nil
	}
	for _, r := range q {
		m.runes = append(m.runes, foldRune(r))
		if r >= utf8.RuneSelf && m.variants == nil {
			for v := r; ; {
				m.variants = append(m.variants, utf8.AppendRune(nil, v))
				if v = unicode.SimpleFold(v); v == r {
					break
				}
			}
		}
	}
	return m, nil
}

// mayMatch is the fast test on a whole file; low is a reusable buffer.
func (m *matcher) mayMatch(data []byte, low *[]byte) bool {
	if m.ascii {
		*low = lowerASCII((*low)[:0], data)
		return bytes.Contains(*low, m.low)
	}
	for _, v := range m.variants {
		if bytes.Contains(data, v) {
			return true
		}
	}
	return false
}

// find returns the byte spans of the non-overlapping matches in line; scratch is a reusable buffer.
func (m *matcher) find(line []byte, scratch *[]byte) [][2]int {
	var out [][2]int
	if m.ascii {
		*scratch = lowerASCII((*scratch)[:0], line)
		low := *scratch
		for off := 0; ; {
			i := bytes.Index(low[off:], m.low)
			if i < 0 {
				return out
			}
			out = append(out, [2]int{off + i, off + i + len(m.low)})
			off += i + len(m.low)
		}
	}
	for i := 0; i < len(line); {
		if end, ok := m.matchAt(line, i); ok {
			out = append(out, [2]int{i, end})
			i = end
			continue
		}
		_, size := utf8.DecodeRune(line[i:])
		i += size
	}
	return out
}

func (m *matcher) matchAt(line []byte, i int) (int, bool) {
	for _, qr := range m.runes {
		if i >= len(line) {
			return 0, false
		}
		r, size := utf8.DecodeRune(line[i:])
		if foldRune(r) != qr {
			return 0, false
		}
		i += size
	}
	return i, true
}

// foldRune maps every rune of a case-folding orbit to the same rune (the smallest).
func foldRune(r rune) rune {
	least := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		least = min(least, f)
	}
	return least
}

func lowerASCII(dst, src []byte) []byte {
	dst = append(dst, src...)
	for i, c := range dst {
		if 'A' <= c && c <= 'Z' {
			dst[i] = c + 'a' - 'A'
		}
	}
	return dst
}

// scan finds the matching lines of one note, with the section each is under.
func (m *matcher) scan(raw []byte, base Hit, scratch *[]byte) []Hit {
	data := normalizeText(raw)
	parts, err := SplitFrontmatter(data)
	if err != nil {
		parts = Parts{Body: data} // unterminated frontmatter: search it all as body
	}
	var hits []Hit
	emit := func(lineNo int, line []byte, section string, masked []byte) {
		spans := m.find(masked, scratch)
		if len(spans) == 0 {
			return
		}
		// trim the line, moving the spans with it
		left := bytes.TrimLeftFunc(line, unicode.IsSpace)
		lead := len(line) - len(left)
		trimmed := bytes.TrimRightFunc(left, unicode.IsSpace)
		h := base
		h.Section, h.LineNumber = section, lineNo
		h.Line = string(trimmed)
		if !utf8.Valid(trimmed) {
			h.Line, spans = strings.ToValidUTF8(h.Line, "\uFFFD"), nil
		}
		for _, sp := range spans {
			a, b := sp[0]-lead, sp[1]-lead
			if a >= 0 && b <= len(trimmed) {
				h.Spans = append(h.Spans, [2]int{a, b})
			}
		}
		hits = append(hits, h)
	}

	var (
		section   string
		inComment bool
		fence     []byte // the opening fence of the code block we are in
	)
	lineNo := 0
	for off := 0; off < len(data); {
		line, next := readLine(data, off)
		lineNo++
		start := off
		off = next
		if parts.HasFront && start < parts.BodyStart {
			if start < parts.FrontStart || start >= parts.FrontEnd {
				continue // the --- delimiters
			}
			emit(lineNo, line, FrontmatterSection, frontValue(line))
			continue
		}
		if fence != nil {
			if closesFence(line, fence) {
				fence = nil
			}
			emit(lineNo, line, section, line)
			continue
		}
		if !inComment {
			if f := openFence(line); f != nil {
				fence = f
				emit(lineNo, line, section, line)
				continue
			}
			if level, text, ok := atxHeading(line); ok {
				switch level {
				case 1:
					section = ""
				case 2:
					section = text
				}
				emit(lineNo, line, section, line)
				continue
			}
			if t := bytes.TrimSpace(line); len(t) > 0 && !isBlockStart(t) && next < len(data) {
				// a line followed by a --- or === underline is a setext heading
				under, _ := readLine(data, next)
				switch setextLevel(under) {
				case 1:
					section = ""
				case 2:
					section = string(t)
				}
			}
		}
		var masked []byte
		masked, inComment = maskComments(line, inComment)
		emit(lineNo, line, section, masked)
	}
	return hits
}

// frontValue returns a frontmatter line with what is not a value masked out:
// a top-level key's name and YAML comments. Theme titles, keys of the nested
// themes map, stay searchable.
func frontValue(line []byte) []byte {
	out := append([]byte(nil), line...)
	if len(out) > 0 && out[0] != ' ' && out[0] != '\t' && out[0] != '-' && out[0] != '#' {
		if i := bytes.IndexByte(out, ':'); i >= 0 {
			mask(out[:i+1])
		}
	}
	var quote byte
	for i, c := range out {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			if i == 0 || out[i-1] == ' ' || out[i-1] == '\t' || out[i-1] == 0 || out[i-1] == ':' {
				quote = c
			}
		case c == '#' && (i == 0 || out[i-1] == ' ' || out[i-1] == '\t' || out[i-1] == 0):
			mask(out[i:])
			return out
		}
	}
	return out
}

// mask blanks bytes out of the search with NUL, which no query holds.
func mask(b []byte) {
	for i := range b {
		b[i] = 0
	}
}

// maskComments blanks the HTML comments of a line; inComment carries a comment across lines.
func maskComments(line []byte, inComment bool) ([]byte, bool) {
	if !inComment && !bytes.Contains(line, []byte("<!--")) {
		return line, false
	}
	out := append([]byte(nil), line...)
	for i := 0; i < len(out); {
		if inComment {
			j := bytes.Index(out[i:], []byte("-->"))
			if j < 0 {
				mask(out[i:])
				return out, true
			}
			mask(out[i : i+j+3])
			i += j + 3
			inComment = false
			continue
		}
		j := bytes.Index(out[i:], []byte("<!--"))
		if j < 0 {
			break
		}
		i += j
		inComment = true
	}
	return out, inComment
}

// atxHeading recognises "## Heading" lines (up to three spaces of indent).
func atxHeading(line []byte) (int, string, bool) {
	t := trimIndent(line)
	if t == nil {
		return 0, "", false
	}
	level := 0
	for level < len(t) && t[level] == '#' {
		level++
	}
	if level == 0 || level > 6 || (level < len(t) && t[level] != ' ' && t[level] != '\t') {
		return 0, "", false
	}
	text := bytes.TrimSpace(t[level:])
	// a closing sequence of #s goes when it stands alone
	if c := bytes.TrimRight(text, "#"); len(c) < len(text) && (len(c) == 0 || c[len(c)-1] == ' ' || c[len(c)-1] == '\t') {
		text = bytes.TrimSpace(c)
	}
	return level, string(text), true
}

// trimIndent drops up to three leading spaces; nil when the line is indented code.
func trimIndent(line []byte) []byte {
	i := 0
	for i < len(line) && i < 4 && line[i] == ' ' {
		i++
	}
	if i == 4 || (i < len(line) && line[i] == '\t') {
		return nil
	}
	return line[i:]
}

func openFence(line []byte) []byte {
	t := trimIndent(line)
	if len(t) < 3 || (t[0] != '`' && t[0] != '~') {
		return nil
	}
	n := 0
	for n < len(t) && t[n] == t[0] {
		n++
	}
	if n < 3 || (t[0] == '`' && bytes.IndexByte(t[n:], '`') >= 0) {
		return nil
	}
	return t[:n:n]
}

func closesFence(line, fence []byte) bool {
	t := trimIndent(line)
	if t == nil || !bytes.HasPrefix(t, fence) {
		return false
	}
	rest := bytes.TrimLeft(t, string(fence[:1]))
	return len(bytes.TrimSpace(rest)) == 0
}

// setextLevel returns 1 for an === underline, 2 for a --- underline, else 0.
func setextLevel(line []byte) int {
	t := trimIndent(line)
	if t == nil {
		return 0
	}
	t = bytes.TrimRight(t, " \t")
	if len(t) == 0 {
		return 0
	}
	c := t[0]
	if c != '=' && c != '-' {
		return 0
	}
	for _, b := range t {
		if b != c {
			return 0
		}
	}
	if c == '=' {
		return 1
	}
	return 2
}

// isBlockStart reports whether a trimmed line starts a block that cannot be a setext heading's text.
func isBlockStart(t []byte) bool {
	switch t[0] {
	case '-', '*', '+':
		return len(t) == 1 || t[1] == ' ' || t[1] == '\t' || setextLevel(t) > 0
	case '>', '#', '<', '|':
		return true
	case '=':
		return setextLevel(t) > 0
	}
	i := 0
	for i < len(t) && i < 9 && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	return i > 0 && i < len(t) && (t[i] == '.' || t[i] == ')')
}

// String writes a hit the way grep would, for debugging and tests.
func (h Hit) String() string {
	return fmt.Sprintf("%s %s %s:%d [%s] %s", h.Slug, FormatDate(h.Date), h.File, h.LineNumber, h.Section, h.Line)
}

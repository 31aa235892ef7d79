package share

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/oneone/oneone/notes"
)

// Incoming is what the report's side of a shared agenda holds, against what
// oneone published last, and the manager's notes it may come back into.
type Incoming struct {
	Person    *notes.Person // the manager's notes of the report, read with their bodies
	Today     time.Time
	Published Files  // the files of the last publish; nil when nothing was published yet
	Remote    Files  // the files of the shared repository's newest commit
	Short     string // that commit's short hash: conflict copies are named by it
	// Read returns a file of the manager's repository (repository-relative), as written.
	Read func(rel string) ([]byte, bool)
	// Placed are the keys of next.md's topics already put into a note since
	// Published (by `new`, or by a receipt whose publish then failed): they
	// are not placed again, and leave next.md.
	Placed map[string]bool
}

// Copy is a change of the report's kept aside: Copy holds the report's
// version, Of the file it belongs to ("" for a file of the report's own).
type Copy struct{ Of, Copy string }

// Received says what comes back into the manager's notes.
type Received struct {
	Writes  map[string][]byte // repository-relative path -> new content (notes and copies)
	Created map[string]bool   // the paths of Writes that are new files (copies), never replacing one
	Notes   []string          // notes changed
	Copies  []Copy
	Pending []Topic  // topics from next.md that wait for a 1:1 (no planned note)
	Placed  []string // the keys of the topics from next.md this receipt put into a note
	Deleted []string // published files the report deleted: not applied, published again
	Skipped []string // files of the report's left in the shared repository only (too large, or past MaxCopies)
	Lines   []string // what happened, in words, for the manager
}

// Paths returns the repository-relative paths written, in order.
func (r *Received) Paths() []string {
	out := make([]string, 0, len(r.Writes))
	for p := range r.Writes {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// ErrNotShared is returned when the shared repository already holds what
// oneone did not publish and that looks like someone's notes.
var ErrNotShared = errors.New("it already holds files oneone did not publish")

// MaxReportFile is the largest file of the report's that is copied into the manager's repository.
const MaxReportFile = 8 << 20

// At most MaxCopies files and MaxCopyBytes of the report's come back as
// copies in one sync; the rest stays in the shared repository's history,
// named in one line: a report who pushes thousands of files never floods the
// notes repository (nor origin).
const (
	MaxCopies    = 100
	MaxCopyBytes = 32 << 20
)

// Receive works out what the report changed since the last publish and how it
// comes back: next.md's topics into the topics section of the next 1:1 (the
// planned note, else they wait in next.md for the note `new` scaffolds); an
// edit of a published note's topics section into that section (line merged
// with the manager's own edits); a task the report ticked or unticked into the
// same task. Everything else the report changed is kept as a copy, never
// applied and never lost: SLUG/DATE.conflict-share-HASH.md for a note,
// SLUG/shared-NAME for any other file. A file the report deleted is published again.
func Receive(in Incoming) (*Received, error) {
	rc := &receiver{in: in, slug: in.Person.Slug, first: in.Person.Profile.FirstName(),
		out: &Received{Writes: map[string][]byte{}, Created: map[string]bool{}}}
	pub, rem := in.Published, in.Remote
	firstPublish := pub == nil
	if firstPublish {
		for p := range rem {
			if p == notes.ConfigFile || strings.HasSuffix(p, "/"+notes.ProfileFile) {
				return nil, ErrNotShared
			}
		}
	}
	seen := map[string]bool{}
	var all []string
	for _, f := range []Files{pub, rem} {
		for p := range f {
			if !seen[p] {
				seen[p] = true
				all = append(all, p)
			}
		}
	}
	sort.Strings(all)
	for _, p := range all {
		P, inP := pub[p]
		T, inT := rem[p]
		switch {
		case p == NextFile:
		case inP && !inT:
			rc.out.Deleted = append(rc.out.Deleted, p)
		case inP && bytes.Equal(P, T):
		case !inP && firstPublish && hostFile(p):
			// a README or licence the git host created with the repository
		case !inP:
			rc.keepFile(p, T)
		case isNoteName(p):
			rc.note(p, P, T)
		default: // README.md, share.yaml, themes.md: oneone's, written again
			rc.keepFile(p, T)
		}
	}
	// next.md last: a topic the report also wrote into the note is there once
	var topics []Topic
	if T, ok := rem[NextFile]; ok {
		topics = ParseNext(T)
	} else if P, ok := pub[NextFile]; ok {
		topics = ParseNext(P) // deleted: its topics still wait
	}
	rc.placeTopics(topics)
	if n := len(rc.overflow); n > 0 {
		ex := rc.overflow[:min(3, n)]
		more := ""
		if n > len(ex) {
			more = ", …"
		}
		rc.say("%s: %d more files from the shared agenda were not copied (%s%s): at most %d files and %d MiB come back in one sync; they stay in the shared repository's history (commit %s)",
			rc.slug, n, strings.Join(ex, ", "), more, MaxCopies, MaxCopyBytes>>20, in.Short)
	}
	return rc.out, nil
}

type receiver struct {
	in    Incoming
	slug  string
	first string
	out   *Received

	copies, copyBytes int      // copies written so far
	overflow          []string // files not copied: past MaxCopies or MaxCopyBytes
}

// current returns a file of the manager's as this receipt leaves it.
func (rc *receiver) current(rel string) ([]byte, bool) {
	if b, ok := rc.out.Writes[rel]; ok {
		return b, true
	}
	if rc.in.Read == nil {
		return nil, false
	}
	return rc.in.Read(rel)
}

func (rc *receiver) say(format string, args ...any) {
	rc.out.Lines = append(rc.out.Lines, fmt.Sprintf(format, args...))
}

func isNoteName(p string) bool {
	_, err := notes.NoteDate(p)
	return err == nil
}

// hostFile is a file a git host may create with a new repository.
func hostFile(p string) bool {
	l := strings.ToLower(p)
	for _, pre := range []string{"readme", "license", "licence", "copying", ".gitignore", ".gitattributes"} {
		if strings.HasPrefix(l, pre) && !strings.Contains(l, "/") {
			return true
		}
	}
	return false
}

func shortSum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:4])[:7]
}

// keepCopy writes the report's version beside the manager's file, under the
// first free name (or not at all when that version is already kept).
func (rc *receiver) keepCopy(p string, names []string, data []byte, of string) string {
	if len(data) > MaxReportFile {
		rc.out.Skipped = append(rc.out.Skipped, p)
		rc.say("%s: %s in the shared agenda is larger than %d MiB: left there, not copied", rc.slug, p, MaxReportFile>>20)
		return ""
	}
	for _, rel := range names {
		if old, exists := rc.current(rel); exists && bytes.Equal(old, data) {
			return rel // kept already
		}
	}
	if rc.copies >= MaxCopies || rc.copyBytes+len(data) > MaxCopyBytes {
		rc.out.Skipped = append(rc.out.Skipped, p)
		rc.overflow = append(rc.overflow, p)
		return ""
	}
	for _, rel := range names {
		old, exists := rc.current(rel)
		if exists && bytes.Equal(old, data) {
			return rel
		}
		if !exists {
			rc.copies++
			rc.copyBytes += len(data)
			rc.out.Writes[rel] = data
			rc.out.Created[rel] = true
			rc.out.Copies = append(rc.out.Copies, Copy{Of: of, Copy: rel})
			return rel
		}
	}
	return ""
}

// keepFile keeps a file the report added (or changed, when oneone writes it) as SLUG/shared-NAME.
func (rc *receiver) keepFile(p string, data []byte) {
	name := flatName(p)
	ext := path.Ext(name)
	if ext == name {
		ext = ""
	}
	stem := strings.TrimSuffix(name, ext)
	names := []string{
		rc.slug + "/shared-" + name,
		rc.slug + "/shared-" + stem + "-" + rc.in.Short + ext,
		rc.slug + "/shared-" + stem + "-" + shortSum(data) + ext,
	}
	if cp := rc.keepCopy(p, names, data, ""); cp != "" {
		rc.say("%s: %s from the shared agenda kept as %s: not applied; move what you need into a note, then delete it", rc.slug, p, cp)
	}
}

// flatName makes a path of the report's repository one safe file name:
// folders joined with "-", control characters, backslashes and colons as "_".
func flatName(p string) string {
	var b strings.Builder
	for _, r := range p {
		switch {
		case r == '/':
			b.WriteByte('-')
		case r < 0x20 || r == 0x7f || r == '\\' || r == ':' || (r >= 0x80 && r < 0xa0) || r == '\uFFFD':
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	s := b.String()
	if len(s) > 180 { // keep the extension, stay far below file name limits
		ext := path.Ext(s)
		if len(ext) > 16 {
			ext = ""
		}
		cut := 180 - len(ext)
		for cut > 0 && (s[cut]&0xC0) == 0x80 {
			cut--
		}
		s = s[:cut] + ext
	}
	return s
}

// keepNote keeps the report's version of a published note as SLUG/DATE.conflict-share-HASH.md.
func (rc *receiver) keepNote(p string, data []byte, why string) {
	stem := strings.TrimSuffix(p, ".md")
	names := []string{
		rc.slug + "/" + stem + ".conflict-share-" + rc.in.Short + ".md",
		rc.slug + "/" + stem + ".conflict-share-" + shortSum(data) + ".md",
	}
	if cp := rc.keepCopy(p, names, data, rc.slug+"/"+p); cp != "" {
		rc.say("%s: %s %s: the report's version is kept as %s; merge what you need into %s/%s, delete the copy, then `oneone sync`", rc.slug, p, why, cp, rc.slug, p)
	}
}

// check is a task the report ticked or unticked.
type check struct {
	key      string
	nth      int // among the tasks with that key
	from, to bool
}

// inContent reports whether the 1-based line of body lies in a section's content.
func inContent(body []byte, sec *notes.Section, line int) bool {
	if sec == nil {
		return false
	}
	off := lineStart(body, line)
	return off >= sec.ContentStart && off < sec.End
}

// tasksOutside returns the tasks that are not in the section's content.
func tasksOutside(n *notes.Note, sec *notes.Section) []notes.Task {
	var out []notes.Task
	for _, t := range n.Tasks {
		if !inContent(n.Body, sec, t.Line) {
			out = append(out, t)
		}
	}
	return out
}

// sectionLines returns a section's content as lines.
func sectionLines(body []byte, sec *notes.Section) []string {
	return splitLines(string(body[sec.ContentStart:sec.End]))
}

// spliceNorm applies edits to a parsed text (no line ending conversion).
func spliceNorm(text []byte, edits []edit) []byte {
	sort.Slice(edits, func(i, j int) bool { return edits[i].from < edits[j].from })
	var out bytes.Buffer
	pos := 0
	for _, e := range edits {
		out.Write(text[pos:e.from])
		out.WriteString(e.text)
		pos = e.to
	}
	out.Write(text[pos:])
	return out.Bytes()
}

// note brings the report's edits of a published note P (now T) into the manager's note.
func (rc *receiver) note(p string, P, T []byte) {
	rel := rc.slug + "/" + p
	if strings.TrimSpace(string(T)) == "" {
		rc.out.Deleted = append(rc.out.Deleted, p)
		return
	}
	raw, ok := rc.current(rel)
	if !ok {
		rc.keepNote(p, T, "was changed by the report but the note is gone")
		return
	}
	a := applyReport(rc.slug, p, rc.first, rc.in.Person.Profile.Name, P, T, raw)
	if a.changed {
		rc.out.Writes[rel] = a.out
		rc.out.Notes = appendOnce(rc.out.Notes, rel)
		rc.say("%s: the report's topics and ticks from the shared agenda are in %s", rc.slug, rel)
	}
	switch {
	case a.conflict != "":
		rc.keepNote(p, T, a.conflict)
	case a.other && a.changed:
		rc.keepNote(p, T, "was also changed outside its topics and action items")
	case a.other:
		rc.keepNote(p, T, "was changed outside its topics and action items")
	}
}

// applied is the outcome of applyReport.
type applied struct {
	out      []byte // the target with the report's edits
	changed  bool   // out differs from the target
	other    bool   // the report also changed what is not theirs to change
	conflict string // why (some of) the report's edits could not be applied
}

// applyReport brings the report's edits of a published note file (P, now T)
// into target, byte for byte otherwise: target is the manager's note (with
// frontmatter, Private sections and comments, which the report never saw) or
// a newer publish of the same note. The topics section is line merged with
// target's own changes since P; a tick changes the same task in target.
func applyReport(slug, p, first, title string, P, T, target []byte) applied {
	var res applied
	pn, perr := parseFile(slug, p, P)
	tn, terr := parseFile(slug, p, T)
	if perr != nil || terr != nil {
		res.conflict = "was changed in a way oneone cannot read"
		return res
	}
	pt, tt := topicsSection(pn, first), topicsSection(tn, first)
	if (pt == nil) != (tt == nil) {
		res.other = true
	}
	pTasks, tTasks := tasksOutside(pn, pt), tasksOutside(tn, tt)
	var checks []check
	if len(pTasks) != len(tTasks) {
		res.other = true
	} else {
		nth := map[string]int{}
		for i := range pTasks {
			if pTasks[i].Key != tTasks[i].Key {
				res.other = true
				checks = nil
				break
			}
			k := pTasks[i].Key
			if pTasks[i].Checked != tTasks[i].Checked {
				checks = append(checks, check{key: k, nth: nth[k], from: pTasks[i].Checked, to: tTasks[i].Checked})
			}
			nth[k]++
		}
	}
	// With the topics and the ticks put back, is T the published file? If not,
	// the report changed something else too.
	if !res.other {
		td := newDoc(T)
		var back []edit
		if tt != nil {
			back = append(back, edit{td.bodyStart + tt.ContentStart, td.bodyStart + tt.End, string(pn.Body[pt.ContentStart:pt.End])})
		}
		for i := range tTasks {
			if pTasks[i].Checked == tTasks[i].Checked {
				continue
			}
			off, _ := boxAt(tn.Body, tTasks[i].Line)
			if off < 0 {
				res.other = true
				break
			}
			c := " "
			if pTasks[i].Checked {
				c = "x"
			}
			back = append(back, edit{td.bodyStart + off, td.bodyStart + off + 1, c})
		}
		if !res.other && !sameText(spliceNorm(td.norm, back), P) {
			res.other = true
		}
	}
	topicsEdited := pt != nil && tt != nil && !bytes.Equal(pn.Body[pt.ContentStart:pt.End], tn.Body[tt.ContentStart:tt.End])
	res.out = target
	if !topicsEdited && len(checks) == 0 {
		return res
	}
	md := newDoc(target)
	mn, err := parseFile(slug, p, target)
	if err != nil {
		res.conflict = "was changed by the report but the note cannot be read now (" + err.Error() + ")"
		return res
	}
	ms := topicsSection(mn, first)
	var edits []edit
	var wantTopics []string
	if topicsEdited {
		base, theirs := sectionLines(pn.Body, pt), sectionLines(tn.Body, tt)
		oursA, ok := agendaTopics(title, p, mn, first)
		switch {
		case ms == nil || !ok:
			res.conflict = "has a topics section the note no longer has"
		default:
			merged, ok := mergeLines(base, oursA, theirs)
			if !ok {
				res.conflict = "had its topics changed on both sides"
				break
			}
			if sameLines(merged, oursA) {
				break
			}
			newR, ok := mergeLines(oursA, sectionLines(mn.Body, ms), merged)
			if !ok {
				res.conflict = "had topics changed next to text the agenda does not show"
				break
			}
			edits = append(edits, edit{md.bodyStart + ms.ContentStart, md.bodyStart + ms.End, strings.Join(newR, "")})
			wantTopics = merged
		}
	}
	var flips []check
	for _, c := range checks {
		cands := taskCandidates(mn, c.key, first)
		if c.nth >= len(cands) {
			res.conflict = "had an action item ticked that the note no longer has"
			continue
		}
		t := cands[c.nth]
		off, box := boxAt(mn.Body, t.Line)
		switch {
		case off < 0 || box == '-':
			res.conflict = "had an action item ticked that the note now marks otherwise"
		case t.Checked == c.to:
		case t.Checked == c.from:
			ch := " "
			if c.to {
				ch = "x"
			}
			edits = append(edits, edit{md.bodyStart + off, md.bodyStart + off + 1, ch})
			flips = append(flips, c)
		}
	}
	if len(edits) == 0 {
		return res
	}
	out := md.apply(edits)
	// Check the result before it is used: the topics read as merged, the ticks
	// are set.
	vn, err := parseFile(slug, p, out)
	good := err == nil
	if good && wantTopics != nil {
		got, ok := agendaTopics(title, p, vn, first)
		good = ok && sameLines(blankRuns(got), blankRuns(wantTopics))
	}
	for _, f := range flips {
		if !good {
			break
		}
		cands := taskCandidates(vn, f.key, first)
		good = f.nth < len(cands) && cands[f.nth].Checked == f.to
	}
	if !good {
		if res.conflict == "" {
			res.conflict = "was changed in a way oneone cannot apply safely"
		}
		return res
	}
	res.out, res.changed = out, true
	return res
}

// taskCandidates returns the tasks of a manager's note a published task with
// that key can be: outside Private sections and outside the topics section.
func taskCandidates(n *notes.Note, key, first string) []notes.Task {
	ts := topicsSection(n, first)
	private := n.PrivateRanges()
	var out []notes.Task
	for _, t := range n.Tasks {
		if t.Key != key || inContent(n.Body, ts, t.Line) || inRanges(private, lineStart(n.Body, t.Line)) {
			continue
		}
		out = append(out, t)
	}
	return out
}

// agendaTopics returns the topics section of a note as the shared agenda shows it.
func agendaTopics(name, file string, n *notes.Note, first string) ([]string, bool) {
	a, err := parseFile(n.Slug, file, Agenda(name, n, false))
	if err != nil {
		return nil, false
	}
	s := topicsSection(a, first)
	if s == nil {
		return nil, false
	}
	return sectionLines(a.Body, s), true
}

// quoteTopic quotes a topic for a message, cut after 80 characters.
func quoteTopic(s string) string {
	if r := []rune(s); len(r) > 80 {
		s = string(r[:80]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

// inRanges reports whether off lies in one of the ranges.
func inRanges(rs [][2]int, off int) bool {
	for _, r := range rs {
		if off >= r[0] && off < r[1] {
			return true
		}
	}
	return false
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// PlannedNote is the note of the next 1:1, where the report's topics go: the
// earliest note dated today or later that is not skipped or cancelled; nil when none is.
func PlannedNote(p *notes.Person, today time.Time) *notes.Note {
	for _, n := range p.Notes {
		if n.Date.Before(today) || n.Status == notes.StatusSkipped || n.Status == notes.StatusCancelled {
			continue
		}
		return n
	}
	return nil
}

// placeTopics puts next.md's topics into the planned note, or keeps them waiting.
func (rc *receiver) placeTopics(all []Topic) {
	var topics []Topic
	for _, t := range all {
		if !rc.in.Placed[t.Key()] {
			topics = append(topics, t)
		}
	}
	if len(topics) == 0 {
		return
	}
	n := PlannedNote(rc.in.Person, rc.in.Today)
	if n == nil {
		rc.out.Pending = topics
		return
	}
	raw, ok := rc.current(n.Path)
	if !ok {
		rc.out.Pending = topics
		return
	}
	out, added, refused, err := AddTopics(rc.slug, path.Base(n.Path), rc.first, raw, topics)
	if err != nil {
		rc.out.Pending = topics
		rc.say("%s: the topics in next.md could not be added to %s (%v): they wait in next.md", rc.slug, n.Path, err)
		return
	}
	waits := map[string]bool{}
	for _, r := range refused {
		waits[r.Topic.Key()] = true
	}
	for _, t := range topics { // in next.md's order
		if waits[t.Key()] {
			rc.out.Pending = append(rc.out.Pending, t)
			delete(waits, t.Key())
		}
	}
	for _, r := range refused {
		rc.say("%s: the topic %s in next.md cannot go into %s (%s): it waits in next.md", rc.slug, quoteTopic(r.Topic.Text), n.Path, r.Why)
	}
	if len(added) > 0 {
		rc.out.Writes[n.Path] = out
		rc.out.Notes = appendOnce(rc.out.Notes, n.Path)
		for _, t := range added {
			rc.out.Placed = append(rc.out.Placed, t.Key())
		}
		word := "topics"
		if len(added) == 1 {
			word = "topic"
		}
		rc.say("%s: %d %s from next.md added to %s", rc.slug, len(added), word, n.Path)
	}
}

// MaxTopic is the longest topic (its Markdown) that goes into a note; a longer one waits in next.md.
const MaxTopic = 64 << 10

// Refused is a topic that cannot go into the note, and why: it waits in next.md.
type Refused struct {
	Topic Topic
	Why   string
}

// AddTopics adds topics to the report's topics section of a note (a section
// made for them when the note has none), after what is written there, keeping
// every other byte; a topic the section already lists is not added twice. It
// returns the note, the topics added and those that cannot go in (one that
// would not show on the agenda, such as an HTML comment, or would make the
// note too large): each of those waits, and never keeps the others out. The
// error is for a note that cannot be read.
func AddTopics(slug, name, first string, raw []byte, topics []Topic) ([]byte, []Topic, []Refused, error) {
	d := newDoc(raw)
	n, err := parseFile(slug, name, raw)
	if err != nil {
		return nil, nil, nil, err
	}
	sec := topicsSection(n, first)
	have := map[string]bool{}
	if sec != nil {
		for _, t := range ParseNext(d.body()[sec.ContentStart:sec.End]) {
			have[t.Key()] = true
		}
	}
	var todo []Topic
	var refused []Refused
	size := len(raw)
	for _, t := range topics {
		if have[t.Key()] || t.Key() == "" {
			continue
		}
		have[t.Key()] = true
		md := len(t.Markdown()) + 2
		switch {
		case md > MaxTopic:
			refused = append(refused, Refused{t, fmt.Sprintf("it is longer than %d KiB", MaxTopic>>10)})
		case size+md > notes.MaxNoteSize:
			refused = append(refused, Refused{t, fmt.Sprintf("the note would be larger than the %d MiB oneone reads", notes.MaxNoteSize>>20)})
		default:
			size += md
			todo = append(todo, t)
		}
	}
	// A topic that would not show on the agenda (an HTML comment) waits; the
	// others go in. A few rounds at most: each one takes out what did not show.
	for round := 0; len(todo) > 0; round++ {
		out, hidden, err := insertTopics(d, n, slug, name, first, todo)
		if err == nil && len(hidden) == 0 {
			return out, todo, refused, nil
		}
		if err != nil || round == 3 {
			why := "the note did not take it"
			if err != nil {
				why = err.Error()
			}
			for _, t := range todo {
				refused = append(refused, Refused{t, why})
			}
			return raw, nil, refused, nil
		}
		shown := todo[:0:0]
		for _, t := range todo {
			if hidden[t.Key()] {
				refused = append(refused, Refused{t, "it would not show on the agenda (an HTML comment?)"})
			} else {
				shown = append(shown, t)
			}
		}
		todo = shown
	}
	return raw, nil, refused, nil
}

// insertTopics writes todo (new to the note) into its topics section and
// returns the note, with the keys of the topics that do not show on the
// agenda of the result.
func insertTopics(d *doc, n *notes.Note, slug, name, first string, todo []Topic) ([]byte, map[string]bool, error) {
	body := d.body()
	sec := topicsSection(n, first)
	var text strings.Builder
	for _, t := range todo {
		text.WriteString(t.Markdown())
	}
	var e edit
	if sec == nil {
		at := len(body)
		if private := n.PrivateRanges(); len(private) > 0 {
			at = private[0][0] // before the manager's Private text, where the agenda shows it
		}
		block := fmt.Sprintf("## %s's topics\n", oneLineText(first)) + text.String()
		pre := ""
		if at > 0 && body[at-1] != '\n' {
			pre = "\n"
		}
		if at > 0 && !bytes.HasSuffix(body[:at], []byte("\n\n")) {
			pre += "\n"
		}
		if at < len(body) {
			block += "\n"
		}
		e = edit{d.bodyStart + at, d.bodyStart + at, pre + block}
	} else {
		lines := sectionLines(body, sec)
		last := -1
		for i, l := range lines {
			if strings.TrimSpace(l) != "" {
				last = i
			}
		}
		at := sec.ContentStart
		for i := 0; i <= last; i++ {
			at += len(lines[i])
		}
		switch {
		case last < 0: // an empty section: right under the heading
			pre := ""
			if at > 0 && body[at-1] != '\n' {
				pre = "\n"
			}
			e = edit{d.bodyStart + at, d.bodyStart + at, pre + text.String()}
		case emptyItem(lines[last]):
			e = edit{d.bodyStart + at - len(lines[last]), d.bodyStart + at, text.String()}
		default:
			pre := ""
			if !strings.HasSuffix(lines[last], "\n") {
				pre = "\n"
			}
			if !listLine(lines, last) {
				pre += "\n" // after a paragraph or a block: a list of its own
			}
			e = edit{d.bodyStart + at, d.bodyStart + at, pre + text.String()}
		}
	}
	out := d.apply([]edit{e})
	vn, err := parseFile(slug, name, out)
	if err != nil {
		return nil, nil, err
	}
	got, ok := agendaTopics(first, name, vn, first)
	if !ok {
		return nil, nil, errors.New("the topics section did not take them")
	}
	shown := map[string]bool{}
	for _, t := range ParseNext([]byte(strings.Join(got, ""))) {
		shown[t.Key()] = true
	}
	hidden := map[string]bool{}
	for _, t := range todo {
		if !shown[t.Key()] {
			hidden[t.Key()] = true
		}
	}
	return out, hidden, nil
}

// emptyItem reports whether a line is a list item with nothing in it ("- ").
func emptyItem(l string) bool {
	switch strings.TrimSpace(l) {
	case "-", "*", "+", "- [ ]", "* [ ]":
		return true
	}
	return false
}

// listLine reports whether line i is part of a list item (an item, or indented under one).
func listLine(lines []string, i int) bool {
	for ; i >= 0; i-- {
		l := lines[i]
		t := strings.TrimSpace(l)
		switch {
		case t == "":
			return false
		case listMarker.MatchString(t) && !strings.HasPrefix(l, " ") && !strings.HasPrefix(l, "\t"):
			return true
		case strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t"):
			continue
		default:
			return false
		}
	}
	return false
}

// ReportMerge is the merge of the report's clone of their shared agenda for
// the files both the report and a newer publish changed (ours is the report's,
// theirs oneone's): next.md keeps every topic the report wrote; a note's file
// takes the newer publish with the report's topics and ticks brought in, when
// that is all the report changed. ok is false for anything else, which is then
// merged line by line like any file.
func ReportMerge(first string) func(p string, base, ours, theirs []byte) ([]byte, bool) {
	return func(p string, base, ours, theirs []byte) ([]byte, bool) {
		switch {
		case p == NextFile:
			return mergeNext(base, ours, theirs), true
		case isNoteName(p):
			a := applyReport("report", p, first, first, base, ours, theirs)
			if a.other || a.conflict != "" {
				return nil, false
			}
			return a.out, true
		}
		return nil, false
	}
}

package notes

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// The summary cache makes reading a big, old repository cheap: parsing every
// note (YAML and Markdown) costs seconds on 50,000 notes, while a stat of each
// file costs milliseconds. The cache lives in .git/oneone-cache and holds, for
// each note, its stat key (size, mtime, ctime, inode) and its parsed summary:
// date, kind, status, ratings, section headings with their emptiness and the
// task items. A note whose stat key changed in any way is parsed again, so a
// hand edit is always seen; a note modified in the last few seconds is never
// cached (its mtime could still change within the same clock tick). Without
// a .git folder, or on a platform without fstatat, nothing is cached.
//
// The file has two parts. The index, read on every load, holds per report
// folder the profile, each note's stat key and summary without its tasks, and
// the action items already followed through all the notes. The task blocks,
// one per folder, are read only for a folder where something changed: its
// action items are then followed again from every note's tasks. So a load
// of an unchanged repository costs a stat per file and the index, however
// long the history.
//
// Summaries carry no Body, their Sections carry Heading and Empty only (no
// offsets), and their Tasks may be missing (Person.Actions and OpenActions
// are right regardless): only LoadSummaries returns them, for commands that
// never read bodies (audit, actions, themes).

// CacheFile is the summary cache's name inside the .git folder.
const CacheFile = "oneone-cache"

// cacheMagic opens the cache file; bump the version whenever a summary's
// meaning changes. The running binary's identity is part of the header too,
// so that a new oneone never trusts summaries parsed by an older one.
const cacheMagic = "oneone-cache 5\n"

// racyWindow: a note modified this recently is parsed but not cached (a
// variable for tests only).
var racyWindow = 3 * time.Second

// statKey identifies a file's content without reading it.
type statKey struct {
	Size, Mtime, Ctime int64
	Ino                uint64
}

// cachedFolder is what the cache holds of one report's folder.
type cachedFolder struct {
	profile *cachedProfile // nil when not cached
	notes   []cachedNote   // sorted by name, which is by date

	// actions are the action items followed through every note, when every
	// note of the folder is cached (actionsKnown).
	actions      []actionState
	actionsKnown bool

	reuse     *indexEntry // unchanged since read: written back as it was
	tasksFrom *indexEntry // the same notes as read: their task block is written back as it was

	// meta is the folder's meta block, encoded when its load ends (when reuse
	// is nil); its task block is then written to the new cache file at once
	// (when tasksFrom is nil), at tasks
	meta  []byte
	tasks blockRef
}

// blockRef is where a task block is in the cache file being written.
type blockRef struct {
	off, len int64
	crc      uint32
}

// cachedProfile is a parsed profile with its stat key and the settings it was parsed with.
type cachedProfile struct {
	key                      statKey
	cadenceDays, themeLength int
	profile                  *Profile
}

type cachedNote struct {
	name string
	key  statKey
	note *Note
}

// indexEntry is one folder in the index as read: its encoded block and where its tasks are.
type indexEntry struct {
	meta       string
	tasksOff   int64 // from the start of the task blocks
	tasksLen   int64
	tasksCRC   uint32
	tasksBytes []byte // filled when read again to write the cache
}

// noteCache is the cache of a repository as read, plus what this load saw.
type noteCache struct {
	path      string
	header    string
	start     time.Time
	file      *os.File // the cache as opened, for the task blocks
	tasksBase int64
	index     map[string]*indexEntry

	// keepTasks: LoadPersonTasks reads the cache only; the notes keep their tasks.
	keepTasks bool

	mu    sync.Mutex
	fresh map[string]*cachedFolder
	dirty bool
	out   *cacheOut // the new cache file, once a task block is written
}

// cacheOut is the new cache file being written: a temporary file renamed
// over the cache when done, so that a process killed meanwhile leaves the old
// cache or none. The task blocks go first, written as each folder's load
// ends, so that none is held in memory until the end (on the large bench
// repository they are 30 MB); the index goes last.
type cacheOut struct {
	mu   sync.Mutex
	tmp  string
	f    *os.File
	w    *bufio.Writer
	off  int64 // from the start of the task blocks
	err  error
	done bool
}

// output returns the new cache file, created with its header on first use.
func (c *noteCache) output() *cacheOut {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.out == nil {
		o := &cacheOut{tmp: TempPath(c.path)}
		if fi, err := os.Lstat(c.path); err == nil && fi.Mode()&os.ModeSymlink != 0 {
			o.err = fmt.Errorf("%s is a symbolic link; oneone does not write through links", c.path)
		} else if o.f, o.err = os.OpenFile(o.tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, FileMode); o.err == nil {
			o.w = bufio.NewWriterSize(o.f, 256<<10)
			_, o.err = o.w.WriteString(c.header)
		}
		c.out = o
	}
	return c.out
}

// add appends a task block and tells where it is.
func (o *cacheOut) add(b []byte) blockRef {
	o.mu.Lock()
	defer o.mu.Unlock()
	ref := blockRef{off: o.off, len: int64(len(b)), crc: crc32.ChecksumIEEE(b)}
	if o.err == nil {
		_, o.err = o.w.Write(b)
	}
	o.off += int64(len(b))
	return ref
}

// finish writes the index and its trailer (CRC-32 and length), then renames
// the file over the cache. There is no fsync: every part of the file is
// checksummed, and a cache torn by a crash of the machine is rebuilt.
func (o *cacheOut) finish(path string, index []byte) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.done = true
	if o.err != nil {
		o.discardLocked()
		return o.err
	}
	index = binary.BigEndian.AppendUint32(index, crc32.ChecksumIEEE(index))
	index = binary.BigEndian.AppendUint64(index, uint64(len(index)-4))
	_, err := o.w.Write(index)
	if err == nil {
		err = o.w.Flush()
	}
	if err == nil {
		err = o.f.Chmod(FileMode)
	}
	if cerr := o.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(o.tmp, path)
	}
	if err != nil {
		os.Remove(o.tmp)
	}
	return err
}

// discard removes the file unless it was finished.
func (o *cacheOut) discard() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.done {
		o.done = true
		o.discardLocked()
	}
}

func (o *cacheOut) discardLocked() {
	if o.f != nil {
		o.f.Close()
		os.Remove(o.tmp)
	}
}

// LoadSummaries reads the named reports (all when none are named) like Load,
// through the summary cache. Notes and profiles not changed since they were
// last read come from the cache: such notes have no Body, their sections no
// offsets, and they may have no Tasks. Use it for commands that need the
// notes' metadata, section emptiness and p.Actions or p.OpenActions only.
func (r *Repo) LoadSummaries(only ...string) (*Team, error) {
	c := openCache(r.Root)
	if c == nil {
		return r.load(only, nil)
	}
	gcPercent, memLimit := -2, int64(-1) // what to restore: nothing
	if c.index == nil && os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		// No cache: every note is parsed, and what a load keeps (about 50 MB
		// on the large bench repository) is a small part of what it
		// allocates (about 300 MB). GOGC 200 under a 120 MiB soft limit
		// collects rarely until the heap nears the limit: a cold audit of
		// large in 0.67 s and 131 MB peak RSS, where GOGC 60 alone took
		// 0.85 s for 115 MB and GOGC 100, 0.75 s for 128 MB (2026-12-02,
		// quiet machine). Both are put back once the cache is written.
		gcPercent = debug.SetGCPercent(coldGCPercent)
		memLimit = debug.SetMemoryLimit(coldMemoryLimit)
	} else if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		warmGC()
	}
	restoreGC := func() {
		if gcPercent != -2 {
			debug.SetGCPercent(gcPercent)
		}
		if memLimit >= 0 {
			debug.SetMemoryLimit(memLimit)
		}
	}
	team, err := r.load(only, c)
	if err != nil || !c.mustSave(len(only) > 0) {
		c.close()
		restoreGC()
		return team, err
	}
	// The cache is written once, in the background of the command's output
	// (issue 19: on the large bench repository the write of the 33 MB cache
	// was 8% of a cold audit): it only touches bytes encoded during the load,
	// never the notes the caller reads. WaitCache (main, before it exits)
	// and the next openCache wait for it; it is written atomically, so a
	// process killed meanwhile leaves the old cache or none.
	cacheWrites.Add(1)
	go func() {
		defer cacheWrites.Done()
		defer restoreGC()
		defer c.close()
		c.save(len(only) > 0)
	}()
	return team, nil
}

// LoadPersonTasks reads one report for `oneone new` (issue 19): its notes
// are summaries, as LoadSummaries returns them (no Body, sections without
// offsets), but each keeps its Tasks: from the folder's task block for every
// note whose stat key the cache holds, the others parsed on every core. The
// cache is only read, never written (a folder that changed would otherwise
// rewrite the whole 33 MB file before the command exits; audit updates it).
// On the large bench repository LoadPerson's parse of a report's ~500 notes,
// one after the other, was 13 ms of CPU per `new`; with no valid cache this
// is under 5 ms, and a warm cache reads only the folder's task block.
func (r *Repo) LoadPersonTasks(slug string) (*Person, error) {
	c := openCache(r.Root)
	if c == nil {
		return r.LoadPerson(slug)
	}
	defer c.close()
	c.keepTasks = true
	p, prob := r.loadPerson(slug, c)
	if prob != nil {
		if _, err := r.LoadProfile(slug); err != nil {
			return nil, err // as LoadPerson says it (an unknown slug's closest match)
		}
		return nil, fmt.Errorf("%s: %s", prob.Path, prob.Message)
	}
	return p, nil
}

// coldGCPercent and coldMemoryLimit are the GOGC and GOMEMLIMIT of a load
// without a cache (see LoadSummaries).
const (
	coldGCPercent   = 200
	coldMemoryLimit = 120 << 20
)

// warmGC sets GOGC to 400, with a soft memory limit of 128 MiB, for a load
// with a cache and the rest of the process (audit, the one command that
// uses LoadSummaries, allocates little after it). Such a load keeps about
// all it allocates (the decoded summaries), so each collection during it
// only marks what stays live, on a machine with 2 cores while the load runs
// on both. Not restored after the load: setting GOGC back starts a
// collection at once, as the heap is then over the goal computed from the
// last (small) marked heap. The limit bounds the heap where many notes
// changed since the cache was written and are parsed. Warm audit, median of
// 15 (issue 19): large-items 141 -> 95 ms, large 100 -> 88 ms; peak RSS
// 71 -> 74 MB and 58 -> 63 MB. The limit costs audit --json and actions
// on large-items some memory (peak RSS 134-168 -> 155 MB, 122 -> 140 MB);
// 96 MiB kept them lower but made a load where every note changed (every
// note parsed) 15-40% slower than with GOGC 100.
func warmGC() {
	debug.SetGCPercent(400)
	debug.SetMemoryLimit(128 << 20)
}

// cacheWrites counts the cache writes under way in this process.
var cacheWrites sync.WaitGroup

// WaitCache waits until the summary caches that LoadSummaries writes in the
// background are on disk. Call it before the process exits.
func WaitCache() { cacheWrites.Wait() }

func openCache(root string) *noteCache {
	WaitCache() // a write under way would be read half done, or raced
	gitDir := filepath.Join(root, ".git")
	if fi, err := os.Lstat(gitDir); err != nil || !fi.IsDir() || !canStat {
		return nil
	}
	c := &noteCache{path: filepath.Join(gitDir, CacheFile), header: cacheHeader(), start: time.Now(),
		fresh: map[string]*cachedFolder{}}
	// Only a regular file is read (and mapped): a FIFO or device put there
	// would block the open or the read; a symlink may point anywhere.
	if fi, err := os.Lstat(c.path); err != nil || !fi.Mode().IsRegular() {
		return c
	}
	f, err := os.Open(c.path)
	if err != nil {
		return c
	}
	if c.index, c.tasksBase, err = readIndex(f, c.header); err != nil {
		f.Close() // a damaged cache is rebuilt
		c.index = nil
		return c
	}
	c.file = f
	return c
}

func (c *noteCache) close() {
	if c.file != nil {
		c.file.Close()
	}
	if c.out != nil {
		c.out.discard()
	}
}

// cacheHeader names the cache format and the binary that wrote it.
func cacheHeader() string {
	h := cacheMagic
	if exe, err := os.Executable(); err == nil {
		if fi, err := os.Stat(exe); err == nil {
			h += fmt.Sprintf("%s %d %d\n", exe, fi.Size(), fi.ModTime().UnixNano())
		}
	}
	return h
}

// cacheable reports whether a file with stat key k may be cached: not changed within racyWindow.
func (c *noteCache) cacheable(k *statKey) bool {
	return k != nil && c.start.Sub(time.Unix(0, k.Mtime)) > racyWindow && c.start.Sub(time.Unix(0, k.Ctime)) > racyWindow
}

// folder decodes the cached index entry of slug (nil when there is none or it is damaged).
func (c *noteCache) folder(slug string) *cachedFolder {
	e, ok := c.index[slug]
	if !ok {
		return nil
	}
	f, err := decodeMeta(slug, e.meta)
	if err != nil {
		return nil
	}
	f.reuse = e
	return f
}

// keep writes slug's folder back as it was (its profile or listing failed this time).
func (c *noteCache) keep(slug string) {
	if c == nil {
		return
	}
	if e, ok := c.index[slug]; ok {
		c.mu.Lock()
		c.fresh[slug] = &cachedFolder{reuse: e, tasksFrom: e}
		c.mu.Unlock()
	}
}

// cachedProfile returns slug's profile, from the cache when its stat key and the settings match.
func (r *Repo) cachedProfile(c *noteCache, slug string, old, fresh *cachedFolder) (*Profile, error) {
	keys, _ := statAll(filepath.Join(r.Root, slug), []string{ProfileFile})
	k := keys[0]
	if old != nil && old.profile != nil && k != nil && *k == old.profile.key &&
		old.profile.cadenceDays == r.Config.CadenceDays && old.profile.themeLength == r.Config.ThemeLengthDays {
		fresh.profile = old.profile
		return old.profile.profile, nil
	}
	p, err := r.LoadProfile(slug)
	if err == nil && c.cacheable(k) {
		fresh.profile = &cachedProfile{key: *k, cadenceDays: r.Config.CadenceDays, themeLength: r.Config.ThemeLengthDays, profile: p}
	}
	return p, err
}

// notes adds the notes and problems of p's folder: when every note is cached
// as it is, from the index alone; otherwise each note with its tasks, from
// the folder's task block where the stat key matches, else parsed.
func (c *noteCache) notes(r *Repo, p *Person, dir string, names []string, old, fresh *cachedFolder) {
	var prev []cachedNote
	if old != nil {
		prev = old.notes
	}
	keys, dirs := statAll(dir, names)
	if slices.Contains(dirs, true) { // a folder named like a note is no note
		var kept []string
		var keptKeys []*statKey
		for i := range names {
			if !dirs[i] {
				kept, keptKeys = append(kept, names[i]), append(keptKeys, keys[i])
			} else {
				p.Problems = append(p.Problems, folderNamedLikeNote(p.Slug, names[i]))
			}
		}
		names, keys = kept, keptKeys
	}
	match := make([]int, len(names)) // index in prev, or -1
	hits, j := 0, 0
	for i, name := range names {
		match[i] = -1
		for j < len(prev) && prev[j].name < name {
			j++ // a note that is gone
		}
		if j < len(prev) && prev[j].name == name {
			if k := keys[i]; k != nil && *k == prev[j].key {
				match[i] = j
				hits++
			}
			j++
		}
	}
	p.Notes = make([]*Note, 0, len(names))
	if old != nil && hits == len(names) && hits == len(prev) && old.actionsKnown && !c.keepTasks {
		for _, cn := range prev {
			p.Notes = append(p.Notes, cn.note)
		}
		p.actions, p.actionsKnown = old.actions, true
		fresh.notes, fresh.actions, fresh.actionsKnown = prev, old.actions, true
		fresh.tasksFrom = old.reuse // the notes have no tasks: keep the block
		return
	}
	var tasks [][]Task
	if hits > 0 {
		tasks = c.readTasks(old.reuse, len(prev))
	}
	var todo []int // the notes to parse: not cached as they are
	for i := range names {
		if match[i] < 0 || tasks == nil {
			todo = append(todo, i)
		}
	}
	parsed, errs := r.parseNotes(p.Slug, dir, names, keys, todo)
	var share sharedLists
	fresh.notes = make([]cachedNote, 0, len(names))
	for i, name := range names {
		if m := match[i]; m >= 0 && tasks != nil {
			cn := prev[m]
			cn.note.Tasks = tasks[m]
			p.Notes = append(p.Notes, cn.note)
			fresh.notes = append(fresh.notes, cn)
			continue
		}
		n, err := parsed[0], errs[0]
		parsed, errs = parsed[1:], errs[1:]
		if err != nil {
			p.Problems = append(p.Problems, Problem{Slug: p.Slug, Path: p.Slug + "/" + name, Message: err.Error()})
			continue
		}
		share.note(n)
		p.Notes = append(p.Notes, n)
		if c.cacheable(keys[i]) {
			fresh.notes = append(fresh.notes, cachedNote{name: name, key: *keys[i], note: n})
		}
	}
}

// sharedLists lets a folder's parsed notes share their lists of sections and
// ratings, as notes decoded from the cache do (decodeMeta): consecutive notes
// mostly have the same. Summaries are read-only.
type sharedLists struct {
	key      []byte
	sections map[string][]Section
	ratings  map[string][]Rating
}

func (s *sharedLists) note(n *Note) {
	if s.sections == nil {
		s.sections, s.ratings = map[string][]Section{}, map[string][]Rating{}
	}
	s.key = s.key[:0]
	for _, sec := range n.Sections {
		s.key = append(s.key, sec.Heading...)
		s.key = append(s.key, 0, '0')
		if sec.Empty {
			s.key[len(s.key)-1] = '1'
		}
	}
	if l, ok := s.sections[string(s.key)]; ok {
		n.Sections = l
	} else {
		s.sections[string(s.key)] = n.Sections
	}
	s.key = s.key[:0]
	for _, r := range n.Ratings {
		s.key = append(append(append(s.key, r.Theme...), 0), r.Rating...)
		s.key = append(s.key, 0)
	}
	if l, ok := s.ratings[string(s.key)]; ok {
		n.Ratings = l
	} else {
		s.ratings[string(s.key)] = n.Ratings
	}
}

// parseSlots bounds the notes parsed at once in the whole process: one per
// core (the load reads several folders at once, each with its workers).
var parseSlots = make(chan struct{}, runtime.GOMAXPROCS(0))

// parseNotes reads and parses the notes names[i] of dir for each i in todo,
// on up to GOMAXPROCS workers, and returns their summaries (the same as
// cached next time) and errors in the order of todo. Each worker reads every
// note into one buffer it reuses: summaries keep no byte of it.
func (r *Repo) parseNotes(slug, dir string, names []string, keys []*statKey, todo []int) ([]*Note, []error) {
	notes, errs := make([]*Note, len(todo)), make([]error, len(todo))
	var next atomic.Int64
	work := func() {
		var buf []byte
		for {
			k := int(next.Add(1) - 1)
			if k >= len(todo) {
				return
			}
			i := todo[k]
			parseSlots <- struct{}{}
			var n *Note
			n, buf, errs[k] = r.readNoteInto(slug, dir, names[i], keys[i], buf)
			if n != nil {
				n = summary(n) // the body, in buf, is garbage now
			}
			notes[k] = n
			<-parseSlots
		}
	}
	workers := min(runtime.GOMAXPROCS(0), len(todo))
	var wg sync.WaitGroup
	for range workers - 1 {
		wg.Add(1)
		go func() { defer wg.Done(); work() }()
	}
	work()
	wg.Wait()
	return notes, errs
}

// readNoteInto is readNote for a regular file whose stat key is known (nil
// when it is no regular file), reading it into buf; it returns the buffer to
// reuse. It saves readNote's lstat and a buffer per note; anything unusual
// (a link, a file grown past the limit) takes readNote for its message.
func (r *Repo) readNoteInto(slug, dir, name string, key *statKey, buf []byte) (*Note, []byte, error) {
	if _, err := NoteDate(name); err != nil {
		return nil, buf, err
	}
	if key == nil || key.Size > MaxNoteSize {
		n, err := r.readNote(slug, name)
		return n, buf, err
	}
	if need := int(key.Size) + 1; cap(buf) < need {
		buf = make([]byte, 0, max(need, 8<<10))
	}
	buf, err := readNoFollow(filepath.Join(dir, name), buf, MaxNoteSize, int(key.Size))
	if err != nil || len(buf) > MaxNoteSize {
		n, err := r.readNote(slug, name)
		return n, buf, err
	}
	n, err := ParseNote(slug, name, buf)
	return n, buf, err
}

// done records what this load saw of p's folder, once p.Notes is sorted.
func (c *noteCache) done(p *Person, old, fresh *cachedFolder) {
	if c.keepTasks {
		return // LoadPersonTasks: nothing is written
	}
	if !fresh.actionsKnown && len(fresh.notes) == len(p.Notes) && len(p.Problems) == 0 {
		fresh.actions, fresh.actionsKnown = p.followActions(), true
	}
	changed := old == nil || old.profile != fresh.profile || old.actionsKnown != fresh.actionsKnown ||
		len(old.notes) != len(fresh.notes)
	for i := 0; !changed && i < len(old.notes); i++ {
		changed = old.notes[i].note != fresh.notes[i].note
	}
	if !changed && fresh.tasksFrom != nil {
		fresh.reuse = old.reuse // as read: write the same bytes back
	}
	// encoded here, on the folder's own worker, not at save time
	if fresh.reuse == nil {
		fresh.meta = encodeMeta(p.Slug, fresh)
	}
	if fresh.tasksFrom == nil {
		fresh.tasks = c.output().add(encodeTasks(fresh.notes))
	}
	if fresh.actionsKnown && !p.actionsKnown {
		// As a warm load does, keep the followed items, not every note's
		// tasks: on the large bench repository the tasks were half of what a
		// cold audit held (40 of 75 MB).
		p.actions, p.actionsKnown = fresh.actions, true
		for _, n := range p.Notes {
			n.Tasks = nil
		}
	}
	c.mu.Lock()
	c.fresh[p.Slug] = fresh
	c.dirty = c.dirty || changed
	c.mu.Unlock()
}

// summary returns what the cache keeps of a parsed note.
func summary(n *Note) *Note {
	s := &Note{Slug: n.Slug, Path: n.Path, Date: n.Date, Kind: n.Kind, Status: n.Status, Ratings: n.Ratings, Tasks: n.Tasks,
		Mood: n.Mood, Positive: n.Positive, ToImprove: n.ToImprove, Blank: n.Blank}
	if len(n.Sections) > 0 {
		s.Sections = make([]Section, len(n.Sections))
		for i, sec := range n.Sections {
			s.Sections[i] = Section{Heading: sec.Heading, Empty: sec.Empty}
		}
	}
	return s
}

// readTasks reads and decodes a folder's task block: one list per cached note.
func (c *noteCache) readTasks(e *indexEntry, notes int) [][]Task {
	raw, err := c.rawTasks(e)
	if err != nil {
		return nil
	}
	tasks, err := decodeTasks(raw, notes)
	if err != nil {
		return nil
	}
	return tasks
}

func (c *noteCache) rawTasks(e *indexEntry) ([]byte, error) {
	if e == nil || c.file == nil {
		return nil, errBadCache
	}
	if e.tasksBytes != nil {
		return e.tasksBytes, nil
	}
	buf := make([]byte, e.tasksLen)
	if _, err := c.file.ReadAt(buf, c.tasksBase+e.tasksOff); err != nil || crc32.ChecksumIEEE(buf) != e.tasksCRC {
		return nil, errBadCache
	}
	return buf, nil
}

// mustSave reports whether the cache must be written: anything changed, or
// (partial false) a folder is gone.
func (c *noteCache) mustSave(partial bool) bool {
	return c.dirty || (!partial && len(c.fresh) != len(c.index))
}

// save writes the cache; partial keeps the folders this load did not read.
func (c *noteCache) save(partial bool) {
	all := c.fresh
	if partial {
		for slug, e := range c.index {
			if _, ok := all[slug]; !ok {
				all[slug] = &cachedFolder{reuse: e, tasksFrom: e}
			}
		}
	}
	out := c.output()
	slugs := make([]string, 0, len(all))
	for slug := range all {
		slugs = append(slugs, slug)
	}
	sort.Strings(slugs)
	var index []byte
	var kept []string
	refs := map[string]blockRef{}
	for _, slug := range slugs {
		f := all[slug]
		ref := f.tasks
		if f.tasksFrom != nil {
			raw, err := c.rawTasks(f.tasksFrom)
			if err != nil {
				continue // lost: the folder is read again next time
			}
			ref = out.add(raw)
		}
		kept, refs[slug] = append(kept, slug), ref
	}
	size := 32 // sized at once: growing it was a sixth of a cold audit's allocations
	for _, slug := range kept {
		f := all[slug]
		size += len(slug) + len(f.meta) + 5*binary.MaxVarintLen64
		if f.reuse != nil {
			size += len(f.reuse.meta)
		}
	}
	index = make([]byte, 0, size)
	index = binary.AppendUvarint(index, uint64(len(kept)))
	for _, slug := range kept {
		f, ref := all[slug], refs[slug]
		index = binary.AppendUvarint(index, uint64(len(slug)))
		index = append(index, slug...)
		if f.reuse != nil {
			index = binary.AppendUvarint(index, uint64(len(f.reuse.meta)))
			index = append(index, f.reuse.meta...)
		} else {
			index = binary.AppendUvarint(index, uint64(len(f.meta)))
			index = append(index, f.meta...)
		}
		index = binary.AppendUvarint(index, uint64(ref.off))
		index = binary.AppendUvarint(index, uint64(ref.len))
		index = binary.AppendUvarint(index, uint64(ref.crc))
	}
	// A cache that cannot be written only costs speed next time.
	_ = out.finish(c.path, index)
}

// The file: the header; the task blocks; the index, its CRC-32 and its length
// (8 bytes). The index holds the number of folders and for each its slug,
// its meta block, and the offset, length and CRC-32 of its task block. Each
// block starts with a string table; any other string is an index into it.
// Dates are days since 1970-01-01.

type cacheWriter struct {
	buf   []byte
	ids   map[string]uint64
	table []string
}

// newCacheWriter returns a writer for about strs distinct strings and size bytes.
func newCacheWriter(strs, size int) *cacheWriter {
	return &cacheWriter{ids: make(map[string]uint64, strs), table: make([]string, 0, strs), buf: make([]byte, 0, size)}
}

func (w *cacheWriter) u(v uint64) { w.buf = binary.AppendUvarint(w.buf, v) }
func (w *cacheWriter) i(v int64)  { w.buf = binary.AppendVarint(w.buf, v) }
func (w *cacheWriter) b(v bool) {
	if v {
		w.u(1)
	} else {
		w.u(0)
	}
}
func (w *cacheWriter) s(v string) {
	id, ok := w.ids[v]
	if !ok {
		id = uint64(len(w.table))
		w.ids[v] = id
		w.table = append(w.table, v)
	}
	w.u(id)
}
func (w *cacheWriter) date(t time.Time) {
	w.b(!t.IsZero())
	if !t.IsZero() {
		w.i(t.Unix() / 86400)
	}
}
func (w *cacheWriter) key(k statKey) { w.i(k.Size); w.i(k.Mtime); w.i(k.Ctime); w.u(k.Ino) }

// bytes returns the string table followed by the encoded values.
func (w *cacheWriter) bytes() []byte {
	size := binary.MaxVarintLen64 + len(w.buf) // sized at once: growing it was a fifth of a cold audit's allocations
	for _, t := range w.table {
		size += binary.MaxVarintLen64 + len(t)
	}
	out := make([]byte, 0, size)
	out = binary.AppendUvarint(out, uint64(len(w.table)))
	for _, t := range w.table {
		out = binary.AppendUvarint(out, uint64(len(t)))
		out = append(out, t...)
	}
	return append(out, w.buf...)
}

func encodeMeta(slug string, f *cachedFolder) []byte {
	w := newCacheWriter(len(f.notes)+2*len(f.actions)+16, 48*len(f.notes)+16*len(f.actions)+64)
	w.b(f.profile != nil)
	if cp := f.profile; cp != nil {
		p := cp.profile
		w.key(cp.key)
		w.i(int64(cp.cadenceDays))
		w.i(int64(cp.themeLength))
		w.s(p.Name)
		w.s(p.Role)
		w.s(p.Cadence)
		w.i(int64(p.CadenceDays))
		w.u(uint64(len(p.Themes)))
		for _, t := range p.Themes {
			w.s(t.Title)
			w.date(t.Started)
			w.date(t.Due)
			w.s(t.Status)
			w.date(t.Finished)
		}
		w.date(p.Archived)
		w.u(uint64(len(p.Away)))
		for _, a := range p.Away {
			w.date(a.From)
			w.date(a.To)
		}
		w.b(!p.Slot.IsZero())
		if !p.Slot.IsZero() {
			w.u(uint64(p.Slot.Weekday))
			w.u(uint64(p.Slot.Hour))
			w.u(uint64(p.Slot.Minute))
			w.u(uint64(p.Slot.Minutes))
		}
		w.s(p.Body)
	}
	w.u(uint64(len(f.notes)))
	for _, cn := range f.notes {
		n := cn.note
		w.s(cn.name)
		w.key(cn.key)
		w.date(n.Date)
		w.s(n.Kind)
		w.s(n.Status)
		w.u(uint64(len(n.Ratings)))
		for _, r := range n.Ratings {
			w.s(r.Theme)
			w.s(r.Rating)
		}
		w.u(uint64(len(n.Sections)))
		for _, sec := range n.Sections {
			w.s(sec.Heading)
			w.b(sec.Empty)
		}
		w.u(uint64(n.Mood))
		w.u(uint64(n.Positive))
		w.u(uint64(n.ToImprove))
		w.b(n.Blank)
	}
	w.b(f.actionsKnown)
	if f.actionsKnown {
		w.u(uint64(len(f.actions)))
		for _, a := range f.actions {
			// The text is written inline, not through the string table, and
			// the key not at all (it is TaskKey(text), derived when asked):
			// on the never-closed-items bench repository the 53,000 items'
			// texts and keys were 106,000 table entries, decoded on every
			// warm load (a third of decodeMeta) for the 3 per report shown.
			w.u(uint64(len(a.text)))
			w.buf = append(w.buf, a.text...)
			w.date(a.first)
			// the first note's path, when it is not the one its date names
			other := a.firstPath != "" && a.firstPath != NotePath(slug, a.first)
			w.b(other)
			if other {
				w.s(a.firstPath)
			}
			w.u(uint64(a.last))
			w.u(uint64(a.state))
			w.b(a.private)
			w.i(int64(a.dropAfter))
		}
	}
	return w.bytes()
}

func encodeTasks(notes []cachedNote) []byte {
	n := 0
	for _, cn := range notes {
		n += len(cn.note.Tasks)
	}
	w := newCacheWriter(n+16, 10*n+len(notes)+16)
	for _, cn := range notes {
		w.u(uint64(len(cn.note.Tasks)))
		for _, t := range cn.note.Tasks {
			w.s(t.Text)
			w.s(t.Key)
			w.b(t.Checked)
			w.b(t.Dropped)
			w.b(t.Private)
			w.date(t.From)
			w.i(int64(t.Line))
		}
	}
	return w.bytes()
}

var errBadCache = errors.New("damaged cache")

// cacheReader decodes the cache; the first error sticks and every later read returns zero.
type cacheReader struct {
	data  string // every decoded string is a substring of it: no copies
	pos   int
	table []string
	err   error
}

func (d *cacheReader) u() uint64 {
	var v uint64
	for shift := 0; d.err == nil; shift += 7 {
		if d.pos >= len(d.data) || shift > 63 {
			d.err = errBadCache
			break
		}
		c := d.data[d.pos]
		d.pos++
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return v
		}
	}
	return 0
}

// i reads a zig-zag varint, as binary.AppendVarint writes it.
func (d *cacheReader) i() int64 {
	u := d.u()
	v := int64(u >> 1)
	if u&1 != 0 {
		v = ^v
	}
	return v
}

func (d *cacheReader) b() bool { return d.u() == 1 }

func (d *cacheReader) s() string {
	i := d.u()
	if i >= uint64(len(d.table)) {
		d.err = errBadCache
		return ""
	}
	return d.table[i]
}

// count reads a length and checks it against what is left, so that a damaged file cannot ask for huge slices.
func (d *cacheReader) count() int {
	n := d.u()
	if n > uint64(len(d.data)-d.pos) {
		d.err = errBadCache
		return 0
	}
	return int(n)
}

// bytes reads a length-prefixed string.
func (d *cacheReader) bytes() string {
	l := d.count()
	if d.err != nil {
		return ""
	}
	s := d.data[d.pos : d.pos+l]
	d.pos += l
	return s
}

func (d *cacheReader) date() time.Time {
	if !d.b() {
		return time.Time{}
	}
	return time.Unix(d.i()*86400, 0).UTC()
}

func (d *cacheReader) key() statKey {
	return statKey{Size: d.i(), Mtime: d.i(), Ctime: d.i(), Ino: d.u()}
}

func (d *cacheReader) readTable() {
	n := d.count()
	d.table = make([]string, n)
	for k := range d.table {
		d.table[k] = d.bytes()
	}
}

// newReader reads b as a string without copying it; b must not change afterwards.
func newReader(b []byte) *cacheReader {
	if len(b) == 0 {
		return &cacheReader{}
	}
	return &cacheReader{data: unsafe.String(&b[0], len(b))}
}

// readIndex reads the header and the index of the cache file, and returns
// where the task blocks start.
func readIndex(f *os.File, header string) (map[string]*indexEntry, int64, error) {
	head := make([]byte, len(header))
	if n, _ := f.ReadAt(head, 0); n < len(header) || string(head) != header {
		return nil, 0, errBadCache
	}
	fi, err := f.Stat()
	if err != nil {
		return nil, 0, errBadCache
	}
	var trailer [12]byte
	end := fi.Size() - int64(len(trailer))
	if end < int64(len(header)) {
		return nil, 0, errBadCache
	}
	if _, err := f.ReadAt(trailer[:], end); err != nil {
		return nil, 0, errBadCache
	}
	size := binary.BigEndian.Uint64(trailer[4:])
	if size > uint64(end-int64(len(header))) || size > 1<<31 {
		return nil, 0, errBadCache
	}
	start := end - int64(size)
	buf := mapIndex(f, fi.Size(), start, int64(size))
	if buf == nil {
		buf = make([]byte, size)
		if _, err := f.ReadAt(buf, start); err != nil {
			return nil, 0, errBadCache
		}
	}
	if crc32.ChecksumIEEE(buf) != binary.BigEndian.Uint32(trailer[:4]) {
		return nil, 0, errBadCache
	}
	tasksBase, tasksEnd := int64(len(header)), start-int64(len(header))
	d := newReader(buf)
	out := map[string]*indexEntry{}
	nf := d.count()
	for x := 0; x < nf && d.err == nil; x++ {
		slug := d.bytes()
		e := &indexEntry{meta: d.bytes(), tasksOff: int64(d.u()), tasksLen: int64(d.u()), tasksCRC: uint32(d.u())}
		if e.tasksOff < 0 || e.tasksLen < 0 || e.tasksOff+e.tasksLen > tasksEnd {
			return nil, 0, errBadCache
		}
		out[slug] = e
	}
	if d.err != nil || d.pos != len(d.data) {
		return nil, 0, errBadCache
	}
	return out, tasksBase, nil
}

// decodeMeta decodes one folder's meta block; notes come sorted by name.
func decodeMeta(slug string, block string) (*cachedFolder, error) {
	d := &cacheReader{data: block}
	d.readTable()
	f := &cachedFolder{}
	if d.b() {
		cp := &cachedProfile{key: d.key(), cadenceDays: int(d.i()), themeLength: int(d.i())}
		p := &Profile{Slug: slug, Path: slug + "/" + ProfileFile}
		p.Name, p.Role, p.Cadence, p.CadenceDays = d.s(), d.s(), d.s(), int(d.i())
		if nt := d.count(); nt > 0 {
			p.Themes = make([]Theme, nt)
			for x := range p.Themes {
				p.Themes[x] = Theme{Title: d.s(), Started: d.date(), Due: d.date(), Status: d.s(), Finished: d.date()}
			}
		}
		p.Archived = d.date()
		if na := d.count(); na > 0 {
			p.Away = make([]Absence, na)
			for x := range p.Away {
				p.Away[x] = Absence{From: d.date(), To: d.date()}
			}
		}
		if d.b() {
			p.Slot = Slot{Weekday: time.Weekday(d.u() % 7), Hour: int(d.u()), Minute: int(d.u()), Minutes: int(d.u())}
		}
		p.Body = d.s()
		cp.profile = p
		f.profile = cp
	}
	// Consecutive notes mostly share their headings and ratings: decode each
	// distinct list once (read-only, like every summary).
	var ratingLists seenLists[Rating]
	var sectionLists seenLists[Section]
	nn := d.count()
	f.notes = make([]cachedNote, nn)
	slab := make([]Note, nn)
	// every note's Path in one allocation per folder, not one per note
	// (42,560 on the large bench repositories)
	var paths []byte
	for k := 0; k < nn && d.err == nil; k++ {
		cn := &f.notes[k]
		cn.name = d.s()
		cn.key = d.key()
		n := &slab[k]
		cn.note = n
		if cap(paths)-len(paths) < len(slug)+1+len(cn.name) {
			paths = make([]byte, 0, max(len(slug)+1+len(cn.name), (nn-k)*(len(slug)+1+len(cn.name))))
		}
		start := len(paths)
		paths = append(append(append(paths, slug...), '/'), cn.name...)
		n.Slug, n.Path = slug, unsafe.String(&paths[start], len(paths)-start)
		n.Date = d.date()
		n.Kind, n.Status = d.s(), d.s()
		n.Ratings = shared(d, &ratingLists, 2, func(nr int) []Rating {
			out := make([]Rating, nr)
			for x := range out {
				out[x] = Rating{Theme: d.s(), Rating: d.s()}
			}
			return out
		})
		n.Sections = shared(d, &sectionLists, 2, func(ns int) []Section {
			out := make([]Section, ns)
			for x := range out {
				out[x] = Section{Heading: d.s(), Empty: d.b()}
			}
			return out
		})
		n.Mood, n.Positive, n.ToImprove = int(d.u()), int(d.u()), int(d.u())
		n.Blank = d.b()
	}
	if f.actionsKnown = d.b(); f.actionsKnown {
		na := d.count()
		f.actions = make([]actionState, na)
		for x := range f.actions {
			a := &f.actions[x]
			a.text, a.first = d.bytes(), d.date() // a.key left "": see actionKey
			if d.b() {
				a.firstPath = d.s()
			}
			a.last = int(d.u())
			a.state = uint8(d.u())
			a.private = d.b()
			a.dropAfter = int(d.i())
			if a.last >= nn || a.state > itemDropped || a.dropAfter >= nn || a.dropAfter < -1 || (a.dropAfter >= 0 && a.dropAfter <= a.last) {
				d.err = errBadCache
			}
		}
	}
	if d.err != nil || d.pos != len(block) {
		return nil, errBadCache
	}
	return f, nil
}

// decodeTasks decodes a folder's task block: the tasks of each of its notes.
func decodeTasks(raw []byte, notes int) ([][]Task, error) {
	d := newReader(raw)
	d.readTable()
	out := make([][]Task, notes)
	for k := 0; k < notes && d.err == nil; k++ {
		if nt := d.count(); nt > 0 {
			ts := make([]Task, nt)
			for x := range ts {
				ts[x] = Task{Text: d.s(), Key: d.s(), Checked: d.b(), Dropped: d.b(), Private: d.b(), From: d.date(), Line: int(d.i())}
			}
			out[k] = ts
		}
	}
	if d.err != nil || d.pos != len(d.data) {
		return nil, errBadCache
	}
	return out, nil
}

// seenLists are the distinct lists of one kind decoded from a block so far,
// with the last one seen: consecutive notes mostly repeat it, and comparing
// with it saves the map lookup (hashing the encoding) for most notes.
type seenLists[T any] struct {
	m       map[string][]T
	lastEnc string
	last    []T
}

// shared reads a counted list of items of k varints each, decoding it with
// read only the first time its encoding is seen in the block; later copies
// share that slice.
func shared[T any](d *cacheReader, seen *seenLists[T], k int, read func(n int) []T) []T {
	start := d.pos
	n := d.count()
	if n == 0 || d.err != nil {
		return nil
	}
	body := d.pos
	for x := 0; x < n*k; x++ {
		d.u()
	}
	if d.err != nil {
		return nil
	}
	enc := d.data[start:d.pos]
	if enc == seen.lastEnc && seen.last != nil {
		return seen.last
	}
	list, ok := seen.m[enc]
	if !ok {
		d.pos = body
		list = read(n)
		if seen.m == nil {
			seen.m = map[string][]T{}
		}
		seen.m[enc] = list
	}
	seen.lastEnc, seen.last = enc, list
	return list
}

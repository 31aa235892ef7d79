package gitstore

import (
	"bytes"
	"encoding/binary"
	"errors"
	"time"
	"unsafe"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/index"
)

// errIndexFormat makes readIndex fall back to go-git's decoder.
var errIndexFormat = errors.New("index format not handled by the fast reader")

// decodeIndexFast reads a version 2 or 3 index without reflection (go-git's decoder costs
// tens of milliseconds on 50,000 entries). Extensions are skipped, but for
// decodeIndexTrees' cache-tree (cachetree.go): oneone drops the others on write.
func decodeIndexFast(data []byte) (*index.Index, error) {
	idx, _, err := decodeIndexTrees(data)
	return idx, err
}

// decodeIndexTrees is decodeIndexFast that also returns the valid folders of
// the cache-tree (nil without one). The entries' names point into data:
// data must not change afterwards.
func decodeIndexTrees(data []byte) (*index.Index, map[string]plumbing.Hash, error) {
	if len(data) < 12+20 || !bytes.Equal(data[:4], []byte("DIRC")) {
		return nil, nil, errIndexFormat
	}
	be := binary.BigEndian
	version := be.Uint32(data[4:8])
	if version != 2 && version != 3 {
		return nil, nil, errIndexFormat
	}
	n := int(be.Uint32(data[8:12]))
	end := len(data) - 20
	idx := &index.Index{Version: version, Entries: make([]*index.Entry, n)}
	slab := make([]index.Entry, n)
	// Every name is a substring of data itself, which the caller never
	// changes after (one string per entry was 42,560 allocations on the large
	// bench repository, 2 ms of a commit; a copy of data, 3 ms).
	names := unsafe.String(unsafe.SliceData(data), end)
	off := 12
	for i := 0; i < n; i++ {
		if off+62 > end {
			return nil, nil, errIndexFormat
		}
		b := data[off:]
		e := &slab[i]
		e.CreatedAt = time.Unix(int64(be.Uint32(b[0:])), int64(be.Uint32(b[4:])))
		e.ModifiedAt = time.Unix(int64(be.Uint32(b[8:])), int64(be.Uint32(b[12:])))
		e.Dev = be.Uint32(b[16:])
		e.Inode = be.Uint32(b[20:])
		e.Mode = filemode.FileMode(be.Uint32(b[24:]))
		e.UID = be.Uint32(b[28:])
		e.GID = be.Uint32(b[32:])
		e.Size = be.Uint32(b[36:])
		copy(e.Hash[:], b[40:60])
		flags := be.Uint16(b[60:])
		e.Stage = index.Stage((flags >> 12) & 3)
		hdr := 62
		if flags&0x4000 != 0 {
			if version < 3 || off+64 > end {
				return nil, nil, errIndexFormat
			}
			ext := be.Uint16(b[62:])
			e.SkipWorktree = ext&0x4000 != 0
			e.IntentToAdd = ext&0x2000 != 0
			hdr = 64
		}
		nul := bytes.IndexByte(b[hdr:end-off], 0)
		if nul < 0 {
			return nil, nil, errIndexFormat
		}
		e.Name = names[off+hdr : off+hdr+nul]
		idx.Entries[i] = e
		off += (hdr + nul + 8) &^ 7
	}
	// Refuse split or sparse indexes, which need the extensions.
	var trees map[string]plumbing.Hash
	for off+8 <= end {
		sig := string(data[off : off+4])
		size := int(be.Uint32(data[off+4:]))
		if sig == "link" || sig == "sdir" {
			return nil, nil, errIndexFormat
		}
		if sig == "TREE" && size >= 0 && off+8+size <= end {
			trees = decodeTreeExtension(data[off+8 : off+8+size])
		}
		off += 8 + size
	}
	return idx, trees, nil
}

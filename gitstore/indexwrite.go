package gitstore

import (
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"sort"
	"time"

	"github.com/go-git/go-git/v5/plumbing/format/index"
)

// encodeIndexFast writes a version 2 or 3 index without extensions, byte for
// byte as go-git's encoder does, without its reflection (about 50 ms on
// 50,000 entries, more than the rest of a commit). Entries are sorted by name
// first, as go-git's encoder does.
func encodeIndexFast(idx *index.Index) ([]byte, error) { return encodeIndexTrees(idx, nil) }

// encodeIndexTrees is encodeIndexFast with the cache-tree of root (cachetree.go) when not nil.
func encodeIndexTrees(idx *index.Index, root *ctNode) ([]byte, error) {
	if idx.Version != 2 && idx.Version != 3 {
		return nil, errIndexFormat
	}
	less := func(i, j int) bool { return idx.Entries[i].Name < idx.Entries[j].Name }
	if !sort.SliceIsSorted(idx.Entries, less) { // sorted already after a read and an update
		sort.SliceStable(idx.Entries, less)
	}
	size := 12 + 20
	for _, e := range idx.Entries {
		size += 62 + 2 + len(e.Name) + 8
	}
	be := binary.BigEndian
	out := make([]byte, 0, size)
	out = append(out, 'D', 'I', 'R', 'C')
	out = be.AppendUint32(out, idx.Version)
	out = be.AppendUint32(out, uint32(len(idx.Entries)))
	for _, e := range idx.Entries {
		csec, cnsec, err := indexTime(e.CreatedAt)
		if err != nil {
			return nil, err
		}
		msec, mnsec, err := indexTime(e.ModifiedAt)
		if err != nil {
			return nil, err
		}
		start := len(out)
		for _, v := range []uint32{csec, cnsec, msec, mnsec, e.Dev, e.Inode, uint32(e.Mode), e.UID, e.GID, e.Size} {
			out = be.AppendUint32(out, v)
		}
		out = append(out, e.Hash[:]...)
		flags := uint16(e.Stage&0x3) << 12
		if l := len(e.Name); l < 0xfff {
			flags |= uint16(l)
		} else {
			flags |= 0xfff
		}
		if e.IntentToAdd || e.SkipWorktree {
			var ext uint16
			if e.IntentToAdd {
				ext |= 1 << 13
			}
			if e.SkipWorktree {
				ext |= 1 << 14
			}
			out = be.AppendUint16(out, flags|0x4000)
			out = be.AppendUint16(out, ext)
		} else {
			out = be.AppendUint16(out, flags)
		}
		out = append(out, e.Name...)
		wrote := len(out) - start
		for pad := 8 - wrote%8; pad > 0; pad-- {
			out = append(out, 0)
		}
	}
	if root != nil {
		out = encodeTreeExtension(out, root)
	}
	sum := sha1.Sum(out)
	return append(out, sum[:]...), nil
}

var errNegativeTime = errors.New("negative timestamps are not allowed")

func indexTime(t time.Time) (uint32, uint32, error) {
	if t.IsZero() {
		return 0, 0, nil
	}
	if t.Unix() < 0 || t.UnixNano() < 0 {
		return 0, 0, errNegativeTime
	}
	return uint32(t.Unix()), uint32(t.Nanosecond()), nil
}

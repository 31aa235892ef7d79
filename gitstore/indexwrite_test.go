package gitstore

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/index"
)

// TestEncodeIndexFastMatchesGoGit: the fast writer gives go-git's bytes, and its reader reads them back.
func TestEncodeIndexFastMatchesGoGit(t *testing.T) {
	for _, version := range []uint32{2, 3} {
		mk := func() *index.Index {
			idx := &index.Index{Version: version}
			for i := 0; i < 300; i++ {
				name := fmt.Sprintf("r%03d/2026-%02d-%02d-%d.md", i%7, i%12+1, i%28+1, i)
				if i%50 == 0 {
					name = "long/" + strings.Repeat("x", 4100) + fmt.Sprint(i) // longer than the 12-bit name length
				}
				e := &index.Entry{Name: name, Hash: plumbing.ComputeHash(plumbing.BlobObject, []byte(name)),
					Mode: filemode.Regular, Size: uint32(i * 37), Dev: 7, Inode: uint32(1000 + i), UID: 1, GID: 2,
					CreatedAt: time.Unix(1_700_000_000+int64(i), int64(i*1000)), ModifiedAt: time.Unix(1_700_000_100+int64(i), 5)}
				if i == 3 {
					e.ModifiedAt, e.CreatedAt = time.Time{}, time.Time{}
				}
				if version == 3 && i%9 == 0 {
					e.SkipWorktree = true
				}
				if version == 3 && i%11 == 0 {
					e.IntentToAdd = true
				}
				if i%13 == 0 {
					e.Mode = filemode.Executable
				}
				idx.Entries = append(idx.Entries, e)
			}
			return idx
		}
		var want bytes.Buffer
		if err := index.NewEncoder(&want).Encode(mk()); err != nil {
			t.Fatal(err)
		}
		got, err := encodeIndexFast(mk())
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("v%d: fast index differs from go-git's (%d vs %d bytes)", version, len(got), want.Len())
		}
		back, err := decodeIndexFast(got)
		if err != nil || len(back.Entries) != 300 {
			t.Fatalf("v%d: read back: %v", version, err)
		}
	}
}

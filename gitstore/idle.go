package gitstore

import (
	"context"
	"errors"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// IdleTimeout is how long a fetch or a push may go without receiving or sending
// a byte before sync gives up as offline (SyncOptions.IdleTimeout overrides it).
var IdleTimeout = 30 * time.Second

// errStalled is the cause of a transfer cancelled by its idle watch.
var errStalled = errors.New("the transfer stalled")

// idleWatch cancels its context when no activity was seen for its timeout: a
// server that answers and then stalls must not hold the lock for long.
type idleWatch struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
	d      time.Duration
	last   atomic.Int64 // unix nanoseconds of the last activity
	bytes  atomic.Int64 // bytes moved so far
	stop   chan struct{}
	once   sync.Once
	// progress, when set, is told the bytes moved so far (for a progress line).
	progress func(int64)
}

func newIdleWatch(parent context.Context, d time.Duration) *idleWatch {
	if d <= 0 {
		d = IdleTimeout
	}
	ctx, cancel := context.WithCancelCause(parent)
	w := &idleWatch{ctx: ctx, cancel: cancel, d: d, stop: make(chan struct{})}
	w.last.Store(time.Now().UnixNano())
	go w.run()
	return w
}

func (w *idleWatch) run() {
	t := time.NewTimer(w.d)
	defer t.Stop()
	for {
		select {
		case <-w.stop:
			return
		case <-w.ctx.Done():
			return
		case <-t.C:
			idle := time.Since(time.Unix(0, w.last.Load()))
			if idle >= w.d {
				w.cancel(errStalled)
				return
			}
			t.Reset(w.d - idle)
		}
	}
}

// touch records activity: n bytes moved.
func (w *idleWatch) touch(n int) {
	w.last.Store(time.Now().UnixNano())
	if n > 0 {
		total := w.bytes.Add(int64(n))
		if w.progress != nil {
			w.progress(total)
		}
	}
}

// done stops the watch and releases its context.
func (w *idleWatch) done() {
	w.once.Do(func() {
		close(w.stop)
		w.cancel(context.Canceled)
	})
}

// stalled reports whether the watch gave up on the transfer.
func (w *idleWatch) stalled() bool { return errors.Is(context.Cause(w.ctx), errStalled) }

// reader counts what is read through r as activity.
func (w *idleWatch) reader(r io.Reader) io.Reader { return &activityReader{r, w} }

// writer counts what is written through wr as activity.
func (w *idleWatch) writer(wr io.Writer) io.Writer { return &activityWriter{wr, w} }

type activityReader struct {
	r io.Reader
	w *idleWatch
}

func (a *activityReader) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	a.w.touch(n)
	return n, err
}

type activityWriter struct {
	wr io.Writer
	w  *idleWatch
}

func (a *activityWriter) Write(p []byte) (int, error) {
	n, err := a.wr.Write(p)
	a.w.touch(n)
	return n, err
}

// Write makes the watch a sideband.Progress: the server's progress messages
// (and keep-alives) count as activity while it prepares a pack.
func (w *idleWatch) Write(p []byte) (int, error) {
	w.touch(0)
	return len(p), nil
}

package gitstore

import (
	"io"
	"net"
	"strings"
	"sync"
	"testing"
)

// stallProxy forwards TCP connections to a git server on 127.0.0.1 and, on the
// connections its rule picks, stops forwarding one direction after a given
// number of bytes: a server that answers and then stalls, reproduced without
// sleeping. A stalled direction goes on once release is closed (or never, when
// the test does not close it); every connection is closed when the test ends.
type stallProxy struct {
	t      *testing.T
	ln     net.Listener
	target string
	// rule sees the connection's number (from 1) and the client's first bytes
	// (the git:// request or the HTTP request line) and says where to stall.
	rule    func(n int, first string) stall
	stalled chan int      // receives a connection's number when it stalls
	release chan struct{} // closed: stalled connections go on

	mu    sync.Mutex
	n     int
	conns []net.Conn
	seen  []string // each connection's first client bytes, in order
}

// stall says after how many bytes a direction stops; a negative count never stalls.
type stall struct{ server, client int64 }

var noStall = stall{-1, -1}

// startProxy listens on 127.0.0.1 in front of the server at url (git:// or http://)
// and returns the proxy and the URL that goes through it.
func startProxy(t *testing.T, url string, rule func(n int, first string) stall) (*stallProxy, string) {
	t.Helper()
	scheme, rest, _ := strings.Cut(url, "://")
	hostport, path, _ := strings.Cut(rest, "/")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &stallProxy{t: t, ln: ln, target: hostport, rule: rule, stalled: make(chan int, 16), release: make(chan struct{})}
	t.Cleanup(p.close)
	go p.serve()
	return p, scheme + "://" + ln.Addr().String() + "/" + path
}

func (p *stallProxy) close() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
}

// letGo lets every stalled connection go on.
func (p *stallProxy) letGo() {
	select {
	case <-p.release:
	default:
		close(p.release)
	}
}

// firsts returns the first client bytes of every connection so far.
func (p *stallProxy) firsts() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.seen...)
}

func (p *stallProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.handle(c)
	}
}

func (p *stallProxy) handle(c net.Conn) {
	s, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.n++
	n := p.n
	p.conns = append(p.conns, c, s)
	p.mu.Unlock()
	buf := make([]byte, 64<<10)
	k, err := c.Read(buf)
	if err != nil {
		c.Close()
		s.Close()
		return
	}
	first := string(buf[:k])
	p.mu.Lock()
	p.seen = append(p.seen, first)
	p.mu.Unlock()
	r := noStall
	if p.rule != nil {
		r = p.rule(n, first)
	}
	if _, err := s.Write(buf[:k]); err != nil {
		c.Close()
		s.Close()
		return
	}
	client := r.client
	if client >= 0 {
		client = max(client-int64(k), 0)
	}
	go p.pipe(n, c, s, r.server)
	p.pipe(n, s, c, client)
}

// pipe copies src to dst, stopping after limit bytes until release (limit < 0: never).
func (p *stallProxy) pipe(n int, dst, src net.Conn, limit int64) {
	fail := func() { dst.Close(); src.Close() }
	buf := make([]byte, 32<<10)
	var done int64
	for {
		b := buf
		if limit >= 0 {
			if done >= limit {
				select {
				case p.stalled <- n:
				default:
				}
				<-p.release
				limit = -1
				continue
			}
			if left := limit - done; left < int64(len(b)) {
				b = b[:left]
			}
		}
		k, err := src.Read(b)
		if k > 0 {
			if _, werr := dst.Write(b[:k]); werr != nil {
				fail()
				return
			}
			done += int64(k)
		}
		if err != nil {
			if err != io.EOF {
				fail()
				return
			}
			if tc, ok := dst.(*net.TCPConn); ok { // half-close: the other direction goes on
				_ = tc.CloseWrite()
			}
			return
		}
	}
}

// isService reports whether a connection's first bytes ask for a git service
// ("git-upload-pack" or "git-receive-pack"), over git:// or smart http.
func isService(first, service string) bool { return strings.Contains(first, service) }

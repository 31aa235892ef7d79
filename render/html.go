package render

import (
	"bytes"
	"html"
	"html/template"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/oneone/oneone/notes"
)

// htmlMD renders notes to HTML: GFM (tables, task lists, strikethrough,
// autolinks). Raw HTML is never passed through: html.WithUnsafe stays off and
// escapedHTML shows it as text instead of dropping it.
var htmlMD = goldmark.New(
	goldmark.WithExtensions(extension.GFM),
	goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(escapedHTML{}, 100))),
)

// MarkdownHTML renders Markdown to an HTML fragment that is safe to embed:
// raw HTML shows as escaped text, HTML comments are dropped, headings move
// down by shift levels (at most h6), images other than data: URLs become
// links (a report must not load anything from the network), and links get
// rel="noopener noreferrer".
func MarkdownHTML(src []byte, shift int) template.HTML {
	if len(src) > bigMarkdown {
		restore := lowGC()
		out := markdownHTML(src, shift)
		restore() // the tree is garbage now
		return out
	}
	return markdownHTML(src, shift)
}

func markdownHTML(src []byte, shift int) template.HTML {
	doc := htmlMD.Parser().Parse(text.NewReader(src))
	var images []*ast.Image
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch v := n.(type) {
		case *ast.Heading:
			v.Level = min(v.Level+shift, 6)
		case *ast.Link:
			v.SetAttributeString("rel", []byte("noopener noreferrer"))
		case *ast.AutoLink:
			v.SetAttributeString("rel", []byte("noopener noreferrer"))
		case *ast.Image:
			if !bytes.HasPrefix(bytes.ToLower(v.Destination), []byte("data:image/")) {
				images = append(images, v)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, img := range images {
		link := ast.NewLink()
		link.Destination = img.Destination
		link.Title = img.Title
		link.SetAttributeString("rel", []byte("noopener noreferrer"))
		link.SetAttributeString("class", []byte("image-link"))
		link.AppendChild(link, ast.NewString([]byte("image: ")))
		for c := img.FirstChild(); c != nil; {
			next := c.NextSibling()
			link.AppendChild(link, c)
			c = next
		}
		img.Parent().ReplaceChild(img.Parent(), img, link)
	}
	var buf bytes.Buffer
	if err := htmlMD.Renderer().Render(&buf, src, doc); err != nil {
		// Rendering into a buffer cannot fail; show the text rather than nothing.
		return template.HTML("<pre>" + html.EscapeString(string(src)) + "</pre>")
	}
	return template.HTML(buf.String())
}

// escapedHTML renders raw HTML blocks and inline raw HTML as visible, escaped
// text, without the HTML comments (template prompts).
type escapedHTML struct{}

func (escapedHTML) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHTMLBlock, renderHTMLBlock)
	reg.Register(ast.KindRawHTML, renderRawHTML)
	reg.Register(extast.KindTaskCheckBox, renderTaskCheckBox)
}

// renderTaskCheckBox writes a read-only checkbox that says what it means to a screen reader.
func renderTaskCheckBox(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	if node.(*extast.TaskCheckBox).IsChecked {
		_, _ = w.WriteString(`<input type="checkbox" checked disabled aria-label="done"> `)
	} else {
		_, _ = w.WriteString(`<input type="checkbox" disabled aria-label="open"> `)
	}
	return ast.WalkContinue, nil
}

func renderHTMLBlock(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.HTMLBlock)
	var sb strings.Builder
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		sb.Write(seg.Value(src))
	}
	if n.HasClosure() {
		sb.Write(n.ClosureLine.Value(src))
	}
	s := strings.Trim(notes.StripComments(sb.String()), "\n")
	if strings.TrimSpace(s) != "" {
		_, _ = w.WriteString(`<p class="raw-html">` + html.EscapeString(s) + "</p>\n")
	}
	return ast.WalkSkipChildren, nil
}

func renderRawHTML(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.RawHTML)
	var sb strings.Builder
	for i := 0; i < n.Segments.Len(); i++ {
		seg := n.Segments.At(i)
		sb.Write(seg.Value(src))
	}
	_, _ = w.WriteString(html.EscapeString(notes.StripComments(sb.String())))
	return ast.WalkSkipChildren, nil
}

// withoutPrivate cuts from Markdown that has no parsed sections (a profile's
// free text) what the shared agenda and agenda cut from a note: every Private
// heading of any level with what it heads, and every HTML comment.
func withoutPrivate(src []byte) []byte { return notes.ShareableBody(src, nil) }

// bigMarkdown is the size above which a render runs with the garbage
// collector's target lowered (lowGC). goldmark's tree of a note near the
// 2 MiB limit is large: for the 25,000 list items of
// TestHostileRepositories/big-note-under-limit about 85 MB are live at the
// end of the parse, so with the default GOGC=100 the heap grew to 146 MB
// before a collection and `report --html` peaked at 139-206 MB RSS over runs (the
// test's limit is 200 MiB). With GOGC=25 for that render the heap stays
// near 1.25x what is live: see lowGC for the figures.
const bigMarkdown = 256 << 10

var (
	lowGCMu    sync.Mutex
	lowGCUsers int
	lowGCPrev  int
)

// lowGC sets GOGC to 25 until the function it returns is called; calls may
// overlap (the first sets it, the last restores it). The restore collects
// once before setting GOGC back: else the target computed by the last
// collection, which saw the whole tree live, would let the heap grow to
// twice that again (it did: 196 MB). On the big note above: peak RSS of
// `report --html` 139-171 MB -> 130 MB (three runs each, /usr/bin/time -v),
// for about 25% more CPU in that command (0.65 -> 0.83 s user).
func lowGC() (restore func()) {
	lowGCMu.Lock()
	if lowGCUsers == 0 {
		lowGCPrev = debug.SetGCPercent(25)
	}
	lowGCUsers++
	lowGCMu.Unlock()
	return func() {
		lowGCMu.Lock()
		lowGCUsers--
		if lowGCUsers == 0 {
			runtime.GC()
			debug.SetGCPercent(lowGCPrev)
		}
		lowGCMu.Unlock()
	}
}

package admin

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"

	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/internal/l10n"
)

// The console is the office's page over this API (README: The console):
// a page rendered here in the visitor's language and a script that signs
// in through /auth/… and does everything else through /admin/… with the
// session's CSRF token, as any other client does. It has no rule of its
// own: what a button may do, the API decides.
//
//go:embed console/page.html console/console.js console/console.css console/texts.json
var consoleFiles embed.FS

// consoleCSP lets the page load its own script and style only, talk only
// to this server, and never be framed.
const consoleCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// consoleAsset is one of the console's files, served with its ETag.
type consoleAsset struct {
	body  []byte
	ctype string
	etag  string
}

// console holds the page's template and its files.
type console struct {
	page   *template.Template
	assets map[string]consoleAsset
	// texts are the console's strings (console/texts.json) for the page
	// and its script, which receives those of the page's language.
	// Placeholders in braces are filled by the script.
	texts l10n.Texts
}

func newConsole() *console {
	c := &console{assets: map[string]consoleAsset{}}
	// The files are embedded: a parse error is a build defect, caught by
	// the tests.
	c.page = template.Must(template.ParseFS(consoleFiles, "console/page.html"))
	b, err := consoleFiles.ReadFile("console/texts.json")
	if err == nil {
		c.texts, err = l10n.ParseTexts(b)
	}
	if err != nil {
		panic(err)
	}
	for name, ctype := range map[string]string{"console.js": "text/javascript; charset=utf-8", "console.css": "text/css; charset=utf-8"} {
		b, err := consoleFiles.ReadFile("console/" + name)
		if err != nil {
			panic(err)
		}
		c.assets[name] = consoleAsset{body: b, ctype: ctype, etag: httpx.ETagOf(b)}
	}
	return c
}

// consolePage is the data of the page.
type consolePage struct {
	Lang, Other l10n.Lang
	// Texts are the page's strings in its language, for the script.
	Texts map[string]string
}

// T is the page's text for key.
func (p consolePage) T(key string) string {
	if s, ok := p.Texts[key]; ok {
		return s
	}
	return key
}

// render writes the page in lang.
func (c *console) render(lang l10n.Lang) ([]byte, error) {
	p := consolePage{Lang: lang, Other: l10n.En, Texts: c.texts.In(lang)}
	if lang == l10n.En {
		p.Other = l10n.It
	}
	var buf bytes.Buffer
	if err := c.page.Execute(&buf, p); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// serveAsset answers GET/HEAD of a console file (revalidated each time:
// a new binary's script is used at once).
func (c *console) serveAsset(w http.ResponseWriter, r *http.Request, name string) bool {
	a, ok := c.assets[name]
	if !ok {
		return false
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	httpx.ServeContent(w, r, httpx.Content{Type: a.ctype, ETag: a.etag, CacheControl: "no-cache", Body: bytes.NewReader(a.body), Size: int64(len(a.body))})
	return true
}

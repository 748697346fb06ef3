package config

import (
	"fmt"
	"io"
	"net/url"
	"reflect"
	"regexp"
	"strings"
)

const mask = "********"

// Masked writes the setting's value for people: secrets masked (a
// connection string keeps everything but its password).
func (s Setting) Masked(c Config) string {
	return s.masked(s.field(&c))
}

func (s Setting) masked(v reflect.Value) string {
	switch {
	case s.Secret == "true" && !v.IsZero():
		return tomlString(mask)
	case s.Secret == "dsn" && v.Kind() == reflect.Slice:
		items := v.Interface().([]string)
		masked := make([]string, len(items))
		for i, it := range items {
			masked[i] = MaskDSN(it)
		}
		return tomlValue(reflect.ValueOf(masked))
	case s.Secret == "dsn" && v.String() != "":
		return tomlString(MaskDSN(v.String()))
	}
	return tomlValue(v)
}

var dsnPassword = regexp.MustCompile(`(?i)(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]*)`)

// MaskDSN hides the password of a PostgreSQL connection string, in URL
// (postgres://user:pw@host/db, ?password=) or key=value form.
func MaskDSN(dsn string) string {
	if strings.Contains(dsn, "://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "(unparsable URL, hidden)"
		}
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "MASKED")
		}
		q := u.Query()
		if q.Has("password") {
			q.Set("password", "MASKED")
			u.RawQuery = q.Encode()
		}
		return strings.ReplaceAll(u.String(), "MASKED", mask)
	}
	return dsnPassword.ReplaceAllString(dsn, "${1}"+mask)
}

// Print writes the configuration in effect as a TOML file, secrets masked,
// each value not at its default followed by where it came from.
func (l Loaded) Print(w io.Writer) error {
	p := &printer{w: w}
	p.line("# sit configuration in effect (defaults, then %s, the environment, flags); secrets masked", fileName(l.File))
	section := ""
	for _, s := range Settings() {
		if s.Section() != section {
			section = s.Section()
			p.line("\n[%s]", section)
		}
		line := fmt.Sprintf("%s = %s", s.Name(), s.masked(s.field(&l.Config)))
		if o := l.Origin(s.Key); o != originDefault {
			line += "  # " + o
		}
		p.line("%s", line)
	}
	p.publish(l.Publish)
	return p.err
}

func fileName(f string) string {
	if f == "" {
		return "no file"
	}
	return "file " + f
}

// PrintDefaults writes a commented example file: every key with its
// documentation, flag, environment variable and default, commented out.
func PrintDefaults(w io.Writer) error {
	p := &printer{w: w}
	p.line(`# sit configuration file (TOML), written by "sit config print --defaults".
#
# Give it to sit with --config FILE (or SIT_CONFIG=FILE). Every key is
# optional: a key left out, or commented out as here, keeps its default.
# Precedence: flags > environment variables > this file > defaults.
# Durations are strings such as "30s", "2m", "1h30m"; lists are arrays of
# strings. Unknown keys are refused. "sit config print" shows the settings
# in effect, secrets masked.`)
	def := Defaults()
	section := ""
	for _, s := range Settings() {
		if s.Section() != section {
			section = s.Section()
			p.line("\n[%s]", section)
		}
		p.line("")
		for _, l := range wrap(s.Doc, 76) {
			p.line("# %s", l)
		}
		p.line("# %s", s.sources())
		p.line("#%s = %s", s.Name(), tomlValue(s.field(&def)))
	}
	p.line(`
# Published sources: the office's own schemas and relations, served as they
# are. One [[publish]] table each; "sit publish --from-config" applies them
# (as the owner role) and unpublishes the sources it published before that
# are no longer here (never those published by hand or through the admin
# API; --dry-run prints the plan); "sit serve" warns where the database differs.
# [[publish]]
# source = "ufficio"                # a whole schema: every relation with a geometry column
# [[publish]]
# source = "ufficio.catasto"        # one relation
# visibility = "public"             # public, professional or internal
# kind = "cadastral"                # with roles: the relation plays them
# roles = ["cadastre"]
# key = "gid"                       # a unique column as feature id (a view)
# geometry = "geom"                 # the geometry column of a relation with several
# no_track = false                  # true: no change trigger (edits show within 30s)
# mercator = false                  # true: add a generated Web Mercator copy (faster tiles; rewrites the table under lock)
# no_tile_copy = false              # true: SIT keeps no tile copy in sit_copies (tiles transform every row; writes pay nothing)`)
	return p.err
}

// sources names the flag and environment variables of a setting.
func (s Setting) sources() string {
	var parts []string
	if s.Flag != "" {
		parts = append(parts, "flag --"+s.Flag)
	}
	env := "env " + s.Env
	if len(s.Aliases) > 0 {
		env += " (also " + strings.Join(s.Aliases, ", ") + ")"
	}
	parts = append(parts, env)
	if len(s.Enum) > 0 {
		parts = append(parts, "one of "+strings.Join(s.Enum, ", "))
	}
	switch {
	case s.Min != "" && s.Max != "":
		parts = append(parts, "from "+s.Min+" to "+s.Max)
	case s.Min != "":
		parts = append(parts, "at least "+s.Min)
	case s.Max != "":
		parts = append(parts, "at most "+s.Max)
	}
	return strings.Join(parts, "; ")
}

// wrap cuts text into lines of at most width bytes, at spaces.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return append(lines, line)
}

type printer struct {
	w   io.Writer
	err error
}

func (p *printer) line(f string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, f+"\n", args...)
	}
}

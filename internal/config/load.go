package config

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/agnivade/levenshtein"
	"github.com/spf13/pflag"
)

// FileFlag and FileEnv name the configuration file.
const (
	FileFlag = "config"
	FileEnv  = "SIT_CONFIG"
)

const originDefault = "default"

// Sources are where Load reads settings from.
type Sources struct {
	// Env is the environment as os.Environ gives it. An empty variable
	// counts as unset.
	Env []string
	// Flags are the flags of the command being run, registered by AddFlags
	// and AddFileFlag (nil: none).
	Flags *pflag.FlagSet
}

// Loaded is a configuration with where each value came from.
type Loaded struct {
	Config
	// File is the configuration file read ("" if none).
	File string
	// Warnings are not errors (an environment variable that looks like a
	// misspelt setting); log them.
	Warnings []string
	origins  map[string]string
}

// Origin says where a setting's value came from: "default", "file PATH",
// "env NAME" or "flag --NAME".
func (l Loaded) Origin(key string) string {
	if o, ok := l.origins[key]; ok {
		return o
	}
	return originDefault
}

// Error lists every problem of a configuration; it is a usage error.
type Error struct{ Problems []error }

func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

func problems(ps []Problem) error {
	if len(ps) == 0 {
		return nil
	}
	e := &Error{}
	for _, p := range ps {
		e.Problems = append(e.Problems, p)
	}
	return e
}

// Load reads the settings: defaults, then the file (--config, else
// SIT_CONFIG), then the environment, then the flags given, and validates
// the result. Every problem is reported at once, each naming its key.
func Load(src Sources) (Loaded, error) {
	settings := Settings()
	l := Loaded{Config: Defaults(), origins: map[string]string{}}
	env := environ(src.Env)
	var ps []Problem
	l.File = env[FileEnv]
	if src.Flags != nil {
		if f := src.Flags.Lookup(FileFlag); f != nil && f.Changed {
			l.File = f.Value.String()
		}
	}
	if l.File != "" {
		if err := l.readFile(settings); err != nil {
			var e *Error
			if errors.As(err, &e) {
				return l, e
			}
			return l, &Error{Problems: []error{err}}
		}
	}
	for _, s := range settings {
		name, val, ok := s.fromEnv(env)
		if !ok {
			continue
		}
		if err := s.parse(s.field(&l.Config), val); err != nil {
			ps = append(ps, Problem{Key: s.Key, Origin: "env " + name, Err: err})
			continue
		}
		l.origins[s.Key] = "env " + name
	}
	l.Warnings = strayEnv(settings, env)
	if src.Flags != nil {
		ps = append(ps, l.applyFlags(src.Flags)...)
	}
	for _, s := range settings {
		if err := s.check(s.field(&l.Config)); err != nil {
			ps = append(ps, Problem{Key: s.Key, Origin: l.Origin(s.Key), Err: err})
		}
	}
	if len(ps) == 0 { // settings that bound each other, once each is right
		for _, p := range l.validate() {
			p.Origin = l.Origin(p.Key)
			ps = append(ps, p)
		}
	}
	return l, problems(ps)
}

func environ(kv []string) map[string]string {
	m := map[string]string{}
	for _, e := range kv {
		if k, v, ok := strings.Cut(e, "="); ok && v != "" {
			m[k] = v
		}
	}
	return m
}

// fromEnv returns the setting's variable that is set, its own name first.
func (s Setting) fromEnv(env map[string]string) (name, val string, ok bool) {
	for _, n := range append([]string{s.Env}, s.Aliases...) {
		if v, ok := env[n]; ok {
			return n, v, true
		}
	}
	return "", "", false
}

// strayEnv warns about SIT_ variables that are no setting but nearly one.
func strayEnv(settings []Setting, env map[string]string) []string {
	known := map[string]bool{FileEnv: true}
	var names []string
	for _, s := range settings {
		known[s.Env] = true
		names = append(names, s.Env)
	}
	var warn []string
	for k := range env {
		if !strings.HasPrefix(k, "SIT_") || known[k] {
			continue
		}
		if near := Nearest(k, names); near != "" {
			warn = append(warn, fmt.Sprintf("environment variable %s is not a setting of sit (did you mean %s?)", k, near))
		}
	}
	sort.Strings(warn)
	return warn
}

// readFile applies the TOML file over the defaults. Unknown keys are
// refused, with the nearest known key suggested.
func (l *Loaded) readFile(settings []Setting) error {
	b, err := os.ReadFile(l.File)
	if err != nil {
		return fmt.Errorf("configuration file: %w", err)
	}
	var doc map[string]any
	if _, err := toml.Decode(string(b), &doc); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return fmt.Errorf("%s: line %d: %s", l.File, pe.Position.Line, pe.Message)
		}
		return fmt.Errorf("%s: %w", l.File, err)
	}
	keys := make([]string, 0, len(settings))
	for _, s := range settings {
		keys = append(keys, s.Key)
	}
	pub, errs := readPublish(l.File, string(b))
	l.Publish = pub
	for _, section := range sortedKeys(doc) {
		if section == PublishSection {
			continue
		}
		table, ok := doc[section].(map[string]any)
		if !ok {
			errs = append(errs, unknownKey(l.File, section, keys, "a setting outside a [section]"))
			continue
		}
		for _, name := range sortedKeys(table) {
			key := section + "." + name
			s, ok := lookup(settings, key)
			if !ok {
				errs = append(errs, unknownKey(l.File, key, keys, "unknown key"))
				continue
			}
			if err := s.fromTOML(s.field(&l.Config), table[name]); err != nil {
				errs = append(errs, Problem{Key: key, Origin: "file " + l.File, Err: err})
				continue
			}
			l.origins[key] = "file " + l.File
		}
	}
	if len(errs) > 0 {
		return &Error{Problems: errs}
	}
	return nil
}

func unknownKey(file, key string, keys []string, what string) error {
	msg := fmt.Sprintf("%s: %s %s", file, what, key)
	if near := Nearest(key, keys); near != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", near)
	} else if i := strings.IndexByte(key, '.'); i < 0 {
		msg += "; keys belong to a section such as [server]"
	}
	return errors.New(msg + "; `sit config print --defaults` lists every key")
}

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Nearest returns the candidate closest to s when it is close enough to be
// a typo (an edit distance of at most a third of its length, at most 3).
func Nearest(s string, candidates []string) string {
	best, bestD := "", 4
	limit := len(s)/3 + 1
	for _, c := range candidates {
		if d := levenshtein.ComputeDistance(strings.ToLower(s), strings.ToLower(c)); d < bestD && d <= limit && d > 0 {
			best, bestD = c, d
		}
	}
	return best
}

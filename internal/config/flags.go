package config

import (
	"reflect"
	"strings"

	"github.com/spf13/pflag"
)

// AddFileFlag registers --config on fs.
func AddFileFlag(fs *pflag.FlagSet) {
	fs.String(FileFlag, "", "configuration file (TOML; env "+FileEnv+"); sit config print --defaults writes an example")
}

// AddFlags registers the flags of the settings whose key is one of keys or
// lies in one of the sections named "section." (e.g. "server.", or
// "report.comune"). The flags hold text only: Load applies those given,
// after the file and the environment.
func AddFlags(fs *pflag.FlagSet, keys ...string) {
	for _, s := range Settings() {
		if s.Flag == "" || !selected(s.Key, keys) {
			continue
		}
		v := &flagValue{s: s}
		usage := s.Doc + " (env " + s.Env + ")"
		f := fs.VarPF(v, s.Flag, "", usage)
		f.DefValue = s.Default
		if s.typ.Kind() == reflect.Bool {
			f.NoOptDefVal = "true"
		}
	}
}

func selected(key string, keys []string) bool {
	for _, k := range keys {
		if key == k || strings.HasSuffix(k, ".") && strings.HasPrefix(key, k) {
			return true
		}
	}
	return false
}

// flagValue keeps what a flag was given; Set checks its syntax so that a
// bad value is a usage error naming the flag.
type flagValue struct {
	s   Setting
	raw []string
}

func (f *flagValue) Set(text string) error {
	tmp := reflect.New(f.s.typ).Elem()
	if err := f.s.parse(tmp, text); err != nil {
		return err
	}
	if f.s.typ.Kind() == reflect.Slice {
		f.raw = append(f.raw, text) // repeated flags add up
	} else {
		f.raw = []string{text}
	}
	return nil
}

func (f *flagValue) String() string {
	if f.raw == nil {
		return f.s.Default
	}
	return strings.Join(f.raw, ",")
}

func (f *flagValue) Type() string {
	name, _ := kindName(f.s.typ)
	return name
}

// applyFlags applies the flags given on the command line.
func (l *Loaded) applyFlags(fs *pflag.FlagSet) []Problem {
	var ps []Problem
	fs.VisitAll(func(f *pflag.Flag) {
		v, ok := f.Value.(*flagValue)
		if !ok || !f.Changed {
			return
		}
		origin := "flag --" + f.Name
		if err := v.s.parse(v.s.field(&l.Config), strings.Join(v.raw, ",")); err != nil {
			ps = append(ps, Problem{Key: v.s.Key, Origin: origin, Err: err})
			return
		}
		l.origins[v.s.Key] = origin
	})
	return ps
}

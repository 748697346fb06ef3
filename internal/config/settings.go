package config

import (
	"fmt"
	"reflect"
	"strings"
)

// Setting is one row of the table of settings, read from the tags of a
// leaf field of Config (see the package comment).
type Setting struct {
	// Key in the configuration file: section.name.
	Key string
	// Flag without its dashes; empty: no flag.
	Flag string
	// Env is the environment variable; Aliases are older names also read.
	Env     string
	Aliases []string
	// Default in the syntax of a flag.
	Default string
	Doc     string
	// Secret: "" (shown), "true" (masked whole) or "dsn" (its password masked).
	Secret string
	// Min, Max, Enum and Check are what validation enforces.
	Min, Max string
	Enum     []string
	Check    string

	index []int
	typ   reflect.Type
}

// Section is the key's part before the dot.
func (s Setting) Section() string { return s.Key[:strings.IndexByte(s.Key, '.')] }

// Name is the key's part after the dot.
func (s Setting) Name() string { return s.Key[strings.IndexByte(s.Key, '.')+1:] }

// field is the setting's field in c.
func (s Setting) field(c *Config) reflect.Value {
	return reflect.ValueOf(c).Elem().FieldByIndex(s.index)
}

// Settings returns the table, in the order of the fields of Config. It is
// built from the struct tags on each call (a few microseconds): no state.
func Settings() []Setting {
	var out []Setting
	walk(reflect.TypeOf(Config{}), nil, &out)
	return out
}

func walk(t reflect.Type, index []int, out *[]Setting) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		idx := append(append([]int(nil), index...), i)
		key, tagged := f.Tag.Lookup("key")
		switch {
		case key == "-":
		case !tagged && f.Type.Kind() == reflect.Struct && f.Type.PkgPath() == t.PkgPath():
			walk(f.Type, idx, out)
		default:
			*out = append(*out, fromTags(f, idx))
		}
	}
}

func fromTags(f reflect.StructField, idx []int) Setting {
	tag := f.Tag.Get
	s := Setting{Key: tag("key"), Flag: tag("flag"), Env: tag("env"), Default: tag("default"), Doc: tag("doc"),
		Secret: tag("secret"), Min: tag("min"), Max: tag("max"), Check: tag("check"), index: idx, typ: f.Type}
	if a := tag("alias"); a != "" {
		s.Aliases = strings.Split(a, ",")
	}
	if e := tag("enum"); e != "" {
		s.Enum = strings.Split(e, ",")
	}
	if s.Env == "" {
		name := s.Flag
		if name == "" {
			name = strings.ReplaceAll(s.Key, ".", "_")
		}
		s.Env = "SIT_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
	}
	return s
}

// lookup returns the setting of a file key.
func lookup(settings []Setting, key string) (Setting, bool) {
	for _, s := range settings {
		if s.Key == key {
			return s, true
		}
	}
	return Setting{}, false
}

// checkTable reports the inconsistencies of the table: what TestSettings
// asserts, and what a helper adding a field gets told.
func checkTable(settings []Setting) error {
	var errs []string
	seen := map[string]string{}
	claim := func(kind, name, key string) {
		if name == "" {
			return
		}
		if other, ok := seen[kind+name]; ok {
			errs = append(errs, fmt.Sprintf("%s %s of %s already belongs to %s", kind, name, key, other))
		}
		seen[kind+name] = key
	}
	for _, s := range settings {
		if strings.Count(s.Key, ".") != 1 || s.Key != strings.ToLower(s.Key) || strings.ContainsAny(s.Key, " -") {
			errs = append(errs, fmt.Sprintf("key %q: want section.name in lower case with underscores", s.Key))
		}
		if s.Doc == "" || strings.Contains(s.Doc, "`") {
			errs = append(errs, s.Key+": no doc, or a backquote in it (pflag reads it as the value's name)")
		}
		if s.Secret != "" && s.Flag != "" && s.Secret != "dsn" {
			errs = append(errs, s.Key+": a secret has no flag (flags show in the process list)")
		}
		claim("key", s.Key, s.Key)
		claim("flag", s.Flag, s.Key)
		claim("env", s.Env, s.Key)
		for _, a := range s.Aliases {
			claim("env", a, s.Key)
		}
		var c Config
		if err := s.parse(s.field(&c), s.Default); err != nil {
			errs = append(errs, fmt.Sprintf("%s: default %q: %v", s.Key, s.Default, err))
		} else if err := s.check(s.field(&c)); err != nil && s.Default != "" {
			errs = append(errs, fmt.Sprintf("%s: default %q: %v", s.Key, s.Default, err))
		}
		if _, ok := kindName(s.typ); !ok {
			errs = append(errs, fmt.Sprintf("%s: unsupported type %s", s.Key, s.typ))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("config table: %s", strings.Join(errs, "; "))
	}
	return nil
}

package importers

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// Format is one reader: how to recognise its files and how to open them.
type Format struct {
	Name string
	// Exts are lower-case file extensions, with the dot.
	Exts []string
	// Sniff reports whether the first bytes look like this format; may be nil.
	Sniff func(head []byte) bool
	// Claims, when set, decides whether a file with one of Exts is really
	// this format: readers that share an extension with a generic one
	// (.csv, .json, .zip) claim only the files whose content is theirs.
	Claims func(path string, head []byte) bool
	Open   func(path string, opt Options) (*Source, error)
}

// Registry is the set of formats a program reads, in detection order:
// formats that claim a shared extension come before the generic one.
type Registry struct{ formats []Format }

// NewRegistry makes a registry of the formats, in the order given.
func NewRegistry(groups ...[]Format) *Registry {
	r := &Registry{}
	for _, g := range groups {
		r.formats = append(r.formats, g...)
	}
	return r
}

// Names lists the format names, sorted (for --format help).
func (r *Registry) Names() []string {
	var names []string
	for _, f := range r.formats {
		names = append(names, f.Name)
	}
	sort.Strings(names)
	return names
}

// Open picks the reader of path: the one --format names, else the first
// whose extension matches and (when it claims) whose content is its own,
// else the first whose sniffer recognises the content.
func (r *Registry) Open(path string, opt Options) (*Source, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("open %s: is a directory, not a file", path)
	}
	if opt.Format != "" {
		for _, f := range r.formats {
			if f.Name == opt.Format {
				return f.Open(path, opt)
			}
		}
		return nil, fmt.Errorf("unknown format %q (supported: %s)", opt.Format, strings.Join(r.Names(), ", "))
	}
	head, err := ReadHead(path, 1<<16)
	if err != nil {
		return nil, err
	}
	ext := strings.ToLower(filepath.Ext(path))
	declined := map[string]bool{}
	for _, f := range r.formats {
		if !slices.Contains(f.Exts, ext) {
			continue
		}
		if f.Claims == nil || f.Claims(path, head) {
			return f.Open(path, opt)
		}
		declined[f.Name] = true
	}
	for _, f := range r.formats {
		if !declined[f.Name] && f.Sniff != nil && f.Sniff(head) {
			return f.Open(path, opt)
		}
	}
	return nil, fmt.Errorf("%s: unrecognised file format (extension %q; supported: %s)", path, ext, strings.Join(r.Names(), ", "))
}

// ReadHead returns the first n bytes of path (fewer for a shorter file).
func ReadHead(path string, n int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	buf := make([]byte, n)
	m, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return buf[:m], nil
}

package access

import (
	"fmt"

	"github.com/sit-gis/sit/layers"
)

// Role is what a principal may do within its comune (README: Roles).
type Role string

const (
	// Anonymous is the public: public layers only.
	Anonymous Role = ""
	// Professional reads the layers for professionals.
	Professional Role = "professional"
	// Editor reads everything of its comune and imports and edits the
	// layers it is given.
	Editor Role = "editor"
	// Admin does everything in its comune (every comune when it has none).
	Admin Role = "admin"
)

// Roles lists the roles an account or a token may have.
func Roles() []Role { return []Role{Professional, Editor, Admin} }

// ParseRole reads an account's or a token's role.
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case Professional, Editor, Admin:
		return r, nil
	}
	return "", fmt.Errorf("role %q: want professional, editor or admin", s)
}

// String names the role ("anonymous" for the public).
func (r Role) String() string {
	if r == Anonymous {
		return "anonymous"
	}
	return string(r)
}

// Reads reports whether the role sees layers of a visibility: the public
// sees public layers, professionals also professional ones, the staff
// (editors and admins) also internal ones.
func (r Role) Reads(v layers.Visibility) bool {
	switch v {
	case layers.Public, "":
		return true
	case layers.Professional:
		return r == Professional || r == Editor || r == Admin
	case layers.Internal:
		return r == Editor || r == Admin
	}
	return false
}

package layers

import (
	"fmt"
	"strings"

	"github.com/agnivade/levenshtein"

	"github.com/sit-gis/sit/domain"
)

// CheckRoles refuses a role SIT does not know (suggesting the nearest one:
// --role zonning is a typo, not a new role) and a role a layer of kind
// cannot play: the domain queries of a role read the canonical columns of
// its kind (a parcel lookup needs foglio and particella). The zones role
// only needs polygons, whatever their kind.
func CheckRoles(kind Kind, roles []string) error {
	if err := CheckRoleNames(roles); err != nil {
		return err
	}
	for _, r := range roles {
		if want := domain.RoleKind(r); r != RoleZones && kind != want {
			return fmt.Errorf("a layer of kind %s cannot have the role %s, which needs a layer of kind %s (give --kind %s)", kind, r, want, want)
		}
	}
	return nil
}

// CheckRoleNames refuses a role SIT does not know, suggesting the nearest.
func CheckRoleNames(roles []string) error {
	known := domain.Roles()
	for _, r := range roles {
		if domain.RoleKind(r) != "" {
			continue
		}
		msg := fmt.Sprintf("unknown role %q (roles: %s)", r, strings.Join(known, ", "))
		if s := nearest(r, known); s != "" {
			msg += fmt.Sprintf("; did you mean %s?", s)
		}
		return fmt.Errorf("%s", msg)
	}
	return nil
}

// nearest is the option closest to word when it is close enough to be a
// typo of it (at most 2 edits), "" otherwise.
func nearest(word string, options []string) string {
	best, dist := "", 3
	for _, o := range options {
		if d := levenshtein.ComputeDistance(strings.ToLower(word), o); d < dist {
			best, dist = o, d
		}
	}
	return best
}

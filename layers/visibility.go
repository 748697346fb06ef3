package layers

import "fmt"

// Visibility says who may see a layer (README: Layer visibility). The rule
// that reads it (which role sees what) is the access package's; the
// catalog only stores it.
type Visibility string

const (
	// Public layers are served to everyone, signed in or not.
	Public Visibility = "public"
	// Professional layers are for signed-in professionals (surveyors,
	// architects, notaries) and the comune's staff.
	Professional Visibility = "professional"
	// Internal layers are for the comune's staff only.
	Internal Visibility = "internal"
)

// Visibilities lists the values in order of restriction.
func Visibilities() []Visibility { return []Visibility{Public, Professional, Internal} }

// ParseVisibility reads a visibility; "" is public.
func ParseVisibility(s string) (Visibility, error) {
	switch v := Visibility(s); v {
	case "":
		return Public, nil
	case Public, Professional, Internal:
		return v, nil
	}
	return "", fmt.Errorf("visibility %q: want public, professional or internal", s)
}

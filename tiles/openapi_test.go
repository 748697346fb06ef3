package tiles

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

func TestOpenAPIPathsCoverRoutesAndParams(t *testing.T) {
	paths := OpenAPIPaths()
	if _, err := json.Marshal(paths); err != nil {
		t.Fatal(err)
	}
	tmpl := regexp.MustCompile(`\{([A-Za-z]+)\}`)
	for path, item := range paths {
		t.Run(path, func(t *testing.T) {
			op := item.(map[string]any)["get"].(map[string]any)
			declared := map[string]bool{}
			for _, p := range op["parameters"].([]any) {
				pm := p.(map[string]any)
				declared[pm["name"].(string)] = pm["in"] == "path"
			}
			for _, m := range tmpl.FindAllStringSubmatch(path, -1) {
				if !declared[m[1]] {
					t.Errorf("path parameter %s is not declared", m[1])
				}
			}
			if len(declared) != len(tmpl.FindAllString(path, -1)) {
				t.Errorf("declares %d parameters for %d in the path", len(declared), len(tmpl.FindAllString(path, -1)))
			}
			if !strings.HasPrefix(path, "/") {
				t.Error("path must start with /")
			}
		})
	}
}

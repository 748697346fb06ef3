package planning

// OpenAPIPaths returns the OpenAPI 3.0 path items of the plan routes, for
// the /api document. Errors are problem+json naming the parameter.
func OpenAPIPaths() map[string]any {
	problem := func(desc string) map[string]any {
		return map[string]any{"description": desc, "content": map[string]any{"application/problem+json": map[string]any{"schema": map[string]any{"type": "object"}}}}
	}
	ok := func(desc string) map[string]any {
		return map[string]any{"description": desc, "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"type": "object"}}}}
	}
	at := map[string]any{"name": "at", "in": "query", "required": false, "schema": map[string]any{"type": "string"},
		"description": "The date (YYYY-MM-DD, the end of that day in Italian time, or an RFC 3339 instant); default now."}
	tags := []string{"Plans"}
	return map[string]any{
		"/plans": map[string]any{"get": map[string]any{"operationId": "listPlans", "summary": "The register of planning instruments.",
			"description": "Every registered plan and variant with its acts (adoption, approval, efficacy, expiry), its layers and where it stands at the date: " +
				"in_force (vigente), adopted (misure di salvaguardia), safeguard_lapsed, expired or not_adopted. Those that apply come first.",
			"tags": tags, "parameters": []any{at},
			"responses": map[string]any{"200": ok("The register."), "400": problem("A bad at.")}}},
		"/plans/{code}": map[string]any{"get": map[string]any{"operationId": "getPlan", "summary": "One planning instrument.",
			"description": "A plan with its acts, layers, standing at the date, the versions of its rules (NTA) and, with articles=true, the articles in force at the date with the zones they rule.",
			"tags":        tags, "parameters": []any{
				map[string]any{"name": "code", "in": "path", "required": true, "schema": map[string]any{"type": "string"}}, at,
				map[string]any{"name": "articles", "in": "query", "required": false, "schema": map[string]any{"type": "boolean"}, "description": "Include the articles' text."}},
			"responses": map[string]any{"200": ok("The plan."), "400": problem("A bad parameter, named."), "404": problem("No such plan.")}}},
	}
}

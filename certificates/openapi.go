package certificates

// OpenAPIPaths returns the OpenAPI 3.0 path items of the certificate
// routes, for the /api document. Errors are problem+json naming the
// parameter.
func OpenAPIPaths() map[string]any {
	problem := func(desc string) map[string]any {
		return map[string]any{"description": desc, "content": map[string]any{"application/problem+json": map[string]any{"schema": map[string]any{"type": "object"}}}}
	}
	body := func(desc, typ string) map[string]any {
		return map[string]any{"description": desc, "content": map[string]any{typ: map[string]any{"schema": map[string]any{"type": "object"}}}}
	}
	str := func(desc string) map[string]any { return map[string]any{"type": "string", "description": desc} }
	code := map[string]any{"name": "code", "in": "path", "required": true, "schema": map[string]any{"type": "string"},
		"description": "The verification code printed on the certificate (XXXX-XXXX-XXXX-XXXX; case and dashes optional)."}
	tags := []string{"Certificates"}
	request := map[string]any{"type": "object", "required": []string{"parcels", "protocol", "requester", "purpose", "officer"},
		"properties": map[string]any{
			"parcels":   map[string]any{"type": "array", "items": map[string]any{"type": "string"}, "description": "Cadastral references, in any spelling."},
			"at":        str("The date certified (YYYY-MM-DD or RFC 3339); default now."),
			"protocol":  str("The comune's protocol number; unique in the register."),
			"requester": str("Who asked."), "requester_id": str("Codice fiscale or partita IVA."),
			"request_date": str("Date of the request (YYYY-MM-DD)."), "purpose": str("The use it is asked for."),
			"stamp_id": str("Serial of the marca da bollo."), "stamp_amount": map[string]any{"type": "number", "description": "Its value in euro."},
			"stamp_exemption": str("The norm exempting it, instead of a stamp."),
			"officer":         str("The signing officer."), "officer_title": str("The officer's title."),
		}}
	return map[string]any{
		"/certificates": map[string]any{
			"post": map[string]any{"operationId": "issueCertificate", "summary": "Issue a zoning certificate (CDU, DPR 380/2001 art. 30).",
				"description": "For editors and administrators of the comune. Numbers it in the register, renders its PDF with the verification code and stores both with the layer and rules versions read.",
				"tags":        tags, "requestBody": map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": request}}},
				"responses": map[string]any{"201": body("The register's entry, with links to its verification page and PDF.", "application/json"),
					"400": problem("A missing or bad field, named."), "401": problem("Not signed in."), "403": problem("Not of the office."),
					"404": problem("An unknown parcel."), "409": problem("The protocol is already in the register."), "503": problem("No register (no web role).")}},
			"get": map[string]any{"operationId": "listCertificates", "summary": "The register of issued certificates, newest first.",
				"description": "For editors and administrators of the comune; q matches the protocol, the number, the requester or a parcel.", "tags": tags,
				"parameters": []any{
					map[string]any{"name": "q", "in": "query", "schema": map[string]any{"type": "string"}},
					map[string]any{"name": "year", "in": "query", "schema": map[string]any{"type": "integer"}},
					map[string]any{"name": "limit", "in": "query", "schema": map[string]any{"type": "integer"}},
					map[string]any{"name": "f", "in": "query", "schema": map[string]any{"type": "string", "enum": []string{"json", "csv"}}}},
				"responses": map[string]any{"200": body("The register.", "application/json"), "400": problem("A bad parameter, named."),
					"401": problem("Not signed in."), "403": problem("Not of the office.")}}},
		"/verify/{code}": map[string]any{"get": map[string]any{"operationId": "verifyCertificate", "summary": "Verify an issued certificate.",
			"description": "The certificate as issued, whether its stored PDF is intact, and whether the report recomputed from the recorded versions has the recorded content and renders to the same PDF.",
			"tags":        tags, "parameters": []any{code, map[string]any{"name": "f", "in": "query", "schema": map[string]any{"type": "string", "enum": []string{"html", "json"}}}},
			"responses": map[string]any{"200": body("The verification.", "text/html"), "400": problem("Not a code."), "404": problem("No certificate has this code.")}}},
		"/verify/{code}/pdf": map[string]any{"get": map[string]any{"operationId": "getCertificatePDF", "summary": "The PDF handed over.",
			"tags": tags, "parameters": []any{code},
			"responses": map[string]any{"200": body("The PDF.", "application/pdf"), "400": problem("Not a code."), "404": problem("No certificate has this code.")}}},
	}
}

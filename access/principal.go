package access

import "slices"

// Kinds of principal.
const (
	KindAccount  = "account"
	KindToken    = "token"
	KindOperator = "operator" // the command line, run by whoever holds the owner's credentials
)

// Principal is who makes a request: an account (through a session), a
// machine token, the command line's operator, or nobody (the zero value).
type Principal struct {
	Kind string // KindAccount, KindToken, KindOperator; "" anonymous
	ID   int64
	Name string // username or token name
	Role Role
	// Comune is the principal's comune; "" means every comune (the
	// instance's administrators, the operator).
	Comune string
	// Layers are those an editor may import and edit.
	Layers []string
	// Session is the id of the session a browser request came with
	// (hashed), for logout; CSRF is its anti-forgery token.
	Session []byte
	CSRF    string
}

// Operator is the command line: an administrator of every comune.
func Operator(name string) Principal {
	return Principal{Kind: KindOperator, Name: name, Role: Admin}
}

// Authenticated reports whether anyone is signed in.
func (p Principal) Authenticated() bool { return p.Kind != "" }

// Actor names the principal in the audit log: "alice", "token:ci-nightly",
// "cli:root", "anonymous".
func (p Principal) Actor() string {
	switch p.Kind {
	case KindAccount:
		return p.Name
	case KindToken:
		return "token:" + p.Name
	case KindOperator:
		return "cli:" + p.Name
	}
	return "anonymous"
}

// In reports whether the principal belongs to a comune (or to every one).
func (p Principal) In(comune string) bool {
	return p.Authenticated() && (p.Comune == "" || p.Comune == comune)
}

// Instance reports whether the principal administers the whole instance.
func (p Principal) Instance() bool { return p.Authenticated() && p.Comune == "" && p.Role == Admin }

// RoleIn is the principal's role for the data of a comune ("" for the
// province-wide layers, which every comune's principals share): its own
// role there, the public's elsewhere.
func (p Principal) RoleIn(comune string) Role {
	if !p.Authenticated() {
		return Anonymous
	}
	if comune == "" || p.Comune == "" || p.Comune == comune {
		return p.Role
	}
	return Anonymous
}

// Administers reports whether the principal may manage a comune's
// accounts, tokens, audit log and layers ("" : the instance-wide ones).
func (p Principal) Administers(comune string) bool {
	if p.Role != Admin || !p.Authenticated() {
		return false
	}
	return p.Comune == "" || (comune != "" && p.Comune == comune)
}

// MayImport reports whether the principal may import into a layer of a
// comune: an administrator of it, or an editor given that layer. A layer
// that does not exist yet (exists false) needs an administrator.
func (p Principal) MayImport(layer, comune string, exists bool) bool {
	if p.Administers(comune) {
		return true
	}
	return exists && p.Role == Editor && p.Authenticated() && comune != "" && p.In(comune) && slices.Contains(p.Layers, layer)
}
